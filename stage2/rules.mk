# stage2/ - the real-mode loader: C compiled for 16-bit real mode (-m16:
# 32-bit code with size prefixes) plus NASM for the mode switches.
STAGE2_C_SRCS   := $(sort $(wildcard stage2/*.c)) lib/crc32.c lib/string.c
STAGE2_ASM_SRCS := $(sort $(wildcard stage2/*.asm))
STAGE2_OBJS     := $(patsubst %.c,$(BUILD)/stage2/%.o,$(STAGE2_C_SRCS)) \
                   $(patsubst %.asm,$(BUILD)/stage2/%.asm.o,$(STAGE2_ASM_SRCS))
STAGE2_ELF      := $(BUILD)/stage2/stage2.elf
STAGE2_BIN      := $(BUILD)/stage2/stage2.bin

# -fno-omit-frame-pointer: EBP must stay the frame pointer. An EBP-based
# address uses SS, whose limit stays 64 KiB (only DS/ES/FS/GS are unreal),
# so a flat pointer in EBP would fault. Loops instead of rep-string inline
# expansions, whose address size gcc's .code16gcc output gets wrong.
# min-pagesize=0: the A20 test and page tables really do use addresses
# below 4 KiB, which gcc would otherwise flag as NULL-page accesses.
STAGE2_CFLAGS := $(FREESTANDING) -m16 -march=i386 -Os -g -fno-omit-frame-pointer \
                 -mno-sse -mno-mmx -mno-80387 -MMD -MP
ifneq ($(findstring clang,$(CC)),)
STAGE2_CFLAGS += --target=i386-unknown-elf -Wno-unused-command-line-argument
else
STAGE2_CFLAGS += -mstringop-strategy=loop --param=min-pagesize=0
endif

$(BUILD)/stage2/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(STAGE2_CFLAGS) -c -o $@ $<
$(BUILD)/stage2/%.asm.o: %.asm
	@mkdir -p $(@D)
	$(NASM) -f elf32 -g -F dwarf -I. -MD $(@:.o=.d) -o $@ $<

$(STAGE2_ELF): $(STAGE2_OBJS) stage2/linker.ld
	$(LD) -m elf_i386 -nostdlib -static -z noexecstack --no-warn-rwx-segments -T stage2/linker.ld -o $@ $(STAGE2_OBJS)
$(STAGE2_BIN): $(STAGE2_ELF)
	$(OBJCOPY) -O binary $< $@

-include $(STAGE2_OBJS:.o=.d)
