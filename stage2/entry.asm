; entry.asm - stage2's first instructions, and its C runtime setup.
;
; State on entry (from the MBR, bootloader/README.md):
;   real mode, CS:IP = 0000:8000, DS = ES = SS = 0, SP = 0x7C00, IF = 1
;   DL = BIOS boot drive, EDI:ESI = TSC low/high read at the MBR's `load`
;   (ESI = high)
;   0x7E00 = the image header sector; stage2 itself at 0x8000
;
; The rest of stage2 is C compiled with gcc -m16: 32-bit code with operand
; and address size prefixes, so it runs in real mode but pushes 32-bit return
; addresses. Calls between NASM and C therefore use `call dword` (66 E8 rel32;
; NASM's `o32 call` keeps a 16-bit displacement) and `o32 ret`,
; and 32-bit stack slots (cdecl).

%include "lib/layout.inc"

bits 16
section .text.entry
global stage2_entry
extern stage2_main
extern __bss_start, __bss_end

stage2_entry:
    ; The MBR checks these 6 bytes before jumping here: a 2-byte jmp short
    ; over the magic, then STAGE2_MAGIC (lib/layout.h).
    jmp short .start
    dd STAGE2_MAGIC
.start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, BOOT_STACK_TOP     ; full ESP: -m16 code addresses the stack with ESP
    cld

    ; The MBR read whole sectors: whatever followed stage2 on the disk is in
    ; our .bss now. C expects .bss zeroed.
    push edi
    mov edi, __bss_start
    mov ecx, __bss_end
    sub ecx, edi
    xor al, al
    a32 rep stosb
    pop edi

    ; stage2_main(drive, tsc_mbr_lo, tsc_mbr_hi) - cdecl, pushed right to left.
    movzx edx, dl
    push esi
    push edi
    push edx
    call dword stage2_main
    ; stage2_main never returns; if it did, stop here rather than run off.
.halt:
    cli
    hlt
    jmp .halt
