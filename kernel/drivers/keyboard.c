/*
 * keyboard.c - IRQ 1, the scancode queue and the set 1 decoder.
 *
 * The queue is a single-producer / single-consumer ring, lock-free:
 *
 *   producer  keyboard_push_scancode (the IRQ 1 handler; tests with
 *             interrupts disabled): writes queue[head], then publishes
 *             head + 1. It is the only writer of queue_head, of the slot at
 *             head, and of the drop counter.
 *   consumer  keyboard_pop_scancode (the keyboard task): reads
 *             queue[tail], then publishes tail + 1. It is the only writer
 *             of queue_tail.
 *
 * head and tail run freely (uint32_t, wrapping) and index modulo the
 * power-of-two size, so head - tail is the fill level even across the
 * wrap and all 128 slots are usable. Each index has exactly one writer, so
 * no read-modify-write races exist and the consumer need not disable
 * interrupts: if IRQ 1 arrives in the middle of a pop, it can only add a
 * byte at head, a slot the consumer does not own yet. What must hold is the
 * order of the memory accesses, which the compiler would otherwise be free
 * to change: the release store of head comes after the slot is written and
 * the acquire load of head before the slot is read (and the same for tail
 * in the other direction, so a slot is not reused while still being read).
 * On x86 (TSO) these are plain moves with compiler barriers; they would
 * stay correct with the interrupt handled on another CPU.
 *
 * A full queue drops the new scancode (never an old one, never a partial
 * overwrite) and counts it. The IRQ handler does not print: the consumer
 * notices a changed count and prints a rate-limited warning. (kprintf takes
 * an IRQ-safe lock and would be allowed in the handler, but printing to
 * VGA and a 115200-baud serial port there would keep interrupts off for
 * milliseconds, exactly while keys are arriving too fast.) A dropped
 * release code can leave a modifier "stuck" in the decoder until that key
 * is pressed and released again; the queue itself stays consistent.
 */
#include "kernel/drivers/keyboard.h"

#include <stddef.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/pic.h"
#include "kernel/arch/pit.h"
#include "kernel/core/console.h"
#include "kernel/drivers/ps2.h"

#define KEYBOARD_IRQ              1
#define KEYBOARD_DROP_REPORT_MS   1000  /* at most one drop warning per second */

_Static_assert((KEYBOARD_QUEUE_SIZE & (KEYBOARD_QUEUE_SIZE - 1)) == 0,
	       "KEYBOARD_QUEUE_SIZE must be a power of two");

static uint8_t queue[KEYBOARD_QUEUE_SIZE];
static uint32_t queue_head;             /* written by the producer only */
static uint32_t queue_tail;             /* written by the consumer only */
static uint64_t queue_dropped;          /* written by the producer only */
static void (*queue_notify)(void);

/* Consumer-only bookkeeping for the drop warning. */
static uint64_t drops_reported;
static uint64_t drops_reported_at_ms;
static bool drops_ever_reported;

/* ---- queue -------------------------------------------------------------- */

bool keyboard_push_scancode(uint8_t scancode)
{
	/* In the IRQ handler interrupts are already off; from elsewhere this
	 * keeps the handler from becoming a second, interleaved producer. */
	uint64_t flags = irq_save();
	uint32_t head = queue_head;
	uint32_t tail = __atomic_load_n(&queue_tail, __ATOMIC_ACQUIRE);
	bool ok = head - tail < KEYBOARD_QUEUE_SIZE;
	if (ok) {
		queue[head % KEYBOARD_QUEUE_SIZE] = scancode;
		__atomic_store_n(&queue_head, head + 1, __ATOMIC_RELEASE);
	} else {
		__atomic_store_n(&queue_dropped, queue_dropped + 1, __ATOMIC_RELAXED);
	}
	irq_restore(flags);
	return ok;
}

static void report_drops(void)
{
	uint64_t dropped = keyboard_dropped();
	if (dropped == drops_reported)
		return;
	uint64_t now = uptime_ms();
	if (drops_ever_reported && now - drops_reported_at_ms < KEYBOARD_DROP_REPORT_MS)
		return;
	kprintf("keyboard: queue full, dropped %llu scancode(s) (%llu in total)\n",
		(unsigned long long)(dropped - drops_reported), (unsigned long long)dropped);
	drops_reported = dropped;
	drops_reported_at_ms = now;
	drops_ever_reported = true;
}

