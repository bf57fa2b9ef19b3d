/*
 * task.h - tasks for the cooperative executor: what `async` is made of.
 *
 * A task is a state machine: a poll function plus the state it works on.
 * The executor (executor.h) calls poll(self, state) when the task is ready.
 * poll does as much as it can without waiting and then either
 *
 *   - returns POLL_READY (after task_set_result): the task is finished, or
 *   - returns POLL_PENDING: it cannot go on yet. Before returning it must
 *     have arranged to be woken (task_wake) when it can: by registering
 *     itself with whatever it waits for (timer_sleep_poll, kbd_channel_poll,
 *     task_join_poll do that for you), or by calling task_wake(self) itself
 *     to yield (run again after the other ready tasks).
 *
 * A task that returns POLL_PENDING without arranging a wake is never
 * polled again. Nothing is ever polled "just in case".
 *
 * References. A task's memory (not its state: that is dropped as soon as it
 * finishes) lives while someone holds a reference:
 *   - the executor, until the task finishes;
 *   - the caller of task_spawn: the returned pointer is a reference you own
 *     (like a join handle). Give it back with task_unref when you no longer
 *     need the task's result, or pass it on to whoever will join the task;
 *   - anything that will wake the task later (the timer, the keyboard
 *     channel, a joined task) holds one while it is registered.
 * So a finished task whose handle was dropped is freed at once, and a
 * pointer you hold a reference on is always safe to wake or inspect.
 *
 * Everything here is for task context (the executor's loop, inside polls,
 * or code that runs before the executor) except task_wake, task_ref and
 * task_unref, which interrupt handlers may call. One CPU: "IRQ-safe" means
 * the function disables interrupts around what it shares with handlers.
 */
#ifndef SELFOS_KERNEL_TASK_TASK_H
#define SELFOS_KERNEL_TASK_TASK_H

#include <stdbool.h>
#include <stdint.h>

/* What a poll function reports. */
enum poll_result {
	POLL_PENDING,   /* not finished; a wake has been arranged */
	POLL_READY,     /* finished; the result was set with task_set_result */
};

struct task;

/* A task's step function: self is the task being polled (also
 * task_current()), state the pointer given to task_spawn. */
typedef enum poll_result (*task_poll_fn)(struct task *self, void *state);

/* Longest task name kept (longer names are truncated), for messages. */
#define TASK_NAME_MAX 24

/*
 * Create a task and put it on the ready queue: it is first polled when the
 * executor next runs (never from inside task_spawn). Callable from tasks
 * (spawning from a poll is fine) and before the executor starts; not from
 * interrupt handlers (it allocates).
 *
 * The task owns `state` from now on: drop(state) is called once, right
 * after poll returns POLL_READY (drop may be NULL if state needs no
 * cleanup). Returns a reference the caller owns (see above), or NULL if
 * there is no memory; then state still belongs to the caller and drop is
 * not called.
 */
struct task *task_spawn(const char *name, task_poll_fn poll, void *state,
			void (*drop)(void *state));

/*
 * Make t ready: it will be polled again. IRQ-safe and idempotent (waking a
 * ready task does nothing; waking a finished task does nothing). A wake that
 * arrives while t is being polled is not lost: if that poll returns
 * POLL_PENDING, t goes straight back on the ready queue. The caller must
 * hold a reference on t (or be t).
 */
void task_wake(struct task *t);

/* Set the result a joiner will get, from inside self's poll, then return
 * POLL_READY. A task that finishes without calling it has result 0. */
void task_set_result(struct task *self, int64_t result);

/*
 * Wait for another task from inside self's poll. If `other` has finished:
 * returns true and stores its result. Otherwise registers self to be woken
 * when other finishes and returns false (return POLL_PENDING then). The
 * caller must hold a reference on other (usually the one task_spawn
 * returned) and drops it with task_unref when done with the result. One
 * joiner per task: a second task joining the same task panics.
 */
bool task_join_poll(struct task *self, struct task *other, int64_t *result);

/* Without waiting: true and the result if t has finished, false if not.
 * The caller must hold a reference on t. */
bool task_result(const struct task *t, int64_t *result);

/* Take / give back a reference. The last task_unref of a finished task
 * frees it; dropping the last reference of an unfinished task panics (the
 * executor holds one until it finishes, so that means a refcount bug).
 * IRQ-safe. */
void task_ref(struct task *t);
void task_unref(struct task *t);

/* The task whose poll is running, or NULL outside polls. */
struct task *task_current(void);

/* The task's name (for messages). */
const char *task_name(const struct task *t);

#endif
