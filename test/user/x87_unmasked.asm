; x87_unmasked.asm - a user program that unmasks the x87 zero-divide
; exception and divides by zero: the next waiting x87 instruction raises
; #MF (CR0.NE is set), which ends the program. With CR0.NE clear the error
; went to the PC's legacy FERR#/IRQ 13 path instead, which QEMU 7.2 (TCG)
; answered by aborting the whole emulator.
%include "user/abi.inc"
bits 64
org 0x400000
    fninit
    fldcw [rel cw]
    fld1
    fldz
    fdivp                       ; the error is recorded here...
    fwait                       ; ...and raised here (0x40000e)
    mov eax, SYS_EXIT
    mov edi, 1
    int SYSCALL_VECTOR
cw: dw 0x037B                   ; default 0x037F with ZM (bit 2) clear
