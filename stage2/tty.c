/*
 * tty.c - text output for stage2: the text screen + COM1.
 *
 * The screen is written directly at 0xB8000 (unreal mode reaches it), with
 * our own cursor and scrolling, instead of through int 10h AH=0Eh: the BIOS
 * teletype costs a BIOS call per character, measured at about 5 ms per line
 * under QEMU, the largest part of stage2's time. The BIOS is still asked
 * once for the video mode and the cursor at start (tty_init) and told the
 * final cursor position at the end (tty_sync_cursor), so the screen stays in
 * a state it understands. COM1 is programmed directly (int 14h's speed table
 * stops at 9600 baud).
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

#define VGA_TEXT_PHYS   0xB8000u
#define VGA_COLS        80u
#define VGA_ROWS        25u
#define VGA_ATTR        0x07u   /* light grey on black, as the BIOS prints */
#define VIDEO_MODE_TEXT 0x03    /* 80x25 16-colour text */

static int serial_present;
static uint32_t cur_row, cur_col;

static uint8_t video_mode(void)
{
	struct biosregs r;

	/* int 10h AH=0Fh: get video mode. out: AL = mode (bit 7: no clear),
	 * AH = columns, BH = page */
	bios_regs_init(&r);
	r.eax = 0x0F00;
	bios_call(0x10, &r, &r);
	return r.eax & 0x7F;
}

/*
 * Our output goes straight to the 80x25 colour text buffer. Firmware with a
 * logo screen (common on CSM laptops) can leave a graphics mode behind, where
 * the text would be invisible (and so would the kernel's): switch to mode 3.
 * Without a working screen we still have COM1, so this cannot fail the boot.
 */
static void screen_init(void)
{
	struct biosregs r;

	if (video_mode() != VIDEO_MODE_TEXT) {
		/* int 10h AH=00h, AL=03h: set 80x25 text mode (clears the screen) */
		bios_regs_init(&r);
		r.eax = VIDEO_MODE_TEXT;
		bios_call(0x10, &r, &r);
	}
	/* int 10h AH=03h: cursor position. in: BH = page 0. out: DH = row, DL = col */
	bios_regs_init(&r);
	r.eax = 0x0300;
	bios_call(0x10, &r, &r);
	cur_row = (r.edx >> 8) & 0xFF;
	cur_col = r.edx & 0xFF;
	if (cur_row >= VGA_ROWS || cur_col >= VGA_COLS)
		cur_row = cur_col = 0;
}

void tty_sync_cursor(void)
{
	struct biosregs r;

	/* int 10h AH=02h: set cursor position. in: BH = page, DH = row, DL = col */
	bios_regs_init(&r);
	r.eax = 0x0200;
	r.edx = (cur_row << 8) | cur_col;
	bios_call(0x10, &r, &r);
}

void tty_cursor(uint16_t *row, uint16_t *col)
{
	*row = (uint16_t)cur_row;
	*col = (uint16_t)cur_col;
}

void tty_init(void)
{
	screen_init();

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

static void screen_scroll(void)
{
	volatile uint32_t *cells = flat_ptr(VGA_TEXT_PHYS);
	const uint32_t per_row = VGA_COLS / 2;          /* two cells per dword */

	for (uint32_t i = 0; i < (VGA_ROWS - 1) * per_row; i++)
		cells[i] = cells[i + per_row];
	for (uint32_t i = (VGA_ROWS - 1) * per_row; i < VGA_ROWS * per_row; i++)
		cells[i] = (VGA_ATTR << 24) | (' ' << 16) | (VGA_ATTR << 8) | ' ';
}

static void screen_putc(char c)
{
	if (c == '\n') {
		cur_col = 0;
		cur_row++;
	} else if (c == '\r') {
		cur_col = 0;
	} else {
		volatile uint16_t *cell = flat_ptr(VGA_TEXT_PHYS + 2 * (cur_row * VGA_COLS + cur_col));
		*cell = (uint16_t)((VGA_ATTR << 8) | (uint8_t)c);
		if (++cur_col == VGA_COLS) {
			cur_col = 0;
			cur_row++;
		}
	}
	if (cur_row == VGA_ROWS) {
		screen_scroll();
		cur_row = VGA_ROWS - 1;
	}
}

static void tty_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	screen_putc(c);
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
	tty_sync_cursor();
	tty_flush();
	halt_forever();
}
