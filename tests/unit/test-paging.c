// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the page-table builder (hypervisor/paging.c), driven by
 * the format of test-format.h.
 */
#include "test.h"

#include <jailhouse/bitops.h>
#include <jailhouse/cell-config.h>
#include <jailhouse/errno.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>

#include "test-format.h"

#define POOL_PAGES	64
#define TEST_REMAP_BASE	0x7f0000000000UL
#define REMAP_PAGES	16
#define RW		(PAGE_FLAG_READ | PAGE_FLAG_WRITE)

static void *pool_memory;
static unsigned long pool_bitmap[BITS_TO_LONGS(POOL_PAGES)];
static unsigned long remap_bitmap[BITS_TO_LONGS(REMAP_PAGES)];
static struct paging_structures pg;

static int setup(void **state)
{
	pool_memory = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	if (!pool_memory)
		return -1;
	hv_phys_offset = 0;
	page_pool_init(&mem_pool, pool_memory, POOL_PAGES, pool_bitmap, 0);
	flushes = 0;
	return paging_init_structures(&pg, &test_desc);
}

static int teardown(void **state)
{
	paging_free_structures(&pg);
	free(pool_memory);
	return 0;
}

/* Page-table pages in use besides the root. */
static unsigned long tables(void)
{
	return mem_pool.used_pages - 1;
}

static void assert_maps(unsigned long virt, unsigned long phys,
			unsigned long flags)
{
	unsigned long got_flags = ~0UL;

	assert_int_equal(paging_virt2phys(&pg, virt, &got_flags), phys);
	assert_int_equal(got_flags, flags);
}

static void assert_unmapped(unsigned long virt)
{
	assert_int_equal(paging_virt2phys(&pg, virt, NULL), INVALID_PHYS_ADDR);
}

static void test_page_mapping(void **state)
{
	assert_unmapped(0x40000000);
	assert_int_equal(paging_create(&pg, 0x12345000, SZ_4K, 0x40000000, RW,
				       PAGING_HUGE), 0);
	assert_maps(0x40000000, 0x12345000, RW);
	assert_maps(0x40000abc, 0x12345abc, RW);
	assert_int_equal(paging_virt2phys(&pg, 0x40000fff, NULL), 0x12345fff);
	assert_unmapped(0x40001000);
	assert_unmapped(0x3ffff000);
	/* one table per level below the root */
	assert_int_equal(tables(), 3);
}

static void test_huge_2m(void **state)
{
	assert_int_equal(paging_create(&pg, 0x80000000, SZ_2M, 0x40200000,
				       PAGE_FLAG_READ, PAGING_HUGE), 0);
	assert_maps(0x40200000, 0x80000000, PAGE_FLAG_READ);
	assert_maps(0x403fffff, 0x801fffff, PAGE_FLAG_READ);
	assert_unmapped(0x40400000);
	/* a 2 MiB block: no last-level table */
	assert_int_equal(tables(), 2);
}

static void test_no_huge_2m(void **state)
{
	assert_int_equal(paging_create(&pg, 0x80000000, SZ_2M, 0x40200000,
				       PAGE_FLAG_READ, PAGING_NO_HUGE), 0);
	assert_maps(0x40200000, 0x80000000, PAGE_FLAG_READ);
	assert_maps(0x403ff000, 0x801ff000, PAGE_FLAG_READ);
	assert_int_equal(tables(), 3);
}

static void test_huge_1g(void **state)
{
	assert_int_equal(paging_create(&pg, 0x80000000, SZ_1G, 0xc0000000,
				       RW | PAGE_FLAG_EXEC, PAGING_HUGE), 0);
	assert_maps(0xc0000000, 0x80000000, RW | PAGE_FLAG_EXEC);
	assert_maps(0xfffff000, 0xbffff000, RW | PAGE_FLAG_EXEC);
	assert_unmapped(0x100000000);
	assert_int_equal(tables(), 1);
}

static void test_huge_needs_aligned_phys(void **state)
{
	/* virtual side aligned, physical not: pages only */
	assert_int_equal(paging_create(&pg, 0x80001000, SZ_2M, 0x40200000, RW,
				       PAGING_HUGE), 0);
	assert_maps(0x40200000, 0x80001000, RW);
	assert_maps(0x403ff000, 0x80200000, RW);
	assert_int_equal(tables(), 3);
}

