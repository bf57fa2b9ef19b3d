/*
 * tty.h - stage2's output: every message goes to the text screen and to
 * COM1, so a headless run shows the whole boot.
 */
#ifndef SELFOS_STAGE2_TTY_H
#define SELFOS_STAGE2_TTY_H

#include <stdint.h>

/* Text mode 3 (switched to if the firmware left another mode), the BIOS
 * cursor, COM1 at 115200 8N1. */
void tty_init(void);
void tty_puts(const char *s);
void tty_hex(uint32_t v);          /* 0x + 8 digits */
void tty_hex64(uint64_t v);        /* 0x + 16 digits */
void tty_dec(uint32_t v);
/* Where our cursor is; tell the BIOS (int 10h AH=02h) where it is. */
void tty_cursor(uint16_t *row, uint16_t *col);
void tty_sync_cursor(void);
/* Wait until COM1 has sent everything (before the kernel re-initialises it). */
void tty_flush(void);
/* "stage2: error: <what>", then halt for good. */
__attribute__((noreturn)) void die(const char *what);

#endif
