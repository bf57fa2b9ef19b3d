/*
 * disk.c - read sectors from the boot drive to any physical address.
 *
 * The BIOS can only DMA into the first megabyte, and a buffer must not cross
 * a 64 KiB boundary (the ISA DMA controller's page register does not carry).
 * So every read lands in the bounce buffer at BOUNCE_BUF_ADDR, one aligned
 * 64 KiB window, and is then copied to its destination with a 32-bit
 * address: we run in unreal mode (see bioscall.asm), where DS reaches 4 GiB.
 * The alternatives were int 15h AH=87h (the BIOS copies through protected
 * mode, but some BIOSes disable A20 or interrupts behind our back) or a
 * switch to protected mode per chunk (more code, same effect).
 */
#include "stage2/stage2.h"

#include "lib/image.h"
#include "lib/layout.h"
#include "stage2/bios.h"
#include "stage2/tty.h"

#define EDD_MAX_SECTORS   127u   /* Phoenix EDD: some BIOSes fail above 127 */
#define READ_TRIES        3u
#define STATUS_SHORT_READ 0xFE   /* ours, not the BIOS's: fewer sectors than asked */

static struct {
	uint32_t max_chunk;  /* largest read that has worked; lowered by halving */
	uint8_t drive;
	int lba;             /* int 13h extensions present */
	uint16_t spt;        /* CHS geometry, when !lba */
	uint16_t heads;
} disk;

/* Disk address packet for AH=42h. */
struct dap {
	uint8_t size, zero;
	uint16_t count;
	uint16_t offset, segment;
	uint64_t lba;
} __attribute__((packed));

static uint8_t bios_read(uint32_t lba, uint32_t count);
static void bios_reset(void);

/*
 * For a floppy, AH=08h reports the drive's largest format, not the medium's:
 * a 2.88 MB drive says 36 sectors per track with our 1.44 MB image in it.
 * Probe the last sector of track 0 for each standard format, largest first
 * (what Linux's old bootsect.S did), and keep the first that reads.
 */
static void floppy_probe_spt(void)
{
	static const uint16_t formats[] = { 36, 18, 15, 9 };

	for (uint32_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (formats[i] > disk.spt)
			continue;
		uint16_t saved = disk.spt;
		disk.spt = formats[i];
		if (bios_read(formats[i] - 1, 1) == 0)   /* LBA spt-1 = C0 H0 S(spt) */
			return;
		bios_reset();
		disk.spt = saved;
	}
}

void disk_init(uint8_t drive)
{
	struct biosregs r;

	disk.drive = drive;
	disk.max_chunk = EDD_MAX_SECTORS;

	/* int 13h AH=41h: EDD extensions present?
	 *   in:  BX = 55AAh, DL = drive
	 *   out: CF clear, BX = AA55h, CX bit 0 = packet calls (AH=42h) supported */
	bios_regs_init(&r);
	r.eax = 0x4100;
	r.ebx = 0x55AA;
	r.edx = drive;
	bios_call(0x13, &r, &r);
	if (!(r.eflags & EFLAGS_CF) && (r.ebx & 0xFFFF) == 0xAA55 && (r.ecx & 1)) {
		disk.lba = 1;
		tty_puts("stage2: disk ");
		tty_hex(drive);
		tty_puts(": LBA (int 13h extensions)\n");
		return;
	}

	/* int 13h AH=08h: drive parameters.
	 *   in:  DL = drive, ES:DI = 0:0 (guards BIOSes that return a table pointer)
	 *   out: CF clear, CL[5:0] = sectors per track, DH = last head */
	bios_regs_init(&r);
	r.eax = 0x0800;
	r.edx = drive;
	bios_call(0x13, &r, &r);
	disk.spt = r.ecx & 0x3F;
	disk.heads = (uint16_t)(((r.edx >> 8) & 0xFF) + 1);
	if ((r.eflags & EFLAGS_CF) || disk.spt == 0)
		die("the boot disk has neither int 13h extensions nor a CHS geometry (AH=08h)");
	if (drive < 0x80)
		floppy_probe_spt();
	tty_puts("stage2: disk ");
	tty_hex(drive);
	tty_puts(": CHS, ");
	tty_dec(disk.spt);
	tty_puts(" sectors/track, ");
	tty_dec(disk.heads);
	tty_puts(" heads\n");
}

/* One BIOS read of count sectors at lba into the bounce buffer; returns the
 * BIOS status (0 = success). */
