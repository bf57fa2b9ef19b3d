; hello.asm - a user program written by hand in NASM (user/README.md).
;
; Built with `nasm -f bin`: no linker, no crt0, no layout trailer, so the
; kernel maps the whole file read + write + execute at 0x400000 and starts
; at its first byte.
;
;   make build/user/examples/hello.bin
;   make USER_BIN=build/user/examples/hello.bin run

%include "user/abi.inc"

bits 64
org 0x400000

start:
    mov eax, SYS_WRITE
    lea rdi, [rel message]
    mov esi, message_len
    int SYSCALL_VECTOR
    ; write returns the length it wrote; exit 0 if it is ours, 1 if not.
    xor edi, edi
    cmp rax, message_len
    setne dil
    mov eax, SYS_EXIT
    int SYSCALL_VECTOR

message:
    db "Hello from hand-written NASM in ring 3!", 10
message_len equ $ - message
