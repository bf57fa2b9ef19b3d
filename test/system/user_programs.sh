#!/bin/bash
# user_programs.sh - the user program ABI, whole system: the default image's
# greeting, then every program of the misbehaving suite (test/user/), each
# booted in its own image. For each: the report line of
# test/user/expected.txt on serial, then the console's ready line, then a
# key sent through the QEMU monitor must come back on serial (the kernel
# survived and went on to the keyboard echo).
source "$(dirname "$0")/../lib.sh"

QEMU_TIMEOUT=90
EXPECTED=test/user/expected.txt
READY='selfos is ready: type on the keyboard'

# Text of the serial log after the ready line (where the echo goes).
after_ready() {
	tr -d '\r' <"$LOGDIR/$1.serial" | awk -v r="$READY" '
		found { print; next }
		(i = index($0, r)) { found = 1; print substr($0, i + length(r)) }'
}

# check_echo RUN: `sendkey a` must add an "a" after the ready line.
check_echo() {
	local run=$1 before after i
	before=$(after_ready "$run" | tr -cd 'a' | wc -c)
	send_keys "$run" a
	for i in $(seq 50); do
		after=$(after_ready "$run" | tr -cd 'a' | wc -c)
		((after > before)) && return 0
		sleep 0.1
	done
	return 1
}

# run_program NAME REGEX
run_program() {
	local name=$1 regex=$2 run=user-$1
	local img=$BUILD/test/user/$name.img
	if [ ! -f "$img" ]; then
		fail "user/$name" "no image $img (make $img)" "$run"
		return
	fi
	qemu_start "$run" "$img" ide
	# Programs that read the keyboard get their keys once they ask.
	if [ "$name" = read_keys ]; then
		if wait_serial "$run" 'read_keys: type h i Enter' 40; then
			send_keys "$run" h i ret
		fi
	fi
	if ! wait_serial "$run" "^$regex\$" 40; then
		local got
		got=$(tr -d '\r' <"$LOGDIR/$run.serial" 2>/dev/null | grep -E '^user: (exit|killed|refused)' | head -1)
		fail "user/$name" "no line matching '$regex' (got: ${got:-no report line})" "$run"
	elif tr -d '\r' <"$LOGDIR/$run.serial" | grep -qE 'PANIC|EXCEPTION'; then
		fail "user/$name" "the kernel reported an exception or panicked" "$run"
	elif ! wait_serial "$run" "$READY" 10; then
		fail "user/$name" "no ready line after the report" "$run"
	elif ! check_echo "$run"; then
		fail "user/$name" "the key sent after the report was not echoed" "$run"
	else
		pass "user/$name"
	fi
	qemu_stop "$run"
}

# The default image: greeting on serial and on screen, exit 0.
qemu_start user-default "$BUILD/disk.img" ide
if ! wait_serial user-default '^Hello from ring 3!$' 40; then
	fail "user/default-greeting-serial" "no greeting on serial" user-default
elif ! wait_serial user-default '^user: exit 0$' 10; then
	fail "user/default-greeting-serial" "no 'user: exit 0' report" user-default
else
	pass "user/default-greeting-serial"
	# The monitor's pmemsave of the screen is retried once: under load
	# the dump can take longer than vga_text waits.
	if vga_text user-default | grep -q 'Hello from ring 3!' ||
		vga_text user-default | grep -q 'Hello from ring 3!'; then
		pass "user/default-greeting-screen"
	else
		fail "user/default-greeting-screen" "the greeting is not on the text screen" user-default
	fi
fi
qemu_stop user-default

# The suite, two QEMUs at a time (each is single-threaded under TCG).
n=0
while read -r name regex; do
	case $name in '' | '#'*) continue ;; esac
	run_program "$name" "$regex" &
	n=$((n + 1))
	((n % 2 == 0)) && wait
done <"$EXPECTED"
wait

# Every program in test/user/ must have an expected line.
for src in test/user/*.c test/user/*.asm; do
	name=$(basename "${src%.*}")
	grep -qE "^$name[[:space:]]" "$EXPECTED" || fail "user/$name" "no line in $EXPECTED" "user-$name"
done
