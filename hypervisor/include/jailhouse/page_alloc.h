/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page pools: the memory pool (pages of hypervisor memory behind the
 * per-CPU areas and the config) and the remap pool (hypervisor virtual
 * addresses without memory behind them, for device and temporary
 * mappings).  A bitmap marks used pages.
 */
#ifndef _JAILHOUSE_PAGE_ALLOC_H
#define _JAILHOUSE_PAGE_ALLOC_H

#include <jailhouse/types.h>

struct page_pool {
	void *base_address;
	unsigned long pages;
	unsigned long used_pages;
	/*
	 * Pages from the first one that were ever handed out or hold the
	 * bitmap: all of the pool that may have been written.
	 */
	unsigned long touched_pages;
	unsigned long *used_bitmap;
	/* PAGE_POOL_SCRUB: clear pages before they are handed out */
	unsigned long flags;
};

#define PAGE_POOL_SCRUB		0x1

extern struct page_pool mem_pool;
extern struct page_pool remap_pool;

/*
 * page_pool_init() - set up a pool
 * @pool:	the pool
 * @base:	address of its first page
 * @pages:	number of pages
 * @bitmap:	BITS_TO_LONGS(@pages) words for the used bitmap, or NULL to
 *		keep the bitmap in the first pages of the pool itself (which
 *		are then marked used)
 * @flags:	PAGE_POOL_SCRUB or 0
 *
 * Return: 0, or -ENOMEM if the pool cannot even hold its own bitmap.
 */
int page_pool_init(struct page_pool *pool, void *base, unsigned long pages,
		   unsigned long *bitmap, unsigned long flags);

/* @num contiguous pages, or NULL. */
void *page_alloc(struct page_pool *pool, unsigned long num);
/* @num contiguous pages aligned to @num pages (@num a power of two). */
void *page_alloc_aligned(struct page_pool *pool, unsigned long num);
void page_free(struct page_pool *pool, void *first, unsigned long num);

#endif /* !_JAILHOUSE_PAGE_ALLOC_H */
