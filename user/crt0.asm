; crt0.asm - the start routine of every C user program.
;
; user/linker.ld puts .text.start first, so _start is the program's first
; byte: the entry point the kernel jumps to (user/abi.h). State at entry:
; ring 3, RSP = USER_STACK_TOP (16-byte aligned), every other general
; register zero, IF set, x87/SSE in their reset state.
;
; The SysV ABI wants RSP + 8 to be 16-byte aligned inside a function, which
; the call below gives us; main's return value becomes the exit code.

%include "user/abi.inc"

bits 64
default rel

section .text.start progbits alloc exec nowrite align=16
global _start
extern main

_start:
    xor ebp, ebp                ; end of the frame-pointer chain for gdb
    and rsp, -16
    call main
    mov edi, eax                ; exit(main's return value)
    mov eax, SYS_EXIT
    int SYSCALL_VECTOR
    ud2                         ; exit does not return

section .note.GNU-stack noalloc noexec nowrite progbits
