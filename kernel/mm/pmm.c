/*
 * pmm.c - physical frames: a few free ranges, a bump pointer, a free list.
 *
 * Design. pmm_init turns the E820 map into a short sorted array of free
 * ranges (pmm_ranges.c: page-aligned inward, overlaps merged, every
 * non-usable entry and every reserved area cut out). Nothing per frame is
 * built: no bitmap, no list threaded through all of RAM, so booting a
 * 4 GiB machine costs the same as a 64 MiB one.
 *
 * pmm_alloc first reuses returned frames from a LIFO free list whose links
 * live inside the free frames themselves (read through the direct map);
 * when the list is empty it bumps a pointer through the ranges, lowest
 * address first. Below the bump pointer a frame is either allocated or on
 * the list; above it, untouched.
 *
 * A free frame carries, next to its link, a cookie derived from its own
 * address; pmm_free finds it there when the frame is freed twice. (Only a
 * frame whose owner wrote exactly that value at that offset would be
 * mistaken for a free one; the frame is then reported, not corrupted.)
 *
 * Interrupts: every entry point runs with interrupts disabled, so an
 * interrupt handler may allocate or free frames too.
 */
#include "kernel/mm/pmm.h"

#include <stdbool.h>
#include <stddef.h>

#include "kernel/arch/cpu.h"
#include "kernel/core/console.h"
#include "kernel/core/panic.h"
#include "kernel/mm/pmm_ranges.h"
#include "kernel/mm/vmm.h"
#include "lib/layout.h"
#include "lib/string.h"

/* Stage2's boot tables map the first 1 GiB at DIRECT_MAP_BASE; until
 * vmm_init has its own direct map, only those frames can be zeroed. */
#define PMM_BOOT_DIRECT_LIMIT (1ull << 30)
#define PMM_FREE_MAGIC    0x464D4D5045455246ull  /* "FREEPMMF" */

extern char __kernel_end[];   /* kernel/linker.ld: end of .bss */

/* What a frame on the free list holds at its start. */
struct pmm_free_frame {
	uint64_t next;    /* physical address of the next free frame, 0 = end */
	uint64_t cookie;  /* own address ^ PMM_FREE_MAGIC */
};

static struct pmm_layout layout;
static unsigned bump_range;     /* first range whose bump pointer is not at its end */
static uint64_t free_head;      /* free list, 0 = empty (frame 0 is never managed) */
static uint64_t free_frames;
static uint64_t bad_frees;
static uint64_t direct_limit = PMM_BOOT_DIRECT_LIMIT;

void pmm_init(const struct boot_info *bi)
{
	/* The kernel image including .bss: stage2's figure, or the linker's
	 * if larger. */
	uint64_t kernel_end = KERNEL_LOAD_PHYS + bi->kernel_memsz;
	uint64_t linked_end = (uint64_t)(uintptr_t)__kernel_end - KERNEL_VMA_BASE;
	pmm_ranges_build(bi, kernel_end > linked_end ? kernel_end : linked_end, &layout);

	if (layout.frames == 0)
		panic("pmm: no usable RAM above 1 MiB in the memory map (%u entries)", bi->mmap_count);
	free_frames = layout.frames;
	kprintf("pmm: %llu frames (%llu MiB) free in %u ranges, first at %#llx\n",
		(unsigned long long)layout.frames, (unsigned long long)(layout.frames >> 8),
		layout.count, (unsigned long long)layout.ranges[0].base);
}

void pmm_set_direct_map_limit(uint64_t limit)
{
	uint64_t f = irq_save();
	direct_limit = limit;
	irq_restore(f);
}

/* Next never-used frame, or 0. Ranges are sorted, so once the bump pointer
 * reaches the direct-map limit nothing further up is reachable either. */
static uint64_t bump_alloc(void)
{
	while (bump_range < layout.count) {
		struct pmm_range *r = &layout.ranges[bump_range];
		if (r->next < r->end) {
			if (r->next + PMM_FRAME_SIZE > direct_limit)
				return 0;
			uint64_t pa = r->next;
			r->next += PMM_FRAME_SIZE;
			return pa;
		}
		bump_range++;
	}
	return 0;
}

uint64_t pmm_alloc(void)
{
	uint64_t f = irq_save();
	uint64_t pa = free_head;
	if (pa) {
		struct pmm_free_frame *ff = phys_to_virt(pa);
		free_head = ff->next;
	} else {
		pa = bump_alloc();
	}
	if (pa) {
		free_frames--;
		memset(phys_to_virt(pa), 0, PMM_FRAME_SIZE);
	}
	irq_restore(f);
	return pa;
}

static const struct pmm_range *range_of(uint64_t pa)
{
	for (unsigned i = 0; i < layout.count; i++)
		if (pa >= layout.ranges[i].base && pa < layout.ranges[i].end)
			return &layout.ranges[i];
	return NULL;
}

void pmm_free(uint64_t pa)
{
	const char *why = NULL;
	uint64_t f = irq_save();
	const struct pmm_range *r = range_of(pa);
	if (pa & (PMM_FRAME_SIZE - 1))
		why = "not frame aligned";
	else if (!r)
		why = "not a frame of managed RAM";
	else if (pa >= r->next)
		why = "never allocated";
	else {
		struct pmm_free_frame *ff = phys_to_virt(pa);
		if (ff->cookie == (pa ^ PMM_FREE_MAGIC)) {
			why = "already free (double free)";
		} else {
			ff->next = free_head;
			ff->cookie = pa ^ PMM_FREE_MAGIC;
			free_head = pa;
			free_frames++;
		}
	}
	if (why)
		bad_frees++;
	irq_restore(f);
	if (why)
		kprintf("pmm: pmm_free(%#llx) ignored: %s (from %p)\n",
			(unsigned long long)pa, why, __builtin_return_address(0));
}

uint64_t pmm_free_count(void)
{
	uint64_t f = irq_save();
	uint64_t n = free_frames;
	irq_restore(f);
	return n;
}

uint64_t pmm_total_count(void)
{
	return layout.frames;
}

uint64_t pmm_bad_free_count(void)
{
	uint64_t f = irq_save();
	uint64_t n = bad_frees;
	irq_restore(f);
	return n;
}

uint64_t pmm_init_steps(void)
{
	return layout.steps;
}
