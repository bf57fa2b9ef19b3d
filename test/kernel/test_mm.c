/*
 * test_mm.c - memory management: frames (pmm), page tables (vmm) and the
 * kernel heap (kheap).
 *
 * Mapping tests work in the kernel root's lower half at TEST_VA (no program
 * runs while the test kernel's cases do) and hand every page table back
 * with vmm_free_user afterwards, so the free frame count can be compared
 * exactly before and after.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/cpu.h"
#include "kernel/core/bootinfo.h"
#include "kernel/core/ktest.h"
#include "kernel/mm/kheap.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/pmm_ranges.h"
#include "kernel/mm/vmm.h"
#include "lib/layout.h"
#include "lib/string.h"

#define TEST_VA      0x40000000ull   /* 1 GiB, lower half, nothing there */
#define PF_VECTOR    14

extern char __kernel_start[], __text_end[], __rodata_end[], __kernel_end[];
extern char boot_stack_guard[];

static const char rodata_marker[] = "selfos rodata";
static uint64_t data_marker = 0x1234;
/* `ret`, in a writable no-execute page. */
static uint8_t data_code[16] __attribute__((aligned(16))) = { 0xC3 };

/* VMM_NX as vmm_translate reports it: a CPU without NX (-cpu qemu64,-nx,
 * old Intel parts) has no such bit, so the kernel leaves it out. */
#define NX_IF_ON (vmm_nx_enabled() ? VMM_NX : 0u)
#define NO_NX_SKIP "this CPU has no NX (e.g. -cpu qemu64,-nx): nothing to enforce"

static uint64_t *frame_words(uint64_t pa)
{
	return phys_to_virt(pa);
}

/* ---- physical frames ---- */

KTEST(mm_pmm_init_did_not_walk_ram)
{
	/* A per-frame walk would take at least one step per frame. */
	/* Any machine the kernel boots on (even -m 16M: ~3700 frames) has
	 * clearly more frames than a per-frame walk would leave steps. */
	KASSERT(pmm_total_count() > 2048);
	KASSERT(pmm_init_steps() < 4096);
	KASSERT(pmm_init_steps() * 16 < pmm_total_count());
}

KTEST(mm_pmm_frames_are_usable_ram_only)
{
	const struct boot_info *bi = bootinfo_get();
	uint64_t frames[64];
	uint64_t kernel_end = (uint64_t)(uintptr_t)__kernel_end - KERNEL_VMA_BASE;
	for (int i = 0; i < 64; i++) {
		uint64_t pa = frames[i] = pmm_alloc();
		KASSERT(pa != 0);
		KASSERT_EQ(pa & (PMM_FRAME_SIZE - 1), 0);
		KASSERT(pa >= 0x100000);
		KASSERT(pa + PMM_FRAME_SIZE <= KERNEL_LOAD_PHYS || pa >= kernel_end);
		KASSERT(bi->user.size == 0 || pa + PMM_FRAME_SIZE <= bi->user.phys ||
			pa >= bi->user.phys + bi->user.size);
		int usable = 0;
		for (uint32_t e = 0; e < bi->mmap_count; e++) {
			const struct boot_mmap_entry *m = &bi->mmap[e];
			if (pa >= m->base && pa + PMM_FRAME_SIZE <= m->base + m->length) {
				if (m->type != E820_USABLE)
					usable = -1000;   /* inside a reserved entry: never */
				else
					usable++;
			}
		}
		KASSERT(usable > 0);
	}
	for (int i = 0; i < 64; i++)
		pmm_free(frames[i]);
}

KTEST(mm_pmm_alloc_zeroed_freed_frame_reused)
{
	uint64_t a = pmm_alloc();
	KASSERT(a != 0);
	uint64_t *w = frame_words(a);
	for (int i = 0; i < 512; i++)
		KASSERT_EQ(w[i], 0);
	memset(w, 0xA5, PMM_FRAME_SIZE);
	pmm_free(a);
	uint64_t b = pmm_alloc();
	KASSERT_EQ(b, a);                      /* last freed, first reused */
	w = frame_words(b);
	for (int i = 0; i < 512; i++)
		KASSERT_EQ(w[i], 0);               /* zeroed again */
	pmm_free(b);
}

