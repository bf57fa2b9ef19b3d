# test/lib.sh - helpers for the whole-system tests (sourced by test/system/*.sh).
#
# Every QEMU run here: TCG unless ACCEL=kvm, no display, serial to a log
# file, -no-reboot (a triple fault ends QEMU instead of looping), the
# isa-debug-exit device, a monitor on a pair of FIFOs (no extra tools
# needed), the image opened with snapshot=on (runs can share it), and a
# hard `timeout` around the whole process.
#
#   qemu_start NAME IMAGE DRIVE-KIND [extra qemu args...]
#       DRIVE-KIND: ide | virtio | floppy | usb-xhci | usb-ehci | usb-uhci | none
#   wait_serial NAME REGEX SECONDS     wait until the serial log matches
#   wait_exit NAME SECONDS             wait for QEMU to end; sets QEMU_STATUS
#   send_keys NAME KEY...              monitor `sendkey` for each key
#   monitor NAME COMMAND               any monitor command
#   vga_text NAME                      the text screen (80x25) on stdout
#   qemu_stop NAME
#   pass NAME / fail NAME WHY [RUN]    result lines counted by test/run.sh
#
# NAME (a QEMU run) is a plain word: letters, digits, '-', '_'.
#
# Logs go to $LOGDIR/NAME.serial (kept; test/run.sh prints the path of each
# failing test's log).

: "${BUILD:=build}"
: "${LOGDIR:=$BUILD/test/logs}"
: "${ACCEL:=tcg}"
: "${QEMU:=qemu-system-x86_64}"
: "${QEMU_TIMEOUT:=60}"
mkdir -p "$LOGDIR"

declare -A QEMU_PID

qemu_drive_args() {
	local image=$1 kind=$2
	local d="format=raw,file=$image,snapshot=on"
	case $kind in
	ide)      echo "-drive $d" ;;
	virtio)   echo "-drive if=virtio,$d" ;;
	floppy)   echo "-drive if=floppy,$d -boot a" ;;
	usb-xhci) echo "-drive if=none,id=stick,$d -device qemu-xhci,id=xhci -device usb-storage,bus=xhci.0,drive=stick,bootindex=0" ;;
	usb-ehci) echo "-drive if=none,id=stick,$d -device usb-ehci,id=ehci -device usb-storage,bus=ehci.0,drive=stick,bootindex=0" ;;
	usb-uhci) echo "-drive if=none,id=stick,$d -device piix3-usb-uhci,id=uhci -device usb-storage,bus=uhci.0,drive=stick,bootindex=0" ;;
	none)     echo "" ;;
	*)        echo "qemu_drive_args: unknown drive kind '$kind'" >&2; return 1 ;;
	esac
}

qemu_start() {
	local name=$1 image=$2 kind=$3
	shift 3
	local dir=$LOGDIR/$name.d
	rm -rf "$dir" "$LOGDIR/$name.serial"
	mkdir -p "$dir"
	mkfifo "$dir/mon.in" "$dir/mon.out"
	local drive
	drive=$(qemu_drive_args "$image" "$kind") || return 1
	# shellcheck disable=SC2086
	timeout --kill-after=5 "$QEMU_TIMEOUT" "$QEMU" -accel "$ACCEL" $drive \
		-display none -nic none -no-reboot \
		-serial "file:$LOGDIR/$name.serial" \
		-chardev "pipe,id=mon0,path=$dir/mon" -mon chardev=mon0,mode=readline \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		"$@" >"$dir/qemu.out" 2>&1 &
	QEMU_PID[$name]=$!
	# Keep the monitor's output drained (QEMU blocks on a full pipe) and
	# hold its input open so each command can be written with a plain echo.
	cat "$dir/mon.out" >"$dir/monitor.log" &
	exec {fd}>"$dir/mon.in"
	eval "QEMU_MONFD_${name//[^a-zA-Z0-9_]/_}=$fd"
}

monitor() {
	local name=$1
	shift
	local var="QEMU_MONFD_${name//[^a-zA-Z0-9_]/_}"
	echo "$*" >&"${!var}"
}

wait_serial() {
	local name=$1 regex=$2 seconds=$3
	local log=$LOGDIR/$name.serial
	local deadline=$((SECONDS + seconds))
	while ((SECONDS <= deadline)); do
		if [ -f "$log" ] && tr -d '\r' <"$log" | grep -Eq -- "$regex"; then
			return 0
		fi
		if ! kill -0 "${QEMU_PID[$name]}" 2>/dev/null; then
			# QEMU ended: one last look at the complete log.
			tr -d '\r' <"$log" 2>/dev/null | grep -Eq -- "$regex"
			return
		fi
		sleep 0.1
	done
	return 1
}

wait_exit() {
	local name=$1 seconds=$2
	local deadline=$((SECONDS + seconds))
	while kill -0 "${QEMU_PID[$name]}" 2>/dev/null && ((SECONDS <= deadline)); do
		sleep 0.1
	done
	if kill -0 "${QEMU_PID[$name]}" 2>/dev/null; then
		QEMU_STATUS=timeout
		return 1
	fi
	wait "${QEMU_PID[$name]}"
	QEMU_STATUS=$?
	return 0
}

send_keys() {
	local name=$1 key
	shift
	for key in "$@"; do
		monitor "$name" "sendkey $key"
		sleep 0.1
	done
}

vga_text() {
	local name=$1
	local dump=$LOGDIR/$name.d/vga.bin
	rm -f "$dump"
	monitor "$name" "pmemsave 0xb8000 4000 \"$dump\""
	local i
	for i in $(seq 50); do
		[ -f "$dump" ] && [ "$(stat -c %s "$dump")" -eq 4000 ] && break
		sleep 0.1
	done
	"$BUILD/tools/vgatext" "$dump"
}

qemu_stop() {
	local name=$1
	local pid=${QEMU_PID[$name]}
	[ -n "$pid" ] || return 0
	monitor "$name" "quit" 2>/dev/null
	local i
	for i in $(seq 30); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	local var="QEMU_MONFD_${name//[^a-zA-Z0-9_]/_}"
	[ -n "${!var}" ] && eval "exec ${!var}>&-"
	unset "$var"
	unset "QEMU_PID[$name]"
	return 0
}

pass() {
	echo "PASS $1"
}

fail() {
	echo "FAIL $1: $2 (serial log kept: $LOGDIR/${3:-$1}.serial)"
}
