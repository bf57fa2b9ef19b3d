/*
 * tsc.c - how fast the time-stamp counter runs.
 *
 * Stage2 and the MBR can only read the TSC; turning cycles into milliseconds
 * needs its frequency. Newer Intel CPUs report it in CPUID leaf 0x15 (crystal
 * ratio) or 0x16 (base MHz); everything else (AMD, QEMU's default CPUs) is
 * measured against PIT channel 2, whose input clock is 1.193182 MHz on every
 * PC. Channel 2 is used because its gate is software-controlled (port 0x61)
 * and it raises no interrupt, so this works before the IDT exists.
 */
#include "kernel/arch/tsc.h"

#include "kernel/arch/cpu.h"

#define PIT_INPUT_HZ        1193182u
#define PIT_CH2_DATA        0x42
#define PIT_CMD             0x43
#define PORT_B              0x61        /* bit 0: ch2 gate, bit 1: speaker, bit 5: ch2 output */
#define PORTB_GATE2         0x01
#define PORTB_SPEAKER       0x02
#define PORTB_OUT2          0x20
#define CALIBRATE_MS        5u

static uint64_t cached_khz;

static uint64_t tsc_khz_from_cpuid(void)
{
	uint32_t a, b, c, d;
	cpuid(0, 0, &a, &b, &c, &d);
	uint32_t max_leaf = a;
	if (max_leaf >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);   /* TSC = crystal (ECX Hz) * EBX / EAX */
		if (a && b && c)
			return (uint64_t)c * b / a / 1000;
	}
	if (max_leaf >= 0x16) {
		cpuid(0x16, 0, &a, &b, &c, &d);   /* EAX = base frequency in MHz */
		if (a & 0xFFFF)
			return (uint64_t)(a & 0xFFFF) * 1000;
	}
	return 0;
}

static uint64_t tsc_khz_from_pit(void)
{
	uint16_t count = PIT_INPUT_HZ * CALIBRATE_MS / 1000;

	/* Gate off and speaker off, then channel 2 in mode 0 (interrupt on
	 * terminal count: OUT2 goes high when the count reaches 0). */
	outb(PORT_B, (inb(PORT_B) & ~(PORTB_GATE2 | PORTB_SPEAKER)));
	outb(PIT_CMD, 0xB0);                  /* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2_DATA, count & 0xFF);
	outb(PIT_CH2_DATA, count >> 8);

	uint8_t portb = inb(PORT_B);
	outb(PORT_B, portb | PORTB_GATE2);    /* gate on: counting starts */
	uint64_t start = rdtsc();
	uint64_t spins = 0;
	while (!(inb(PORT_B) & PORTB_OUT2)) {
		/* A missing or broken PIT must not hang the boot. */
		if (++spins > 100000000ull)
			return 0;
	}
	uint64_t end = rdtsc();
	outb(PORT_B, portb & ~PORTB_GATE2);
	return (end - start) / CALIBRATE_MS;
}

uint64_t tsc_khz(void)
{
	if (cached_khz == 0) {
		cached_khz = tsc_khz_from_cpuid();
		if (cached_khz == 0)
			cached_khz = tsc_khz_from_pit();
	}
	return cached_khz;
}