bool keyboard_pop_scancode(uint8_t *out)
{
	report_drops();
	uint32_t tail = queue_tail;
	uint32_t head = __atomic_load_n(&queue_head, __ATOMIC_ACQUIRE);
	if (head == tail)
		return false;
	*out = queue[tail % KEYBOARD_QUEUE_SIZE];
	__atomic_store_n(&queue_tail, tail + 1, __ATOMIC_RELEASE);
	return true;
}

uint64_t keyboard_dropped(void)
{
	return __atomic_load_n(&queue_dropped, __ATOMIC_RELAXED);
}

void keyboard_set_notify(void (*fn)(void))
{
	__atomic_store_n(&queue_notify, fn, __ATOMIC_RELEASE);
}

/* ---- IRQ 1 -------------------------------------------------------------- */

/* Read the byte (which frees the controller for the next one), queue it,
 * wake the consumer. Nothing else happens in interrupt context. */
static void keyboard_irq(struct trap_frame *tf)
{
	(void)tf;
	uint8_t scancode;
	if (!ps2_read_port1_byte(&scancode))
		return;
	if (keyboard_push_scancode(scancode)) {
		void (*fn)(void) = __atomic_load_n(&queue_notify, __ATOMIC_ACQUIRE);
		if (fn)
			fn();
	}
}

void keyboard_init(void)
{
	if (!ps2_init()) {
		kprintf("keyboard: none found, continuing without keyboard input\n");
		return;
	}
	irq_set_handler(KEYBOARD_IRQ, keyboard_irq);
	pic_unmask(KEYBOARD_IRQ);
}

/* ---- decoder (scancode set 1, US layout) ------------------------------- */

/* Set 1 scancodes with a fixed meaning. */
#define SC_EXTENDED      0xE0   /* next byte is an extended key */
#define SC_PAUSE_PREFIX  0xE1   /* Pause: E1 1D 45 E1 9D C5, no release */
#define SC_RELEASE       0x80   /* bit 7: key released */
#define SC_LCTRL         0x1D   /* E0 1D: right ctrl */
#define SC_LSHIFT        0x2A   /* E0 2A: "fake shift" around some E0 keys */
#define SC_RSHIFT        0x36   /* E0 36: fake shift too */
#define SC_LALT          0x38   /* E0 38: right alt (AltGr) */
#define SC_CAPS_LOCK     0x3A
#define SC_F1            0x3B   /* 0x3B..0x44: F1..F10 */
#define SC_F10           0x44
#define SC_NUM_LOCK      0x45
#define SC_KEYPAD_FIRST  0x47   /* 0x47..0x53: the keypad block */
#define SC_KEYPAD_LAST   0x53
#define SC_F11           0x57
#define SC_F12           0x58

/* Bytes that are not keys: error/overrun (0x00, 0xFF) and replies to
 * commands (ACK, resend, echo) that can reach the queue when a command is
 * sent to the keyboard while it is running. */
#define SC_ERROR         0x00
#define SC_OVERRUN       0xFF
#define SC_ACK           0xFA
#define SC_RESEND        0xFE
#define SC_ECHO          0xEE

/* Make codes 0x00..0x39, unshifted and shifted; '\0' = no character. The
 * ESC byte is split off ("\x1b" "1") so that "1" is not read as hex. */
static const char keymap_plain[] =
	"\0\x1b" "1234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char keymap_shift[] =
	"\0\x1b" "!@#$%^&*()_+\b\tQWERTYUIOP{}\n\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";
#define KEYMAP_LEN 0x3A
_Static_assert(sizeof(keymap_plain) == KEYMAP_LEN + 1, "keymap_plain covers 0x00..0x39");
_Static_assert(sizeof(keymap_shift) == KEYMAP_LEN + 1, "keymap_shift covers 0x00..0x39");

/* Keypad 0x47..0x53 with num lock on, and the navigation keys it doubles
 * as with num lock off ('-' and '+' are the same either way; 5 is nothing). */
static const char keypad_digits[] = "789-456+1230.";
static const int keypad_nav[] = {
	KEY_HOME, KEY_UP, KEY_PAGE_UP, '-', KEY_LEFT, KEY_NONE, KEY_RIGHT, '+',
	KEY_END, KEY_DOWN, KEY_PAGE_DOWN, KEY_INSERT, KEY_DELETE,
};
_Static_assert(sizeof(keypad_digits) - 1 == SC_KEYPAD_LAST - SC_KEYPAD_FIRST + 1, "keypad table");
_Static_assert(sizeof(keypad_nav) / sizeof(keypad_nav[0]) == SC_KEYPAD_LAST - SC_KEYPAD_FIRST + 1,
	       "keypad table");

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* After an 0xE0 prefix. Only right ctrl/alt change state; the fake shifts
 * (E0 2A / E0 36 and their releases, sent around Print Screen and the
 * gray navigation keys) must not touch the real shift state. */
