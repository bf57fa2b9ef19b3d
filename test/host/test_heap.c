/*
 * test_heap.c - lib/heap.c on the host. The heap lives in an mmap'd arena
 * that starts PROT_NONE; the grow callback mprotects exactly what it is asked
 * for (after checking it is page-aligned, page-sized and at the end), so any
 * access by the heap to memory it was not granted faults at once.
 * Misuse reports are counted through the report callback.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "test/host/check.h"

#include "lib/heap.c"

/* ------------------------------------------------------------ fixture */

struct arena {
	uintptr_t base;          /* mmap'd, PROT_NONE beyond granted */
	size_t size;
	uintptr_t granted;       /* end of what grow() has made accessible */
	size_t grant_limit;      /* grow() refuses beyond base + grant_limit */
	int grows, bad_grows, reports;
	const char *last_report;
	struct heap heap;
};

static bool arena_grow(void *ctx, uintptr_t addr, size_t len)
{
	struct arena *ar = ctx;

	if (addr != ar->granted || addr % HEAP_PAGE_SIZE || len % HEAP_PAGE_SIZE || len == 0 ||
	    addr + len > ar->base + ar->size) {
		ar->bad_grows++;
		return false;
	}
	if (addr + len > ar->base + ar->grant_limit)
		return false;
	if (mprotect((void *)addr, len, PROT_READ | PROT_WRITE) != 0)
		return false;
	/* Fresh kernel frames are not zeroed: make sure the heap never relies on it. */
	memset((void *)addr, 0xA5, len);
	ar->granted = addr + len;
	ar->grows++;
	return true;
}

static void arena_report(void *ctx, const char *what, const void *ptr)
{
	struct arena *ar = ctx;
	ar->reports++;
	ar->last_report = what;
	printf("  (report: %s %p)\n", what, ptr);
}

/* An arena of `size` bytes whose heap may grow to `limit` bytes. */
static struct arena *arena_new(size_t size, size_t limit)
{
	struct arena *ar = calloc(1, sizeof(*ar));
	void *m = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!ar || m == MAP_FAILED) {
		printf("  arena_new: out of memory\n");
		exit(1);
	}
	ar->base = ar->granted = (uintptr_t)m;
	ar->size = size;
	ar->grant_limit = limit;
	heap_init(&ar->heap, ar->base, size, arena_grow, arena_report, ar);
	return ar;
}

static void arena_free(struct arena *ar)
{
	munmap((void *)ar->base, ar->size);
	free(ar);
}

static struct heap_stats stats(const struct arena *ar)
{
	struct heap_stats st;
	heap_get_stats(&ar->heap, &st);
	return st;
}

/* ------------------------------------------------------------- tests */

TEST(class_table_is_consistent)
{
	for (size_t s = 0; s <= HEAP_SMALL_MAX; s++) {
		unsigned c = class_of[(s + 15) >> 4];
		CHECK(c < HEAP_NCLASSES);
		CHECK(class_size[c] >= s);
		CHECK(c == 0 || class_size[c - 1] < s);
	}
	for (unsigned c = 0; c < HEAP_NCLASSES; c++) {
		CHECK(class_size[c] % 16 == 0);
		CHECK(class_count[c] >= 2 && class_count[c] == SLAB_SPACE / class_size[c]);
		CHECK((size_t)class_count[c] * class_size[c] <= SLAB_SPACE);
		struct heap_slab s = { .cls = (uint8_t)c };
		for (uintptr_t off = 0; off < HEAP_PAGE_SIZE; off++)
			if (slab_index(&s, off) != off / class_size[c]) {
				CHECK(slab_index(&s, off) == off / class_size[c]);
				break;
			}
	}
}

TEST(init_touches_nothing)
{
	struct arena *ar = arena_new(1 << 20, 1 << 20);
	struct heap_stats st = stats(ar);
	CHECK_EQ(ar->grows, 0);
	CHECK_EQ(st.bytes_committed, 0);
	CHECK_EQ(st.bytes_in_use, 0);
	CHECK(heap_check(&ar->heap));
	heap_free(&ar->heap, NULL);
	CHECK_EQ(ar->reports, 0);
	arena_free(ar);
}

