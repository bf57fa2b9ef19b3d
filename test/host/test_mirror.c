/*
 * test_mirror.c - the NASM mirrors (lib/boot_info.inc, lib/image.inc,
 * lib/layout.inc) against the C headers, which are the definitions.
 *
 * A generated .asm file %includes the three .inc files and emits one dq per
 * struc field offset, struc size and constant, in the order of the table
 * below; `nasm -f bin` (env NASM, default "nasm") assembles it and each value
 * is compared with offsetof/sizeof/the #define. A second test reads the .inc
 * files and fails on any constant or field the table does not cover, so a
 * new mirror line cannot go unchecked. Run from the repo root.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test/host/check.h"

#include "lib/boot_info.h"
#include "lib/image.h"
#include "lib/layout.h"

/* C-only invariants the boot path relies on (the mirrors cannot say these). */
_Static_assert(STAGE2_LOAD_ADDR == IMAGE_HEADER_ADDR + SECTOR_SIZE, "stage2 follows the header sector");
_Static_assert(IMAGE_HEADER_ADDR == MBR_LOAD_ADDR + SECTOR_SIZE, "the header follows the MBR");
_Static_assert(STAGE2_MAX_SIZE == (MBR_LOAD_SECTORS - 1) * SECTOR_SIZE, "the MBR loads header + the largest stage2");
_Static_assert(IMAGE_HEADER_ADDR + MBR_LOAD_SECTORS * SECTOR_SIZE <= BOUNCE_BUF_ADDR, "MBR reads stay below 64 KiB");
_Static_assert(STAGE2_LOAD_ADDR + STAGE2_MAX_SIZE <= BOUNCE_BUF_ADDR, "stage2 ends before the bounce buffer");
_Static_assert(BOUNCE_BUF_ADDR % 0x10000 == 0 && BOUNCE_BUF_SIZE <= 0x10000, "one DMA window");
_Static_assert(BOOT_PDPT_HIGH_PHYS + 0x1000 <= BOOT_STACK_TOP - 0x1000, "page tables below the stack");
_Static_assert(KERNEL_LOAD_PHYS < LOAD_LIMIT_PHYS, "the kernel starts below the load limit");
_Static_assert(LOAD_LIMIT_PHYS <= 0x40000000u, "loaded parts lie in the 1 GiB boot identity map");
_Static_assert(sizeof(IMAGE_MAGIC) - 1 == IMAGE_MAGIC_LEN, "magic length");
_Static_assert(IMAGE_PART_USER < IMAGE_PART_MAX, "part indices fit parts[]");
_Static_assert(sizeof(struct boot_info) + 0x1000 <= 0x10000, "boot_info fits well inside stage2's space");

struct mirror {
	const char *asm_name;   /* as NASM spells it: CONST, struc.field, struc_size */
	uint64_t c_value;
	unsigned c_field_size;  /* sizeof the C member; 0 for constants and sizes */
};

#define CONST(n)      { #n, (uint64_t)(n), 0 }
#define FIELD(s, f)   { #s "." #f, offsetof(struct s, f), sizeof(((struct s *)0)->f) }
#define SIZE(s)       { #s "_size", sizeof(struct s), 0 }

/* Fields in declaration order, each struct followed by its size: the field
 * size check below relies on that order. */
