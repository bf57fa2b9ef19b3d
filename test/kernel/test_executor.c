/*
 * test_executor.c - the cooperative executor (kernel/task/): many tasks and
 * their memory, spawning and joining, sleeping by PIT ticks, wakes from
 * interrupts racing with polls, halting when idle, and keys from the
 * keyboard queue (and from a real IRQ 1) decoded in order.
 *
 * Assertions stay out of poll functions: a failed KASSERT leaves the case
 * at once, which inside a poll would abandon the executor mid-loop. Polls
 * record what they saw; the case checks it after the executor returns.
 *
 * Scancodes (set 1): 0x2A/0xAA left shift down/up, 0x23 h, 0x17 i,
 * 0x1E a, 0x1C Enter, 0x0E Backspace; a release is the make code | 0x80.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/pit.h"
#include "kernel/core/ktest.h"
#include "kernel/drivers/keyboard.h"
#include "kernel/drivers/ps2.h"
#include "kernel/mm/kheap.h"
#include "kernel/task/executor.h"
#include "kernel/task/kbd_channel.h"
#include "kernel/task/task.h"
#include "kernel/task/timer.h"

static struct executor_stats stats_now(void)
{
	struct executor_stats s;
	executor_get_stats(&s);
	return s;
}

static struct heap_stats heap_now(void)
{
	struct heap_stats h;
	kheap_stats(&h);
	return h;
}

/* ---- 1,000 tasks that yield ---------------------------------------------- */

#define MANY_TASKS   1000
#define MANY_YIELDS  5

struct yielder {
	unsigned left;          /* yields still to do */
	unsigned *finished;     /* shared counter */
	unsigned id;
};

static enum poll_result yielder_poll(struct task *self, void *state)
{
	struct yielder *y = state;
	if (y->left > 0) {
		y->left--;
		task_wake(self);        /* yield: ready again, behind the others */
		return POLL_PENDING;
	}
	(*y->finished)++;
	task_set_result(self, y->id);
	return POLL_READY;
}

static void kfree_state(void *state)
{
	kfree(state);
}

KTEST(executor_1000_yielding_tasks_finish_and_free_their_memory)
{
	static unsigned finished;
	finished = 0;
	struct heap_stats h0 = heap_now();
	struct executor_stats s0 = stats_now();

	for (unsigned i = 0; i < MANY_TASKS; i++) {
		struct yielder *y = kmalloc(sizeof(*y));
		KASSERT(y != NULL);
		y->left = MANY_YIELDS;
		y->finished = &finished;
		y->id = i;
		struct task *t = task_spawn("yielder", yielder_poll, y, kfree_state);
		KASSERT(t != NULL);
		task_unref(t);          /* detached: freed as soon as it finishes */
	}
	struct heap_stats h1 = heap_now();
	KASSERT(h1.live_blocks >= h0.live_blocks + 2 * MANY_TASKS);   /* tasks + states */

	executor_run_until_idle();

	struct executor_stats s1 = stats_now();
	struct heap_stats h2 = heap_now();
	KASSERT_EQ(finished, MANY_TASKS);
	KASSERT_EQ(s1.spawned - s0.spawned, MANY_TASKS);
	KASSERT_EQ(s1.finished - s0.finished, MANY_TASKS);
	KASSERT_EQ(s1.freed - s0.freed, MANY_TASKS);
	KASSERT_EQ(s1.polls - s0.polls, MANY_TASKS * (MANY_YIELDS + 1));
	/* Every record and every state went back to the heap. */
	KASSERT_EQ(h2.bytes_in_use, h0.bytes_in_use);
	KASSERT_EQ(h2.live_blocks, h0.live_blocks);
}

/* ---- spawning from a task, joining --------------------------------------- */

#define CHILDREN 3

struct parent {
	unsigned phase;                 /* 0: spawn, 1..CHILDREN: joining child phase-1 */
	struct task *child[CHILDREN];
	int64_t sum;
	unsigned joins_pending;         /* join polls that had to wait */
};

static const unsigned child_yields[CHILDREN] = { 4, 1, 0 };

struct child {
	unsigned left;
	int64_t value;
};

static enum poll_result child_poll(struct task *self, void *state)
{
	struct child *c = state;
	if (c->left > 0) {
		c->left--;
		task_wake(self);
		return POLL_PENDING;
	}
	task_set_result(self, c->value);
	return POLL_READY;
}

