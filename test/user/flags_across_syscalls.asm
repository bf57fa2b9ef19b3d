; flags_across_syscalls.asm - a user program that sets DF, AC, NT and tries
; IOPL 3, then makes a system call that returns at once (write) and one that
; blocks (sleep): the kernel must write forwards (DF is for the program
; only), and give RFLAGS back unchanged (IOPL stays 0). Exits 0; 1 if a call
; failed, else the flags it got back.
%include "user/abi.inc"
bits 64
org 0x400000
    pushfq
    or qword [rsp], (1<<10) | (1<<18) | (1<<14) | 0x3000
    popfq
    mov rax, [rel msg + 1]          ; unaligned with AC=1
    mov eax, SYS_WRITE
    lea rdi, [rel msg]
    mov esi, msg_len
    int SYSCALL_VECTOR
    cmp rax, msg_len
    jne bad
    mov eax, SYS_SLEEP
    mov edi, 5
    int SYSCALL_VECTOR
    test rax, rax
    jne bad
    pushfq
    pop rbx
    and rbx, (1<<10) | (1<<18) | (1<<14) | 0x3000
    cmp rbx, (1<<10) | (1<<18) | (1<<14)
    jne bad2
    cld
    mov eax, SYS_EXIT
    xor edi, edi
    int SYSCALL_VECTOR
bad:
    mov eax, SYS_EXIT
    mov edi, 1
    int SYSCALL_VECTOR
bad2:
    mov eax, SYS_EXIT
    mov edi, ebx
    int SYSCALL_VECTOR
msg: db "flags: DF AC NT set, written forwards", 10
msg_len equ $ - msg
