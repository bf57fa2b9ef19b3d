; floor.asm - the benchmark's floor: the least a BIOS boot can do. A 512-byte
; boot sector that prints one line on COM1 and leaves QEMU through
; isa-debug-exit. `make bench` compares selfos's time to its kernel banner
; with this sector's time to its line: the rest is firmware we cannot speed up.
bits 16
org 0x7C00
    cli
    xor ax, ax
    mov ds, ax
    mov si, line
.next:
    lodsb
    test al, al
    jz .done
    mov dx, 0x3F8
    out dx, al
    jmp .next
.done:
    mov dx, 0xF4
    mov ax, 0x10
    out dx, ax
    hlt
line: db "floor: boot sector reached", 13, 10, 0
    times 510 - ($ - $$) db 0
    dw 0xAA55