KTEST(mm_pmm_free_count_restored_after_loops)
{
	static uint64_t frames[300];
	uint64_t before = pmm_free_count();
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 300; i++) {
			frames[i] = pmm_alloc();
			KASSERT(frames[i] != 0);
			*frame_words(frames[i]) = (uint64_t)i;
		}
		KASSERT_EQ(pmm_free_count(), before - 300);
		for (int i = 0; i < 300; i++) {
			KASSERT_EQ(*frame_words(frames[i]), (uint64_t)i);   /* no frame handed out twice */
			pmm_free(frames[i]);
		}
		KASSERT_EQ(pmm_free_count(), before);
	}
	KASSERT(pmm_total_count() >= before);
}

KTEST(mm_pmm_double_free_reported_and_ignored)
{
	uint64_t a = pmm_alloc();
	KASSERT(a != 0);
	pmm_free(a);
	uint64_t bad = pmm_bad_free_count(), count = pmm_free_count();
	pmm_free(a);
	KASSERT_EQ(pmm_bad_free_count(), bad + 1);
	KASSERT_EQ(pmm_free_count(), count);
	/* The list holds a once: two allocations give two different frames. */
	uint64_t x = pmm_alloc(), y = pmm_alloc();
	KASSERT_EQ(x, a);
	KASSERT(y != a && y != 0);
	pmm_free(y);
	pmm_free(x);
}

KTEST(mm_pmm_foreign_frees_reported_and_ignored)
{
	uint64_t bad = pmm_bad_free_count(), count = pmm_free_count();
	pmm_free(0x1000);                                      /* below 1 MiB: not managed */
	pmm_free(KERNEL_LOAD_PHYS);                            /* the kernel image */
	pmm_free(virt_to_phys_kernel(&data_marker) & ~0xFFFull);
	pmm_free(0x1000000000000ull);                          /* 256 TiB: no RAM there */
	uint64_t a = pmm_alloc();
	pmm_free(a + 8);                                       /* unaligned */
	/* The last frame of the highest usable entry: the bump pointer, which
	 * starts low, has not got there on a 128 MiB machine. */
	const struct boot_info *bi = bootinfo_get();
	uint64_t top = 0;
	for (uint32_t e = 0; e < bi->mmap_count; e++)
		if (bi->mmap[e].type == E820_USABLE && bi->mmap[e].base + bi->mmap[e].length > top)
			top = bi->mmap[e].base + bi->mmap[e].length;
	pmm_free((top & ~0xFFFull) - PMM_FRAME_SIZE);             /* never allocated */
	KASSERT_EQ(pmm_bad_free_count(), bad + 6);
	pmm_free(a);
	KASSERT_EQ(pmm_free_count(), count);
}

/* ---- free ranges from made-up E820 maps ---- */

static struct boot_info fake_bi;
static struct pmm_layout fake_layout;

static void fake_entry(uint64_t base, uint64_t length, uint32_t type)
{
	fake_bi.mmap[fake_bi.mmap_count++] = (struct boot_mmap_entry){ base, length, type, 1 };
}

static void fake_reset(void)
{
	memset(&fake_bi, 0, sizeof(fake_bi));
}

#define RANGE_IS(i, b, e)                                         \
	do {                                                      \
		KASSERT_EQ(fake_layout.ranges[i].base, (b));      \
		KASSERT_EQ(fake_layout.ranges[i].end, (e));       \
		KASSERT_EQ(fake_layout.ranges[i].next, (b));      \
	} while (0)

KTEST(mm_ranges_unsorted_overlapping_unaligned_map)
{
	fake_reset();
	fake_entry(0x10000000, 0x1000000, E820_USABLE);      /* 256..272 MiB */
	fake_entry(0x0, 0x9FC00, E820_USABLE);               /* below 1 MiB: never */
	fake_entry(0x600000, 0x400000, E820_USABLE);         /* 6..10 MiB, overlaps the next */
	fake_entry(0x100000, 0x700000, E820_USABLE);         /* 1..8 MiB */
	fake_entry(0x800800, 0x1000, E820_RESERVED);         /* unaligned hole: rounded outward */
	fake_entry(0x10800123, 0x2000000, E820_USABLE);      /* overlaps 256..272, unaligned both ends */
	fake_entry(0x127FF000, 0x10000000, E820_ACPI);       /* clips the end of that */
	fake_entry(0x20000123, 0xFFF, E820_USABLE);          /* no whole frame inside */
	fake_entry(0xFFFFFFFFFFFF0000ull, 0x20000, E820_USABLE); /* wraps, beyond 2^52 */
	fake_bi.user.phys = 0x180000;
	fake_bi.user.size = 0x1801;                          /* ends mid-frame */
	pmm_ranges_build(&fake_bi, 0x180000, &fake_layout);  /* kernel: 1 MiB .. 0x180000 */

	KASSERT_EQ(fake_layout.count, 3);
	RANGE_IS(0, 0x182000, 0x800000);
	RANGE_IS(1, 0x802000, 0xA00000);
	RANGE_IS(2, 0x10000000, 0x127FF000);
	KASSERT_EQ(fake_layout.frames, (0x800000 - 0x182000 + 0xA00000 - 0x802000 +
					0x127FF000 - 0x10000000) / PMM_FRAME_SIZE);
}

