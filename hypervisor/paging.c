// SPDX-License-Identifier: GPL-2.0
/*
 * Generic page-table builder.
 *
 * The format comes from a struct paging_desc: the levels as data (address
 * shift, entries per table, blocks allowed) and the entry encoding as
 * callbacks.  Tables are allocated from mem_pool and linked by physical
 * address (hv_phys_offset converts).
 *
 * Host unit tests compile this file with page_alloc.c, bitmap.c and lib.c
 * or the host's libc, a substitute asm/spinlock.h (see page_alloc.c), a
 * paging_desc of their own (any encoding that keeps the physical address in
 * bits 12..47), hv_phys_offset = 0 and mem_pool over aligned_alloc()
 * memory.  paging_map_device() and paging_map_guest() additionally need
 * hv_paging and remap_pool set up.
 */
#include <jailhouse/bitops.h>
#include <jailhouse/cell-config.h>
#include <jailhouse/errno.h>
#include <jailhouse/paging.h>
#include <jailhouse/spinlock.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>

unsigned long hv_phys_offset;
struct paging_structures hv_paging;

/* Serialises changes of hv_paging from several CPUs. */
static DEFINE_SPINLOCK(hv_paging_lock);

static inline unsigned long level_size(const struct paging_level *level)
{
	return 1UL << level->shift;
}

static inline unsigned int level_index(const struct paging_level *level,
				       unsigned long virt)
{
	return (virt >> level->shift) & (level->entries - 1);
}

static inline bool is_last_level(const struct paging_desc *desc,
				 unsigned int n)
{
	return n == desc->num_levels - 1;
}

static inline bool is_leaf(const struct paging_desc *desc, unsigned int n,
			   pt_entry_t entry)
{
	return is_last_level(desc, n) ||
		!desc->entry_is_table(entry, false);
}

static pt_entry_t *next_table(const struct paging_desc *desc,
			      pt_entry_t entry)
{
	return paging_phys2hvirt(desc->entry_phys(entry));
}

static void flush(const struct paging_structures *pg, unsigned long virt,
		  unsigned long size)
{
	if (pg->desc->flush_tlb)
		pg->desc->flush_tlb(pg, virt, size);
}

static void free_tables(const struct paging_desc *desc, pt_entry_t *table,
			unsigned int n)
{
	unsigned int i;

	/* most entries are empty, 0 (as unmapping leaves them): no calls */
	if (!is_last_level(desc, n))
		for (i = 0; i < desc->levels[n].entries; i++)
			if (table[i] && desc->entry_valid(table[i]) &&
			    !is_leaf(desc, n, table[i]))
				free_tables(desc, next_table(desc, table[i]),
					    n + 1);
	page_free(&mem_pool, table, n == 0 ? desc->root_pages : 1);
}

int paging_init_structures(struct paging_structures *pg,
			   const struct paging_desc *desc)
{
	pg->desc = desc;
	pg->root_table = page_alloc_aligned(&mem_pool, desc->root_pages);
	if (!pg->root_table)
		return -ENOMEM;
	memset(pg->root_table, 0, desc->root_pages * PAGE_SIZE);
	return 0;
}

void paging_free_structures(struct paging_structures *pg)
{
	if (pg->root_table)
		free_tables(pg->desc, pg->root_table, 0);
	pg->root_table = NULL;
}

/*
 * Replace the block at *@entry (level @n, covering @virt) by a table of
 * the next level with the same translation, break-before-make.
 */
static int split_block(const struct paging_structures *pg, pt_entry_t *entry,
		       unsigned int n, unsigned long virt)
{
	const struct paging_desc *desc = pg->desc;
	const struct paging_level *sub = &desc->levels[n + 1];
	unsigned long phys = desc->entry_phys(*entry);
	unsigned long flags = desc->entry_flags(*entry);
	bool last = is_last_level(desc, n + 1);
	pt_entry_t *table;
	unsigned int i;

	table = page_alloc(&mem_pool, 1);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < sub->entries; i++)
		table[i] = desc->leaf_entry(phys + i * level_size(sub), flags,
					    last);

	virt &= ~(level_size(&desc->levels[n]) - 1);
	*entry = 0;
	flush(pg, virt, level_size(&desc->levels[n]));
	*entry = desc->table_entry(paging_hvirt2phys(table));
	return 0;
}