static uint8_t bios_read(uint32_t lba, uint32_t count)
{
	struct biosregs r;

	bios_regs_init(&r);
	if (disk.lba) {
		struct dap dap = {
			.size = sizeof(struct dap), .count = (uint16_t)count,
			.offset = BOUNCE_BUF_ADDR & 0xF, .segment = BOUNCE_BUF_ADDR >> 4, .lba = lba,
		};
		/* int 13h AH=42h: extended read.
		 *   in:  DL = drive, DS:SI = disk address packet
		 *   out: CF clear on success, AH = status */
		r.eax = 0x4200;
		r.edx = disk.drive;
		r.esi = (uint32_t)(uintptr_t)&dap;
		bios_call(0x13, &r, &r);
		/* The BIOS writes back how many sectors it transferred: fewer than
		 * asked without an error is a short read, reported as such. */
		if (!(r.eflags & EFLAGS_CF) && dap.count != count)
			return STATUS_SHORT_READ;
	} else {
		uint32_t sector = lba % disk.spt + 1;
		uint32_t track = lba / disk.spt;
		uint32_t head = track % disk.heads;
		uint32_t cyl = track / disk.heads;
		if (cyl > 1023)
			return 0xFF;   /* beyond CHS reach: reported as a read error */
		/* int 13h AH=02h: read sectors (CHS).
		 *   in:  AL = count, CH = cylinder[7:0], CL = sector | cylinder[9:8] << 6,
		 *        DH = head, DL = drive, ES:BX = buffer
		 *   out: CF clear on success, AH = status */
		r.eax = 0x0200 | count;
		r.ecx = ((cyl & 0xFF) << 8) | ((cyl >> 8) << 6) | sector;
		r.edx = (head << 8) | disk.drive;
		r.es = BOUNCE_BUF_ADDR >> 4;
		r.ebx = 0;
		bios_call(0x13, &r, &r);
	}
	return (r.eflags & EFLAGS_CF) ? (uint8_t)(((r.eax >> 8) & 0xFF) ? ((r.eax >> 8) & 0xFF) : 0xFF) : 0;
}

static void bios_reset(void)
{
	struct biosregs r;

	/* int 13h AH=00h: reset disk system. in: DL = drive */
	bios_regs_init(&r);
	r.edx = disk.drive;
	bios_call(0x13, &r, &r);
}

static void flat_copy(uint32_t dst, uint32_t src, uint32_t bytes)
{
	/* Sector multiples: copy dwords through 32-bit pointers (DS = 0, 4 GiB). */
	volatile uint32_t *d = flat_ptr(dst);
	const volatile uint32_t *s = flat_ptr(src);
	for (uint32_t i = 0; i < bytes / 4; i++)
		d[i] = s[i];
}

static __attribute__((noreturn)) void read_failed(const char *what, uint32_t lba, uint8_t status)
{
	tty_puts("stage2: error: disk read failed while loading the ");
	tty_puts(what);
	tty_puts(" at LBA ");
	tty_dec(lba);
	tty_puts(", BIOS status ");
	tty_hex(status);
	tty_puts("\nstage2: the image may be cut short or the disk damaged.\n");
	die("cannot read the boot disk");
}

void disk_read(uint32_t lba, uint32_t sectors, uint32_t dest, const char *what)
{
	while (sectors > 0) {
		uint32_t chunk = sectors < disk.max_chunk ? sectors : disk.max_chunk;
		if (!disk.lba) {
			/* CHS: stop at the end of the track (floppy controllers cannot
			 * cross it). */
			uint32_t left_in_track = disk.spt - lba % disk.spt;
			if (chunk > left_in_track)
				chunk = left_in_track;
		}
		uint8_t status = 0;
		for (;;) {
			uint32_t tries;
			for (tries = 0; tries < READ_TRIES; tries++) {
				status = bios_read(lba, chunk);
				if (status == 0)
					break;
				bios_reset();
			}
			if (status == 0)
				break;
			/* Some BIOSes and USB sticks reject large transfers: halve,
			 * and remember, so later chunks do not retry the size that
			 * failed. */
			if (chunk == 1)
				read_failed(what, lba, status);
			chunk /= 2;
			if (disk.max_chunk > chunk)
				disk.max_chunk = chunk;
		}
		flat_copy(dest, BOUNCE_BUF_ADDR, chunk * SECTOR_SIZE);
		lba += chunk;
		dest += chunk * SECTOR_SIZE;
		sectors -= chunk;
	}
}
