// SPDX-License-Identifier: GPL-2.0
/*
 * What the code under test needs from the rest of the hypervisor: printk
 * collects messages so that tests can check what was reported.  And
 * helpers of the tests themselves.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jailhouse/mmio.h>

#include "test.h"

char printk_log[4096];

void printk_log_clear(void)
{
	printk_log[0] = '\0';
}

struct cell;

void printk(const char *fmt, ...);
void panic_printk(const char *fmt, ...);
void cell_printk(struct cell *cell, const char *fmt, ...);
void cell_printk_flush(struct cell *cell);

static void log_message(const char *fmt, va_list ap)
{
	size_t len = strlen(printk_log);

	vsnprintf(printk_log + len, sizeof(printk_log) - len, fmt, ap);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_message(fmt, ap);
	va_end(ap);
}

void panic_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_message(fmt, ap);
	va_end(ap);
}

/* Every line: the rate limit is printk.c's, tested in test-printk.c. */
void cell_printk(struct cell *cell, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_message(fmt, ap);
	va_end(ap);
}

/* Nothing left out by the cell_printk() above. */
void cell_printk_flush(struct cell *cell)
{
}

bool printk_log_contains(const char *text)
{
	return strstr(printk_log, text) != NULL;
}

unsigned long bitmap_weight(const unsigned long *addr, unsigned long size)
{
	unsigned long n, weight = 0;

	/* not jailhouse/bitops.h: its ffsl() clashes with <string.h>'s */
	for (n = 0; n < size; n++)
		weight += (addr[n / BITS_PER_LONG] >> (n % BITS_PER_LONG)) & 1;
	return weight;
}

__attribute__((weak)) void test_cpu_relax(void)
{
}

void *fake_device_abort_at;

/*
 * The architecture's device access: plain memory here, with the address
 * fake_device_abort_at answering with an abort.
 */
enum mmio_result arch_mmio_access(void *addr, struct mmio_access *mmio)
{
	if (addr == fake_device_abort_at)
		return MMIO_DEVICE_ABORT;
	if (mmio->is_write)
		memcpy(addr, &mmio->value, mmio->size);
	else {
		mmio->value = 0;
		memcpy(&mmio->value, addr, mmio->size);
	}
	return MMIO_HANDLED;
}
