/*
 * console.h - kernel text output: every byte goes to the VGA screen and to
 * COM1.
 *
 * Normal output (console_write, kprintf) is serialised by a spinlock taken
 * with interrupts disabled, so a line printed by an interrupt handler never
 * lands in the middle of another one. The machine has one CPU, so finding
 * the lock taken can only mean that this CPU re-entered the console: a
 * fault or NMI while printing, or a fault recovered by a kernel fixup in
 * the middle of a print (the test runner does that) that left it taken.
 * Waiting would deadlock forever; instead the writer counts the re-entry
 * (console_reentries) and goes ahead as the owner, and its release frees
 * a lock that was left taken.
 *
 * kprintf_emergency takes no lock at all: it is for panic and fault reports,
 * which must come out whatever the interrupted code held.
 */
#ifndef SELFOS_KERNEL_CORE_CONSOLE_H
#define SELFOS_KERNEL_CORE_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The 16 VGA text colours, in hardware order. */
enum console_color {
	CONSOLE_BLACK, CONSOLE_BLUE, CONSOLE_GREEN, CONSOLE_CYAN,
	CONSOLE_RED, CONSOLE_MAGENTA, CONSOLE_BROWN, CONSOLE_LIGHT_GREY,
	CONSOLE_DARK_GREY, CONSOLE_LIGHT_BLUE, CONSOLE_LIGHT_GREEN, CONSOLE_LIGHT_CYAN,
	CONSOLE_LIGHT_RED, CONSOLE_LIGHT_MAGENTA, CONSOLE_YELLOW, CONSOLE_WHITE,
};

/* Screen colour for what follows (serial output has no colour). IRQ-safe. */
void console_set_color(enum console_color fg, enum console_color bg);

/* Write n bytes to the screen and the serial port. IRQ-safe. */
void console_write(const char *s, size_t n);

/* printf to the console (lib/fmt.h conversions); returns the number of
 * characters printed. The whole message is written under one lock hold.
 * IRQ-safe. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

/* Like kprintf but without the lock, for panic() and exception reports.
 * Safe in any context, including with the console lock held by the code
 * that was interrupted. */
int kprintf_emergency(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf_emergency(const char *fmt, va_list ap);

/* True if the last byte written was '\n' (or nothing was written yet):
 * the test runner uses it to start its result lines at column 0. */
bool console_at_line_start(void);

/* How often the console was entered while its lock was already held (see
 * above). */
uint64_t console_reentries(void);

#endif
