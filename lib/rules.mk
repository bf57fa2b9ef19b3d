# lib/ - freestanding code shared by stage2, the kernel, user programs and
# host tools. Each consumer compiles the files it needs with its own flags.
LIB_SRCS := $(wildcard lib/*.c)
