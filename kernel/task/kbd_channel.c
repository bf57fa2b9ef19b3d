/*
 * kbd_channel.c - decoded keys for the task that waits for them.
 *
 * The flow of one key press:
 *   IRQ 1          keyboard.c reads the scancode, keyboard_push_scancode
 *                  queues it (or counts it dropped), then calls notify.
 *   notify         (here, still in the IRQ) task_wake(waiter): the waiting
 *                  task goes on the ready queue. Nothing else: no decoding,
 *                  no printing, no allocation in interrupt context.
 *   executor       polls the task, which calls kbd_channel_poll: pop
 *                  scancodes, decode, return the character.
 *
 * `waiter` is shared with the IRQ handler, so it is read and changed with
 * interrupts disabled. It holds a reference on the task, so the handler
 * never wakes freed memory.
 */
#include "kernel/task/kbd_channel.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/cpu.h"
#include "kernel/drivers/keyboard.h"
#include "kernel/task/task_priv.h"

static struct task *waiter;
static struct keyboard_state decoder;   /* shared by successive consumers */

/* IRQ 1, interrupts off, after a scancode was queued. */
static void kbd_notify(void)
{
	if (waiter)
		task_wake(waiter);
}

/* Make t the waiter (or no one, t == NULL); drop the old one's reference. */
static void set_waiter(struct task *t)
{
	if (t)
		task_ref(t);
	uint64_t flags = irq_save();
	struct task *old = waiter;
	waiter = t;
	irq_restore(flags);
	if (old)
		task_unref(old);
}

bool kbd_channel_poll(struct task *self, int *ch)
{
	/* (Re)installed on every poll: cheap, and a test that borrowed the
	 * notify hook cannot leave the channel deaf. */
	keyboard_set_notify(kbd_notify);
	/* Register first, then look: a scancode queued after our last look
	 * wakes us, one queued before it is found by the look. Looking first
	 * would leave a window where a key arrives, finds no waiter, and sits
	 * in the queue until the next key. */
	if (waiter != self)
		set_waiter(self);
	uint8_t sc;
	while (keyboard_pop_scancode(&sc)) {
		int c = keyboard_decode(&decoder, sc);
		if (c != KEY_NONE) {
			/* Not waiting any more: only a pending task is registered. */
			set_waiter(NULL);
			*ch = c;
			return true;
		}
	}
	return false;
}

void kbd_channel_forget(struct task *t)
{
	/* Task context only (task_finish), so waiter cannot change under us
	 * except through an IRQ, which never writes it. */
	if (waiter == t)
		set_waiter(NULL);
}
