// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the cells' I/O port bitmaps (hypervisor/pio.c): the root
 * cell of the shipped q35 config (configs/x86/qemu-x86.c), non-root cells
 * taking ports from it and giving them back.  The arch hook records which
 * cell it was told about.
 */
#include "test.h"

#include <jailhouse/arch.h>
#include <jailhouse/bitops.h>
#include <jailhouse/cell.h>
#include <jailhouse/errno.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/pio.h>

#define config qemu_x86
#include "../../configs/x86/qemu-x86.c"
#undef config

#define POOL_PAGES	8

struct cell root_cell;

static typeof(qemu_x86) root_config;

struct test_config {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_pio pio[3];
} __attribute__((packed));

/* COM2, the PIT and the last ports */
static const struct test_config config1_template = {
	.desc = {
		.name = "one",
		.cpu_set_size = sizeof(config1_template.cpus),
		.num_pio_regions = 3,
	},
	.cpus = { 0x4 },
	.pio = {
		PIO_RANGE(0x2f8, 8),
		PIO_RANGE(0x40, 4),
		PIO_RANGE(0xfff0, 0x10),
	},
};

/* COM1 only */
static const struct test_config config2_template = {
	.desc = {
		.name = "two",
		.cpu_set_size = sizeof(config2_template.cpus),
		.num_pio_regions = 1,
	},
	.cpus = { 0x8 },
	.pio = {
		PIO_RANGE(0x3f8, 8),
	},
};

static struct test_config config1, config2;
static struct cell cell1, cell2;

/* --- the arch hook --------------------------------------------------- */

static struct cell *changed_cell;
static unsigned int changes;

void arch_pio_changed(struct cell *cell)
{
	changed_cell = cell;
	changes++;
}

/* --- set-up ---------------------------------------------------------- */

static void *pool_memory;
static unsigned long pool_bitmap[BITS_TO_LONGS(POOL_PAGES)];

static int setup(void **state)
{
	pool_memory = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	if (!pool_memory)
		return -1;
	page_pool_init(&mem_pool, pool_memory, POOL_PAGES, pool_bitmap, 0);

	memcpy(&root_config, &qemu_x86, sizeof(root_config));
	memset(&root_cell, 0, sizeof(root_cell));
	root_cell.config = &root_config.header.root_cell;
	memcpy(&config1, &config1_template, sizeof(config1));
	memcpy(&config2, &config2_template, sizeof(config2));
	memset(&cell1, 0, sizeof(cell1));
	cell1.config = &config1.desc;
	memset(&cell2, 0, sizeof(cell2));
	cell2.config = &config2.desc;
	changed_cell = NULL;
	changes = 0;
	return 0;
}

static int teardown(void **state)
{
	free(pool_memory);
	return 0;
}

/* --- checks ---------------------------------------------------------- */

/* Ports [@base, @base + @length) trap for @cell (all bits set). */
static bool traps(const struct cell *cell, unsigned long base,
		  unsigned long length)
{
	unsigned long port;

	for (port = base; port < base + length; port++)
		if (!test_bit(port, cell->pio_bitmap))
			return false;
	return true;
}

/* None of the ports [@base, @base + @length) traps for @cell. */
static bool owns(const struct cell *cell, unsigned long base,
		 unsigned long length)
{
	unsigned long port;

	for (port = base; port < base + length; port++)
		if (test_bit(port, cell->pio_bitmap))
			return false;
	return true;
}

static unsigned long trapped(const struct cell *cell)
{
	return bitmap_weight(cell->pio_bitmap, PIO_NUM_PORTS);
}

/* --- tests ----------------------------------------------------------- */

/* The layout of AMD's IOPM and Intel's I/O bitmaps: byte n / 8, bit n % 8. */
static void test_bitmap_layout(void **state)
{
	const u8 *bytes;

	assert_int_equal(pio_cell_init(&root_cell), 0);
	bytes = (const u8 *)root_cell.pio_bitmap;
	/* 0xcf8-0xcff: byte 0x19f, all of it */
	assert_int_equal(bytes[0xcf8 / 8], 0xff);
	assert_int_equal(bytes[0xcf8 / 8 - 1], 0);
	assert_int_equal(bytes[0xcf8 / 8 + 1], 0);
	assert_int_equal(PIO_BITMAP_BYTES, 0x2000);
	pio_cell_exit(&root_cell);
}

static void test_root_cell(void **state)
{
	assert_int_equal(pio_cell_init(&root_cell), 0);
	assert_int_equal(mem_pool.used_pages, PIO_BITMAP_PAGES);
	/* every port but the PCI configuration ports */
	assert_true(traps(&root_cell, 0xcf8, 8));
	assert_int_equal(trapped(&root_cell), 8);
	assert_true(owns(&root_cell, 0, 0xcf8));
	assert_true(owns(&root_cell, 0xd00, 0xf300));
	/* the root's own bitmap needs no news for the arch code */
	assert_int_equal(changes, 0);

	pio_cell_exit(&root_cell);
	assert_null(root_cell.pio_bitmap);
	assert_int_equal(mem_pool.used_pages, 0);
}

