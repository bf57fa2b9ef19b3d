# user/ - user programs: the C runtime (crt0, syscall.h, linker.ld), the
# default program hello, and the NASM example (user/README.md).
#
#   $(BUILD)/user/hello.elf    the linked program, kept for gdb
#   $(BUILD)/user/hello.bin    the flat binary the image carries
#   $(BUILD)/user/examples/hello.bin   hand-written NASM, no linker
#
# Other directories reuse the recipes: $(call user_link_cmd,ELF,OBJ) and
# $(call user_flat_cmd,ELF,BIN) (test/user/rules.mk does).

USER_CFLAGS := -std=gnu11 -ffreestanding -fno-pic -fno-pie -static -nostdlib -fno-stack-protector \
               -O2 -g -Wall -Wextra -Werror -I. -fno-asynchronous-unwind-tables -MMD -MP
ifneq ($(findstring clang,$(CC)),)
USER_CFLAGS += --target=x86_64-unknown-elf -Wno-unused-command-line-argument
endif
USER_LDFLAGS := -m elf_x86_64 -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
                -T user/linker.ld

# The runtime every C program links: the start routine and the memory
# functions gcc and clang call on their own (lib/string.h).
USER_RT_OBJS := $(BUILD)/user/crt0.asm.o $(BUILD)/user/lib/string.o

# $(call user_link_cmd,out.elf,objects)
user_link_cmd = $(LD) $(USER_LDFLAGS) -o $(1) $(2) $(USER_RT_OBJS)
# $(call user_flat_cmd,in.elf,out.bin): objcopy, then make sure the layout
# trailer really is the last bytes (a section placed after it by the
# linker would make the kernel map the program read+write+execute).
user_flat_cmd = $(OBJCOPY) -O binary $(1) $(2) && \
	if [ "$$(tail -c 32 $(2) | head -c 8)" != selfosLT ]; then \
		echo "$(2): the layout trailer is not at the end of the file (see user/linker.ld)" >&2; \
		rm -f $(2); exit 1; fi

# user/abi.inc must say what user/abi.h says.
$(BUILD)/user/abi.ok: user/abi.h user/abi.inc
	@mkdir -p $(@D)
	@grep -E '^#define (SYS_[A-Z_]+|SYSCALL_VECTOR) ' user/abi.h | awk '{print $$2, $$3}' >$@.h
	@grep -E '^%define ' user/abi.inc | awk '{print $$2, $$3}' >$@.inc
	@cmp -s $@.h $@.inc || { echo "user/abi.inc disagrees with user/abi.h:" >&2; diff $@.h $@.inc >&2; exit 1; }
	@touch $@

$(BUILD)/user/crt0.asm.o: user/crt0.asm user/abi.inc $(BUILD)/user/abi.ok
	@mkdir -p $(@D)
	$(NASM) -f elf64 -g -F dwarf -I. -o $@ $<

$(BUILD)/user/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c -o $@ $<

$(BUILD)/user/%.o: user/%.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c -o $@ $<

$(BUILD)/user/%.elf: $(BUILD)/user/%.o $(USER_RT_OBJS) user/linker.ld
	$(call user_link_cmd,$@,$<)

$(BUILD)/user/%.bin: $(BUILD)/user/%.elf
	$(call user_flat_cmd,$<,$@)

$(BUILD)/user/examples/%.bin: user/examples/%.asm user/abi.inc $(BUILD)/user/abi.ok
	@mkdir -p $(@D)
	$(NASM) -f bin -I. -o $@ $<

all: $(BUILD)/user/examples/hello.bin

.PRECIOUS: $(BUILD)/user/%.elf $(BUILD)/user/%.o $(BUILD)/user/lib/%.o
-include $(BUILD)/user/hello.d $(BUILD)/user/lib/string.d
