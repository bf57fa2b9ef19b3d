/*
 * task_priv.h - the task record and the hooks between task.c, executor.c,
 * timer.c and kbd_channel.c. Not for use outside kernel/task/.
 */
#ifndef SELFOS_KERNEL_TASK_TASK_PRIV_H
#define SELFOS_KERNEL_TASK_TASK_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/task/task.h"

/*
 * Where a task is in its life. Every change happens with interrupts
 * disabled, because task_wake (IRQ handlers) reads and changes it.
 *
 *            spawn                 executor takes it
 *   (new) ----------> QUEUED ---------------------------> RUNNING
 *                       ^                                   |   |
 *                       | task_wake        poll: PENDING    |   | poll: READY
 *                       +------------- IDLE <---------------+   v
 *                                                              DONE
 *
 * A wake during RUNNING sets woken_while_running; when that poll returns
 * PENDING the task goes to QUEUED instead of IDLE (the lost-wakeup rule).
 */
enum task_run_state {
	TASK_QUEUED,     /* on the ready queue */
	TASK_RUNNING,    /* its poll is on the CPU now */
	TASK_IDLE,       /* waiting for a wake */
	TASK_DONE,       /* finished; the record lives on for its result */
};

struct task {
	task_poll_fn poll;
	void *state;
	void (*drop)(void *state);

	enum task_run_state run;
	bool woken_while_running;
	uint32_t refs;              /* changed with interrupts disabled */
	int64_t result;

	struct task *next_ready;    /* ready queue link (executor.c) */
	struct task *joiner;        /* woken when this one finishes; holds a ref */

	/* The timer slot (timer.c): in the sleepers list, sorted by deadline. */
	bool sleeping;
	uint64_t wake_ms;
	struct task *next_sleeper;

	char name[TASK_NAME_MAX];
};

/* executor.c: append t (state already TASK_QUEUED) to the ready queue.
 * Interrupts must be disabled. */
void executor_enqueue_locked(struct task *t);

/* executor.c: counters kept by task.c (interrupts disabled). */
void executor_count_spawn(void);
void executor_count_wake(bool while_running);
void executor_count_free(void);

/* task.c: called by the executor after a poll returned POLL_READY: drop
 * the state, wake the joiner, end the registrations, release the
 * executor's reference. */
void task_finish(struct task *t);

/* task.c: the executor sets the current task around each poll. */
void task_set_current(struct task *t);

/* timer.c / kbd_channel.c: forget a finished task's registration, if any
 * (dropping the reference it held). */
void timer_forget(struct task *t);
void kbd_channel_forget(struct task *t);

#endif
