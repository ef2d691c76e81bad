// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the 8250 debug UART (hypervisor/uart-8250.c) and of the x86
 * debug console over it (hypervisor/arch/x86/uart.c): line set-up only with
 * a divider, a character once the transmitter is empty or after a bounded
 * number of polls, registers 1 or 4 bytes apart, port I/O or memory mapped
 * (byte or 32-bit accesses), and the console types and ports that are not
 * driven.  Every register access, whichever accessor made it, is recorded.
 */
#include "test.h"

#include <jailhouse/arch.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/paging.h>
#include <jailhouse/uart-8250.h>
#include <asm/io.h>

/* register offsets with registers 1 byte apart */
#define THR		0
#define DLL		0
#define DLM		1
#define LCR		3
#define LSR		5
#define  LSR_THRE	0x20
#define  LSR_TEMT	0x40

static struct jailhouse_system config;
struct jailhouse_system *system_config = &config;

/* One register access: 'i' or 'o', its width (0 for port I/O). */
struct access {
	char dir;
	unsigned int width;
	unsigned long addr;
	u8 value;
};

static struct access log[64];
static unsigned int accesses;
/* reads of the line status until the transmitter is empty, -1: never */
static int busy_reads;
static unsigned long lsr_reads, relax_calls;
static unsigned long mapped_phys, mapped_size;
static bool map_fails;
/* the "device memory" the MMIO accessors reach */
static u32 regs[64];

static void record(char dir, unsigned int width, unsigned long addr,
		   u8 value)
{
	if (accesses < ARRAY_SIZE(log))
		log[accesses] = (struct access){ dir, width, addr, value };
	accesses++;
}

/* The line status: the transmitter empty once busy_reads have passed. */
static u8 status(void)
{
	lsr_reads++;
	if (busy_reads < 0)
		return 0;
	if (busy_reads > 0) {
		busy_reads--;
		return 0;
	}
	return LSR_THRE | LSR_TEMT;
}

static u8 fake_in(unsigned long addr)
{
	u8 value = status();

	record('i', 1, addr, value);
	return value;
}

static void fake_out(unsigned long addr, u8 value)
{
	record('o', 1, addr, value);
}

static const struct uart_8250_io fake_io = {
	.in = fake_in,
	.out = fake_out,
};

u8 inb(u16 port)
{
	u8 value = status();

	record('i', 0, port, value);
	return value;
}

void outb(u8 value, u16 port)
{
	record('o', 0, port, value);
}

u8 mmio_read8(void *address)
{
	u8 value = status();

	record('i', 1, (unsigned long)address, value);
	return value;
}

void mmio_write8(void *address, u8 value)
{
	record('o', 1, (unsigned long)address, value);
}

u32 mmio_read32(void *address)
{
	u8 value = status();

	record('i', 4, (unsigned long)address, value);
	/* bits above the register's 8 are not the driver's to look at */
	return 0xffffff00 | value;
}

void mmio_write32(void *address, u32 value)
{
	assert_true(value <= 0xff);
	record('o', 4, (unsigned long)address, value);
}

void test_cpu_relax(void)
{
	relax_calls++;
}

void *paging_map_device(unsigned long phys, unsigned long size)
{
	mapped_phys = phys;
	mapped_size = size;
	return map_fails ? NULL : regs;
}

static void reset(void)
{
	memset(log, 0, sizeof(log));
	accesses = 0;
	busy_reads = 0;
	lsr_reads = relax_calls = 0;
	mapped_phys = mapped_size = 0;
	map_fails = false;
	printk_log_clear();
}

/* Access @n was @dir of @value at @addr, @width wide. */
static void assert_access(unsigned int n, char dir, unsigned int width,
			  unsigned long addr, u8 value)
{
	assert_true(n < accesses);
	assert_int_equal(log[n].dir, dir);
	assert_int_equal(log[n].width, width);
	assert_int_equal(log[n].addr, addr);
	assert_int_equal(log[n].value, value);
}

static void test_init_leaves_divider(void **state)
{
	const struct uart_8250 uart = { &fake_io, 0x3f8, 0 };

	reset();
	uart_8250_init(&uart, 0);
	assert_int_equal(accesses, 0);
}

static void test_init_divider(void **state)
{
	const struct uart_8250 uart = { &fake_io, 0x3f8, 0 };

	reset();
	uart_8250_init(&uart, 1);
	assert_int_equal(accesses, 4);
	assert_access(0, 'o', 1, 0x3f8 + LCR, 0x80);	/* DLAB */
	assert_access(1, 'o', 1, 0x3f8 + DLL, 1);
	assert_access(2, 'o', 1, 0x3f8 + DLM, 0);
	assert_access(3, 'o', 1, 0x3f8 + LCR, 0x03);	/* 8N1 */
}