static const struct mirror mirrors[] = {
	/* lib/boot_info.inc */
	CONST(BOOT_INFO_MAGIC), CONST(BOOT_INFO_VERSION), CONST(BOOT_MMAP_MAX),
	FIELD(boot_mmap_entry, base), FIELD(boot_mmap_entry, length),
	FIELD(boot_mmap_entry, type), FIELD(boot_mmap_entry, acpi),
	SIZE(boot_mmap_entry),
	FIELD(boot_part, phys), FIELD(boot_part, size), FIELD(boot_part, entry),
	FIELD(boot_part, crc32), FIELD(boot_part, reserved),
	SIZE(boot_part),
	FIELD(boot_info, magic), FIELD(boot_info, version), FIELD(boot_info, size),
	FIELD(boot_info, boot_drive), FIELD(boot_info, a20_method), FIELD(boot_info, mmap_source),
	FIELD(boot_info, reserved0), FIELD(boot_info, mmap_count), FIELD(boot_info, reserved1),
	FIELD(boot_info, kernel), FIELD(boot_info, user), FIELD(boot_info, kernel_memsz),
	FIELD(boot_info, vga_phys), FIELD(boot_info, vga_cols), FIELD(boot_info, vga_rows),
	FIELD(boot_info, cursor_col), FIELD(boot_info, cursor_row),
	FIELD(boot_info, tsc_mbr), FIELD(boot_info, tsc_stage2), FIELD(boot_info, tsc_loaded),
	FIELD(boot_info, tsc_longmode), FIELD(boot_info, mmap),
	SIZE(boot_info),
	/* lib/image.inc */
	CONST(SECTOR_SIZE), CONST(IMAGE_HEADER_LBA), CONST(IMAGE_PART_MAX),
	CONST(MBR_LOAD_SECTORS), CONST(MBR_DISK_SIG_OFF), CONST(MBR_PTABLE_OFF),
	CONST(MBR_SIGNATURE_OFF),
	FIELD(image_part, name), FIELD(image_part, lba), FIELD(image_part, sectors),
	FIELD(image_part, size), FIELD(image_part, crc32), FIELD(image_part, load_addr),
	FIELD(image_part, entry), FIELD(image_part, memsz),
	SIZE(image_part),
	FIELD(image_header, magic), FIELD(image_header, version), FIELD(image_header, header_size),
	FIELD(image_header, part_count), FIELD(image_header, total_sectors),
	FIELD(image_header, header_crc32), FIELD(image_header, reserved), FIELD(image_header, parts),
	SIZE(image_header),
	/* lib/layout.inc */
	CONST(BOOT_PML4_PHYS), CONST(BOOT_PDPT_LOW_PHYS), CONST(BOOT_PD_PHYS),
	CONST(BOOT_PDPT_HIGH_PHYS), CONST(BOOT_STACK_TOP), CONST(MBR_LOAD_ADDR),
	CONST(IMAGE_HEADER_ADDR), CONST(STAGE2_LOAD_ADDR), CONST(STAGE2_MAX_SIZE),
	CONST(STAGE2_MAGIC), CONST(BOUNCE_BUF_ADDR), CONST(BOUNCE_BUF_SIZE),
	CONST(KERNEL_LOAD_PHYS), CONST(LOAD_LIMIT_PHYS), CONST(KERNEL_VMA_BASE),
	CONST(DIRECT_MAP_BASE), CONST(USER_LOAD_ADDR),
};
#define NMIRRORS (sizeof mirrors / sizeof mirrors[0])

static const char *const inc_files[] = { "lib/boot_info.inc", "lib/image.inc", "lib/layout.inc" };

static char dir[64];
static uint64_t asm_values[NMIRRORS];
static int assembled;

