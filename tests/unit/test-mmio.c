// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of MMIO dispatch (hypervisor/mmio.c): the sorted region
 * table, the bounds of a region, and sub-page regions of a cell config,
 * whose accesses the hypervisor performs on the device.
 *
 * The arch hooks are fakes: the "device" behind a sub-page region is a
 * host buffer that paging_map_device() hands out, and the current CPU is
 * a per_cpu of the test.  Everything is driven through the public
 * functions, as the arch trap code does.
 */
#include "test.h"

#include <jailhouse/cell.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>

#define POOL_PAGES	16

/* Two sub-page regions, one page-mapped region and one of nothing. */
#define SUB_A_VIRT	0x09000000UL
#define SUB_A_PHYS	0x19000000UL
#define SUB_A_SIZE	0x100
#define SUB_B_VIRT	0x09010800UL
#define SUB_B_PHYS	0x19010800UL
#define SUB_B_SIZE	0x20

struct test_cell_config {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_memory mem[3];
} __attribute__((packed));

static struct test_cell_config config = {
	.desc = {
		.name = "mmio-test",
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem),
	},
	.cpus = { 0x1 },
	.mem = {
		{
			.phys_start = 0x40000000,
			.virt_start = 0,
			.size = 0x10000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE,
		}, {
			.phys_start = SUB_A_PHYS,
			.virt_start = SUB_A_VIRT,
			.size = SUB_A_SIZE,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		}, {
			.phys_start = SUB_B_PHYS,
			.virt_start = SUB_B_VIRT,
			.size = SUB_B_SIZE,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_IO,
		},
	},
};

static struct cell cell;
static struct per_cpu cpu;
void *test_cpu_data = &cpu;

static void *pool_memory;
static unsigned long pool_bitmap[BITS_TO_LONGS(POOL_PAGES)];

/* --- fake device mappings and units ------------------------------------ */

/* The "devices": one buffer per sub-page region, found by physical base. */
static u8 device_a[SUB_A_SIZE] __attribute__((aligned(8)));
static u8 device_b[SUB_B_SIZE] __attribute__((aligned(8)));
static unsigned int device_maps;
static unsigned int device_map_failure;	/* fail the nth map, 1-based */

void *paging_map_device(unsigned long phys, unsigned long size)
{
	device_maps++;
	if (device_maps == device_map_failure)
		return NULL;
	if (phys == SUB_A_PHYS && size == SUB_A_SIZE)
		return device_a;
	if (phys == SUB_B_PHYS && size == SUB_B_SIZE)
		return device_b;
	fail_msg("unexpected device mapping 0x%lx+0x%lx", phys, size);
	return NULL;
}

void paging_unmap_device(unsigned long phys, void *virt, unsigned long size)
{
	assert_true(virt == device_a || virt == device_b);
	device_maps--;
}

/* The pages mmio_unmap_traps() takes out of the stage 2, in order. */
static struct {
	unsigned long start, size;
} unmapped[8];
static unsigned int num_unmapped;

int arch_unmap_memory_region(struct cell *c,
			     const struct jailhouse_memory *mem)
{
	assert_ptr_equal(c, &cell);
	assert_true(num_unmapped < ARRAY_SIZE(unmapped));
	unmapped[num_unmapped].start = mem->virt_start;
	unmapped[num_unmapped].size = mem->size;
	num_unmapped++;
	return 0;
}

/*
 * Two units: one counts one region per cell, the other as many as a test
 * wants (two by default, as the interrupt controller).
 */
static unsigned int sized_regions = 2;

static unsigned int fixed_mmio_count_regions(struct cell *c)
{
	return 1;
}

static unsigned int sized_mmio_count_regions(struct cell *c)
{
	return sized_regions;
}

const struct unit mmio_units[2]
	__attribute__((section("test_units"), used)) = {
	{ .name = "fixed", .mmio_count_regions = fixed_mmio_count_regions },
	{ .name = "sized", .mmio_count_regions = sized_mmio_count_regions },
};

/* --- handlers ---------------------------------------------------------- */

struct handler_log {
	unsigned int calls;
	unsigned long address;
	unsigned int size;
	bool is_write;
};

static struct handler_log logs[4];

static enum mmio_result log_handler(void *arg, struct mmio_access *mmio)
{
	struct handler_log *log = arg;

