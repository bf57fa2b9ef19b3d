/*
 * fmt.c - the printf engine behind fmt.h.
 *
 * One pass over the format: literal runs go to the sink whole, each
 * conversion is parsed into a fmt_spec and rendered as
 *   [spaces] [sign or 0x] [zeros] body [spaces]
 * so padding never needs a buffer as wide as the field. Numbers are
 * converted in 64 bits (native division on x86_64; no libgcc is linked).
 */
#include "lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>

#define FMT_INT_MAX ((int)(~0u >> 1))

/* The signed/unsigned pairs %zd and %tu read must match their partners. */
_Static_assert(sizeof(ptrdiff_t) == sizeof(size_t), "%zd reads a ptrdiff_t");

enum {
	FMT_LEFT  = 1 << 0,	/* '-' */
	FMT_ZERO  = 1 << 1,	/* '0' */
	FMT_PLUS  = 1 << 2,	/* '+' */
	FMT_SPACE = 1 << 3,	/* ' ' */
	FMT_ALT   = 1 << 4,	/* '#' */
};

enum fmt_len { FMT_LEN_NONE, FMT_LEN_HH, FMT_LEN_H, FMT_LEN_L, FMT_LEN_LL,
	       FMT_LEN_Z, FMT_LEN_J, FMT_LEN_T };

struct fmt_spec {
	unsigned flags;
	int width;		/* 0 when absent */
	int prec;		/* -1 when absent */
	enum fmt_len len;
};

struct fmt_out {
	fmt_sink sink;
	void *ctx;
	size_t count;		/* characters produced so far */
};

static void fmt_emit(struct fmt_out *o, const char *s, size_t n)
{
	if (n) {
		o->sink(o->ctx, s, n);
		o->count += n;
	}
}

/* n copies of c, in chunks, so a field of any width needs no buffer. */
static void fmt_pad(struct fmt_out *o, char c, size_t n)
{
	static const char spaces[16] = "                ";
	static const char zeros[16] = "0000000000000000";
	const char *src = c == '0' ? zeros : spaces;

	while (n) {
		size_t k = n < sizeof(spaces) ? n : sizeof(spaces);

		fmt_emit(o, src, k);
		n -= k;
	}
}

/* Render a body of len chars with an optional prefix and zero run, padded. */
static void fmt_field(struct fmt_out *o, const struct fmt_spec *sp, const char *prefix,
		      size_t prefix_len, size_t zeros, const char *body, size_t len)
{
	size_t total = prefix_len + zeros + len;
	size_t pad = (size_t)sp->width > total ? (size_t)sp->width - total : 0;

	if (!(sp->flags & FMT_LEFT) && !(sp->flags & FMT_ZERO))
		fmt_pad(o, ' ', pad);
	fmt_emit(o, prefix, prefix_len);
	/* '0' pads after the sign/0x: "-0042", "0x00ff" */
	if (!(sp->flags & FMT_LEFT) && (sp->flags & FMT_ZERO))
		fmt_pad(o, '0', pad);
	fmt_pad(o, '0', zeros);
	fmt_emit(o, body, len);
	if (sp->flags & FMT_LEFT)
		fmt_pad(o, ' ', pad);
}

/*
 * An integer conversion. v is the magnitude; neg says a '-' belongs in
 * front. conv is d, u, o, x, X or p (p arrives with FMT_ALT set).
 */
