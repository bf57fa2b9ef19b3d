/*
 * executor.c - the ready queue and the loop that polls it.
 *
 * The ready queue is a FIFO of tasks linked through task->next_ready. It is
 * written by task_spawn, by the loop below and by task_wake, which IRQ
 * handlers call (the timer tick, the keyboard). So every access to it
 * happens with interrupts disabled (cli or irq_save): on this single CPU
 * that makes each access atomic with respect to the handlers.
 */
#include "kernel/task/executor.h"

#include <stdbool.h>
#include <stddef.h>

#include "kernel/arch/cpu.h"
#include "kernel/core/panic.h"
#include "kernel/task/task_priv.h"
#include "kernel/task/timer.h"

static struct task *ready_head, *ready_tail;
static struct executor_stats stats;
static bool running;            /* a loop is active (no nesting) */

void executor_enqueue_locked(struct task *t)
{
	t->next_ready = NULL;
	if (ready_tail)
		ready_tail->next_ready = t;
	else
		ready_head = t;
	ready_tail = t;
}

/* Interrupts must be disabled. */
static struct task *dequeue_locked(void)
{
	struct task *t = ready_head;
	if (t) {
		ready_head = t->next_ready;
		if (ready_head == NULL)
			ready_tail = NULL;
		t->next_ready = NULL;
	}
	return t;
}

/* Poll t once (it is TASK_RUNNING; interrupts are on) and decide where it
 * goes next. */
static void poll_one(struct task *t)
{
	task_set_current(t);
	enum poll_result r = t->poll(t, t->state);
	task_set_current(NULL);
	stats.polls++;

	cpu_cli();
	if (r == POLL_READY) {
		t->run = TASK_DONE;
		t->woken_while_running = false;
		stats.finished++;
		cpu_sti();
		task_finish(t);
		return;
	}
	if (r != POLL_PENDING)
		panic("task %s: poll returned %d, not POLL_PENDING or POLL_READY", t->name, (int)r);
	if (t->woken_while_running) {
		/* Woken during its own poll: whatever it waits for may have
		 * happened after it looked. Poll it again rather than lose it. */
		t->woken_while_running = false;
		t->run = TASK_QUEUED;
		executor_enqueue_locked(t);
	} else {
		t->run = TASK_IDLE;
	}
	cpu_sti();
}

static void run(bool until_idle)
{
	if (running)
		panic("executor: started again from inside a task (%s)",
		      task_current() ? task_name(task_current()) : "?");
	running = true;
	for (;;) {
		stats.loop_turns++;
		/* The check and the halt must be one step, or an IRQ that wakes a
		 * task just after "the queue is empty" would be followed by a hlt
		 * that sleeps until the next, unrelated interrupt. With interrupts
		 * off, the wake cannot slip in between; sti only takes effect
		 * after the instruction that follows it (Intel SDM vol. 2, STI),
		 * so "sti; hlt" halts first and a pending interrupt then ends the
		 * halt at once. */
		cpu_cli();
		struct task *t = dequeue_locked();
		if (t == NULL) {
			if (until_idle && timer_sleepers() == 0) {
				cpu_sti();
				break;
			}
			stats.halts++;
			cpu_sti_hlt();
			continue;
		}
		t->run = TASK_RUNNING;
		cpu_sti();
		poll_one(t);
	}
	running = false;
}

void executor_run(void)
{
	run(false);
	panic("executor: the loop ended");
}

void executor_run_until_idle(void)
{
	run(true);
}

void executor_get_stats(struct executor_stats *out)
{
	uint64_t flags = irq_save();
	*out = stats;
	irq_restore(flags);
}

void executor_count_spawn(void)
{
	stats.spawned++;
}

void executor_count_wake(bool while_running)
{
	if (while_running)
		stats.rewakes++;
	else
		stats.wakes++;
}

void executor_count_free(void)
{
	stats.freed++;
}