	log->calls++;
	log->address = mmio->address;
	log->size = mmio->size;
	log->is_write = mmio->is_write;
	if (!mmio->is_write)
		mmio->value = 0x1000 + (log - logs);
	return MMIO_HANDLED;
}

static enum mmio_result access(unsigned long addr, unsigned int size,
			       bool is_write, unsigned long *value)
{
	struct mmio_access mmio = {
		.address = addr,
		.size = size,
		.is_write = is_write,
		.value = value ? *value : 0,
	};
	enum mmio_result result;

	result = mmio_handle_access(&mmio);
	/* the trap code reports the guest's address: left as it was */
	assert_int_equal(mmio.address, addr);
	if (value)
		*value = mmio.value;
	return result;
}

/* --- set-up ---------------------------------------------------------- */

static int setup(void **state)
{
	pool_memory = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	if (!pool_memory)
		return -1;
	page_pool_init(&mem_pool, pool_memory, POOL_PAGES, pool_bitmap, 0);

	memset(&cell, 0, sizeof(cell));
	cell.config = &config.desc;
	cpu.cell = &cell;
	memset(logs, 0, sizeof(logs));
	memset(device_a, 0, sizeof(device_a));
	memset(device_b, 0, sizeof(device_b));
	device_maps = 0;
	device_map_failure = 0;
	num_unmapped = 0;
	sized_regions = 2;
	printk_log_clear();
	return 0;
}

static int teardown(void **state)
{
	free(pool_memory);
	fake_device_abort_at = NULL;
	return 0;
}

/* A cell with a region table and its sub-page regions registered. */
static void cell_init(void)
{
	assert_int_equal(mmio_cell_init(&cell), 0);
}

static void cell_exit(void)
{
	mmio_cell_exit(&cell);
	assert_int_equal(mem_pool.used_pages, 0);
	assert_int_equal(device_maps, 0);
	assert_null(cell.mmio_regions);
	assert_null(cell.subpages);
}

/* --- tests ------------------------------------------------------------ */

static void test_cell_init_sizes_table(void **state)
{
	cell_init();
	/* two sub-page regions, two of one unit, one of the other */
	assert_true(cell.max_mmio_regions >= 5);
	assert_int_equal(cell.max_mmio_regions,
			 PAGE_SIZE / sizeof(struct mmio_region));
	assert_int_equal(cell.num_subpages, 2);
	assert_int_equal(cell.num_mmio_regions, 2);
	assert_int_equal(cell.mmio_regions[0].start, SUB_A_VIRT);
	assert_int_equal(cell.mmio_regions[0].size, SUB_A_SIZE);
	assert_int_equal(cell.mmio_regions[1].start, SUB_B_VIRT);
	assert_int_equal(device_maps, 2);
	cell_exit();
}

static void test_cell_init_large_table(void **state)
{
	/* more regions than one page of table holds */
	sized_regions = PAGE_SIZE / sizeof(struct mmio_region);
	cell_init();
	assert_true(cell.max_mmio_regions >= sized_regions + 3);
	assert_int_equal(mem_pool.used_pages, 3);
	cell_exit();
}

static void test_cell_init_nothing_to_trap(void **state)
{
	struct test_cell_config plain = config;

	plain.desc.num_memory_regions = 1;
	cell.config = &plain.desc;
	sized_regions = 0;
	/* one unit's region alone still needs a table */
	cell_init();
	assert_int_equal(cell.num_subpages, 0);
	assert_int_equal(mem_pool.used_pages, 1);
	cell_exit();
}

static void test_cell_init_out_of_memory(void **state)
{
	unsigned long used;

	/* no page for the region table */
	used = POOL_PAGES;
	assert_non_null(page_alloc(&mem_pool, used));
	assert_int_equal(mmio_cell_init(&cell), -ENOMEM);
	page_free(&mem_pool, pool_memory, used);

	/* a table, but no page for the sub-page list: nothing kept */
	used = POOL_PAGES - 1;
	assert_non_null(page_alloc(&mem_pool, used));
	assert_int_equal(mmio_cell_init(&cell), -ENOMEM);
	assert_int_equal(device_maps, 0);
	assert_int_equal(mem_pool.used_pages, used);
	assert_null(cell.mmio_regions);
	page_free(&mem_pool, pool_memory, used);
}

