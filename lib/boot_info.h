/*
 * boot_info.h - the hand-off from stage2 to the kernel.
 *
 * Stage2 fills one `struct boot_info` and jumps to the kernel entry with its
 * physical address in RDI (below 64 KiB, in stage2's .bss; the kernel reads
 * it through the direct map and copies it at once). This header is the single definition;
 * lib/boot_info.inc mirrors it for NASM and test/host/test_mirror.c fails when
 * the two disagree.
 *
 * Layout rules: fixed-width fields only, natural alignment, no pointers (the
 * struct is written by 16-bit code and read by 64-bit code).
 */
#ifndef SELFOS_LIB_BOOT_INFO_H
#define SELFOS_LIB_BOOT_INFO_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_INFO_MAGIC   0x5E1F05B1u  /* "selfos boot info" */
#define BOOT_INFO_VERSION 1u
#define BOOT_MMAP_MAX     64u          /* E820 entries kept; more are dropped */

/* E820 range types (ACPI spec, "Address Range Types"). */
#define E820_USABLE    1u
#define E820_RESERVED  2u
#define E820_ACPI      3u
#define E820_NVS       4u
#define E820_BAD       5u

/* Where the memory map came from (boot_info.mmap_source). */
#define MMAP_SRC_NONE  0u
#define MMAP_SRC_E820  1u
#define MMAP_SRC_E801  2u
#define MMAP_SRC_88H   3u

/* How A20 was found or made enabled (boot_info.a20_method). */
#define A20_ALREADY    1u
#define A20_BIOS       2u
#define A20_KBC        3u
#define A20_FAST       4u

/* One E820 entry exactly as int 15h/E820 returns it (24 bytes, ACPI 3.0). */
struct boot_mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t acpi;      /* ACPI 3.0 extended attributes; bit 0 = valid */
};

/* A part stage2 loaded: where it lies in physical memory. */
struct boot_part {
	uint64_t phys;      /* physical load address */
	uint64_t size;      /* bytes loaded from disk */
	uint64_t entry;     /* entry point (virtual for the kernel, 0x400000 for user) */
	uint32_t crc32;     /* CRC-32 verified by stage2 */
	uint32_t reserved;
};

struct boot_info {
	uint32_t magic;             /* BOOT_INFO_MAGIC */
	uint32_t version;           /* BOOT_INFO_VERSION */
	uint32_t size;              /* sizeof(struct boot_info) */
	uint8_t  boot_drive;        /* BIOS drive number from DL (0x00 floppy, 0x80 disk) */
	uint8_t  a20_method;        /* A20_* */
	uint8_t  mmap_source;       /* MMAP_SRC_* */
	uint8_t  reserved0;
	uint32_t mmap_count;        /* valid entries in mmap[] */
	uint32_t reserved1;
	struct boot_part kernel;    /* kernel image: phys, size (file), entry (virtual) */
	struct boot_part user;      /* user program: phys, size, entry */
	uint64_t kernel_memsz;      /* kernel image size in memory including .bss */
	uint64_t vga_phys;          /* text-mode buffer, 0xB8000 */
	uint16_t vga_cols;          /* 80 */
	uint16_t vga_rows;          /* 25 */
	uint16_t cursor_col;        /* where the BIOS cursor was when stage2 ended */
	uint16_t cursor_row;
	uint64_t tsc_mbr;           /* TSC in the MBR, after its disk checks, before the load */
	uint64_t tsc_stage2;        /* TSC at stage2 entry */
	uint64_t tsc_loaded;        /* TSC after the kernel and user parts were loaded */
	uint64_t tsc_longmode;      /* TSC at the first long-mode instruction */
	struct boot_mmap_entry mmap[BOOT_MMAP_MAX];
};

/* 16-bit stage2 (i386 ABI: 8-byte integers 4-aligned in structs) and the
 * 64-bit kernel must agree on every offset; these pin the layout. */
_Static_assert(sizeof(struct boot_mmap_entry) == 24, "E820 entries are 24 bytes");
_Static_assert(sizeof(struct boot_part) == 32, "boot_part layout");
_Static_assert(offsetof(struct boot_info, kernel) == 24, "boot_info layout");
_Static_assert(offsetof(struct boot_info, tsc_mbr) == 112, "boot_info layout");
_Static_assert(offsetof(struct boot_info, mmap) == 144, "boot_info layout");
_Static_assert(sizeof(struct boot_info) == 144 + 24 * BOOT_MMAP_MAX, "boot_info layout");

#endif
