/*
 * vga.c - VGA text mode output.
 *
 * The BIOS left the card in mode 3: 80x25 cells of two bytes (character,
 * attribute) at physical 0xB8000, read through the direct map so nothing
 * here depends on the identity map. The cursor is the CRT controller's
 * (registers 0x0E/0x0F: cell index, high byte first).
 */
#include "kernel/drivers/vga.h"

#include <stdbool.h>

#include "kernel/arch/cpu.h"
#include "kernel/mm/vmm.h"

#define VGA_TEXT_PHYS        0xB8000ull

#define CRTC_INDEX           0x3D4   /* colour mode; 0x3B4 in monochrome */
#define CRTC_DATA            0x3D5
#define CRTC_CURSOR_START    0x0A    /* bits 0-4 first scan line, bit 5 hides */
#define CRTC_CURSOR_END      0x0B    /* bits 0-4 last scan line */
#define CRTC_CURSOR_HIGH     0x0E
#define CRTC_CURSOR_LOW      0x0F
#define CURSOR_DISABLE       0x20
#define CURSOR_LINE_MASK     0x1F
#define CURSOR_FIRST_LINE    14      /* an underline in the 16-line font */
#define CURSOR_LAST_LINE     15

/* Attribute controller: index and data share port 0x3C0, toggled by a
 * flip-flop that a read of input status 1 (0x3DA) resets to "index". Bit 5
 * of the index must stay set or the screen blanks. */
#define ATTR_ADDR_DATA       0x3C0
#define ATTR_DATA_READ       0x3C1
#define INPUT_STATUS_1       0x3DA
#define ATTR_PALETTE_ON      0x20
#define ATTR_MODE_CONTROL    0x10
#define ATTR_MODE_BLINK      0x08    /* attribute bit 7 = blink, not bright bg */

#define TAB_WIDTH            8
#define DEFAULT_ATTR         0x07    /* light grey on black */

/* The direct map exists from the first kernel instruction (stage2's
 * tables) and stays (vmm_init's), so this is valid before vga_init too. */
#define screen ((volatile uint16_t *)phys_to_virt(VGA_TEXT_PHYS))

/*
 * A copy of the screen in RAM. Text-mode memory is slow to touch (uncached
 * on a PC, emulated device memory under QEMU: about 1 ms per scroll when the
 * scroll read and wrote 4000 bytes of it cell by cell). Scrolling moves the
 * copy in RAM and writes the screen back 8 bytes at a time, never reading
 * it. Every cell write goes to both.
 */
static uint16_t shadow[VGA_ROWS * VGA_COLS] __attribute__((aligned(8)));

static unsigned cur_row, cur_col;   /* cur_col == VGA_COLS: wrap pending */
static bool card_present;
static uint8_t attr = DEFAULT_ATTR;

static inline uint16_t cell_of(uint8_t ch)
{
	return (uint16_t)ch | (uint16_t)attr << 8;
}

static void crtc_write(uint8_t reg, uint8_t value)
{
	outb(CRTC_INDEX, reg);
	outb(CRTC_DATA, value);
}

static uint8_t crtc_read(uint8_t reg)
{
	outb(CRTC_INDEX, reg);
	return inb(CRTC_DATA);
}

static void update_hw_cursor(void)
{
	unsigned col = cur_col < VGA_COLS ? cur_col : VGA_COLS - 1;
	uint16_t pos = (uint16_t)(cur_row * VGA_COLS + col);
	crtc_write(CRTC_CURSOR_HIGH, pos >> 8);
	crtc_write(CRTC_CURSOR_LOW, pos & 0xFF);
}

static void set_cell(unsigned i, uint16_t v)
{
	shadow[i] = v;
	screen[i] = v;
}

