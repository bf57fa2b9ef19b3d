#!/bin/bash
# run.sh - run every test layer and count the results.
#
#   1. host unit tests  ($BUILD/test/host/test_*, built with ASan + UBSan)
#   2. in-kernel tests  (test/system/ktest.sh boots the test kernel)
#   3. whole-system     (test/system/*.sh boot real images in QEMU)
#
# Each test prints "PASS name" or "FAIL name: why"; the last line is
# "N passed, N failed" and the exit status is non-zero on any failure.
# Usage: test/run.sh [pattern]   (only system scripts whose name matches)
set -u
cd "$(dirname "$0")/.."
: "${BUILD:=build}"
export BUILD
export LOGDIR=$BUILD/test/logs
export MKIMAGE=$BUILD/tools/mkimage
OUT=$BUILD/test/results
rm -rf "$OUT" && mkdir -p "$OUT" "$LOGDIR"
pattern=${1:-}

echo "== host tests"
for t in "$BUILD"/test/host/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" >"$OUT/host-$name.out" 2>&1
	status=$?
	grep -E '^(PASS|FAIL) ' "$OUT/host-$name.out" | sed -E 's/^(PASS|FAIL) /\1 host\//' >"$OUT/host-$name.res"
	if [ "$status" -ne 0 ] && ! grep -q '^FAIL' "$OUT/host-$name.res"; then
		echo "FAIL host/$name: exit status $status (crash or sanitizer report)" >>"$OUT/host-$name.res"
	fi
	cat "$OUT/host-$name.res"
	if grep -q '^FAIL' "$OUT/host-$name.res"; then
		grep -v '^PASS ' "$OUT/host-$name.out" | head -40 | sed 's/^/    /'
	fi
done

echo "== QEMU tests (in-kernel and whole-system)"
# Two scripts at a time (each QEMU uses one core under TCG); each script's
# output is printed whole when it ends so lines do not interleave.
scripts=$(ls test/system/*.sh | grep -- "$pattern")
printf '%s\n' $scripts | xargs -P 2 -I{} bash -c \
	'n=$(basename {} .sh); bash {} >"'"$OUT"'/sys-$n.res" 2>"'"$OUT"'/sys-$n.err"; cat "'"$OUT"'/sys-$n.res"'

passed=$(cat "$OUT"/*.res | grep -c '^PASS ')
failed=$(cat "$OUT"/*.res | grep -c '^FAIL ')
for e in "$OUT"/sys-*.err; do
	[ -s "$e" ] && { echo "-- stderr of $(basename "$e" .err):"; sed 's/^/    /' "$e" | head -20; }
done
if [ "$failed" -gt 0 ]; then
	echo "== failed:"
	cat "$OUT"/*.res | grep '^FAIL '
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
