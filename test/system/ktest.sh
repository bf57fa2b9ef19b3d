#!/bin/bash
# ktest.sh - boot the test kernel; it runs every in-kernel case, prints
# PASS/FAIL ktest/<name> per case on serial and exits QEMU with the verdict.
source "$(dirname "$0")/../lib.sh"

QEMU_TIMEOUT=240
qemu_start ktest "$BUILD/test/ktest.img" ide -m 128
wait_exit ktest 230
tr -d '\r' <"$LOGDIR/ktest.serial" | grep -E '^(PASS|FAIL) ktest/' || true
case $QEMU_STATUS in
33) pass "ktest/exit-status" ;;
35) fail "ktest/exit-status" "the test kernel reported failures (QEMU status 35)" ktest ;;
*)  fail "ktest/exit-status" "the test kernel did not finish: QEMU status $QEMU_STATUS (crash, hang or triple fault)" ktest ;;
esac
