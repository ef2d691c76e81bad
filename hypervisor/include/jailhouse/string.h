/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Freestanding string functions (lib.c).
 */
#ifndef _JAILHOUSE_STRING_H
#define _JAILHOUSE_STRING_H

#include <jailhouse/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dest, const void *src, size_t n);
int memcmp(const void *s1, const void *s2, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *s1, const char *s2);

#endif /* !_JAILHOUSE_STRING_H */
