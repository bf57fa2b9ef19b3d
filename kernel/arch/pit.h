/*
 * pit.h - the 8253/8254 programmable interval timer, channel 0 on IRQ 0:
 * the kernel's tick.
 *
 * The PIT counts down a 1.193182 MHz clock (a third of the NTSC colour
 * burst, 3.579545 MHz); the divisor is 1193, so the real rate is
 * 1193181.67 / 1193 = 1000.152 Hz: a tick is 0.99985 ms. pit_ticks counts
 * ticks; uptime_ms converts with the exact rate, so it does not drift by
 * the 0.015 % (13 s a day) that counting ticks as milliseconds would.
 */
#ifndef SELFOS_KERNEL_ARCH_PIT_H
#define SELFOS_KERNEL_ARCH_PIT_H

#include <stdint.h>

#include "kernel/arch/idt.h"

#define PIT_HZ          1000     /* nominal tick rate */
#define PIT_MAX_HOOKS   4

/* Program channel 0 (mode 2, rate generator), install the IRQ 0 handler
 * and unmask IRQ 0. Call after pic_init; ticks start once interrupts are
 * enabled. */
void pit_init(void);

/* Ticks since pit_init. IRQ-safe (a single 64-bit read). */
uint64_t pit_ticks(void);

/* Milliseconds since pit_init, from the exact tick rate. IRQ-safe. */
uint64_t uptime_ms(void);

/* Call fn(tf, ticks) on every tick, from IRQ 0 with interrupts off and
 * before the EOI, after the counter was incremented (ticks is the new
 * value). Keep it short. Up to PIT_MAX_HOOKS hooks (panics beyond), in the
 * order added; there is no removal. */
void pit_add_tick_hook(void (*fn)(struct trap_frame *tf, uint64_t ticks));

#endif
