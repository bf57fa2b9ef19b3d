/*
 * user.h - the user program: a flat binary run in ring 3 as an executor
 * task (user.c's opening comment has the design, user/README.md the ABI).
 *
 * The task's poll function enters ring 3 and gets control back when the
 * program blocks (read_key, sleep, end of its time slice: POLL_PENDING) or
 * ends (exit, an exception, the time budget: one report line on the
 * console, the address space freed, POLL_READY with the result below).
 *
 * One CPU, one ring-0 stack for traps from ring 3 and no FPU/SSE state
 * switching: several programs may exist, but only the one inside its poll
 * runs, and SSE registers are only ever used by user code.
 */
#ifndef SELFOS_KERNEL_USER_USER_H
#define SELFOS_KERNEL_USER_USER_H

#include <stddef.h>
#include <stdint.h>

#include "lib/boot_info.h"

struct task;

/* CPU time (ring 3 plus the system calls it makes, never time spent blocked)
 * a program may use before it is killed. */
#define USER_TIME_BUDGET_MS 5000u
/* Ring-3 time after which a running program lets the other tasks run. */
#define USER_SLICE_MS       20u

/*
 * Task results (task_set_result) besides the exit code, which is a 32-bit
 * int: kills are below INT32_MIN so they cannot be confused with one.
 * USER_RESULT_EXCEPTION + vector for an exception (0..31).
 */
#define USER_RESULT_EXCEPTION  (-0x100000000ll - 32)  /* + vector */
#define USER_RESULT_BUDGET     (-0x100000000ll - 64)  /* time budget exceeded */
#define USER_RESULT_REFUSED    (-0x100000000ll - 65)  /* binary refused (layout, memory) */

/* Spawn the program stage2 loaded after the kernel (bi->user) as the task
 * "user". NULL if the image has none. The binary is copied into fresh frames,
 * so the loaded copy is not used again. */
struct task *user_spawn(const struct boot_info *bi);

/* Spawn any flat binary (copied before returning) as task `name`. A binary
 * the loader refuses (bad trailer, too large, out of memory) still gives a
 * task: it reports `user: refused: <why>` and ends with USER_RESULT_REFUSED. */
struct task *user_spawn_binary(const char *name, const void *bin, size_t size);

/* Counters for diagnostics and tests (read with interrupts in any state). */
struct user_stats {
	uint64_t syscalls;        /* int 0x80 calls from ring 3 served */
	uint64_t last_syscall_cs; /* CS the last one came from (RPL = CPL of the caller) */
	uint64_t faults;          /* programs ended by an exception */
	uint64_t budget_kills;    /* programs ended by the time budget */
	uint64_t preemptions;     /* time slices ended by the timer */
};
void user_get_stats(struct user_stats *out);

#endif
