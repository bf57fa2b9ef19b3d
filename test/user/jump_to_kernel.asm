; jump_to_kernel.asm - a user program that jumps into kernel code (the
; kernel's first byte, KERNEL_VMA_BASE + 1 MiB): mapped, but supervisor-only.
bits 64
org 0x400000
    mov rax, 0xFFFFFFFF80100000
    jmp rax