static void test_cell_init_map_failure(void **state)
{
	unsigned int failure;

	/* the first or the second region cannot be mapped: nothing kept */
	for (failure = 1; failure <= 2; failure++) {
		device_maps = 0;
		device_map_failure = failure;
		assert_int_equal(mmio_cell_init(&cell), -ENOMEM);
		assert_int_equal(cell.num_subpages, 0);
		assert_null(cell.subpages);
		assert_null(cell.mmio_regions);
		/* the failed attempt counted, a successful one was undone */
		assert_int_equal(device_maps, 1);
		assert_int_equal(mem_pool.used_pages, 0);
	}
}

static void test_register_sorted(void **state)
{
	unsigned long starts[] = { 0x3000, 0x1000, 0x4000, 0x2000 };
	unsigned int n;

	sized_regions = 4;
	cell_init();
	for (n = 0; n < ARRAY_SIZE(starts); n++)
		assert_int_equal(mmio_region_register(&cell, starts[n], 0x100,
						      log_handler, &logs[n]),
				 0);
	assert_int_equal(cell.num_mmio_regions, 6);
	for (n = 1; n < cell.num_mmio_regions; n++)
		assert_true(cell.mmio_regions[n - 1].start <
			    cell.mmio_regions[n].start);
	assert_int_equal(cell.mmio_regions[0].start, 0x1000);
	assert_ptr_equal(cell.mmio_regions[0].arg, &logs[1]);
	assert_int_equal(cell.mmio_regions[3].start, 0x4000);
	cell_exit();
}

static void test_register_full(void **state)
{
	unsigned int n, free_slots;

	cell_init();
	free_slots = cell.max_mmio_regions - cell.num_mmio_regions;
	for (n = 0; n < free_slots; n++)
		assert_int_equal(mmio_region_register(&cell, 0x100000 + n * 16,
						      16, log_handler,
						      &logs[0]), 0);
	assert_int_equal(mmio_region_register(&cell, 0x10, 16, log_handler,
					      &logs[0]), -ENOMEM);
	assert_int_equal(cell.num_mmio_regions, cell.max_mmio_regions);
	cell_exit();
}

static void test_dispatch(void **state)
{
	unsigned long value;

	cell_init();
	mmio_region_register(&cell, 0x2000, 0x1000, log_handler, &logs[0]);
	mmio_region_register(&cell, 0x1000, 0x100, log_handler, &logs[1]);
	mmio_region_register(&cell, 0x3000, 0x10, log_handler, &logs[2]);

	assert_int_equal(access(0x2ff8, 8, false, &value), MMIO_HANDLED);
	assert_int_equal(logs[0].calls, 1);
	/* the handler sees the offset into its region */
	assert_int_equal(logs[0].address, 0xff8);
	assert_int_equal(logs[0].size, 8);
	assert_false(logs[0].is_write);
	assert_int_equal(value, 0x1000);

	value = 5;
	assert_int_equal(access(0x1000, 4, true, &value), MMIO_HANDLED);
	assert_int_equal(logs[1].calls, 1);
	assert_int_equal(logs[1].address, 0);
	assert_true(logs[1].is_write);

	assert_int_equal(access(0x300f, 1, false, &value), MMIO_HANDLED);
	assert_int_equal(logs[2].address, 0xf);
	cell_exit();
}

static void test_dispatch_bounds(void **state)
{
	cell_init();
	mmio_region_register(&cell, 0x1000, 0x100, log_handler, &logs[0]);
	mmio_region_register(&cell, 0x1200, 0x100, log_handler, &logs[1]);

	/* below the first region, in the gap, past the last */
	assert_int_equal(access(0xfff, 1, false, NULL), MMIO_UNHANDLED);
	assert_int_equal(access(0x0, 8, false, NULL), MMIO_UNHANDLED);
	assert_int_equal(access(0x1100, 1, false, NULL), MMIO_UNHANDLED);
	assert_int_equal(access(0x11ff, 1, false, NULL), MMIO_UNHANDLED);
	assert_int_equal(access(0x1300, 4, false, NULL), MMIO_UNHANDLED);
	/* beginning before a region's end, ending past it */
	assert_int_equal(access(0x10fe, 4, false, NULL), MMIO_UNHANDLED);
	assert_int_equal(access(0x12fc, 8, false, NULL), MMIO_UNHANDLED);
	/* far above: no wrap-around into a region */
	assert_int_equal(access(~0UL - 3, 4, false, NULL), MMIO_UNHANDLED);
	assert_int_equal(logs[0].calls + logs[1].calls, 0);

	/* the last bytes are still the region's */
	assert_int_equal(access(0x10fc, 4, false, NULL), MMIO_HANDLED);
	assert_int_equal(access(0x12ff, 1, false, NULL), MMIO_HANDLED);
	assert_int_equal(logs[0].calls, 1);
	assert_int_equal(logs[1].calls, 1);
	cell_exit();
}

