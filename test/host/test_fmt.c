/*
 * test_fmt.c - lib/fmt.c against the host libc's snprintf, which is the
 * reference for everything C defines: a hand-written table of edge cases,
 * an exhaustive grid of flags x width x precision x length x conversion x
 * edge values, and a seeded random sweep. Our own extensions (unknown
 * conversions printed literally, %p/%s of NULL) are checked against fixed
 * strings; truncation is checked at every buffer size with exact-size heap
 * buffers, so ASan reports any write past size.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "test/host/check.h"

#include "lib/fmt.c"

static long cmp_count;
static int cmp_reported;

/*
 * Format with both libc and fmt_vsnprintf and compare return value and
 * bytes (by length, since %c may produce a NUL). Not format-checked on
 * purpose: the grid builds formats at run time; callers pass exact types.
 */
static void cmp(const char *fmt, ...)
{
	char want[512], got[512];
	va_list ap, aq;
	int wn, gn;

	va_start(ap, fmt);
	va_copy(aq, ap);
	wn = vsnprintf(want, sizeof(want), fmt, ap);
	memset(got, 0x5A, sizeof(got));
	gn = fmt_vsnprintf(got, sizeof(got), fmt, aq);
	va_end(aq);
	va_end(ap);
	cmp_count++;
	if (wn != gn || wn < 0 || memcmp(want, got, (size_t)(wn < 511 ? wn : 511) + 1) != 0) {
		check_failed_now = 1;
		if (cmp_reported++ < 20)
			printf("  format \"%s\": libc %d \"%s\", fmt %d \"%s\"\n", fmt, wn, want, gn, got);
	}
}

