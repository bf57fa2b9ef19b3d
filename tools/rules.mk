# tools/ - host programs written in C.
HOST_TOOL_CFLAGS := -std=gnu11 -O2 -g -I. -Wall -Wextra -Werror
MKIMAGE := $(BUILD)/tools/mkimage

$(MKIMAGE): tools/mkimage.c lib/crc32.c lib/crc32.h lib/image.h lib/layout.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_TOOL_CFLAGS) -o $@ tools/mkimage.c lib/crc32.c

VGATEXT := $(BUILD)/tools/vgatext
$(VGATEXT): tools/vgatext.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_TOOL_CFLAGS) -o $@ $<

# ---------------------------------------------------------------------------
# Writing the image to a USB stick (tools/usb-write.sh refuses mounted,
# non-removable and system disks, and asks before writing).
usb: $(BUILD)/disk.img
	@bash tools/usb-write.sh $(BUILD)/disk.img "$(DEV)"

# A PNG of what the screen shows once the system is ready for keys.
screenshot: $(BUILD)/disk.img $(VGATEXT)
	BUILD=$(BUILD) ACCEL=$(ACCEL) QEMU=$(QEMU) bash tools/screenshot.sh $(BUILD)/disk.img $(BUILD)/screenshot.png
	@echo "screenshot: $(BUILD)/screenshot.png"

# QEMU paused at the first instruction with its gdb stub, and gdb with the
# symbols of every stage and a breakpoint at each stage's entry.
GDB_PORT ?= 1234
debug: $(BUILD)/disk.img
	@echo "selfos: QEMU is paused; gdb stops at 0x7c00, stage2_entry, pm_entry, lm_entry, kernel_main and the user entry"
	$(QEMU) -accel tcg -drive format=raw,file=$(BUILD)/disk.img,snapshot=on -nic none -no-reboot \
		-display none -serial file:$(BUILD)/debug-serial.log -gdb tcp::$(GDB_PORT) -S & \
	sed 's|build/|$(BUILD)/|g' tools/debug.gdb >$(BUILD)/debug.gdb; \
	gdb -q -ex "set confirm off" -ex "target remote :$(GDB_PORT)" -x $(BUILD)/debug.gdb; \
	kill %1 2>/dev/null; true

.PHONY: usb screenshot debug