static void cleanup(void)
{
	static const char *const files[] = { "m.asm", "m.bin", "nasm.err" };
	char p[128];

	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* Write, assemble and read back the values once; the tests then compare. */
TEST(assemble_mirror_probe)
{
	char asm_path[128], bin_path[128], err_path[128], inc[4200], cwd[4096];
	const char *nasm = getenv("NASM");
	FILE *f;
	int st;

	if (!nasm || !*nasm)
		nasm = "nasm";
	snprintf(asm_path, sizeof asm_path, "%s/m.asm", dir);
	snprintf(bin_path, sizeof bin_path, "%s/m.bin", dir);
	snprintf(err_path, sizeof err_path, "%s/nasm.err", dir);
	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	snprintf(inc, sizeof inc, "-I%s/", cwd);    /* the .inc paths are repo-relative */

	f = fopen(asm_path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	for (size_t i = 0; i < 3; i++)
		fprintf(f, "%%include \"%s\"\n", inc_files[i]);
	fprintf(f, "bits 64\n");
	for (size_t i = 0; i < NMIRRORS; i++)
		fprintf(f, "dq %s\n", mirrors[i].asm_name);
	CHECK(fclose(f) == 0);

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen(err_path, "w", stderr) || !freopen(err_path, "a", stdout))
			_exit(126);
		execlp(nasm, nasm, "-f", "bin", inc, "-o", bin_path, asm_path, (char *)NULL);
		fprintf(stderr, "cannot run %s\n", nasm);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (check_failed_now) {
		char line[512];
		f = fopen(err_path, "r");
		while (f && fgets(line, sizeof line, f))
			printf("  nasm: %s", line);
		if (f)
			fclose(f);
		return;
	}

	f = fopen(bin_path, "rb");
	CHECK(f != NULL);
	if (!f)
		return;
	size_t n = fread(asm_values, 8, NMIRRORS, f);
	CHECK_EQ(n, NMIRRORS);
	CHECK(fgetc(f) == EOF);
	fclose(f);
	assembled = (n == NMIRRORS);
}

TEST(values_match)
{
	CHECK(assembled);
	for (size_t i = 0; assembled && i < NMIRRORS; i++)
		if (asm_values[i] != mirrors[i].c_value) {
			printf("  %s: asm 0x%llx, C 0x%llx\n", mirrors[i].asm_name,
			       (unsigned long long)asm_values[i], (unsigned long long)mirrors[i].c_value);
			check_failed_now = 1;
		}
}

/* The distance to the next field (or to the struc size) is the field's size
 * in NASM; it must equal the C member's size. */
TEST(field_sizes_match)
{
	CHECK(assembled);
	for (size_t i = 0; assembled && i < NMIRRORS; i++) {
		if (!mirrors[i].c_field_size)
			continue;
		uint64_t asm_size = asm_values[i + 1] - asm_values[i];
		if (asm_size != mirrors[i].c_field_size) {
			printf("  %s: %llu bytes in asm, %u in C\n", mirrors[i].asm_name,
			       (unsigned long long)asm_size, mirrors[i].c_field_size);
			check_failed_now = 1;
		}
	}
}

/* stage2 is built with the i386 ABI, where 8-byte members are only 4-aligned:
 * every 8-byte field must already sit at a multiple of 8 for both to agree. */
TEST(layout_is_abi_neutral)
{
	for (size_t i = 0; i < NMIRRORS; i++)
		if (mirrors[i].c_field_size == 8 && mirrors[i].c_value % 8) {
			printf("  %s: 8-byte field at offset %llu\n", mirrors[i].asm_name,
			       (unsigned long long)mirrors[i].c_value);
			check_failed_now = 1;
		}
	CHECK_EQ(sizeof(struct boot_mmap_entry), 24);
	CHECK_EQ(sizeof(struct boot_part), 32);
	CHECK_EQ(sizeof(struct boot_info), 144 + 24 * BOOT_MMAP_MAX);
	CHECK_EQ(sizeof(struct image_part), 48);
	CHECK_EQ(sizeof(struct image_header), 32 + 48 * IMAGE_PART_MAX);
	CHECK_EQ(sizeof(struct boot_info) % 8, 0);
}

static int covered(const char *asm_name)
{
	for (size_t i = 0; i < NMIRRORS; i++)
		if (strcmp(mirrors[i].asm_name, asm_name) == 0)
			return 1;
	return 0;
}

/* Every `NAME equ`, every `struc` (its _size) and every `.field:` in the
 * .inc files must have a row in mirrors[]. */
TEST(every_inc_line_covered)
{
	int found = 0;

	for (size_t k = 0; k < 3; k++) {
		FILE *f = fopen(inc_files[k], "r");
		char line[256], struc[64] = "", name[64], full[160];

		CHECK(f != NULL);
		while (f && fgets(line, sizeof line, f)) {
			char *p = line;
			while (isspace((unsigned char)*p))
				p++;
			if (sscanf(p, "struc %63s", name) == 1) {
				strcpy(struc, name);
				snprintf(full, sizeof full, "%s_size", struc);
			} else if (strncmp(p, "endstruc", 8) == 0) {
				struc[0] = 0;
				continue;
			} else if (*p == '.' && struc[0] && sscanf(p + 1, "%63[A-Za-z0-9_]:", name) == 1) {
				snprintf(full, sizeof full, "%s.%s", struc, name);
			} else if (sscanf(p, "%63[A-Za-z0-9_] equ", name) == 1 && strstr(p, " equ ")) {
				snprintf(full, sizeof full, "%s", name);
			} else {
				continue;
			}
			found++;
			if (!covered(full)) {
				printf("  %s: %s is not checked by test_mirror.c\n", inc_files[k], full);
				check_failed_now = 1;
			}
		}
		if (f)
			fclose(f);
	}
	CHECK_EQ(found, NMIRRORS);          /* and no row without a line */
}

int main(void)
{
	strcpy(dir, "/tmp/selfos-mirror-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	atexit(cleanup);
	return RUN_TESTS();
}