/* Our own output, checked against a fixed expectation. */
static void expect(const char *want, const char *fmt, ...)
{
	char got[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(got, sizeof(got), fmt, ap);
	va_end(ap);
	if (n != (int)strlen(want) || strcmp(got, want) != 0) {
		check_failed_now = 1;
		printf("  format \"%s\": want \"%s\", got %d \"%s\"\n", fmt, want, n, got);
	}
}

TEST(table_integers)
{
	cmp("%d %i %u", 0, -1, 0u);
	cmp("%d|%d|%d", INT_MIN, INT_MAX, -42);
	cmp("%u|%x|%X|%o", UINT_MAX, UINT_MAX, 0xabcdefu, 01234567u);
	cmp("%ld|%lu|%lx", LONG_MIN, ULONG_MAX, 0xdeadbeefcafebabeul);
	cmp("%lld|%lld|%llu|%llx|%llo", LLONG_MIN, LLONG_MAX, (unsigned long long)UINT64_MAX,
	    (unsigned long long)UINT64_MAX, (unsigned long long)UINT64_MAX);
	cmp("%hhd|%hhu|%hd|%hu|%hhx|%hx", 200, 300, 40000, 70000, -1, -1);
	cmp("%zu|%zx|%zd|%td|%tu|%jd|%ju", (size_t)-1, (size_t)0x1000, (ptrdiff_t)-5,
	    (ptrdiff_t)PTRDIFF_MIN, (size_t)7, (intmax_t)INTMAX_MIN, (uintmax_t)UINTMAX_MAX);
	cmp("[%5d][%-5d][%05d][%+d][% d][%+05d][% 05d]", 42, 42, -42, 42, 42, -42, 42);
	cmp("[%.0d][%.0x][%5.0d][%#.0x][%#.0o][%#o][%#x][%#X]", 0, 0, 0, 0, 0, 0, 0, 0);
	cmp("[%.5d][%.5d][%8.5d][%-8.5d][%08.5d][%+.3d]", 42, -42, 42, -42, 42, 7);
	cmp("[%#x][%#X][%#o][%#10x][%#010x][%-#10x][%#.8x][%#5o]", 255u, 255u, 8u, 255u, 255u, 255u, 255u, 8u);
	cmp("[%#.3o][%#.1o][%#o]", 8u, 8u, 0777u);
	cmp("[%*d][%-*d][%*d][%.*d][%.*d][%*.*d]", 6, 1, 6, 1, -6, 1, 4, 1, -4, 1, 7, 3, -9);
	cmp("[%020lld][%-25lld][%+lld][%.25lld]", LLONG_MIN, LLONG_MIN, LLONG_MAX, LLONG_MIN);
	cmp("[%0*d][%0-5d][%-05d]", 5, -1, 3, 3);
}

TEST(table_strings_chars_pointers)
{
	const char unterminated[3] = { 'a', 'b', 'c' };
	int x;

	cmp("[%s][%10s][%-10s][%.2s][%10.2s][%-10.2s][%.0s][%.10s]", "hello", "hello", "hello",
	    "hello", "hello", "hello", "hello", "hello");
	cmp("[%s][%5s][%.*s][%*s][%-*s]", "", "", 3, "abcdef", 7, "ab", -7, "ab");
	cmp("[%.3s]", unterminated);		/* must not read past the precision */
	cmp("[%s][%10s][%-10s][%.6s][%.5s][%.0s]", (char *)NULL, (char *)NULL, (char *)NULL,
	    (char *)NULL, (char *)NULL, (char *)NULL);
	cmp("[%c][%5c][%-5c][%c][%c]", 'a', 'b', 'c', 255, -1);
	cmp("[%c]", 0);				/* a NUL in the middle of the output */
	cmp("[%p][%p][%p][%20p][%-20p][%.20p]", (void *)&x, (void *)1, (void *)UINTPTR_MAX,
	    (void *)&x, (void *)&x, (void *)0x1234);
	cmp("[%p][%10p][%-10p]", NULL, NULL, NULL);
	cmp("[%%]");
	cmp("plain text, no conversions");
	cmp("");
}

TEST(our_extensions)
{
	expect("(nil)", "%p", NULL);
	expect("0x1f", "%p", (void *)0x1f);
	expect("(null)", "%s", (char *)NULL);
	expect("[(null)]", "[%.8s]", (char *)NULL);
	expect("[]", "[%.5s]", (char *)NULL);	/* a cut "(nul" would mislead */
	expect("%", "%");			/* '%' at the very end */
	expect("ab%", "ab%");
	expect("x%5", "x%5");			/* a spec cut off by the NUL */
	expect("x%-08.3l", "x%-08.3l");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
	expect("%y", "%y");
	expect("[%][%]", "[%5%][%-5%]");	/* a width on %% is ignored */
	expect("[%5.3ly] 7", "[%5.3ly] %d", 7);
	expect("%n 1", "%n %d", 1);		/* %n never writes through an argument */
	expect("%hn 1", "%hn %d", 1);
	expect("%f 2", "%f %d", 2);
	expect("%ls %lc 3", "%ls %lc %d", 3);
	expect("%lp 4", "%lp %d", 4);
	expect("%L 5", "%L %d", 5);
#pragma GCC diagnostic pop
}

/* ---- the grid ---------------------------------------------------------- */

static const uint64_t grid_values[] = {
	0, 1, 7, 42, 127, 128, 255, 256, 1000, 32767, 32768, 65535, 65536,
	(uint64_t)INT_MAX, (uint64_t)INT_MIN, UINT_MAX, (uint64_t)LLONG_MAX,
	(uint64_t)LLONG_MIN, UINT64_MAX, (uint64_t)-1 - 41, (uint64_t)-128,
	(uint64_t)-32768, 0x123456789abcdef0ull, 1000000007, 9999999999999999999ull,
};

static const char *const grid_lengths[] = { "", "hh", "h", "l", "ll", "z", "j", "t" };

/*
 * Pass raw with the type that the length modifier and conversion call for.
 * hh and h get an int/unsigned that may be out of their range on purpose:
 * both sides must narrow it.
 */
static void cmp_typed(const char *f, int nstar, int s1, int s2, const char *len, char conv, uint64_t raw)
{
	bool sig = conv == 'd' || conv == 'i';

#define CMP_WITH(v)                                          \
	do {                                                      \
		if (nstar == 2)                                       \
			cmp(f, s1, s2, v);                                \
		else if (nstar == 1)                                  \
			cmp(f, s1, v);                                    \
		else                                                  \
			cmp(f, v);                                        \
	} while (0)

	if (!*len || len[0] == 'h') {
		if (sig)
			CMP_WITH((int)raw);
		else
			CMP_WITH((unsigned)raw);
	} else if (!strcmp(len, "l")) {
		if (sig)
			CMP_WITH((long)raw);
		else
			CMP_WITH((unsigned long)raw);
	} else if (!strcmp(len, "ll")) {
		if (sig)
			CMP_WITH((long long)raw);
		else
			CMP_WITH((unsigned long long)raw);
	} else if (!strcmp(len, "j")) {
		if (sig)
			CMP_WITH((intmax_t)raw);
		else
			CMP_WITH((uintmax_t)raw);
	} else {	/* z and t: size_t / ptrdiff_t, same width */
		if (sig)
			CMP_WITH((ptrdiff_t)raw);
		else
			CMP_WITH((size_t)raw);
	}
}

struct grid_axis {
	const char *text;	/* the width or precision as written */
	bool star;
	int star_value;
};

static const struct grid_axis grid_widths[] = {
	{ "", false, 0 }, { "1", false, 0 }, { "6", false, 0 }, { "25", false, 0 },
	{ "*", true, -8 }, { "*", true, 0 }, { "*", true, 7 },
};

static const struct grid_axis grid_precs[] = {
	{ "", false, 0 }, { ".", false, 0 }, { ".0", false, 0 }, { ".1", false, 0 },
	{ ".4", false, 0 }, { ".23", false, 0 }, { ".*", true, -1 }, { ".*", true, 0 },
	{ ".*", true, 3 }, { ".*", true, 30 },
};

/* Build "%<flags><width><prec><len><conv>" and compare for one value. */
static void grid_one(unsigned flagset, const struct grid_axis *w, const struct grid_axis *p,
		     const char *len, char conv, uint64_t raw)
{
	static const char flag_chars[] = "-0+ #";
	char f[32];
	int n = 0, s[2], ns = 0;

	f[n++] = '%';
	for (int i = 0; i < 5; i++)
		if (flagset & (1u << i))
			f[n++] = flag_chars[i];
	n += sprintf(f + n, "%s%s%s%c", w->text, p->text, len, conv);
	if (w->star)
		s[ns++] = w->star_value;
	if (p->star)
		s[ns++] = p->star_value;
	cmp_typed(f, ns, ns > 0 ? s[0] : 0, ns > 1 ? s[1] : 0, len, conv, raw);
}

/* '#' with d/i/u is undefined in C; skip those combinations. */
static bool grid_defined(unsigned flagset, char conv)
{
	return !((flagset & 16) && (conv == 'd' || conv == 'i' || conv == 'u'));
}

TEST(grid_integers)
{
	static const char convs[] = "diuoxX";

	for (const char *c = convs; *c; c++)
		for (unsigned fl = 0; fl < 32; fl++) {
			if (!grid_defined(fl, *c))
				continue;
			for (size_t wi = 0; wi < sizeof(grid_widths) / sizeof(grid_widths[0]); wi++)
				for (size_t pi = 0; pi < sizeof(grid_precs) / sizeof(grid_precs[0]); pi++)
					for (size_t li = 0; li < sizeof(grid_lengths) / sizeof(grid_lengths[0]); li++)
						for (size_t vi = 0; vi < sizeof(grid_values) / sizeof(grid_values[0]); vi++)
							grid_one(fl, &grid_widths[wi], &grid_precs[pi],
								 grid_lengths[li], *c, grid_values[vi]);
		}
	printf("  %ld comparisons\n", cmp_count);
}

TEST(grid_strings_chars_pointers)
{
	static const char *const strs[] = { "", "a", "hello", "a longer string of 30 chars..", NULL };
	static const int chars[] = { 'a', ' ', '~', 0x80 };
	static const uintptr_t ptrs[] = { 1, 0xfff, 0xdeadbeef, UINTPTR_MAX, 0 };

	for (size_t wi = 0; wi < sizeof(grid_widths) / sizeof(grid_widths[0]); wi++) {
		const struct grid_axis *w = &grid_widths[wi];

		for (int left = 0; left < 2; left++) {
			char f[32];

			for (size_t pi = 0; pi < sizeof(grid_precs) / sizeof(grid_precs[0]); pi++) {
				const struct grid_axis *p = &grid_precs[pi];

				snprintf(f, sizeof(f), "[%%%s%s%ss]", left ? "-" : "", w->text, p->text);
				for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
					if (w->star && p->star)
						cmp(f, w->star_value, p->star_value, strs[i]);
					else if (w->star)
						cmp(f, w->star_value, strs[i]);
					else if (p->star)
						cmp(f, p->star_value, strs[i]);
					else
						cmp(f, strs[i]);
				}
				/* glibc's %p precision is the C integer one; NULL ignores it */
				snprintf(f, sizeof(f), "[%%%s%s%sp]", left ? "-" : "", w->text, p->text);
				for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++) {
					void *v = (void *)ptrs[i];

					if (w->star && p->star)
						cmp(f, w->star_value, p->star_value, v);
					else if (w->star)
						cmp(f, w->star_value, v);
					else if (p->star)
						cmp(f, p->star_value, v);
					else
						cmp(f, v);
				}
			}
			snprintf(f, sizeof(f), "[%%%s%sc]", left ? "-" : "", w->text);
			for (size_t i = 0; i < sizeof(chars) / sizeof(chars[0]); i++) {
				if (w->star)
					cmp(f, w->star_value, chars[i]);
				else
					cmp(f, chars[i]);
			}
		}
	}
}

