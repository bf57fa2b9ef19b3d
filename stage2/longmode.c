/*
 * longmode.c - the last things to do in real mode, then the jump.
 */
#include "stage2/stage2.h"

#include "lib/boot_info.h"
#include "stage2/bios.h"
#include "stage2/tty.h"

#define PIC1_DATA   0x21
#define PIC2_DATA   0xA1
#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define CMOS_NMI_OFF 0x80      /* bit 7 of the CMOS index port masks NMI */
#define CMOS_REG_D  0x0D       /* status register D: harmless to read */
#define FDC_DOR     0x3F2      /* floppy digital output register */
#define FDC_DOR_IDLE 0x0C      /* controller enabled, DMA on, all motors off */

void long_mode_enter(struct boot_info *bi)
{
	struct biosregs r;

	/* int 15h AX=EC00h, BL=2: tell the BIOS we will run in long mode only,
	 * so firmware that tunes the CPU for the target mode (AMD's BIOS
	 * writer's guide) can do it. No result to check. */
	bios_regs_init(&r);
	r.eax = 0xEC00;
	r.ebx = 2;
	bios_call(0x15, &r, &r);

	tty_puts("stage2: entering long mode, jumping to the kernel at ");
	tty_hex64(bi->kernel.entry);
	tty_puts("\n");
	tty_flush();

	/* From here on no interrupt may arrive: there is no IDT until the
	 * kernel builds one. Mask every line of both 8259s and NMI. */
	__asm__ volatile("cli");
	outb(PIC1_DATA, 0xFF);
	outb(PIC2_DATA, 0xFF);
	/* Select a harmless CMOS register along with the NMI mask, and read it:
	 * leaving the RTC index pointing at register 0 (seconds) invites a
	 * later stray write to it. */
	outb(CMOS_INDEX, CMOS_NMI_OFF | CMOS_REG_D);
	io_delay();
	(void)inb(CMOS_DATA);

	/* Booted from a floppy: the BIOS turns the motor off from its timer
	 * interrupt, which will never run again. Turn it off ourselves. */
	if (bi->boot_drive < 0x80)
		outb(FDC_DOR, FDC_DOR_IDLE);

	long_mode_jump((uint32_t)(uintptr_t)bi, (uint32_t)bi->kernel.entry,
		       (uint32_t)(bi->kernel.entry >> 32));
}
