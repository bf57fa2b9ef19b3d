/*
 * bench_alloc.c - the kernel heap (lib/heap.c built for the host, -O2)
 * against glibc malloc/free on one random trace.
 *
 * The trace (fixed seed) is generated once, then replayed: a pool of
 * SHORT_SLOTS slots is picked from at random, an empty slot gets an
 * allocation and a full one is freed, so short-lived blocks have random
 * lifetimes with about SHORT_SLOTS / 2 live; LONG_PERMILLE of the
 * allocations go to long-lived slots instead, held until the end of the
 * replay. Sizes are log-uniform from 8 B to 4 KiB (each octave equally
 * likely, uniform within it), as in a kernel where small objects dominate.
 * Every allocation has its first word written, as a real user would.
 * The replay ends by freeing everything; every call counts as one op.
 *
 * The heap's arena is mmap'd once and re-initialised each run (grow is a
 * no-op); glibc runs with its defaults. Runs alternate between the two
 * after one warm-up each; the median of RUNS is reported.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include "lib/heap.h"

#define TRACE_OPS 2000000u
#define SHORT_SLOTS 8192u
#define LONG_PERMILLE 50u
#define RUNS 7
#define ARENA_SIZE ((size_t)1 << 30)

struct op {
	uint32_t slot;
	uint32_t size;           /* 0: free the slot */
};

static struct op *trace;
static size_t trace_len, nslots;
static void **slots;

static uint64_t rng_state = 0x243F6A8885A308D3ull;

static uint64_t rng(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

static uint32_t rand_size(void)
{
	uint32_t lo = 8u << (rng() % 9);         /* 8 .. 2048 */
	return lo + (uint32_t)(rng() % lo);      /* .. 4095 */
}

static void make_trace(void)
{
	size_t cap = TRACE_OPS + TRACE_OPS / 2 + SHORT_SLOTS;
	bool *live = calloc(SHORT_SLOTS, sizeof(bool));
	size_t nlong = 0, n = 0;

	trace = malloc(cap * sizeof(*trace));
	if (!trace || !live) {
		fprintf(stderr, "bench_alloc: out of memory\n");
		exit(1);
	}
	while (n < TRACE_OPS) {
		uint32_t s = (uint32_t)(rng() % SHORT_SLOTS);
		if (live[s]) {
			trace[n++] = (struct op){ s, 0 };
			live[s] = false;
		} else if (rng() % 1000 < LONG_PERMILLE) {
			trace[n++] = (struct op){ (uint32_t)(SHORT_SLOTS + nlong++), rand_size() };
		} else {
			trace[n++] = (struct op){ s, rand_size() };
			live[s] = true;
		}
	}
	for (uint32_t s = 0; s < SHORT_SLOTS; s++)
		if (live[s])
			trace[n++] = (struct op){ s, 0 };
	for (size_t l = 0; l < nlong; l++)
		trace[n++] = (struct op){ (uint32_t)(SHORT_SLOTS + l), 0 };
	trace_len = n;
	nslots = SHORT_SLOTS + nlong;
	slots = calloc(nslots, sizeof(void *));
	free(live);
	if (!slots) {
		fprintf(stderr, "bench_alloc: out of memory\n");
		exit(1);
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct heap heap;
static void *arena;

/* Both replays are the same loop; only the calls differ. Returns ops/s. */
static double run_heap(void)
{
	heap_init(&heap, (uintptr_t)arena, ARENA_SIZE, NULL, NULL, NULL);
	double t0 = now();
	for (size_t i = 0; i < trace_len; i++) {
		const struct op *o = &trace[i];
		if (o->size) {
			void *p = heap_alloc(&heap, o->size, 0);
			if (!p) {
				fprintf(stderr, "bench_alloc: heap_alloc(%u) failed\n", o->size);
				exit(1);
			}
			*(volatile uint64_t *)p = i;
			slots[o->slot] = p;
		} else {
			heap_free(&heap, slots[o->slot]);
		}
	}
	double t = now() - t0;
	struct heap_stats st;
	heap_get_stats(&heap, &st);
	if (st.live_blocks || st.reports) {
		fprintf(stderr, "bench_alloc: heap left %zu blocks, %zu reports\n", st.live_blocks,
		        st.reports);
		exit(1);
	}
	return (double)trace_len / t;
}

static double run_glibc(void)
{
	double t0 = now();
	for (size_t i = 0; i < trace_len; i++) {
		const struct op *o = &trace[i];
		if (o->size) {
			void *p = malloc(o->size);
			if (!p) {
				fprintf(stderr, "bench_alloc: malloc(%u) failed\n", o->size);
				exit(1);
			}
			*(volatile uint64_t *)p = i;
			slots[o->slot] = p;
		} else {
			free(slots[o->slot]);
		}
	}
	return (double)trace_len / (now() - t0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	double h[RUNS], g[RUNS];

	arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
	             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED) {
		fprintf(stderr, "bench_alloc: cannot map a %zu-byte arena\n", ARENA_SIZE);
		return 1;
	}
	make_trace();
	printf("alloc: trace of %zu ops (sizes 8 B..4 KiB log-uniform, %u short-lived slots, "
	       "%u.%u%% of allocations long-lived)\n",
	       trace_len, SHORT_SLOTS, LONG_PERMILLE / 10, LONG_PERMILLE % 10);
	run_heap();                      /* warm-up: fault the pages in */
	run_glibc();
	for (int r = 0; r < RUNS; r++) {
		h[r] = run_heap();
		g[r] = run_glibc();
	}
	struct heap_stats st;
	heap_get_stats(&heap, &st);
	qsort(h, RUNS, sizeof(double), cmp_double);
	qsort(g, RUNS, sizeof(double), cmp_double);
	double hm = h[RUNS / 2], gm = g[RUNS / 2];
	printf("alloc: selfos heap committed %.1f MiB (its peak), %zu slab pages kept after freeing all\n",
	       (double)st.bytes_committed / (1 << 20), st.slab_pages);
	printf("alloc: selfos heap %.1f Mops/s, glibc %.1f Mops/s, ratio %.2f (median of %d runs)\n",
	       hm / 1e6, gm / 1e6, hm / gm, RUNS);
	if (hm / gm < 0.5)
		printf("alloc: below the 0.5x target\n");
	munmap(arena, ARENA_SIZE);
	return 0;
}
