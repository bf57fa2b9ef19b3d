/*
 * heap.c - the kernel heap allocator core (see heap.h for the API).
 *
 * Layout of the reserved range [base, end):
 *
 *   base  slab page bitmap (1 bit per page of the range: "this page is a slab")
 *   data  blocks ... | epilogue header (16 B) |  top  ... not yet granted ... end
 *
 * Memory is granted by grow() strictly at the top, in page multiples (at
 * least GROW_MIN at a time, to call the kernel's page mapper less often).
 * The bitmap is committed (and zeroed) by the first grow; it is
 * max_size / 32768 bytes, e.g. 32 KiB for a 1 GiB heap. Nothing outside
 * [base, top) is ever read or written.
 *
 * Large blocks (> HEAP_SMALL_MAX bytes, or aligned beyond 16) carry a 16-byte
 * header {size | flags, magic} and, while free, list links and a footer
 * (size) in their last 8 bytes: boundary tags, so freeing coalesces with
 * both neighbours in O(1). Free blocks sit in TLSF-style segregated lists
 * (40 power-of-two ranges x 16 linear sub-ranges, with bitmaps of non-empty
 * lists), so finding a block that fits is O(1) too: the request is rounded
 * up to the next sub-range, so the head of any non-empty list at or above
 * that point fits ("good fit"). If none fits, the heap grows and the new
 * space merges with a free block at the old top. An epilogue header at the
 * top end gives the last block a neighbour to flag.
 *
 * Small blocks (<= HEAP_SMALL_MAX, 16-aligned) come from 4 KiB slabs, one size
 * class per slab, in 22 classes chosen so that 2..251 objects fill the
 * 4016 bytes after the slab header with little waste. A slab is itself a
 * page-aligned 4096-byte large block (its first 16 bytes are a large header,
 * so the large allocator's boundary tags see it as an ordinary used block);
 * the bitmap bit of its page is what tells heap_free that a pointer is a
 * slab object: user data cannot forge that. Allocation pops the slab's free
 * list or bumps into never-used space (a new slab is not pre-threaded),
 * both O(1). Per-class lists hold only slabs with free objects. A slab that
 * empties is kept if it is its class's only partial slab, else parked in a
 * small spare list (so alloc/free churn does not rebuild slabs), else given
 * back to the large allocator. When the heap cannot grow any more, kept and
 * spare empty slabs are all given back before an allocation fails.
 *
 * Misuse detection, all O(1): every large header's magic is mixed with its
 * own address (a copied header does not validate) and wiped when the block
 * is merged away; a free flag catches double frees; a pointer must lie in
 * [data, top), be 16-aligned and, in a slab, sit exactly on an object; each
 * slab has an allocation bitmap, so a double free of a small block is exact.
 * A detected misuse is reported and the pointer ignored. What cannot be
 * caught cheaply: a stale pointer whose memory was re-handed out.
 *
 * Sizes are bounded by max_size (<= 2^46) before any rounding, so size
 * arithmetic cannot wrap. Not thread-safe: callers serialise.
 */
#include "lib/heap.h"
#include "lib/string.h"

#define PAGE ((uintptr_t)HEAP_PAGE_SIZE)
#define HDR ((size_t)16)             /* large header; also the base alignment */
#define MIN_BLOCK ((size_t)48)       /* header + 2 links + footer, rounded to 16 */
#define GROW_MIN ((size_t)16 * 1024)
#define SPARE_MAX 8u
#define RANGE_MAX ((size_t)1 << 46)  /* keeps every block size in HEAP_FL_COUNT */

#define F_FREE ((size_t)1)           /* this block is free */
#define F_PREV_FREE ((size_t)2)      /* the block physically before is free */
#define SIZE_MASK (~(size_t)15)

#define LARGE_MAGIC 0x6b48ea9du
#define SLAB_MAGIC 0x51ab5eedu
#define SPARE_MAGIC 0x5a4e5e1fu

struct lhdr {
	size_t size;                 /* block size incl. header | F_* flags */
	uint32_t magic;              /* LARGE_MAGIC ^ address bits; 0 = merged away */
	uint32_t unused;
};

