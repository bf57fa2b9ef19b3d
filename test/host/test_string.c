/*
 * test_string.c - lib/string.c against the host libc and against plain
 * byte-loop references: every source/destination alignment and every length
 * 0..64 (plus page-sized blocks) for the word-at-a-time paths, memmove
 * overlaps in both directions and at distances below a word, the unsigned
 * comparison rule, and str_lcpy at every buffer size with exact-size heap
 * buffers so ASan catches any access outside them.
 *
 * The functions are compiled here under selfos_ names so they do not clash
 * with the host libc that check.h already pulled in.
 */
#include <stdint.h>
#include <stdlib.h>

#include "test/host/check.h"

#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#define memcpy selfos_memcpy
#define memmove selfos_memmove
#define memset selfos_memset
#define memcmp selfos_memcmp
#define strlen selfos_strlen
#define strnlen selfos_strnlen
#define strcmp selfos_strcmp
#define strncmp selfos_strncmp
#define strchr selfos_strchr
#include "lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr

#define BUF 512
#define MAXLEN 64

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* A recognisable pattern, different for each buffer via seed. */
static void fill(unsigned char *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 131 + seed * 17 + 1);
}

/* Lengths 0..MAXLEN plus sizes that run many words and end misaligned. */
static const size_t big_lengths[] = { 127, 128, 129, 255, 300 };

TEST(memcpy_every_alignment_and_length)
{
	static unsigned char src[BUF], dst[BUF], want[BUF];

	for (size_t so = 0; so < 16; so++)
		for (size_t dof = 0; dof < 16; dof++)
			for (size_t k = 0; k <= MAXLEN + sizeof(big_lengths) / sizeof(big_lengths[0]); k++) {
				size_t n = k <= MAXLEN ? k : big_lengths[k - MAXLEN - 1];

				fill(src, BUF, 1);
				fill(dst, BUF, 2);
				memcpy(want, dst, BUF);
				for (size_t i = 0; i < n; i++)
					want[dof + i] = src[so + i];
				CHECK(selfos_memcpy(dst + dof, src + so, n) == dst + dof);
				if (memcmp(dst, want, BUF) != 0) {
					printf("  memcpy src+%zu dst+%zu n=%zu wrong\n", so, dof, n);
					check_failed_now = 1;
					return;
				}
			}
}

TEST(memcpy_page)
{
	unsigned char *a = malloc(4096), *b = malloc(4096);

	fill(a, 4096, 3);
	CHECK(selfos_memcpy(b, a, 4096) == b);
	CHECK(memcmp(a, b, 4096) == 0);
	free(a);
	free(b);
}

/*
 * Inside one buffer, every source and destination offset 0..23 (so the
 * distance runs from -23 to +23, through 0 and below a word) and every
 * length, against libc's memmove on an identical copy.
 */
TEST(memmove_overlap_both_directions)
{
	static unsigned char buf[BUF], want[BUF];

	for (size_t so = 0; so < 24; so++)
		for (size_t dof = 0; dof < 24; dof++)
			for (size_t k = 0; k <= MAXLEN + sizeof(big_lengths) / sizeof(big_lengths[0]); k++) {
				size_t n = k <= MAXLEN ? k : big_lengths[k - MAXLEN - 1];

				fill(buf, BUF, 4);
				memcpy(want, buf, BUF);
				memmove(want + dof, want + so, n);
				CHECK(selfos_memmove(buf + dof, buf + so, n) == buf + dof);
				if (memcmp(buf, want, BUF) != 0) {
					printf("  memmove src+%zu dst+%zu n=%zu wrong\n", so, dof, n);
					check_failed_now = 1;
					return;
				}
			}
}

TEST(memmove_disjoint_and_far)
{
	unsigned char *a = malloc(8192);

	fill(a, 8192, 5);
	/* 4 KiB shifted by one byte each way: the word loop with skewed pointers */
	unsigned char *want = malloc(8192);
	memcpy(want, a, 8192);
	memmove(want + 1, want, 4096);
	selfos_memmove(a + 1, a, 4096);
	CHECK(memcmp(a, want, 8192) == 0);
	memmove(want, want + 1, 4096);
	selfos_memmove(a, a + 1, 4096);
	CHECK(memcmp(a, want, 8192) == 0);
	/* disjoint halves, and n = 0 with any pointers */
	memmove(want, want + 4096, 4000);
	selfos_memmove(a, a + 4096, 4000);
	CHECK(memcmp(a, want, 8192) == 0);
	CHECK(selfos_memmove(a, a, 8192) == a);
	CHECK(selfos_memmove(a + 3, a, 0) == a + 3);
	CHECK(memcmp(a, want, 8192) == 0);
	free(a);
	free(want);
}

TEST(memset_every_alignment_length_value)
{
	static unsigned char buf[BUF], want[BUF];
	static const int values[] = { 0, 0xAB, 0x1FF, -1, 0x80, 0x7F };

	for (size_t vi = 0; vi < sizeof(values) / sizeof(values[0]); vi++)
		for (size_t off = 0; off < 16; off++)
			for (size_t k = 0; k <= MAXLEN + sizeof(big_lengths) / sizeof(big_lengths[0]); k++) {
				size_t n = k <= MAXLEN ? k : big_lengths[k - MAXLEN - 1];

				fill(buf, BUF, 6);
				memcpy(want, buf, BUF);
				memset(want + off, values[vi], n);
				CHECK(selfos_memset(buf + off, values[vi], n) == buf + off);
				if (memcmp(buf, want, BUF) != 0) {
					printf("  memset off %zu n=%zu c=%d wrong\n", off, n, values[vi]);
					check_failed_now = 1;
					return;
				}
			}
}