KTEST(mm_ranges_reserved_entry_wins_and_splits)
{
	fake_reset();
	fake_entry(0x100000, 0x3F00000, E820_USABLE);        /* 1..64 MiB */
	fake_entry(0x2000000, 0x100000, E820_BAD);           /* 32 MiB: bad memory */
	fake_entry(0x3000000, 0x1000000, E820_RESERVED);     /* 48..64 MiB, overlapping usable */
	fake_entry(0x0, 0x200000, E820_NVS);                 /* covers the start */
	pmm_ranges_build(&fake_bi, KERNEL_LOAD_PHYS, &fake_layout);   /* no kernel, no user */
	KASSERT_EQ(fake_layout.count, 2);
	RANGE_IS(0, 0x200000, 0x2000000);
	RANGE_IS(1, 0x2100000, 0x3000000);
}

KTEST(mm_ranges_empty_and_low_only_maps_give_nothing)
{
	fake_reset();
	pmm_ranges_build(&fake_bi, 0x200000, &fake_layout);
	KASSERT_EQ(fake_layout.count, 0);
	KASSERT_EQ(fake_layout.frames, 0);
	fake_entry(0x0, 0x9FC00, E820_USABLE);
	fake_entry(0x100000, 0x100000, E820_USABLE);         /* only the kernel's place */
	pmm_ranges_build(&fake_bi, 0x200000, &fake_layout);
	KASSERT_EQ(fake_layout.count, 0);
}

KTEST(mm_ranges_work_does_not_grow_with_ram)
{
	/* The same map shape with 64 MiB and with 64 GiB: identical work. */
	uint64_t steps[2];
	for (int big = 0; big < 2; big++) {
		uint64_t top = big ? (64ull << 30) : (64ull << 20);
		fake_reset();
		fake_entry(0x0, 0x9FC00, E820_USABLE);
		fake_entry(0x100000, (top < (3ull << 30) ? top : (3ull << 30)) - 0x100000, E820_USABLE);
		fake_entry(0xFFFC0000, 0x40000, E820_RESERVED);
		fake_entry(1ull << 32, top, E820_USABLE);
		pmm_ranges_build(&fake_bi, 0x200000, &fake_layout);
		steps[big] = fake_layout.steps;
		KASSERT(fake_layout.frames > top / PMM_FRAME_SIZE);
	}
	KASSERT_EQ(steps[0], steps[1]);
	KASSERT(steps[0] < 64);
}

KTEST(mm_ranges_full_map_of_holes_fits)
{
	/* One usable entry and 63 one-frame holes in it: 64 ranges, the most
	 * a map can make, plus the kernel and the user program's cuts. */
	fake_reset();
	fake_entry(0x100000, 0x10000000, E820_USABLE);
	for (uint64_t i = 0; i < BOOT_MMAP_MAX - 1; i++)
		fake_entry(0x1000000 + i * 0x100000, 0x1000, E820_RESERVED);
	fake_bi.user.phys = 0x800000;
	fake_bi.user.size = 0x1000;
	pmm_ranges_build(&fake_bi, 0x400000, &fake_layout);
	KASSERT_EQ(fake_layout.count, BOOT_MMAP_MAX + 1);
	KASSERT_EQ(fake_layout.frames, (0x10000000 - 0x300000) / PMM_FRAME_SIZE - 1 - (BOOT_MMAP_MAX - 1));
	for (unsigned i = 1; i < fake_layout.count; i++)
		KASSERT(fake_layout.ranges[i - 1].end < fake_layout.ranges[i].base);
}

/* ---- page tables ---- */

