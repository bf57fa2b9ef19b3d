; isr.asm - the entry stubs for all 256 IDT vectors and the common path.
;
; On an interrupt in 64-bit mode the CPU aligns RSP to 16 bytes (or
; switches to the TSS's RSP0 or IST stack) and pushes SS, RSP, RFLAGS, CS,
; RIP and, for some exceptions, an error code (Intel SDM vol. 3, 6.14.2).
; Each stub makes the frame uniform by pushing a dummy error code where the
; CPU pushes none, then the vector number, and jumps to isr_common, which
; saves the general registers in the order of struct trap_frame
; (kernel/arch/idt.h), calls trap_dispatch(frame) and returns with iretq,
; loading whatever the handler left in the frame.

bits 64
default rel

section .text
extern trap_dispatch
global isr_stub_table, trap_return

; Exceptions that push an error code: #DF(8), #TS(10), #NP(11), #SS(12),
; #GP(13), #PF(14), #AC(17), #CP(21), #VC(29), #SX(30).
%macro ISR_STUB 1
isr_stub_%1:
%if %1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
%else
    push qword 0                ; dummy error code
%endif
    push qword %1               ; vector (imm32, sign-extension safe up to 255)
    jmp isr_common
%endmacro

%assign vec 0
%rep 256
ISR_STUB vec
%assign vec vec + 1
%endrep

isr_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    cld                         ; the C ABI requires DF = 0 on calls
    mov rdi, rsp                ; struct trap_frame *
    ; The frame is 22 quadwords on a 16-byte aligned start, so RSP is
    ; aligned already; the `and` keeps that true should the frame change.
    ; rbx is callee-saved, so it survives the call.
    mov rbx, rsp
    and rsp, -16
    call trap_dispatch
    mov rsp, rbx
; trap_return: RSP points at a struct trap_frame; restore every register it
; holds and iretq to it. The one place that knows the frame's pop order;
; user_enter (kernel/user/user_switch.asm) jumps here to start a program.
trap_return:
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                 ; vector and error code
    iretq

section .rodata
align 8
; Entry point of each vector's stub, for idt.c.
isr_stub_table:
%assign vec 0
%rep 256
    dq isr_stub_ %+ vec
%assign vec vec + 1
%endrep
