# bootloader/ - the 512-byte MBR.
MBR_BIN := $(BUILD)/bootloader/mbr.bin

$(MBR_BIN): bootloader/mbr.asm lib/layout.inc lib/image.inc
	@mkdir -p $(@D)
	$(NASM) -f bin -I. -o $@ -l $(@:.bin=.lst) $<
	@test $$(stat -c %s $@) -eq 512 || { echo "mbr.bin is not 512 bytes" >&2; rm -f $@; exit 1; }
