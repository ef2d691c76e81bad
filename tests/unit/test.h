/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Common includes of the unit tests: cmocka wants its prerequisites first.
 * The string functions come from the hypervisor's jailhouse/string.h (same
 * prototypes as libc's): glibc's <string.h> declares an ffsl() that
 * clashes with the hypervisor's.
 */
#ifndef _TEST_H
#define _TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <jailhouse/string.h>

/* support.c: printk() of the code under test writes here. */
extern char printk_log[4096];
void printk_log_clear(void);
bool printk_log_contains(const char *text);

/* support.c: arch_mmio_access() answers an abort at this address. */
extern void *fake_device_abort_at;

/* Number of set bits among the first @size of @addr. */
unsigned long bitmap_weight(const unsigned long *addr, unsigned long size);

#endif /* !_TEST_H */
