/*
 * pmm.c - physical frames: a few free ranges, a bump pointer, a free list.
 *
 * Design. pmm_init turns the E820 map into a short sorted array of free
 * ranges (page-aligned inward, overlaps merged, every non-usable entry and
 * every reserved area cut out). Nothing per frame is built: no bitmap, no
 * list threaded through all of RAM, so booting a 4 GiB machine costs the
 * same as a 64 MiB one.
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
#include "kernel/mm/vmm.h"
#include "lib/layout.h"
#include "lib/string.h"

/* Everything below 1 MiB stays out: the real-mode IVT and BIOS data area,
 * stage2 with its page tables, stack and the boot info (lib/layout.h), the
 * EBDA, VGA memory and the BIOS ROMs. */
#define PMM_LOW_LIMIT     0x100000ull
/* Stage2's boot tables map the first 1 GiB at DIRECT_MAP_BASE; until
 * vmm_init has its own direct map, only those frames can be zeroed. */
#define PMM_BOOT_DIRECT_LIMIT (1ull << 30)
/* Each cut can split one range in two; 64 E820 entries plus the kernel and
 * the user program fit comfortably. */
#define PMM_MAX_RANGES    128
#define PMM_FREE_MAGIC    0x464D4D5045455246ull  /* "FREEPMMF" */

extern char __kernel_end[];   /* kernel/linker.ld: end of .bss */

struct pmm_range {
	uint64_t base;   /* first frame */
	uint64_t end;    /* one past the last frame */
	uint64_t next;   /* bump pointer: frames at and above it were never handed out */
};

/* What a frame on the free list holds at its start. */
struct pmm_free_frame {
	uint64_t next;    /* physical address of the next free frame, 0 = end */
	uint64_t cookie;  /* own address ^ PMM_FREE_MAGIC */
};

static struct pmm_range ranges[PMM_MAX_RANGES];
static unsigned range_count;
static unsigned bump_range;     /* first range whose bump pointer is not at its end */
static uint64_t free_head;      /* free list, 0 = empty (frame 0 is never managed) */
static uint64_t free_frames;
static uint64_t total_frames;
static uint64_t bad_frees;
static uint64_t init_steps;
static uint64_t direct_limit = PMM_BOOT_DIRECT_LIMIT;

static uint64_t align_up(uint64_t v)
{
	uint64_t r = (v + PMM_FRAME_SIZE - 1) & ~(PMM_FRAME_SIZE - 1);
	return r < v ? ~(PMM_FRAME_SIZE - 1) : r;  /* saturate instead of wrapping */
}

static uint64_t align_down(uint64_t v)
{
	return v & ~(PMM_FRAME_SIZE - 1);
}

/* base + length without wrapping past 2^64 (a buggy BIOS entry must not
 * turn into a tiny range at address 0). */
static uint64_t entry_end(const struct boot_mmap_entry *e)
{
	uint64_t end = e->base + e->length;
	return end < e->base ? ~0ull : end;
}

static void remove_range(unsigned i)
{
	for (unsigned j = i; j + 1 < range_count; j++)
		ranges[j] = ranges[j + 1];
	range_count--;
}

/* Insert [base, end) at position i (the array stays sorted). */
static bool insert_range(unsigned i, uint64_t base, uint64_t end)
{
	if (range_count == PMM_MAX_RANGES)
		return false;
	for (unsigned j = range_count; j > i; j--)
		ranges[j] = ranges[j - 1];
	ranges[i] = (struct pmm_range){ base, end, base };
	range_count++;
	return true;
}

/* Collect the usable entries, page-aligned inward and above 1 MiB, sorted
 * by base (the BIOS owes us no order), overlapping or touching ones merged
 * so no frame is counted twice. */
static void collect_usable(const struct boot_info *bi)
{
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		init_steps++;
		if (e->type != E820_USABLE)
			continue;
		uint64_t base = align_up(e->base);
		uint64_t end = align_down(entry_end(e));
		if (base < PMM_LOW_LIMIT)
			base = PMM_LOW_LIMIT;
		if (end <= base)
			continue;
		unsigned pos = 0;
		while (pos < range_count && ranges[pos].base < base) {
			pos++;
			init_steps++;
		}
		if (!insert_range(pos, base, end))
			kprintf("pmm: more than %u usable ranges; %#llx-%#llx dropped\n",
				PMM_MAX_RANGES, (unsigned long long)base, (unsigned long long)end);
	}
	for (unsigned i = 0; i + 1 < range_count;) {
		init_steps++;
		if (ranges[i + 1].base <= ranges[i].end) {
			if (ranges[i + 1].end > ranges[i].end)
				ranges[i].end = ranges[i + 1].end;
			remove_range(i + 1);
		} else {
			i++;
		}
	}
}

/* Take [base, end) out of every range (rounded outward to whole frames). */
static void cut(uint64_t base, uint64_t end, const char *what)
{
	if (end <= base)
		return;
	base = align_down(base);
	end = align_up(end);
	for (unsigned i = 0; i < range_count;) {
		struct pmm_range *r = &ranges[i];
		init_steps++;
		if (end <= r->base || base >= r->end) {
			i++;
		} else if (base <= r->base && end >= r->end) {
			remove_range(i);
		} else if (base <= r->base) {
			r->base = r->next = end;
			i++;
		} else if (end >= r->end) {
			r->end = base;
			i++;
		} else {
			uint64_t tail = r->end;
			r->end = base;
			/* Out of slots: the piece after the hole is lost, which only
			 * wastes RAM; say so. */
			if (!insert_range(i + 1, end, tail))
				kprintf("pmm: no slot left when cutting out %s; %#llx-%#llx dropped\n",
					what, (unsigned long long)end, (unsigned long long)tail);
			i += 2;
		}
	}
}

void pmm_init(const struct boot_info *bi)
{
	collect_usable(bi);

	/* Anything the firmware calls reserved, ACPI, NVS or bad wins over an
	 * overlapping usable entry. */
	for (uint32_t i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type != E820_USABLE)
			cut(bi->mmap[i].base, entry_end(&bi->mmap[i]), "a reserved E820 entry");

	/* The kernel image including .bss (stage2's figure, or the linker's if
	 * larger), and the user program that user_spawn copies out later. */
	uint64_t kernel_end = KERNEL_LOAD_PHYS + bi->kernel_memsz;
	uint64_t linked_end = (uint64_t)(uintptr_t)__kernel_end - KERNEL_VMA_BASE;
	cut(KERNEL_LOAD_PHYS, kernel_end > linked_end ? kernel_end : linked_end, "the kernel");
	if (bi->user.size)
		cut(bi->user.phys, bi->user.phys + bi->user.size, "the user program");

	for (unsigned i = 0; i < range_count; i++) {
		total_frames += (ranges[i].end - ranges[i].base) / PMM_FRAME_SIZE;
		init_steps++;
	}
	free_frames = total_frames;
	if (total_frames == 0)
		panic("pmm: no usable RAM above 1 MiB in the memory map (%u entries)", bi->mmap_count);
	kprintf("pmm: %llu frames (%llu MiB) free in %u ranges, first at %#llx\n",
		(unsigned long long)total_frames, (unsigned long long)(total_frames >> 8),
		range_count, (unsigned long long)ranges[0].base);
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
	while (bump_range < range_count) {
		struct pmm_range *r = &ranges[bump_range];
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
	for (unsigned i = 0; i < range_count; i++)
		if (pa >= ranges[i].base && pa < ranges[i].end)
			return &ranges[i];
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
	return total_frames;
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
	return init_steps;
}
