/*
 * syscall.h - the selfos system calls for C user programs (table and error
 * codes: user/README.md; numbers: user/abi.h).
 *
 * Each wrapper is one `int 0x80` with the number in rax and arguments in
 * rdi, rsi, rdx; the kernel preserves every register but rax, so only rax
 * is an output. "memory" tells the compiler the kernel reads the buffers
 * (write) and that time passes (sleep, read_key), so nothing is cached or
 * reordered across a call.
 *
 * Results: >= 0 on success; on error -UERR_* (for example -UERR_EFAULT).
 */
#ifndef SELFOS_USER_SYSCALL_H
#define SELFOS_USER_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#include "user/abi.h"

static inline long sys_call0(long nr)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory");
	return ret;
}

static inline long sys_call1(long nr, long a1)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "D"(a1) : "memory");
	return ret;
}

static inline long sys_call2(long nr, long a1, long a2)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "D"(a1), "S"(a2) : "memory");
	return ret;
}

static inline long sys_call3(long nr, long a1, long a2, long a3)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "D"(a1), "S"(a2), "d"(a3) : "memory");
	return ret;
}

/* End the program with `code` (reported as `user: exit <code>`). */
static inline __attribute__((noreturn)) void sys_exit(int code)
{
	sys_call1(SYS_EXIT, code);
	__builtin_unreachable();
}

/* Write len bytes of buf to the screen (and serial). Returns len, or
 * -UERR_EFAULT if any byte is not readable by the program (nothing is
 * written then), -UERR_EINVAL if len > USER_WRITE_MAX or buf + len wraps. */
static inline long sys_write(const void *buf, size_t len)
{
	return sys_call2(SYS_WRITE, (long)buf, (long)len);
}

/* Wait for a key and return its character (ASCII, '\n' for Enter, '\b' for
 * Backspace, 0x1B for Escape; other keys as the kernel's KEY_* codes). */
static inline long sys_read_key(void)
{
	return sys_call0(SYS_READ_KEY);
}

/* Sleep for at least ms milliseconds. Returns 0, or -UERR_EINVAL if ms >
 * USER_SLEEP_MAX_MS. Sleeping does not use the program's time budget. */
static inline long sys_sleep(uint64_t ms)
{
	return sys_call1(SYS_SLEEP, (long)ms);
}

/* Milliseconds since the kernel started its timer. */
static inline long sys_uptime(void)
{
	return sys_call0(SYS_UPTIME);
}

#endif
