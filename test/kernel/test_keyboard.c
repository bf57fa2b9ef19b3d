/*
 * test_keyboard.c - the PS/2 keyboard: scancodes put into the keyboard
 * queue come out as the right characters, in order; overflow is counted;
 * the controller was found; IRQ 1 reaches the queue.
 *
 * Scancodes below are set 1 make codes, release = make | 0x80:
 * 0x2A/0xAA left shift, 0x1D/0x9D left ctrl, 0x3A caps lock, 0x23 h,
 * 0x17 i, 0x1E a, 0x2E c, 0x02 '1'.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/pit.h"
#include "kernel/core/ktest.h"
#include "kernel/drivers/keyboard.h"
#include "kernel/drivers/ps2.h"

/* Decode a byte sequence with a fresh or given state; the characters (and
 * KEY_* codes) it produced go to out, their number is returned. */
static size_t decode_seq(struct keyboard_state *st, const uint8_t *sc, size_t n,
			 int *out, size_t max)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		int key = keyboard_decode(st, sc[i]);
		if (key != KEY_NONE && count < max)
			out[count++] = key;
	}
	return count;
}

/* Empty the queue of anything a real key press left there. */
static void drain_queue(void)
{
	uint8_t sc;
	while (keyboard_pop_scancode(&sc))
		;
}

KTEST(keyboard_decode_shift_h_i)
{
	static const uint8_t sc[] = { 0x2A, 0x23, 0xA3, 0xAA, 0x17, 0x97 };
	struct keyboard_state st = {0};
	int out[8];
	KASSERT_EQ(decode_seq(&st, sc, sizeof(sc), out, 8), 2);
	KASSERT_EQ(out[0], 'H');
	KASSERT_EQ(out[1], 'i');
	KASSERT(!st.lshift);
}

