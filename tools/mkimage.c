/*
 * mkimage - build the selfos disk image (format: lib/image.h, README.md here).
 *
 *   mkimage -o OUT --mbr MBR.bin --stage2 STAGE2.bin --kernel KERNEL.elf
 *           --user USER.bin
 *
 * Every input is checked before anything is written: a bad image fails on
 * the host with one clear line instead of hanging a machine at boot. The
 * image is built in memory, written to OUT.tmp and renamed, so OUT is either
 * complete or absent.
 */
#include <elf.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/crc32.h"
#include "lib/image.h"
#include "lib/layout.h"

/* The header and the partition table are written as in-memory structs. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "mkimage writes little-endian structs directly; build it on a little-endian host"
#endif

/* The MBR loads the header sector and 32 more: stage2 must fit in those. */
_Static_assert(STAGE2_MAX_SIZE <= (MBR_LOAD_SECTORS - 1) * SECTOR_SIZE,
	       "STAGE2_MAX_SIZE exceeds what the MBR loads");
_Static_assert(STAGE2_LOAD_ADDR == IMAGE_HEADER_ADDR + SECTOR_SIZE,
	       "the MBR reads header and stage2 in one run");

#define PAGE_SIZE 4096u
#define STAGE2_LBA (IMAGE_HEADER_LBA + 1)

static const char *tmp_path;    /* removed by fail() once created */

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	fputs("mkimage: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (tmp_path)
		unlink(tmp_path);
	exit(1);
}

static uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

/* One input or computed part: the bytes, plus what the header says of them. */
struct blob {
	const char *role;       /* "stage2", ...: for messages and part names */
	const char *path;
	uint8_t *data;
	size_t size;
};

/* Read a whole file. A file is limited to 1 GiB so sizes stay far from any
 * overflow; the layout checks refuse much less than that anyway. */
