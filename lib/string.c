/*
 * string.c - memory and string functions, freestanding.
 *
 * Shared with 16-bit stage2 (gcc -m16 -march=i386), so all arithmetic here
 * stays in size_t and smaller: no 64-bit types, nothing that would need a
 * libgcc helper. memcpy/memmove/memset move a machine word (size_t) at a
 * time once both pointers are word aligned: the kernel copies page-sized
 * blocks, and byte loops would cost 4-8x there.
 */
#include "lib/string.h"

#include <stdint.h>

/*
 * gcc recognises a byte-copy or byte-fill loop and replaces it with a call
 * to memcpy/memset - inside memcpy that is infinite recursion. Turning off
 * that one pass (as glibc does for its own C fallbacks) keeps the loops.
 * clang's equivalent (loop idiom recognition) never fires in functions named
 * like the routine it would call, and is off under -fno-builtin.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define STRING_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define STRING_NO_LIBCALL
#endif

/* A word that may alias any object, so word loops stay within the rules. */
typedef size_t __attribute__((may_alias)) string_word;

#define STRING_WSIZE sizeof(string_word)
#define STRING_WMASK (STRING_WSIZE - 1)

STRING_NO_LIBCALL
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Words only pay off when both pointers can become aligned together. */
	if (n >= 2 * STRING_WSIZE && (((uintptr_t)d ^ (uintptr_t)s) & STRING_WMASK) == 0) {
		while ((uintptr_t)d & STRING_WMASK) {
			*d++ = *s++;
			n--;
		}
		for (; n >= STRING_WSIZE; n -= STRING_WSIZE) {
			*(string_word *)(void *)d = *(const string_word *)(const void *)s;
			d += STRING_WSIZE;
			s += STRING_WSIZE;
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

/*
 * Overlap decides the direction: copying forwards is safe when dst is below
 * src, backwards when it is above. The comparison is on uintptr_t because
 * relational operators between pointers into different objects are not
 * defined in C.
 */
STRING_NO_LIBCALL
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	int aligned = (((uintptr_t)d ^ (uintptr_t)s) & STRING_WMASK) == 0;

	if (d == s || n == 0)
		return dst;
	if ((uintptr_t)d < (uintptr_t)s) {
		if (aligned && n >= 2 * STRING_WSIZE) {
			while ((uintptr_t)d & STRING_WMASK) {
				*d++ = *s++;
				n--;
			}
			/* A word is read whole before it is written, so an
			 * overlap closer than a word is still copied right. */
			for (; n >= STRING_WSIZE; n -= STRING_WSIZE) {
				*(string_word *)(void *)d = *(const string_word *)(const void *)s;
				d += STRING_WSIZE;
				s += STRING_WSIZE;
			}
		}
		while (n--)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		if (aligned && n >= 2 * STRING_WSIZE) {
			while ((uintptr_t)d & STRING_WMASK) {
				*--d = *--s;
				n--;
			}
			for (; n >= STRING_WSIZE; n -= STRING_WSIZE) {
				d -= STRING_WSIZE;
				s -= STRING_WSIZE;
				*(string_word *)(void *)d = *(const string_word *)(const void *)s;
			}
		}
		while (n--)
			*--d = *--s;
	}
	return dst;
}

STRING_NO_LIBCALL
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char b = (unsigned char)c;

	if (n >= 2 * STRING_WSIZE) {
		/* ~0 / 0xFF is 0x0101...01 at any word width. */
		string_word w = ((string_word)~(string_word)0 / 0xFF) * b;

		while ((uintptr_t)d & STRING_WMASK) {
			*d++ = b;
			n--;
		}
		for (; n >= STRING_WSIZE; n -= STRING_WSIZE) {
			*(string_word *)(void *)d = w;
			d += STRING_WSIZE;
		}
	}
	while (n--)
		*d++ = b;
	return dst;
}

STRING_NO_LIBCALL
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* The C standard compares as unsigned char: "\x80" sorts after "a". */
int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p - *q;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			break;
	}
	return 0;
}

/* The terminator counts as part of the string: strchr(s, 0) finds it. */
char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

size_t str_lcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
