/*
 * serial.h - COM1 (16550 UART at 0x3F8), the kernel's headless console.
 *
 * Output only, polled (no UART interrupts). Every wait on the UART is
 * bounded: a machine without COM1 (or with a wedged one) loses the serial
 * copy of the console but never hangs.
 *
 * None of these take a lock: console.c serialises normal output, and the
 * panic/fault path calls them directly on purpose (a half-written line is
 * better than a deadlock). Safe to call from interrupt handlers.
 */
#ifndef SELFOS_KERNEL_DRIVERS_SERIAL_H
#define SELFOS_KERNEL_DRIVERS_SERIAL_H

#include <stdbool.h>
#include <stddef.h>

/* Program COM1 for 115200 baud, 8 data bits, no parity, 1 stop bit, FIFOs
 * on. Waits (bounded) until stage2's last bytes have left the transmitter
 * first, and checks that a UART answers (loopback test); without one the
 * other functions do nothing. */
void serial_init(void);

/* True if serial_init found a working UART. */
bool serial_present(void);

/* Send one byte as is (no newline translation). */
void serial_putc(char c);

/* Send n bytes, turning "\n" into "\r\n" for terminals. */
void serial_write(const char *s, size_t n);

/* Wait (bounded) until every byte written so far has left the UART: call
 * before an exit or reset that would cut the FIFO short. */
void serial_flush(void);

#endif