TEST(memcmp_sign_and_unsigned_bytes)
{
	unsigned char a[MAXLEN], b[MAXLEN];

	for (size_t n = 0; n <= MAXLEN; n++) {
		fill(a, MAXLEN, 7);
		memcpy(b, a, MAXLEN);
		CHECK_EQ(selfos_memcmp(a, b, n), 0);
		/* one difference at each position, in each direction */
		for (size_t i = 0; i < n; i++) {
			b[i] = 0x80;
			a[i] = 0x01;
			CHECK_EQ(sign(selfos_memcmp(a, b, n)), -1);	/* 0x01 < 0x80 */
			CHECK_EQ(sign(selfos_memcmp(b, a, n)), 1);
			CHECK_EQ(sign(selfos_memcmp(a, b, n)), sign(memcmp(a, b, n)));
			CHECK_EQ(selfos_memcmp(a, b, i), 0);		/* stops before it */
			b[i] = a[i];
		}
	}
	CHECK_EQ(selfos_memcmp(NULL, NULL, 0), 0);
}

/* Exact-size heap copies: reading one byte too far is an ASan error. */
static char *heap_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	memcpy(p, s, n);
	return p;
}

TEST(strlen_strnlen)
{
	char buf[MAXLEN + 16];

	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n < MAXLEN; n++) {
			memset(buf, 'x', sizeof(buf));
			buf[off + n] = '\0';
			CHECK_EQ(selfos_strlen(buf + off), n);
			CHECK_EQ(selfos_strnlen(buf + off, n + 5), n);
			CHECK_EQ(selfos_strnlen(buf + off, n), n);
			if (n)
				CHECK_EQ(selfos_strnlen(buf + off, n - 1), n - 1);
		}
	/* strnlen must not look past max in an unterminated buffer */
	char *raw = malloc(5);
	memcpy(raw, "abcde", 5);
	CHECK_EQ(selfos_strnlen(raw, 5), 5);
	CHECK_EQ(selfos_strnlen(raw, 0), 0);
	free(raw);

	char *e = heap_str("");
	CHECK_EQ(selfos_strlen(e), 0);
	free(e);
}

TEST(strcmp_strncmp_against_libc)
{
	static const char *const s[] = {
		"", "a", "b", "ab", "abc", "abd", "abcd", "ABC", "\x80", "\xff", "a\x80", "a\x01",
		"zzzzzzzzzzzzzzzzzzzz", "zzzzzzzzzzzzzzzzzzzy",
	};
	size_t n = sizeof(s) / sizeof(s[0]);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			char *a = heap_str(s[i]), *b = heap_str(s[j]);

			CHECK_EQ(sign(selfos_strcmp(a, b)), sign(strcmp(a, b)));
			for (size_t k = 0; k < 24; k++)
				CHECK_EQ(sign(selfos_strncmp(a, b, k)), sign(strncmp(a, b, k)));
			free(a);
			free(b);
		}
	CHECK(selfos_strcmp("\x80", "a") > 0);		/* unsigned char order */
	CHECK_EQ(selfos_strncmp("abc", "abd", 2), 0);
	CHECK_EQ(selfos_strncmp("x", "y", 0), 0);
	/* strncmp stops at n even without a terminator */
	char *u = malloc(3), *v = malloc(3);
	memcpy(u, "abc", 3);
	memcpy(v, "abc", 3);
	CHECK_EQ(selfos_strncmp(u, v, 3), 0);
	free(u);
	free(v);
}

TEST(strchr_cases)
{
	char *s = heap_str("hello\xe9world");

	CHECK(selfos_strchr(s, 'h') == s);
	CHECK(selfos_strchr(s, 'o') == s + 4);		/* the first one */
	CHECK(selfos_strchr(s, 'd') == s + 10);
	CHECK(selfos_strchr(s, 'z') == NULL);
	CHECK(selfos_strchr(s, '\0') == s + 11);	/* the terminator counts */
	CHECK(selfos_strchr(s, 0xe9) == s + 5);	/* c converted to char */
	CHECK(selfos_strchr(s, (char)0xe9) == s + 5);
	CHECK(selfos_strchr(s, 0x100 + 'w') == s + 6);
	for (int c = 0; c < 256; c++)
		CHECK(selfos_strchr(s, c) == strchr(s, c));
	free(s);
}

TEST(str_lcpy_every_size)
{
	static const char *const srcs[] = { "", "a", "hello", "exactly sixteen!", "a string longer than a few words" };

	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		char *src = heap_str(srcs[i]);
		size_t len = strlen(src);

		for (size_t size = 0; size <= len + 2; size++) {
			char *dst = size ? malloc(size) : NULL;

			if (size)
				memset(dst, 0x5A, size);
			CHECK_EQ(str_lcpy(dst, src, size), len);
			if (size) {
				size_t kept = len < size ? len : size - 1;

				CHECK(memcmp(dst, src, kept) == 0);
				CHECK_EQ(dst[kept], '\0');
			}
			free(dst);
		}
		free(src);
	}
}

int main(void)
{
	return RUN_TESTS();
}