struct heap_free {
	struct lhdr h;
	struct heap_free *next, *prev;
	/* ... footer: size_t size in the block's last 8 bytes */
};

struct heap_slab {
	struct lhdr blk;             /* as the large allocator sees this page */
	struct heap_slab *next, *prev; /* class partial list, or spare list */
	void *free;                  /* freed objects, linked through their first word */
	uint32_t magic;              /* SLAB_MAGIC, or SPARE_MAGIC when parked */
	uint8_t cls, nfree, bump, pad; /* bump: objects ever handed out */
	uint64_t used[4];            /* 1 bit per object: allocated */
};

#define SLAB_OBJS_OFF ((uintptr_t)sizeof(struct heap_slab))
#define SLAB_SPACE (HEAP_PAGE_SIZE - sizeof(struct heap_slab))

_Static_assert(sizeof(struct lhdr) == HDR, "large header must be 16 bytes");
_Static_assert(sizeof(struct heap_free) + sizeof(size_t) <= MIN_BLOCK, "free block fits MIN_BLOCK");
_Static_assert(sizeof(struct heap_slab) == 80, "slab header size assumed by the class table");

/* The classes: the largest multiple of 16 fitting n objects in 4016 bytes,
 * for the upper ones. Reciprocals let free find an object's index with a
 * multiply: floor(off * ceil'(2^32 / size) / 2^32) == off / size exactly for
 * off < 4096, size <= 2048 (the error stays below 2^-20 < 1 / size). */
#define HEAP_CLASSES(X) \
	X(16) X(32) X(48) X(64) X(80) X(96) X(112) X(128) X(160) X(192) X(224) \
	X(256) X(304) X(352) X(400) X(496) X(560) X(656) X(800) X(992) X(1328) X(2000)
#define CLASS_SIZE(s) s,
#define CLASS_RECIP(s) (uint32_t)(((uint64_t)1 << 32) / (s) + 1),
#define CLASS_COUNT(s) (uint8_t)(SLAB_SPACE / (s)),
static const uint16_t class_size[HEAP_NCLASSES] = { HEAP_CLASSES(CLASS_SIZE) };
static const uint32_t class_recip[HEAP_NCLASSES] = { HEAP_CLASSES(CLASS_RECIP) };
static const uint8_t class_count[HEAP_NCLASSES] = { HEAP_CLASSES(CLASS_COUNT) };

/* Class of a small size, indexed by (size + 15) / 16. */
static const uint8_t class_of[HEAP_SMALL_MAX / 16 + 1] = {
	[0 ... 1] = 0, [2] = 1, [3] = 2, [4] = 3, [5] = 4, [6] = 5, [7] = 6, [8] = 7,
	[9 ... 10] = 8, [11 ... 12] = 9, [13 ... 14] = 10, [15 ... 16] = 11,
	[17 ... 19] = 12, [20 ... 22] = 13, [23 ... 25] = 14, [26 ... 31] = 15,
	[32 ... 35] = 16, [36 ... 41] = 17, [42 ... 50] = 18, [51 ... 62] = 19,
	[63 ... 83] = 20, [84 ... 125] = 21,
};

/* ---------------------------------------------------------------- helpers */

static inline struct lhdr *hdr_at(uintptr_t a) { return (struct lhdr *)a; }
static inline size_t bsize(const struct lhdr *b) { return b->size & SIZE_MASK; }
static inline struct lhdr *bnext(struct lhdr *b) { return hdr_at((uintptr_t)b + bsize(b)); }

static inline uint32_t lmagic(const void *b)
{
	return LARGE_MAGIC ^ (uint32_t)((uintptr_t)b >> 4);
}

static inline unsigned msb(size_t x) { return 63u - (unsigned)__builtin_clzll(x); }

static void report(struct heap *h, const char *what, const void *p)
{
	h->reports++;
	if (h->report)
		h->report(h->ctx, what, p);
}

