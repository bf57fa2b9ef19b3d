/*
 * screen.c - tell the kernel about the text screen and where the cursor is.
 * (tty_init already made sure the screen is in 80x25 colour text mode.)
 */
#include "stage2/stage2.h"

#include "lib/boot_info.h"
#include "stage2/tty.h"

void screen_info(struct boot_info *bi)
{
	tty_sync_cursor();
	tty_cursor(&bi->cursor_row, &bi->cursor_col);
	bi->vga_phys = 0xB8000;
	bi->vga_cols = 80;
	bi->vga_rows = 25;
}