/* ---- random sweep ------------------------------------------------------ */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
	/* xorshift64*: fixed seed, so a failure reproduces */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

/* Values biased to the interesting places: small, near powers of two, extremes. */
static uint64_t rng_value(void)
{
	switch (rng() % 4) {
	case 0: return rng() % 300;
	case 1: return (1ull << (rng() % 64)) + (rng() % 5) - 2;
	case 2: return grid_values[rng() % (sizeof(grid_values) / sizeof(grid_values[0]))];
	default: return rng();
	}
}

TEST(random_sweep)
{
	static const char convs[] = "diuoxX";
	long before = cmp_count;

	for (int i = 0; i < 300000; i++) {
		char conv = convs[rng() % 6];
		unsigned fl = (unsigned)(rng() % 32);
		struct grid_axis w = { "", false, 0 }, p = { "", false, 0 };
		char wt[16], pt[16];

		if (!grid_defined(fl, conv))
			fl &= ~16u;
		switch (rng() % 3) {
		case 0: break;
		case 1: snprintf(wt, sizeof(wt), "%u", (unsigned)(rng() % 40)); w.text = wt; break;
		default: w.text = "*"; w.star = true; w.star_value = (int)(rng() % 81) - 40; break;
		}
		switch (rng() % 3) {
		case 0: break;
		case 1: snprintf(pt, sizeof(pt), ".%u", (unsigned)(rng() % 40)); p.text = pt; break;
		default: p.text = ".*"; p.star = true; p.star_value = (int)(rng() % 81) - 40; break;
		}
		grid_one(fl, &w, &p, grid_lengths[rng() % 8], conv, rng_value());
	}
	printf("  %ld comparisons\n", cmp_count - before);
}

