; hlt.asm - a user program that executes hlt.
; Expected: killed at its first instruction (test/user/expected.txt).
bits 64
org 0x400000
    hlt
    ; Not reached; if it were, the program would say so by exiting 1.
    mov eax, 0
    mov edi, 1
    int 0x80
