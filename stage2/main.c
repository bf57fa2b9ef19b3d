/*
 * main.c - stage2, from the MBR's jump to the kernel's first instruction.
 *
 * Each step is one call into a file of its own; stage2/README.md walks
 * through them with the machine state before and after.
 */
#include "stage2/stage2.h"

#include "lib/boot_info.h"
#include "lib/crc32.h"
#include "lib/layout.h"
#include "stage2/bios.h"
#include "stage2/tty.h"

/* The hand-off to the kernel, in our .bss (below 64 KiB). */
static struct boot_info boot_info;
uint32_t stage2_crc;

void stage2_main(uint32_t drive, uint32_t tsc_mbr_lo, uint32_t tsc_mbr_hi);

void stage2_main(uint32_t drive, uint32_t tsc_mbr_lo, uint32_t tsc_mbr_hi)
{
	struct boot_info *bi = &boot_info;

	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	bi->boot_drive = (uint8_t)drive;
	bi->tsc_mbr = ((uint64_t)tsc_mbr_hi << 32) | tsc_mbr_lo;
	bi->tsc_stage2 = rdtsc();

	/* Our own CRC, before the first BIOS call patches the `int n` byte in
	 * bioscall.asm; checked against the image header in image_load. */
	stage2_crc = crc32_update(0, (const void *)STAGE2_LOAD_ADDR, stage2_file_size());

	/* 4 GiB segment limits, so C can reach memory above 1 MiB. */
	unreal_enter();

	/* Screen and COM1 from here on. */
	tty_init();
	tty_puts("\nstage2: selfos loader, boot drive ");
	tty_hex(drive);
	tty_puts("\n");

	/* A 32-bit CPU gets a sentence, not a triple fault. */
	cpu_check_long_mode();

	/* Memory above 1 MiB, then how much of it there is. */
	a20_enable(bi);
	memory_detect(bi);

	/* The kernel and the user program, CRC-checked. */
	disk_init((uint8_t)drive);
	image_load(bi);
	bi->tsc_loaded = rdtsc();

	/* Where the text screen is and where the BIOS cursor stopped. */
	screen_info(bi);

	/* Paging structures for long mode, then the jump (never returns). */
	page_tables_build();
	long_mode_enter(bi);
}
