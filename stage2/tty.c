/*
 * tty.c - text output for stage2: BIOS teletype + COM1.
 *
 * The screen goes through int 10h AH=0Eh rather than writing 0xB8000
 * directly: the BIOS tracks the cursor and scrolls, and we leave the screen
 * in a state it understands. COM1 is programmed directly (int 14h's speed
 * table stops at 9600 baud).
 */
#include "stage2/tty.h"

#include "stage2/bios.h"

#define COM1            0x3F8
#define UART_THR        0       /* transmit holding register (DLAB = 0) */
#define UART_DLL        0       /* divisor latch low (DLAB = 1) */
#define UART_DLM        1       /* divisor latch high (DLAB = 1) */
#define UART_IER        1
#define UART_FCR        2
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5
#define LSR_THRE        0x20    /* holding register empty: may write */
#define LSR_TEMT        0x40    /* transmitter idle: everything sent */
#define UART_SPIN_MAX   100000u /* ~0.1 s of port reads: no UART, no hang */

static int serial_present;

void tty_init(void)
{
	/* A missing UART reads back 0xFF from every register. */
	if (inb(COM1 + UART_LSR) == 0xFF)
		return;
	outb(COM1 + UART_IER, 0x00);        /* no interrupts */
	outb(COM1 + UART_LCR, 0x80);        /* DLAB: divisor follows */
	outb(COM1 + UART_DLL, 1);           /* 115200 / 1 */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, 0x03);        /* 8N1 */
	outb(COM1 + UART_FCR, 0xC7);        /* FIFO on, cleared, 14-byte trigger */
	outb(COM1 + UART_MCR, 0x03);        /* DTR + RTS */
	serial_present = 1;
}

static void serial_putc(char c)
{
	if (!serial_present)
		return;
	for (uint32_t spins = 0; !(inb(COM1 + UART_LSR) & LSR_THRE); spins++)
		if (spins > UART_SPIN_MAX)
			return;
	outb(COM1 + UART_THR, (uint8_t)c);
}

void tty_flush(void)
{
	if (!serial_present)
		return;
	for (uint32_t spins = 0; !(inb(COM1 + UART_LSR) & LSR_TEMT); spins++)
		if (spins > UART_SPIN_MAX)
			return;
}

static void bios_putc(char c)
{
	struct biosregs r;

	/* int 10h AH=0Eh: teletype output.
	 *   in: AL = character, BH = page 0, BL = colour (graphics modes only)
	 *   out: nothing */
	bios_regs_init(&r);
	r.eax = 0x0E00 | (uint8_t)c;
	r.ebx = 0x0007;
	bios_call(0x10, &r, &r);
}

static void tty_putc(char c)
{
	if (c == '\n') {
		bios_putc('\r');
		serial_putc('\r');
	}
	bios_putc(c);
	serial_putc(c);
}

void tty_puts(const char *s)
{
	while (*s)
		tty_putc(*s++);
}

void tty_hex(uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	tty_puts("0x");
	for (int shift = 28; shift >= 0; shift -= 4)
		tty_putc(digits[(v >> shift) & 0xF]);
}

void tty_hex64(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	tty_puts("0x");
	for (int shift = 60; shift >= 0; shift -= 4)
		tty_putc(digits[(uint32_t)(v >> shift) & 0xF]);
}

void tty_dec(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);   /* 32-bit division: no libgcc needed */
		v /= 10;
	} while (v);
	tty_puts(&buf[i]);
}

void die(const char *what)
{
	tty_puts("stage2: error: ");
	tty_puts(what);
	tty_puts("\nstage2: boot stopped. Fix the problem above and restart the machine.\n");
	tty_flush();
	halt_forever();
}