KTEST(mm_kernel_text_is_read_only_and_executable)
{
	uint64_t pa;
	unsigned flags;
	uint64_t va = (uint64_t)(uintptr_t)&pmm_alloc;
	KASSERT(vmm_translate(vmm_kernel_root(), va, &pa, &flags));
	KASSERT_EQ(pa, va - KERNEL_VMA_BASE);
	KASSERT(!(flags & VMM_WRITE));
	KASSERT(!(flags & VMM_USER));
	KASSERT(!(flags & VMM_NX));
	KASSERT_EQ(virt_to_phys_kernel((void *)(uintptr_t)va), pa);
}

KTEST(mm_rodata_and_data_are_no_execute)
{
	uint64_t pa;
	unsigned flags;
	if (!vmm_nx_enabled())
		KTEST_SKIP(NO_NX_SKIP);
	KASSERT(vmm_translate(vmm_kernel_root(), (uint64_t)(uintptr_t)rodata_marker, &pa, &flags));
	KASSERT_EQ(flags, VMM_NX);
	KASSERT(vmm_translate(vmm_kernel_root(), (uint64_t)(uintptr_t)&data_marker, &pa, &flags));
	KASSERT_EQ(flags, VMM_WRITE | NX_IF_ON);
	KASSERT_EQ(pa, (uint64_t)(uintptr_t)&data_marker - KERNEL_VMA_BASE);
}

KTEST(mm_direct_map_is_kernel_only_and_covers_4g)
{
	uint64_t pa;
	unsigned flags;
	uint64_t root = vmm_kernel_root();
	KASSERT(vmm_direct_map_end() >= (4ull << 30));
	KASSERT(vmm_translate(root, DIRECT_MAP_BASE + 0xB8000, &pa, &flags));
	KASSERT_EQ(pa, 0xB8000);
	KASSERT_EQ(flags, VMM_WRITE | NX_IF_ON);
	KASSERT(vmm_translate(root, DIRECT_MAP_BASE + vmm_direct_map_end() - 8, &pa, &flags));
	KASSERT_EQ(pa, vmm_direct_map_end() - 8);
	KASSERT(!(flags & VMM_USER));
	KASSERT(!vmm_translate(root, DIRECT_MAP_BASE + vmm_direct_map_end(), NULL, NULL));
}

KTEST(mm_page_zero_and_identity_map_absent)
{
	uint64_t root = vmm_kernel_root();
	KASSERT(!vmm_translate(root, 0, NULL, NULL));
	KASSERT(!vmm_translate(root, 0xFFF, NULL, NULL));
	KASSERT(!vmm_translate(root, 0xB8000, NULL, NULL));           /* no identity map */
	KASSERT(!vmm_translate(root, KERNEL_LOAD_PHYS, NULL, NULL));
	KASSERT_EQ(vmm_map(root, 0, 0x100000, VMM_WRITE), VMM_ERR_INVALID);
}

KTEST_SHOULD_FAULT(mm_null_read_faults, PF_VECTOR)
{
	/* Hidden from the compiler, which may otherwise turn a known NULL
	 * dereference into something else. */
	uintptr_t zero = 0;
	__asm__ volatile("" : "+r"(zero));
	(void)*(volatile uint64_t *)zero;
}

KTEST(mm_null_fault_was_at_address_zero)
{
	const struct ktest_fault *f = ktest_last_fault();
	KASSERT(f->valid);
	KASSERT_EQ(f->vector, PF_VECTOR);
	KASSERT_EQ(f->cr2, 0);
	KASSERT_EQ(f->tf.error_code & 1, 0);   /* not present */
}

KTEST_SHOULD_FAULT(mm_write_to_kernel_text_faults, PF_VECTOR)
{
	/* CR0.WP makes read-only pages read-only for ring 0 too. Same byte
	 * written back, so a missing fault corrupts nothing. */
	volatile uint8_t *text = (volatile uint8_t *)(uintptr_t)&pmm_free_count;
	*text = *text;
}

KTEST(mm_text_write_fault_was_a_protection_fault)
{
	const struct ktest_fault *f = ktest_last_fault();
	KASSERT_EQ(f->cr2, (uint64_t)(uintptr_t)&pmm_free_count);
	KASSERT_EQ(f->tf.error_code & 3, 3);   /* present, write */
}

KTEST_SHOULD_FAULT(mm_boot_stack_guard_page_faults, PF_VECTOR)
{
	volatile uint8_t *guard = (volatile uint8_t *)boot_stack_guard;
	(void)guard[100];
}

