/*
 * string.h - the C memory and string functions for freestanding code: the
 * kernel, stage2 (16-bit, gcc -m16) and user programs.
 *
 * They carry the standard names on purpose: gcc and clang emit calls to
 * memcpy, memmove, memset and memcmp on their own (struct copies, large
 * initialisers) even with -ffreestanding, so those four must exist under
 * exactly these names in every freestanding binary.
 */
#ifndef SELFOS_LIB_STRING_H
#define SELFOS_LIB_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/*
 * Copy src into dst[size] as BSD strlcpy does: at most size - 1 characters,
 * always NUL-terminated when size > 0. Returns strlen(src), so
 * `str_lcpy(d, s, n) >= n` means the copy was truncated.
 */
size_t str_lcpy(char *dst, const char *src, size_t size);

#endif
