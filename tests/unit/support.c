// SPDX-License-Identifier: GPL-2.0
/*
 * What the code under test needs from the rest of the hypervisor: printk
 * collects messages so that tests can check what was reported.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

char printk_log[4096];

void printk_log_clear(void)
{
	printk_log[0] = '\0';
}

void printk(const char *fmt, ...);

void printk(const char *fmt, ...)
{
	size_t len = strlen(printk_log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(printk_log + len, sizeof(printk_log) - len, fmt, ap);
	va_end(ap);
}

bool printk_log_contains(const char *text)
{
	return strstr(printk_log, text) != NULL;
}
