// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the page pools (hypervisor/page_alloc.c) over host memory.
 */
#include "test.h"

#include <jailhouse/bitops.h>
#include <jailhouse/errno.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>

/* Pool memory: aligned far beyond a page so tests can misalign it. */
#define AREA_ALIGN	(64 * PAGE_SIZE)
#define AREA_PAGES	128

static char *area;

static int setup(void **state)
{
	area = aligned_alloc(AREA_ALIGN, AREA_PAGES * PAGE_SIZE);
	return area ? 0 : -1;
}

static int teardown(void **state)
{
	free(area);
	return 0;
}

static char *page(unsigned long n)
{
	return area + n * PAGE_SIZE;
}

static void test_init_external_bitmap(void **state)
{
	unsigned long bitmap[BITS_TO_LONGS(AREA_PAGES)];
	struct page_pool pool;

	memset(bitmap, 0xff, sizeof(bitmap));
	assert_int_equal(page_pool_init(&pool, area, AREA_PAGES, bitmap, 0),
			 0);
	assert_int_equal(pool.pages, AREA_PAGES);
	assert_int_equal(pool.used_pages, 0);
	assert_ptr_equal(pool.used_bitmap, bitmap);
	assert_int_equal(bitmap_weight(bitmap, AREA_PAGES), 0);
	assert_ptr_equal(page_alloc(&pool, 1), page(0));
}

static void test_init_internal_bitmap(void **state)
{
	struct page_pool pool;

	assert_int_equal(page_pool_init(&pool, area, AREA_PAGES, NULL, 0), 0);
	/* the bitmap takes the first page and is marked used */
	assert_ptr_equal(pool.used_bitmap, area);
	assert_int_equal(pool.used_pages, 1);
	assert_int_equal(pool.touched_pages, 1);
	assert_true(test_bit(0, pool.used_bitmap));
	assert_false(test_bit(1, pool.used_bitmap));
	assert_ptr_equal(page_alloc(&pool, 1), page(1));
}

static void test_init_too_small(void **state)
{
	struct page_pool pool;

	/* no room for anything beside its own bitmap */
	assert_int_equal(page_pool_init(&pool, area, 1, NULL, 0), -ENOMEM);
	assert_int_equal(page_pool_init(&pool, area, 0, NULL, 0), -ENOMEM);
	assert_int_equal(page_pool_init(&pool, area, 2, NULL, 0), 0);
	assert_ptr_equal(page_alloc(&pool, 1), page(1));
	assert_null(page_alloc(&pool, 1));
}

static void test_alloc_until_exhausted(void **state)
{
	unsigned long bitmap[BITS_TO_LONGS(8)];
	struct page_pool pool;

	page_pool_init(&pool, area, 8, bitmap, 0);
	assert_null(page_alloc(&pool, 0));
	assert_int_equal(pool.used_pages, 0);

	assert_ptr_equal(page_alloc(&pool, 3), page(0));
	assert_ptr_equal(page_alloc(&pool, 1), page(3));
	assert_int_equal(pool.used_pages, 4);

	/* four pages left: five do not fit, four do */
	assert_null(page_alloc(&pool, 5));
	assert_int_equal(pool.used_pages, 4);
	assert_ptr_equal(page_alloc(&pool, 4), page(4));
	assert_int_equal(pool.used_pages, 8);
	assert_null(page_alloc(&pool, 1));
	assert_int_equal(pool.used_pages, 8);
}

