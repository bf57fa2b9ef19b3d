/*
 * image.h - the selfos disk image format, shared by tools/mkimage (writes it),
 * the MBR (reads the first sectors) and stage2 (reads the header and parts).
 * lib/image.inc mirrors the constants and the header layout for NASM.
 *
 *   LBA 0            MBR: boot code, disk signature,
 *                    partition table, 0x55AA
 *   LBA 1            image header (struct image_header), one sector
 *   LBA 2 ...        stage2, then the kernel, then the user program, each
 *                    padded to whole sectors
 *   ... up to 2880   zero padding, so the same file is a valid 1.44 MB floppy
 *
 * All fields are little-endian.
 */
#ifndef SELFOS_LIB_IMAGE_H
#define SELFOS_LIB_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define SECTOR_SIZE           512u
#define IMAGE_MAGIC           "SELFOSIM"   /* 8 bytes, no terminator on disk */
#define IMAGE_MAGIC_LEN       8u
#define IMAGE_VERSION         1u
#define IMAGE_HEADER_LBA      1u
#define IMAGE_PART_MAX        4u
#define IMAGE_MIN_SECTORS     2880u        /* 1.44 MB: QEMU and BIOSes size floppies by it */

/* Part indices in image_header.parts[]. */
#define IMAGE_PART_STAGE2     0u
#define IMAGE_PART_KERNEL     1u
#define IMAGE_PART_USER       2u

/* The MBR loads MBR_LOAD_SECTORS from IMAGE_HEADER_LBA: the header sector
 * and the largest stage2 (lib/layout.h STAGE2_MAX_SIZE). Its code must end
 * before the disk signature. */
#define MBR_LOAD_SECTORS      33u
#define MBR_DISK_SIG_OFF      0x1B8u       /* uint32_t, left to the OS that formats the disk */
#define MBR_PTABLE_OFF        0x1BEu       /* four 16-byte partition entries */
#define MBR_SIGNATURE_OFF     0x1FEu       /* 0x55, 0xAA */
#define MBR_PART_TYPE         0x7Fu        /* "reserved for individual use" (alt-os-dev) */
#define MBR_PART_ACTIVE       0x80u

struct image_part {
	char     name[8];      /* "stage2", "kernel", "user", NUL padded */
	uint32_t lba;          /* first sector */
	uint32_t sectors;      /* sectors occupied (size rounded up) */
	uint32_t size;         /* bytes of payload */
	uint32_t crc32;        /* CRC-32 (IEEE 802.3) of the payload bytes */
	uint64_t load_addr;    /* physical address stage2 copies it to */
	uint64_t entry;        /* entry point (virtual for the kernel) */
	uint64_t memsz;        /* bytes the part occupies in memory once running (>= size) */
};

struct image_header {
	char     magic[8];     /* IMAGE_MAGIC */
	uint32_t version;      /* IMAGE_VERSION */
	uint32_t header_size;  /* sizeof(struct image_header) */
	uint32_t part_count;   /* parts in use (3) */
	uint32_t total_sectors;/* size of the whole image */
	uint32_t header_crc32; /* CRC-32 of this struct with this field zero */
	uint32_t reserved;
	struct image_part parts[IMAGE_PART_MAX];
};

/* Same layout for the 16-bit stage2 (i386 ABI) and 64-bit tools. */
_Static_assert(sizeof(struct image_part) == 48, "image_part layout");
_Static_assert(offsetof(struct image_part, load_addr) == 24, "image_part layout");
_Static_assert(offsetof(struct image_header, parts) == 32, "image_header layout");
_Static_assert(sizeof(struct image_header) <= SECTOR_SIZE, "the header is one sector");

#endif
