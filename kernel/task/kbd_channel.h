/*
 * kbd_channel.h - the keyboard as something a task can wait on.
 *
 * The IRQ 1 handler (kernel/drivers/keyboard.c) only appends the scancode
 * to the driver's bounded queue and calls the notify function this channel
 * installs, which wakes the waiting task. Decoding scancodes into
 * characters happens here, in the task's poll, outside interrupt context.
 *
 * One consumer at a time: the user program's read_key while it runs, the
 * console's echo task afterwards. The decoder state (shift, caps lock...)
 * belongs to the channel, so it carries over from one consumer to the next.
 * Keys that arrive while the queue is full are dropped and counted
 * (keyboard_dropped); the driver prints the counted warning when the
 * consumer next pops ("keyboard: queue full, dropped N scancode(s)").
 */
#ifndef SELFOS_KERNEL_TASK_KBD_CHANNEL_H
#define SELFOS_KERNEL_TASK_KBD_CHANNEL_H

#include <stdbool.h>

struct task;

/*
 * From self's poll: decode queued scancodes until one gives a key. Returns
 * true with *ch = a character (0..255: '\n', '\b', '\t', 0x1B, ctrl+letter
 * 1..26 included) or a KEY_* code > 255 (kernel/drivers/keyboard.h).
 * Otherwise registers self as the channel's waiter (replacing a previous
 * one) and returns false: self is woken when the next scancode arrives.
 * The registration is made before the queue is looked at, so a key that
 * arrives during the call is never missed.
 */
bool kbd_channel_poll(struct task *self, int *ch);

#endif
