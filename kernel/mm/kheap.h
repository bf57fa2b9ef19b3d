/*
 * kheap.h - the kernel heap: kmalloc and friends.
 *
 * The allocator itself is lib/heap (size classes for small blocks over a
 * free-list allocator for large ones); this is its kernel side: the heap
 * lives at KHEAP_BASE and grows by mapping fresh frames (RW, NX,
 * kernel-only) on demand, misuse found by the core (double free, foreign
 * pointer) is printed as a warning instead of crashing, and every call runs
 * with interrupts disabled, so all of these are IRQ-safe.
 */
#ifndef SELFOS_KERNEL_MM_KHEAP_H
#define SELFOS_KERNEL_MM_KHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/heap.h"

#define KHEAP_BASE      0xFFFFC00000000000ull  /* PML4 entry 384 */
#define KHEAP_MAX_SIZE  (256ull << 20)         /* virtual ceiling; RAM usually ends first */
#define KHEAP_ALIGN     16u                    /* kmalloc's alignment */

/* Set the heap up (after vmm_init). Maps nothing until the first kmalloc. */
void kheap_init(void);

/* `size` bytes aligned to 16, or NULL when memory runs out. kmalloc(0)
 * gives a unique minimum-size block. */
void *kmalloc(size_t size);

/* `size` bytes aligned to `align` (a power of two up to HEAP_MAX_ALIGN,
 * 4096), or NULL (also for a bad align). */
void *kmalloc_aligned(size_t size, size_t align);

/* Free a block from kmalloc/kcalloc/krealloc/kmalloc_aligned; NULL is
 * ignored. A double free or a pointer the heap never returned is reported
 * on the console and ignored. */
void kfree(void *p);

/* n * size zeroed bytes, 16-aligned; NULL if the product overflows or
 * memory runs out. */
void *kcalloc(size_t n, size_t size);

/* Resize p's block, keeping min(old, new) bytes (16-aligned; a block from
 * kmalloc_aligned may lose its larger alignment). krealloc(NULL, n) is
 * kmalloc(n); krealloc(p, 0) frees p and returns NULL. On failure returns
 * NULL and p stays valid. */
void *krealloc(void *p, size_t size);

/* A snapshot of the heap's counters (lib/heap.h); .reports counts the
 * misuses reported so far. */
void kheap_stats(struct heap_stats *out);

/* Check every invariant of the heap (linear in its size: for tests and
 * debugging). Problems are reported; true if there were none. */
bool kheap_check(void);

#endif
