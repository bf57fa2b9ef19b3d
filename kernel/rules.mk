# kernel/ - the 64-bit kernel. Every .c and .asm file under kernel/ is part of
# it (one folder per subsystem; no list to keep in sync). The test kernel is
# the same sources built with -DKERNEL_TEST plus the cases in test/kernel/.

# -Os: every kernel sector is read by the BIOS with programmed I/O at boot
# (about 0.1 ms each under QEMU); -Os saves a fifth of them against -O2.
KERNEL_CFLAGS := $(FREESTANDING) -m64 -Os -g -mcmodel=kernel -mno-red-zone \
                 -mgeneral-regs-only -fno-omit-frame-pointer -fno-strict-aliasing \
                 -fno-common -fno-delete-null-pointer-checks -MMD -MP
ifneq ($(findstring clang,$(CC)),)
KERNEL_CFLAGS += --target=x86_64-unknown-elf -Wno-unused-command-line-argument
endif
KERNEL_LDFLAGS := -m elf_x86_64 -nostdlib -static -z max-page-size=0x1000 \
                  -z noexecstack --no-warn-rwx-segments -T kernel/linker.ld

KERNEL_C_SRCS   := $(shell find kernel -name '*.c' | sort) lib/fmt.c lib/string.c lib/crc32.c lib/heap.c
KERNEL_ASM_SRCS := $(shell find kernel -name '*.asm' | sort)
KTEST_SRCS      := $(sort $(wildcard test/kernel/*.c))

# $(call kernel_objs,outdir,c-sources,asm-sources)
kernel_objs = $(patsubst %.c,$(1)/%.o,$(2)) $(patsubst %.asm,$(1)/%.asm.o,$(3))

KERNEL_OBJS := $(call kernel_objs,$(BUILD)/kernel,$(KERNEL_C_SRCS),$(KERNEL_ASM_SRCS))
KTEST_OBJS  := $(call kernel_objs,$(BUILD)/kernel-test,$(KERNEL_C_SRCS) $(KTEST_SRCS),$(KERNEL_ASM_SRCS))

KERNEL_ELF  := $(BUILD)/kernel/kernel.elf
KERNEL_BIN  := $(BUILD)/kernel/kernel.bin
KTEST_ELF   := $(BUILD)/kernel-test/kernel.elf
KTEST_BIN   := $(BUILD)/kernel-test/kernel.bin

$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c -o $@ $<
$(BUILD)/kernel-test/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -DKERNEL_TEST -c -o $@ $<
$(BUILD)/kernel/%.asm.o: %.asm
	@mkdir -p $(@D)
	$(NASM) -f elf64 -g -F dwarf -I. -MD $(@:.o=.d) -o $@ $<
$(BUILD)/kernel-test/%.asm.o: %.asm
	@mkdir -p $(@D)
	$(NASM) -f elf64 -g -F dwarf -I. -DKERNEL_TEST -MD $(@:.o=.d) -o $@ $<

$(KERNEL_ELF): $(KERNEL_OBJS) kernel/linker.ld
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS)
$(KTEST_ELF): $(KTEST_OBJS) kernel/linker.ld
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KTEST_OBJS)

# mkimage reads the ELF itself: it flattens the PT_LOAD segments into the
# raw image stage2 copies to KERNEL_LOAD_PHYS and takes the entry point and
# the in-memory size (with .bss) from the headers. The ELF stays for gdb.

-include $(KERNEL_OBJS:.o=.d) $(KTEST_OBJS:.o=.d)