TEST(basic_alloc_free_reuse)
{
	struct arena *ar = arena_new(16 << 20, 16 << 20);
	struct heap *h = &ar->heap;

	void *a = heap_alloc(h, 100, 0);
	CHECK(a && (uintptr_t)a % 16 == 0);
	CHECK_EQ(heap_usable_size(h, a), 112);
	memset(a, 1, 100);
	struct heap_stats st = stats(ar);
	CHECK_EQ(st.bytes_in_use, 112);
	CHECK_EQ(st.live_blocks, 1);
	heap_free(h, a);
	CHECK_EQ(heap_alloc(h, 100, 0), a);      /* the freed block comes back */
	heap_free(h, a);

	void *big = heap_alloc(h, 10000, 0);
	CHECK(big && (uintptr_t)big % 16 == 0);
	CHECK(heap_usable_size(h, big) >= 10000);
	memset(big, 2, 10000);
	heap_free(h, big);
	CHECK_EQ(heap_alloc(h, 10000, 0), big);
	heap_free(h, big);

	void *z = heap_alloc(h, 0, 0);           /* size 0: a real, unique block */
	void *z2 = heap_alloc(h, 0, 0);
	CHECK(z && z2 && z != z2);
	heap_free(h, z);
	heap_free(h, z2);

	st = stats(ar);
	CHECK_EQ(st.bytes_in_use, 0);
	CHECK_EQ(st.live_blocks, 0);
	CHECK_EQ(st.total_allocs, st.total_frees);
	CHECK_EQ(ar->reports, 0);
	CHECK(heap_check(h));
	arena_free(ar);
}

TEST(memory_is_reused_not_regrown)
{
	struct arena *ar = arena_new(64 << 20, 64 << 20);
	struct heap *h = &ar->heap;
	static void *p[3000];
	size_t committed = 0;

	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 3000; i++) {
			p[i] = heap_alloc(h, (size_t)(i * 37) % 5000 + 1, 0);
			CHECK(p[i] != NULL);
		}
		for (int i = 0; i < 3000; i += 2)
			heap_free(h, p[i]);
		for (int i = 1; i < 3000; i += 2)
			heap_free(h, p[i]);
		struct heap_stats st = stats(ar);
		CHECK_EQ(st.bytes_in_use, 0);
		CHECK_EQ(st.live_blocks, 0);
		/* Round 0 starts from nothing, later ones with kept slabs: the
		 * layout may differ a little, then must stay put. */
		if (round == 1)
			CHECK(st.bytes_committed <= committed + 64 * 1024);
		if (round == 2)
			CHECK_EQ(st.bytes_committed, committed);
		committed = st.bytes_committed;
		CHECK(heap_check(h));
	}
	arena_free(ar);
}

TEST(alignment_every_power_of_two)
{
	struct arena *ar = arena_new(64 << 20, 64 << 20);
	struct heap *h = &ar->heap;
	static const size_t sizes[] = { 0, 1, 17, 100, 2000, 2001, 5000, 40000 };
	void *p[13][8];

	for (int k = 0; k <= 12; k++) {
		size_t align = (size_t)1 << k;
		for (int j = 0; j < 8; j++) {
			p[k][j] = heap_alloc(h, sizes[j], align);
			CHECK(p[k][j] != NULL);
			CHECK((uintptr_t)p[k][j] % (align < 16 ? 16 : align) == 0);
			CHECK(heap_usable_size(h, p[k][j]) >= sizes[j]);
			memset(p[k][j], k, sizes[j]);
		}
	}
	CHECK(heap_check(h));
	for (int k = 0; k <= 12; k++)
		for (int j = 0; j < 8; j++) {
			unsigned char *c = p[k][j];
			for (size_t i = 0; i < sizes[j]; i++)
				if (c[i] != k) {
					CHECK(c[i] == k);
					break;
				}
			heap_free(h, p[k][j]);
		}
	CHECK(heap_alloc(h, 10, 3) == NULL);
	CHECK(heap_alloc(h, 10, 48) == NULL);
	CHECK(heap_alloc(h, 10, 8192) == NULL);
	CHECK_EQ(stats(ar).bytes_in_use, 0);
	CHECK_EQ(ar->reports, 0);
	CHECK(heap_check(h));
	arena_free(ar);
}