static void read_input(struct blob *b, const char *role, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	b->role = role;
	b->path = path;
	if (!f)
		fail("%s: %s", path, errno == ENOENT ? "no such file" : strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		fail("%s %s: not a regular file", role, path);
	if (st.st_size > (1l << 30))
		fail("%s %s: %lld bytes is absurdly large", role, path, (long long)st.st_size);
	b->size = (size_t)st.st_size;
	b->data = malloc(b->size ? b->size : 1);
	if (!b->data)
		fail("out of memory reading %s", path);
	if (fread(b->data, 1, b->size, f) != b->size)
		fail("%s %s: read error", role, path);
	fclose(f);
}

/* ---- boot sector -------------------------------------------------------- */

static void check_mbr(const struct blob *m)
{
	if (m->size != SECTOR_SIZE)
		fail("boot sector %s is %zu bytes, must be exactly %u", m->path, m->size, SECTOR_SIZE);
	if (m->data[MBR_SIGNATURE_OFF] != 0x55 || m->data[MBR_SIGNATURE_OFF + 1] != 0xAA)
		fail("boot sector %s does not end in 0x55AA", m->path);
}

/* CHS address of an LBA in the 255-head, 63-sector geometry every BIOS uses
 * for LBA-translated disks; beyond cylinder 1023 the convention is the
 * maximum 1023/254/63 (the LBA fields are what readers actually trust). */
static void chs(uint8_t out[3], uint64_t lba)
{
	uint64_t cyl = lba / (255 * 63);
	unsigned head = (unsigned)(lba / 63 % 255), sec = (unsigned)(lba % 63 + 1);

	if (cyl > 1023) {
		cyl = 1023;
		head = 254;
		sec = 63;
	}
	out[0] = (uint8_t)head;
	out[1] = (uint8_t)(sec | ((cyl >> 8) & 3) << 6);  /* cylinder bits 9:8 in 7:6 */
	out[2] = (uint8_t)cyl;
}

/* One active partition over LBA 1..last: tools that look at the table see
 * the image as occupied rather than as free space. Only the table is
 * touched: the code, the disk signature and 0x55AA stay as assembled. */
static void write_ptable(uint8_t *sector, uint32_t last_lba)
{
	uint8_t *e = sector + MBR_PTABLE_OFF;
	uint32_t first = IMAGE_HEADER_LBA, count = last_lba - first + 1;

	memset(e, 0, 4 * 16);
	e[0] = MBR_PART_ACTIVE;
	chs(e + 1, first);
	e[4] = MBR_PART_TYPE;
	chs(e + 5, last_lba);
	memcpy(e + 8, &first, 4);
	memcpy(e + 12, &count, 4);
}

/* ---- stage2 ------------------------------------------------------------- */

static void check_stage2(const struct blob *s)
{
	uint32_t magic;

	if (s->size > STAGE2_MAX_SIZE)
		fail("stage2 %s is %zu bytes; the MBR loads at most %u", s->path, s->size, STAGE2_MAX_SIZE);
	/* The MBR jumps to offset 0 and checks the dword at offset 2. */
	if (s->size < 6)
		fail("stage2 %s is %zu bytes, too short to be stage2", s->path, s->size);
	memcpy(&magic, s->data + 2, 4);
	if (s->data[0] != 0xEB || magic != STAGE2_MAGIC)
		fail("stage2 %s does not start with jmp short + STAGE2_MAGIC (0x%08x)", s->path, STAGE2_MAGIC);
}

/* ---- kernel ELF --------------------------------------------------------- */

/* A kernel flattened to what stage2 copies to KERNEL_LOAD_PHYS. */
struct kernel {
	struct blob flat;
	uint64_t memsz;         /* including .bss */
	uint64_t entry;
};

static void flatten_kernel(const struct blob *e, struct kernel *k)
{
	Elf64_Ehdr eh;
	uint64_t low = UINT64_MAX, end_mem = 0, end_file = 0;
	int nload = 0, entry_found = 0;

	if (e->size < sizeof eh)
		fail("kernel %s: not an ELF64 x86-64 file (%zu bytes, truncated)", e->path, e->size);
	memcpy(&eh, e->data, sizeof eh);
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64)
		fail("kernel %s: not an ELF64 x86-64 file", e->path);
	if (eh.e_type != ET_EXEC)
		fail("kernel %s: ELF type %u, must be an executable (ET_EXEC)", e->path, eh.e_type);
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0)
		fail("kernel %s: no usable program headers", e->path);
	/* e_phoff is untrusted: compare without forming an overflowing sum. */
	if (eh.e_phoff > e->size || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > e->size - eh.e_phoff)
		fail("kernel %s: program headers lie outside the file (truncated?)", e->path);

	/* First pass: validate every PT_LOAD and find the extent. */
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, e->data + eh.e_phoff + i * sizeof ph, sizeof ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_offset > e->size || ph.p_filesz > e->size - ph.p_offset)
			fail("kernel %s: segment %u lies outside the file (truncated?)", e->path, i);
		if (ph.p_filesz > ph.p_memsz)
			fail("kernel %s: segment %u has filesz > memsz", e->path, i);
		if (ph.p_paddr >= LOAD_LIMIT_PHYS || ph.p_memsz > LOAD_LIMIT_PHYS - ph.p_paddr)
			fail("kernel %s: segment %u (paddr 0x%llx, 0x%llx bytes) does not fit below 16 MiB",
			     e->path, i, (unsigned long long)ph.p_paddr, (unsigned long long)ph.p_memsz);
		if (ph.p_paddr < low)
			low = ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > end_mem)
			end_mem = ph.p_paddr + ph.p_memsz;
		if (ph.p_filesz && ph.p_paddr + ph.p_filesz > end_file)
			end_file = ph.p_paddr + ph.p_filesz;
		if (eh.e_entry >= ph.p_vaddr && eh.e_entry - ph.p_vaddr < ph.p_filesz)
			entry_found = 1;
		nload++;
	}
	if (nload == 0)
		fail("kernel %s: no loadable segment", e->path);
	/* A jump to an address outside the loaded bytes would triple-fault
	 * with nothing on screen; catch a broken linker script here. */
	if (!entry_found)
		fail("kernel %s: entry 0x%llx is not inside a loaded segment",
		     e->path, (unsigned long long)eh.e_entry);
	if (low != KERNEL_LOAD_PHYS)
		fail("kernel %s: lowest physical address is 0x%llx, must be 0x%x (KERNEL_LOAD_PHYS)",
		     e->path, (unsigned long long)low, KERNEL_LOAD_PHYS);

	/* Second pass: copy. Segments overlapping in memory would make the
	 * result depend on header order, so they are refused. */
	k->flat.role = "kernel";
	k->flat.path = e->path;
	k->flat.size = end_file > low ? (size_t)(end_file - low) : 0;
	k->flat.data = calloc(1, k->flat.size ? k->flat.size : 1);
	if (!k->flat.data)
		fail("out of memory flattening %s", e->path);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr a, b;

		memcpy(&a, e->data + eh.e_phoff + i * sizeof a, sizeof a);
		if (a.p_type != PT_LOAD || a.p_memsz == 0)
			continue;
		for (unsigned j = i + 1; j < eh.e_phnum; j++) {
			memcpy(&b, e->data + eh.e_phoff + j * sizeof b, sizeof b);
			if (b.p_type == PT_LOAD && b.p_memsz &&
			    a.p_paddr < b.p_paddr + b.p_memsz && b.p_paddr < a.p_paddr + a.p_memsz)
				fail("kernel %s: segments %u and %u overlap in physical memory", e->path, i, j);
		}
		memcpy(k->flat.data + (a.p_paddr - low), e->data + a.p_offset, a.p_filesz);
	}
	k->memsz = end_mem - low;
	k->entry = eh.e_entry;
}