static void fmt_integer(struct fmt_out *o, struct fmt_spec sp, char conv, uint64_t v, bool neg)
{
	const char *digits = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];		/* 22 octal digits hold 2^64 - 1 */
	char prefix[2];
	size_t n = 0, np = 0, zeros = 0;
	size_t end = sizeof(buf);

	/* C: a precision turns off '0'; precision 0 prints no digits for 0. */
	if (sp.prec >= 0)
		sp.flags &= ~(unsigned)FMT_ZERO;
	if (sp.flags & FMT_LEFT)
		sp.flags &= ~(unsigned)FMT_ZERO;

	if (conv == 'o') {
		for (; v; v >>= 3)
			buf[--end] = digits[v & 7];
	} else if (conv == 'x' || conv == 'X' || conv == 'p') {
		/* 0x only for a nonzero value: printf("%#x", 0) is "0". */
		if ((sp.flags & FMT_ALT) && v) {
			prefix[np++] = '0';
			prefix[np++] = conv == 'X' ? 'X' : 'x';
		}
		for (; v; v >>= 4)
			buf[--end] = digits[v & 15];
	} else {
		for (; v; v /= 10)
			buf[--end] = digits[v % 10];
		if (neg)
			prefix[np++] = '-';
		else if (sp.flags & FMT_PLUS)
			prefix[np++] = '+';
		else if (sp.flags & FMT_SPACE)
			prefix[np++] = ' ';
	}
	n = sizeof(buf) - end;

	if (sp.prec < 0 && n == 0)
		zeros = 1;			/* the value 0 with no precision: "0" */
	else if (sp.prec >= 0 && (size_t)sp.prec > n)
		zeros = (size_t)sp.prec - n;
	/* %#o: the precision grows until the first digit is a 0. */
	if (conv == 'o' && (sp.flags & FMT_ALT) && zeros == 0)
		zeros = 1;
	fmt_field(o, &sp, prefix, np, zeros, buf + end, n);
}

/* strlen that stops at max, so "%.3s" may point at an unterminated array. */
static size_t fmt_strnlen(const char *s, int max)
{
	size_t n = 0;

	while ((max < 0 || n < (size_t)max) && s[n])
		n++;
	return n;
}

/* Digits at *p, saturating at FMT_INT_MAX; *p moves past them. */
static int fmt_atoi(const char **p)
{
	int v = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++) {
		int d = **p - '0';

		v = v > (FMT_INT_MAX - d) / 10 ? FMT_INT_MAX : v * 10 + d;
	}
	return v;
}

static int64_t fmt_arg_signed(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case FMT_LEN_HH: return (signed char)va_arg(*ap, int);
	case FMT_LEN_H:  return (short)va_arg(*ap, int);
	case FMT_LEN_L:  return va_arg(*ap, long);
	case FMT_LEN_LL: return va_arg(*ap, long long);
	case FMT_LEN_Z:  return va_arg(*ap, ptrdiff_t);	/* size_t's signed twin */
	case FMT_LEN_J:  return va_arg(*ap, intmax_t);
	case FMT_LEN_T:  return va_arg(*ap, ptrdiff_t);
	default:         return va_arg(*ap, int);
	}
}

static uint64_t fmt_arg_unsigned(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case FMT_LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case FMT_LEN_H:  return (unsigned short)va_arg(*ap, unsigned int);
	case FMT_LEN_L:  return va_arg(*ap, unsigned long);
	case FMT_LEN_LL: return va_arg(*ap, unsigned long long);
	case FMT_LEN_Z:  return va_arg(*ap, size_t);
	case FMT_LEN_J:  return va_arg(*ap, uintmax_t);
	case FMT_LEN_T:  return va_arg(*ap, size_t);	/* ptrdiff_t's unsigned twin */
	default:         return va_arg(*ap, unsigned int);
	}
}

/*
 * Parse and render the conversion after a '%' at *pp; *pp moves past it.
 * Returns false if the conversion is not one we know, leaving *pp at the
 * offending character (or the terminating NUL).
 */
