/*
 * pmm.h - the physical frame allocator: 4 KiB frames of RAM from the E820 map.
 *
 * Usable (type 1) RAM only, minus everything below 1 MiB (IVT, BIOS data,
 * stage2, its page tables and the boot info), the kernel image with its
 * .bss and the user program stage2 loaded. pmm_init only records a few
 * ranges: it never touches the frames themselves, so boot time does not
 * depend on the amount of RAM.
 *
 * Every function is IRQ-safe (interrupts are disabled inside).
 */
#ifndef SELFOS_KERNEL_MM_PMM_H
#define SELFOS_KERNEL_MM_PMM_H

#include <stdint.h>

#include "lib/boot_info.h"

#define PMM_FRAME_SIZE 4096ull

/* Build the free ranges from bi's memory map. Panics when no usable RAM
 * remains. Reads only bi; writes no frame. */
void pmm_init(const struct boot_info *bi);

/* Physical address of a zeroed 4 KiB frame, or 0 when RAM is exhausted.
 * Freed frames are handed out again first (last freed, first reused). */
uint64_t pmm_alloc(void);

/* Give a frame from pmm_alloc back. A frame that is unaligned, not managed
 * by the allocator, never handed out, or (cheaply detected) already free is
 * reported on the console and ignored: it never corrupts the free list. */
void pmm_free(uint64_t phys);

/* Frames that pmm_alloc can still hand out. */
uint64_t pmm_free_count(void);

/* Frames managed by the allocator (free or allocated). */
uint64_t pmm_total_count(void);

/* Bad frees reported and ignored so far (for tests). */
uint64_t pmm_bad_free_count(void);

/* The work pmm_init did, in loop steps over map entries and ranges (for the
 * test proving that it does not walk RAM page by page). */
uint64_t pmm_init_steps(void);

/* Frames below `limit` are reachable through the direct map. Before
 * vmm_init only stage2's first 1 GiB is; vmm_init raises the limit once its
 * own direct map covers all RAM. pmm_alloc never returns a frame at or
 * above the limit (it has to zero it through the direct map). */
void pmm_set_direct_map_limit(uint64_t limit);

#endif
