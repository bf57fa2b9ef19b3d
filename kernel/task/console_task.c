/*
 * console_task.c - the console task: report the user program's result,
 * say the system is ready, echo the keyboard.
 *
 * Written as the state machine an `async fn` compiles to: the phase says
 * where the last poll stopped, and each poll resumes there.
 *
 *   async fn console(user) {
 *       if user { let r = user.await; print(r); }      // PHASE_JOIN
 *       print("selfos is ready...");                    // PHASE_GREET
 *       loop { let c = keyboard.next().await; echo(c) } // PHASE_ECHO
 *   }
 */
#include "kernel/task/console_task.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/core/console.h"
#include "kernel/core/panic.h"
#include "kernel/drivers/ps2.h"
#include "kernel/mm/kheap.h"
#include "kernel/task/kbd_channel.h"
#include "kernel/task/task.h"

enum console_phase {
	PHASE_JOIN,     /* waiting for the user program */
	PHASE_GREET,    /* print the ready line */
	PHASE_ECHO,     /* echo keys forever */
};

struct console_state {
	enum console_phase phase;
	struct task *user;      /* our reference on it, until joined */
	unsigned line_len;      /* characters typed since the last Enter */
};

static void echo(struct console_state *st, int ch)
{
	if (ch == '\n') {
		console_write("\n", 1);
		st->line_len = 0;
	} else if (ch == '\b') {
		/* Only what was typed on this line can be erased: not the
		 * prompt above it. Back, blank, back again, so a serial
		 * terminal (where \b only moves the cursor) erases too. */
		if (st->line_len > 0) {
			console_write("\b \b", 3);
			st->line_len--;
		}
	} else if (ch == '\t' || (ch >= 0x20 && ch <= 0x7E)) {
		/* A tab is echoed as one space, so Backspace erases it exactly. */
		char c = ch == '\t' ? ' ' : (char)ch;
		console_write(&c, 1);
		st->line_len++;
	}
	/* Escape, ctrl+letter and the KEY_* navigation keys have nothing to
	 * show on a line echo: ignored. */
}

static enum poll_result console_poll(struct task *self, void *state)
{
	struct console_state *st = state;
	switch (st->phase) {
	case PHASE_JOIN:
		if (st->user) {
			int64_t result;
			if (!task_join_poll(self, st->user, &result))
				return POLL_PENDING;
			kprintf("console: user program finished, result %lld\n", (long long)result);
			task_unref(st->user);
			st->user = NULL;
		}
		st->phase = PHASE_GREET;
		/* fall through */
	case PHASE_GREET:
		console_set_color(CONSOLE_LIGHT_GREEN, CONSOLE_BLACK);
		/* Without a keyboard the invitation would be a lie: say why the
		 * screen will stay quiet (the system is still up: timer, tasks). */
		if (ps2_keyboard_present())
			kprintf("%s\n", CONSOLE_TASK_READY_LINE);
		else
			kprintf("%s\n", CONSOLE_TASK_READY_NO_KEYBOARD);
		console_set_color(CONSOLE_LIGHT_GREY, CONSOLE_BLACK);
		st->phase = PHASE_ECHO;
		/* fall through */
	case PHASE_ECHO:
		for (;;) {
			int ch;
			if (!kbd_channel_poll(self, &ch))
				return POLL_PENDING;
			echo(st, ch);
		}
	}
	panic("console task: bad phase %d", (int)st->phase);
}

static void console_drop(void *state)
{
	struct console_state *st = state;
	if (st->user)
		task_unref(st->user);
	kfree(st);
}

void console_task_spawn(struct task *user)
{
	struct console_state *st = kcalloc(1, sizeof(*st));
	if (st == NULL)
		panic("console task: no memory for its state");
	st->phase = PHASE_JOIN;
	st->user = user;
	struct task *t = task_spawn("console", console_poll, st, console_drop);
	if (t == NULL)
		panic("console task: cannot spawn it");
	task_unref(t);          /* nobody joins the console: it runs forever */
}
