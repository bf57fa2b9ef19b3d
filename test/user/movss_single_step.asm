; movss_single_step.asm - the CVE-2018-8897 shape with the trap flag: TF set,
; then MOV SS and int 0x80 at once. MOV SS holds debug traps for one
; instruction; some CPUs then deliver the #DB at the first instruction of the
; kernel's int 0x80 stub, in ring 0 (the kernel resumes: it never sets TF
; itself). Either way the system call returns with TF still set and the
; program is ended by the #DB after the next instruction (0x400022).
%include "user/abi.inc"
bits 64
org 0x400000
    mov [rel ss_val], ss
    pushfq
    or qword [rsp], 0x100
    mov eax, SYS_UPTIME
    popfq
    mov ss, [rel ss_val]
    int SYSCALL_VECTOR
    mov eax, SYS_EXIT
    mov edi, 99
    int SYSCALL_VECTOR
ss_val: dw 0