static void test_dispatch_no_regions(void **state)
{
	struct test_cell_config plain = config;

	plain.desc.num_memory_regions = 1;
	cell.config = &plain.desc;
	cell_init();
	assert_int_equal(access(0x1000, 4, false, NULL), MMIO_UNHANDLED);
	cell_exit();
}

static void test_unregister(void **state)
{
	cell_init();
	mmio_region_register(&cell, 0x1000, 0x100, log_handler, &logs[0]);
	mmio_region_register(&cell, 0x2000, 0x100, log_handler, &logs[1]);
	mmio_region_register(&cell, 0x3000, 0x100, log_handler, &logs[2]);

	mmio_region_unregister(&cell, 0x2000);
	assert_int_equal(cell.num_mmio_regions, 4);
	assert_int_equal(access(0x2000, 4, false, NULL), MMIO_UNHANDLED);
	assert_int_equal(access(0x3000, 4, false, NULL), MMIO_HANDLED);
	assert_int_equal(access(0x1000, 4, false, NULL), MMIO_HANDLED);

	/* an address that starts no region changes nothing */
	mmio_region_unregister(&cell, 0x1004);
	mmio_region_unregister(&cell, 0x2000);
	assert_int_equal(cell.num_mmio_regions, 4);

	mmio_region_unregister(&cell, 0x3000);
	mmio_region_unregister(&cell, 0x1000);
	assert_int_equal(cell.num_mmio_regions, 2);
	assert_int_equal(access(0x1000, 4, false, NULL), MMIO_UNHANDLED);
	/* the sub-page regions stay */
	assert_int_equal(access(SUB_A_VIRT, 4, false, NULL), MMIO_HANDLED);
	cell_exit();
}

static void test_subpage_access(void **state)
{
	unsigned long value;

	cell_init();

	value = 0x11;
	assert_int_equal(access(SUB_A_VIRT + 1, 1, true, &value),
			 MMIO_HANDLED);
	value = 0x2233;
	assert_int_equal(access(SUB_A_VIRT + 2, 2, true, &value),
			 MMIO_HANDLED);
	value = 0x44556677;
	assert_int_equal(access(SUB_A_VIRT + 4, 4, true, &value),
			 MMIO_HANDLED);
	value = 0x8899aabbccddeeffUL;
	assert_int_equal(access(SUB_A_VIRT + SUB_A_SIZE - 8, 8, true, &value),
			 MMIO_HANDLED);

	assert_int_equal(device_a[0], 0);
	assert_int_equal(device_a[1], 0x11);
	assert_int_equal(*(u16 *)&device_a[2], 0x2233);
	assert_int_equal(*(u32 *)&device_a[4], 0x44556677);
	assert_int_equal(*(u64 *)&device_a[SUB_A_SIZE - 8],
			 0x8899aabbccddeeffUL);

	assert_int_equal(access(SUB_A_VIRT + 1, 1, false, &value),
			 MMIO_HANDLED);
	assert_int_equal(value, 0x11);
	assert_int_equal(access(SUB_A_VIRT + 2, 2, false, &value),
			 MMIO_HANDLED);
	assert_int_equal(value, 0x2233);
	assert_int_equal(access(SUB_A_VIRT + 4, 4, false, &value),
			 MMIO_HANDLED);
	assert_int_equal(value, 0x44556677);
	assert_int_equal(access(SUB_A_VIRT + SUB_A_SIZE - 8, 8, false,
				&value), MMIO_HANDLED);
	assert_int_equal(value, 0x8899aabbccddeeffUL);
	assert_string_equal(printk_log, "");

	/* one past the region's end: not the region's */
	assert_int_equal(access(SUB_A_VIRT + SUB_A_SIZE, 1, false, &value),
			 MMIO_UNHANDLED);
	cell_exit();
}

static void test_subpage_read_only(void **state)
{
	unsigned long value = 0x5a;

	device_b[4] = 0xa5;
	cell_init();
	assert_int_equal(access(SUB_B_VIRT + 4, 1, true, &value),
			 MMIO_ERROR);
	assert_int_equal(device_b[4], 0xa5);
	assert_true(printk_log_contains("Denied 1-byte write at 0x9010800 + "
					"0x4 of a sub-page region"));
	assert_int_equal(access(SUB_B_VIRT + 4, 1, false, &value),
			 MMIO_HANDLED);
	assert_int_equal(value, 0xa5);
	cell_exit();
}

