/*
 * vga.h - the 80x25 VGA text screen (colour text mode 3, set by the BIOS).
 *
 * Characters understood by vga_write:
 *   '\n'  next line, column 0 (as a terminal with CR/LF translation)
 *   '\r'  column 0
 *   '\t'  to the next column that is a multiple of 8
 *   '\b'  erase the character before the cursor and move onto it; at
 *         column 0 it moves to the end of the previous line (so erasing
 *         typed input that wrapped works), never above row 0
 *   0x20..0x7E  the ASCII glyph
 * Every other byte (other control characters, DEL, and all bytes >= 0x80)
 * is shown as VGA_PLACEHOLDER, code page 437's small square. Bytes >= 0x80
 * do have CP437 glyphs, but the kernel's text is ASCII or UTF-8, where they
 * would show up as unrelated accented letters and box pieces: a visible
 * "something unprintable here" is more honest.
 *
 * A line that is exactly full does not wrap until the next printable
 * character arrives (deferred wrap, as VT100 terminals do), so 80 characters
 * followed by '\n' do not leave an empty line.
 *
 * Not locked: console.c serialises writers. Callable with interrupts off.
 */
#ifndef SELFOS_KERNEL_DRIVERS_VGA_H
#define SELFOS_KERNEL_DRIVERS_VGA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VGA_COLS         80
#define VGA_ROWS         25
#define VGA_PLACEHOLDER  0xFE    /* CP437 '■' */

/* Clear the screen in light grey on black, cursor at the top left, hardware
 * cursor shown, blinking turned off so all 16 background colours exist. */
void vga_init(void);

/* Write n bytes at the cursor (see above), scrolling as needed; the
 * hardware cursor follows. */
void vga_write(const char *s, size_t n);

/* Colour for the following characters: fg and bg are 0..15 (the
 * console_color order); higher bits are ignored. */
void vga_set_color(uint8_t fg, uint8_t bg);

/* Fill the screen with blanks in the current colour, cursor to 0,0. */
void vga_clear(void);

/* The cell at row, col: character in bits 0-7, attribute (fg | bg << 4) in
 * bits 8-15. 0 for a position outside the screen. For tests. */
uint16_t vga_cell(unsigned row, unsigned col);

/* Whether a VGA card answered vga_init's probe of the CRT controller. Without
 * one (QEMU -vga none, a headless board) the kernel still writes the text
 * buffer at 0xB8000 (harmless: RAM or nothing) and the cursor ports (reads
 * return 0xFF), so output simply goes to serial alone. */
bool vga_present(void);

/* Where the next character goes. *col is VGA_COLS when the current line is
 * full and the next printable character will wrap (the hardware cursor is
 * then shown on the last column). */
void vga_get_cursor(unsigned *row, unsigned *col);

#endif
