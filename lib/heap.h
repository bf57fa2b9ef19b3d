/*
 * heap.h - the kernel heap allocator core: size-class slabs for small
 * blocks over a boundary-tag (TLSF-style) allocator for large ones, growing
 * on demand inside one reserved virtual range.
 *
 * Freestanding; the kernel wraps it as kmalloc/kfree (kernel/mm/) and the
 * host tests and benchmark build it as is. It is NOT thread-safe: callers
 * serialise (the kernel with interrupts disabled). Design notes: heap.c.
 *
 *   static struct heap kheap;
 *   heap_init(&kheap, HEAP_BASE, HEAP_MAX, map_pages, complain, NULL);
 *   void *p = heap_alloc(&kheap, 100, 0);     // 16-byte aligned
 *   heap_free(&kheap, p);
 */
#ifndef SELFOS_LIB_HEAP_H
#define SELFOS_LIB_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HEAP_PAGE_SIZE 4096u     /* grow() granularity, slab size */
#define HEAP_MIN_ALIGN 16u       /* every block is at least this aligned */
#define HEAP_MAX_ALIGN 4096u     /* largest alignment heap_alloc accepts */
#define HEAP_SMALL_MAX 2000u     /* largest size served from slabs */
#define HEAP_NCLASSES 22u        /* slab size classes, 16 .. HEAP_SMALL_MAX */
#define HEAP_FL_COUNT 40u        /* large free lists: power-of-two ranges... */
#define HEAP_SL_COUNT 16u        /* ...each split in 16 linear sub-ranges */

/*
 * Map [addr, addr + len) (both multiples of HEAP_PAGE_SIZE; addr is always
 * the current end of the committed heap) read-write before the heap uses it.
 * Return false if that is impossible; the allocation then fails cleanly.
 */
typedef bool (*heap_grow_fn)(void *ctx, uintptr_t addr, size_t len);

/* Misuse detected (double free, foreign pointer, corrupted header): `what`
 * is a short fixed description, `ptr` the offending pointer. The heap
 * ignores that pointer afterwards rather than corrupt itself. */
typedef void (*heap_report_fn)(void *ctx, const char *what, const void *ptr);

struct heap_slab;
struct heap_free;

/* Opaque in spirit: defined here only so the kernel can place one
 * statically. Touch it only through the functions below. */
struct heap {
	uintptr_t base;          /* reserved range [base, end) */
	uintptr_t end;
	uintptr_t data;          /* first block, after the slab page bitmap */
	uintptr_t top;           /* end of what grow() granted; base = nothing */
	heap_grow_fn grow;
	heap_report_fn report;
	void *ctx;

	struct heap_slab *partial[HEAP_NCLASSES]; /* slabs with free objects */
	struct heap_slab *spare;                  /* empty slab pages kept */
	size_t nspare;

	uint64_t fl_map;                          /* non-empty first levels */
	uint32_t sl_map[HEAP_FL_COUNT];           /* non-empty second levels */
	struct heap_free *lists[HEAP_FL_COUNT][HEAP_SL_COUNT];

	size_t in_use, live, slab_pages, free_bytes, reports, grow_calls;
	uint64_t allocs, frees;
};

struct heap_stats {
	size_t bytes_in_use;     /* sum of heap_usable_size() of live blocks */
	size_t live_blocks;      /* blocks allocated and not yet freed */
	size_t bytes_committed;  /* granted by grow() so far (never shrinks) */
	size_t bytes_free;       /* in large free blocks, headers included */
	size_t slab_pages;       /* pages used as slabs, kept spares included */
	size_t grow_calls;       /* successful grow() calls */
	size_t reports;          /* misuses reported */
	uint64_t total_allocs;   /* successful allocations ever (realloc moves count) */
	uint64_t total_frees;
};

/*
 * Set up a heap over the virtual range [base, base + max_size). base is
 * rounded up and max_size down to whole pages (max_size is also capped at
 * 2^46). Nothing is touched or committed until the first allocation.
 * grow may be NULL (the whole range is already mapped); report may be NULL.
 */
void heap_init(struct heap *h, uintptr_t base, size_t max_size, heap_grow_fn grow,
               heap_report_fn report, void *ctx);

/*
 * size bytes aligned to align (a power of two up to HEAP_MAX_ALIGN; 0 means
 * HEAP_MIN_ALIGN). NULL when out of memory, on a bad align or on a size
 * larger than the heap. Size 0 gives a unique minimum-size block.
 */
void *heap_alloc(struct heap *h, size_t size, size_t align);

/* NULL is ignored; a pointer this heap did not hand out (or already freed)
 * is reported where cheaply detectable, then ignored. */
void heap_free(struct heap *h, void *p);

/* n * size zeroed bytes, NULL if the product overflows. */
void *heap_calloc(struct heap *h, size_t n, size_t size);

/*
 * C realloc: p NULL is heap_alloc(size, 0); size 0 frees p and returns NULL.
 * Contents are kept up to the smaller size; on failure NULL is returned and
 * p is untouched. The result is only guaranteed HEAP_MIN_ALIGN-aligned.
 */
void *heap_realloc(struct heap *h, void *p, size_t size);

/* Bytes usable at p (at least what was asked); 0 for NULL, 0 and a report
 * for a bad p. */
size_t heap_usable_size(struct heap *h, const void *p);

void heap_get_stats(const struct heap *h, struct heap_stats *out);

/* Walk every block, slab and free list checking the invariants (for tests;
 * linear in the heap size). Each problem is reported; true if none. */
bool heap_check(struct heap *h);

#endif
