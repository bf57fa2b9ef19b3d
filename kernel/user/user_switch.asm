; user_switch.asm - entering ring 3 from a task's poll, and coming back.
;
; The executor calls the user task's poll on its own stack. user_enter saves
; the poll's callee-saved registers (SysV: rbx, rbp, r12-r15) and RFLAGS on
; that stack, remembers the stack pointer, then loads every register of the
; program's saved trap frame and iretq's to ring 3. From there the program
; only comes back through the IDT (int 0x80, an exception, an IRQ), on the
; TSS RSP0 stack. When a handler decides the program stops running (it
; blocks, yields, exits or is killed), user_leave drops whatever is on that
; stack and returns from user_enter on the executor's stack, as if user_enter
; had been an ordinary call. The next trap from ring 3 starts again at the
; top of RSP0, so nothing on the abandoned stack is ever needed.
;
; The frame layout is struct trap_frame (kernel/arch/idt.h): r15 first, then
; r14 ... r8, rbp, rdi, rsi, rdx, rcx, rbx, rax, vector, error_code, and the
; iretq frame rip, cs, rflags, rsp, ss.

bits 64
default rel

section .text

extern trap_return
global user_enter, user_leave, user_fpu_reset

; void user_enter(struct user_kctx *ctx /* rdi */, const struct trap_frame *frame /* rsi */)
user_enter:
    pushfq
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    ; No interrupt until iretq loads the program's RFLAGS (IF=1): an IRQ
    ; here would run on the frame we are popping from.
    cli
    mov rsp, rsi
    jmp trap_return             ; kernel/arch/isr.asm: pop the frame, iretq

; noreturn void user_leave(struct user_kctx *ctx /* rdi */)
user_leave:
    cli
    mov rsp, [rdi]
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    popfq                       ; the poll's IF comes back with it
    ret

; void user_fpu_reset(void): the x87/SSE state a new program starts with
; (Intel SDM vol. 1, 11.6.4 "Initialization of SSE/SSE2 Extensions"). The
; kernel is built with -mgeneral-regs-only, so these registers hold nothing
; of the kernel's; clearing them keeps one program's values from the next.
user_fpu_reset:
    fninit
    ldmxcsr [mxcsr_default]
    pxor xmm0, xmm0
    pxor xmm1, xmm1
    pxor xmm2, xmm2
    pxor xmm3, xmm3
    pxor xmm4, xmm4
    pxor xmm5, xmm5
    pxor xmm6, xmm6
    pxor xmm7, xmm7
    pxor xmm8, xmm8
    pxor xmm9, xmm9
    pxor xmm10, xmm10
    pxor xmm11, xmm11
    pxor xmm12, xmm12
    pxor xmm13, xmm13
    pxor xmm14, xmm14
    pxor xmm15, xmm15
    ret

section .rodata
align 4
mxcsr_default:
    dd 0x1F80                   ; all SSE exceptions masked, round to nearest
