/*
 * screen.c - make sure the screen is in 80x25 colour text mode, and tell the
 * kernel where it is and where the cursor stopped.
 *
 * The kernel writes to the text buffer at 0xB8000 directly. Firmware with a
 * logo screen (common on CSM laptops) can leave a graphics mode behind, where
 * every character the kernel writes would be invisible: switch to mode 3.
 */
#include "stage2/stage2.h"

#include "lib/boot_info.h"
#include "stage2/bios.h"
#include "stage2/tty.h"

#define VIDEO_MODE_TEXT_80X25 0x03

static uint8_t video_mode(void)
{
	struct biosregs r;

	/* int 10h AH=0Fh: get video mode. out: AL = mode, AH = columns, BH = page */
	bios_regs_init(&r);
	r.eax = 0x0F00;
	bios_call(0x10, &r, &r);
	return r.eax & 0x7F;
}

void screen_info(struct boot_info *bi)
{
	struct biosregs r;

	if (video_mode() != VIDEO_MODE_TEXT_80X25) {
		/* int 10h AH=00h: set video mode (AL = 3: 80x25 16-colour text;
		 * clears the screen). */
		bios_regs_init(&r);
		r.eax = VIDEO_MODE_TEXT_80X25;
		bios_call(0x10, &r, &r);
		if (video_mode() != VIDEO_MODE_TEXT_80X25)
			die("cannot switch the screen to 80x25 colour text mode (int 10h AX=0003h)");
		tty_puts("stage2: screen switched to 80x25 text mode\n");
	}

	/* int 10h AH=03h: cursor position. in: BH = page 0. out: DH = row, DL = col */
	bios_regs_init(&r);
	r.eax = 0x0300;
	bios_call(0x10, &r, &r);
	bi->cursor_row = (r.edx >> 8) & 0xFF;
	bi->cursor_col = r.edx & 0xFF;
	bi->vga_phys = 0xB8000;
	bi->vga_cols = 80;
	bi->vga_rows = 25;
}