static enum poll_result parent_poll(struct task *self, void *state)
{
	struct parent *p = state;
	if (p->phase == 0) {
		for (unsigned i = 0; i < CHILDREN; i++) {
			struct child *c = kmalloc(sizeof(*c));
			if (c == NULL) {
				task_set_result(self, -1);
				return POLL_READY;
			}
			c->left = child_yields[i];
			c->value = 100 * (int64_t)(i + 1);
			p->child[i] = task_spawn("child", child_poll, c, kfree_state);
		}
		p->phase = 1;
	}
	/* Child 0 yields longest: joining it waits (a registered joiner);
	 * children 1 and 2 have finished by then (a join that returns at once). */
	while (p->phase <= CHILDREN) {
		struct task *c = p->child[p->phase - 1];
		int64_t r;
		if (c == NULL) {
			task_set_result(self, -2);
			return POLL_READY;
		}
		if (!task_join_poll(self, c, &r)) {
			p->joins_pending++;
			return POLL_PENDING;
		}
		p->sum += r;
		task_unref(c);
		p->child[p->phase - 1] = NULL;
		p->phase++;
	}
	task_set_result(self, p->sum);
	return POLL_READY;
}

KTEST(executor_task_spawns_children_and_joins_their_results)
{
	struct heap_stats h0 = heap_now();
	static struct parent p;
	p = (struct parent){ 0 };
	struct task *t = task_spawn("parent", parent_poll, &p, NULL);
	KASSERT(t != NULL);
	int64_t r = 0;
	KASSERT(!task_result(t, &r));           /* spawned, not yet polled */

	executor_run_until_idle();

	KASSERT(task_result(t, &r));
	KASSERT_EQ(r, 100 + 200 + 300);
	KASSERT_EQ(p.joins_pending, 1);         /* only child 0 made it wait */
	task_unref(t);
	struct heap_stats h1 = heap_now();
	KASSERT_EQ(h1.bytes_in_use, h0.bytes_in_use);
}

/* A joiner that waits on a task sleeping on the timer: join across a
 * wake that comes from IRQ 0. */
struct sleeper_state {
	struct sleep nap;
	bool started;
	uint64_t start_tick;
	uint64_t wake_tick;
	unsigned polls;
};

static enum poll_result sleeper_poll(struct task *self, void *state)
{
	struct sleeper_state *s = state;
	s->polls++;
	if (!s->started) {
		s->started = true;
		s->start_tick = pit_ticks();
		timer_sleep_start(&s->nap, 30);
	}
	if (!timer_sleep_done(self, &s->nap))
		return POLL_PENDING;
	s->wake_tick = pit_ticks();
	task_set_result(self, 7);
	return POLL_READY;
}

struct joiner_state {
	struct task *other;
	int64_t got;
	unsigned polls;
};

static enum poll_result joiner_poll(struct task *self, void *state)
{
	struct joiner_state *j = state;
	j->polls++;
	if (!task_join_poll(self, j->other, &j->got))
		return POLL_PENDING;
	return POLL_READY;
}

KTEST(executor_join_waits_for_a_sleeping_task)
{
	static struct sleeper_state s;
	static struct joiner_state j;
	s = (struct sleeper_state){ 0 };
	j = (struct joiner_state){ 0 };
	struct task *st = task_spawn("sleeper", sleeper_poll, &s, NULL);
	KASSERT(st != NULL);
	j.other = st;
	struct task *jt = task_spawn("joiner", joiner_poll, &j, NULL);
	KASSERT(jt != NULL);

	executor_run_until_idle();

	KASSERT(task_result(jt, &(int64_t){ 0 }));
	KASSERT_EQ(j.got, 7);
	KASSERT_EQ(j.polls, 2);         /* once to register, once when woken */
	KASSERT_EQ(s.polls, 2);         /* no spinning while asleep */
	task_unref(jt);
	task_unref(st);
}

/* ---- sleeping ------------------------------------------------------------ */

KTEST(executor_sleep_30ms_wakes_at_the_right_tick)
{
	static struct sleeper_state s;
	s = (struct sleeper_state){ 0 };
	struct task *t = task_spawn("nap30", sleeper_poll, &s, NULL);
	KASSERT(t != NULL);
	executor_run_until_idle();
	KASSERT(task_result(t, &(int64_t){ 0 }));
	task_unref(t);
	/* A tick is 0.99985 ms, so 30 ms of uptime take at least 30 ticks;
	 * the wake comes on the first tick past the deadline (the slack is for
	 * ticks QEMU delivers back to back after the host stalled it). */
	KASSERT(s.wake_tick >= s.start_tick + 30);
	KASSERT(s.wake_tick <= s.start_tick + 35);
	KASSERT_EQ(s.polls, 2);
	KASSERT_EQ(timer_sleepers(), 0);
}

