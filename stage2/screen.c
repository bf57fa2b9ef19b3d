/*
 * screen.c - tell the kernel about the text screen, and where the cursor is.
 */
#include "stage2/stage2.h"

#include "lib/boot_info.h"
#include "stage2/bios.h"

void screen_info(struct boot_info *bi)
{
	struct biosregs r;

	/* int 10h AH=03h: cursor position. in: BH = page 0. out: DH = row, DL = col */
	bios_regs_init(&r);
	r.eax = 0x0300;
	bios_call(0x10, &r, &r);
	bi->cursor_row = (r.edx >> 8) & 0xFF;
	bi->cursor_col = r.edx & 0xFF;
	bi->vga_phys = 0xB8000;      /* colour text mode 3, as the BIOS leaves it */
	bi->vga_cols = 80;
	bi->vga_rows = 25;
}
