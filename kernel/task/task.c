/*
 * task.c - task records: spawning, waking, joining, references.
 *
 * The life of a task (task_priv.h has the state diagram):
 *   task_spawn   allocates the record with two references (the executor's
 *                and the caller's handle) and queues it.
 *   poll         the executor calls it whenever the task is QUEUED.
 *   task_wake    IDLE -> QUEUED; during the poll it only sets a flag.
 *   POLL_READY   task_finish: drop(state), wake the joiner, forget timer and
 *                keyboard registrations, release the executor's reference.
 *   last unref   frees the record.
 */
#include "kernel/task/task.h"

#include <stddef.h>

#include "kernel/arch/cpu.h"
#include "kernel/core/panic.h"
#include "kernel/mm/kheap.h"
#include "kernel/task/task_priv.h"
#include "lib/string.h"

static struct task *current;

struct task *task_spawn(const char *name, task_poll_fn poll, void *state,
			void (*drop)(void *state))
{
	if (poll == NULL)
		panic("task_spawn(%s): no poll function", name ? name : "?");
	struct task *t = kcalloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->poll = poll;
	t->state = state;
	t->drop = drop;
	t->refs = 2;                /* the executor's, until it finishes, + the caller's */
	str_lcpy(t->name, name ? name : "task", sizeof(t->name));

	uint64_t flags = irq_save();
	t->run = TASK_QUEUED;
	executor_enqueue_locked(t);
	executor_count_spawn();
	irq_restore(flags);
	return t;
}

void task_wake(struct task *t)
{
	/* Interrupts off: an IRQ handler waking the same task (or touching the
	 * ready queue) cannot run in the middle of this. */
	uint64_t flags = irq_save();
	switch (t->run) {
	case TASK_IDLE:
		t->run = TASK_QUEUED;
		executor_enqueue_locked(t);
		executor_count_wake(false);
		break;
	case TASK_RUNNING:
		/* Its poll may be about to return PENDING having looked at the
		 * world before this wake: remember, so the executor queues it
		 * again instead of letting it wait for a wake that already came. */
		t->woken_while_running = true;
		executor_count_wake(true);
		break;
	case TASK_QUEUED:       /* will be polled anyway */
	case TASK_DONE:         /* nothing left to poll */
		break;
	}
	irq_restore(flags);
}

void task_set_result(struct task *self, int64_t result)
{
	self->result = result;
}

bool task_result(const struct task *t, int64_t *result)
{
	if (t->run != TASK_DONE)
		return false;
	*result = t->result;
	return true;
}

bool task_join_poll(struct task *self, struct task *other, int64_t *result)
{
	if (self == other)
		panic("task %s joins itself: it would wait forever", self->name);
	/* No interrupt handler changes ->run to DONE or touches ->joiner:
	 * only the executor does, between polls, so no lock is needed. */
	if (other->run == TASK_DONE) {
		*result = other->result;
		return true;
	}
	if (other->joiner == NULL) {
		task_ref(self);             /* other keeps a pointer to wake us */
		other->joiner = self;
	} else if (other->joiner != self) {
		panic("task %s joins %s, which %s already joins", self->name,
		      other->name, other->joiner->name);
	}
	return false;
}

void task_finish(struct task *t)
{
	if (t->drop)
		t->drop(t->state);
	t->state = NULL;
	timer_forget(t);
	kbd_channel_forget(t);
	struct task *j = t->joiner;
	t->joiner = NULL;
	if (j) {
		task_wake(j);
		task_unref(j);
	}
	task_unref(t);              /* the executor's reference */
}

void task_ref(struct task *t)
{
	uint64_t flags = irq_save();
	if (t->refs == 0)
		panic("task_ref(%s): the task was already freed", t->name);
	t->refs++;
	irq_restore(flags);
}

void task_unref(struct task *t)
{
	uint64_t flags = irq_save();
	if (t->refs == 0)
		panic("task_unref(%s): the task was already freed", t->name);
	if (--t->refs > 0) {
		irq_restore(flags);
		return;
	}
	if (t->run != TASK_DONE)
		panic("task_unref(%s): last reference of an unfinished task", t->name);
	t->refs = 0;
	executor_count_free();
	kfree(t);           /* IRQ-safe (kheap.h): this may run in the tick hook */
	irq_restore(flags);
}

struct task *task_current(void)
{
	return current;
}

void task_set_current(struct task *t)
{
	current = t;
}

const char *task_name(const struct task *t)
{
	return t->name;
}
