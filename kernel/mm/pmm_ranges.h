/*
 * pmm_ranges.h - turning an E820 map into the frame allocator's free
 * ranges (private to kernel/mm/pmm.c and its tests).
 *
 * A pure computation over the map: no allocation, no console, no frame
 * touched, so the tests can feed it made-up maps (unsorted, overlapping,
 * unaligned, wrapping) and check the result exactly.
 */
#ifndef SELFOS_KERNEL_MM_PMM_RANGES_H
#define SELFOS_KERNEL_MM_PMM_RANGES_H

#include <stdint.h>

#include "lib/boot_info.h"

/* Enough for any map: collecting makes at most one range per usable entry,
 * and each cut (one per other entry, the kernel, the user program) splits
 * at most one range in two, so there are never more than
 * BOOT_MMAP_MAX + 2 ranges. */
#define PMM_MAX_RANGES (BOOT_MMAP_MAX + 2)

/* Everything below 1 MiB stays out: the real-mode IVT and BIOS data area,
 * stage2 with its page tables, stack and the boot info (lib/layout.h), the
 * EBDA, VGA memory and the BIOS ROMs. */
#define PMM_LOW_LIMIT  0x100000ull
/* The architectural limit of physical addresses (MAXPHYADDR is at most 52,
 * Intel SDM vol. 3A 4.1.4): anything a map claims above it is nonsense. */
#define PMM_PHYS_LIMIT (1ull << 52)

struct pmm_range {
	uint64_t base;   /* first frame */
	uint64_t end;    /* one past the last frame */
	uint64_t next;   /* bump pointer: frames at and above it were never handed out */
};

struct pmm_layout {
	struct pmm_range ranges[PMM_MAX_RANGES];
	unsigned count;
	uint64_t frames;      /* frames in all ranges */
	uint64_t steps;       /* loop iterations spent building them */
};

/* Fill *out from bi's map: the usable (type 1) entries, page-aligned
 * inward, between PMM_LOW_LIMIT and PMM_PHYS_LIMIT, sorted, overlapping and touching ones
 * merged; then every non-usable entry (which wins over an overlapping
 * usable one), [KERNEL_LOAD_PHYS, kernel_end) and the user program
 * [bi->user.phys, +bi->user.size) cut out, rounded outward to frames.
 * Each range's bump pointer starts at its base. */
void pmm_ranges_build(const struct boot_info *bi, uint64_t kernel_end, struct pmm_layout *out);

#endif