KTEST_SHOULD_FAULT(mm_executing_data_faults, PF_VECTOR)
{
	if (!vmm_nx_enabled())
		KTEST_SKIP(NO_NX_SKIP);
	void (*fn)(void) = (void (*)(void))(uintptr_t)data_code;
	fn();
}

KTEST(mm_data_execute_fault_was_an_instruction_fetch)
{
	if (!vmm_nx_enabled())
		KTEST_SKIP(NO_NX_SKIP);
	const struct ktest_fault *f = ktest_last_fault();
	KASSERT_EQ(f->cr2, (uint64_t)(uintptr_t)data_code);
	KASSERT(f->tf.error_code & (1u << 4));  /* I/D: instruction fetch */
}

KTEST(mm_map_translate_unmap_roundtrip_each_flag)
{
	uint64_t root = vmm_kernel_root();
	uint64_t before = pmm_free_count();
	for (unsigned flags = 0; flags < 8; flags++) {
		uint64_t va = TEST_VA + flags * VMM_PAGE_SIZE;
		uint64_t pa = pmm_alloc(), got;
		unsigned f;
		KASSERT(pa != 0);
		KASSERT_EQ(vmm_map(root, va, pa, flags), VMM_OK);
		KASSERT(vmm_translate(root, va + 0x123, &got, &f));
		KASSERT_EQ(got, pa + 0x123);
		KASSERT_EQ(f, flags & ~(VMM_NX & ~NX_IF_ON));
		KASSERT_EQ(vmm_map(root, va, pa, flags), VMM_ERR_EXISTS);
		KASSERT_EQ(vmm_unmap(root, va, &got), VMM_OK);
		KASSERT_EQ(got, pa);
		KASSERT(!vmm_translate(root, va, NULL, NULL));
		KASSERT_EQ(vmm_unmap(root, va, &got), VMM_ERR_NOTMAPPED);
		pmm_free(pa);
	}
	vmm_free_user(root);   /* the page tables made for TEST_VA */
	KASSERT_EQ(pmm_free_count(), before);
}

KTEST(mm_map_refuses_bad_requests)
{
	uint64_t root = vmm_kernel_root();
	KASSERT_EQ(vmm_map(root, TEST_VA + 1, 0x200000, 0), VMM_ERR_INVALID);
	KASSERT_EQ(vmm_map(root, TEST_VA, 0x200001, 0), VMM_ERR_INVALID);
	KASSERT_EQ(vmm_map(root, 0x0000800000000000ull, 0x200000, 0), VMM_ERR_INVALID);
	KASSERT_EQ(vmm_map(root, KHEAP_BASE + KHEAP_MAX_SIZE, 0x200000, VMM_USER), VMM_ERR_INVALID);
	/* Inside the direct map's large pages. */
	KASSERT_EQ(vmm_map(root, DIRECT_MAP_BASE + 0x200000, 0x200000, 0), VMM_ERR_EXISTS);
	KASSERT_EQ(vmm_unmap(root, DIRECT_MAP_BASE + 0x200000, NULL), VMM_ERR_EXISTS);
	KASSERT_EQ(vmm_unmap(root, 0, NULL), VMM_ERR_INVALID);
}

KTEST(mm_one_frame_at_two_addresses_reads_back_the_same)
{
	uint64_t root = vmm_kernel_root();
	uint64_t before = pmm_free_count();
	uint64_t pa = pmm_alloc();
	KASSERT(pa != 0);
	uint64_t va1 = TEST_VA, va2 = TEST_VA + 0x12345000ull;
	KASSERT_EQ(vmm_map(root, va1, pa, VMM_WRITE | VMM_NX), VMM_OK);
	KASSERT_EQ(vmm_map(root, va2, pa, VMM_WRITE | VMM_NX), VMM_OK);
	volatile uint64_t *p1 = (volatile uint64_t *)va1, *p2 = (volatile uint64_t *)va2;
	p1[7] = 0xDEADBEEFCAFEF00Dull;
	KASSERT_EQ(p2[7], 0xDEADBEEFCAFEF00Dull);
	p2[511] = 42;
	KASSERT_EQ(p1[511], 42);
	KASSERT_EQ(frame_words(pa)[511], 42);    /* and the direct map agrees */
	KASSERT_EQ(vmm_unmap(root, va1, NULL), VMM_OK);
	KASSERT_EQ(vmm_unmap(root, va2, NULL), VMM_OK);
	pmm_free(pa);
	vmm_free_user(root);
	KASSERT_EQ(pmm_free_count(), before);
}

