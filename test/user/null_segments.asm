; null_segments.asm - a user program that loads null selectors into DS, ES,
; FS and GS, then user data selectors, around system calls of both kinds:
; the kernel does not depend on them, and gives them back. Exits 0.
%include "user/abi.inc"
bits 64
org 0x400000
    xor eax, eax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov eax, SYS_WRITE
    lea rdi, [rel msg]
    mov esi, msg_len
    int SYSCALL_VECTOR
    mov eax, 0x1b
    mov fs, ax
    mov gs, ax
    mov ds, ax
    mov eax, SYS_SLEEP
    mov edi, 5
    int SYSCALL_VECTOR
    mov ax, ds
    cmp ax, 0x1b
    jne bad
    mov ax, fs
    cmp ax, 0x1b
    jne bad
    mov eax, SYS_EXIT
    xor edi, edi
    int SYSCALL_VECTOR
bad:
    mov eax, SYS_EXIT
    mov edi, 1
    int SYSCALL_VECTOR
msg: db "segs: null selectors", 10
msg_len equ $ - msg
