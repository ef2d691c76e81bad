// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Formatted output: %d %i %u %x %X %p %s %c %%, with the flags '-' and '0',
 * a field width and the length modifiers l, ll and z.
 */
#include <lib.h>

typedef __builtin_va_list va_list;
#define va_start(ap, last)	__builtin_va_start(ap, last)
#define va_arg(ap, type)	__builtin_va_arg(ap, type)
#define va_end(ap)		__builtin_va_end(ap)

/* Longest line printk() emits in one go; longer ones are cut */
#define PRINTK_BUFFER		256

struct out {
	char *buf;
	size_t size;
	size_t len;	/* as if the buffer were large enough */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_field(struct out *o, const char *s, size_t len,
		      unsigned int width, bool left, char pad)
{
	size_t n;

	if (!left)
		for (n = len; n < width; n++)
			out_char(o, pad);
	for (n = 0; n < len; n++)
		out_char(o, s[n]);
	if (left)
		for (n = len; n < width; n++)
			out_char(o, ' ');
}

static void out_number(struct out *o, unsigned long long val, bool negative,
		       unsigned int base, bool upper, unsigned int width,
		       bool left, char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = sizeof(tmp);

	do {
		tmp[--n] = digits[val % base];
		val /= base;
	} while (val);

	if (negative) {
		if (pad == '0') {
			/* the sign goes before the zeros */
			out_char(o, '-');
			if (width)
				width--;
		} else {
			tmp[--n] = '-';
		}
	}
	out_field(o, tmp + n, sizeof(tmp) - n, width, left, pad);
}

static int vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	unsigned long long uval;
	long long sval;
	unsigned int width, longs;
	bool left, upper;
	const char *s;
	char pad, c;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}

		left = false;
		pad = ' ';
		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				left = true;
			else
				pad = '0';
		}
		if (left)
			pad = ' ';
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + *fmt - '0';
		/* size_t is unsigned long here */
		for (longs = 0; *fmt == 'l' || *fmt == 'z'; fmt++)
			longs++;

		upper = false;
		switch (*fmt) {
		case 'd':
		case 'i':
			if (longs >= 2)
				sval = va_arg(ap, long long);
			else if (longs == 1)
				sval = va_arg(ap, long);
			else
				sval = va_arg(ap, int);
			uval = sval < 0 ? -(unsigned long long)sval :
				(unsigned long long)sval;
			out_number(&o, uval, sval < 0, 10, false, width, left,
				   pad);
			break;
		case 'X':
			upper = true;
			/* fall through */
		case 'u':
		case 'x':
			if (longs >= 2)
				uval = va_arg(ap, unsigned long long);
			else if (longs == 1)
				uval = va_arg(ap, unsigned long);
			else
				uval = va_arg(ap, unsigned int);
			out_number(&o, uval, false, *fmt == 'u' ? 10 : 16,
				   upper, width, left, pad);
			break;
		case 'p':
			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, (unsigned long)va_arg(ap, void *), false,
				   16, false, width, left, pad);
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			out_field(&o, s, strlen(s), width, left, ' ');
			break;
		case 'c':
			c = va_arg(ap, int);
			out_field(&o, &c, 1, width, left, ' ');
			break;
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vformat(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

void printk(const char *fmt, ...)
{
	char buf[PRINTK_BUFFER];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, (size_t)len < sizeof(buf) ? (size_t)len :
		      sizeof(buf) - 1);
}
