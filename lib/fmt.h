/*
 * fmt.h - printf-style formatting for the kernel and user programs, with no
 * libc and no floating point.
 *
 * The formatter hands its output to a sink in pieces, so the same code prints
 * to the serial port, the screen or a buffer. Supported:
 *
 *   conversions  d i u o x X p s c %
 *   flags        - 0 + space #
 *   width        digits or *   (a negative * width means '-' and its size)
 *   precision    .digits or .* (a negative * precision counts as none)
 *   length       hh h l ll z j t
 *
 * with C99 meaning throughout. On top of C: %p prints "(nil)" for NULL and
 * 0x<lowercase hex> otherwise (as glibc does, but ignoring + and space);
 * %s of NULL prints "(null)" (nothing when the precision is below 6, as
 * glibc does); anything not listed above (%n, %f, %ls, ...) is copied to
 * the output literally, from the '%' to the offending character, and never
 * reads or writes through an argument.
 */
#ifndef SELFOS_LIB_FMT_H
#define SELFOS_LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives n bytes at s (not NUL-terminated; n may be any size >= 1). */
typedef void (*fmt_sink)(void *ctx, const char *s, size_t n);

/*
 * Format into the sink. Returns the number of characters produced, or -1 if
 * that number does not fit in an int (the sink has still seen all of them).
 */
int fmt_vformat(fmt_sink out, void *ctx, const char *fmt, va_list ap);

/*
 * C99 vsnprintf/snprintf: write at most size bytes including the NUL, always
 * NUL-terminate when size > 0, and return the length the whole output would
 * have had (so `ret >= size` means truncation). With size 0 nothing is
 * written and buf may be NULL.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
