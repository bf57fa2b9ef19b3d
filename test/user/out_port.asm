; out_port.asm - a user program that writes a port with out.
; Expected: killed at its first instruction (test/user/expected.txt).
bits 64
org 0x400000
    out 0x80, al
    ; Not reached; if it were, the program would say so by exiting 1.
    mov eax, 0
    mov edi, 1
    int 0x80
