; syscall_bad_rsp.asm - system calls (immediate and blocking) with RSP at 0,
; in the stack guard page, misaligned, non-canonical and in the kernel half,
; then a spin with a non-canonical RSP so timer interrupts arrive from ring
; 3: the CPU switches to TSS.RSP0 and the kernel never touches the user
; RSP, which comes back unchanged. Exits 0.
%include "user/abi.inc"
bits 64
org 0x400000
%macro try 1
    mov rsp, %1
    mov eax, SYS_UPTIME
    int SYSCALL_VECTOR
    mov eax, SYS_SLEEP
    mov edi, 2
    int SYSCALL_VECTOR
    mov eax, SYS_WRITE
    lea rdi, [rel msg]
    mov esi, msg_len
    int SYSCALL_VECTOR
    cmp rax, msg_len
    jne bad
    mov rbx, rsp
    mov rcx, %1
    cmp rbx, rcx
    jne bad
%endmacro
    try 0
    try 0x7FFFFFFEE800
    try 0x7FFFFFFEF003
    try 0x8000000000000000
    try 0xFFFFFFFF80100000
    try 0x7FFFFFFFF000
    ; spin a while with a non-canonical RSP so timer IRQs arrive in ring 3
    mov rsp, 0x8000000000000008
    mov ecx, 200000000
spin: dec ecx
    jnz spin
    mov eax, SYS_EXIT
    xor edi, edi
    int SYSCALL_VECTOR
bad:
    mov eax, SYS_EXIT
    mov edi, 1
    int SYSCALL_VECTOR
msg: db "rsp ok", 10
msg_len equ $ - msg