#define NAPPERS 6
static const unsigned nap_ms[NAPPERS] = { 12, 3, 25, 7, 3, 18 };

struct napper {
	struct sleep nap;
	unsigned index;
	unsigned *order;        /* wake order, shared */
	unsigned *woken;
	uint64_t start_ms, wake_ms;
};

static enum poll_result napper_poll(struct task *self, void *state)
{
	struct napper *n = state;
	if (n->start_ms == 0) {
		n->start_ms = uptime_ms() + 1;  /* +1: 0 means "not started" */
		timer_sleep_start(&n->nap, nap_ms[n->index]);
	}
	if (!timer_sleep_done(self, &n->nap))
		return POLL_PENDING;
	n->wake_ms = uptime_ms() + 1;
	n->order[(*n->woken)++] = n->index;
	return POLL_READY;
}

KTEST(executor_sleepers_wake_in_deadline_order)
{
	static unsigned order[NAPPERS], woken;
	static struct napper n[NAPPERS];
	woken = 0;
	for (unsigned i = 0; i < NAPPERS; i++) {
		n[i] = (struct napper){ .index = i, .order = order, .woken = &woken };
		struct task *t = task_spawn("napper", napper_poll, &n[i], NULL);
		KASSERT(t != NULL);
		task_unref(t);
	}
	executor_run_until_idle();
	KASSERT_EQ(woken, NAPPERS);
	for (unsigned i = 0; i < NAPPERS; i++) {
		KASSERT(n[i].wake_ms - n[i].start_ms >= nap_ms[i]);
		KASSERT(n[i].wake_ms - n[i].start_ms <= nap_ms[i] + 5);
	}
	for (unsigned k = 1; k < NAPPERS; k++)
		KASSERT(nap_ms[order[k - 1]] <= nap_ms[order[k]]);
}

/* ---- wakes from interrupts racing with polls ----------------------------- */

#define STRESS_TASKS   8
#define STRESS_WAKES   250      /* per task: one per tick */
#define STRESS_TIMEOUT_MS 3000

static struct task *volatile stress_task[STRESS_TASKS];
static volatile bool stress_active;
static volatile uint32_t stress_sent[STRESS_TASKS];     /* written by IRQ 0 */
static uint32_t stress_seen[STRESS_TASKS];              /* consumed by the tasks */
static unsigned stress_polls[STRESS_TASKS];
static bool stress_hook_installed;

/* IRQ 0: one wake per task per tick, each wake one unit of "work". */
static void stress_tick(struct trap_frame *tf, uint64_t ticks)
{
	(void)tf;
	(void)ticks;
	if (!stress_active)
		return;
	for (unsigned i = 0; i < STRESS_TASKS; i++) {
		struct task *t = stress_task[i];
		if (t && stress_sent[i] < STRESS_WAKES) {
			stress_sent[i]++;
			task_wake(t);
		}
	}
}

static enum poll_result stress_poll(struct task *self, void *state)
{
	(void)self;
	unsigned i = (unsigned)(uintptr_t)state;
	stress_polls[i]++;
	/* Collect the work sent so far... */
	uint64_t flags = irq_save();
	uint32_t sent = stress_sent[i];
	irq_restore(flags);
	stress_seen[i] = sent;
	if (sent == STRESS_WAKES)
		return POLL_READY;
	/* ...then, every other poll, keep the CPU until the next tick, so that
	 * tick's wake lands after the look and before POLL_PENDING: the race
	 * the executor must not lose. Nothing here re-arms a wake; only the
	 * executor's rule (woken during its poll -> queued again) brings the
	 * task back for the work that wake announced. */
	if (stress_polls[i] % 2) {
		uint64_t t0 = pit_ticks();
		while (pit_ticks() == t0)
			cpu_pause();
	}
	return POLL_PENDING;
}

struct supervisor {
	struct sleep nap;
	uint64_t give_up_ms;
	bool timed_out;
};

static bool stress_all_done(void)
{
	for (unsigned i = 0; i < STRESS_TASKS; i++) {
		int64_t r;
		if (!task_result(stress_task[i], &r))
			return false;
	}
	return true;
}

/* Keeps executor_run_until_idle running (it sleeps) until the stress tasks
 * are done or the time is up. */
static enum poll_result supervisor_poll(struct task *self, void *state)
{
	struct supervisor *s = state;
	for (;;) {
		if (stress_all_done())
			return POLL_READY;
		if (uptime_ms() >= s->give_up_ms) {
			s->timed_out = true;
			return POLL_READY;
		}
		if (!timer_sleep_done(self, &s->nap))
			return POLL_PENDING;
		timer_sleep_start(&s->nap, 5);
	}
}