static inline bool page_is_slab(const struct heap *h, uintptr_t a)
{
	size_t i = (a - h->base) / PAGE;
	return (((const uint64_t *)h->base)[i / 64] >> (i % 64)) & 1;
}

static inline void page_mark(struct heap *h, uintptr_t a, bool slab)
{
	size_t i = (a - h->base) / PAGE;
	uint64_t *w = (uint64_t *)h->base + i / 64;
	*w = slab ? *w | (uint64_t)1 << (i % 64) : *w & ~((uint64_t)1 << (i % 64));
}

/* ------------------------------------------------ large blocks: free lists */

/* The list a free block of size s belongs in. */
static inline void map_insert(size_t s, unsigned *fl, unsigned *sl)
{
	if (s < 256) {
		*fl = 0;
		*sl = (unsigned)(s >> 4);
	} else {
		unsigned m = msb(s);
		*fl = m - 7;
		*sl = (unsigned)(s >> (m - 4)) & 15;
	}
}

/* Round a request up so that every block in its list (or above) fits it. */
static inline size_t search_round(size_t s)
{
	if (s >= 256)
		s += ((size_t)1 << (msb(s) - 4)) - 1;
	return s;
}

static void list_insert(struct heap *h, struct heap_free *f)
{
	unsigned fl, sl;
	map_insert(bsize(&f->h), &fl, &sl);
	f->prev = NULL;
	f->next = h->lists[fl][sl];
	if (f->next)
		f->next->prev = f;
	h->lists[fl][sl] = f;
	h->fl_map |= (uint64_t)1 << fl;
	h->sl_map[fl] |= 1u << sl;
	h->free_bytes += bsize(&f->h);
}

static void list_remove(struct heap *h, struct heap_free *f)
{
	unsigned fl, sl;
	map_insert(bsize(&f->h), &fl, &sl);
	if (f->prev)
		f->prev->next = f->next;
	else
		h->lists[fl][sl] = f->next;
	if (f->next)
		f->next->prev = f->prev;
	if (!h->lists[fl][sl]) {
		h->sl_map[fl] &= ~(1u << sl);
		if (!h->sl_map[fl])
			h->fl_map &= ~((uint64_t)1 << fl);
	}
	h->free_bytes -= bsize(&f->h);
}

/* A free block of at least search_round(want)'s list, or NULL. */
static struct heap_free *list_find(struct heap *h, size_t want)
{
	unsigned fl, sl;
	map_insert(search_round(want), &fl, &sl);
	if (fl >= HEAP_FL_COUNT)
		return NULL;
	uint32_t slm = h->sl_map[fl] & (~0u << sl);
	if (!slm) {
		uint64_t flm = h->fl_map & (~(uint64_t)0 << (fl + 1));
		if (!flm)
			return NULL;
		fl = (unsigned)__builtin_ctzll(flm);
		slm = h->sl_map[fl];
	}
	return h->lists[fl][__builtin_ctz(slm)];
}

/* Make [a, a + s) a free block (prev_flag: is the block before it free) and
 * list it. Its successor is flagged. Does not coalesce. */
static void make_free(struct heap *h, uintptr_t a, size_t s, size_t prev_flag)
{
	struct lhdr *b = hdr_at(a);
	b->size = s | F_FREE | prev_flag;
	b->magic = lmagic(b);
	*(size_t *)(a + s - sizeof(size_t)) = s;
	hdr_at(a + s)->size |= F_PREV_FREE;
	list_insert(h, (struct heap_free *)b);
}

/* Free the used block b, merging with free neighbours. */
static void large_release(struct heap *h, struct lhdr *b)
{
	size_t s = bsize(b);
	struct lhdr *n = bnext(b);

	if (n->size & F_FREE) {
		list_remove(h, (struct heap_free *)n);
		s += bsize(n);
		n->magic = 0;            /* a stale pointer to n must not validate */
	}
	if (b->size & F_PREV_FREE) {
		size_t ps = *(size_t *)((uintptr_t)b - sizeof(size_t));
		struct lhdr *p = hdr_at((uintptr_t)b - ps);
		list_remove(h, (struct heap_free *)p);
		b->magic = 0;
		b = p;
		s += ps;
	}
	/* Free blocks never touch, so the block before the merged one is used. */
	make_free(h, (uintptr_t)b, s, 0);
}

