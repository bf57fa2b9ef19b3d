/*
 * timer.h - waiting for time without spinning: sleepers woken by the PIT.
 *
 * A task that wants to wait until a moment (in uptime_ms, kernel/arch/pit.h)
 * calls timer_sleep_poll from its poll. Before the deadline this puts the
 * task in the timer's list of sleepers, sorted by deadline, and the task
 * returns POLL_PENDING; the PIT tick hook (IRQ 0, 1000 times a second)
 * wakes every sleeper whose deadline has come. So a sleeping task costs
 * nothing until its tick, and wakes on the first tick at or after its
 * deadline: never early, at most one tick (about 1 ms) late plus the time
 * the tasks ahead of it in the ready queue take.
 *
 * Each task has one timer slot: sleeping again before the first deadline
 * came moves the task to the new deadline. The registration holds a
 * reference on the task and ends when the task wakes, when its poll sees
 * the deadline has passed, or when the task finishes.
 */
#ifndef SELFOS_KERNEL_TASK_TIMER_H
#define SELFOS_KERNEL_TASK_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct task;

/* From self's poll: true if uptime_ms() >= deadline_ms (the wait is over;
 * any registration of self is removed), else registers self to be woken
 * at the first tick where uptime_ms() >= deadline_ms and returns false. */
bool timer_sleep_poll(struct task *self, uint64_t deadline_ms);

/* Tasks now registered as sleepers. IRQ-safe. */
unsigned timer_sleepers(void);

/* Convenience for a task's state: a relative sleep.
 *
 *   struct my_state { struct sleep nap; ... };
 *   timer_sleep_start(&st->nap, 30);            // when deciding to wait
 *   if (!timer_sleep_done(self, &st->nap))      // in the poll
 *           return POLL_PENDING;
 */
struct sleep {
	uint64_t deadline_ms;   /* uptime_ms() at which the sleep ends */
};

/* Start a sleep of `ms` milliseconds from now. */
void timer_sleep_start(struct sleep *s, uint64_t ms);

/* timer_sleep_poll(self, s->deadline_ms). */
bool timer_sleep_done(struct task *self, const struct sleep *s);

#endif
