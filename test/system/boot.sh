#!/bin/bash
# boot.sh - the real image boots to kernel_main with a valid hand-off on each
# kind of machine and disk a user might have, and refuses what it must.
source "$(dirname "$0")/../lib.sh"

IMG=$BUILD/disk.img
KERNEL_LINE='selfos kernel: long mode, kernel_main reached'

# boot_ok NAME KIND [qemu args...]: boots, checks the stage2 report and the
# kernel's acceptance of the hand-off.
boot_ok() {
	local name=$1 kind=$2
	shift 2
	qemu_start "$name" "$IMG" "$kind" "$@"
	if ! wait_serial "$name" "$KERNEL_LINE" 40; then
		fail "boot/$name" "no kernel banner"
	elif ! wait_serial "$name" 'stage2: kernel: [0-9]+ bytes at 0x00100000, CRC 0x[0-9a-f]+ ok' 1; then
		fail "boot/$name" "stage2 did not report the kernel CRC check"
	elif ! wait_serial "$name" 'usable memory: [0-9]+ MiB' 5; then
		fail "boot/$name" "the kernel did not print the memory map"
	else
		pass "boot/$name"
	fi
	qemu_stop "$name"
}

# The checks run two QEMUs at a time: each is single-threaded under TCG.
boot_ok pc-ide ide -machine pc &
boot_ok q35-ahci ide -machine q35
wait
boot_ok usb-xhci usb-xhci &
boot_ok usb-ehci usb-ehci
wait
boot_ok virtio virtio &
boot_ok floppy-chs floppy
wait
boot_ok mem-32m ide -m 32 &
boot_ok mem-4g ide -m 4G
wait

# Stage2 must say which hand-off values it found for the floppy: DL = 0 and
# the CHS path.
if tr -d '\r' <"$LOGDIR/floppy-chs.serial" | grep -q 'stage2: disk 0x00000000: CHS'; then
	pass "boot/floppy-uses-chs"
else
	fail "boot/floppy-uses-chs" "stage2 did not report CHS reads on drive 0" floppy-chs
fi

# A 32-bit CPU: the words, then a halt (no triple fault, so QEMU keeps running).
qemu_start pentium3 "$IMG" ide -cpu pentium3
if wait_serial pentium3 'selfos needs a 64-bit \(x86_64\) CPU' 30 && sleep 1 &&
	kill -0 "${QEMU_PID[pentium3]}" 2>/dev/null; then
	pass "boot/pentium3-refused"
else
	fail "boot/pentium3-refused" "no 64-bit CPU message, or QEMU ended (reset/triple fault)" pentium3
fi
qemu_stop pentium3

# Damaged images: build them from the real one. The kernel's first LBA is in
# the image header (lib/image.h): parts[1].lba at byte 512 + 32 + 48 + 8.
kernel_lba=$(od -An -tu4 -j600 -N4 "$IMG" | tr -d ' ')
BAD=$BUILD/test/bad
mkdir -p "$BAD"

cp "$IMG" "$BAD/flipped.img"
byte_off=$((kernel_lba * 512 + 1000))
orig=$(od -An -tu1 -j"$byte_off" -N1 "$BAD/flipped.img" | tr -d ' ')
printf "$(printf '\\%03o' $(((orig ^ 0xFF) & 0xFF)))" |
	dd of="$BAD/flipped.img" bs=1 seek="$byte_off" conv=notrunc status=none
qemu_start flipped "$BAD/flipped.img" ide
if wait_serial flipped 'CRC mismatch in the kernel: expected 0x[0-9a-f]+, got 0x[0-9a-f]+' 30 &&
	! wait_serial flipped "$KERNEL_LINE" 1; then
	pass "boot/corrupt-kernel-refused"
else
	fail "boot/corrupt-kernel-refused" "no CRC message naming the kernel (or it booted anyway)" flipped
fi
qemu_stop flipped

# Cut inside the kernel, past the 65 sectors the MBR reads: stage2 must
# report the failing read.
kernel_sectors=$(od -An -tu4 -j604 -N4 "$IMG" | tr -d ' ')
head -c $(((kernel_lba + kernel_sectors - 4) * 512)) "$IMG" >"$BAD/short.img"
qemu_start short "$BAD/short.img" ide
if wait_serial short 'disk read failed while loading the kernel at LBA [0-9]+, BIOS status' 30 &&
	! wait_serial short "$KERNEL_LINE" 1; then
	pass "boot/short-image-refused"
else
	fail "boot/short-image-refused" "no read-error message for an image cut short" short
fi
qemu_stop short

# Cut inside stage2: the MBR's own read fails, and it says so on the screen
# (the MBR has no room for serial output).
head -c $((30 * 512)) "$IMG" >"$BAD/tiny.img"
qemu_start tiny "$BAD/tiny.img" ide
sleep 3
screen=$(vga_text tiny)
if grep -Eq 'MBR: read error 0x[0-9A-F]{2}' <<<"$screen"; then
	pass "boot/mbr-read-error-on-screen"
else
	fail "boot/mbr-read-error-on-screen" "no 'MBR: read error' on the screen: $(echo "$screen" | grep . | tail -3 | tr '\n' '|')" tiny
fi
qemu_stop tiny
