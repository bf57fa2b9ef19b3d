/*
 * test_console.c - the consoles and the test framework itself: kprintf
 * output lands on the VGA screen at the cursor in the chosen colour, the
 * screen scrolls, control characters behave, the hardware cursor follows,
 * a fault in the middle of printing does not lock the console, and a
 * failing KASSERT ends its case.
 *
 * The screen tests start on a fresh line so they know which row they
 * write to, and end their text with '\n' so the runner's PASS/FAIL line
 * starts at column 0.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/cpu.h"
#include "kernel/core/console.h"
#include "kernel/core/ktest.h"
#include "kernel/drivers/vga.h"
#include "lib/fmt.h"
#include "lib/string.h"

#define ATTR(fg, bg)  ((uint16_t)((fg) | (bg) << 4))
#define CELL(ch, fg, bg) ((uint16_t)((uint8_t)(ch) | ATTR(fg, bg) << 8))

/* Start of a fresh line; returns its row. */
static unsigned fresh_row(void)
{
	unsigned row, col;
	vga_get_cursor(&row, &col);
	if (col != 0) {
		vga_write("\n", 1);
		vga_get_cursor(&row, &col);
	}
	return row;
}

static unsigned cursor_col(void)
{
	unsigned row, col;
	vga_get_cursor(&row, &col);
	return col;
}

/* The CRT controller's cursor location (registers 0x0E/0x0F). */
static unsigned hw_cursor(void)
{
	outb(0x3D4, 0x0E);
	unsigned pos = (unsigned)inb(0x3D5) << 8;
	outb(0x3D4, 0x0F);
	return pos | inb(0x3D5);
}

KTEST(console_kprintf_returns_length)
{
	KASSERT_EQ(kprintf("console: %s %d %#x\n", "kprintf", -42, 0xbeef), 28);
	KASSERT(console_at_line_start());
	KASSERT_EQ(kprintf("%s", ""), 0);
}

KTEST(console_line_lands_in_vga_at_row_and_colour)
{
	/* With console_write on a fresh line, the text is at the cursor's row
	 * (a single line does not scroll it away) in the chosen colour. */
	static const char text[] = "selfos VGA check 0123456789";
	unsigned row = fresh_row();
	console_set_color(CONSOLE_YELLOW, CONSOLE_BLUE);
	kprintf("%s", text);
	console_set_color(CONSOLE_LIGHT_GREY, CONSOLE_BLACK);
	unsigned end_row, end_col;
	vga_get_cursor(&end_row, &end_col);

	/* (checked before the newline, which may scroll the screen) */
	KASSERT_EQ(end_row, row);
	KASSERT_EQ(end_col, sizeof(text) - 1);
	for (unsigned i = 0; i < sizeof(text) - 1; i++)
		KASSERT_EQ(vga_cell(row, i), CELL(text[i], CONSOLE_YELLOW, CONSOLE_BLUE));
	/* the rest of the row is untouched by the text */
	KASSERT_EQ(vga_cell(row, sizeof(text) - 1) & 0xFF, ' ');
	kprintf("\n");
}

KTEST(console_all_sixteen_background_colours)
{
	/* Blinking is off, so attribute bit 7 is a bright background. */
	unsigned row = fresh_row();
	for (uint8_t bg = 0; bg < 16; bg++) {
		vga_set_color((uint8_t)(15 - bg), bg);
		vga_write("#", 1);
	}
	vga_set_color(CONSOLE_LIGHT_GREY, CONSOLE_BLACK);
	for (unsigned bg = 0; bg < 16; bg++)
		KASSERT_EQ(vga_cell(row, bg), CELL('#', 15 - bg, bg));
	vga_write("\n", 1);
	/* the blink/intensity bit of the attribute controller's mode register */
	(void)inb(0x3DA);
	outb(0x3C0, 0x30);
	uint8_t mode = inb(0x3C1);
	outb(0x3C0, mode);
	if (vga_present())              /* -vga none: no card, reads are 0xFF */
		KASSERT_EQ(mode & 0x08, 0);
}

KTEST(console_200_lines_scroll_cursor_on_last_row)
{
	char line[32];
	for (int i = 0; i < 200; i++) {
		int n = fmt_snprintf(line, sizeof(line), "scroll line %03d\n", i);
		vga_write(line, (size_t)n);
	}
	unsigned row, col;
	vga_get_cursor(&row, &col);
	KASSERT_EQ(row, VGA_ROWS - 1);
	KASSERT_EQ(col, 0);
	if (vga_present())
		KASSERT_EQ(hw_cursor(), (VGA_ROWS - 1) * VGA_COLS);
	/* the last 24 lines are on screen, oldest at the top */
	static const char want_last[] = "scroll line 199";
	static const char want_top[] = "scroll line 176";
	for (unsigned i = 0; i < sizeof(want_last) - 1; i++) {
		KASSERT_EQ(vga_cell(VGA_ROWS - 2, i) & 0xFF, (uint8_t)want_last[i]);
		KASSERT_EQ(vga_cell(0, i) & 0xFF, (uint8_t)want_top[i]);
	}
	/* the new bottom row is blank */
	for (unsigned c = 0; c < VGA_COLS; c++)
		KASSERT_EQ(vga_cell(VGA_ROWS - 1, c) & 0xFF, ' ');
}