KTEST(keyboard_decode_main_block)
{
	/* 1 - = backspace tab [ enter ` \ , / space esc, then shifted ; ' 2 */
	static const uint8_t sc[] = { 0x02, 0x0C, 0x0D, 0x0E, 0x0F, 0x1A, 0x1C, 0x29, 0x2B,
				      0x33, 0x35, 0x39, 0x01,
				      0x36, 0x27, 0x28, 0x03, 0xB6 };
	static const int want[] = { '1', '-', '=', '\b', '\t', '[', '\n', '`', '\\',
				    ',', '/', ' ', 0x1B, ':', '"', '@' };
	struct keyboard_state st = {0};
	int out[20];
	size_t n = decode_seq(&st, sc, sizeof(sc), out, 20);
	KASSERT_EQ(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		KASSERT_EQ(out[i], want[i]);
}

KTEST(keyboard_decode_releases_produce_nothing)
{
	struct keyboard_state st = {0};
	for (unsigned sc = 0x81; sc <= 0xD8; sc++)
		KASSERT_EQ(keyboard_decode(&st, (uint8_t)sc), KEY_NONE);
}

KTEST(keyboard_decode_caps_lock)
{
	struct keyboard_state st = {0};
	/* caps on (the make code repeats while held: one toggle only) */
	static const uint8_t on[] = { 0x3A, 0x3A, 0x3A, 0xBA };
	int out[4];
	KASSERT_EQ(decode_seq(&st, on, sizeof(on), out, 4), 0);
	KASSERT(st.caps_lock);
	KASSERT_EQ(keyboard_decode(&st, 0x1E), 'A');
	/* caps affects letters only */
	KASSERT_EQ(keyboard_decode(&st, 0x02), '1');
	/* shift inverts caps for letters, still shifts digits */
	keyboard_decode(&st, 0x2A);
	KASSERT_EQ(keyboard_decode(&st, 0x1E), 'a');
	KASSERT_EQ(keyboard_decode(&st, 0x02), '!');
	keyboard_decode(&st, 0xAA);
	/* caps off again */
	keyboard_decode(&st, 0x3A);
	keyboard_decode(&st, 0xBA);
	KASSERT(!st.caps_lock);
	KASSERT_EQ(keyboard_decode(&st, 0x1E), 'a');
}

KTEST(keyboard_decode_ctrl)
{
	struct keyboard_state st = {0};
	static const uint8_t ctrl_c[] = { 0x1D, 0x2E, 0xAE, 0x9D, 0x2E };
	int out[4];
	KASSERT_EQ(decode_seq(&st, ctrl_c, sizeof(ctrl_c), out, 4), 2);
	KASSERT_EQ(out[0], 3);                   /* ctrl-c = ETX */
	KASSERT_EQ(out[1], 'c');                 /* ctrl released */
	/* right ctrl (E0 1D) with shift and caps: still 1..26 */
	static const uint8_t rctrl_a[] = { 0x3A, 0xBA, 0x2A, 0xE0, 0x1D, 0x1E, 0x9E, 0xE0, 0x9D, 0xAA };
	KASSERT_EQ(decode_seq(&st, rctrl_a, sizeof(rctrl_a), out, 4), 1);
	KASSERT_EQ(out[0], 1);
	KASSERT(!st.rctrl && !st.lctrl);
}

KTEST(keyboard_decode_extended_no_stray_chars)
{
	struct keyboard_state st = {0};
	int out[8];
	/* Print Screen: E0 2A E0 37, release E0 B7 E0 AA. The fake shift
	 * must not shift, 0x37 must not become keypad '*'. */
	static const uint8_t prtsc[] = { 0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA };
	KASSERT_EQ(decode_seq(&st, prtsc, sizeof(prtsc), out, 8), 0);
	KASSERT(!st.lshift && !st.extended);
	KASSERT_EQ(keyboard_decode(&st, 0x1E), 'a');
	/* Pause: E1 1D 45 E1 9D C5 must not toggle num lock or press ctrl. */
	static const uint8_t pause[] = { 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5 };
	KASSERT_EQ(decode_seq(&st, pause, sizeof(pause), out, 8), 0);
	KASSERT(!st.num_lock && !st.lctrl);
	KASSERT_EQ(keyboard_decode(&st, 0x2E), 'c');
	/* gray arrows, keypad enter and slash */
	static const uint8_t nav[] = { 0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x4B, 0xE0, 0xCB,
				       0xE0, 0x53, 0xE0, 0xD3, 0xE0, 0x1C, 0xE0, 0x9C, 0xE0, 0x35, 0xE0, 0xB5 };
	KASSERT_EQ(decode_seq(&st, nav, sizeof(nav), out, 8), 5);
	KASSERT_EQ(out[0], KEY_UP);
	KASSERT_EQ(out[1], KEY_LEFT);
	KASSERT_EQ(out[2], KEY_DELETE);
	KASSERT_EQ(out[3], '\n');
	KASSERT_EQ(out[4], '/');
	/* the byte after an extended key is read normally */
	KASSERT_EQ(keyboard_decode(&st, 0x23), 'h');
}

KTEST(keyboard_queue_decodes_in_order)
{
	static const uint8_t sc[] = { 0x2A, 0x23, 0xA3, 0xAA, 0x17, 0x97 };
	uint8_t got[16];
	size_t pushed = 0, popped = 0;

	/* Interrupts off so a real key press cannot slip in between; the
	 * assertions come after irq_restore (a failing one leaves the case). */
	uint64_t flags = irq_save();
	drain_queue();
	for (size_t i = 0; i < sizeof(sc); i++)
		pushed += keyboard_push_scancode(sc[i]);
	while (popped < sizeof(got) && keyboard_pop_scancode(&got[popped]))
		popped++;
	irq_restore(flags);

	KASSERT_EQ(pushed, sizeof(sc));
	KASSERT_EQ(popped, sizeof(sc));
	struct keyboard_state st = {0};
	int out[4];
	KASSERT_EQ(decode_seq(&st, got, popped, out, 4), 2);
	KASSERT_EQ(out[0], 'H');
	KASSERT_EQ(out[1], 'i');
}

KTEST(keyboard_queue_overflow_is_counted)
{
	enum { EXTRA = 10 };
	static uint8_t got[KEYBOARD_QUEUE_SIZE + EXTRA];
	unsigned accepted = 0, popped = 0;
	bool reusable;
	uint8_t again = 0, spare;

	uint64_t flags = irq_save();
	drain_queue();
	uint64_t dropped_before = keyboard_dropped();
	for (unsigned i = 0; i < KEYBOARD_QUEUE_SIZE + EXTRA; i++)
		accepted += keyboard_push_scancode((uint8_t)i);
	uint64_t dropped = keyboard_dropped() - dropped_before;
	while (popped < KEYBOARD_QUEUE_SIZE + EXTRA && keyboard_pop_scancode(&got[popped]))
		popped++;
	/* the queue works normally afterwards */
	reusable = keyboard_push_scancode(0x42) && keyboard_pop_scancode(&again) &&
		   !keyboard_pop_scancode(&spare);
	irq_restore(flags);

	KASSERT_EQ(accepted, KEYBOARD_QUEUE_SIZE);
	KASSERT_EQ(dropped, EXTRA);
	/* exactly the first KEYBOARD_QUEUE_SIZE come out, in order */
	KASSERT_EQ(popped, KEYBOARD_QUEUE_SIZE);
	for (unsigned i = 0; i < popped; i++)
		KASSERT_EQ(got[i], (uint8_t)i);
	KASSERT(reusable);
	KASSERT_EQ(again, 0x42);
}

KTEST(keyboard_queue_wraps_around)
{
	/* Many partial fills, so head and tail pass the end of the ring at
	 * every possible offset. */
	unsigned errors = 0, transferred = 0;
	uint8_t next_in = 0, next_out = 0, b;

	uint64_t flags = irq_save();
	drain_queue();
	for (unsigned round = 0; round < 3 * KEYBOARD_QUEUE_SIZE; round++) {
		unsigned burst = 1 + round % 7;
		for (unsigned i = 0; i < burst; i++)
			errors += !keyboard_push_scancode(next_in++);
		for (unsigned i = 0; i < burst; i++) {
			if (!keyboard_pop_scancode(&b) || b != next_out)
				errors++;
			next_out++;
			transferred++;
		}
		errors += keyboard_pop_scancode(&b);
	}
	irq_restore(flags);

	KASSERT_EQ(errors, 0);
	KASSERT(transferred > 3 * KEYBOARD_QUEUE_SIZE);
}

KTEST(ps2_controller_and_keyboard_found)
{
	/* QEMU's pc machine has an 8042 with a keyboard on port 1; a machine
	 * without one (-machine pc,i8042=off, legacy-free boards) is skipped
	 * here and checked by test/system/machines.sh. */
	if (!ps2_present())
		KTEST_SKIP("no 8042 controller on this machine");
	KASSERT(ps2_present());
	KASSERT(ps2_keyboard_present());
}

static volatile unsigned irq_notifications;

static void count_notification(void)
{
	irq_notifications++;
}

KTEST(keyboard_irq_end_to_end)
{
	/* 8042 command 0xD2 makes a byte look as if the keyboard sent it:
	 * IRQ 1 -> handler -> queue -> notify, the path a key press takes. */
	if (!ps2_keyboard_present())
		KTEST_SKIP("no PS/2 keyboard to inject into");
	KASSERT(cpu_irqs_enabled());
	uint64_t flags = irq_save();
	drain_queue();
	irq_notifications = 0;
	keyboard_set_notify(count_notification);
	irq_restore(flags);

	KASSERT(ps2_inject_port1_byte(0x1E));
	uint64_t deadline = pit_ticks() + PIT_HZ / 10;     /* 100 ms */
	while (irq_notifications == 0 && pit_ticks() < deadline)
		cpu_hlt();                                  /* the PIT wakes us */
	keyboard_set_notify(NULL);

	KASSERT_EQ(irq_notifications, 1);
	uint8_t b;
	KASSERT(keyboard_pop_scancode(&b));
	KASSERT_EQ(b, 0x1E);
	struct keyboard_state st = {0};
	KASSERT_EQ(keyboard_decode(&st, b), 'a');
}