/*
 * Commit more memory at the top so that a free block able to satisfy
 * list_find(want) exists. The new space merges with a free last block.
 */
static bool extend(struct heap *h, size_t want)
{
	size_t need = (search_round(want) + 15) & SIZE_MASK;
	uintptr_t old = h->top;
	bool first = old == h->base;
	uintptr_t start = first ? h->data : old - HDR; /* the old epilogue */
	struct lhdr *last = NULL;

	if (!first && (hdr_at(start)->size & F_PREV_FREE)) {
		size_t ps = *(size_t *)(start - sizeof(size_t));
		last = hdr_at(start - ps);
		start -= ps;
	}
	if (need > h->end - start || h->end - start - need < HDR)
		return false;
	size_t len = (start + need + HDR - old + PAGE - 1) & ~(PAGE - 1);
	if (len < GROW_MIN)
		len = GROW_MIN < h->end - old ? GROW_MIN : h->end - old;
	if (h->grow && !h->grow(h->ctx, old, len))
		return false;
	h->grow_calls++;
	h->top = old + len;
	if (first)
		memset((void *)h->base, 0, h->data - h->base);
	if (last)
		list_remove(h, (struct heap_free *)last);
	if (!first)
		hdr_at(old - HDR)->magic = 0;   /* the old epilogue is now inside */
	struct lhdr *epi = hdr_at(h->top - HDR);
	epi->size = 0;                   /* make_free flags it */
	epi->magic = lmagic(epi);
	make_free(h, start, h->top - HDR - start, 0);
	return true;
}

/* An empty slab page goes back to the large allocator. */
static void slab_drop(struct heap *h, struct heap_slab *s)
{
	s->magic = 0;
	page_mark(h, (uintptr_t)s, false);
	h->slab_pages--;
	large_release(h, &s->blk);
}

/* Out of memory: drop the spare slabs and every class's kept empty slab,
 * so they can merge into bigger free blocks. True if any was dropped. */
static bool reclaim(struct heap *h)
{
	bool any = h->spare != NULL;

	while (h->spare) {
		struct heap_slab *s = h->spare;
		h->spare = s->next;
		h->nspare--;
		slab_drop(h, s);
	}
	for (unsigned c = 0; c < HEAP_NCLASSES; c++) {
		struct heap_slab *s = h->partial[c];
		if (s && !s->next && s->nfree == class_count[c]) {
			h->partial[c] = NULL;
			slab_drop(h, s);
			any = true;
		}
	}
	return any;
}

/*
 * Take a block of at least need bytes (a multiple of 16) whose address plus
 * off is a multiple of align; it is marked used (magic set) and returned.
 */
static struct lhdr *large_take(struct heap *h, size_t need, size_t align, size_t off)
{
	/* Room to slide to an aligned start, leaving a usable free block before. */
	size_t want = need + (align > HDR ? align + MIN_BLOCK : 0);
	struct heap_free *f = list_find(h, want);

	if (!f && !extend(h, want)) {
		/* Out of room: empty slabs may be pinning the space needed. */
		if (!reclaim(h))
			return NULL;
		f = list_find(h, want);
		if (!f && !extend(h, want))
			return NULL;
	}
	if (!f)
		f = list_find(h, want);
	list_remove(h, f);
	uintptr_t a = (uintptr_t)f;
	size_t s = bsize(&f->h);
	size_t prev_flag = f->h.size & F_PREV_FREE; /* 0: free blocks never touch */

