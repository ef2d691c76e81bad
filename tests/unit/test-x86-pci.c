// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the x86 configuration ports (hypervisor/arch/x86/pci.c):
 * CONFIG_ADDRESS per CPU, the data ports of 1, 2 and 4 bytes, the enable
 * bit, AMD's extended register bits, and what reaches the core's config
 * space filter (a fake pci_cfg_access() here, which records the access).
 */
#include "test.h"

#include <jailhouse/cell.h>
#include <jailhouse/pci.h>
#include <asm/pci.h>

#define ADDR_ENABLE	0x80000000U

static struct cell cell_a, cell_b;

/* what the fake filter saw last, how often, and what it answers */
static struct mmio_access seen;
static struct cell *seen_cell;
static unsigned int calls;
static unsigned long answer;

void pci_cfg_access(struct cell *cell, struct mmio_access *mmio)
{
	seen = *mmio;
	seen_cell = cell;
	calls++;
	if (!mmio->is_write)
		mmio->value = answer & (mmio->size == 4 ? 0xffffffffUL :
					(1UL << (8 * mmio->size)) - 1);
}

static int setup(void **state)
{
	memset(&seen, 0, sizeof(seen));
	seen_cell = NULL;
	calls = 0;
	answer = 0x12345678;
	return 0;
}

static u32 port_read(u32 *latch, u16 port, unsigned int size)
{
	u32 value = 0xdeadbeef;

	x86_pci_port_access(&cell_a, latch, port, size, false, &value);
	return value;
}

static void port_write(u32 *latch, u16 port, unsigned int size, u32 value)
{
	x86_pci_port_access(&cell_a, latch, port, size, true, &value);
}

/* bus 1, device 2, function 3 */
#define BDF_ADDR	(1 << 16 | 2 << 11 | 3 << 8)
#define BDF_ECAM	(1UL << 20 | 2UL << 15 | 3UL << 12)

static void test_address_latch(void **state)
{
	u32 latch = 0;

	/* reserved bits 30:28 and the two low bits do not stick */
	port_write(&latch, 0xcf8, 4, 0xffffffff);
	assert_int_equal(latch, 0x8ffffffc);
	assert_int_equal(port_read(&latch, 0xcf8, 4), 0x8ffffffc);
	port_write(&latch, 0xcf8, 4, ADDR_ENABLE | BDF_ADDR | 0x44);
	assert_int_equal(port_read(&latch, 0xcf8, 4),
			 ADDR_ENABLE | BDF_ADDR | 0x44);
	assert_int_equal(calls, 0);
}

static void test_other_sizes_at_address(void **state)
{
	u32 latch = ADDR_ENABLE | BDF_ADDR;

	/* 0xcf9 is the reset control of Intel chipsets: nobody's */
	port_write(&latch, 0xcf9, 1, 0x06);
	port_write(&latch, 0xcf8, 2, 0);
	port_write(&latch, 0xcfa, 2, 0);
	assert_int_equal(latch, ADDR_ENABLE | BDF_ADDR);
	assert_int_equal(port_read(&latch, 0xcf8, 1) & 0xff, 0xff);
	assert_int_equal(port_read(&latch, 0xcf9, 1) & 0xff, 0xff);
	assert_int_equal(port_read(&latch, 0xcfa, 2) & 0xffff, 0xffff);
	assert_int_equal(calls, 0);
}

static void test_dword_read(void **state)
{
	u32 latch = ADDR_ENABLE | BDF_ADDR | 0x44;

	assert_int_equal(port_read(&latch, 0xcfc, 4), 0x12345678);
	assert_int_equal(calls, 1);
	assert_ptr_equal(seen_cell, &cell_a);
	assert_int_equal(seen.address, BDF_ECAM | 0x44);
	assert_int_equal(seen.size, 4);
	assert_false(seen.is_write);
}

static void test_byte_and_word(void **state)
{
	u32 latch = ADDR_ENABLE | BDF_ADDR | 0x44;

	assert_int_equal(port_read(&latch, 0xcfe, 1), 0x78);
	assert_int_equal(seen.address, BDF_ECAM | 0x46);
	assert_int_equal(seen.size, 1);

	port_write(&latch, 0xcfe, 2, 0xabcd);
	assert_int_equal(seen.address, BDF_ECAM | 0x46);
	assert_int_equal(seen.size, 2);
	assert_true(seen.is_write);
	assert_int_equal(seen.value, 0xabcd);

	port_write(&latch, 0xcfd, 1, 0x5a);
	assert_int_equal(seen.address, BDF_ECAM | 0x45);
	assert_int_equal(seen.value, 0x5a);
	assert_int_equal(calls, 3);
}

static void test_past_the_dword(void **state)
{
	u32 latch = ADDR_ENABLE | BDF_ADDR;

	assert_int_equal(port_read(&latch, 0xcfd, 4), 0xffffffff);
	assert_int_equal(port_read(&latch, 0xcff, 2) & 0xffff, 0xffff);
	port_write(&latch, 0xcfe, 4, 0);
	assert_int_equal(calls, 0);
}

static void test_enable_bit(void **state)
{
	u32 latch = BDF_ADDR | 0x44;

	assert_int_equal(port_read(&latch, 0xcfc, 4), 0xffffffff);
	port_write(&latch, 0xcfc, 4, 0);
	assert_int_equal(calls, 0);
}

/* AMD: register bits 11:8 in bits 27:24 */
static void test_extended_register(void **state)
{
	u32 latch = ADDR_ENABLE | 0x0f000000 | BDF_ADDR | 0x44;

	port_read(&latch, 0xcfc, 4);
	assert_int_equal(seen.address, BDF_ECAM | 0xf44);
	latch = ADDR_ENABLE | 0x01000000 | 0x100;
	port_read(&latch, 0xcff, 1);
	assert_int_equal(seen.address, (1UL << 12) | 0x103);
}

/* bus 255, device 31, function 7: the last of the ECAM */
static void test_last_function(void **state)
{
	u32 latch = ADDR_ENABLE | 0x00ffff00 | 0xfc;

	port_read(&latch, 0xcfc, 4);
	assert_int_equal(seen.address, 0xffff0fcUL);
}

/* each CPU has its own latch: one's selection does not steer another's */
static void test_latch_per_cpu(void **state)
{
	u32 cpu0 = 0, cpu1 = 0, value = 0x1111;

	port_write(&cpu0, 0xcf8, 4, ADDR_ENABLE | BDF_ADDR | 0x10);
	x86_pci_port_access(&cell_b, &cpu1, 0xcf8, 4, true, &value);
	value = ADDR_ENABLE | 0x20;
	x86_pci_port_access(&cell_b, &cpu1, 0xcf8, 4, true, &value);
	value = 0xffffffff;
	x86_pci_port_access(&cell_b, &cpu1, 0xcfc, 4, true, &value);
	assert_ptr_equal(seen_cell, &cell_b);
	assert_int_equal(seen.address, 0x20);

	port_write(&cpu0, 0xcfc, 4, 0);
	assert_ptr_equal(seen_cell, &cell_a);
	assert_int_equal(seen.address, BDF_ECAM | 0x10);
}

#define pci_test(f)	cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		pci_test(test_address_latch),
		pci_test(test_other_sizes_at_address),
		pci_test(test_dword_read),
		pci_test(test_byte_and_word),
		pci_test(test_past_the_dword),
		pci_test(test_enable_bit),
		pci_test(test_extended_register),
		pci_test(test_last_function),
		pci_test(test_latch_per_cpu),
	};

	return cmocka_run_group_tests_name("x86-pci", tests, NULL, NULL);
}
