/*
 * kheap.c - the kernel's lib/heap: where it lives, how it grows, how it
 * complains, and interrupts off around every call.
 *
 * The heap's virtual range [KHEAP_BASE, +KHEAP_MAX_SIZE) is reserved but
 * unmapped at boot; the core asks grow() for more room as it needs it and
 * we back the pages with fresh frames. Frames are not returned when the
 * heap shrinks (the core does not shrink): the heap's footprint is its
 * high-water mark, which is what the reuse tests bound.
 *
 * Locking: one CPU, so disabling interrupts makes each call atomic with
 * respect to interrupt handlers that allocate. grow() and report() run
 * inside that window; report() prints with kprintf, whose console lock is
 * IRQ-safe as well.
 */
#include "kernel/mm/kheap.h"

#include <stdbool.h>

#include "kernel/arch/cpu.h"
#include "kernel/core/console.h"
#include "kernel/core/panic.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/vmm.h"

static struct heap kheap;
static bool kheap_ready;

/* Map [addr, addr + len) (whole pages at the heap's current end, per
 * lib/heap.h) with fresh frames, skipping any page already mapped. On
 * failure the pages mapped by this call are released again. */
static bool kheap_grow(void *ctx, uintptr_t addr, size_t len)
{
	(void)ctx;
	uint64_t first = addr & ~(VMM_PAGE_SIZE - 1);
	uint64_t end = (addr + len + VMM_PAGE_SIZE - 1) & ~(VMM_PAGE_SIZE - 1);
	if (first < KHEAP_BASE || end > KHEAP_BASE + KHEAP_MAX_SIZE || end < first)
		return false;
	uint64_t root = vmm_kernel_root();
	for (uint64_t va = first; va < end; va += VMM_PAGE_SIZE) {
		if (vmm_translate(root, va, NULL, NULL))
			continue;
		uint64_t pa = pmm_alloc();
		if (pa && vmm_map(root, va, pa, VMM_WRITE | VMM_NX) == VMM_OK)
			continue;
		if (pa)
			pmm_free(pa);
		/* Undo this call's pages, newest first, down to where it began. */
		while (va > first) {
			va -= VMM_PAGE_SIZE;
			if (vmm_unmap(root, va, &pa) == VMM_OK)
				pmm_free(pa);
		}
		return false;
	}
	return true;
}

static void kheap_report(void *ctx, const char *what, const void *ptr)
{
	(void)ctx;
	kprintf("kheap: %s: %p (ignored)\n", what, ptr);
}

void kheap_init(void)
{
	heap_init(&kheap, (uintptr_t)KHEAP_BASE, (size_t)KHEAP_MAX_SIZE, kheap_grow, kheap_report, NULL);
	kheap_ready = true;
}

void *kmalloc_aligned(size_t size, size_t align)
{
	if (!kheap_ready)
		panic("kmalloc(%zu) before kheap_init", size);
	uint64_t f = irq_save();
	void *p = heap_alloc(&kheap, size, align < KHEAP_ALIGN ? KHEAP_ALIGN : align);
	irq_restore(f);
	return p;
}

void *kmalloc(size_t size)
{
	return kmalloc_aligned(size, KHEAP_ALIGN);
}

void kfree(void *p)
{
	if (!p)
		return;
	uint64_t f = irq_save();
	heap_free(&kheap, p);
	irq_restore(f);
}

void *kcalloc(size_t n, size_t size)
{
	uint64_t f = irq_save();
	void *p = heap_calloc(&kheap, n, size);
	irq_restore(f);
	return p;
}

void *krealloc(void *p, size_t size)
{
	uint64_t f = irq_save();
	void *q = heap_realloc(&kheap, p, size);
	irq_restore(f);
	return q;
}

void kheap_stats(struct heap_stats *out)
{
	uint64_t f = irq_save();
	heap_get_stats(&kheap, out);
	irq_restore(f);
}

bool kheap_check(void)
{
	uint64_t f = irq_save();
	bool ok = heap_check(&kheap);
	irq_restore(f);
	return ok;
}