static void test_subpage_write_only(void **state)
{
	struct test_cell_config wo = config;
	unsigned long value = 0;

	wo.mem[2].flags = JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_IO;
	cell.config = &wo.desc;
	device_b[0] = 0x77;
	cell_init();
	assert_int_equal(access(SUB_B_VIRT, 1, false, &value), MMIO_ERROR);
	assert_int_equal(value, 0);
	assert_true(printk_log_contains("Denied 1-byte read"));
	assert_int_equal(access(SUB_B_VIRT, 1, true, &value), MMIO_HANDLED);
	assert_int_equal(device_b[0], 0);
	cell_exit();
}

static void test_subpage_unaligned(void **state)
{
	struct test_cell_config unaligned = config;
	unsigned long value = 0x1234;

	cell_init();
	assert_int_equal(access(SUB_A_VIRT + 1, 2, true, &value),
			 MMIO_ERROR);
	assert_int_equal(access(SUB_A_VIRT + 2, 4, false, &value),
			 MMIO_ERROR);
	assert_int_equal(access(SUB_A_VIRT + 4, 8, true, &value),
			 MMIO_ERROR);
	assert_true(printk_log_contains("Denied 2-byte write at 0x9000000 + "
					"0x1 of a sub-page region"));
	assert_true(printk_log_contains("Denied 8-byte write"));
	cell_exit();

	/* permitted by the region's flags */
	unaligned.mem[1].flags |= JAILHOUSE_MEM_IO_UNALIGNED;
	cell.config = &unaligned.desc;
	cell_init();
	assert_int_equal(access(SUB_A_VIRT + 1, 2, true, &value),
			 MMIO_HANDLED);
	assert_int_equal(device_a[1], 0x34);
	assert_int_equal(device_a[2], 0x12);
	cell_exit();
}

/* A device that answers with an abort fails the access, nothing else. */
static void test_subpage_device_abort(void **state)
{
	struct test_cell_config unaligned = config;
	unsigned long value = 0x1234;

	fake_device_abort_at = &device_a[4];
	cell_init();
	assert_int_equal(access(SUB_A_VIRT + 4, 4, false, &value),
			 MMIO_DEVICE_ABORT);
	assert_int_equal(access(SUB_A_VIRT + 8, 4, false, &value),
			 MMIO_HANDLED);
	cell_exit();

	/* split into aligned pieces; the one that aborts ends it */
	unaligned.mem[1].flags |= JAILHOUSE_MEM_IO_UNALIGNED;
	cell.config = &unaligned.desc;
	device_a[1] = 0x11;
	device_a[2] = 0x22;
	device_a[3] = 0x33;
	device_a[4] = 0x44;
	cell_init();
	value = 0;
	fake_device_abort_at = NULL;
	assert_int_equal(access(SUB_A_VIRT + 1, 4, false, &value),
			 MMIO_HANDLED);
	assert_int_equal(value, 0x44332211);
	fake_device_abort_at = &device_a[4];
	assert_int_equal(access(SUB_A_VIRT + 1, 4, false, &value),
			 MMIO_DEVICE_ABORT);
	cell_exit();
}

/* Unaligned pieces must be widths the region permits. */
static void test_subpage_unaligned_widths(void **state)
{
	struct test_cell_config cfg = config;
	unsigned long value = 0;

	cfg.mem[1].flags |= JAILHOUSE_MEM_IO_UNALIGNED | JAILHOUSE_MEM_IO_32;
	cell.config = &cfg.desc;
	cell_init();
	assert_int_equal(access(SUB_A_VIRT + 1, 4, false, &value),
			 MMIO_ERROR);
	assert_true(printk_log_contains("unaligned, and its pieces are widths "
					"not permitted"));
	assert_int_equal(access(SUB_A_VIRT + 4, 4, false, &value),
			 MMIO_HANDLED);
	cell_exit();

	cfg.mem[1].flags |= JAILHOUSE_MEM_IO_8 | JAILHOUSE_MEM_IO_16;
	device_a[1] = 0x11;
	device_a[4] = 0x44;
	cell_init();
	assert_int_equal(access(SUB_A_VIRT + 1, 4, false, &value),
			 MMIO_HANDLED);
	assert_int_equal(value, 0x44000011);
	cell_exit();
}