/* ---- truncation -------------------------------------------------------- */

/*
 * For every size 0..len+2: an exact-size heap buffer (ASan traps a write
 * past it), the full length returned, the prefix stored and NUL-terminated.
 */
static void check_truncation(const char *fmt, ...)
{
	char full[512];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(full, sizeof(full), fmt, ap);
	va_end(ap);
	for (size_t size = 0; size <= (size_t)len + 2; size++) {
		char *b = size ? malloc(size) : NULL;
		int n;

		if (size)
			memset(b, 0x5A, size);
		va_start(ap, fmt);
		n = fmt_vsnprintf(b, size, fmt, ap);
		va_end(ap);
		CHECK_EQ(n, len);
		if (size) {
			size_t kept = (size_t)len < size ? (size_t)len : size - 1;

			CHECK(memcmp(b, full, kept) == 0);
			CHECK_EQ(b[kept], '\0');
		}
		free(b);
	}
}

TEST(truncation_every_size)
{
	check_truncation("%s", "");
	check_truncation("%s", "hello, world");
	check_truncation("[%-20s|%20d|%#022llx]", "left", -12345, 0xfeedfacecafebeefull);
	check_truncation("%c%c%c", 'a', 0, 'b');
	check_truncation("%p %p %s", (void *)0xabc, NULL, (char *)NULL);
	check_truncation("%0*d", 100, 7);
	check_truncation("%llu%%", (unsigned long long)UINT64_MAX);
}

