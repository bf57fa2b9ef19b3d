#!/bin/bash
# usb_refusals.sh - `make usb` refuses every dangerous device. Runs the real
# script against stand-in sysfs and mounts files (no device is touched).
source "$(dirname "$0")/../lib.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
IMG=$T/disk.img
head -c 4096 /dev/zero >"$IMG"
mkdir -p "$T/dev" "$T/sys/block" "$T/sys/class/block"
# A stand-in machine: sda internal disk with the root file system, sdb a
# removable stick with a mounted partition, sdc a removable unmounted stick.
for d in sda sdb sdc; do
	mkdir -p "$T/sys/block/$d/${d}1" "$T/sys/class/block/${d}1"
	touch "$T/sys/class/block/${d}1/partition" "$T/dev/$d" "$T/dev/${d}1"
	echo 1000000 >"$T/sys/block/$d/size"
done
echo 0 >"$T/sys/block/sda/removable"
echo 1 >"$T/sys/block/sdb/removable"
echo 1 >"$T/sys/block/sdc/removable"
cat >"$T/mounts" <<MOUNTS
/dev/sda1 / ext4 rw 0 0
/dev/sdb1 /media/stick vfat rw 0 0
MOUNTS

run() {   # run DEV [stdin]: the script's stderr and status
	printf '%s\n' "${2:-}" | SELFOS_SYSFS=$T/sys SELFOS_MOUNTS=$T/mounts SELFOS_DEV_TEST=1 \
		bash tools/usb-write.sh "$IMG" "$1" 2>&1 >/dev/null
}
expect_refusal() {   # NAME DEV REGEX [stdin]
	local out
	out=$(run "$2" "${4:-}")
	local status=$?
	if [ $status -ne 0 ] && grep -Eq -- "$3" <<<"$out"; then
		pass "usb/$1"
	else
		fail "usb/$1" "expected a refusal matching '$3', got status $status: $out"
	fi
}

expect_refusal no-device "" 'no device given'
expect_refusal missing "$T/dev/sdz" 'does not exist'
out=$(SELFOS_SYSFS=$T/sys SELFOS_MOUNTS=$T/mounts bash tools/usb-write.sh "$IMG" "$T/dev/sdc" 2>&1 </dev/null); st=$?
if [ $st -ne 0 ] && grep -q "not a block device" <<<"$out"; then pass usb/not-block; else fail usb/not-block "expected a refusal of a regular file: $out"; fi
expect_refusal partition "$T/dev/sdc1" 'is a partition'
expect_refusal not-removable "$T/dev/sda" 'not a removable device'
expect_refusal mounted "$T/dev/sdb" 'sdb1 is mounted on /media/stick'
expect_refusal wrong-confirmation "$T/dev/sdc" 'confirmation did not match' "/dev/sdd"
# The running system: make the root disk removable (a PC booted from a stick).
echo 1 >"$T/sys/block/sda/removable"
expect_refusal running-system "$T/dev/sda" 'holds the running system'

# And the happy path writes exactly the image (to the stand-in file).
if [ "$(id -u)" = 0 ]; then
	out=$(run "$T/dev/sdc" "$T/dev/sdc")
	if cmp -s "$IMG" "$T/dev/sdc"; then
		pass "usb/writes-after-confirmation"
	else
		fail "usb/writes-after-confirmation" "the stand-in device does not hold the image: $out"
	fi
fi