	if (align > HDR) {
		uintptr_t b = ((a + off + align - 1) & ~(uintptr_t)(align - 1)) - off;
		if (b != a && b - a < MIN_BLOCK)
			b += align;
		if (b != a) {
			make_free(h, a, b - a, prev_flag);
			s -= b - a;
			a = b;
			prev_flag = F_PREV_FREE;
		}
	}
	if (s - need >= MIN_BLOCK) {
		make_free(h, a + need, s - need, 0);
		s = need;
	} else {
		hdr_at(a + s)->size &= ~F_PREV_FREE;
	}
	struct lhdr *b = hdr_at(a);
	b->size = s | prev_flag;
	b->magic = lmagic(b);
	return b;
}

/* Cut a used block down to need bytes, freeing the tail if worth it. */
static void large_shrink(struct heap *h, struct lhdr *b, size_t need)
{
	size_t s = bsize(b);
	if (s - need < MIN_BLOCK)
		return;
	b->size = need | (b->size & F_PREV_FREE);
	struct lhdr *t = hdr_at((uintptr_t)b + need);
	t->size = s - need;              /* used, after a used block */
	t->magic = lmagic(t);
	large_release(h, t);
}

static inline size_t large_need(size_t size)
{
	size_t need = (size + HDR + 15) & SIZE_MASK;
	return need < MIN_BLOCK ? MIN_BLOCK : need;
}

static void *large_alloc(struct heap *h, size_t size, size_t align)
{
	if (size > h->end - h->base)     /* before rounding: nothing wraps */
		return NULL;
	struct lhdr *b = large_take(h, large_need(size), align, HDR);
	if (!b)
		return NULL;
	h->in_use += bsize(b) - HDR;
	h->live++;
	h->allocs++;
	return (char *)b + HDR;
}

/* ---------------------------------------------------------------- slabs */

static inline size_t slab_index(const struct heap_slab *s, uintptr_t off)
{
	return (size_t)(((uint64_t)off * class_recip[s->cls]) >> 32);
}

static struct heap_slab *slab_new(struct heap *h, unsigned c)
{
	struct heap_slab *s = h->spare;

	if (s) {
		h->spare = s->next;
		h->nspare--;
	} else {
		struct lhdr *b = large_take(h, HEAP_PAGE_SIZE, HEAP_PAGE_SIZE, 0);
		if (!b)
			return NULL;
		s = (struct heap_slab *)b;
		page_mark(h, (uintptr_t)s, true);
		h->slab_pages++;
	}
	s->magic = SLAB_MAGIC;
	s->cls = (uint8_t)c;
	s->nfree = class_count[c];
	s->bump = 0;
	s->free = NULL;
	s->used[0] = s->used[1] = s->used[2] = s->used[3] = 0;
	s->prev = NULL;
	s->next = NULL;
	h->partial[c] = s;               /* only called when the list is empty */
	return s;
}

static void *slab_alloc(struct heap *h, unsigned c)
{
	struct heap_slab *s = h->partial[c];
	uintptr_t p;

	if (!s && !(s = slab_new(h, c)))
		return NULL;
	if (s->free) {
		p = (uintptr_t)s->free;
		void *next = *(void **)p;
		/* A write after free may have broken the link: cheap to notice. */
		if (((uintptr_t)next & ~(PAGE - 1)) != (uintptr_t)s && next) {
			report(h, "heap: slab free list corrupted (write after free?)", (void *)p);
			next = NULL;
			s->nfree = 1;    /* forget the lost objects */
		}
		s->free = next;
	} else {
		p = (uintptr_t)s + SLAB_OBJS_OFF + (size_t)s->bump++ * class_size[c];
	}
	size_t i = slab_index(s, p - (uintptr_t)s - SLAB_OBJS_OFF);
	s->used[i / 64] |= (uint64_t)1 << (i % 64);
	if (--s->nfree == 0) {           /* full: off the partial list (its head) */
		h->partial[c] = s->next;
		if (s->next)
			s->next->prev = NULL;
		s->next = NULL;
	}
	h->in_use += class_size[c];
	h->live++;
	h->allocs++;
	return (void *)p;
}

