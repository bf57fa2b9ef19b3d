#!/bin/bash
# boot.sh - boot-time benchmark (make bench).
#
# Time from starting QEMU (TCG) to a line on serial, median of $RUNS runs,
# measured side by side in one loop so the shared machine's load hits both:
#   floor   a 512-byte boot sector that prints one line (test/bench/floor.asm)
#   selfos  the real image, up to the kernel banner
#   -m 64 / -m 4G   the real image with little and much memory
set -u
: "${BUILD:=build}" "${QEMU:=qemu-system-x86_64}" "${ACCEL:=tcg}" "${RUNS:=9}"
BANNER='selfos kernel: long mode, kernel_main reached'

# time_to_line IMAGE REGEX [qemu args]: milliseconds until REGEX appears on serial.
time_to_line() {
	local image=$1 regex=$2
	shift 2
	local dir start end qpid
	dir=$(mktemp -d)
	mkfifo "$dir/serial"
	start=$(date +%s%N)
	timeout 60 "$QEMU" -accel "$ACCEL" -drive "format=raw,file=$image,snapshot=on" \
		-display none -nic none -no-reboot -serial stdio -monitor none \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" >"$dir/serial" 2>/dev/null &
	qpid=$!
	# grep reads the serial stream as it comes and stops at the first match.
	grep -a -m1 -q -- "$regex" <"$dir/serial"
	end=$(date +%s%N)
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	rm -rf "$dir"
	echo $(((end - start) / 1000000))
}

median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

floor=() selfos=() m64=() m4g=()
time_to_line "$BUILD/bench/floor.bin" 'floor:' >/dev/null     # warm the caches once
time_to_line "$BUILD/disk.img" "$BANNER" >/dev/null
for _ in $(seq "$RUNS"); do
	floor+=("$(time_to_line "$BUILD/bench/floor.bin" 'floor:')")
	selfos+=("$(time_to_line "$BUILD/disk.img" "$BANNER")")
	m64+=("$(time_to_line "$BUILD/disk.img" "$BANNER" -m 64)")
	m4g+=("$(time_to_line "$BUILD/disk.img" "$BANNER" -m 4G)")
done
f=$(median "${floor[@]}") s=$(median "${selfos[@]}")
a=$(median "${m64[@]}") b=$(median "${m4g[@]}")
echo "boot: floor (512-byte sector) ${f} ms, selfos to kernel banner ${s} ms, ratio $(awk "BEGIN { printf \"%.2f\", $s / $f }") (target <= 1.20; median of $RUNS, TCG)"
echo "boot: selfos -m 64 ${a} ms, -m 4G ${b} ms, 4G/64M $(awk "BEGIN { printf \"%.2f\", $b / $a }") (target within 10%)"
echo "      raw floor: ${floor[*]}"
echo "      raw selfos: ${selfos[*]}"
