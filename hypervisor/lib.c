// SPDX-License-Identifier: GPL-2.0
/*
 * Freestanding string and memory functions.  The compiler also emits calls
 * to memcpy and memset for structure copies, so these must exist even where
 * no code calls them by name.
 */
#include <jailhouse/string.h>

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	unsigned long pattern;

	pattern = (unsigned char)c;
	pattern |= pattern << 8;
	pattern |= pattern << 16;
	pattern |= pattern << 32;

	while (n > 0 && ((unsigned long)p & (sizeof(long) - 1))) {
		*p++ = c;
		n--;
	}
	for (; n >= sizeof(long); n -= sizeof(long), p += sizeof(long))
		*(unsigned long *)p = pattern;
	while (n-- > 0)
		*p++ = c;
	return s;
}

void *memcpy(void *dest, const void *src, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	if ((((unsigned long)d | (unsigned long)s) & (sizeof(long) - 1)) == 0)
		for (; n >= sizeof(long); n -= sizeof(long)) {
			*(unsigned long *)d = *(const unsigned long *)s;
			d += sizeof(long);
			s += sizeof(long);
		}
	while (n-- > 0)
		*d++ = *s++;
	return dest;
}

int memcmp(const void *s1, const void *s2, size_t n)
{
	const unsigned char *a = s1, *b = s2;

	for (; n > 0; n--, a++, b++)
		if (*a != *b)
			return *a - *b;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

int strcmp(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	return (unsigned char)*s1 - (unsigned char)*s2;
}
