; entry.asm - the kernel's first instructions.
;
; State on entry (stage2/README.md, "state on exit"):
;   64-bit long mode, CPL 0, interrupts off, PIC fully masked, NMI off
;   paging on with stage2's boot tables: identity map, direct map
;   (DIRECT_MAP_BASE) and the kernel window (KERNEL_VMA_BASE), each over the
;   first 1 GiB with 2 MiB pages
;   RDI = physical address of struct boot_info (lib/boot_info.h)
;   RSP = somewhere in stage2's real-mode stack: not ours, not trusted
;
; We set our own stack, clear .bss (stage2 copies only the file bytes) and
; call kernel_main(boot_info_phys), which never returns.

%include "lib/boot_info.inc"

bits 64
default rel

section .text.entry
global kernel_entry
extern kernel_main
extern __bss_start, __bss_end

kernel_entry:
    cli
    cld
    lea rsp, [boot_stack_top]
    xor ebp, ebp                ; end of the frame-pointer chain for backtraces

    ; The boot stack lives in .bss, so it is cleared along with the rest;
    ; rep stosb does not use the stack.
    mov r12, rdi
    lea rdi, [__bss_start]
    lea rcx, [__bss_end]
    sub rcx, rdi
    xor eax, eax
    rep stosb

    ; A hand-off from anything but our stage2 is refused in kernel_main
    ; with a message; here it is only passed on.
    mov rdi, r12
    call kernel_main
.halt:
    cli
    hlt
    jmp .halt

section .bss
align 4096
; The page below the boot stack is left unmapped by vmm_init, so running off
; the end of the stack faults (and becomes a double fault on its own IST
; stack) instead of silently overwriting whatever lies below.
global boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
    resb 4096
boot_stack_bottom:
    resb 16384
boot_stack_top:

section .guardpages
    dq boot_stack_guard