static void slab_unlink(struct heap *h, struct heap_slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		h->partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

/* Object i of s (validated) is freed. */
static void slab_free(struct heap *h, struct heap_slab *s, uintptr_t p, size_t i)
{
	unsigned c = s->cls;

	s->used[i / 64] &= ~((uint64_t)1 << (i % 64));
	*(void **)p = s->free;
	s->free = (void *)p;
	h->in_use -= class_size[c];
	h->live--;
	h->frees++;
	if (s->nfree++ == 0) {           /* was full: back on the partial list */
		s->prev = NULL;
		s->next = h->partial[c];
		if (s->next)
			s->next->prev = s;
		h->partial[c] = s;
		return;
	}
	if (s->nfree < class_count[c] || (h->partial[c] == s && !s->next))
		return;                  /* in use, or the class's last slab: keep */
	slab_unlink(h, s);
	if (h->nspare < SPARE_MAX) {
		s->magic = SPARE_MAGIC;
		s->next = h->spare;
		h->spare = s;
		h->nspare++;
	} else {
		slab_drop(h, s);
	}
}

/* ------------------------------------------------------- pointer lookup */

enum kind { K_BAD, K_SLAB, K_LARGE };

/*
 * Classify a pointer handed back by the caller, reporting misuse. For a slab
 * object *sp and *ip are set; for a large block *bp.
 */
static enum kind lookup(struct heap *h, const void *ptr, struct heap_slab **sp, size_t *ip,
                        struct lhdr **bp)
{
	uintptr_t a = (uintptr_t)ptr;

	if (a < h->data + HDR || a >= h->top || (a & (HDR - 1))) {
		report(h, "heap: pointer not from this heap", ptr);
		return K_BAD;
	}
	if (page_is_slab(h, a)) {
		struct heap_slab *s = (struct heap_slab *)(a & ~(PAGE - 1));
		uintptr_t off = a - (uintptr_t)s - SLAB_OBJS_OFF;
		if (s->magic != SLAB_MAGIC || s->cls >= HEAP_NCLASSES) {
			report(h, s->magic == SPARE_MAGIC ? "heap: pointer into an empty slab (double free?)"
			                                  : "heap: corrupted slab header",
			       ptr);
			return K_BAD;
		}
		if (a < (uintptr_t)s + SLAB_OBJS_OFF) {
			report(h, "heap: pointer not at a block start", ptr);
			return K_BAD;
		}
		size_t i = slab_index(s, off);
		if (i >= s->bump || i * class_size[s->cls] != off) {
			report(h, "heap: pointer not at a block start", ptr);
			return K_BAD;
		}
		if (!((s->used[i / 64] >> (i % 64)) & 1)) {
			report(h, "heap: double free", ptr);
			return K_BAD;
		}
		*sp = s;
		*ip = i;
		return K_SLAB;
	}
	struct lhdr *b = hdr_at(a - HDR);
	if (b->magic != lmagic(b)) {
		report(h, "heap: pointer not from this heap (or header corrupted)", ptr);
		return K_BAD;
	}
	if (b->size & F_FREE) {
		report(h, "heap: double free", ptr);
		return K_BAD;
	}
	size_t s = bsize(b);
	if (s < MIN_BLOCK || s > h->top - HDR - (uintptr_t)b ||
	    bnext(b)->magic != lmagic(bnext(b))) {
		report(h, "heap: corrupted block header", ptr);
		return K_BAD;
	}
	*bp = b;
	return K_LARGE;
}

/* ------------------------------------------------------------- the API */

void heap_init(struct heap *h, uintptr_t base, size_t max_size, heap_grow_fn grow,
               heap_report_fn report_fn, void *ctx)
{
	uintptr_t b = (base + PAGE - 1) & ~(PAGE - 1);

	max_size = b - base > max_size ? 0 : max_size - (b - base);
	if (max_size > RANGE_MAX)
		max_size = RANGE_MAX;
	max_size &= ~(size_t)(PAGE - 1);
	memset(h, 0, sizeof(*h));
	h->base = h->top = b;
	h->end = b + max_size;
	/* Bitmap words for every page, rounded to 16 so blocks stay aligned. */
	size_t words = (max_size / PAGE + 63) / 64;
	h->data = b + ((words * 8 + 15) & ~(size_t)15);
	if (h->data > h->end)
		h->data = h->end;       /* a heap too small to hold anything */
	h->grow = grow;
	h->report = report_fn;
	h->ctx = ctx;
}

void *heap_alloc(struct heap *h, size_t size, size_t align)
{
	if (align & (align - 1))
		return NULL;
	if (align <= HEAP_MIN_ALIGN) {
		if (size <= HEAP_SMALL_MAX)
			return slab_alloc(h, class_of[(size + 15) >> 4]);
		return large_alloc(h, size, HDR);
	}
	if (align > HEAP_MAX_ALIGN)
		return NULL;
	return large_alloc(h, size, align);
}

void heap_free(struct heap *h, void *p)
{
	struct heap_slab *s;
	struct lhdr *b;
	size_t i;

	if (!p)
		return;
	switch (lookup(h, p, &s, &i, &b)) {
	case K_SLAB:
		slab_free(h, s, (uintptr_t)p, i);
		break;
	case K_LARGE:
		h->in_use -= bsize(b) - HDR;
		h->live--;
		h->frees++;
		large_release(h, b);
		break;
	case K_BAD:
		break;
	}
}

void *heap_calloc(struct heap *h, size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total))
		return NULL;
	void *p = heap_alloc(h, total, 0);
	if (p)
		memset(p, 0, total);
	return p;
}

