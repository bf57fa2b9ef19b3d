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

/*
 * Is [base, end) usable RAM? Firmware may split one RAM range into several
 * adjacent or overlapping E820 entries, so walk forward through usable
 * entries; any non-usable entry overlapping the range wins (reserved beats
 * usable where the map contradicts itself). Callers keep end <= 16 MiB, so
 * nothing here can overflow.
 */
static int in_usable_ram(const struct boot_info *bi, uint64_t base, uint64_t end)
{
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		if (e->type != E820_USABLE && e->length && e->base < end &&
		    e->base + e->length > base && e->base + e->length > e->base)
			return 0;
	}
	uint64_t covered = base;
	for (uint32_t round = 0; round <= bi->mmap_count && covered < end; round++) {
		for (uint32_t i = 0; i < bi->mmap_count; i++) {
			const struct boot_mmap_entry *e = &bi->mmap[i];
			uint64_t e_end = e->base + e->length;
			if (e->type == E820_USABLE && e_end > e->base && e->base <= covered && e_end > covered)
				covered = e_end;
		}
	}
	return covered >= end;
}

static void load_part(const struct boot_info *bi, const struct image_part *p, const char *name,
		      struct boot_part *out)
{
	/* Every field is bounded before it is added to another: a crafted
	 * header must not wrap an address around 4 GiB and make the copy
	 * overwrite stage2, its stack or the page tables. */
	if (p->size == 0 || p->size > LOAD_LIMIT_PHYS || p->memsz > LOAD_LIMIT_PHYS ||
	    p->sectors != (p->size + SECTOR_SIZE - 1) / SECTOR_SIZE)
		die("a part's size in the image header is inconsistent");
	if (p->load_addr >= LOAD_LIMIT_PHYS)
		die("a part's load address lies outside 1 MiB..16 MiB");
	uint64_t end = p->load_addr + (p->memsz > p->size ? p->memsz : p->size);
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
	if (!in_usable_ram(bi, p->load_addr, end))
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

	const struct image_part *k = &h->parts[IMAGE_PART_KERNEL];
	const struct image_part *u = &h->parts[IMAGE_PART_USER];
	/* The layout stage2 and the kernel rely on: the kernel at 1 MiB, its
	 * entry inside its own bytes (higher-half address), the user program
	 * after the kernel's .bss. */
	if (k->load_addr != KERNEL_LOAD_PHYS || k->memsz < k->size ||
	    k->entry < KERNEL_VMA_BASE + KERNEL_LOAD_PHYS ||
	    k->entry >= KERNEL_VMA_BASE + KERNEL_LOAD_PHYS + k->size)
		die("the image header's kernel entry or load address is not where stage2 expects it");
	if (u->load_addr < k->load_addr + k->memsz)
		die("the image header puts the user program over the kernel");

	load_part(bi, k, "kernel", &bi->kernel);
	bi->kernel_memsz = k->memsz;
	load_part(bi, u, "user program", &bi->user);
}