static void fill(void *p, size_t n, unsigned seed)
{
	unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		c[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 8));
}

static bool filled(const void *p, size_t n, unsigned seed)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i] != (unsigned char)(seed * 31 + i * 7 + (i >> 8)))
			return false;
	return true;
}

TEST(realloc_grow_shrink_keeps_contents)
{
	struct arena *ar = arena_new(64 << 20, 64 << 20);
	struct heap *h = &ar->heap;
	static const size_t steps[] = { 1, 10, 16, 17, 100, 500, 2000, 2001, 3000, 10000, 100000,
	                                50000, 4000, 1999, 300, 16, 5, 70000 };
	size_t cur = 8;
	unsigned char *p = heap_realloc(h, NULL, cur);  /* NULL: plain alloc */

	CHECK(p != NULL);
	fill(p, cur, 9);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		unsigned char *q = heap_realloc(h, p, steps[i]);
		CHECK(q != NULL);
		size_t keep = cur < steps[i] ? cur : steps[i];
		CHECK(filled(q, keep, 9));
		CHECK(heap_usable_size(h, q) >= steps[i]);
		fill(q, steps[i], 9);
		p = q;
		cur = steps[i];
		CHECK(heap_check(h));
	}
	/* In place: a large block followed by a freed one grows into it. */
	void *a = heap_alloc(h, 8000, 0), *b = heap_alloc(h, 8000, 0), *c = heap_alloc(h, 100, 0);
	fill(a, 8000, 3);
	heap_free(h, b);
	CHECK(heap_realloc(h, a, 15000) == a);
	CHECK(filled(a, 8000, 3));
	CHECK(heap_realloc(h, a, 9000) == a);          /* shrinking large stays put */
	CHECK(filled(a, 8000, 3));
	CHECK(heap_check(h));
	/* A small block shrunk within its class stays; size 0 frees. */
	void *s = heap_alloc(h, 100, 0);
	CHECK(heap_realloc(h, s, 97) == s);
	CHECK(heap_realloc(h, s, 0) == NULL);
	CHECK(heap_realloc(h, a, 0) == NULL);
	CHECK(heap_realloc(h, p, 0) == NULL);
	heap_free(h, c);
	CHECK_EQ(stats(ar).bytes_in_use, 0);
	CHECK_EQ(stats(ar).live_blocks, 0);
	CHECK_EQ(ar->reports, 0);
	CHECK(heap_check(h));
	arena_free(ar);
}

TEST(calloc_zeroes_and_checks_overflow)
{
	struct arena *ar = arena_new(16 << 20, 16 << 20);
	struct heap *h = &ar->heap;
	static const size_t sizes[] = { 24, 1000, 3000, 20000 };

	for (int j = 0; j < 4; j++) {
		/* Dirty a block of that size first, so calloc gets it back. */
		void *d = heap_alloc(h, sizes[j], 0);
		memset(d, 0xEE, sizes[j]);
		heap_free(h, d);
		unsigned char *z = heap_calloc(h, sizes[j] / 8, 8);
		CHECK(z == d);
		for (size_t i = 0; i < sizes[j]; i++)
			if (z[i]) {
				CHECK(z[i] == 0);
				break;
			}
		heap_free(h, z);
	}
	CHECK(heap_calloc(h, SIZE_MAX / 2, 3) == NULL);
	CHECK(heap_calloc(h, SIZE_MAX, SIZE_MAX) == NULL);
	CHECK(heap_calloc(h, (size_t)1 << 33, (size_t)1 << 31) == NULL);
	void *e = heap_calloc(h, 0, 100);
	CHECK(e != NULL);
	heap_free(h, e);
	CHECK_EQ(stats(ar).bytes_in_use, 0);
	CHECK_EQ(ar->reports, 0);
	CHECK(heap_check(h));
	arena_free(ar);
}