KTEST(mm_unmap_invalidates_the_tlb)
{
	uint64_t root = vmm_kernel_root();
	uint64_t a = pmm_alloc(), b = pmm_alloc();
	KASSERT(a && b);
	frame_words(b)[0] = 0x2222;
	volatile uint64_t *p = (volatile uint64_t *)TEST_VA;
	KASSERT_EQ(vmm_map(root, TEST_VA, a, VMM_WRITE | VMM_NX), VMM_OK);
	*p = 0x1111;                        /* the TLB now holds TEST_VA -> a */
	KASSERT_EQ(*p, 0x1111);
	KASSERT_EQ(vmm_unmap(root, TEST_VA, NULL), VMM_OK);
	KASSERT_EQ(vmm_map(root, TEST_VA, b, VMM_WRITE | VMM_NX), VMM_OK);
	KASSERT_EQ(*p, 0x2222);             /* a stale entry would still show a */
	KASSERT_EQ(frame_words(a)[0], 0x1111);
	KASSERT_EQ(vmm_unmap(root, TEST_VA, NULL), VMM_OK);
	pmm_free(a);
	pmm_free(b);
	vmm_free_user(root);
}

KTEST(mm_new_root_shares_the_kernel_half)
{
	void *heap = kmalloc(64);   /* first, in case it grows the heap */
	KASSERT(heap != NULL);
	uint64_t before = pmm_free_count();
	uint64_t root = vmm_new_root();
	KASSERT(root != 0);
	uint64_t pa1, pa2;
	unsigned f1, f2;
	uint64_t probes[] = { (uint64_t)(uintptr_t)&pmm_alloc, (uint64_t)(uintptr_t)&data_marker,
			      DIRECT_MAP_BASE + 0x100000, (uint64_t)(uintptr_t)heap };
	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		KASSERT(vmm_translate(root, probes[i], &pa1, &f1));
		KASSERT(vmm_translate(vmm_kernel_root(), probes[i], &pa2, &f2));
		KASSERT_EQ(pa1, pa2);
		KASSERT_EQ(f1, f2);
		KASSERT(!(f1 & VMM_USER));
	}
	KASSERT(!vmm_translate(root, 0, NULL, NULL));
	/* A user page in the new root: user at every level. */
	uint64_t pa = pmm_alloc();
	KASSERT_EQ(vmm_map(root, USER_LOAD_ADDR, pa, VMM_USER | VMM_WRITE | VMM_NX), VMM_OK);
	KASSERT(vmm_translate(root, USER_LOAD_ADDR, &pa1, &f1));
	KASSERT_EQ(f1, VMM_USER | VMM_WRITE | NX_IF_ON);
	KASSERT(!vmm_translate(vmm_kernel_root(), USER_LOAD_ADDR, NULL, NULL));
	vmm_free_user(root);   /* frees pa and the tables */
	pmm_free(root);
	KASSERT_EQ(pmm_free_count(), before);
	kfree(heap);
}

KTEST(mm_kernel_stack_has_an_unmapped_guard)
{
	uint64_t top;
	uint64_t before = pmm_free_count();
	uint8_t *base = vmm_alloc_kernel_stack(4, &top);
	KASSERT(base != NULL);
	KASSERT_EQ(top, (uint64_t)(uintptr_t)base + 4 * VMM_PAGE_SIZE);
	for (unsigned i = 0; i < 4 * VMM_PAGE_SIZE; i += 512)
		KASSERT_EQ(base[i], 0);
	memset(base, 0x5A, 4 * VMM_PAGE_SIZE);
	unsigned flags;
	KASSERT(vmm_translate(vmm_kernel_root(), (uint64_t)(uintptr_t)base, NULL, &flags));
	KASSERT_EQ(flags, VMM_WRITE | NX_IF_ON);
	KASSERT(!vmm_translate(vmm_kernel_root(), (uint64_t)(uintptr_t)base - 1, NULL, NULL));
	vmm_free_kernel_stack(base, 4);
	KASSERT(!vmm_translate(vmm_kernel_root(), (uint64_t)(uintptr_t)base, NULL, NULL));
	/* Only the stack region's page tables, made once, stay allocated. */
	KASSERT(pmm_free_count() + 3 >= before);
}