/* Registers 4 bytes apart, a divider of two bytes. */
static void test_init_regdist_4(void **state)
{
	const struct uart_8250 uart = { &fake_io, 0x1000, 2 };

	reset();
	uart_8250_init(&uart, 0x1234);
	assert_int_equal(accesses, 4);
	assert_access(0, 'o', 1, 0x1000 + 4 * LCR, 0x80);
	assert_access(1, 'o', 1, 0x1000 + 4 * DLL, 0x34);
	assert_access(2, 'o', 1, 0x1000 + 4 * DLM, 0x12);
	assert_access(3, 'o', 1, 0x1000 + 4 * LCR, 0x03);
}

static void test_putc(void **state)
{
	const struct uart_8250 uart = { &fake_io, 0x2f8, 0 };

	reset();
	uart_8250_putc(&uart, 'J');
	assert_int_equal(accesses, 2);
	assert_access(0, 'i', 1, 0x2f8 + LSR, LSR_THRE | LSR_TEMT);
	assert_access(1, 'o', 1, 0x2f8 + THR, 'J');
	assert_int_equal(relax_calls, 0);

	/* the transmitter busy for three reads */
	reset();
	busy_reads = 3;
	uart_8250_putc(&uart, 'h');
	assert_int_equal(lsr_reads, 4);
	assert_int_equal(relax_calls, 3);
	assert_access(4, 'o', 1, 0x2f8 + THR, 'h');
}

/* A transmitter that never empties costs a bounded number of reads. */
static void test_putc_stuck(void **state)
{
	const struct uart_8250 uart = { &fake_io, 0x3f8, 0 };

	reset();
	busy_reads = -1;
	uart_8250_putc(&uart, 'x');
	assert_int_equal(lsr_reads, UART_8250_TX_POLLS);
	assert_int_equal(relax_calls, UART_8250_TX_POLLS - 1);
	assert_int_equal(accesses, UART_8250_TX_POLLS + 1);
	assert_int_equal(log[ARRAY_SIZE(log) - 1].dir, 'i');
}

/* The MMIO accessors: byte ones, 32-bit ones 4 bytes apart. */
static void test_mmio_accessors(void **state)
{
	const struct uart_8250 uart8 = {
		&uart_8250_mmio8, (unsigned long)regs, 0
	};
	const struct uart_8250 uart32 = {
		&uart_8250_mmio32, (unsigned long)regs, 2
	};
	unsigned long base = (unsigned long)regs;

	reset();
	uart_8250_putc(&uart8, 'a');
	assert_access(0, 'i', 1, base + LSR, LSR_THRE | LSR_TEMT);
	assert_access(1, 'o', 1, base + THR, 'a');

	reset();
	uart_8250_putc(&uart32, 'b');
	assert_access(0, 'i', 4, base + 4 * LSR, LSR_THRE | LSR_TEMT);
	assert_access(1, 'o', 4, base + 4 * THR, 'b');

	/* the 32-bit read's upper bits do not make a busy UART ready */
	reset();
	busy_reads = 1;
	uart_8250_putc(&uart32, 'c');
	assert_int_equal(lsr_reads, 2);
}

static void console(unsigned int type, unsigned int flags,
		    unsigned long address, unsigned int divider)
{
	reset();
	config.debug_console.address = address;
	config.debug_console.size = 0;
	config.debug_console.type = type;
	config.debug_console.flags = flags;
	config.debug_console.divider = divider;
}

/* All output accesses since @from were @width wide to @thr, and @text. */
static void assert_output(unsigned int from, unsigned int width,
			  unsigned long thr, const char *text)
{
	unsigned int n, len = 0;

	for (n = from; n < accesses; n++) {
		if (log[n].dir != 'o')
			continue;
		assert_int_equal(log[n].width, width);
		assert_int_equal(log[n].addr, thr);
		assert_true(text[len] != '\0');
		assert_int_equal(log[n].value, text[len++]);
	}
	assert_int_equal(text[len], '\0');
}

/* The PC's COM1, set to 115200 baud, a line end as "\r\n". */
static void test_console_pio(void **state)
{
	console(JAILHOUSE_CON_TYPE_8250, JAILHOUSE_CON_ACCESS_PIO, 0x3f8, 1);
	assert_int_equal(arch_dbg_console_init(), 1);
	assert_int_equal(mapped_size, 0);
	assert_int_equal(accesses, 4);
	assert_access(0, 'o', 0, 0x3f8 + LCR, 0x80);
	assert_access(1, 'o', 0, 0x3f8 + DLL, 1);
	assert_access(2, 'o', 0, 0x3f8 + DLM, 0);
	assert_access(3, 'o', 0, 0x3f8 + LCR, 0x03);

	arch_dbg_console_write("Hi\nx", 4);
	assert_output(4, 0, 0x3f8 + THR, "Hi\r\nx");
	assert_access(4, 'i', 0, 0x3f8 + LSR, LSR_THRE | LSR_TEMT);
	assert_string_equal(printk_log, "");
}

