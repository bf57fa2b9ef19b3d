; int14.asm - a user program that raises vector 14 by software: the gate has DPL 0, so this is a #GP, not a fake page fault.
; Expected: killed at its first instruction (test/user/expected.txt).
bits 64
org 0x400000
    int 14
    ; Not reached; if it were, the program would say so by exiting 1.
    mov eax, 0
    mov edi, 1
    int 0x80
