; endless_loop.asm - a user program that never makes a system call again:
; the kernel must keep serving the timer and keyboard and end it after its
; time budget (USER_TIME_BUDGET_MS).
bits 64
org 0x400000
spin:
    jmp spin
