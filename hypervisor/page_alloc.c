// SPDX-License-Identifier: GPL-2.0
/*
 * Page pools with a used-page bitmap.
 *
 * Host unit tests: this file needs only jailhouse/{page_alloc,bitops,
 * string,utils,paging}.h and asm/spinlock.h; a test provides its own
 * asm/spinlock.h (an empty spinlock_t and no-op spin_lock/spin_unlock) in
 * front of the include path and pools over memory from aligned_alloc().
 */
#include <jailhouse/bitops.h>
#include <jailhouse/errno.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/spinlock.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>

struct page_pool mem_pool;
struct page_pool remap_pool;

/* One lock for all pools: allocations are rare and short. */
static DEFINE_SPINLOCK(pool_lock);

int page_pool_init(struct page_pool *pool, void *base, unsigned long pages,
		   unsigned long *bitmap, unsigned long flags)
{
	unsigned long bitmap_pages = 0;

	pool->base_address = base;
	pool->pages = pages;
	pool->flags = flags;
	pool->used_pages = 0;

	if (!bitmap) {
		bitmap_pages = PAGES(BITS_TO_LONGS(pages) * sizeof(long));
		if (bitmap_pages >= pages)
			return -ENOMEM;
		bitmap = base;
	}
	memset(bitmap, 0, BITS_TO_LONGS(pages) * sizeof(long));
	pool->used_bitmap = bitmap;

	bitmap_set(pool->used_bitmap, 0, bitmap_pages);
	pool->used_pages = bitmap_pages;
	pool->touched_pages = bitmap_pages;
	return 0;
}

static void *alloc_pages(struct page_pool *pool, unsigned long num,
			 unsigned long align)
{
	unsigned long start, base_page;
	void *first;

	if (num == 0)
		return NULL;

	/* The alignment is one of the address, not of the bitmap index. */
	base_page = (unsigned long)pool->base_address / PAGE_SIZE;

	spin_lock(&pool_lock);
	start = bitmap_find_free_area(pool->used_bitmap, pool->pages, num,
				      align, base_page & (align - 1));
	if (start >= pool->pages) {
		spin_unlock(&pool_lock);
		return NULL;
	}
	bitmap_set(pool->used_bitmap, start, num);
	pool->used_pages += num;
	pool->touched_pages = MAX(pool->touched_pages, start + num);
	spin_unlock(&pool_lock);

	first = (char *)pool->base_address + start * PAGE_SIZE;
	if (pool->flags & PAGE_POOL_SCRUB)
		memset(first, 0, num * PAGE_SIZE);
	return first;
}

void *page_alloc(struct page_pool *pool, unsigned long num)
{
	return alloc_pages(pool, num, 1);
}

void *page_alloc_aligned(struct page_pool *pool, unsigned long num)
{
	if (num & (num - 1))
		return NULL;
	return alloc_pages(pool, num, num);
}

void page_free(struct page_pool *pool, void *first, unsigned long num)
{
	unsigned long start;

	if (!first || num == 0)
		return;

	start = ((char *)first - (char *)pool->base_address) / PAGE_SIZE;
	spin_lock(&pool_lock);
	bitmap_clear(pool->used_bitmap, start, num);
	pool->used_pages -= num;
	spin_unlock(&pool_lock);
}