static void test_mixed_blocks_and_pages(void **state)
{
	/* a page, a 2 MiB block, a page */
	assert_int_equal(paging_create(&pg, 0x1ff000, SZ_2M + 2 * SZ_4K,
				       0x1ff000, RW, PAGING_HUGE), 0);
	assert_maps(0x1ff000, 0x1ff000, RW);
	assert_maps(0x200000, 0x200000, RW);
	assert_maps(0x3ff000, 0x3ff000, RW);
	assert_maps(0x400000, 0x400000, RW);
	assert_unmapped(0x1fe000);
	assert_unmapped(0x401000);
	/* L1, L2 and two last-level tables */
	assert_int_equal(tables(), 4);
}

static void test_crossing_top_level(void **state)
{
	unsigned long virt = (1UL << 39) - SZ_4K;

	assert_int_equal(paging_create(&pg, 0x5000, 2 * SZ_4K, virt, RW,
				       PAGING_HUGE), 0);
	assert_maps(virt, 0x5000, RW);
	assert_maps(virt + SZ_4K, 0x6000, RW);
	assert_int_equal(tables(), 6);
}

static void test_invalid_arguments(void **state)
{
	assert_int_equal(paging_create(&pg, 0x1001, SZ_4K, 0x2000, RW, 0),
			 -EINVAL);
	assert_int_equal(paging_create(&pg, 0x1000, SZ_4K, 0x2800, RW, 0),
			 -EINVAL);
	assert_int_equal(paging_create(&pg, 0x1000, 0x800, 0x2000, RW, 0),
			 -EINVAL);
	assert_int_equal(paging_create(&pg, ~0UL & PAGE_MASK, 2 * SZ_4K,
				       0x2000, RW, 0), -EINVAL);
	assert_int_equal(paging_create(&pg, 0x1000, 2 * SZ_4K,
				       ~0UL & PAGE_MASK, RW, 0), -EINVAL);
	assert_int_equal(paging_destroy(&pg, 0x2800, SZ_4K), -EINVAL);
	assert_int_equal(paging_destroy(&pg, 0x2000, 0x800), -EINVAL);
	assert_int_equal(paging_destroy(&pg, ~0UL & PAGE_MASK, 2 * SZ_4K),
			 -EINVAL);
	assert_int_equal(tables(), 0);

	/* nothing to do is no error and allocates nothing */
	assert_int_equal(paging_create(&pg, 0x1000, 0, 0x2000, RW, 0), 0);
	assert_int_equal(paging_destroy(&pg, 0x2000, 0), 0);
	assert_int_equal(tables(), 0);
	assert_unmapped(0x2000);
}

static void test_destroy_splits_block(void **state)
{
	unsigned int before;

	paging_create(&pg, 0x80000000, SZ_2M, 0x40200000, RW, PAGING_HUGE);
	assert_int_equal(tables(), 2);

	before = flushes;
	assert_int_equal(paging_destroy(&pg, 0x40203000, SZ_4K), 0);
	assert_true(flushes > before);
	assert_unmapped(0x40203000);
	assert_maps(0x40202000, 0x80002000, RW);
	assert_maps(0x40204000, 0x80004000, RW);
	assert_maps(0x40200000, 0x80000000, RW);
	assert_maps(0x403ff000, 0x801ff000, RW);
	assert_int_equal(tables(), 3);
}

static void test_destroy_frees_tables(void **state)
{
	paging_create(&pg, 0x1ff000, SZ_2M + 2 * SZ_4K, 0x1ff000, RW,
		      PAGING_HUGE);
	paging_create(&pg, 0x80000000, SZ_1G, 0xc0000000, RW, PAGING_HUGE);
	paging_create(&pg, 0x9000, SZ_4K, 0x8000000000, RW, PAGING_HUGE);
	assert_int_equal(tables(), 4 + 3);

	/* part of a range keeps the tables that are still in use */
	assert_int_equal(paging_destroy(&pg, 0x1ff000, SZ_4K), 0);
	assert_unmapped(0x1ff000);
	assert_maps(0x200000, 0x200000, RW);
	assert_int_equal(tables(), 3 + 3);

	assert_int_equal(paging_destroy(&pg, 0x200000, SZ_2M + SZ_4K), 0);
	assert_int_equal(paging_destroy(&pg, 0xc0000000, SZ_1G), 0);
	assert_int_equal(tables(), 3);
	assert_int_equal(paging_destroy(&pg, 0x8000000000, SZ_4K), 0);
	assert_int_equal(tables(), 0);
	assert_unmapped(0x200000);
	assert_unmapped(0xc0000000);
	assert_unmapped(0x8000000000);

	/* destroying what is not mapped is fine */
	assert_int_equal(paging_destroy(&pg, 0, SZ_1G), 0);
	assert_int_equal(tables(), 0);
}

