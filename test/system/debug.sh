#!/bin/bash
# debug.sh - the stops of `make debug`, checked in order with gdb in batch
# mode: the machine state at each proves the walkthrough's claims, and a
# moved label breaks this test.
#   0x7c00         CR0.PE clear (real mode)
#   stage2_entry   CR0.PE clear, CS = 0
#   pm_entry       CR0.PE set, CR0.PG clear (protected mode, no paging)
#   lm_entry       EFER.LMA set (long mode)
#   kernel_main    EFER.LMA set, CPL 0
#   0x400000       CPL 3 (CS & 3 == 3): the user program's first instruction
source "$(dirname "$0")/../lib.sh"

port=$((20000 + RANDOM % 20000))
log=$LOGDIR/gdb-stops.log
timeout 120 "$QEMU" -accel tcg -drive "format=raw,file=$BUILD/disk.img,snapshot=on" -nic none -no-reboot \
	-display none -serial "file:$LOGDIR/gdb-stops.serial" -gdb "tcp::$port" -S 2>"$LOGDIR/gdb-stops.qemu.err" &
qpid=$!
sleep 0.5
cat >"$LOGDIR/gdb-stops.gdb" <<GDB
set pagination off
set confirm off
target remote :$port
add-symbol-file $BUILD/stage2/stage2.elf
add-symbol-file $BUILD/kernel/kernel.elf
define regs
  printf " pc=0x%lx cr0=0x%lx efer=0x%lx cs=0x%lx\n", \$pc, \$cr0, \$efer, \$cs
end
hbreak *0x7c00
continue
echo STOP mbr
regs
delete
hbreak stage2_entry
continue
echo STOP stage2
regs
delete
hbreak pm_entry
continue
echo STOP pm
regs
delete
hbreak lm_entry
continue
echo STOP lm
regs
delete
hbreak kernel_main
continue
echo STOP kernel_main
regs
delete
hbreak *0x400000
continue
echo STOP user
regs
delete
kill
GDB
timeout 100 gdb -batch -nx -x "$LOGDIR/gdb-stops.gdb" >"$log" 2>&1
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null

# check NAME STOP CONDITION(awk on cr0 efer cs as numbers) WHY
check() {
	local name=$1 stop=$2 cond=$3 why=$4
	local line
	line=$(grep "^STOP $stop " "$log" | head -1)
	if [ -z "$line" ]; then
		fail "gdb/$name" "gdb never stopped at $stop (see $log)" gdb-stops
		return
	fi
	if eval "$cond"; then
		pass "gdb/$name"
	else
		fail "gdb/$name" "$why: $line" gdb-stops
	fi
}
val() { sed -E "s/.* $1=(0x[0-9a-f]+).*/\1/" <<<"$line"; }   # a field of check's $line
check mbr-real-mode mbr '[ $(( $(val cr0) & 1 )) -eq 0 ]' "CR0.PE should be clear at 0x7c00"
check stage2-real-mode stage2 '[ $(( $(val cr0) & 1 )) -eq 0 ] && [ $(( $(val pc) )) -eq $((0x8000)) ]' "stage2 should start at 0x8000 in real mode"
check protected-mode pm '[ $(( $(val cr0) & 1 )) -eq 1 ] && [ $(( $(val cr0) & 0x80000000 )) -eq 0 ]' "CR0.PE set and CR0.PG clear expected"
check long-mode lm '[ $(( $(val efer) & 0x400 )) -ne 0 ]' "EFER.LMA should be set"
check kernel-main kernel_main '[ $(( $(val efer) & 0x400 )) -ne 0 ] && [ $(( $(val cs) & 3 )) -eq 0 ]' "kernel_main in long mode, ring 0"
check user-cpl3 user '[ $(( $(val cs) & 3 )) -eq 3 ]' "the user entry should run with CPL 3"
