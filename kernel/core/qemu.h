/*
 * qemu.h - leaving QEMU from inside the guest, for the test kernel.
 *
 * With `-device isa-debug-exit,iobase=0xf4,iosize=0x04`, writing v to port
 * 0xf4 ends QEMU with exit status (v << 1) | 1. On real hardware port 0xf4
 * is unused and the write does nothing, so callers halt afterwards.
 */
#ifndef SELFOS_KERNEL_CORE_QEMU_H
#define SELFOS_KERNEL_CORE_QEMU_H

#include "kernel/arch/cpu.h"

#define QEMU_EXIT_PORT     0xF4
#define QEMU_EXIT_SUCCESS  0x10     /* QEMU exits with 33 */
#define QEMU_EXIT_FAILURE  0x11     /* QEMU exits with 35 */

static inline __attribute__((noreturn)) void qemu_exit(uint32_t code)
{
	outl(QEMU_EXIT_PORT, code);
	cpu_halt_forever();
}

#endif