/* ---- kernel heap ---- */

KTEST(mm_heap_small_allocations)
{
	uint64_t *a = kmalloc(sizeof(*a));
	uint32_t *b = kmalloc(sizeof(*b));
	char *c = kmalloc(13);
	KASSERT(a && b && c);
	*a = 41;
	*b = 7;
	memcpy(c, "hello, heap!", 13);
	KASSERT_EQ(*a + 1, 42);
	KASSERT_EQ(*b, 7);
	KASSERT(memcmp(c, "hello, heap!", 13) == 0);
	KASSERT(a != (void *)b && (void *)b != (void *)c);
	KASSERT((uint64_t)(uintptr_t)a >= KHEAP_BASE && (uint64_t)(uintptr_t)a < KHEAP_BASE + KHEAP_MAX_SIZE);
	kfree(a);
	kfree(b);
	kfree(c);
}

KTEST(mm_heap_pages_are_kernel_rw_nx)
{
	void *p = kmalloc(100);
	KASSERT(p != NULL);
	unsigned flags;
	uint64_t pa;
	KASSERT(vmm_translate(vmm_kernel_root(), (uint64_t)(uintptr_t)p, &pa, &flags));
	KASSERT_EQ(flags, VMM_WRITE | NX_IF_ON);
	KASSERT_EQ(virt_to_phys_kernel(p), pa);
	kfree(p);
}

KTEST(mm_heap_large_array_summed)
{
	const uint64_t n = 100000;   /* 800 KB: many pages, grown on demand */
	uint64_t *v = kmalloc(n * sizeof(*v));
	KASSERT(v != NULL);
	for (uint64_t i = 0; i < n; i++)
		v[i] = i;
	uint64_t sum = 0;
	for (uint64_t i = 0; i < n; i++)
		sum += v[i];
	KASSERT_EQ(sum, (n - 1) * n / 2);
	kfree(v);
}

KTEST(mm_heap_many_allocations_need_reuse)
{
	/* 400 MiB in sequence: more than the heap's 256 MiB ceiling and more
	 * than the machine's RAM, so only reuse lets this finish. */
	const size_t size = 1 << 20;
	uint64_t frames = pmm_free_count();
	for (unsigned i = 0; i < 400; i++) {
		uint8_t *p = kmalloc(size);
		KASSERT(p != NULL);
		p[0] = (uint8_t)i;
		p[size - 1] = (uint8_t)i;
		KASSERT_EQ(p[0] + p[size - 1], 2 * (uint8_t)i);
		kfree(p);
	}
	for (uint64_t i = 0; i < 20000; i++) {
		uint64_t *p = kmalloc(sizeof(*p));
		KASSERT(p != NULL);
		*p = i;
		kfree(p);
	}
	/* At most a few MiB more mapped than before the loops. */
	KASSERT(pmm_free_count() + 1024 >= frames);
	struct heap_stats st;
	kheap_stats(&st);
	KASSERT(st.bytes_committed < (16u << 20));
}

KTEST(mm_heap_many_allocations_with_a_long_lived_one)
{
	uint64_t *keep = kmalloc(sizeof(*keep));
	KASSERT(keep != NULL);
	*keep = 0x10C0FFEE;
	uint64_t frames = pmm_free_count();
	for (unsigned i = 0; i < 400; i++) {
		uint8_t *p = kmalloc(1 << 20);
		KASSERT(p != NULL);
		p[i] = 1;
		kfree(p);
	}
	for (uint64_t i = 0; i < 20000; i++) {
		uint64_t *p = kmalloc(sizeof(*p));
		KASSERT(p != NULL && p != keep);
		*p = i;
		kfree(p);
	}
	KASSERT_EQ(*keep, 0x10C0FFEE);
	KASSERT(pmm_free_count() + 1024 >= frames);
	kfree(keep);
}

KTEST(mm_kcalloc_zeroes)
{
	uint8_t *dirty = kmalloc(3000);
	KASSERT(dirty != NULL);
	memset(dirty, 0xAA, 3000);
	kfree(dirty);
	uint8_t *z = kcalloc(1000, 3);   /* likely the same block again */
	KASSERT(z != NULL);
	for (unsigned i = 0; i < 3000; i++)
		KASSERT_EQ(z[i], 0);
	kfree(z);
	KASSERT(kcalloc(SIZE_MAX / 2, 4) == NULL);   /* n * size overflows */
}

