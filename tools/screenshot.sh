#!/bin/bash
# screenshot.sh IMAGE OUT.png - boot IMAGE, wait until the system is ready for
# keys, and save what the VGA screen shows (QEMU `screendump` writes PPM;
# netpbm's pnmtopng turns it into PNG). Used by `make screenshot`.
set -eu
image=$1 out=$2
source "$(dirname "$0")/../test/lib.sh"
QEMU_TIMEOUT=60
qemu_start screenshot "$image" ide
if ! wait_serial screenshot 'selfos is ready' 50; then
	echo "screenshot: the system did not become ready; serial log: $LOGDIR/screenshot.serial" >&2
	qemu_stop screenshot
	exit 1
fi
sleep 0.3
ppm=$LOGDIR/screenshot.d/screen.ppm
monitor screenshot "screendump $ppm"
for _ in $(seq 50); do
	[ -s "$ppm" ] && break
	sleep 0.1
done
sleep 0.2
qemu_stop screenshot
pnmtopng "$ppm" >"$out"
