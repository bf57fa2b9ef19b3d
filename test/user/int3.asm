; int3.asm - a user program that executes int3 (0xCC): the #BP gate has
; DPL 0, so ring 3 gets #GP at the instruction. (The kernel's own #BP path
; reports and resumes; it must never be reachable from ring 3.)
bits 64
org 0x400000
    int3
    mov eax, 0
    mov edi, 1
    int 0x80
