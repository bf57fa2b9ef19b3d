/*
 * check.h - what the misbehaving-program suite's C programs share: print a
 * line, and end with the documented exit code only if a call returned what
 * user/README.md says it returns.
 */
#ifndef SELFOS_TEST_USER_CHECK_H
#define SELFOS_TEST_USER_CHECK_H

#include "lib/string.h"
#include "user/syscall.h"

static inline void say(const char *s)
{
	sys_write(s, strlen(s));
}

/* Decimal of v into buf (at least 21 bytes), NUL-terminated. */
static inline const char *dec(long v, char *buf)
{
	char tmp[21];
	unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
	int n = 0;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	int i = 0;
	if (v < 0)
		buf[i++] = '-';
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = 0;
	return buf;
}

/* "<what>: got <got>" and exit(code) unless got == want. */
static inline void expect(const char *what, long got, long want, int code)
{
	char b[24];
	say(what);
	say(": got ");
	say(dec(got, b));
	say("\n");
	if (got != want)
		sys_exit(code);
}

#endif
