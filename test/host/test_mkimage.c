/*
 * test_mkimage.c - runs the real tools/mkimage (env MKIMAGE, default
 * build/tools/mkimage) on inputs built here in a temp dir, then reads the
 * image back and checks every field against an independent computation.
 * Every refusal must exit non-zero, name the offending file and leave no
 * output behind. Run from the repo root.
 */
#include <dirent.h>
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test/host/check.h"
#include "lib/crc32.c"
#include "lib/image.h"
#include "lib/layout.h"

static char dir[64];                    /* temp dir, removed at exit */
static const char *mkimage;

/* ---- files -------------------------------------------------------------- */

static const char *path(const char *name)
{
	static char buf[16][256];
	static int n;
	char *p = buf[n++ & 15];            /* several live at once: one per argument */

	snprintf(p, sizeof buf[0], "%s/%s", dir, name);
	return p;
}

static void write_file(const char *name, const void *data, size_t len)
{
	FILE *f = fopen(path(name), "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		printf("  cannot write %s\n", path(name));
		exit(1);
	}
}

/* Whole file into a malloc'ed buffer; NULL if absent. */
static uint8_t *read_file(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n + 1);
	*len = fread(buf, 1, n, f);
	buf[*len] = 0;                      /* stderr text is used as a string */
	fclose(f);
	return buf;
}

static int exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static void cleanup(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(path(e->d_name));
	closedir(d);
	rmdir(dir);
}

/* ---- inputs ------------------------------------------------------------- */

#define S2_SIZE   4321u
#define USER_SIZE 1000u
#define K_ENTRY   (KERNEL_VMA_BASE + KERNEL_LOAD_PHYS + 0x10)
/* Two segments: text at 1 MiB, then data + bss after a gap of 0x2000-0x1234. */
#define K_SEG0_FILESZ 0x1234u
#define K_SEG1_PADDR  (KERNEL_LOAD_PHYS + 0x2000)
#define K_SEG1_FILESZ 0x300u
#define K_SEG1_MEMSZ  0x4F00u           /* ends at 0x106F00: user goes to 0x107000 */
#define K_FLAT_SIZE   (0x2000u + K_SEG1_FILESZ)
#define K_MEMSZ       (0x2000u + K_SEG1_MEMSZ)
#define ELF_SIZE      0x3300u

static uint8_t mbr[512], s2[S2_SIZE], user[USER_SIZE], elf[ELF_SIZE];
static uint8_t kflat[K_FLAT_SIZE];      /* what the kernel part must contain */

static void make_stage2(uint8_t *p, size_t len)
{
	uint32_t magic = STAGE2_MAGIC;

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 13 + 5);
	p[0] = 0xEB;
	p[1] = 0x04;
	memcpy(p + 2, &magic, 4);
}

/* A minimal ELF64 executable: header, two program headers, segment bytes at
 * file offsets 0x1000 and 0x3000. */
static void make_elf(void)
{
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		.e_entry = K_ENTRY, .e_phoff = sizeof(Elf64_Ehdr),
		.e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 3,
	};
	Elf64_Phdr ph[3] = {
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0x1000,
		  .p_vaddr = KERNEL_VMA_BASE + KERNEL_LOAD_PHYS, .p_paddr = KERNEL_LOAD_PHYS,
		  .p_filesz = K_SEG0_FILESZ, .p_memsz = K_SEG0_FILESZ, .p_align = 0x1000 },
		{ .p_type = PT_NOTE, .p_offset = 0x40, .p_filesz = 8 },   /* ignored */
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x3000,
		  .p_vaddr = KERNEL_VMA_BASE + K_SEG1_PADDR, .p_paddr = K_SEG1_PADDR,
		  .p_filesz = K_SEG1_FILESZ, .p_memsz = K_SEG1_MEMSZ, .p_align = 0x1000 },
	};

	memset(elf, 0xEE, sizeof elf);      /* file bytes outside segments: not copied */
	memcpy(elf, &eh, sizeof eh);
	memcpy(elf + sizeof eh, ph, sizeof ph);
	memset(kflat, 0, sizeof kflat);
	for (unsigned i = 0; i < K_SEG0_FILESZ; i++)
		kflat[i] = elf[0x1000 + i] = (uint8_t)(i * 7 + 1);
	for (unsigned i = 0; i < K_SEG1_FILESZ; i++)
		kflat[0x2000 + i] = elf[0x3000 + i] = (uint8_t)(i * 3 + 2);
}