KTEST(mm_krealloc_preserves_contents)
{
	uint8_t *p = krealloc(NULL, 16);
	KASSERT(p != NULL);
	for (unsigned i = 0; i < 16; i++)
		p[i] = (uint8_t)i;
	p = krealloc(p, 5000);
	KASSERT(p != NULL);
	for (unsigned i = 0; i < 16; i++)
		KASSERT_EQ(p[i], i);
	for (unsigned i = 0; i < 5000; i++)
		p[i] = (uint8_t)(i * 7);
	p = krealloc(p, 300000);
	KASSERT(p != NULL);
	for (unsigned i = 0; i < 5000; i++)
		KASSERT_EQ(p[i], (uint8_t)(i * 7));
	p = krealloc(p, 10);
	KASSERT(p != NULL);
	for (unsigned i = 0; i < 10; i++)
		KASSERT_EQ(p[i], (uint8_t)(i * 7));
	KASSERT_EQ((uint64_t)(uintptr_t)p % KHEAP_ALIGN, 0);
	kfree(p);
	KASSERT(krealloc(kmalloc(8), 0) == NULL);   /* frees, like C realloc */
	KASSERT(kheap_check());                      /* counters and lists consistent */
}

KTEST(mm_heap_alignment_honoured)
{
	for (size_t size = 1; size <= 300; size += 7) {
		void *p = kmalloc(size);
		KASSERT(p != NULL);
		KASSERT_EQ((uint64_t)(uintptr_t)p % 16, 0);
		kfree(p);
	}
	for (size_t align = 16; align <= 4096; align *= 2) {
		void *small = kmalloc(24);   /* so the aligned block is not at the start */
		void *p = kmalloc_aligned(align + 8, align);
		KASSERT(small && p);
		KASSERT_EQ((uint64_t)(uintptr_t)p % align, 0);
		memset(p, 0x33, align + 8);
		kfree(small);
		kfree(p);
	}
	KASSERT(kmalloc_aligned(16, 8192) == NULL);   /* beyond HEAP_MAX_ALIGN */
	KASSERT(kmalloc_aligned(16, 48) == NULL);     /* not a power of two */
	void *z1 = kmalloc(0), *z2 = kmalloc(0);      /* unique blocks */
	KASSERT(z1 && z2 && z1 != z2);
	kfree(z1);
	kfree(z2);
}

static size_t heap_reports(void)
{
	struct heap_stats st;
	kheap_stats(&st);
	return st.reports;
}

KTEST(mm_double_kfree_reported_heap_still_works)
{
	size_t reports = heap_reports();
	uint64_t *p = kmalloc(32);
	KASSERT(p != NULL);
	kfree(p);
	kfree(p);
	KASSERT_EQ(heap_reports(), reports + 1);
	uint64_t *big = kmalloc(10000);      /* the large-block allocator too */
	KASSERT(big != NULL);
	kfree(big);
	kfree(big);
	KASSERT_EQ(heap_reports(), reports + 2);
	uint64_t local;
	kfree(&local);                       /* not from the heap at all */
	KASSERT_EQ(heap_reports(), reports + 3);
	KASSERT(kheap_check());
	/* The heap is intact: distinct blocks that keep their contents. */
	uint64_t *blocks[32];
	for (unsigned i = 0; i < 32; i++) {
		blocks[i] = kmalloc(32);
		KASSERT(blocks[i] != NULL);
		for (unsigned j = 0; j < 4; j++)
			blocks[i][j] = i * 4 + j;
	}
	for (unsigned i = 0; i < 32; i++) {
		for (unsigned j = 0; j < 4; j++)
			KASSERT_EQ(blocks[i][j], i * 4 + j);
		kfree(blocks[i]);
	}
	KASSERT_EQ(heap_reports(), reports + 3);
	KASSERT(kheap_check());
}

KTEST(mm_heap_usable_with_interrupts_disabled)
{
	/* IRQ-safe: callable with interrupts off, and leaves them as found. */
	uint64_t f = irq_save();
	void *p = kmalloc(64);
	bool still_off = !cpu_irqs_enabled();
	kfree(p);
	irq_restore(f);
	KASSERT(p != NULL);
	KASSERT(still_off);
	KASSERT(cpu_irqs_enabled());
}
