/*
 * panic.c - the end of the road.
 */
#include "kernel/core/panic.h"

#include <stdarg.h>
#include <stdbool.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/idt.h"
#include "kernel/core/console.h"
#include "kernel/core/qemu.h"
#include "kernel/drivers/serial.h"
#ifdef KERNEL_TEST
#include "kernel/core/ktest.h"
#endif

static volatile bool panicking;

void panic(const char *fmt, ...)
{
	cpu_cli();
	/* A fault inside the report (a bad pointer in the arguments, a broken
	 * frame chain) must not recurse forever. */
	if (__atomic_exchange_n(&panicking, true, __ATOMIC_ACQ_REL)) {
		serial_flush();
		cpu_halt_forever();
	}

	va_list ap;
	va_start(ap, fmt);
	if (!console_at_line_start())
		kprintf_emergency("\n");
	kprintf_emergency("PANIC: ");
	kvprintf_emergency(fmt, ap);
	kprintf_emergency("\n");
	va_end(ap);
	trap_print_backtrace((uint64_t)(uintptr_t)__builtin_frame_address(0));

#ifdef KERNEL_TEST
	/* The test log names the case that brought the kernel down. */
	const char *name = ktest_current_name();
	if (name)
		kprintf_emergency("FAIL ktest/%s: kernel panic\n", name);
	serial_flush();
	qemu_exit(QEMU_EXIT_FAILURE);
#else
	kprintf_emergency("System halted.\n");
	serial_flush();
	cpu_halt_forever();
#endif
}
