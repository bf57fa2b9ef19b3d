; busy_syscalls.asm - a user program that loops forever making system calls
; (uptime): its time in the kernel counts against the budget too, so it is
; ended at a system call entry after USER_TIME_BUDGET_MS.
%include "user/abi.inc"
bits 64
org 0x400000
again:
    mov eax, SYS_UPTIME
    int SYSCALL_VECTOR
    jmp again