static void make_inputs(void)
{
	for (unsigned i = 0; i < sizeof mbr; i++)
		mbr[i] = (uint8_t)(i * 11 + 3);     /* code, disk signature, junk table */
	mbr[510] = 0x55;
	mbr[511] = 0xAA;
	make_stage2(s2, sizeof s2);
	for (unsigned i = 0; i < sizeof user; i++)
		user[i] = (uint8_t)(i ^ 0x5A);
	make_elf();
	write_file("mbr.bin", mbr, sizeof mbr);
	write_file("s2.bin", s2, sizeof s2);
	write_file("k.elf", elf, sizeof elf);
	write_file("u.bin", user, sizeof user);
}

/* ---- running the tool --------------------------------------------------- */

/* Run mkimage with stdout/stderr captured in the temp dir. Returns the exit
 * status, or 128 + signal if it crashed. */
static int run(const char *out, const char *m, const char *s, const char *k, const char *u)
{
	char *argv[] = { (char *)mkimage, "-o", (char *)out, "--mbr", (char *)m, "--stage2",
			 (char *)s, "--kernel", (char *)k, "--user", (char *)u, NULL };
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (!freopen(path("stdout"), "w", stdout) || !freopen(path("stderr"), "w", stderr))
			_exit(126);
		execv(mkimage, argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Default inputs; NULL keeps the default for that argument. */
static int run_with(const char *m, const char *s, const char *k, const char *u)
{
	return run(path("out.img"), m ? m : path("mbr.bin"), s ? s : path("s2.bin"),
		   k ? k : path("k.elf"), u ? u : path("u.bin"));
}

static char *captured(const char *which)
{
	size_t n;
	char *t = (char *)read_file(path(which), &n);
	return t ? t : strdup("");
}

/* A refusal: exit 1, one "mkimage: " line naming `bad`, containing `what`,
 * and neither OUT nor OUT.tmp left behind. */
#define CHECK_REFUSED(rc, bad, what)                                       \
	do {                                                                   \
		int rc_ = (rc);                 /* runs the tool: before reading */ \
		char *err_ = captured("stderr");                                   \
		CHECK_EQ(rc_, 1);                                                  \
		CHECK(strncmp(err_, "mkimage: ", 9) == 0);                         \
		CHECK(strstr(err_, (bad)) != NULL);                                \
		CHECK(strstr(err_, (what)) != NULL);                               \
		CHECK(strchr(err_, '\n') == err_ + strlen(err_) - 1);              \
		CHECK(!exists(path("out.img")));                                   \
		CHECK(!exists(path("out.img.tmp")));                               \
		if (check_failed_now)                                              \
			printf("  stderr: %s", err_);                                  \
		free(err_);                                                        \
	} while (0)

/* ---- the image ---------------------------------------------------------- */

static void chs_ref(uint8_t out[3], uint32_t lba)
{
	uint32_t c = lba / (255 * 63), h = lba / 63 % 255, s = lba % 63 + 1;
	out[0] = (uint8_t)h;
	out[1] = (uint8_t)(s | (c >> 8) << 6);
	out[2] = (uint8_t)c;
}

static uint32_t secs(uint32_t bytes) { return (bytes + 511) / 512; }

/* Check one part: header fields, payload bytes, CRC, zero padding. */
static void check_part(const uint8_t *img, const struct image_part *p, const char *name,
		       uint32_t lba, const void *payload, uint32_t size,
		       uint64_t load, uint64_t entry, uint64_t memsz)
{
	char n[9] = { 0 };

	memcpy(n, p->name, 8);
	CHECK_STR(n, name);
	for (size_t i = strlen(name); i < 8; i++)
		CHECK_EQ(p->name[i], 0);
	CHECK_EQ(p->lba, lba);
	CHECK_EQ(p->size, size);
	CHECK_EQ(p->sectors, secs(size));
	CHECK(memcmp(img + (size_t)lba * 512, payload, size) == 0);
	CHECK_EQ(p->crc32, crc32_update(0, img + (size_t)lba * 512, size));
	CHECK_EQ(p->crc32, crc32_update(0, payload, size));
	for (uint32_t i = size; i < secs(size) * 512; i++)
		if (img[(size_t)lba * 512 + i]) {
			CHECK_EQ(img[(size_t)lba * 512 + i], 0);   /* padding */
			break;
		}
	CHECK_EQ(p->load_addr, load);
	CHECK_EQ(p->entry, entry);
	CHECK_EQ(p->memsz, memsz);
}

/* Build with the given user payload and check the whole image. */
static void check_image(const uint8_t *u, uint32_t usize)
{
	size_t len;
	uint8_t *img;
	struct image_header h;

	write_file("u2.bin", u, usize);
	CHECK_EQ(run_with(NULL, NULL, NULL, path("u2.bin")), 0);
	img = read_file(path("out.img"), &len);
	CHECK(img != NULL);
	if (!img)
		return;
	CHECK(!exists(path("out.img.tmp")));

	uint32_t kl = 2 + secs(S2_SIZE), ul = kl + secs(K_FLAT_SIZE), used = ul + secs(usize);
	uint32_t total = used > IMAGE_MIN_SECTORS ? used : IMAGE_MIN_SECTORS;
	CHECK_EQ(len, (size_t)total * 512);
	if (len < (size_t)used * 512) {
		free(img);
		return;
	}

	/* MBR: everything but the partition table as in the input. */
	CHECK(memcmp(img, mbr, MBR_PTABLE_OFF) == 0);
	CHECK_EQ(img[510], 0x55);
	CHECK_EQ(img[511], 0xAA);
	const uint8_t *e = img + MBR_PTABLE_OFF;
	uint8_t c[3];
	uint32_t first, count;
	CHECK_EQ(e[0], 0x80);
	CHECK_EQ(e[4], MBR_PART_TYPE);
	CHECK(e[1] == 0 && e[2] == 2 && e[3] == 0);      /* LBA 1 = C0 H0 S2 */
	chs_ref(c, used - 1);
	CHECK(memcmp(e + 5, c, 3) == 0);
	memcpy(&first, e + 8, 4);
	memcpy(&count, e + 12, 4);
	CHECK_EQ(first, 1);
	CHECK_EQ(count, used - 1);                       /* header through user */
	for (int i = 16; i < 64; i++)
		CHECK_EQ(e[i], 0);

	/* Header. */
	memcpy(&h, img + 512, sizeof h);
	CHECK(memcmp(h.magic, IMAGE_MAGIC, 8) == 0);
	CHECK_EQ(h.version, IMAGE_VERSION);
	CHECK_EQ(h.header_size, sizeof h);
	CHECK_EQ(h.part_count, 3);
	CHECK_EQ(h.total_sectors, total);
	uint32_t hcrc = h.header_crc32;
	h.header_crc32 = 0;
	CHECK_EQ(hcrc, crc32_update(0, &h, sizeof h));
	for (size_t i = 512 + sizeof h; i < 1024; i++)
		CHECK_EQ(img[i], 0);
	static const struct image_part zero;
	CHECK(memcmp(&h.parts[3], &zero, sizeof zero) == 0);

	check_part(img, &h.parts[IMAGE_PART_STAGE2], "stage2", 2, s2, S2_SIZE,
		   STAGE2_LOAD_ADDR, STAGE2_LOAD_ADDR, S2_SIZE);
	check_part(img, &h.parts[IMAGE_PART_KERNEL], "kernel", kl, kflat, K_FLAT_SIZE,
		   KERNEL_LOAD_PHYS, K_ENTRY, K_MEMSZ);
	check_part(img, &h.parts[IMAGE_PART_USER], "user", ul, u, usize,
		   0x107000, USER_LOAD_ADDR, usize);

	/* The rest of the floppy is zero. */
	for (size_t i = (size_t)used * 512; i < len; i++)
		if (img[i]) {
			CHECK_EQ(i, len);
			break;
		}
	free(img);
	unlink(path("out.img"));
}

/* ---- tests -------------------------------------------------------------- */

TEST(tool_exists)
{
	CHECK(access(mkimage, X_OK) == 0);
}

TEST(layout_floppy_sized)
{
	check_image(user, USER_SIZE);
	char *out = captured("stdout");
	CHECK(strstr(out, "mkimage: stage2 lba 2 9 sectors 4321 bytes crc 0x") != NULL);
	CHECK(strstr(out, "-> 0x107000") != NULL);
	free(out);
}

/* A 2 MB user program: the image grows past 2880 sectors, the partition
 * covers it all, CHS of the last sector leaves head 0. */
TEST(layout_grows_beyond_floppy)
{
	uint32_t n = 2u << 20;
	uint8_t *u = malloc(n);
	for (uint32_t i = 0; i < n; i++)
		u[i] = (uint8_t)(i * 31 >> 3);
	check_image(u, n);
	free(u);
}

TEST(stage2_at_max_size_accepted)
{
	uint8_t *s = malloc(STAGE2_MAX_SIZE);
	make_stage2(s, STAGE2_MAX_SIZE);
	write_file("s2max.bin", s, STAGE2_MAX_SIZE);
	CHECK_EQ(run_with(NULL, path("s2max.bin"), NULL, NULL), 0);
	unlink(path("out.img"));
	free(s);
}

TEST(help_and_bad_usage)
{
	char *argv[] = { (char *)mkimage, "-h", NULL };
	int st;
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen(path("stdout"), "w", stdout))
			_exit(126);
		execv(mkimage, argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	char *out = captured("stdout");
	CHECK(strstr(out, "usage: mkimage -o OUT") != NULL);
	free(out);
	/* --user missing */
	CHECK(run(path("out.img"), path("mbr.bin"), path("s2.bin"), path("k.elf"), NULL) != 0);
	CHECK(!exists(path("out.img")));
}

TEST(refuse_missing_file)
{
	CHECK_REFUSED(run_with(NULL, NULL, NULL, path("nope.bin")), "nope.bin", "no such file");
	CHECK_REFUSED(run_with(NULL, NULL, path("nok.elf"), NULL), "nok.elf", "no such file");
}

TEST(refuse_mbr_511_bytes)
{
	write_file("m511.bin", mbr, 511);
	CHECK_REFUSED(run_with(path("m511.bin"), NULL, NULL, NULL), "m511.bin", "511 bytes");
}

TEST(refuse_mbr_without_55aa)
{
	uint8_t m[512];
	memcpy(m, mbr, 512);
	m[511] = 0;
	write_file("mnosig.bin", m, 512);
	CHECK_REFUSED(run_with(path("mnosig.bin"), NULL, NULL, NULL), "mnosig.bin", "0x55AA");
}

TEST(refuse_stage2_without_magic)
{
	uint8_t s[S2_SIZE];
	memcpy(s, s2, sizeof s);
	s[5] ^= 1;
	write_file("s2bad.bin", s, sizeof s);
	CHECK_REFUSED(run_with(NULL, path("s2bad.bin"), NULL, NULL), "s2bad.bin", "STAGE2_MAGIC");
	memcpy(s, s2, sizeof s);
	s[0] = 0xE9;                        /* near jmp: the magic would be off by one */
	write_file("s2bad.bin", s, sizeof s);
	CHECK_REFUSED(run_with(NULL, path("s2bad.bin"), NULL, NULL), "s2bad.bin", "jmp short");
	write_file("s2bad.bin", s2, 5);
	CHECK_REFUSED(run_with(NULL, path("s2bad.bin"), NULL, NULL), "s2bad.bin", "too short");
}

TEST(refuse_stage2_too_big)
{
	uint8_t *s = malloc(STAGE2_MAX_SIZE + 1);
	make_stage2(s, STAGE2_MAX_SIZE + 1);
	write_file("s2big.bin", s, STAGE2_MAX_SIZE + 1);
	CHECK_REFUSED(run_with(NULL, path("s2big.bin"), NULL, NULL), "s2big.bin", "at most 16384");
	free(s);
}

TEST(refuse_non_elf_kernel)
{
	write_file("k.txt", "this is not an ELF file at all, just some text\n", 47);
	CHECK_REFUSED(run_with(NULL, NULL, path("k.txt"), NULL), "k.txt", "not an ELF64 x86-64");
	uint8_t e[ELF_SIZE];
	memcpy(e, elf, sizeof e);
	e[EI_CLASS] = ELFCLASS32;
	write_file("k32.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("k32.elf"), NULL), "k32.elf", "not an ELF64");
	memcpy(e, elf, sizeof e);
	e[18] = EM_386;                     /* e_machine */
	write_file("k386.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("k386.elf"), NULL), "k386.elf", "x86-64");
	memcpy(e, elf, sizeof e);
	e[16] = ET_DYN;                     /* e_type */
	write_file("kdyn.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("kdyn.elf"), NULL), "kdyn.elf", "ET_EXEC");
}

TEST(refuse_truncated_elf)
{
	static const size_t cuts[] = { 0, 1, 16, 63, 64, 100, 120, 176, 232, 0x1000, 0x2000, 0x3000, ELF_SIZE - 1 };
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		write_file("ktrunc.elf", elf, cuts[i]);
		CHECK_REFUSED(run_with(NULL, NULL, path("ktrunc.elf"), NULL), "ktrunc.elf", "kernel");
	}
}

TEST(refuse_phdrs_outside_file)
{
	uint8_t e[ELF_SIZE];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)e;
	memcpy(e, elf, sizeof e);
	eh->e_phoff = ELF_SIZE - 10;
	write_file("kph.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("kph.elf"), NULL), "kph.elf", "outside the file");
	eh->e_phoff = UINT64_MAX - 8;       /* offset + size would wrap */
	write_file("kph.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("kph.elf"), NULL), "kph.elf", "outside the file");
	memcpy(e, elf, sizeof e);
	Elf64_Phdr *ph = (Elf64_Phdr *)(e + sizeof *eh);
	ph[2].p_offset = UINT64_MAX - 0x100; /* segment data wraps around */
	write_file("kph.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("kph.elf"), NULL), "kph.elf", "outside the file");
}

TEST(refuse_wrong_paddr)
{
	uint8_t e[ELF_SIZE];
	Elf64_Phdr *ph = (Elf64_Phdr *)(e + sizeof(Elf64_Ehdr));
	memcpy(e, elf, sizeof e);
	ph[0].p_paddr = 0x200000;           /* now the lowest is seg1 at 0x102000 */
	write_file("kpa.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("kpa.elf"), NULL), "kpa.elf", "0x102000");
	ph[0].p_paddr = 0x80000;            /* below 1 MiB */
	write_file("kpa.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("kpa.elf"), NULL), "kpa.elf", "0x100000");
	memcpy(e, elf, sizeof e);
	ph[2].p_paddr = KERNEL_LOAD_PHYS + 0x1000; /* overlaps segment 0 */
	write_file("kpa.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("kpa.elf"), NULL), "kpa.elf", "overlap");
}

TEST(refuse_entry_outside_segments)
{
	uint8_t e[ELF_SIZE];
	memcpy(e, elf, sizeof e);
	((Elf64_Ehdr *)e)->e_entry = KERNEL_LOAD_PHYS;    /* physical, not virtual */
	write_file("kent.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("kent.elf"), NULL), "kent.elf", "entry");
}

TEST(refuse_empty_user)
{
	write_file("empty.bin", "", 0);
	CHECK_REFUSED(run_with(NULL, NULL, NULL, path("empty.bin")), "empty.bin", "empty");
}

TEST(refuse_elf_user)
{
	write_file("uelf.bin", "\177ELF\2\1\1", 7);
	CHECK_REFUSED(run_with(NULL, NULL, NULL, path("uelf.bin")), "uelf.bin", "flat binary");
}

TEST(refuse_user_too_big)
{
	/* The largest that fits ends exactly at 16 MiB; one byte more fails. */
	uint32_t n = LOAD_LIMIT_PHYS - 0x107000;
	uint8_t *u = calloc(1, n + 1);
	u[0] = 1;
	write_file("ubig.bin", u, n);
	CHECK_EQ(run_with(NULL, NULL, NULL, path("ubig.bin")), 0);
	unlink(path("out.img"));
	write_file("ubig.bin", u, n + 1);
	CHECK_REFUSED(run_with(NULL, NULL, NULL, path("ubig.bin")), "ubig.bin", "below 16 MiB");
	free(u);
}

TEST(refuse_kernel_beyond_limit)
{
	uint8_t e[ELF_SIZE];
	Elf64_Phdr *ph = (Elf64_Phdr *)(e + sizeof(Elf64_Ehdr));
	memcpy(e, elf, sizeof e);
	ph[2].p_memsz = LOAD_LIMIT_PHYS;    /* bss past 16 MiB */
	write_file("khuge.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("khuge.elf"), NULL), "khuge.elf", "16 MiB");
	ph[2].p_memsz = UINT64_MAX;         /* paddr + memsz wraps */
	write_file("khuge.elf", e, sizeof e);
	CHECK_REFUSED(run_with(NULL, NULL, path("khuge.elf"), NULL), "khuge.elf", "16 MiB");
}

/* Random corruption of the headers: the tool may accept or refuse, but must
 * never crash or hang (exit 0 or 1, nothing left behind on 1). */
TEST(fuzz_corrupt_elf_headers)
{
	uint32_t seed = 12345;
	uint8_t e[ELF_SIZE];

	for (int round = 0; round < 200; round++) {
		memcpy(e, elf, sizeof e);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % (sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr));
			seed = seed * 1103515245u + 12345u;
			e[at] = (uint8_t)(seed >> 16);
		}
		write_file("kfuzz.elf", e, round % 7 ? sizeof e : (size_t)(seed >> 4) % sizeof e);
		int rc = run_with(NULL, NULL, path("kfuzz.elf"), NULL);
		CHECK(rc == 0 || rc == 1);
		if (rc == 1)
			CHECK(!exists(path("out.img")));
		CHECK(!exists(path("out.img.tmp")));
		if (rc != 0 && rc != 1) {
			printf("  round %d crashed (%d)\n", round, rc);
			break;
		}
		unlink(path("out.img"));
	}
}

int main(void)
{
	mkimage = getenv("MKIMAGE");
	if (!mkimage || !*mkimage)
		mkimage = "build/tools/mkimage";
	strcpy(dir, "/tmp/selfos-mkimage-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	atexit(cleanup);
	make_inputs();
	return RUN_TESTS();
}
