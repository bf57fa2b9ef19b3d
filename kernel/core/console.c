/*
 * console.c - the kernel console: VGA + serial under one lock.
 */
#include "kernel/core/console.h"

#include "kernel/arch/cpu.h"
#include "kernel/drivers/serial.h"
#include "kernel/drivers/vga.h"
#include "lib/fmt.h"

/* Protects the VGA cursor and colour and keeps messages whole. Taken only
 * with interrupts off (see console.h for what finding it taken means). */
static volatile int console_lock;
static uint64_t reentries;
static volatile bool at_line_start = true;

/* Finding the lock taken means this CPU re-entered the console (see
 * console.h): count it and carry on as the owner. The release at the end
 * then also frees a lock that a recovered fault left taken. */
static void lock_acquire(void)
{
	if (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE) != 0)
		reentries++;
}

static void lock_release(void)
{
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

/* The sink for both fmt_vformat and console_write: caller holds the lock
 * (or is the emergency path). */
static void emit(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (n == 0)
		return;
	vga_write(s, n);
	serial_write(s, n);
	at_line_start = s[n - 1] == '\n';
}

void console_set_color(enum console_color fg, enum console_color bg)
{
	uint64_t flags = irq_save();
	lock_acquire();
	vga_set_color((uint8_t)fg, (uint8_t)bg);
	lock_release();
	irq_restore(flags);
}

void console_write(const char *s, size_t n)
{
	uint64_t flags = irq_save();
	lock_acquire();
	emit(NULL, s, n);
	lock_release();
	irq_restore(flags);
}

int kvprintf(const char *fmt, va_list ap)
{
	uint64_t flags = irq_save();
	lock_acquire();
	int n = fmt_vformat(emit, NULL, fmt, ap);
	lock_release();
	irq_restore(flags);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

int kvprintf_emergency(const char *fmt, va_list ap)
{
	return fmt_vformat(emit, NULL, fmt, ap);
}

int kprintf_emergency(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf_emergency(fmt, ap);
	va_end(ap);
	return n;
}

bool console_at_line_start(void)
{
	return at_line_start;
}

uint64_t console_reentries(void)
{
	return reentries;
}