KTEST(console_backspace_tab_cr)
{
	unsigned row = fresh_row();
	vga_write("ab\bc", 4);                   /* b erased, c in its place */
	KASSERT_EQ(vga_cell(row, 0) & 0xFF, 'a');
	KASSERT_EQ(vga_cell(row, 1) & 0xFF, 'c');
	KASSERT_EQ(cursor_col(), 2);
	vga_write("\b", 1);                      /* erase: cell blank, cursor on it */
	KASSERT_EQ(vga_cell(row, 1) & 0xFF, ' ');
	KASSERT_EQ(cursor_col(), 1);

	vga_write("\tx", 2);                     /* col 1 -> 8 */
	KASSERT_EQ(vga_cell(row, 8) & 0xFF, 'x');
	KASSERT_EQ(vga_cell(row, 4) & 0xFF, ' ');
	vga_write("\t", 1);                      /* col 9 -> 16 */
	KASSERT_EQ(cursor_col(), 16);
	vga_write("\t", 1);                      /* exactly at 16 -> 24 */
	KASSERT_EQ(cursor_col(), 24);

	vga_write("\rZ", 2);                     /* \r: back to column 0 */
	KASSERT_EQ(vga_cell(row, 0) & 0xFF, 'Z');
	KASSERT_EQ(cursor_col(), 1);
	if (vga_present())
		KASSERT_EQ(hw_cursor(), row * VGA_COLS + 1);
	vga_write("\n", 1);
}

KTEST(console_wrap_and_backspace_across_lines)
{
	fresh_row();
	char full[VGA_COLS];
	memset(full, '=', sizeof(full));
	vga_write(full, sizeof(full));
	/* a full line waits for the next character before wrapping */
	unsigned r, c;
	vga_get_cursor(&r, &c);
	KASSERT_EQ(c, VGA_COLS);
	if (vga_present())
		KASSERT_EQ(hw_cursor(), r * VGA_COLS + VGA_COLS - 1);
	vga_write("w", 1);
	/* on the next row (which scrolled up if it was the last one) */
	unsigned row, col;
	vga_get_cursor(&row, &col);
	KASSERT(row == r + 1 || (r == VGA_ROWS - 1 && row == r));
	KASSERT_EQ(col, 1);
	KASSERT_EQ(vga_cell(row, 0) & 0xFF, 'w');
	KASSERT_EQ(vga_cell(row - 1, VGA_COLS - 1) & 0xFF, '=');
	/* backspace goes back over the line break */
	vga_write("\b\b", 2);
	vga_get_cursor(&r, &c);
	KASSERT_EQ(r, row - 1);
	KASSERT_EQ(c, VGA_COLS - 1);
	KASSERT_EQ(vga_cell(row - 1, VGA_COLS - 1) & 0xFF, ' ');
	KASSERT_EQ(vga_cell(row, 0) & 0xFF, ' ');
	/* ten tabs fill the line; the next character wraps */
	vga_write("\r\t\t\t\t\t\t\t\t\t\tT", 12);
	vga_get_cursor(&r, &c);
	KASSERT_EQ(r, row);
	KASSERT_EQ(c, 1);
	KASSERT_EQ(vga_cell(row, 0) & 0xFF, 'T');
	vga_write("\n", 1);
}

KTEST(console_unprintable_bytes_show_placeholder)
{
	unsigned row = fresh_row();
	vga_write("A\x01\x1b\x7f\x80\xc3\xa9Z", 8);
	KASSERT_EQ(vga_cell(row, 0) & 0xFF, 'A');
	for (unsigned i = 1; i <= 6; i++)
		KASSERT_EQ(vga_cell(row, i) & 0xFF, VGA_PLACEHOLDER);
	KASSERT_EQ(vga_cell(row, 7) & 0xFF, 'Z');
	vga_write("\n", 1);
}

KTEST(console_vga_cell_out_of_range_is_zero)
{
	KASSERT_EQ(vga_cell(VGA_ROWS, 0), 0);
	KASSERT_EQ(vga_cell(0, VGA_COLS), 0);
}

/* A fault while the console lock is held (here: a bad %s pointer inside
 * kprintf) is recovered by the runner; the console must keep working. */
KTEST_SHOULD_FAULT(console_fault_while_printing, 14)
{
	const char *volatile bad = (const char *)8;
	kprintf("this line is cut short by a page fault: %s", bad);
}

KTEST(console_usable_after_fault_while_printing)
{
	const struct ktest_fault *f = ktest_last_fault();
	KASSERT(f->valid);
	KASSERT(strcmp(f->case_name, "console_fault_while_printing") == 0);
	KASSERT_EQ(f->cr2, 8);
	/* The lock was left taken; the runner's next print found it so (a
	 * re-entry), went on and released it: no more re-entries now. */
	KASSERT(console_reentries() >= 1);
	uint64_t before = console_reentries();
	static const char msg[] = "console still works after a fault in kprintf\n";
	KASSERT_EQ(kprintf("%s", msg), sizeof(msg) - 1);
	KASSERT_EQ(console_reentries(), before);
	kprintf_emergency("console: emergency path works too\n");
}

KTEST_SHOULD_FAIL(assertion_fails)
{
	KASSERT_EQ(1 + 1, 3);
}

static volatile int after_failed_assert;

KTEST_SHOULD_FAIL(assertion_ends_the_case)
{
	after_failed_assert = 0;
	KASSERT(after_failed_assert == 1);
	after_failed_assert = 2;                 /* never reached */
}

KTEST(assertion_did_end_the_case)
{
	KASSERT_EQ(after_failed_assert, 0);
	/* and the runner turned interrupts back on */
	KASSERT(cpu_irqs_enabled());
}

static volatile int irqs_off_case_ran;

KTEST_SHOULD_FAIL(assertion_with_interrupts_off)
{
	irqs_off_case_ran = 1;
	cpu_cli();
	KASSERT(false);
}

KTEST(runner_reenables_interrupts_after_failure)
{
	KASSERT_EQ(irqs_off_case_ran, 1);
	KASSERT(cpu_irqs_enabled());
}
