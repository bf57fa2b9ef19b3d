; pmjump.asm - real mode -> protected mode -> long mode -> kernel.
;
;   void long_mode_jump(uint32_t boot_info, uint32_t entry_lo, uint32_t entry_hi)
;
; Called with interrupts off, PICs and NMI masked, A20 on, the boot page
; tables built (pagetables.c). The labels pm_entry and lm_entry are the
; first protected-mode and first long-mode instructions: `make debug` stops
; at both.

%include "lib/layout.inc"
%include "lib/boot_info.inc"

CODE32_SEL  equ 0x08
DATA_SEL    equ 0x10
CODE64_SEL  equ 0x18

CR0_PE      equ 1 << 0
CR0_PG      equ 1 << 31
CR4_PAE     equ 1 << 5
MSR_EFER    equ 0xC0000080
EFER_LME    equ 1 << 8

section .text
bits 16
global long_mode_jump
long_mode_jump:
    cli
    mov ebx, [esp + 4]          ; boot_info (physical, below 64 KiB)
    mov esi, [esp + 8]          ; kernel entry, low half
    mov edi, [esp + 12]         ; kernel entry, high half
    ; The real-mode IVT is still the IDT (base 0, limit 0x3FF). Should an NMI
    ; or a fault arrive before the kernel loads its IDT, 64-bit gates read
    ; from IVT bytes would send the CPU into garbage; an empty IDT turns it
    ; into a clean triple fault (a reset, or QEMU exiting with -no-reboot).
    lidt [null_idt_desc]
    lgdt [gdt_desc]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    ; A far jump loads CS from the new GDT and leaves 16-bit decoding.
    jmp dword CODE32_SEL:pm_entry

bits 32
global pm_entry
pm_entry:
    mov ax, DATA_SEL
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, BOOT_STACK_TOP

    ; Long mode (Intel SDM vol. 3, 10.8.5): PAE on, CR3 = PML4, EFER.LME,
    ; then paging on, which activates long mode (EFER.LMA) in compatibility
    ; mode; a far jump to a 64-bit code segment enters 64-bit mode.
    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax
    mov eax, BOOT_PML4_PHYS
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LME
    wrmsr
    mov eax, cr0
    or eax, CR0_PG
    mov cr0, eax
    jmp CODE64_SEL:lm_entry

bits 64
global lm_entry
lm_entry:
    ; Writing a 32-bit register zero-extends it: the upper halves of every
    ; register are undefined after the switch, so each one we use is set
    ; through its 32-bit name first.
    mov ax, DATA_SEL
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, BOOT_STACK_TOP
    mov ebx, ebx
    rdtsc
    mov [rbx + boot_info.tsc_longmode], eax
    mov [rbx + boot_info.tsc_longmode + 4], edx
    mov r8d, esi
    mov r9d, edi
    shl r9, 32
    or r8, r9                   ; r8 = kernel entry (virtual, higher half)
    mov edi, ebx                ; rdi = &boot_info: kernel_main's argument
    jmp r8

section .rodata
; The CPU loads descriptors from here; 16-byte alignment keeps each in one
; cache line, which the manual recommends.
align 16
gdt:
    dq 0
    dq 0x00CF9A000000FFFF       ; 0x08: 32-bit code, base 0, 4 GiB
    dq 0x00CF92000000FFFF       ; 0x10: data, base 0, 4 GiB
    dq 0x00AF9A000000FFFF       ; 0x18: 64-bit code (L = 1, D = 0)
gdt_desc:
    dw gdt_desc - gdt - 1
    dd gdt
null_idt_desc:
    dw 0
    dd 0
