/*
 * serial.c - COM1 output, polled.
 *
 * Register map of the 16550 (PC16550D datasheet, "Registers"), as offsets
 * from the base port. With LCR.DLAB set, offsets 0 and 1 are the baud rate
 * divisor instead of the data and interrupt-enable registers.
 */
#include "kernel/drivers/serial.h"

#include <stdint.h>

#include "kernel/arch/cpu.h"

#define COM1_BASE        0x3F8
#define UART_THR         0       /* transmit holding register (write) */
#define UART_RBR         0       /* receive buffer (read) */
#define UART_DLL         0       /* divisor latch low (DLAB=1) */
#define UART_IER         1       /* interrupt enable */
#define UART_DLM         1       /* divisor latch high (DLAB=1) */
#define UART_FCR         2       /* FIFO control (write) */
#define UART_LCR         3       /* line control */
#define UART_MCR         4       /* modem control */
#define UART_LSR         5       /* line status */

#define LCR_8N1          0x03    /* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB         0x80
#define FCR_ENABLE       0x01
#define FCR_CLEAR_RX     0x02
#define FCR_CLEAR_TX     0x04
#define FCR_TRIGGER_14   0xC0
#define MCR_DTR          0x01
#define MCR_RTS          0x02
#define MCR_OUT2         0x08
#define MCR_LOOPBACK     0x10
#define LSR_DATA_READY   0x01
#define LSR_THR_EMPTY    0x20    /* bit 5: room for another byte */
#define LSR_TX_EMPTY     0x40    /* bit 6: FIFO and shift register both empty */

#define UART_CLOCK_HZ    115200u /* 1.8432 MHz / 16 */
#define SERIAL_BAUD      115200u
#define LOOPBACK_PROBE   0xAE

/* One byte takes 87 us at 115200 baud and a full 16-byte FIFO 1.4 ms; each
 * poll costs at least one port read (~1 us on real hardware), so these
 * bounds are generous for a working UART and short for a missing one. */
#define THR_WAIT_POLLS   100000u
#define DRAIN_WAIT_POLLS 200000u

static bool uart_ok;

static bool wait_lsr(uint8_t bits, unsigned polls)
{
	for (unsigned i = 0; i < polls; i++) {
		uint8_t lsr = inb(COM1_BASE + UART_LSR);
		/* A port with nothing behind it reads 0xFF: not a UART. */
		if (lsr == 0xFF)
			return false;
		if (lsr & bits)
			return true;
		cpu_pause();
	}
	return false;
}

void serial_init(void)
{
	/* Stage2 printed through this UART; reprogramming the divisor while its
	 * last bytes are still in the FIFO garbles or drops them, so let the
	 * transmitter run empty first (bit 6 covers the shift register too). */
	wait_lsr(LSR_TX_EMPTY, DRAIN_WAIT_POLLS);

	uint16_t divisor = UART_CLOCK_HZ / SERIAL_BAUD;
	outb(COM1_BASE + UART_IER, 0x00);                 /* polled: no interrupts */
	outb(COM1_BASE + UART_LCR, LCR_DLAB);
	outb(COM1_BASE + UART_DLL, divisor & 0xFF);
	outb(COM1_BASE + UART_DLM, divisor >> 8);
	outb(COM1_BASE + UART_LCR, LCR_8N1);
	outb(COM1_BASE + UART_FCR, FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX | FCR_TRIGGER_14);

	/* Presence check: in loopback mode the UART receives what it sends. */
	outb(COM1_BASE + UART_MCR, MCR_LOOPBACK | MCR_RTS | MCR_OUT2);
	outb(COM1_BASE + UART_THR, LOOPBACK_PROBE);
	bool echoed = wait_lsr(LSR_DATA_READY, THR_WAIT_POLLS) &&
		      inb(COM1_BASE + UART_RBR) == LOOPBACK_PROBE;

	/* Normal operation: DTR and RTS up so a terminal sees us ready. OUT2
	 * gates the UART's IRQ line on PCs; we poll, so it stays off. */
	outb(COM1_BASE + UART_MCR, MCR_DTR | MCR_RTS);
	uart_ok = echoed;
}

bool serial_present(void)
{
	return uart_ok;
}

void serial_putc(char c)
{
	if (!uart_ok)
		return;
	if (!wait_lsr(LSR_THR_EMPTY, THR_WAIT_POLLS)) {
		/* The transmitter never drained: stop using it rather than
		 * paying the full wait on every later byte. */
		uart_ok = false;
		return;
	}
	outb(COM1_BASE + UART_THR, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

void serial_flush(void)
{
	if (uart_ok)
		wait_lsr(LSR_TX_EMPTY, DRAIN_WAIT_POLLS);
}
