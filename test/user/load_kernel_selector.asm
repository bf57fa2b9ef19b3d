; load_kernel_selector.asm - a user program that loads the kernel's data
; selector (GDT_KERNEL_DS 0x10) into DS: DPL 0 < CPL 3, so #GP.
bits 64
org 0x400000
    mov ax, 0x10
    mov ds, ax                  ; 0x400004
    mov eax, 0
    mov edi, 1
    int 0x80