TEST(huge_sizes_fail_cleanly)
{
	struct arena *ar = arena_new(16 << 20, 16 << 20);
	struct heap *h = &ar->heap;
	static const size_t huge[] = { SIZE_MAX, SIZE_MAX - 15, SIZE_MAX - 4096, SIZE_MAX / 2,
	                               (size_t)1 << 46, (16 << 20) + 1, 16 << 20 };

	for (int i = 0; i < 7; i++) {
		CHECK(heap_alloc(h, huge[i], 0) == NULL);
		CHECK(heap_alloc(h, huge[i], 4096) == NULL);
	}
	void *p = heap_alloc(h, 5000, 0);
	fill(p, 5000, 1);
	for (int i = 0; i < 7; i++)
		CHECK(heap_realloc(h, p, huge[i]) == NULL);
	CHECK(filled(p, 5000, 1));
	heap_free(h, p);
	/* Nearly the whole heap does work (the bitmap and tags take a little). */
	void *most = heap_alloc(h, (15 << 20), 0);
	CHECK(most != NULL);
	heap_free(h, most);
	CHECK_EQ(ar->reports, 0);
	CHECK_EQ(ar->bad_grows, 0);
	CHECK(heap_check(h));
	arena_free(ar);
}

TEST(misuse_is_reported_and_ignored)
{
	struct arena *ar = arena_new(16 << 20, 16 << 20);
	struct heap *h = &ar->heap;
	int local;
	void *host = malloc(64);

	char *s1 = heap_alloc(h, 40, 0), *s2 = heap_alloc(h, 40, 0);
	char *l1 = heap_alloc(h, 6000, 0), *l2 = heap_alloc(h, 6000, 0);
	char *l3 = heap_alloc(h, 6000, 0);
	fill(s2, 40, 2);
	fill(l2, 6000, 4);
	struct heap_stats before = stats(ar);

	heap_free(h, s1);
	heap_free(h, s1);                     /* double free, small */
	CHECK_EQ(ar->reports, 1);
	CHECK_STR(ar->last_report, "heap: double free");
	heap_free(h, l1);
	heap_free(h, l1);                     /* double free, large (not merged) */
	CHECK_EQ(ar->reports, 2);
	CHECK_STR(ar->last_report, "heap: double free");
	heap_free(h, l3);
	heap_free(h, l3);                     /* merged with the free top block */
	CHECK_EQ(ar->reports, 3);
	char *m1 = heap_alloc(h, 6000, 0), *m2 = heap_alloc(h, 6000, 0);
	char *m3 = heap_alloc(h, 6000, 0);
	heap_free(h, m1);
	heap_free(h, m2);                     /* merges into m1: its header wiped */
	heap_free(h, m2);
	CHECK_EQ(ar->reports, 4);
	heap_free(h, m3);
	heap_free(h, &local);                 /* foreign pointers */
	heap_free(h, host);
	heap_free(h, (void *)(ar->base + 1));
	heap_free(h, (void *)ar->base);       /* the bitmap */
	heap_free(h, (void *)(ar->base + ar->size - 16));  /* never granted */
	CHECK_EQ(ar->reports, 9);
	heap_free(h, s2 + 16);                /* inside a slab object */
	heap_free(h, s2 + 1);
	heap_free(h, (void *)((uintptr_t)s2 & ~(uintptr_t)4095)); /* slab header */
	heap_free(h, l2 + 16);                /* inside a large block */
	heap_free(h, l2 + 4096);
	CHECK_EQ(ar->reports, 14);
	CHECK_EQ(heap_usable_size(h, l2 + 32), 0);
	CHECK(heap_realloc(h, s2 + 16, 100) == NULL);
	CHECK_EQ(ar->reports, 16);

	struct heap_stats after = stats(ar);
	CHECK_EQ(after.live_blocks, before.live_blocks - 3);
	CHECK_EQ(after.reports, 16);
	CHECK(filled(s2, 40, 2));
	CHECK(filled(l2, 6000, 4));
	CHECK(heap_check(h));
	/* Still fully working. */
	void *again = heap_alloc(h, 40, 0);
	CHECK(again == s1);
	heap_free(h, again);
	heap_free(h, s2);
	heap_free(h, l2);
	CHECK_EQ(stats(ar).bytes_in_use, 0);
	CHECK_EQ(ar->reports, 16);
	CHECK(heap_check(h));
	free(host);
	arena_free(ar);
}

