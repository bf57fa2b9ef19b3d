/*
 * pit.c - PIT channel 0 as the periodic tick (Intel 82C54 datasheet).
 */
#include "kernel/arch/pit.h"

#include "kernel/arch/cpu.h"
#include "kernel/arch/pic.h"
#include "kernel/core/panic.h"

#define PIT_CH0_DATA       0x40
#define PIT_CMD            0x43
#define PIT_SEL_CH0        0x00
#define PIT_ACCESS_LOHI    0x30    /* low byte, then high byte */
#define PIT_MODE_RATE      0x04    /* mode 2: one short pulse per period */
#define PIT_BINARY         0x00
#define PIT_IRQ            0

/* The input clock is 3579545 / 3 Hz exactly; keep the fraction. */
#define PIT_CLOCK_X3       3579545ull
#define PIT_DIVISOR        1193u   /* round(1193181.67 / PIT_HZ) */

static volatile uint64_t ticks;
static void (*hooks[PIT_MAX_HOOKS])(struct trap_frame *tf, uint64_t ticks);
static unsigned hook_count;

static void pit_irq(struct trap_frame *tf)
{
	uint64_t now = ticks + 1;
	__atomic_store_n(&ticks, now, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < hook_count; i++)
		hooks[i](tf, now);
}

void pit_init(void)
{
	outb(PIT_CMD, PIT_SEL_CH0 | PIT_ACCESS_LOHI | PIT_MODE_RATE | PIT_BINARY);
	outb(PIT_CH0_DATA, PIT_DIVISOR & 0xFF);
	outb(PIT_CH0_DATA, PIT_DIVISOR >> 8);
	irq_set_handler(PIT_IRQ, pit_irq);
	pic_unmask(PIT_IRQ);
}

uint64_t pit_ticks(void)
{
	return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

uint64_t uptime_ms(void)
{
	/* ms = ticks * divisor / (clock / 1000) = ticks * divisor * 3000 / (3 * clock).
	 * Overflows after 2^64 / 3.6e6 ticks: 160 years. */
	return pit_ticks() * PIT_DIVISOR * 3000ull / PIT_CLOCK_X3;
}

void pit_add_tick_hook(void (*fn)(struct trap_frame *tf, uint64_t ticks))
{
	uint64_t flags = irq_save();
	if (hook_count == PIT_MAX_HOOKS) {
		irq_restore(flags);
		panic("pit_add_tick_hook: all %d hook slots are taken", PIT_MAX_HOOKS);
	}
	hooks[hook_count] = fn;
	/* The IRQ may run between these two stores: publish the count last. */
	__atomic_store_n(&hook_count, hook_count + 1, __ATOMIC_RELEASE);
	irq_restore(flags);
}
