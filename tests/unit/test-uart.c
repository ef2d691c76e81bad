// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the hypervisor's debug UARTs (hypervisor/arch/arm64/uart*.c):
 * the driver the system config's debug_console.type names writes to its
 * own transmit register, a line end as "\r\n", a type without a driver or
 * without MMIO leaves the device alone and says so, and a transmitter that
 * never drains costs a bounded number of polls.  The UART is a page of host
 * memory whose register writes the test's mmio_write32() records.
 */
#include "test.h"

#include <jailhouse/arch.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/paging.h>
#include <asm/uart.h>

#define PL011_DR		0x00
#define XUARTPS_SR		0x2c
#define  XUARTPS_SR_TXFULL	(1 << 4)
#define XUARTPS_FIFO		0x30

static struct jailhouse_system config;
struct jailhouse_system *system_config = &config;

static uint32_t regs[PAGE_SIZE / 4];
/* the bytes written, and to which register, in order */
static char written[64];
static unsigned long written_at[64];
static unsigned int writes;
static unsigned long mapped_phys, mapped_size;
static bool map_fails;
static unsigned long relax_calls;

void *paging_map_device(unsigned long phys, unsigned long size)
{
	mapped_phys = phys;
	mapped_size = size;
	return map_fails ? NULL : regs;
}

void test_cpu_relax(void)
{
	relax_calls++;
}

u32 mmio_read32(void *address)
{
	return *(volatile u32 *)address;
}

void mmio_write32(void *address, u32 value)
{
	assert_true(writes < sizeof(written) - 1);
	written_at[writes] = (char *)address - (char *)regs;
	written[writes++] = value;
	*(volatile u32 *)address = value;
}

/* All writes went to register @reg, and they were @text. */
static void assert_written(unsigned long reg, const char *text)
{
	unsigned int n;

	assert_string_equal(written, text);
	for (n = 0; n < writes; n++)
		assert_int_equal(written_at[n], reg);
}

static void console(unsigned int type, unsigned int flags)
{
	memset(regs, 0, sizeof(regs));
	memset(written, 0, sizeof(written));
	writes = 0;
	mapped_phys = mapped_size = 0;
	map_fails = false;
	relax_calls = 0;
	printk_log_clear();
	config.debug_console.address = 0xff000000;
	config.debug_console.size = 0;
	config.debug_console.type = type;
	config.debug_console.flags = flags;
}

static void test_xuartps(void **state)
{
	console(JAILHOUSE_CON_TYPE_XUARTPS, JAILHOUSE_CON_ACCESS_MMIO);
	assert_int_equal(arch_dbg_console_init(), 1);
	assert_int_equal(mapped_phys, 0xff000000);
	assert_int_equal(mapped_size, PAGE_SIZE);

	arch_dbg_console_write("Jh\nok", 5);
	assert_written(XUARTPS_FIFO, "Jh\r\nok");
	assert_int_equal(relax_calls, 0);
}

static void test_pl011(void **state)
{
	console(JAILHOUSE_CON_TYPE_PL011, JAILHOUSE_CON_ACCESS_MMIO);
	config.debug_console.size = 0x1000;
	assert_int_equal(arch_dbg_console_init(), 1);
	assert_int_equal(mapped_size, 0x1000);

	arch_dbg_console_write("Hi\n", 3);
	assert_written(PL011_DR, "Hi\r\n");
}

/* A full FIFO that never drains: every character gives up in time. */
static void test_xuartps_stuck(void **state)
{
	console(JAILHOUSE_CON_TYPE_XUARTPS, JAILHOUSE_CON_ACCESS_MMIO);
	assert_int_equal(arch_dbg_console_init(), 1);
	regs[XUARTPS_SR / 4] = XUARTPS_SR_TXFULL;

	arch_dbg_console_write("a\n", 2);
	assert_int_equal(relax_calls, 3 * (UART_TX_TIMEOUT - 1));
	assert_written(XUARTPS_FIFO, "a\r\n");
}

static void test_no_driver(void **state)
{
	console(JAILHOUSE_CON_TYPE_8250, JAILHOUSE_CON_ACCESS_MMIO);
	assert_int_equal(arch_dbg_console_init(), 0);
	assert_int_equal(mapped_size, 0);
	assert_int_equal(writes, 0);
	assert_true(printk_log_contains("Debug console type 2: no driver"));
	assert_true(printk_log_contains("console buffer"));
}

static void test_not_mmio(void **state)
{
	console(JAILHOUSE_CON_TYPE_XUARTPS, JAILHOUSE_CON_ACCESS_PIO);
	assert_int_equal(arch_dbg_console_init(), 0);
	assert_int_equal(mapped_size, 0);
	assert_true(printk_log_contains("Xilinx UART PS: not memory-mapped"));
}

static void test_none(void **state)
{
	console(JAILHOUSE_CON_TYPE_NONE, JAILHOUSE_CON_ACCESS_MMIO);
	assert_int_equal(arch_dbg_console_init(), 0);
	assert_int_equal(mapped_size, 0);
	assert_string_equal(printk_log, "");
}

static void test_map_fails(void **state)
{
	console(JAILHOUSE_CON_TYPE_XUARTPS, JAILHOUSE_CON_ACCESS_MMIO);
	map_fails = true;
	assert_int_equal(arch_dbg_console_init(), -ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xuartps),
		cmocka_unit_test(test_pl011),
		cmocka_unit_test(test_xuartps_stuck),
		cmocka_unit_test(test_no_driver),
		cmocka_unit_test(test_not_mmio),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_map_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