/* Memory-mapped, registers 1 byte apart: byte accesses, one page mapped. */
static void test_console_mmio8(void **state)
{
	console(JAILHOUSE_CON_TYPE_8250, JAILHOUSE_CON_ACCESS_MMIO,
		0xfe030000, 0);
	assert_int_equal(arch_dbg_console_init(), 1);
	assert_int_equal(mapped_phys, 0xfe030000);
	assert_int_equal(mapped_size, PAGE_SIZE);
	assert_int_equal(accesses, 0);

	arch_dbg_console_write("ok\n", 3);
	assert_output(0, 1, (unsigned long)regs + THR, "ok\r\n");
	assert_access(0, 'i', 1, (unsigned long)regs + LSR,
		      LSR_THRE | LSR_TEMT);
}

/* Memory-mapped, registers 4 bytes apart: 32-bit accesses. */
static void test_console_mmio32(void **state)
{
	console(JAILHOUSE_CON_TYPE_8250,
		JAILHOUSE_CON_ACCESS_MMIO | JAILHOUSE_CON_REGDIST_4,
		0xfe030000, 0x10);
	config.debug_console.size = 0x100;
	assert_int_equal(arch_dbg_console_init(), 1);
	assert_int_equal(mapped_size, 0x100);
	assert_int_equal(accesses, 4);
	assert_access(0, 'o', 4, (unsigned long)regs + 4 * LCR, 0x80);
	assert_access(1, 'o', 4, (unsigned long)regs + 4 * DLL, 0x10);

	arch_dbg_console_write("a", 1);
	assert_output(4, 4, (unsigned long)regs + 4 * THR, "a");
}

/* Port I/O registers 4 apart, the last one at the last port. */
static void test_console_pio_regdist_4(void **state)
{
	console(JAILHOUSE_CON_TYPE_8250, JAILHOUSE_CON_REGDIST_4,
		0xffff - 28, 0);
	assert_int_equal(arch_dbg_console_init(), 1);
	arch_dbg_console_write("z", 1);
	assert_access(0, 'i', 0, 0xffff - 28 + 4 * LSR, LSR_THRE | LSR_TEMT);
	assert_output(0, 0, 0xffff - 28, "z");
}

static void test_console_port_range(void **state)
{
	console(JAILHOUSE_CON_TYPE_8250, JAILHOUSE_CON_REGDIST_4,
		0xffff - 27, 1);
	assert_int_equal(arch_dbg_console_init(), 0);
	assert_int_equal(accesses, 0);
	assert_true(printk_log_contains(
		"Debug console 8250: port 0xffe4 out of range, output only "
		"in the console buffer"));

	console(JAILHOUSE_CON_TYPE_8250, JAILHOUSE_CON_ACCESS_PIO, 0x10000, 1);
	assert_int_equal(arch_dbg_console_init(), 0);
	assert_true(printk_log_contains("port 0x10000 out of range"));
}

static void test_console_none(void **state)
{
	console(JAILHOUSE_CON_TYPE_NONE, JAILHOUSE_CON_ACCESS_PIO, 0x3f8, 1);
	assert_int_equal(arch_dbg_console_init(), 0);
	assert_int_equal(accesses, 0);
	assert_string_equal(printk_log, "");
}

static void test_console_other_type(void **state)
{
	console(JAILHOUSE_CON_TYPE_PL011, JAILHOUSE_CON_ACCESS_MMIO,
		0x9000000, 0);
	assert_int_equal(arch_dbg_console_init(), 0);
	assert_int_equal(mapped_size, 0);
	assert_int_equal(accesses, 0);
	assert_true(printk_log_contains("Debug console type 3: no driver"));
}

static void test_console_map_fails(void **state)
{
	console(JAILHOUSE_CON_TYPE_8250, JAILHOUSE_CON_ACCESS_MMIO,
		0xfe030000, 1);
	map_fails = true;
	assert_int_equal(arch_dbg_console_init(), -ENOMEM);
	assert_int_equal(accesses, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_leaves_divider),
		cmocka_unit_test(test_init_divider),
		cmocka_unit_test(test_init_regdist_4),
		cmocka_unit_test(test_putc),
		cmocka_unit_test(test_putc_stuck),
		cmocka_unit_test(test_mmio_accessors),
		cmocka_unit_test(test_console_pio),
		cmocka_unit_test(test_console_mmio8),
		cmocka_unit_test(test_console_mmio32),
		cmocka_unit_test(test_console_pio_regdist_4),
		cmocka_unit_test(test_console_port_range),
		cmocka_unit_test(test_console_none),
		cmocka_unit_test(test_console_other_type),
		cmocka_unit_test(test_console_map_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