size_t heap_usable_size(struct heap *h, const void *p)
{
	struct heap_slab *s;
	struct lhdr *b;
	size_t i;

	if (!p)
		return 0;
	switch (lookup(h, p, &s, &i, &b)) {
	case K_SLAB:
		return class_size[s->cls];
	case K_LARGE:
		return bsize(b) - HDR;
	default:
		return 0;
	}
}

void *heap_realloc(struct heap *h, void *p, size_t size)
{
	struct heap_slab *s;
	struct lhdr *b;
	size_t i, old;

	if (!p)
		return heap_alloc(h, size, 0);
	if (size == 0) {
		heap_free(h, p);
		return NULL;
	}
	switch (lookup(h, p, &s, &i, &b)) {
	case K_SLAB:
		old = class_size[s->cls];
		if (size <= old && class_of[(size + 15) >> 4] == s->cls)
			return p;
		break;
	case K_LARGE: {
		old = bsize(b) - HDR;
		if (size <= HEAP_SMALL_MAX)
			break;           /* move to a slab, unless that fails (below) */
		if (size > h->end - h->base)
			return NULL;
		size_t need = large_need(size);
		struct lhdr *n = bnext(b);
		if (need > bsize(b) && (n->size & F_FREE) && bsize(b) + bsize(n) >= need) {
			/* Grow in place by absorbing the free neighbour. */
			list_remove(h, (struct heap_free *)n);
			n->magic = 0;
			b->size += bsize(n);
			bnext(b)->size &= ~F_PREV_FREE;
		}
		if (need <= bsize(b)) {
			large_shrink(h, b, need);
			h->in_use += bsize(b) - HDR - old;  /* mod 2^64: may shrink */
			return p;
		}
		break;
	}
	default:
		return NULL;
	}
	void *q = heap_alloc(h, size, 0);
	if (!q) {
		if (size <= old)         /* a shrink that could not move: stay */
			return p;
		return NULL;
	}
	memcpy(q, p, size < old ? size : old);
	heap_free(h, p);
	return q;
}

void heap_get_stats(const struct heap *h, struct heap_stats *out)
{
	out->bytes_in_use = h->in_use;
	out->live_blocks = h->live;
	out->bytes_committed = h->top - h->base;
	out->bytes_free = h->free_bytes;
	out->slab_pages = h->slab_pages;
	out->grow_calls = h->grow_calls;
	out->reports = h->reports;
	out->total_allocs = h->allocs;
	out->total_frees = h->frees;
}

/* --------------------------------------------------------- consistency */

