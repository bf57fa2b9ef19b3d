/*
 * user_priv.h - what the files of kernel/user/ share with each other and
 * nobody else: the process record, the loader, user-memory access, the
 * ring 3 switch and the ways a program stops running.
 */
#ifndef SELFOS_KERNEL_USER_USER_PRIV_H
#define SELFOS_KERNEL_USER_USER_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/idt.h"

struct task;

/* The ring-0 stack every trap from ring 3 lands on (TSS.RSP0), with an
 * unmapped guard page right below it. */
#define USER_TRAP_STACK_SIZE (16 * 1024)

/* Why a program is not running in ring 3 right now. */
enum user_wait {
	USER_WAIT_NONE,     /* ready: resume it */
	USER_WAIT_KEY,      /* in read_key: resume with the next character */
	USER_WAIT_SLEEP,    /* in sleep: resume once uptime >= wake_ms */
	USER_WAIT_YIELD,    /* its time slice ended: resume at the next poll */
	USER_WAIT_ENDED,    /* exit, killed or refused: never resumed */
};

struct user_process {
	struct task *task;
	uint64_t root;              /* PML4; 0 once freed (or never built) */
	struct trap_frame frame;    /* ring-3 registers while not in ring 3 */
	enum user_wait wait;
	uint64_t wake_ms;           /* USER_WAIT_SLEEP deadline (uptime_ms) */
	uint64_t cpu_ms;            /* time spent running, see USER_TIME_BUDGET_MS */
	uint64_t slice_ms;          /* ring-3 time since it was last entered */
	bool started;               /* entered at least once */
	bool kill_pending;          /* the tick hook found the budget exhausted */
	int64_t result;             /* valid once wait == USER_WAIT_ENDED */
	const char *refused;        /* the loader's reason, or NULL */
};

/* The executor's callee-saved state while a program runs (user_switch.asm). */
struct user_kctx {
	uint64_t rsp;
};

/* ---- user_switch.asm ---- */

/* Save the caller's callee-saved registers and RFLAGS in ctx, then load the
 * whole register state of frame and iretq to it (interrupts off until the
 * iretq). Returns (with the saved RFLAGS) when user_leave(ctx) is called. */
void user_enter(struct user_kctx *ctx, const struct trap_frame *frame);
/* Return from the user_enter that saved ctx, abandoning the current stack
 * (the ring-0 trap stack, or an IST stack). Interrupts must be off. */
__attribute__((noreturn)) void user_leave(struct user_kctx *ctx);
/* x87/SSE to their reset state: fninit, MXCSR default, XMM0-15 zero. */
void user_fpu_reset(void);

/* ---- user_loader.c ---- */

/* Build a fresh address space for the flat binary (bin, size): the program
 * at USER_LOAD_ADDR per the trailer rules in user/abi.h and the stack with
 * its guard page. Returns the PML4, or 0 with *why set (everything freed). */
uint64_t user_load(const uint8_t *bin, size_t size, const char **why);
/* Free the whole address space built by user_load (lower half and root). */
void user_unload(uint64_t root);

/* ---- user_access.c ---- */

/* Check that every page of [va, va + len) is mapped present + user (+ write
 * when `write`) at every level of root. len > 0, va + len must not wrap. */
bool user_range_ok(uint64_t root, uint64_t va, uint64_t len, bool write);
/* Hand the bytes of [va, va + len) to fn in pieces, one per page, read
 * through the direct map (never through the user address, so a bad page
 * cannot fault in the kernel). Checks the range first: false (nothing
 * handed over) if it is not all user-readable. */
bool user_read_pieces(uint64_t root, uint64_t va, uint64_t len,
		      void (*fn)(void *ctx, const char *p, size_t n), void *ctx);

/* ---- user_syscall.c ---- */

/* The int 0x80 handler (DPL 3 gate). */
void user_syscall(struct trap_frame *tf);

/* ---- user.c ---- */

/* The program whose poll is running it (NULL otherwise). */
struct user_process *user_current(void);
/* Count a served system call (for user_get_stats). */
void user_count_syscall(uint64_t cs);
/* Stop running p: its frame is saved from tf, it waits for `wait`; back to
 * the poll that entered it. Interrupts off. */
__attribute__((noreturn)) void user_block(struct user_process *p,
					  const struct trap_frame *tf, enum user_wait wait);
/* End p with result (the report line is already printed); back to the poll. */
__attribute__((noreturn)) void user_finish(struct user_process *p, int64_t result);
/* Print a report line (printf format, "user: ..." ending in \n), starting
 * a new line first if the program left a partial one. */
void user_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Kill p if its time budget is spent: report + user_finish. Returns if not. */
void user_check_budget(struct user_process *p, const struct trap_frame *tf);

#endif
