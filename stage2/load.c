/*
 * load.c - find the parts in the image header, load them, check them.
 *
 * The MBR left the header sector (LBA 1) at IMAGE_HEADER_ADDR. Every field
 * is checked before it is used: a damaged or foreign disk gets a message,
 * never a jump into garbage.
 */
#include "stage2/stage2.h"

#include "lib/boot_info.h"
#include "lib/crc32.h"
#include "lib/image.h"
#include "lib/layout.h"
#include "stage2/bios.h"
#include "stage2/tty.h"

static int magic_ok(const char *m)
{
	for (uint32_t i = 0; i < IMAGE_MAGIC_LEN; i++)
		if (m[i] != IMAGE_MAGIC[i])
			return 0;
	return 1;
}

static const struct image_header *header_check(void)
{
	static struct image_header copy;
	const struct image_header *h = (const struct image_header *)IMAGE_HEADER_ADDR;

	if (!magic_ok(h->magic))
		die("no selfos image header at LBA 1 (was the disk written by mkimage?)");
	if (h->version != IMAGE_VERSION || h->header_size != sizeof(struct image_header))
		die("image header version or size does not match this stage2 (rebuild the image)");
	copy = *h;
	copy.header_crc32 = 0;
	uint32_t crc = crc32_update(0, &copy, sizeof(copy));
	if (crc != h->header_crc32) {
		tty_puts("stage2: image header CRC expected ");
		tty_hex(h->header_crc32);
		tty_puts(", got ");
		tty_hex(crc);
		tty_puts("\n");
		die("the image header is damaged");
	}
	if (h->part_count != 3)
		die("the image header does not list stage2, kernel and user");
	return h;
}

static __attribute__((noreturn)) void crc_mismatch(const char *name, uint32_t expected, uint32_t actual)
{
	tty_puts("stage2: error: CRC mismatch in the ");
	tty_puts(name);
	tty_puts(": expected ");
	tty_hex(expected);
	tty_puts(", got ");
	tty_hex(actual);
	tty_puts("\n");
	die("the image is damaged; refusing to run it");
}

/* CRC of size bytes at a physical address (through unreal-mode DS). */
static uint32_t crc_flat(uint32_t addr, uint32_t size)
{
	return crc32_update(0, flat_ptr(addr), size);
}

/* Is [base, base + size) inside one usable E820 range? */
static int in_usable_ram(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		if (e->type == E820_USABLE && base >= e->base && base + size <= e->base + e->length)
			return 1;
	}
	return 0;
}

static void load_part(const struct boot_info *bi, const struct image_part *p, const char *name,
		      struct boot_part *out)
{
	uint64_t end = p->load_addr + (p->memsz > p->size ? p->memsz : p->size);

	if (p->size == 0 || p->sectors != (p->size + SECTOR_SIZE - 1) / SECTOR_SIZE)
		die("a part's size in the image header is inconsistent");
	if (p->load_addr < KERNEL_LOAD_PHYS || end > LOAD_LIMIT_PHYS) {
		tty_puts("stage2: ");
		tty_puts(name);
		tty_puts(" wants ");
		tty_hex((uint32_t)p->load_addr);
		tty_puts("..");
		tty_hex((uint32_t)end);
		tty_puts("\n");
		die("a part's load address lies outside 1 MiB..16 MiB");
	}
	if (!in_usable_ram(bi, p->load_addr, end - p->load_addr))
		die("not enough usable memory at 1 MiB for the kernel and user program");

	disk_read(p->lba, p->sectors, (uint32_t)p->load_addr, name);
	uint32_t crc = crc_flat((uint32_t)p->load_addr, p->size);
	if (crc != p->crc32)
		crc_mismatch(name, p->crc32, crc);

	out->phys = p->load_addr;
	out->size = p->size;
	out->entry = p->entry;
	out->crc32 = crc;
	tty_puts("stage2: ");
	tty_puts(name);
	tty_puts(": ");
	tty_dec(p->size);
	tty_puts(" bytes at ");
	tty_hex((uint32_t)p->load_addr);
	tty_puts(", CRC ");
	tty_hex(crc);
	tty_puts(" ok\n");
}

void image_load(struct boot_info *bi)
{
	const struct image_header *h = header_check();
	const struct image_part *s2 = &h->parts[IMAGE_PART_STAGE2];

	/* Stage2 itself: the MBR checked only the magic; main.c took our CRC
	 * before anything in memory changed. */
	if (s2->size != stage2_file_size() || stage2_crc != s2->crc32)
		crc_mismatch("stage2", s2->crc32, stage2_crc);

	load_part(bi, &h->parts[IMAGE_PART_KERNEL], "kernel", &bi->kernel);
	bi->kernel_memsz = h->parts[IMAGE_PART_KERNEL].memsz;
	load_part(bi, &h->parts[IMAGE_PART_USER], "user program", &bi->user);
}
