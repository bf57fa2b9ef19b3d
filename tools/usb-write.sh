#!/bin/bash
# usb-write.sh - write the disk image to a USB stick, refusing anything that
# could be the wrong disk. Used by `make usb DEV=/dev/sdX`.
#
#   usb-write.sh IMAGE DEVICE
#
# Refuses, with the reason, when DEVICE:
#   - is not given, does not exist or is not a block device;
#   - is a partition (sdX1) rather than a whole disk;
#   - is not removable (/sys/block/NAME/removable is not 1);
#   - has any of its partitions mounted (/proc/mounts);
#   - holds the running system (the disk behind / or /boot).
# Then it shows what it found and asks for the device name again before dd.
#
# The refusals are tested with stand-in paths (test/system/usb_refusals.sh):
# SELFOS_SYSFS (default /sys), SELFOS_MOUNTS (default /proc/mounts) and
# SELFOS_DEV_TEST=1 (accept a regular file as the "device").
set -u
image=${1:-}
dev=${2:-}
sysfs=${SELFOS_SYSFS:-/sys}
mounts=${SELFOS_MOUNTS:-/proc/mounts}

refuse() {
	echo "make usb: refusing: $*" >&2
	exit 1
}

[ -n "$dev" ] || refuse "no device given; use: make usb DEV=/dev/sdX (see lsblk)"
[ -f "$image" ] || refuse "image $image does not exist (run make first)"
[ -e "$dev" ] || refuse "$dev does not exist"
if [ "${SELFOS_DEV_TEST:-0}" != 1 ] && [ ! -b "$dev" ]; then
	refuse "$dev is not a block device"
fi

name=$(basename "$(readlink -f "$dev")")
[ -d "$sysfs/block/$name" ] || {
	[ -e "$sysfs/class/block/$name/partition" ] && refuse "$dev is a partition; give the whole disk (e.g. /dev/sdb, not /dev/sdb1)"
	refuse "$dev is not a whole disk known to $sysfs/block"
}
[ "$(cat "$sysfs/block/$name/removable" 2>/dev/null)" = 1 ] ||
	refuse "$dev is not a removable device (a USB stick reports removable=1); this may be an internal disk"

# Every partition of this disk, and the disk itself.
parts=$(ls "$sysfs/block/$name" 2>/dev/null | grep "^$name")
for p in "$name" $parts; do
	while read -r src mnt _; do
		if [ "$(basename "$src")" = "$p" ]; then
			case $mnt in
			/ | /boot | /boot/efi | /usr) refuse "$dev holds the running system (/dev/$p is mounted on $mnt)" ;;
			*) refuse "/dev/$p is mounted on $mnt; unmount it first (umount $mnt)" ;;
			esac
		fi
	done <"$mounts"
done

size=$(($(cat "$sysfs/block/$name/size" 2>/dev/null || echo 0) * 512))
model=$(cat "$sysfs/block/$name/device/model" 2>/dev/null | tr -s ' ')
echo "About to write $image to $dev (${model:-unknown model}, $((size / 1000000)) MB)."
echo "EVERYTHING ON $dev WILL BE DESTROYED."
printf 'Type the device name (%s) to continue: ' "$dev"
read -r answer
[ "$answer" = "$dev" ] || refuse "confirmation did not match; nothing written"

sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd=sudo
$sudo_cmd dd if="$image" of="$dev" bs=1M conv=fsync status=progress || refuse "dd failed"
sync
echo "make usb: done. Boot the PC from $dev in BIOS/legacy mode."