KTEST(executor_wakes_from_timer_irq_during_polls_are_never_lost)
{
	if (!stress_hook_installed) {
		stress_hook_installed = true;
		pit_add_tick_hook(stress_tick);
	}
	for (unsigned i = 0; i < STRESS_TASKS; i++) {
		stress_sent[i] = 0;
		stress_seen[i] = 0;
		stress_polls[i] = 0;
		stress_task[i] = task_spawn("stress", stress_poll, (void *)(uintptr_t)i, NULL);
		KASSERT(stress_task[i] != NULL);
	}
	static struct supervisor sup;
	sup = (struct supervisor){ .give_up_ms = uptime_ms() + STRESS_TIMEOUT_MS };
	timer_sleep_start(&sup.nap, 5);
	struct task *st = task_spawn("supervisor", supervisor_poll, &sup, NULL);
	KASSERT(st != NULL);
	struct executor_stats s0 = stats_now();

	stress_active = true;
	executor_run_until_idle();
	stress_active = false;

	struct executor_stats s1 = stats_now();
	uint64_t sent = 0, seen = 0, polls = 0;
	bool all_done = stress_all_done();
	for (unsigned i = 0; i < STRESS_TASKS; i++) {
		sent += stress_sent[i];
		seen += stress_seen[i];
		polls += stress_polls[i];
	}
	/* Unfinished tasks (a lost wake) would keep their records: only free
	 * the ones that finished, then report. */
	for (unsigned i = 0; i < STRESS_TASKS; i++) {
		if (task_result(stress_task[i], &(int64_t){ 0 })) {
			task_unref(stress_task[i]);
			stress_task[i] = NULL;
		}
	}
	task_unref(st);
	KASSERT(!sup.timed_out);
	KASSERT(all_done);
	KASSERT_EQ(sent, (uint64_t)STRESS_TASKS * STRESS_WAKES);
	KASSERT_EQ(seen, sent);
	/* The race really happened, many times, and was caught each time. */
	KASSERT(s1.rewakes - s0.rewakes >= STRESS_WAKES / 2);
	/* Wakes coalesce (a task already queued is not queued twice), so there
	 * are fewer polls than wakes, but each task ran many times. */
	KASSERT(polls >= STRESS_TASKS * 20);
	KASSERT(polls <= sent + STRESS_TASKS);
}

/* ---- halting when idle ----------------------------------------------------- */

KTEST(executor_halts_when_no_task_is_ready)
{
	static struct sleeper_state s;
	s = (struct sleeper_state){ 0 };
	struct executor_stats s0 = stats_now();
	struct task *t = task_spawn("nap", sleeper_poll, &s, NULL);  /* sleeps 30 ms */
	KASSERT(t != NULL);
	executor_run_until_idle();
	task_unref(t);
	struct executor_stats s1 = stats_now();
	uint64_t halts = s1.halts - s0.halts;
	uint64_t turns = s1.loop_turns - s0.loop_turns;
	uint64_t polls = s1.polls - s0.polls;
	/* 30 quiet ticks: one halt per tick (the PIT interrupt ends each), and
	 * every loop turn is either a poll, a halt or the final "idle" turn. A
	 * spinning executor would have turned millions of times. */
	KASSERT(halts >= 25);
	KASSERT(halts <= 40);
	KASSERT_EQ(polls, 2);
	KASSERT(turns <= halts + polls + 1);
}

/* ---- the keyboard channel -------------------------------------------------- */

#define KEYS_MAX 200

struct reader {
	int want;               /* characters to read before finishing */
	int got;
	int chars[KEYS_MAX];
	unsigned polls;
};

static enum poll_result reader_poll(struct task *self, void *state)
{
	struct reader *r = state;
	r->polls++;
	while (r->got < r->want) {
		int ch;
		if (!kbd_channel_poll(self, &ch))
			return POLL_PENDING;
		r->chars[r->got++] = ch;
	}
	return POLL_READY;
}

static void drain_keyboard(void)
{
	uint8_t sc;
	while (keyboard_pop_scancode(&sc))
		;
}

