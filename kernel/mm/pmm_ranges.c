/*
 * pmm_ranges.c - the E820 map as a short sorted array of free ranges.
 *
 * The BIOS owes us no order and no disjointness: entries may come
 * unsorted, usable entries may overlap each other or a reserved one, and
 * bases and lengths need not be page aligned. Everything here is a few
 * passes over at most BOOT_MMAP_MAX entries and PMM_MAX_RANGES ranges;
 * nothing depends on how much RAM the entries describe.
 */
#include "kernel/mm/pmm_ranges.h"

#include <stdbool.h>

#include "lib/layout.h"

#define FRAME 4096ull

_Static_assert(PMM_MAX_RANGES >= BOOT_MMAP_MAX + 2, "room for every range a map can produce");

static uint64_t align_up(uint64_t v)
{
	uint64_t r = (v + FRAME - 1) & ~(FRAME - 1);
	return r < v ? ~(FRAME - 1) : r;  /* saturate instead of wrapping */
}

static uint64_t align_down(uint64_t v)
{
	return v & ~(FRAME - 1);
}

/* base + length without wrapping past 2^64 (a buggy entry must not turn
 * into a tiny range at address 0). */
static uint64_t entry_end(const struct boot_mmap_entry *e)
{
	uint64_t end = e->base + e->length;
	return end < e->base ? ~0ull : end;
}

static void remove_range(struct pmm_layout *l, unsigned i)
{
	for (unsigned j = i; j + 1 < l->count; j++)
		l->ranges[j] = l->ranges[j + 1];
	l->count--;
}

/* Insert [base, end) at position i (the array stays sorted). There is
 * always room: see PMM_MAX_RANGES. */
static void insert_range(struct pmm_layout *l, unsigned i, uint64_t base, uint64_t end)
{
	for (unsigned j = l->count; j > i; j--)
		l->ranges[j] = l->ranges[j - 1];
	l->ranges[i] = (struct pmm_range){ base, end, base };
	l->count++;
}

static void collect_usable(const struct boot_info *bi, struct pmm_layout *l)
{
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		l->steps++;
		if (e->type != E820_USABLE)
			continue;
		uint64_t base = align_up(e->base);
		uint64_t end = align_down(entry_end(e));
		if (base < PMM_LOW_LIMIT)
			base = PMM_LOW_LIMIT;
		if (end > PMM_PHYS_LIMIT)
			end = PMM_PHYS_LIMIT;
		if (end <= base)
			continue;
		unsigned pos = 0;
		while (pos < l->count && l->ranges[pos].base < base) {
			pos++;
			l->steps++;
		}
		insert_range(l, pos, base, end);
	}
	for (unsigned i = 0; i + 1 < l->count;) {
		struct pmm_range *r = &l->ranges[i];
		l->steps++;
		if (l->ranges[i + 1].base <= r->end) {
			if (l->ranges[i + 1].end > r->end)
				r->end = l->ranges[i + 1].end;
			remove_range(l, i + 1);
		} else {
			i++;
		}
	}
}

/* Take [base, end) out of every range, rounded outward to whole frames. */
static void cut(struct pmm_layout *l, uint64_t base, uint64_t end)
{
	if (end <= base)
		return;
	base = align_down(base);
	end = align_up(end);
	for (unsigned i = 0; i < l->count;) {
		struct pmm_range *r = &l->ranges[i];
		l->steps++;
		if (end <= r->base || base >= r->end) {
			i++;
		} else if (base <= r->base && end >= r->end) {
			remove_range(l, i);
		} else if (base <= r->base) {
			r->base = r->next = end;
			i++;
		} else if (end >= r->end) {
			r->end = base;
			i++;
		} else {
			uint64_t tail = r->end;
			r->end = base;
			insert_range(l, i + 1, end, tail);
			i += 2;
		}
	}
}

void pmm_ranges_build(const struct boot_info *bi, uint64_t kernel_end, struct pmm_layout *l)
{
	l->count = 0;
	l->frames = l->steps = 0;
	collect_usable(bi, l);

	for (uint32_t i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type != E820_USABLE)
			cut(l, bi->mmap[i].base, entry_end(&bi->mmap[i]));
	cut(l, KERNEL_LOAD_PHYS, kernel_end);
	if (bi->user.size) {
		uint64_t user_end = bi->user.phys + bi->user.size;
		cut(l, bi->user.phys, user_end < bi->user.phys ? ~0ull : user_end);
	}

	for (unsigned i = 0; i < l->count; i++) {
		l->frames += (l->ranges[i].end - l->ranges[i].base) / FRAME;
		l->steps++;
	}
}