static void test_remap_replaces(void **state)
{
	unsigned int before;

	paging_create(&pg, 0x1000, SZ_4K, 0x40000000, RW, PAGING_HUGE);
	before = flushes;
	paging_create(&pg, 0x7000, SZ_4K, 0x40000000, PAGE_FLAG_READ,
		      PAGING_HUGE);
	/* the valid entry was cleared and flushed before the new one */
	assert_true(flushes > before);
	assert_maps(0x40000000, 0x7000, PAGE_FLAG_READ);
	assert_int_equal(tables(), 3);

	/* a block over a table of pages replaces and frees the table */
	paging_create(&pg, 0x80000000, SZ_2M, 0x40000000, RW, PAGING_HUGE);
	assert_maps(0x40000000, 0x80000000, RW);
	assert_maps(0x40001000, 0x80001000, RW);
	assert_int_equal(tables(), 2);

	/* pages into a block split it, the rest keeps its translation */
	paging_create(&pg, 0x3000, SZ_4K, 0x40100000, RW, PAGING_HUGE);
	assert_maps(0x40100000, 0x3000, RW);
	assert_maps(0x40101000, 0x80101000, RW);
	assert_maps(0x400ff000, 0x800ff000, RW);
	assert_int_equal(tables(), 3);
}

static void test_remap_same_keeps_entries(void **state)
{
	unsigned int before;

	paging_create(&pg, 0x80000000, SZ_2M, 0x40200000, RW, PAGING_HUGE);
	paging_create(&pg, 0x9000, SZ_4K, 0x8000000000, RW, PAGING_HUGE);

	/* what is mapped as asked stays: no break-before-make */
	before = breaks;
	assert_int_equal(paging_create(&pg, 0x80000000, SZ_2M, 0x40200000,
				       RW, PAGING_HUGE), 0);
	assert_int_equal(paging_create(&pg, 0x9000, SZ_4K, 0x8000000000, RW,
				       PAGING_HUGE), 0);
	assert_int_equal(breaks, before);
	assert_maps(0x40200000, 0x80000000, RW);
	assert_maps(0x8000000000, 0x9000, RW);

	/* other rights are another entry */
	paging_create(&pg, 0x9000, SZ_4K, 0x8000000000, PAGE_FLAG_READ,
		      PAGING_HUGE);
	assert_true(breaks > before);
	assert_maps(0x8000000000, 0x9000, PAGE_FLAG_READ);
}

static void test_remap_restores_block(void **state)
{
	unsigned long used;

	paging_create(&pg, 0x80000000, SZ_2M, 0x40200000, RW, PAGING_HUGE);
	used = mem_pool.used_pages;

	/* a cell takes a page out of the block, then gives it back */
	paging_destroy(&pg, 0x40210000, SZ_4K);
	assert_int_equal(mem_pool.used_pages, used + 1);
	paging_create(&pg, 0x80010000, SZ_4K, 0x40210000, RW, PAGING_HUGE);
	assert_maps(0x40210000, 0x80010000, RW);
	assert_int_equal(mem_pool.used_pages, used + 1);

	/* mapping the whole block again makes it one block */
	paging_create(&pg, 0x80000000, SZ_2M, 0x40200000, RW, PAGING_HUGE);
	assert_int_equal(mem_pool.used_pages, used);
	assert_maps(0x40210000, 0x80010000, RW);
	assert_maps(0x403ff000, 0x801ff000, RW);
}