KTEST(executor_kbd_channel_decodes_queued_scancodes_in_order)
{
	drain_keyboard();
	/* "Hi!\n" typed with a backspace in the middle: H, a, Backspace, i,
	 * shift+1, Enter; releases in between give no characters. */
	static const uint8_t sc[] = {
		0x2A, 0x23, 0xA3, 0xAA,         /* shift h -> 'H' */
		0x1E, 0x9E,                     /* 'a' */
		0x0E, 0x8E,                     /* '\b' */
		0x17, 0x97,                     /* 'i' */
		0x2A, 0x02, 0x82, 0xAA,         /* shift 1 -> '!' */
		0x1C, 0x9C,                     /* '\n' */
	};
	static const int expect[] = { 'H', 'a', '\b', 'i', '!', '\n' };
	for (unsigned i = 0; i < sizeof(sc); i++)
		KASSERT(keyboard_push_scancode(sc[i]));

	static struct reader r;
	r = (struct reader){ .want = 6 };
	struct task *t = task_spawn("reader", reader_poll, &r, NULL);
	KASSERT(t != NULL);
	executor_run_until_idle();
	KASSERT(task_result(t, &(int64_t){ 0 }));
	task_unref(t);
	KASSERT_EQ(r.got, 6);
	for (unsigned i = 0; i < 6; i++)
		KASSERT_EQ(r.chars[i], expect[i]);
	KASSERT_EQ(r.polls, 1);         /* everything was queued: no waiting */
}

KTEST(executor_kbd_channel_overflow_is_counted_not_corrupted)
{
	drain_keyboard();
	uint64_t dropped0 = keyboard_dropped();
	/* 200 presses of 'a' (make codes only) with nobody reading. */
	unsigned accepted = 0;
	for (unsigned i = 0; i < KEYS_MAX; i++)
		accepted += keyboard_push_scancode(0x1E);
	KASSERT_EQ(accepted, KEYBOARD_QUEUE_SIZE);
	KASSERT_EQ(keyboard_dropped() - dropped0, KEYS_MAX - KEYBOARD_QUEUE_SIZE);

	/* The reader gets exactly what fitted, all intact, then waits. */
	static struct reader r;
	r = (struct reader){ .want = KEYBOARD_QUEUE_SIZE };
	struct task *t = task_spawn("reader", reader_poll, &r, NULL);
	KASSERT(t != NULL);
	executor_run_until_idle();
	KASSERT(task_result(t, &(int64_t){ 0 }));
	task_unref(t);
	KASSERT_EQ(r.got, KEYBOARD_QUEUE_SIZE);
	for (int i = 0; i < r.got; i++)
		KASSERT_EQ(r.chars[i], 'a');
	uint8_t sc;
	KASSERT(!keyboard_pop_scancode(&sc));
}

/* The whole path with a real interrupt: the reader waits (registered with
 * the channel, not polled), the 8042 raises IRQ 1 for each injected byte,
 * the handler queues it and wakes the reader through the channel. */
struct injector {
	struct sleep nap;
	unsigned next;
	bool failed;
};

static const uint8_t inject_sc[] = { 0x23, 0xA3, 0x17, 0x97, 0x1C, 0x9C };   /* "hi\n" */

static enum poll_result injector_poll(struct task *self, void *state)
{
	struct injector *in = state;
	for (;;) {
		if (!timer_sleep_done(self, &in->nap))
			return POLL_PENDING;
		if (in->next == sizeof(inject_sc))
			return POLL_READY;      /* the last sleep let the IRQ land */
		if (!ps2_inject_port1_byte(inject_sc[in->next]))
			in->failed = true;
		in->next++;
		timer_sleep_start(&in->nap, 3);
	}
}

KTEST(executor_kbd_channel_woken_by_irq1)
{
	if (!ps2_keyboard_present())
		KTEST_SKIP("no PS/2 keyboard to inject into");
	drain_keyboard();
	static struct reader r;
	static struct injector in;
	r = (struct reader){ .want = 3 };
	in = (struct injector){ 0 };
	struct task *rt = task_spawn("reader", reader_poll, &r, NULL);
	KASSERT(rt != NULL);
	/* First the reader alone: it registers and waits; nothing can wake it
	 * but a key, so the executor returns with the reader still pending. */
	executor_run_until_idle();
	KASSERT(!task_result(rt, &(int64_t){ 0 }));
	KASSERT_EQ(r.polls, 1);

	timer_sleep_start(&in.nap, 0);
	struct task *it = task_spawn("injector", injector_poll, &in, NULL);
	KASSERT(it != NULL);
	executor_run_until_idle();
	task_unref(it);
	KASSERT(!in.failed);
	KASSERT(task_result(rt, &(int64_t){ 0 }));
	task_unref(rt);
	KASSERT_EQ(r.got, 3);
	KASSERT_EQ(r.chars[0], 'h');
	KASSERT_EQ(r.chars[1], 'i');
	KASSERT_EQ(r.chars[2], '\n');
	KASSERT(r.polls >= 2);          /* woken by the interrupts */
}