static bool fmt_conversion(struct fmt_out *o, const char **pp, va_list *ap)
{
	const char *p = *pp;
	struct fmt_spec sp = { 0, 0, -1, FMT_LEN_NONE };

	for (;; p++) {
		unsigned f = *p == '-' ? FMT_LEFT : *p == '0' ? FMT_ZERO : *p == '+' ? FMT_PLUS
			   : *p == ' ' ? FMT_SPACE : *p == '#' ? FMT_ALT : 0;
		if (!f)
			break;
		sp.flags |= f;
	}
	if (*p == '*') {
		int w = va_arg(*ap, int);

		p++;
		if (w < 0) {
			sp.flags |= FMT_LEFT;
			w = w == -FMT_INT_MAX - 1 ? FMT_INT_MAX : -w;
		}
		sp.width = w;
	} else {
		sp.width = fmt_atoi(&p);
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			int pr = va_arg(*ap, int);

			p++;
			sp.prec = pr < 0 ? -1 : pr;
		} else {
			sp.prec = fmt_atoi(&p);	/* "." alone means 0 */
		}
	}
	switch (*p) {
	case 'h': sp.len = p[1] == 'h' ? (p++, FMT_LEN_HH) : FMT_LEN_H; p++; break;
	case 'l': sp.len = p[1] == 'l' ? (p++, FMT_LEN_LL) : FMT_LEN_L; p++; break;
	case 'z': sp.len = FMT_LEN_Z; p++; break;
	case 'j': sp.len = FMT_LEN_J; p++; break;
	case 't': sp.len = FMT_LEN_T; p++; break;
	default: break;
	}

	*pp = p;
	switch (*p) {
	case 'd':
	case 'i': {
		int64_t v = fmt_arg_signed(ap, sp.len);
		/* 0 - (uint64_t)v is the magnitude even for INT64_MIN. */
		fmt_integer(o, sp, 'd', v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
		break;
	}
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		sp.flags &= ~(unsigned)(FMT_PLUS | FMT_SPACE);	/* signs are for %d only */
		fmt_integer(o, sp, *p, fmt_arg_unsigned(ap, sp.len), false);
		break;
	case 'p': {
		void *ptr;

		if (sp.len != FMT_LEN_NONE)
			return false;
		ptr = va_arg(*ap, void *);
		if (!ptr) {
			fmt_field(o, &(struct fmt_spec){ sp.flags & FMT_LEFT, sp.width, -1, FMT_LEN_NONE },
				  "", 0, 0, "(nil)", 5);
			break;
		}
		sp.flags |= FMT_ALT;
		sp.flags &= ~(unsigned)(FMT_PLUS | FMT_SPACE);
		fmt_integer(o, sp, 'p', (uintptr_t)ptr, false);
		break;
	}
	case 's': {
		const char *s;

		if (sp.len != FMT_LEN_NONE)	/* %ls is wchar_t: not ours to read */
			return false;
		s = va_arg(*ap, const char *);
		if (!s)
			s = sp.prec < 0 || sp.prec >= 6 ? "(null)" : "";
		sp.flags &= FMT_LEFT;		/* '0' pads strings with spaces */
		fmt_field(o, &sp, "", 0, 0, s, fmt_strnlen(s, sp.prec));
		break;
	}
	case 'c': {
		char c;

		if (sp.len != FMT_LEN_NONE)	/* %lc is wint_t */
			return false;
		c = (char)va_arg(*ap, int);
		sp.flags &= FMT_LEFT;
		fmt_field(o, &sp, "", 0, 0, &c, 1);
		break;
	}
	case '%':
		fmt_emit(o, "%", 1);
		break;
	default:
		return false;
	}
	*pp = p + 1;
	return true;
}

int fmt_vformat(fmt_sink out, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out o = { out, ctx, 0 };
	va_list aq;

	/* A copy we can pass by pointer: va_list may be an array type. */
	va_copy(aq, ap);
	while (*fmt) {
		const char *run = fmt;

		while (*fmt && *fmt != '%')
			fmt++;
		fmt_emit(&o, run, (size_t)(fmt - run));
		if (!*fmt)
			break;

		run = fmt++;
		if (!fmt_conversion(&o, &fmt, &aq)) {
			/* Unknown: show it as written, including the bad char. */
			if (*fmt)
				fmt++;
			fmt_emit(&o, run, (size_t)(fmt - run));
		}
	}
	va_end(aq);
	return o.count > (size_t)FMT_INT_MAX ? -1 : (int)o.count;
}

struct fmt_buf {
	char *buf;
	size_t size;		/* room for size - 1 chars and the NUL */
	size_t len;		/* chars produced, stored or not */
};

static void fmt_buf_sink(void *ctx, const char *s, size_t n)
{
	struct fmt_buf *b = ctx;
	size_t room = b->len + 1 < b->size ? b->size - 1 - b->len : 0;

	for (size_t i = 0; i < n && i < room; i++)
		b->buf[b->len + i] = s[i];
	b->len += n;	/* keep counting past the end: that is the return value */
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = { buf, size, 0 };
	int ret = fmt_vformat(fmt_buf_sink, &b, fmt, ap);

	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return ret;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
