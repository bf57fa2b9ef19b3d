# disk.img.mk - assemble the bootable image from the parts.
#
#   LBA 0   MBR          build/bootloader/mbr.bin
#   LBA 1   header       written by mkimage (lib/image.h)
#   LBA 2.. stage2       build/stage2/stage2.bin
#   ...     kernel       flattened from build/kernel/kernel.elf
#   ...     user         $(USER_BIN), default build/user/hello.bin
#
# `make USER_BIN=path/to/prog.bin` puts any flat user binary (linked at
# 0x400000, entry at its first byte) in place of the default program.

USER_BIN ?= $(BUILD)/user/hello.bin
ifneq ($(filter command line environment,$(origin USER_BIN)),)
ifeq ($(wildcard $(USER_BIN)),)
$(error USER_BIN=$(USER_BIN): no such file (give a flat binary linked at 0x400000, see user/README.md))
endif
endif

# $(call mkimage_cmd,output,kernel-elf,user-bin)
mkimage_cmd = $(MKIMAGE) -o $(1) --mbr $(MBR_BIN) --stage2 $(STAGE2_BIN) --kernel $(2) --user $(3)

# The user binary is remembered so that changing USER_BIN rebuilds the image.
$(BUILD)/user-bin.path: FORCE
	@mkdir -p $(@D)
	@echo "$(abspath $(USER_BIN))" | cmp -s - $@ || echo "$(abspath $(USER_BIN))" > $@

$(BUILD)/disk.img: $(MKIMAGE) $(MBR_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(USER_BIN) $(BUILD)/user-bin.path
	@test -f "$(USER_BIN)" || { echo "USER_BIN=$(USER_BIN): no such file" >&2; exit 1; }
	$(call mkimage_cmd,$@,$(KERNEL_ELF),$(USER_BIN))

.PHONY: FORCE
FORCE:
