/*
 * keyboard.h - the PS/2 keyboard: a scancode queue filled by IRQ 1, and a
 * decoder from scancode set 1 to characters (US layout).
 *
 * Data flow: IRQ 1 -> keyboard_push_scancode (queue) -> notify callback
 * (wakes the consumer task) -> keyboard_pop_scancode -> keyboard_decode.
 * The interrupt handler does nothing else: decoding, echoing and any
 * printing happen in the consumer, outside interrupt context.
 */
#ifndef SELFOS_KERNEL_DRIVERS_KEYBOARD_H
#define SELFOS_KERNEL_DRIVERS_KEYBOARD_H

#include <stdbool.h>
#include <stdint.h>

/* Capacity of the scancode queue (a power of two). A key press and its
 * release are 2..4 bytes, so this holds 30+ keystrokes of backlog. */
#define KEYBOARD_QUEUE_SIZE 128

/* Initialise the PS/2 controller and keyboard (ps2_init), install the IRQ 1
 * handler and unmask IRQ 1 at the PIC. Without a controller or keyboard it
 * prints why and returns: the kernel runs on without keyboard input.
 * Call once, after pic_init and before interrupts are enabled. */
void keyboard_init(void);

/* Producer side: append a scancode. Returns false (and counts the loss in
 * keyboard_dropped) if the queue is full; never overwrites queued bytes.
 * Called by the IRQ 1 handler; also safe from any other context (it keeps
 * interrupts disabled for its few instructions, so it never interleaves
 * with the handler on this single CPU). */
bool keyboard_push_scancode(uint8_t scancode);

/* Consumer side: take the oldest scancode into *out; false if the queue
 * is empty. Lock-free and callable with interrupts on, but there must be
 * only one consumer at a time (the keyboard task). Prints a rate-limited
 * warning when scancodes were dropped since the last one, so the IRQ
 * handler never has to print. Not for interrupt context. */
bool keyboard_pop_scancode(uint8_t *out);

/* Total scancodes dropped because the queue was full. IRQ-safe. */
uint64_t keyboard_dropped(void);

/* Set the function called from IRQ 1 after each successful push (the
 * executor's waker for the keyboard task; it runs in interrupt context
 * with interrupts disabled). NULL removes it. */
void keyboard_set_notify(void (*fn)(void));

/* ---- decoding ----------------------------------------------------------- */

/* keyboard_decode results besides characters 0..255. */
#define KEY_NONE       (-1)     /* no character: modifier, release, prefix, unknown */
#define KEY_UP         0x100
#define KEY_DOWN       0x101
#define KEY_LEFT       0x102
#define KEY_RIGHT      0x103
#define KEY_HOME       0x104
#define KEY_END        0x105
#define KEY_PAGE_UP    0x106
#define KEY_PAGE_DOWN  0x107
#define KEY_INSERT     0x108
#define KEY_DELETE     0x109
#define KEY_F1         0x110    /* F1..F12 are KEY_F1 + 0..11 */

/* Decoder state: modifiers and the position inside multi-byte sequences.
 * Zero-initialise it (`struct keyboard_state st = {0};`) before use; each
 * consumer keeps its own. */
struct keyboard_state {
	bool lshift, rshift;
	bool lctrl, rctrl;
	bool lalt, ralt;
	bool caps_lock, caps_held;      /* held: to ignore typematic repeats */
	bool num_lock, num_held;
	bool extended;          /* last byte was the 0xE0 prefix */
	uint8_t skip;           /* bytes of a 0xE1 (Pause) sequence still to swallow */
};

/* Feed one set 1 scancode. Returns the character it produces (US layout:
 * shift, caps lock for letters only, ctrl+letter -> 1..26, '\n', '\b',
 * '\t', 0x1B), a KEY_* code > 255 for navigation and function keys, or
 * KEY_NONE. Releases (bit 7) only update modifiers. Pure: touches only
 * *st, so it may be called from anywhere. */
int keyboard_decode(struct keyboard_state *st, uint8_t scancode);

#endif
