/*
 * abi.h - the selfos user ABI: system call numbers, error codes, the user
 * address space and the optional layout trailer of a flat binary.
 *
 * The single definition shared by the kernel (kernel/user/) and user
 * programs (user/syscall.h); user/README.md is the prose version. Numbers
 * here are a contract with programs already written: never renumber, only
 * add at the end.
 *
 * Calling convention (int 0x80): rax = number, rdi, rsi, rdx = arguments
 * 1-3, result in rax. Every other register (general purpose, RFLAGS, SSE)
 * is preserved. Errors are negative numbers in rax.
 */
#ifndef SELFOS_USER_ABI_H
#define SELFOS_USER_ABI_H

#include "lib/layout.h"

#define SYSCALL_VECTOR    0x80

/* System calls. */
#define SYS_EXIT          0   /* exit(int code): never returns */
#define SYS_WRITE         1   /* write(const void *buf, size_t len) -> len */
#define SYS_READ_KEY      2   /* read_key() -> character (blocks until a key) */
#define SYS_SLEEP         3   /* sleep(uint64_t ms) -> 0 */
#define SYS_UPTIME        4   /* uptime() -> milliseconds since boot */
#define SYS_COUNT         5

/* Error codes, returned negated (the Linux values, so they read familiar). */
#define UERR_EFAULT       14  /* a buffer not entirely mapped and user-readable */
#define UERR_EINVAL       22  /* a length that wraps around or is too large */
#define UERR_ENOSYS       38  /* no system call with this number */

/* Limits. */
#define USER_WRITE_MAX    (1u << 20)      /* bytes per write call */
#define USER_SLEEP_MAX_MS 86400000u       /* one day per sleep call */

/*
 * Address space of a user program (lower half; the kernel half has no user
 * bit anywhere):
 *
 *   0x0000000000000000  unmapped (NULL and everything up to the program)
 *   0x0000000000400000  the program (USER_LOAD_ADDR), entry at its first byte
 *   ...                 unmapped
 *   USER_STACK_GUARD    one unmapped page: stack overflow faults here
 *   USER_STACK_BOTTOM   the stack, USER_STACK_SIZE bytes, RW, no-execute
 *   USER_STACK_TOP      initial RSP (16-byte aligned), first byte not mapped
 */
#define USER_PAGE_SIZE    0x1000ull
#define USER_STACK_TOP    0x00007FFFFFFFF000ull
#define USER_STACK_SIZE   0x10000ull                      /* 64 KiB */
#define USER_STACK_BOTTOM (USER_STACK_TOP - USER_STACK_SIZE)
#define USER_STACK_GUARD  (USER_STACK_BOTTOM - USER_PAGE_SIZE)
#define USER_SPACE_END    0x0000800000000000ull           /* first non-canonical address */
#define USER_IMAGE_MAX    (16ull << 20)                   /* program bytes in memory (with .bss) */

/*
 * Layout trailer: a flat binary carries no section information, so a
 * program that wants its code read-only and its data no-execute ends with
 * this record (user/linker.ld appends it to every C program). Offsets are
 * from USER_LOAD_ADDR:
 *
 *   [0, text_end)            code: read + execute
 *   [text_end, rodata_end)   constants: read only, no-execute
 *   [rodata_end, mem_size)   data, the trailer itself, then zeroed .bss:
 *                            read + write, no-execute
 *
 * text_end and rodata_end are page multiples, 0 < text_end <= rodata_end
 * <= file size - sizeof(trailer) <= file size <= mem_size <= USER_IMAGE_MAX.
 * A binary without the trailer (last 32 bytes not starting with the magic)
 * is mapped whole, read + write + execute: a hand-written NASM program with
 * `org 0x400000` needs nothing else. A binary with the magic but fields
 * breaking the rules above is refused, never guessed at.
 */
#define USER_TRAILER_MAGIC   "selfosLT"   /* 8 bytes, no terminator */
#define USER_TRAILER_VERSION 1u
#define USER_TRAILER_SIZE    32u

#ifndef __ASSEMBLER__
#include <stdint.h>

struct user_trailer {
	char     magic[8];      /* USER_TRAILER_MAGIC */
	uint32_t version;       /* USER_TRAILER_VERSION */
	uint32_t text_end;
	uint32_t rodata_end;
	uint32_t mem_size;
	uint32_t reserved[2];   /* zero */
};
_Static_assert(sizeof(struct user_trailer) == USER_TRAILER_SIZE, "trailer layout");
#endif

#endif
