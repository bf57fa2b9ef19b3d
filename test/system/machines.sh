#!/bin/bash
# machines.sh - the kernel on machines and CPUs the other tests do not use:
# no 8042 (legacy-free boards), no VGA card, a CPU without NX, the smallest
# and a large memory size (RAM above 4 GiB in the direct map and the pmm).
# The normal image must boot to the ready line with the user program's
# exit 0 and say what it did without; the test kernel must pass (cases that
# need absent hardware print SKIP) on the most stripped-down machine.
source "$(dirname "$0")/../lib.sh"

IMG=$BUILD/disk.img
READY='selfos is ready'

# machine_ok NAME REGEX [qemu args...]: boots to the ready line, the user
# program exits 0, and the serial log matches REGEX (what the kernel says
# about the missing piece).
machine_ok() {
	local name=$1 regex=$2
	shift 2
	qemu_start "$name" "$IMG" ide "$@"
	if ! wait_serial "$name" "$READY" 40; then
		fail "machines/$name" "no '$READY' line" "$name"
	elif ! wait_serial "$name" 'user: exit 0' 1; then
		fail "machines/$name" "the user program did not exit 0" "$name"
	elif ! wait_serial "$name" "$regex" 1; then
		fail "machines/$name" "the serial log lacks /$regex/" "$name"
	elif wait_serial "$name" 'PANIC|panic|exception' 0; then
		fail "machines/$name" "a panic or exception report" "$name"
	else
		pass "machines/$name"
	fi
	qemu_stop "$name"
}

# Two QEMUs at a time (each is single-threaded under TCG).
machine_ok no-i8042 'no keyboard found: key echo is off' -machine pc,i8042=off &
machine_ok vga-none 'vga: no VGA card' -vga none
wait
machine_ok no-nx 'NX unsupported \(VMM_NX ignored\)' -cpu qemu64,-nx &
machine_ok mem-16m 'pmm: [0-9]+ frames \(1[0-5] MiB\)' -m 16M
wait
# 16 GiB on a pc: 3 GiB below the PCI hole, 13 GiB from 4 GiB up.
machine_ok mem-16g 'direct map 17 GiB' -m 16G &
# The test kernel on a machine with none of the optional pieces: every case
# passes or is skipped.
QEMU_TIMEOUT=120
qemu_start ktest-bare "$BUILD/test/ktest.img" ide -m 16M -machine pc,i8042=off -vga none -cpu qemu64,-nx
wait_exit ktest-bare 110
if [ "$QEMU_STATUS" = 33 ]; then
	pass "machines/ktest-bare"
else
	fail "machines/ktest-bare" "test kernel status $QEMU_STATUS on -m 16M, no 8042, no VGA, no NX" ktest-bare
fi

# A burst of keys much faster than a typist (1 ms hold: QEMU paces its input
# queue by the hold time; its own 16-byte PS/2 queue drops some bytes before
# the kernel sees them), then a slow "z Enter":
# the echo holds only keys that were sent, in order, and the keyboard
# still works afterwards (no stuck queue, no corrupted byte).
flood_ok() {
	local name=keys-flood i
	qemu_start "$name" "$IMG" ide
	if ! wait_serial "$name" "$READY" 40; then
		fail "machines/$name" "no '$READY' line" "$name"
		qemu_stop "$name"
		return
	fi
	for i in $(seq 150); do
		monitor "$name" "sendkey a 1"
		monitor "$name" "sendkey b 1"
	done
	sleep 2
	send_keys "$name" z ret
	if ! wait_serial "$name" '[ab]z$' 5 ||
		! tr -d '\r' <"$LOGDIR/$name.serial" | sed -n "/$READY/,\$p" | grep -v '^keyboard: queue full' |
		sed 1d | head -1 | grep -Eq '^[ab]+z$'; then
		fail "machines/$name" "the echo after the burst is not [ab]+z" "$name"
	else
		pass "machines/$name"
	fi
	qemu_stop "$name"
}
flood_ok
wait