static int decode_extended(struct keyboard_state *st, uint8_t code, bool release)
{
	switch (code) {
	case SC_LCTRL:
		st->rctrl = !release;
		return KEY_NONE;
	case SC_LALT:
		st->ralt = !release;
		return KEY_NONE;
	default:
		break;
	}
	if (release)
		return KEY_NONE;
	switch (code) {
	case 0x1C: return '\n';         /* keypad enter */
	case 0x35: return '/';          /* keypad slash */
	case 0x47: return KEY_HOME;
	case 0x48: return KEY_UP;
	case 0x49: return KEY_PAGE_UP;
	case 0x4B: return KEY_LEFT;
	case 0x4D: return KEY_RIGHT;
	case 0x4F: return KEY_END;
	case 0x50: return KEY_DOWN;
	case 0x51: return KEY_PAGE_DOWN;
	case 0x52: return KEY_INSERT;
	case 0x53: return KEY_DELETE;
	default:   return KEY_NONE;     /* fake shifts, Print Screen, GUI, menu, media */
	}
}

/* A key that produces a character from the main block. */
static int decode_main(const struct keyboard_state *st, uint8_t code)
{
	bool shift = st->lshift || st->rshift;
	char c = shift ? keymap_shift[code] : keymap_plain[code];
	if (c == '\0')
		return KEY_NONE;
	if (is_letter(c)) {
		/* Caps lock inverts shift for letters only: caps+shift+a = 'a'. */
		if (st->caps_lock)
			c = (c >= 'a') ? (char)(c - 'a' + 'A') : (char)(c - 'A' + 'a');
		/* ctrl+letter = the letter's position: ctrl-c = 3 (ETX). */
		if (st->lctrl || st->rctrl)
			return (c | 0x20) - 'a' + 1;
	}
	return (unsigned char)c;
}

int keyboard_decode(struct keyboard_state *st, uint8_t scancode)
{
	if (st->skip) {
		st->skip--;
		return KEY_NONE;
	}
	switch (scancode) {
	case SC_EXTENDED:
		st->extended = true;
		return KEY_NONE;
	case SC_PAUSE_PREFIX:
		st->extended = false;
		st->skip = 2;
		return KEY_NONE;
	case SC_ERROR: case SC_OVERRUN: case SC_ACK: case SC_RESEND: case SC_ECHO:
		return KEY_NONE;
	default:
		break;
	}

	bool release = scancode & SC_RELEASE;
	uint8_t code = scancode & (uint8_t)~SC_RELEASE;
	if (st->extended) {
		st->extended = false;
		return decode_extended(st, code, release);
	}

	switch (code) {
	case SC_LSHIFT:
		st->lshift = !release;
		return KEY_NONE;
	case SC_RSHIFT:
		st->rshift = !release;
		return KEY_NONE;
	case SC_LCTRL:
		st->lctrl = !release;
		return KEY_NONE;
	case SC_LALT:
		st->lalt = !release;
		return KEY_NONE;
	case SC_CAPS_LOCK:
		/* A held key repeats its make code: toggle on the first only. */
		if (!release && !st->caps_held)
			st->caps_lock = !st->caps_lock;
		st->caps_held = !release;
		return KEY_NONE;
	case SC_NUM_LOCK:
		if (!release && !st->num_held)
			st->num_lock = !st->num_lock;
		st->num_held = !release;
		return KEY_NONE;
	default:
		break;
	}
	if (release)
		return KEY_NONE;

	if (code < KEYMAP_LEN)
		return decode_main(st, code);
	if (code >= SC_F1 && code <= SC_F10)
		return KEY_F1 + (code - SC_F1);
	if (code == SC_F11 || code == SC_F12)
		return KEY_F1 + 10 + (code - SC_F11);
	if (code >= SC_KEYPAD_FIRST && code <= SC_KEYPAD_LAST) {
		unsigned i = code - SC_KEYPAD_FIRST;
		bool shift = st->lshift || st->rshift;
		/* Shift inverts num lock on the keypad, as on every PC. */
		if (st->num_lock != shift)
			return (unsigned char)keypad_digits[i];
		return keypad_nav[i];
	}
	if (code == 0x56)               /* the extra key of 102-key boards, left of Z */
		return (st->lshift || st->rshift) ? '|' : '\\';
	return KEY_NONE;
}