TEST(grows_by_pages_and_never_touches_ungranted)
{
	struct arena *ar = arena_new(256 << 20, 256 << 20);
	struct heap *h = &ar->heap;
	static void *p[4000];
	uint64_t r = 12345;

	for (int i = 0; i < 4000; i++) {
		r = r * 6364136223846793005ull + 1442695040888963407ull;
		size_t n = (r >> 33) % ((i % 10) ? 600 : 40000) + 1;
		p[i] = heap_alloc(h, n, (i % 17) ? 0 : 64);
		CHECK(p[i] != NULL);
		memset(p[i], 0x5A, n);
		if (i % 3 == 0) {
			heap_free(h, p[i / 2]);
			p[i / 2] = NULL;
		}
	}
	for (int i = 0; i < 4000; i++)
		heap_free(h, p[i]);
	struct heap_stats st = stats(ar);
	CHECK_EQ(ar->bad_grows, 0);
	CHECK(ar->grows > 1);
	CHECK_EQ(st.grow_calls, (size_t)ar->grows);
	CHECK_EQ(st.bytes_committed, ar->granted - ar->base);
	CHECK_EQ(st.bytes_committed % HEAP_PAGE_SIZE, 0);
	CHECK_EQ(st.bytes_in_use, 0);
	CHECK_EQ(ar->reports, 0);
	CHECK(heap_check(h));
	arena_free(ar);
}

TEST(exhaustion_returns_null)
{
	/* The heap may grow to 1 MiB; then grow() itself refuses at 512 KiB. */
	for (int pass = 0; pass < 2; pass++) {
		struct arena *ar = arena_new(1 << 20, pass ? 512 << 10 : 1 << 20);
		struct heap *h = &ar->heap;
		static void *p[2000];
		int n = 0;

		while (n < 2000 && (p[n] = heap_alloc(h, 1000 + (n % 3) * 1500, 0)) != NULL)
			memset(p[n++], 1, 1000);
		CHECK(n > 100 && n < 2000);
		CHECK(heap_alloc(h, 100000, 0) == NULL);
		CHECK(heap_check(h));
		CHECK(stats(ar).bytes_committed <= (pass ? 512u << 10 : 1u << 20));
		for (int i = 0; i < n; i++)
			heap_free(h, p[i]);
		CHECK_EQ(stats(ar).bytes_in_use, 0);
		void *big = heap_alloc(h, pass ? 400000 : 900000, 0);   /* all merged back */
		CHECK(big != NULL);
		heap_free(h, big);
		CHECK_EQ(ar->reports, 0);
		CHECK_EQ(ar->bad_grows, 0);
		CHECK(heap_check(h));
		arena_free(ar);
	}
}

/* ------------------------------------------- random trace vs a shadow model */

#define NSLOTS 3000
#define NOPS 250000

struct shadow {
	unsigned char *p;
	size_t size;             /* requested */
	size_t usable;
	unsigned id;
};

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* 1 B .. 64 KiB, mostly small. */
static size_t rand_size(void)
{
	unsigned k = (unsigned)(rng() % 100);
	if (k < 70)
		return rng() % 256 + 1;
	if (k < 92)
		return rng() % 4096 + 1;
	return rng() % 65536 + 1;
}

/* The bytes of block `id`: differ between blocks and along a block. */
static void pat_fill(unsigned char *p, size_t n, unsigned id)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(id ^ (id >> 8) ^ (i * 13) ^ (i >> 9));
}

static bool pat_ok(const unsigned char *p, size_t n, unsigned id)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(id ^ (id >> 8) ^ (i * 13) ^ (i >> 9)))
			return false;
	return true;
}

static int by_addr(const void *a, const void *b)
{
	const struct shadow *x = *(struct shadow *const *)a, *y = *(struct shadow *const *)b;
	return x->p < y->p ? -1 : x->p > y->p;
}