/* ---- the image ---------------------------------------------------------- */

static void set_part(struct image_part *p, const struct blob *b, uint64_t lba,
		     uint64_t load, uint64_t entry, uint64_t memsz)
{
	uint64_t sectors = align_up(b->size, SECTOR_SIZE) / SECTOR_SIZE;

	if (b->size > UINT32_MAX || lba + sectors > UINT32_MAX)
		fail("%s %s: %zu bytes do not fit the image header fields", b->role, b->path, b->size);
	memset(p, 0, sizeof *p);  /* also NUL-pads the name */
	memcpy(p->name, b->role, strnlen(b->role, sizeof p->name));
	p->lba = (uint32_t)lba;
	p->sectors = (uint32_t)sectors;
	p->size = (uint32_t)b->size;
	p->crc32 = crc32_update(0, b->data, b->size);
	p->load_addr = load;
	p->entry = entry;
	p->memsz = memsz;
}

static void usage(FILE *f)
{
	fputs("usage: mkimage -o OUT --mbr MBR.bin --stage2 STAGE2.bin "
	      "--kernel KERNEL.elf --user USER.bin\n"
	      "Writes the selfos disk image (lib/image.h); see tools/README.md.\n", f);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mbr", required_argument, 0, 'm' },
		{ "stage2", required_argument, 0, 's' },
		{ "kernel", required_argument, 0, 'k' },
		{ "user", required_argument, 0, 'u' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *out = 0, *mbr_path = 0, *s2_path = 0, *k_path = 0, *u_path = 0;
	struct blob mbr, s2, kelf, user;
	struct kernel k;
	struct image_header h;
	int c;

	while ((c = getopt_long(argc, argv, "o:h", longopts, 0)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'm': mbr_path = optarg; break;
		case 's': s2_path = optarg; break;
		case 'k': k_path = optarg; break;
		case 'u': u_path = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || !out || !mbr_path || !s2_path || !k_path || !u_path) {
		usage(stderr);
		return 2;
	}

	read_input(&mbr, "boot sector", mbr_path);
	check_mbr(&mbr);
	read_input(&s2, "stage2", s2_path);
	check_stage2(&s2);
	read_input(&kelf, "kernel", k_path);
	flatten_kernel(&kelf, &k);
	read_input(&user, "user", u_path);
	if (user.size == 0)
		fail("user %s: empty file", u_path);
	/* The ABI runs the first byte: an ELF header there would be executed as
	 * code. A common slip with USER_BIN=, so say what to give instead. */
	if (user.size >= 4 && memcmp(user.data, "\177ELF", 4) == 0)
		fail("user %s: is an ELF file; give the flat binary (objcopy -O binary, see user/README.md)", u_path);

	/* Memory layout: kernel at 1 MiB, user on the next page after its bss. */
	uint64_t kernel_end = KERNEL_LOAD_PHYS + k.memsz;
	uint64_t user_load = align_up(kernel_end, PAGE_SIZE);
	if (user_load + user.size > LOAD_LIMIT_PHYS)
		fail("user %s: %zu bytes do not fit below 16 MiB (kernel ends at 0x%llx)",
		     u_path, user.size, (unsigned long long)kernel_end);

	/* Disk layout: header, then the parts back to back. */
	memset(&h, 0, sizeof h);
	memcpy(h.magic, IMAGE_MAGIC, IMAGE_MAGIC_LEN);
	h.version = IMAGE_VERSION;
	h.header_size = sizeof h;
	h.part_count = 3;
	struct image_part *ps = &h.parts[IMAGE_PART_STAGE2];
	struct image_part *pk = &h.parts[IMAGE_PART_KERNEL];
	struct image_part *pu = &h.parts[IMAGE_PART_USER];
	set_part(ps, &s2, STAGE2_LBA, STAGE2_LOAD_ADDR, STAGE2_LOAD_ADDR, s2.size);
	set_part(pk, &k.flat, (uint64_t)ps->lba + ps->sectors, KERNEL_LOAD_PHYS, k.entry, k.memsz);
	set_part(pu, &user, (uint64_t)pk->lba + pk->sectors, user_load, USER_LOAD_ADDR, user.size);
	uint64_t used = (uint64_t)pu->lba + pu->sectors;
	h.total_sectors = (uint32_t)(used > IMAGE_MIN_SECTORS ? used : IMAGE_MIN_SECTORS);
	h.header_crc32 = crc32_update(0, &h, sizeof h);  /* computed with the field zero */

	size_t img_size = (size_t)h.total_sectors * SECTOR_SIZE;
	uint8_t *img = calloc(1, img_size);   /* zero: padding comes for free */
	if (!img)
		fail("out of memory for a %zu-byte image", img_size);
	memcpy(img, mbr.data, SECTOR_SIZE);
	write_ptable(img, (uint32_t)used - 1);
	memcpy(img + IMAGE_HEADER_LBA * SECTOR_SIZE, &h, sizeof h);
	memcpy(img + (size_t)ps->lba * SECTOR_SIZE, s2.data, s2.size);
	memcpy(img + (size_t)pk->lba * SECTOR_SIZE, k.flat.data, k.flat.size);
	memcpy(img + (size_t)pu->lba * SECTOR_SIZE, user.data, user.size);

	/* OUT.tmp, then rename: a failed or interrupted run never leaves a
	 * half-written image that make would consider up to date. */
	size_t tlen = strlen(out) + 5;
	char *tmp = malloc(tlen);
	if (!tmp)
		fail("out of memory");
	snprintf(tmp, tlen, "%s.tmp", out);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		fail("%s: cannot create: %s", tmp, strerror(errno));
	tmp_path = tmp;
	if (fwrite(img, 1, img_size, f) != img_size || fclose(f) != 0)
		fail("%s: write error: %s", tmp, strerror(errno));
	if (rename(tmp, out) != 0)
		fail("%s: cannot rename to %s: %s", tmp, out, strerror(errno));
	tmp_path = 0;

	for (unsigned i = 0; i < h.part_count; i++) {
		const struct image_part *p = &h.parts[i];
		printf("mkimage: %-6.8s lba %u %u sectors %u bytes crc 0x%08x -> 0x%llx",
		       p->name, p->lba, p->sectors, p->size, p->crc32, (unsigned long long)p->load_addr);
		if (i == IMAGE_PART_KERNEL)
			printf(" memsz 0x%llx entry 0x%llx",
			       (unsigned long long)p->memsz, (unsigned long long)p->entry);
		putchar('\n');
	}
	printf("mkimage: %s: %u sectors\n", out, h.total_sectors);
	free(tmp);
	free(img);
	return 0;
}