static void test_subpage_widths(void **state)
{
	struct test_cell_config widths = config;
	unsigned long value = 0xff;

	widths.mem[1].flags |= JAILHOUSE_MEM_IO_8 | JAILHOUSE_MEM_IO_32;
	cell.config = &widths.desc;
	cell_init();
	assert_int_equal(access(SUB_A_VIRT, 1, true, &value), MMIO_HANDLED);
	assert_int_equal(access(SUB_A_VIRT, 4, true, &value), MMIO_HANDLED);
	assert_int_equal(access(SUB_A_VIRT, 2, true, &value), MMIO_ERROR);
	assert_int_equal(access(SUB_A_VIRT, 8, false, &value), MMIO_ERROR);
	assert_true(printk_log_contains("Denied 2-byte write"));
	assert_true(printk_log_contains("Denied 8-byte read"));
	cell_exit();
}

static void test_perform_access(void **state)
{
	u8 buf[24] __attribute__((aligned(8))) = { 0 };
	struct mmio_access mmio = { .address = 8, .is_write = true };
	unsigned int size;

	for (size = 1; size <= 8; size *= 2) {
		memset(buf, 0, sizeof(buf));
		mmio.size = size;
		mmio.is_write = true;
		mmio.value = 0x0807060504030201UL;
		mmio_perform_access(buf, &mmio);
		assert_int_equal(buf[8 + size - 1], size);
		assert_int_equal(buf[8 + size], 0);
		mmio.is_write = false;
		mmio.value = 0;
		mmio_perform_access(buf, &mmio);
		assert_int_equal(mmio.value, 0x0807060504030201UL &
				 (~0UL >> (64 - 8 * size)));
	}
}

static void test_accessors(void **state)
{
	u64 word __attribute__((aligned(8))) = 0;

	mmio_write32(&word, 0xdeadbeef);
	assert_int_equal(mmio_read32(&word), 0xdeadbeef);
	mmio_write64(&word, 0x0123456789abcdefUL);
	assert_int_equal(mmio_read64(&word), 0x0123456789abcdefUL);
	assert_int_equal(mmio_read32(&word), 0x89abcdef);
	/* little endian: the lowest byte first */
	mmio_write8((u8 *)&word + 1, 0x5a);
	assert_int_equal(mmio_read8(&word), 0xef);
	assert_int_equal(mmio_read8((u8 *)&word + 1), 0x5a);
	assert_int_equal(mmio_read64(&word), 0x0123456789ab5aefUL);
}

/*
 * Memory mapped anew over trapped regions (the root gets memory back) loses
 * their pages again: whole pages, clipped to the range, nothing outside.
 */
static void test_unmap_traps(void **state)
{
	sized_regions = 3;
	cell_init();
	assert_int_equal(mmio_region_register(&cell, 0x10001000, 0x100,
					      log_handler, &logs[0]), 0);
	assert_int_equal(mmio_region_register(&cell, 0x10003800, 0x1000,
					      log_handler, &logs[1]), 0);
	assert_int_equal(mmio_region_register(&cell, 0x10010000, 0x100,
					      log_handler, &logs[2]), 0);

	assert_int_equal(mmio_unmap_traps(&cell, 0x10000000, 0x4000), 0);
	assert_int_equal(num_unmapped, 2);
	assert_int_equal(unmapped[0].start, 0x10001000);
	assert_int_equal(unmapped[0].size, 0x1000);
	assert_int_equal(unmapped[1].start, 0x10003000);
	assert_int_equal(unmapped[1].size, 0x1000);

	num_unmapped = 0;
	assert_int_equal(mmio_unmap_traps(&cell, 0x20000000, 0x100000), 0);
	assert_int_equal(num_unmapped, 0);
	cell_exit();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cell_init_sizes_table,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cell_init_large_table,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cell_init_nothing_to_trap,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cell_init_out_of_memory,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cell_init_map_failure,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_sorted,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_full,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_bounds,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_no_regions,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unregister,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_subpage_access,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_subpage_read_only,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_subpage_write_only,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_subpage_unaligned_widths,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_subpage_device_abort,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_subpage_unaligned,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_subpage_widths,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_traps,
						setup, teardown),
		cmocka_unit_test(test_perform_access),
		cmocka_unit_test(test_accessors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