static int create_level(const struct paging_structures *pg,
			pt_entry_t *table, unsigned int n, unsigned long phys,
			unsigned long size, unsigned long virt,
			unsigned long flags, unsigned long paging_flags)
{
	const struct paging_desc *desc = pg->desc;
	const struct paging_level *level = &desc->levels[n];
	unsigned long bsize = level_size(level), chunk;
	bool last = is_last_level(desc, n);
	pt_entry_t *entry, *sub, leaf;
	int err;

	while (size > 0) {
		entry = &table[level_index(level, virt)];
		chunk = MIN(size, bsize - (virt & (bsize - 1)));

		if (last || (level->block && (paging_flags & PAGING_HUGE) &&
			     chunk == bsize && IS_ALIGNED(phys, bsize))) {
			leaf = desc->leaf_entry(phys, flags, last);
			/*
			 * Mapping again what is mapped (memory going back to
			 * a cell that kept the rest) leaves live entries alone.
			 */
			if (*entry == leaf)
				goto next;
			if (desc->entry_valid(*entry)) {
				sub = is_leaf(desc, n, *entry) ? NULL :
					next_table(desc, *entry);
				*entry = 0;
				flush(pg, virt, bsize);
				if (sub)
					free_tables(desc, sub, n + 1);
			}
			*entry = leaf;
		} else {
			if (!desc->entry_valid(*entry)) {
				sub = page_alloc(&mem_pool, 1);
				if (!sub)
					return -ENOMEM;
				memset(sub, 0, PAGE_SIZE);
				*entry = desc->table_entry(
						paging_hvirt2phys(sub));
			} else if (is_leaf(desc, n, *entry)) {
				err = split_block(pg, entry, n, virt);
				if (err)
					return err;
			}
			err = create_level(pg, next_table(desc, *entry), n + 1,
					   phys, chunk, virt, flags,
					   paging_flags);
			if (err)
				return err;
		}
next:
		phys += chunk;
		virt += chunk;
		size -= chunk;
	}
	return 0;
}

int paging_create(const struct paging_structures *pg, unsigned long phys,
		  unsigned long size, unsigned long virt, unsigned long flags,
		  unsigned long paging_flags)
{
	int err;

	if ((phys | size | virt) & PAGE_OFFS_MASK)
		return -EINVAL;
	if (size == 0)
		return 0;
	/* no wrap-around of either range */
	if (phys + size - 1 < phys || virt + size - 1 < virt)
		return -EINVAL;

	err = create_level(pg, pg->root_table, 0, phys, size, virt, flags,
			   paging_flags);
	/* make the new entries visible to the table walker */
	flush(pg, virt, 0);
	return err;
}

static bool table_empty(const struct paging_desc *desc, pt_entry_t *table,
			unsigned int n)
{
	unsigned int i;

	for (i = 0; i < desc->levels[n].entries; i++)
		if (table[i] && desc->entry_valid(table[i]))
			return false;
	return true;
}

static int destroy_level(const struct paging_structures *pg,
			 pt_entry_t *table, unsigned int n, unsigned long virt,
			 unsigned long size)
{
	const struct paging_desc *desc = pg->desc;
	const struct paging_level *level = &desc->levels[n];
	unsigned long bsize = level_size(level), chunk;
	pt_entry_t *entry, *sub;
	int err;

	while (size > 0) {
		entry = &table[level_index(level, virt)];
		chunk = MIN(size, bsize - (virt & (bsize - 1)));

		if (desc->entry_valid(*entry)) {
			if (is_leaf(desc, n, *entry)) {
				if (chunk == bsize) {
					*entry = 0;
					goto next;
				}
				err = split_block(pg, entry, n, virt);
				if (err)
					return err;
			}
			sub = next_table(desc, *entry);
			err = destroy_level(pg, sub, n + 1, virt, chunk);
			if (err)
				return err;
			if (table_empty(desc, sub, n + 1)) {
				*entry = 0;
				/* no walker may still use it when reused */
				flush(pg, virt & ~(bsize - 1), bsize);
				page_free(&mem_pool, sub, 1);
			}
		}
next:
		virt += chunk;
		size -= chunk;
	}
	return 0;
}

int paging_destroy(const struct paging_structures *pg, unsigned long virt,
		   unsigned long size)
{
	int err;

	if ((size | virt) & PAGE_OFFS_MASK)
		return -EINVAL;
	if (size == 0)
		return 0;
	if (virt + size - 1 < virt)
		return -EINVAL;

	err = destroy_level(pg, pg->root_table, 0, virt, size);
	flush(pg, virt, size);
	return err;
}

