/*
 * executor.h - the loop that polls ready tasks and halts the CPU when
 * there are none (kernel/task/README.md tells the whole story).
 *
 *   for (;;) {
 *       take the first task off the ready queue
 *       none?  halt until the next interrupt (an IRQ handler may wake one)
 *       else   poll it: READY -> finished, PENDING -> wait for its wake
 *   }
 *
 * The ready queue is shared with interrupt handlers (task_wake), so it is
 * only touched with interrupts disabled; the check "is it empty?" and the
 * hlt are made atomic by `cli ... sti; hlt` (cpu_sti_hlt in
 * kernel/arch/cpu.h): an interrupt that arrives after the check stays
 * pending until hlt, and then ends it instead of being lost before it.
 */
#ifndef SELFOS_KERNEL_TASK_EXECUTOR_H
#define SELFOS_KERNEL_TASK_EXECUTOR_H

#include <stdint.h>

/* Run tasks forever, halting when none is ready. Enables interrupts (it
 * needs them to ever wake up). Call from the boot path, never from a task. */
__attribute__((noreturn)) void executor_run(void);

/*
 * Run tasks until the executor is idle for good as far as the kernel can
 * tell: the ready queue is empty AND no task sleeps on the timer
 * (timer_sleepers() == 0). While tasks sleep it halts between ticks
 * exactly as executor_run does. Tasks still waiting for keys or for
 * another task that is itself waiting are left waiting: only outside
 * events could wake them. For tests and for code that must finish its
 * tasks before going on. Enables interrupts. Not from a task (it panics on
 * re-entry).
 */
void executor_run_until_idle(void);

/* Counters since boot (tests compare differences). */
struct executor_stats {
	uint64_t loop_turns;      /* iterations of the executor loop */
	uint64_t polls;           /* poll calls */
	uint64_t halts;           /* hlt executed because no task was ready */
	uint64_t wakes;           /* task_wake calls that queued an idle task */
	uint64_t rewakes;         /* task_wake calls that hit the task during its own poll */
	uint64_t spawned;         /* tasks created */
	uint64_t finished;        /* tasks that returned POLL_READY */
	uint64_t freed;           /* task records freed (last reference gone) */
};

/* A consistent snapshot of the counters. IRQ-safe. */
void executor_get_stats(struct executor_stats *out);

#endif