TEST(size_zero_writes_nothing)
{
	char b[4] = "xyz";

	CHECK_EQ(fmt_snprintf(NULL, 0, "%d", 123456), 6);
	CHECK_EQ(fmt_snprintf(b, 0, "%s", "long"), 4);
	CHECK_STR(b, "xyz");
	CHECK_EQ(fmt_snprintf(b, 1, "%s", "long"), 4);
	CHECK_EQ(b[0], '\0');
	CHECK_EQ(b[1], 'y');
}

/* ---- the sink interface ------------------------------------------------- */

struct collect {
	char buf[4096];
	size_t len;
	int calls;
};

static void collect_sink(void *ctx, const char *s, size_t n)
{
	struct collect *c = ctx;

	CHECK(n > 0);
	CHECK(c->len + n <= sizeof(c->buf));
	if (c->len + n <= sizeof(c->buf))
		memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->calls++;
}

static int collect_format(struct collect *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(collect_sink, c, fmt, ap);
	va_end(ap);
	return n;
}

TEST(vformat_sink_pieces)
{
	struct collect c = { .len = 0 };
	char want[4096];
	int n = collect_format(&c, "abc %d def %3000s|%-1000x", -5, "s", 0xffu);
	int wn = snprintf(want, sizeof(want), "abc %d def %3000s|%-1000x", -5, "s", 0xffu);

	CHECK_EQ(n, wn);
	CHECK_EQ(c.len, (size_t)wn);
	CHECK(memcmp(c.buf, want, c.len) == 0);
	/* padding goes out in chunks, not one call per character */
	CHECK(c.calls < 400);

	c.len = 0;
	CHECK_EQ(collect_format(&c, ""), 0);
	CHECK_EQ(c.len, 0);
}

/* fmt_vformat must not consume the caller's va_list twice or skip args. */
static int twice(char *a, char *b, const char *fmt, ...)
{
	va_list ap, aq;
	int n1, n2;

	va_start(ap, fmt);
	va_copy(aq, ap);
	n1 = fmt_vsnprintf(a, 64, fmt, ap);
	n2 = fmt_vsnprintf(b, 64, fmt, aq);
	va_end(aq);
	va_end(ap);
	return n1 == n2 ? n1 : -1;
}

TEST(va_list_copies)
{
	char a[64], b[64];

	CHECK_EQ(twice(a, b, "%d %s %llx %c", 1, "two", 0x3ull, '4'), 9);
	CHECK_STR(a, "1 two 3 4");
	CHECK_STR(b, "1 two 3 4");
}

int main(void)
{
	return RUN_TESTS();
}