static void test_cell_takes_ports(void **state)
{
	assert_int_equal(pio_cell_init(&root_cell), 0);
	assert_int_equal(pio_cell_init(&cell1), 0);

	/* the cell has its ports, no others */
	assert_true(owns(&cell1, 0x2f8, 8));
	assert_true(owns(&cell1, 0x40, 4));
	assert_true(owns(&cell1, 0xfff0, 0x10));
	assert_int_equal(trapped(&cell1), PIO_NUM_PORTS - 8 - 4 - 0x10);

	/* the root lost them, and the arch code heard of it */
	assert_true(traps(&root_cell, 0x2f8, 8));
	assert_true(traps(&root_cell, 0x40, 4));
	assert_true(traps(&root_cell, 0xfff0, 0x10));
	assert_true(owns(&root_cell, 0x2f0, 8));
	assert_true(owns(&root_cell, 0x300, 8));
	assert_int_equal(trapped(&root_cell), 8 + 8 + 4 + 0x10);
	assert_ptr_equal(changed_cell, &root_cell);
	assert_int_equal(changes, 1);

	pio_cell_exit(&cell1);
	pio_cell_exit(&root_cell);
	assert_int_equal(mem_pool.used_pages, 0);
}

static void test_cell_gives_ports_back(void **state)
{
	assert_int_equal(pio_cell_init(&root_cell), 0);
	assert_int_equal(pio_cell_init(&cell1), 0);
	assert_int_equal(pio_cell_init(&cell2), 0);
	assert_int_equal(trapped(&root_cell), 8 + 8 + 4 + 0x10 + 8);
	assert_int_equal(changes, 2);

	/* cell 1 goes: its ports are the root's again, not cell 2's */
	pio_cell_exit(&cell1);
	assert_null(cell1.pio_bitmap);
	assert_int_equal(changes, 3);
	assert_ptr_equal(changed_cell, &root_cell);
	assert_true(owns(&root_cell, 0x2f8, 8));
	assert_true(owns(&root_cell, 0x40, 4));
	assert_true(owns(&root_cell, 0xfff0, 0x10));
	assert_true(traps(&root_cell, 0x3f8, 8));
	assert_int_equal(trapped(&root_cell), 8 + 8);

	pio_cell_exit(&cell2);
	assert_int_equal(trapped(&root_cell), 8);
	pio_cell_exit(&root_cell);
	assert_int_equal(mem_pool.used_pages, 0);
}

/* A port the root never had does not become the root's. */
static void test_root_gets_only_its_own(void **state)
{
	/* the root without COM2 and the PIT */
	root_config.pio_regions[0] = (struct jailhouse_pio)PIO_RANGE(0x0, 0x40);
	root_config.pio_regions[1] = (struct jailhouse_pio)PIO_RANGE(0x300,
								     0x100);
	assert_int_equal(pio_cell_init(&root_cell), 0);
	assert_true(traps(&root_cell, 0x2f8, 8));

	/* a cell with more than that (config checks would refuse it) */
	config1.pio[0] = (struct jailhouse_pio)PIO_RANGE(0x30, 0x2d0);
	config1.desc.num_pio_regions = 1;
	assert_int_equal(pio_cell_init(&cell1), 0);
	assert_true(traps(&root_cell, 0x30, 0x10));
	pio_cell_exit(&cell1);

	/* back: 0x30-0x3f, nothing of 0x40-0x2ff */
	assert_true(owns(&root_cell, 0x0, 0x40));
	assert_true(owns(&root_cell, 0x300, 0x100));
	assert_true(traps(&root_cell, 0x40, 0x2c0));
	assert_int_equal(trapped(&root_cell), PIO_NUM_PORTS - 0x40 - 0x100);
	pio_cell_exit(&root_cell);
}

static void test_out_of_memory(void **state)
{
	void *rest = page_alloc(&mem_pool, POOL_PAGES - 1);

	assert_non_null(rest);
	assert_int_equal(pio_cell_init(&root_cell), -ENOMEM);
	assert_null(root_cell.pio_bitmap);
	page_free(&mem_pool, rest, POOL_PAGES - 1);

	assert_int_equal(pio_cell_init(&root_cell), 0);
	rest = page_alloc(&mem_pool, POOL_PAGES - PIO_BITMAP_PAGES);
	assert_non_null(rest);
	/* a cell that cannot have its bitmap takes nothing from the root */
	assert_int_equal(pio_cell_init(&cell1), -ENOMEM);
	assert_int_equal(trapped(&root_cell), 8);
	assert_int_equal(changes, 0);
	page_free(&mem_pool, rest, POOL_PAGES - PIO_BITMAP_PAGES);
	pio_cell_exit(&root_cell);
}

#define pio_test(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		pio_test(test_bitmap_layout),
		pio_test(test_root_cell),
		pio_test(test_cell_takes_ports),
		pio_test(test_cell_gives_ports_back),
		pio_test(test_root_gets_only_its_own),
		pio_test(test_out_of_memory),
	};

	return cmocka_run_group_tests_name("pio", tests, NULL, NULL);
}