static void test_free_and_reuse(void **state)
{
	unsigned long bitmap[BITS_TO_LONGS(16)];
	struct page_pool pool;
	void *a, *b, *c;

	page_pool_init(&pool, area, 16, bitmap, 0);
	a = page_alloc(&pool, 4);
	b = page_alloc(&pool, 4);
	c = page_alloc(&pool, 4);
	assert_ptr_equal(b, page(4));

	page_free(&pool, b, 4);
	assert_int_equal(pool.used_pages, 8);
	/* what was handed out once may still be in the caches */
	assert_int_equal(pool.touched_pages, 12);
	assert_false(test_bit(4, pool.used_bitmap));
	assert_false(test_bit(7, pool.used_bitmap));
	assert_true(test_bit(8, pool.used_bitmap));

	/* the hole is too small for five, which go behind c */
	assert_null(page_alloc(&pool, 5));
	assert_ptr_equal(page_alloc(&pool, 2), page(4));
	assert_ptr_equal(page_alloc(&pool, 2), page(6));
	assert_ptr_equal(page_alloc(&pool, 4), page(12));
	assert_int_equal(pool.used_pages, 16);

	/* freeing nothing changes nothing */
	page_free(&pool, NULL, 4);
	page_free(&pool, a, 0);
	assert_int_equal(pool.used_pages, 16);

	page_free(&pool, a, 4);
	page_free(&pool, c, 4);
	assert_int_equal(pool.used_pages, 8);
	assert_ptr_equal(page_alloc(&pool, 4), page(0));
}

static void test_alloc_aligned(void **state)
{
	unsigned long bitmap[BITS_TO_LONGS(AREA_PAGES)];
	struct page_pool pool;
	char *p;

	/*
	 * A pool starting one page into an aligned area: the alignment is
	 * one of the address, not of the index in the pool.
	 */
	page_pool_init(&pool, page(1), AREA_PAGES - 1, bitmap, 0);
	p = page_alloc_aligned(&pool, 4);
	assert_ptr_equal(p, page(4));
	assert_int_equal((unsigned long)p % (4 * PAGE_SIZE), 0);

	p = page_alloc_aligned(&pool, 16);
	assert_ptr_equal(p, page(16));

	/* unaligned allocations fill the gaps */
	assert_ptr_equal(page_alloc(&pool, 3), page(1));
	assert_ptr_equal(page_alloc(&pool, 1), page(8));

	assert_ptr_equal(page_alloc_aligned(&pool, 1), page(9));

	/* only powers of two */
	assert_null(page_alloc_aligned(&pool, 3));
	assert_null(page_alloc_aligned(&pool, 0));

	/* larger than any aligned free run */
	assert_null(page_alloc_aligned(&pool, 128));
	assert_ptr_equal(page_alloc_aligned(&pool, 64), page(64));
}

static void test_scrub(void **state)
{
	unsigned long bitmap[BITS_TO_LONGS(4)];
	struct page_pool pool;
	char *p;

	page_pool_init(&pool, area, 4, bitmap, 0);
	p = page_alloc(&pool, 2);
	memset(p, 0xa5, 2 * PAGE_SIZE);
	page_free(&pool, p, 2);
	/* without scrubbing the old content stays */
	p = page_alloc(&pool, 2);
	assert_int_equal((unsigned char)p[PAGE_SIZE + 17], 0xa5);
	page_free(&pool, p, 2);

	page_pool_init(&pool, area, 4, bitmap, PAGE_POOL_SCRUB);
	p = page_alloc(&pool, 2);
	assert_int_equal(p[0], 0);
	assert_int_equal(p[PAGE_SIZE + 17], 0);
	assert_int_equal(p[2 * PAGE_SIZE - 1], 0);
	/* only what was handed out */
	memset(area + 2 * PAGE_SIZE, 0x5a, 2 * PAGE_SIZE);
	p = page_alloc(&pool, 1);
	assert_ptr_equal(p, page(2));
	assert_int_equal(p[0], 0);
	assert_int_equal((unsigned char)area[3 * PAGE_SIZE], 0x5a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_external_bitmap),
		cmocka_unit_test(test_init_internal_bitmap),
		cmocka_unit_test(test_init_too_small),
		cmocka_unit_test(test_alloc_until_exhausted),
		cmocka_unit_test(test_free_and_reuse),
		cmocka_unit_test(test_alloc_aligned),
		cmocka_unit_test(test_scrub),
	};

	return cmocka_run_group_tests_name("page_alloc", tests, setup,
					   teardown);
}