static void test_out_of_memory(void **state)
{
	unsigned long free_pages = mem_pool.pages - mem_pool.used_pages;
	void *rest;

	/* leave two pages: a new 4 KiB mapping needs three tables */
	rest = page_alloc(&mem_pool, free_pages - 2);
	assert_non_null(rest);
	assert_int_equal(paging_create(&pg, 0x1000, SZ_4K, 0x40000000, RW,
				       PAGING_HUGE), -ENOMEM);
	assert_unmapped(0x40000000);

	/* a 2 MiB block needs only two */
	paging_destroy(&pg, 0, 1UL << 40);
	assert_int_equal(mem_pool.pages - mem_pool.used_pages, 2);
	assert_int_equal(paging_create(&pg, 0x200000, SZ_2M, 0x40000000, RW,
				       PAGING_HUGE), 0);
	assert_maps(0x40000000, 0x200000, RW);

	/* splitting it needs one more page */
	assert_int_equal(paging_destroy(&pg, 0x40000000, SZ_4K), -ENOMEM);
	assert_maps(0x40000000, 0x200000, RW);

	page_free(&mem_pool, rest, free_pages - 2);
}

static void test_free_structures(void **state)
{
	struct paging_structures other;

	assert_int_equal(paging_init_structures(&other, &test_desc), 0);
	assert_int_equal(mem_pool.used_pages, 2);
	paging_create(&other, 0x1000, SZ_4K, 0x40000000, RW, PAGING_HUGE);
	paging_create(&other, 0x1000, SZ_4K, 0x8000000000, RW, PAGING_HUGE);
	paging_create(&other, 0x0, SZ_2M, 0x200000, RW, PAGING_HUGE);
	assert_int_equal(mem_pool.used_pages, 2 + 3 + 3 + 1);

	paging_free_structures(&other);
	assert_null(other.root_table);
	assert_int_equal(mem_pool.used_pages, 1);
	/* twice is harmless */
	paging_free_structures(&other);
	assert_int_equal(mem_pool.used_pages, 1);
}

/* hv_paging and remap_pool for the mapping helpers. */
static int setup_remap(void **state)
{
	if (setup(state))
		return -1;
	page_pool_init(&remap_pool, (void *)TEST_REMAP_BASE, REMAP_PAGES,
		       remap_bitmap, 0);
	return paging_init_structures(&hv_paging, &test_desc);
}

static int teardown_remap(void **state)
{
	paging_free_structures(&hv_paging);
	return teardown(state);
}

static void assert_hv_maps(const void *virt, unsigned long phys,
			   unsigned long flags)
{
	unsigned long got_flags = ~0UL;

	assert_int_equal(paging_virt2phys(&hv_paging, (unsigned long)virt,
					  &got_flags), phys);
	assert_int_equal(got_flags, flags);
}

static void test_map_device(void **state)
{
	char *regs, *two;

	regs = paging_map_device(0x09000123, 0x10);
	assert_ptr_equal(regs, (char *)TEST_REMAP_BASE + 0x123);
	assert_hv_maps(regs, 0x09000123, PAGE_DEVICE_FLAGS);
	assert_int_equal(remap_pool.used_pages, 1);

	/* a range across a page boundary takes two pages */
	two = paging_map_device(0x0a000ff0, 0x20);
	assert_ptr_equal(two, (char *)TEST_REMAP_BASE + SZ_4K + 0xff0);
	assert_hv_maps(two, 0x0a000ff0, PAGE_DEVICE_FLAGS);
	assert_hv_maps(two + 0x10, 0x0a001000, PAGE_DEVICE_FLAGS);
	assert_int_equal(remap_pool.used_pages, 3);

	paging_unmap_device(0x09000123, regs, 0x10);
	assert_int_equal(paging_virt2phys(&hv_paging, (unsigned long)regs,
					  NULL), INVALID_PHYS_ADDR);
	assert_int_equal(remap_pool.used_pages, 2);
	paging_unmap_device(0x0a000ff0, two, 0x20);
	assert_int_equal(remap_pool.used_pages, 0);
	assert_int_equal(paging_virt2phys(&hv_paging, (unsigned long)two +
					  0x10, NULL), INVALID_PHYS_ADDR);

	assert_null(paging_map_device(0x09000000, 0));
	paging_unmap_device(0x09000000, NULL, 0x1000);

	/* the remap pool runs out */
	regs = paging_map_device(0x10000000, REMAP_PAGES * SZ_4K);
	assert_non_null(regs);
	assert_null(paging_map_device(0x20000000, 1));
	paging_unmap_device(0x10000000, regs, REMAP_PAGES * SZ_4K);
	assert_int_equal(remap_pool.used_pages, 0);
}

