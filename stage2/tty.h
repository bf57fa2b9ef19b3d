/*
 * tty.h - stage2's output: every message goes to the screen (BIOS teletype)
 * and to COM1, so a headless run shows the whole boot.
 */
#ifndef SELFOS_STAGE2_TTY_H
#define SELFOS_STAGE2_TTY_H

#include <stdint.h>

void tty_init(void);
void tty_puts(const char *s);
void tty_hex(uint32_t v);          /* 0x + 8 digits */
void tty_hex64(uint64_t v);        /* 0x + 16 digits */
void tty_dec(uint32_t v);
/* Wait until COM1 has sent everything (before the kernel re-initialises it). */
void tty_flush(void);
/* "stage2: error: <what>", then halt for good. */
__attribute__((noreturn)) void die(const char *what);

#endif
