/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypervisor console output: the console ring that "jailhouse console"
 * reads (when the system config asks for it) and the debug UART.
 *
 * Formats: %d %i %u %x %X %o %c %s %p %%, with the length modifiers l, ll
 * and z, a field width and '0' padding, and '-' for left alignment.
 */
#ifndef _JAILHOUSE_PRINTK_H
#define _JAILHOUSE_PRINTK_H

#include <jailhouse/types.h>
#include <jailhouse/header.h>
#include <jailhouse/spinlock.h>

struct cell;

/* What cell_printk() let through of a cell's lines lately. */
struct cell_msg_limit {
	spinlock_t lock;
	/* arch_time_us() of the window's first line */
	unsigned long window_start;
	unsigned int printed;
	unsigned int dropped;
};

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A line about what @cell did that it may do again without end (an access
 * refused, an instruction done otherwise): rate-limited per cell.
 */
void cell_printk(struct cell *cell, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* How many of @cell's lines cell_printk() left out, if any, as it goes. */
void cell_printk_flush(struct cell *cell);
/*
 * For use when the state of the hypervisor is broken: does not wait for the
 * console lock if another CPU holds it.
 */
void panic_printk(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* vsnprintf-like formatter shared by both; returns the length it needed. */
int format_string(char *buf, size_t size, const char *fmt,
		  __builtin_va_list ap);

/* Console set-up during global init; the debug UART may be absent. */
int console_init(void);
/* One character from a cell's debug-console hypercall. */
void console_putc_from_cell(char c);

extern struct jailhouse_console_page console_page;

#endif /* !_JAILHOUSE_PRINTK_H */
