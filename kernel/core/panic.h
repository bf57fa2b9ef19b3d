/*
 * panic.h - stop the kernel with a message.
 */
#ifndef SELFOS_KERNEL_CORE_PANIC_H
#define SELFOS_KERNEL_CORE_PANIC_H

/* Print "PANIC: <message>" and a backtrace through the lock-free console
 * path (kprintf_emergency), then stop: the test kernel exits QEMU with
 * QEMU_EXIT_FAILURE (after a "FAIL ktest/<case>" line if a test case was
 * running), the normal kernel halts with interrupts off. A panic while
 * panicking only halts. Callable from any context. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#endif