static void scroll_up(void)
{
	for (unsigned i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
		shadow[i] = shadow[i + VGA_COLS];
	for (unsigned i = (VGA_ROWS - 1) * VGA_COLS; i < VGA_ROWS * VGA_COLS; i++)
		shadow[i] = cell_of(' ');
	volatile uint64_t *dst = (volatile uint64_t *)screen;
	const uint64_t *src = (const uint64_t *)shadow;
	for (unsigned i = 0; i < VGA_ROWS * VGA_COLS / 4; i++)
		dst[i] = src[i];
}

static void new_line(void)
{
	cur_col = 0;
	if (cur_row + 1 < VGA_ROWS)
		cur_row++;
	else
		scroll_up();
}

static bool printable(uint8_t c)
{
	return c >= 0x20 && c <= 0x7E;
}

static void put_glyph(uint8_t glyph)
{
	if (cur_col >= VGA_COLS)
		new_line();
	set_cell(cur_row * VGA_COLS + cur_col, cell_of(glyph));
	cur_col++;
}

static void backspace(void)
{
	if (cur_col == 0) {
		if (cur_row == 0)
			return;
		cur_row--;
		cur_col = VGA_COLS;
	}
	cur_col--;
	set_cell(cur_row * VGA_COLS + cur_col, cell_of(' '));
}

static void tab(void)
{
	if (cur_col >= VGA_COLS)
		new_line();
	unsigned next = (cur_col / TAB_WIDTH + 1) * TAB_WIDTH;
	/* Tabs move the cursor without writing, like a terminal's. */
	cur_col = next < VGA_COLS ? next : VGA_COLS;
}

static void put_byte(uint8_t c)
{
	switch (c) {
	case '\n': new_line(); break;
	case '\r': cur_col = 0; break;
	case '\t': tab(); break;
	case '\b': backspace(); break;
	default:   put_glyph(printable(c) ? c : VGA_PLACEHOLDER); break;
	}
}

void vga_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_byte((uint8_t)s[i]);
	update_hw_cursor();
}

void vga_set_color(uint8_t fg, uint8_t bg)
{
	attr = (uint8_t)((fg & 0x0F) | (bg & 0x0F) << 4);
}

void vga_clear(void)
{
	for (unsigned i = 0; i < VGA_ROWS * VGA_COLS; i++)
		set_cell(i, cell_of(' '));
	cur_row = 0;
	cur_col = 0;
	update_hw_cursor();
}

uint16_t vga_cell(unsigned row, unsigned col)
{
	if (row >= VGA_ROWS || col >= VGA_COLS)
		return 0;
	return screen[row * VGA_COLS + col];
}

void vga_get_cursor(unsigned *row, unsigned *col)
{
	*row = cur_row;
	*col = cur_col;
}

static void disable_blink(void)
{
	(void)inb(INPUT_STATUS_1);
	outb(ATTR_ADDR_DATA, ATTR_PALETTE_ON | ATTR_MODE_CONTROL);
	uint8_t mode = inb(ATTR_DATA_READ);
	outb(ATTR_ADDR_DATA, mode & ~ATTR_MODE_BLINK);
}

bool vga_present(void)
{
	return card_present;
}

/* A CRTC register holds what was written to it; with no card on the bus
 * (QEMU -vga none) every read of port 0x3D5 returns 0xFF. Two patterns, so
 * a stuck bit cannot pass; the cursor position is restored afterwards. */
static bool probe_card(void)
{
	uint8_t saved = crtc_read(CRTC_CURSOR_LOW);
	crtc_write(CRTC_CURSOR_LOW, 0x5A);
	bool ok = crtc_read(CRTC_CURSOR_LOW) == 0x5A;
	crtc_write(CRTC_CURSOR_LOW, 0xA5);
	ok = ok && crtc_read(CRTC_CURSOR_LOW) == 0xA5;
	crtc_write(CRTC_CURSOR_LOW, saved);
	return ok;
}

void vga_init(void)
{
	card_present = probe_card();
	disable_blink();
	crtc_write(CRTC_CURSOR_START,
		   (crtc_read(CRTC_CURSOR_START) & ~(CURSOR_DISABLE | CURSOR_LINE_MASK)) | CURSOR_FIRST_LINE);
	crtc_write(CRTC_CURSOR_END, (crtc_read(CRTC_CURSOR_END) & ~CURSOR_LINE_MASK) | CURSOR_LAST_LINE);
	attr = DEFAULT_ATTR;
	vga_clear();
}
