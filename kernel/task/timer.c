/*
 * timer.c - sleepers: tasks waiting for a moment, woken by the PIT tick.
 *
 * The sleepers form a singly linked list sorted by deadline (through
 * task->next_sleeper), so the tick hook only ever looks at the head: the
 * common tick, with nothing due, costs one comparison. Inserting is linear
 * in the number of sleepers, which is fine for the handful a kernel like
 * this has (and the 1,000 of the tests).
 *
 * The list is shared with the tick hook (IRQ 0), so it is only touched with
 * interrupts disabled.
 */
#include "kernel/task/timer.h"

#include <stddef.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/pit.h"
#include "kernel/task/task_priv.h"

static struct task *sleepers;          /* sorted by wake_ms, earliest first */
static unsigned sleeper_count;
static bool hook_installed;

/* Interrupts disabled. Equal deadlines keep their arrival order. */
static void insert_locked(struct task *t)
{
	struct task **pp = &sleepers;
	while (*pp && (*pp)->wake_ms <= t->wake_ms)
		pp = &(*pp)->next_sleeper;
	t->next_sleeper = *pp;
	*pp = t;
	t->sleeping = true;
	sleeper_count++;
}

/* Interrupts disabled; t->sleeping. */
static void remove_locked(struct task *t)
{
	struct task **pp = &sleepers;
	while (*pp != t)
		pp = &(*pp)->next_sleeper;
	*pp = t->next_sleeper;
	t->next_sleeper = NULL;
	t->sleeping = false;
	sleeper_count--;
}

/* IRQ 0, interrupts off, after the tick counter moved on. */
static void timer_tick(struct trap_frame *tf, uint64_t ticks)
{
	(void)tf;
	(void)ticks;
	uint64_t now = uptime_ms();
	while (sleepers && sleepers->wake_ms <= now) {
		struct task *t = sleepers;
		remove_locked(t);
		task_wake(t);
		task_unref(t);      /* the list's reference; may free a finished task */
	}
}

static void install_hook(void)
{
	/* Only ever called from task context, so no race on the flag. */
	if (!hook_installed) {
		hook_installed = true;
		pit_add_tick_hook(timer_tick);
	}
}

bool timer_sleep_poll(struct task *self, uint64_t deadline_ms)
{
	install_hook();
	uint64_t flags = irq_save();
	if (uptime_ms() >= deadline_ms) {
		bool was_sleeping = self->sleeping;
		if (was_sleeping)
			remove_locked(self);
		irq_restore(flags);
		if (was_sleeping)
			task_unref(self);
		return true;
	}
	if (self->sleeping) {
		if (self->wake_ms == deadline_ms) {
			irq_restore(flags);
			return false;           /* already registered for it */
		}
		remove_locked(self);            /* moved: keeps its reference */
	} else {
		task_ref(self);                 /* the list's reference */
	}
	self->wake_ms = deadline_ms;
	insert_locked(self);
	irq_restore(flags);
	return false;
}

void timer_forget(struct task *t)
{
	uint64_t flags = irq_save();
	bool was_sleeping = t->sleeping;
	if (was_sleeping)
		remove_locked(t);
	irq_restore(flags);
	if (was_sleeping)
		task_unref(t);
}

unsigned timer_sleepers(void)
{
	return __atomic_load_n(&sleeper_count, __ATOMIC_RELAXED);
}

void timer_sleep_start(struct sleep *s, uint64_t ms)
{
	s->deadline_ms = uptime_ms() + ms;
}

bool timer_sleep_done(struct task *self, const struct sleep *s)
{
	return timer_sleep_poll(self, s->deadline_ms);
}