/* Live blocks, sorted, must not overlap; stats must match the model. */
static void check_model(struct arena *ar, struct shadow *sh)
{
	static struct shadow *live[NSLOTS];
	size_t n = 0, in_use = 0;

	for (int i = 0; i < NSLOTS; i++)
		if (sh[i].p) {
			live[n++] = &sh[i];
			in_use += sh[i].usable;
		}
	qsort(live, n, sizeof(live[0]), by_addr);
	for (size_t i = 1; i < n; i++)
		if (live[i - 1]->p + live[i - 1]->usable > live[i]->p) {
			CHECK(!"two live blocks overlap");
			break;
		}
	struct heap_stats st = stats(ar);
	CHECK_EQ(st.live_blocks, n);
	CHECK_EQ(st.bytes_in_use, in_use);
	CHECK_EQ(st.bytes_committed, ar->granted - ar->base);
}

/* One failed step of the trace: say which, stop after a few. */
#define TRACE_FAIL(what)                                    \
	do {                                                    \
		failures++;                                         \
		printf("  op %ld: %s\n", op, what);                 \
		check_failed_now = 1;                               \
	} while (0)

TEST(random_trace_against_shadow_model)
{
	struct arena *ar = arena_new((size_t)1 << 30, (size_t)1 << 30);
	struct heap *h = &ar->heap;
	static struct shadow sh[NSLOTS];
	unsigned next_id = 1;
	int failures = 0;

	for (long op = 0; op < NOPS && failures < 5; op++) {
		struct shadow *s = &sh[rng() % NSLOTS];
		unsigned k = (unsigned)(rng() % 100);

		if (!s->p) {
			size_t n = rand_size();
			if (k < 10) {
				size_t align = (size_t)1 << (rng() % 13);
				s->p = heap_alloc(h, n, align);
				if (s->p && (uintptr_t)s->p % (align < 16 ? 16 : align))
					TRACE_FAIL("misaligned");
			} else if (k < 20) {
				s->p = heap_calloc(h, 1, n);
				for (size_t i = 0; s->p && i < n; i++)
					if (s->p[i]) {
						TRACE_FAIL("calloc not zeroed");
						break;
					}
			} else {
				s->p = heap_alloc(h, n, 0);
			}
			if (!s->p) {
				TRACE_FAIL("allocation failed");
				continue;
			}
			s->size = n;
			s->usable = heap_usable_size(h, s->p);
			if (s->usable < n)
				TRACE_FAIL("usable size below the request");
			s->id = next_id++;
			pat_fill(s->p, n, s->id);
		} else if (k < 30) {
			size_t n = rand_size();
			if (!pat_ok(s->p, s->size, s->id))
				TRACE_FAIL("block corrupted before realloc");
			unsigned char *q = heap_realloc(h, s->p, n);
			if (!q) {
				TRACE_FAIL("realloc failed");
				continue;
			}
			if (!pat_ok(q, n < s->size ? n : s->size, s->id))
				TRACE_FAIL("realloc lost contents");
			s->p = q;
			s->size = n;
			s->usable = heap_usable_size(h, q);
			s->id = next_id++;
			pat_fill(q, n, s->id);
		} else {
			if (!pat_ok(s->p, s->size, s->id))
				TRACE_FAIL("block corrupted before free");
			heap_free(h, s->p);
			s->p = NULL;
		}
		if (op % 25000 == 0) {
			check_model(ar, sh);
			if (!heap_check(h))
				TRACE_FAIL("heap_check");
		}
	}
	check_model(ar, sh);
	CHECK(heap_check(h));
	for (int i = 0; i < NSLOTS; i++) {
		if (sh[i].p && !pat_ok(sh[i].p, sh[i].size, sh[i].id))
			CHECK(!"block corrupted at the end");
		heap_free(h, sh[i].p);
		sh[i].p = NULL;
	}
	struct heap_stats st = stats(ar);
	CHECK_EQ(st.live_blocks, 0);
	CHECK_EQ(st.bytes_in_use, 0);
	CHECK_EQ(st.total_allocs, st.total_frees);
	CHECK_EQ(ar->reports, 0);
	CHECK_EQ(ar->bad_grows, 0);
	CHECK(heap_check(h));
	CHECK_EQ(failures, 0);
	arena_free(ar);
}

int main(void)
{
	return RUN_TESTS();
}
