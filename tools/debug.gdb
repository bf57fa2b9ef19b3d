# debug.gdb - `make debug` loads this after connecting to QEMU's gdb stub.
#
# Symbols of every stage (the ELF files kept beside the flat binaries) and a
# breakpoint at each stage's first instruction. QEMU under TCG implements
# breakpoints itself, so they work before the code is even loaded.
# What to look at at each stop is in the stage's README ("In gdb").
set pagination off
add-symbol-file build/stage2/stage2.elf
add-symbol-file build/kernel/kernel.elf
add-symbol-file build/user/hello.elf

# 1. The MBR's first instruction (16-bit real mode; gdb shows 64-bit
#    disassembly here, so read bytes: x/16xb $pc).
break *0x7c00
# 2. stage2's entry (still real mode).
break stage2_entry
# 3. The first protected-mode instruction: info registers cr0 (PE=1, PG=0).
break pm_entry
# 4. The first long-mode instruction: info registers efer (LMA), p/x $cr3.
break lm_entry
# 5. The kernel's C entry.
break kernel_main
# 6. The user program's first instruction (ring 3: p $cs & 3 == 3).
break *0x400000
continue