static void test_map_guest(void **state)
{
	unsigned long remap_used;
	char *p;

	/* a cell: RW pages not contiguous in physical memory, a RO page, I/O */
	paging_create(&pg, 0x70000000, SZ_4K, 0x0, RW, PAGING_HUGE);
	paging_create(&pg, 0x70005000, SZ_4K, 0x1000, RW, PAGING_HUGE);
	paging_create(&pg, 0x70009000, SZ_4K, 0x2000, PAGE_FLAG_READ,
		      PAGING_HUGE);
	paging_create(&pg, 0x09000000, SZ_4K, 0x3000, PAGE_DEVICE_FLAGS,
		      PAGING_HUGE);

	p = paging_map_guest(&pg, 0xff0, 0x20, RW);
	assert_non_null(p);
	assert_int_equal((unsigned long)p & PAGE_OFFS_MASK, 0xff0);
	assert_hv_maps(p, 0x70000ff0, RW);
	assert_hv_maps(p + 0x10, 0x70005000, RW);
	assert_int_equal(remap_pool.used_pages, 2);
	paging_unmap_device(0xff0, p, 0x20);
	assert_int_equal(remap_pool.used_pages, 0);

	/* read-only guest memory can be mapped for reading only */
	p = paging_map_guest(&pg, 0x2000, 0x10, PAGE_FLAG_READ);
	assert_non_null(p);
	assert_hv_maps(p, 0x70009000, PAGE_FLAG_READ);
	paging_unmap_device(0x2000, p, 0x10);

	remap_used = remap_pool.used_pages;
	assert_null(paging_map_guest(&pg, 0x1000, 0x2000, RW));
	/* device memory is refused */
	assert_null(paging_map_guest(&pg, 0x3000, 4, PAGE_FLAG_READ));
	/* unmapped guest memory is refused */
	assert_null(paging_map_guest(&pg, 0x4000, 4, PAGE_FLAG_READ));
	assert_null(paging_map_guest(&pg, 0x1000, 0, PAGE_FLAG_READ));
	assert_null(paging_map_guest(&pg, ~0UL - 4, 0x10, PAGE_FLAG_READ));
	/* nothing leaked from the failed attempts */
	assert_int_equal(remap_pool.used_pages, remap_used);
	assert_int_equal(paging_virt2phys(&hv_paging, TEST_REMAP_BASE, NULL),
			 INVALID_PHYS_ADDR);
	assert_int_equal(paging_virt2phys(&hv_paging, TEST_REMAP_BASE + SZ_4K,
					  NULL), INVALID_PHYS_ADDR);
}

static void test_mem_flags(void **state)
{
	assert_int_equal(paging_mem_flags(0), 0);
	assert_int_equal(paging_mem_flags(JAILHOUSE_MEM_READ |
					  JAILHOUSE_MEM_EXECUTE |
					  JAILHOUSE_MEM_DMA),
			 PAGE_FLAG_READ | PAGE_FLAG_EXEC);
	assert_int_equal(paging_mem_flags(JAILHOUSE_MEM_READ |
					  JAILHOUSE_MEM_WRITE |
					  JAILHOUSE_MEM_IO |
					  JAILHOUSE_MEM_ROOTSHARED),
			 PAGE_DEVICE_FLAGS);
}

#define paging_test(f) \
	cmocka_unit_test_setup_teardown(f, setup, teardown)
#define remap_test(f) \
	cmocka_unit_test_setup_teardown(f, setup_remap, teardown_remap)

int main(void)
{
	const struct CMUnitTest tests[] = {
		paging_test(test_page_mapping),
		paging_test(test_huge_2m),
		paging_test(test_no_huge_2m),
		paging_test(test_huge_1g),
		paging_test(test_huge_needs_aligned_phys),
		paging_test(test_mixed_blocks_and_pages),
		paging_test(test_crossing_top_level),
		paging_test(test_invalid_arguments),
		paging_test(test_destroy_splits_block),
		paging_test(test_destroy_frees_tables),
		paging_test(test_remap_replaces),
		paging_test(test_remap_same_keeps_entries),
		paging_test(test_remap_restores_block),
		paging_test(test_out_of_memory),
		paging_test(test_free_structures),
		remap_test(test_map_device),
		remap_test(test_map_guest),
		cmocka_unit_test(test_mem_flags),
	};

	return cmocka_run_group_tests_name("paging", tests, NULL, NULL);
}
