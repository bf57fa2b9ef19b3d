; partial_line_report.asm - a user program that writes a partial line (no
; '\n') and then faults: the report must still be a line of its own, not
; "no newline hereuser: killed: ..." (the kernel starts a new line first).
%include "user/abi.inc"
bits 64
org 0x400000
    mov eax, SYS_WRITE
    lea rdi, [rel msg]
    mov esi, msg_len
    int SYSCALL_VECTOR
    ud2                         ; 0x400013
msg: db "no newline here"
msg_len equ $ - msg
