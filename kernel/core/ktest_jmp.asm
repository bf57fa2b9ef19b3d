; ktest_jmp.asm - setjmp/longjmp for the test runner (kernel/core/ktest.c).
;
; The buffer holds what the System V ABI says survives a call: rbx, rbp,
; r12-r15, the stack pointer after return and the return address. Layout
; (struct ktest_jmp in ktest.c): 0 rbx, 8 rbp, 16 r12, 24 r13, 32 r14,
; 40 r15, 48 rsp, 56 rip. The runner's exception fixup resumes a case the
; same way from a trap frame, with RAX = 2.

bits 64
default rel

%ifdef KERNEL_TEST
section .text
global ktest_setjmp, ktest_longjmp

; int ktest_setjmp(struct ktest_jmp *buf): 0 now, the longjmp value later.
ktest_setjmp:
    mov [rdi], rbx
    mov [rdi + 8], rbp
    mov [rdi + 16], r12
    mov [rdi + 24], r13
    mov [rdi + 32], r14
    mov [rdi + 40], r15
    lea rdx, [rsp + 8]          ; the caller's RSP once we have returned
    mov [rdi + 48], rdx
    mov rdx, [rsp]              ; our return address
    mov [rdi + 56], rdx
    xor eax, eax
    ret

; noreturn void ktest_longjmp(struct ktest_jmp *buf, int value): value != 0.
ktest_longjmp:
    mov eax, esi
    mov rbx, [rdi]
    mov rbp, [rdi + 8]
    mov r12, [rdi + 16]
    mov r13, [rdi + 24]
    mov r14, [rdi + 32]
    mov r15, [rdi + 40]
    mov rsp, [rdi + 48]
    jmp [rdi + 56]
%endif
