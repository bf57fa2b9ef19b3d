/* tsc.h - the time-stamp counter's frequency, for the boot timeline. */
#ifndef SELFOS_KERNEL_ARCH_TSC_H
#define SELFOS_KERNEL_ARCH_TSC_H

#include <stdint.h>

/* TSC ticks per millisecond: from CPUID leaf 0x15/0x16 when the CPU reports
 * it, else measured once against PIT channel 2 (about 5 ms). 0 if the CPU has
 * no TSC. */
uint64_t tsc_khz(void);

#endif