/* By hand: __builtin_popcountll may become a libgcc call the kernel lacks. */
static unsigned popcount64(uint64_t x)
{
	unsigned n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

bool heap_check(struct heap *h)
{
	size_t bad = h->reports;
	size_t in_use = 0, live = 0, free_bytes = 0, nfree = 0, slabs = 0, spares = 0;
	bool prev_free = false;

	if (h->top == h->base)
		return h->live == 0 && h->in_use == 0;
	uintptr_t a = h->data;
	while (a < h->top - HDR) {
		struct lhdr *b = hdr_at(a);
		size_t s = bsize(b);
		if (b->magic != lmagic(b) || s < MIN_BLOCK || s > h->top - HDR - a) {
			report(h, "heap_check: bad block header", b);
			return false;
		}
		if (!!(b->size & F_PREV_FREE) != prev_free)
			report(h, "heap_check: wrong prev-free flag", b);
		bool is_slab = page_is_slab(h, a) && !(a & (PAGE - 1));
		if (b->size & F_FREE) {
			if (prev_free)
				report(h, "heap_check: two adjacent free blocks", b);
			if (*(size_t *)(a + s - sizeof(size_t)) != s)
				report(h, "heap_check: bad footer", b);
			if (page_is_slab(h, a))
				report(h, "heap_check: free block on a slab page", b);
			free_bytes += s;
			nfree++;
		} else if (is_slab) {
			struct heap_slab *sl = (struct heap_slab *)b;
			slabs++;
			if (s != PAGE)
				report(h, "heap_check: slab block is not one page", b);
			if (sl->magic == SPARE_MAGIC) {
				spares++;
			} else if (sl->magic != SLAB_MAGIC || sl->cls >= HEAP_NCLASSES) {
				report(h, "heap_check: bad slab header", b);
			} else {
				unsigned used = popcount64(sl->used[0]) + popcount64(sl->used[1]) +
				                popcount64(sl->used[2]) + popcount64(sl->used[3]);
				if (used + sl->nfree != class_count[sl->cls] || sl->bump > class_count[sl->cls])
					report(h, "heap_check: slab counts disagree", b);
				size_t onlist = 0;
				for (void *o = sl->free; o && onlist <= class_count[sl->cls]; o = *(void **)o)
					onlist++;
				if (onlist + (class_count[sl->cls] - sl->bump) != sl->nfree)
					report(h, "heap_check: slab free list length", b);
				in_use += (size_t)used * class_size[sl->cls];
				live += used;
			}
		} else {
			in_use += s - HDR;
			live++;
		}
		prev_free = b->size & F_FREE;
		a += s;
	}
	struct lhdr *epi = hdr_at(h->top - HDR);
	if (a != h->top - HDR || epi->magic != lmagic(epi) || bsize(epi) != 0 ||
	    !!(epi->size & F_PREV_FREE) != prev_free)
		report(h, "heap_check: bad epilogue", epi);

	size_t listed = 0;
	for (unsigned fl = 0; fl < HEAP_FL_COUNT; fl++) {
		for (unsigned sl = 0; sl < HEAP_SL_COUNT; sl++) {
			bool empty = !h->lists[fl][sl];
			if (empty == !!((h->sl_map[fl] >> sl) & 1))
				report(h, "heap_check: list bitmap wrong", NULL);
			for (struct heap_free *f = h->lists[fl][sl]; f; f = f->next) {
				unsigned f1, s1;
				map_insert(bsize(&f->h), &f1, &s1);
				if (!(f->h.size & F_FREE) || f1 != fl || s1 != sl)
					report(h, "heap_check: block on the wrong list", f);
				if (++listed > nfree)
					break;
			}
		}
		if (!h->sl_map[fl] == !!((h->fl_map >> fl) & 1))
			report(h, "heap_check: first-level bitmap wrong", NULL);
	}
	if (listed != nfree)
		report(h, "heap_check: free lists and blocks disagree", NULL);
	if (in_use != h->in_use || live != h->live || free_bytes != h->free_bytes ||
	    slabs != h->slab_pages || spares != h->nspare)
		report(h, "heap_check: statistics disagree", NULL);
	return h->reports == bad;
}
