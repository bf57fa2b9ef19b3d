; bioscall.asm - the one way stage2 calls the BIOS, and unreal mode.
;
;   void bios_call(uint8_t intno, const struct biosregs *in, struct biosregs *out)
;
; BIOSes clobber registers their documentation says they keep, leave DF set,
; change DS or ES, and (SeaBIOS, which runs its disk drivers in 32-bit
; protected mode) come back with every segment limit reset to 64 KiB. So the
; glove box: load all registers from *in, make the call, store all registers
; and flags into *out, restore our segments, clear DF, and re-arm unreal mode.
;
; Unreal mode: real mode with DS/ES/FS/GS descriptor caches holding a 4 GiB
; limit, so 32-bit addresses reach the kernel's load address above 1 MiB
; while the BIOS stays callable. It is set by loading the selectors once in
; protected mode and dropping back; real-mode segment loads change only the
; base, so the limits persist until someone (a BIOS) enters protected mode.

bits 16
section .text

struc biosregs                  ; mirrors struct biosregs in stage2/bios.h
    .edi:   resd 1
    .esi:   resd 1
    .ebp:   resd 1
    .ebx:   resd 1
    .edx:   resd 1
    .ecx:   resd 1
    .eax:   resd 1
    .ds:    resw 1
    .es:    resw 1
    .eflags: resd 1
endstruc

global bios_call, unreal_enter

bios_call:
    ; cdecl with 32-bit slots: [esp+4] intno, [esp+8] in, [esp+12] out
    pushad                      ; 32 bytes
    mov al, [esp + 32 + 4]
    mov [cs:.intno], al         ; self-modifying: `int imm8` needs a constant
    jmp .flush                  ; the CPU must not run a stale prefetched byte
.flush:
    mov esi, [esp + 32 + 8]
    push dword [esp + 32 + 12]  ; keep *out for after the call
    mov edi, [esi + biosregs.edi]
    mov ebp, [esi + biosregs.ebp]
    mov ebx, [esi + biosregs.ebx]
    mov edx, [esi + biosregs.edx]
    mov ecx, [esi + biosregs.ecx]
    mov eax, [esi + biosregs.eax]
    push word [esi + biosregs.es]
    push word [esi + biosregs.ds]
    mov esi, [esi + biosregs.esi]
    pop ds
    pop es
    sti                         ; the BIOS may wait for interrupts (floppy, timer)
    db 0xCD                     ; int imm8
.intno:
    db 0
    ; Some BIOSes and option ROMs (32-bit code in CSMs) return with bits
    ; 31:16 of ESP set. Our C code addresses the stack through all of ESP,
    ; and SS's limit is 64 KiB: clear them before the first push.
    movzx esp, sp
    cli
    ; Save the results with our own DS; the BIOS's ES/DS go into *out.
    push es
    push ds
    pushfd
    push esi
    push eax
    xor ax, ax
    mov ds, ax
    mov es, ax
    cld
    mov esi, [esp + 4 + 4 + 4 + 2 + 2]  ; *out (below esi, eax, eflags, ds, es)
    pop dword [esi + biosregs.eax]
    pop dword [esi + biosregs.esi]
    pop dword [esi + biosregs.eflags]
    pop word [esi + biosregs.ds]
    pop word [esi + biosregs.es]
    mov [esi + biosregs.edi], edi
    mov [esi + biosregs.ebp], ebp
    mov [esi + biosregs.ebx], ebx
    mov [esi + biosregs.edx], edx
    mov [esi + biosregs.ecx], ecx
    add esp, 4                  ; drop the saved *out
    call dword unreal_enter
    popad
    o32 ret

; unreal_enter: give DS/ES/FS/GS a 4 GiB limit, back in real mode with all
; segment bases 0. Interrupts stay off across the switch (an interrupt in
; protected mode would need an IDT we do not have).
unreal_enter:
    pushfd
    cli
    push eax
    push ds
    push es
    lgdt [cs:unreal_gdt_desc]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp .pm                     ; flush the prefetch queue (486 rule)
.pm:
    mov ax, UNREAL_DATA_SEL
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov eax, cr0
    and al, 0xFE
    mov cr0, eax
    jmp .rm
.rm:
    xor ax, ax
    mov fs, ax
    mov gs, ax
    pop es
    pop ds
    pop eax
    popfd
    o32 ret

section .rodata
align 16
unreal_gdt:
    dq 0
    ; 0x08: data, base 0, limit 4 GiB (G=1, limit 0xFFFFF), writable, present
    dq 0x00CF92000000FFFF
UNREAL_DATA_SEL equ 0x08
unreal_gdt_desc:
    dw unreal_gdt_desc - unreal_gdt - 1
    dd unreal_gdt
