// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the hypervisor console (hypervisor/printk.c): the
 * formatter, against the host's snprintf where both define the result,
 * the way lines reach the console ring page and the debug UART, the ring
 * wrapping around, and the rate limit of what cells make it say.  The UART
 * is a fake arch hook that collects what it is given, the clock a fake
 * that the tests move.
 */
#include "test.h"

#include <limits.h>
#include <stdio.h>

#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/printk.h>
#include <jailhouse/utils.h>

static struct jailhouse_system config;
struct jailhouse_system *system_config = &config;

/* --- fake debug UART -------------------------------------------------- */

static int uart_init_result;
static char uart[2 * JAILHOUSE_CONSOLE_SIZE];
static size_t uart_len;

int arch_dbg_console_init(void)
{
	return uart_init_result;
}

void arch_dbg_console_write(const char *buf, unsigned int len)
{
	assert_true(uart_len + len < sizeof(uart));
	memcpy(uart + uart_len, buf, len);
	uart_len += len;
	uart[uart_len] = '\0';
}

/* --- fake clock ------------------------------------------------------ */

static unsigned long now_us;

unsigned long arch_time_us(void)
{
	return now_us;
}

/* --- the formatter ---------------------------------------------------- */

static int format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = format_string(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

#define assert_format(expected, fmt, ...)				\
	do {								\
		char __buf[128];					\
		int __len = format(__buf, sizeof(__buf), fmt,		\
				   ##__VA_ARGS__);			\
		assert_string_equal(__buf, expected);			\
		assert_int_equal(__len, strlen(expected));		\
	} while (0)

/* The same as the host's snprintf. */
#define assert_like_libc(fmt, ...)					\
	do {								\
		char __libc[128];					\
		snprintf(__libc, sizeof(__libc), fmt, ##__VA_ARGS__);	\
		assert_format(__libc, fmt, ##__VA_ARGS__);		\
	} while (0)

static void test_integers(void **state)
{
	assert_like_libc("%d %i %d", 0, 42, -42);
	assert_like_libc("%d %d", INT_MAX, INT_MIN);
	assert_like_libc("%u %u", 0U, UINT_MAX);
	assert_like_libc("%x %X %o", 0xbeefU, 0xbeefU, 8U);
	assert_like_libc("%ld %lu %lx", LONG_MIN, ULONG_MAX, 0x1234UL);
	assert_like_libc("%lld %llu %llx", LLONG_MAX, ULLONG_MAX,
			 0xfedcba9876543210ULL);
	assert_like_libc("%lld", LLONG_MIN);
	assert_like_libc("%zu %zx", (size_t)4096, (size_t)0xfff);
	/* only the low 32 bits of an int argument */
	assert_like_libc("%x", -1);
}

static void test_widths(void **state)
{
	assert_like_libc("[%5d] [%-5d] [%05d]", 42, 42, 42);
	assert_like_libc("[%5d] [%-5d] [%05d]", -42, -42, -42);
	assert_like_libc("[%08lx] [%-8x] [%2x]", 0xabcUL, 0xabcU, 0xabcdeU);
	/* '-' wins over '0', as in C */
	assert_format("[42   ]", "[%-05d]", 42);
	assert_format("[42   ]", "[%0-5d]", 42);
	assert_like_libc("[%3s] [%-3s] [%s]", "a", "b", "long");
	assert_like_libc("[%10s]", "ten chars!");
}

static void test_other_conversions(void **state)
{
	assert_like_libc("%c%c%c", 'a', 'b', 'c');
	assert_like_libc("100%%");
	assert_like_libc("%s", "");
	assert_format("(null)", "%s", (char *)NULL);
	assert_format("0x1000", "%p", (void *)0x1000);
	assert_format("0x0000beef", "%010p", (void *)0xbeef);
	assert_format("0x0", "%p", NULL);
	/* what it does not know, it prints as it is */
	assert_format("%q %f", "%q %f");
	/* a lone '%' at the end is dropped */
	assert_format("end", "end%");
}

static void test_truncation(void **state)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	/* the length it needed, the buffer always terminated */
	assert_int_equal(format(buf, sizeof(buf), "%s-%d", "hello", 1234),
			 10);
	assert_string_equal(buf, "hello-1");
	assert_int_equal(format(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	assert_int_equal(format(buf, 0, "abc"), 3);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(format(buf, sizeof(buf), "1234567"), 7);
	assert_string_equal(buf, "1234567");
}

/* --- the console ---------------------------------------------------- */

static int setup(void **state)
{
	config.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE;
	uart_init_result = 1;
	uart_len = 0;
	uart[0] = '\0';
	memset(&console_page, 0x55, sizeof(console_page));
	return console_init();
}

/* The last @len characters of the ring, oldest first. */
static void ring_tail(char *buf, unsigned int len)
{
	unsigned int n, tail = console_page.tail;

	for (n = 0; n < len; n++)
		buf[n] = console_page.content[(tail - len + n) %
					      JAILHOUSE_CONSOLE_SIZE];
	buf[len] = '\0';
}

static void test_console_init(void **state)
{
	/* an empty ring, not busy */
	assert_int_equal(console_page.busy, 0);
	assert_int_equal(console_page.tail, 0);

	uart_init_result = -ENODEV;
	assert_int_equal(console_init(), -ENODEV);
}

static void test_printk_ring_and_uart(void **state)
{
	char ring[64];

	printk("CPU %u: %s\n", 3, "up");
	assert_string_equal(uart, "CPU 3: up\n");
	assert_int_equal(console_page.tail, 10);
	ring_tail(ring, 10);
	assert_string_equal(ring, "CPU 3: up\n");
	/* even: no writer inside */
	assert_int_equal(console_page.busy, 2);

	panic_printk("FATAL %d\n", -1);
	console_putc_from_cell('x');
	assert_string_equal(uart, "CPU 3: up\nFATAL -1\nx");
	assert_int_equal(console_page.tail, 20);
	ring_tail(ring, 20);
	assert_string_equal(ring, "CPU 3: up\nFATAL -1\nx");
	assert_int_equal(console_page.busy, 6);
}

static void test_no_ring(void **state)
{
	config.flags = 0;
	assert_int_equal(console_init(), 0);
	printk("uart only\n");
	assert_string_equal(uart, "uart only\n");
	assert_int_equal(console_page.tail, 0);
	assert_int_equal(console_page.busy, 0);
}

static void test_no_uart(void **state)
{
	char ring[16];

	uart_init_result = 0;
	assert_int_equal(console_init(), 0);
	printk("ring only\n");
	assert_int_equal(uart_len, 0);
	ring_tail(ring, 10);
	assert_string_equal(ring, "ring only\n");
}

static void test_long_line(void **state)
{
	char line[400];

	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	/* cut to the line buffer of the formatter, 255 characters */
	printk("%s", line);
	assert_int_equal(uart_len, 255);
	assert_int_equal(console_page.tail, 255);
}

static void test_ring_wraps(void **state)
{
	char line[64], ring[64];
	unsigned int n, written = 0;

	/* more than the ring holds: the newest text wins */
	for (n = 0; written < 2 * JAILHOUSE_CONSOLE_SIZE + 7; n++) {
		written += format(line, sizeof(line), "line %u\n", n);
		uart_len = 0;
		printk("line %u\n", n);
	}
	assert_int_equal(console_page.tail, written);
	ring_tail(ring, strlen(line));
	assert_string_equal(ring, line);
	/* the oldest text still in the ring is whole up to its tail end */
	assert_int_equal(console_page.content[(written - 1) %
					      JAILHOUSE_CONSOLE_SIZE], '\n');
	assert_int_equal(console_page.busy % 2, 0);
	assert_int_equal(console_page.busy, 2 * n);
}

/* not <string.h>: its ffsl() clashes with jailhouse/bitops.h's */
char *strstr(const char *haystack, const char *needle);

static unsigned int lines_with(const char *text)
{
	unsigned int n = 0;
	const char *at;

	for (at = strstr(uart, text); at; at = strstr(at + 1, text))
		n++;
	return n;
}

static void test_cell_lines_rate_limited(void **state)
{
	struct jailhouse_cell_desc desc = { .name = "hostile" };
	struct cell cell = { .config = &desc }, other = { .config = &desc };
	unsigned int n;

	/* a burst of ten, the rest of the window left out ... */
	now_us = 1000;
	for (n = 0; n < 25; n++) {
		cell_printk(&cell, "Cell \"%s\": refused %u\n",
			    cell.config->name, n);
		now_us += 1000;
	}
	assert_int_equal(lines_with("refused"), 10);
	assert_non_null(strstr(uart, "refused 9\n"));
	assert_null(strstr(uart, "refused 10\n"));
	/* ... not another cell's lines, nor the hypervisor's */
	cell_printk(&other, "other\n");
	printk("own\n");
	assert_non_null(strstr(uart, "other\nown\n"));

	/* the window's last microsecond is in it */
	now_us = 1000 + 5000000 - 1;
	cell_printk(&cell, "late\n");
	assert_null(strstr(uart, "late"));
	/* ... and so is a time before its start, another CPU's clock behind */
	now_us = 500;
	cell_printk(&cell, "behind\n");
	assert_null(strstr(uart, "behind"));

	/* the next window: how many were left out, then a new burst */
	now_us = 1000 + 5000000;
	cell_printk(&cell, "again\n");
	assert_non_null(strstr(uart, "own\nCell \"hostile\": 17 more lines "
			       "not shown (at most 10 in 5 s)\nagain\n"));
	uart_len = 0;
	uart[0] = '\0';
	for (n = 0; n < 9; n++)
		cell_printk(&cell, "more\n");
	assert_int_equal(lines_with("more\n"), 9);
	assert_null(strstr(uart, "not shown"));

	/* a window with nothing left out says nothing of it */
	now_us += 2 * 5000000;
	uart_len = 0;
	cell_printk(&cell, "quiet\n");
	assert_string_equal(uart, "quiet\n");

	/* what was left out and not told yet is told as the cell goes */
	for (n = 0; n < 12; n++)
		cell_printk(&cell, "last\n");
	uart_len = 0;
	cell_printk_flush(&cell);
	assert_string_equal(uart, "Cell \"hostile\": 3 more lines not shown "
			    "(at most 10 in 5 s)\n");
	uart_len = 0;
	uart[0] = '\0';
	cell_printk_flush(&cell);
	assert_int_equal(uart_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_other_conversions),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test_setup(test_console_init, setup),
		cmocka_unit_test_setup(test_printk_ring_and_uart, setup),
		cmocka_unit_test_setup(test_no_ring, setup),
		cmocka_unit_test_setup(test_no_uart, setup),
		cmocka_unit_test_setup(test_long_line, setup),
		cmocka_unit_test_setup(test_ring_wraps, setup),
		cmocka_unit_test_setup(test_cell_lines_rate_limited, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