unsigned long paging_virt2phys(const struct paging_structures *pg,
			       unsigned long virt, unsigned long *flags)
{
	const struct paging_desc *desc = pg->desc;
	pt_entry_t *table = pg->root_table, entry;
	unsigned int n;

	for (n = 0; n < desc->num_levels; n++) {
		entry = table[level_index(&desc->levels[n], virt)];
		if (!desc->entry_valid(entry))
			return INVALID_PHYS_ADDR;
		if (is_leaf(desc, n, entry)) {
			if (flags)
				*flags = desc->entry_flags(entry);
			return desc->entry_phys(entry) +
				(virt & (level_size(&desc->levels[n]) - 1));
		}
		table = next_table(desc, entry);
	}
	return INVALID_PHYS_ADDR;
}

static void *remap(unsigned long phys, unsigned long size,
		   unsigned long flags)
{
	unsigned long offset = phys & PAGE_OFFS_MASK;
	unsigned long pages = PAGES(offset + size);
	void *virt;
	int err;

	virt = page_alloc(&remap_pool, pages);
	if (!virt)
		return NULL;

	spin_lock(&hv_paging_lock);
	err = paging_create(&hv_paging, phys - offset, pages * PAGE_SIZE,
			    (unsigned long)virt, flags, PAGING_NO_HUGE);
	spin_unlock(&hv_paging_lock);
	if (err) {
		page_free(&remap_pool, virt, pages);
		return NULL;
	}
	return (char *)virt + offset;
}

void *paging_map_device(unsigned long phys, unsigned long size)
{
	if (size == 0)
		return NULL;
	return remap(phys, size, PAGE_DEVICE_FLAGS);
}

void *paging_map_memory(unsigned long phys, unsigned long size)
{
	if (size == 0)
		return NULL;
	return remap(phys, size, PAGE_DEFAULT_FLAGS);
}

void paging_unmap_device(unsigned long phys, void *virt, unsigned long size)
{
	unsigned long offset = phys & PAGE_OFFS_MASK;
	unsigned long pages = PAGES(offset + size);
	unsigned long start = (unsigned long)virt - offset;

	if (!virt)
		return;

	spin_lock(&hv_paging_lock);
	paging_destroy(&hv_paging, start, pages * PAGE_SIZE);
	spin_unlock(&hv_paging_lock);
	page_free(&remap_pool, (void *)start, pages);
}

void *paging_map_guest(const struct paging_structures *pg,
		       unsigned long gphys, unsigned long size,
		       unsigned long flags)
{
	unsigned long offset = gphys & PAGE_OFFS_MASK;
	unsigned long pages = PAGES(offset + size);
	unsigned long page, phys, gflags;
	void *virt;
	int err;

	if (size == 0 || gphys + size - 1 < gphys)
		return NULL;

	virt = page_alloc(&remap_pool, pages);
	if (!virt)
		return NULL;

	/* Guest-contiguous need not be physically contiguous: page-wise. */
	spin_lock(&hv_paging_lock);
	for (page = 0; page < pages; page++) {
		phys = paging_virt2phys(pg, gphys - offset + page * PAGE_SIZE,
					&gflags);
		if (phys == INVALID_PHYS_ADDR || (gflags & flags) != flags ||
		    (gflags & PAGE_FLAG_DEVICE))
			break;
		err = paging_create(&hv_paging, phys & PAGE_MASK, PAGE_SIZE,
				    (unsigned long)virt + page * PAGE_SIZE,
				    flags & (PAGE_FLAG_READ | PAGE_FLAG_WRITE),
				    PAGING_NO_HUGE);
		if (err)
			break;
	}
	if (page < pages) {
		paging_destroy(&hv_paging, (unsigned long)virt,
			       page * PAGE_SIZE);
		spin_unlock(&hv_paging_lock);
		page_free(&remap_pool, virt, pages);
		return NULL;
	}
	spin_unlock(&hv_paging_lock);
	return (char *)virt + offset;
}

unsigned long paging_mem_flags(u64 flags)
{
	unsigned long page_flags = 0;

	if (flags & JAILHOUSE_MEM_READ)
		page_flags |= PAGE_FLAG_READ;
	if (flags & JAILHOUSE_MEM_WRITE)
		page_flags |= PAGE_FLAG_WRITE;
	if (flags & JAILHOUSE_MEM_EXECUTE)
		page_flags |= PAGE_FLAG_EXEC;
	if (flags & JAILHOUSE_MEM_IO)
		page_flags |= PAGE_FLAG_DEVICE;
	return page_flags;
}
