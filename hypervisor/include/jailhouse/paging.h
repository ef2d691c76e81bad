/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page tables and the hypervisor's address space.
 *
 * paging.c builds and tears down page tables of any format an architecture
 * describes with struct paging_desc (levels and entry encoding as data and
 * callbacks), so the same code serves the hypervisor's EL2 stage 1 and the
 * cells' stage 2, and host unit tests can drive it with a description of
 * their own.
 */
#ifndef _JAILHOUSE_PAGING_H
#define _JAILHOUSE_PAGING_H

#include <jailhouse/types.h>
#include <jailhouse/header.h>
#include <jailhouse/page_alloc.h>

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_OFFS_MASK		(PAGE_SIZE - 1)
#define PAGES(size)		(((size) + PAGE_SIZE - 1) >> PAGE_SHIFT)

/* x86-64 with 5-level paging (CR4.LA57) has the most */
#define MAX_PAGING_LEVELS	5

#define INVALID_PHYS_ADDR	(~0UL)

/*
 * Hypervisor virtual addresses for device and temporary mappings (the
 * remap pool), below the 1 GiB-aligned region holding the image.
 */
#define REMAP_SIZE		(64UL << 20)
#define REMAP_BASE	((JAILHOUSE_BASE & ~0x3fffffffUL) - REMAP_SIZE)

/* Access rights and memory type of a mapping (architecture-neutral). */
#define PAGE_FLAG_READ		0x01
#define PAGE_FLAG_WRITE		0x02
#define PAGE_FLAG_EXEC		0x04
#define PAGE_FLAG_DEVICE	0x08	/* device memory, no gathering */
#define PAGE_FLAG_NONCACHED	0x10	/* normal memory, uncached */

#define PAGE_DEFAULT_FLAGS	(PAGE_FLAG_READ | PAGE_FLAG_WRITE)
#define PAGE_READONLY_FLAGS	PAGE_FLAG_READ
#define PAGE_DEVICE_FLAGS	(PAGE_FLAG_READ | PAGE_FLAG_WRITE | \
				 PAGE_FLAG_DEVICE)

/* Options of paging_create / paging_destroy. */
#define PAGING_NO_HUGE		0x0	/* map with pages only */
#define PAGING_HUGE		0x1	/* blocks if alignment allows */

typedef u64 pt_entry_t;

/* One translation level, from the root (index 0) to the page level. */
struct paging_level {
	/* lowest address bit this level resolves (12 for 4 KiB pages) */
	unsigned int shift;
	/* entries of one table; the root may be concatenated tables */
	unsigned int entries;
	/* a leaf (block) entry is allowed here; always true at the end */
	bool block;
};

struct paging_structures;

/*
 * The format of a page-table family.  @entry_* callbacks encode and decode
 * one entry; @last is true at the final (page) level, where the encoding of
 * a leaf may differ from a block.
 */
struct paging_desc {
	unsigned int num_levels;
	struct paging_level levels[MAX_PAGING_LEVELS];
	/* pages of the root table; it is aligned to its size */
	unsigned int root_pages;

	pt_entry_t (*leaf_entry)(unsigned long phys, unsigned long flags,
				 bool last);
	pt_entry_t (*table_entry)(unsigned long phys);
	bool (*entry_valid)(pt_entry_t entry);
	/* a valid entry that is not the last level: table or block? */
	bool (*entry_is_table)(pt_entry_t entry, bool last);
	unsigned long (*entry_phys)(pt_entry_t entry);
	unsigned long (*entry_flags)(pt_entry_t entry);

	/*
	 * Invalidate cached translations of [virt, virt + size) after valid
	 * entries were cleared (break-before-make); with size 0 only make
	 * entries written before visible to the table walker.  NULL when
	 * tables are never live, as in unit tests.
	 */
	void (*flush_tlb)(const struct paging_structures *pg,
			  unsigned long virt, unsigned long size);
};

struct paging_structures {
	const struct paging_desc *desc;
	pt_entry_t *root_table;		/* hypervisor virtual address */
	/* opaque to paging.c, e.g. the VMID the flush callback needs */
	unsigned long tag;
};

/*
 * Difference between the physical and the hypervisor virtual address of
 * hypervisor memory; page tables hold physical addresses.
 */
extern unsigned long hv_phys_offset;

static inline unsigned long paging_hvirt2phys(const volatile void *virt)
{
	return (unsigned long)virt + hv_phys_offset;
}

static inline void *paging_phys2hvirt(unsigned long phys)
{
	return (void *)(phys - hv_phys_offset);
}

int paging_init_structures(struct paging_structures *pg,
			   const struct paging_desc *desc);
void paging_free_structures(struct paging_structures *pg);

/* The PAGE_FLAG_ rights and type of a config's JAILHOUSE_MEM_ @flags. */
unsigned long paging_mem_flags(u64 flags);

int paging_create(const struct paging_structures *pg, unsigned long phys,
		  unsigned long size, unsigned long virt, unsigned long flags,
		  unsigned long paging_flags);
int paging_destroy(const struct paging_structures *pg, unsigned long virt,
		   unsigned long size);
/*
 * Return: the physical address @virt translates to and, through @flags if
 * not NULL, the PAGE_FLAG_ rights; INVALID_PHYS_ADDR if unmapped.
 */
unsigned long paging_virt2phys(const struct paging_structures *pg,
			       unsigned long virt, unsigned long *flags);

/* The hypervisor's own address space (EL2 stage 1 on arm64). */
extern struct paging_structures hv_paging;

/*
 * paging_map_device() - map device memory into the hypervisor
 * @phys:	physical start, need not be page aligned
 * @size:	bytes
 *
 * Return: hypervisor virtual address of @phys, or NULL if the remap pool is
 * exhausted.
 */
void *paging_map_device(unsigned long phys, unsigned long size);
/*
 * paging_map_memory() - map RAM into the hypervisor, cacheable
 * @phys:	physical start, need not be page aligned
 * @size:	bytes
 *
 * Return: as paging_map_device(), which undoes it.
 */
void *paging_map_memory(unsigned long phys, unsigned long size);
void paging_unmap_device(unsigned long phys, void *virt, unsigned long size);

/*
 * paging_map_guest() - map guest-physical memory of a cell temporarily
 * @pg:		the cell's stage-2 structures
 * @gphys:	guest-physical start, need not be page aligned
 * @size:	bytes
 * @flags:	PAGE_FLAG_ rights the hypervisor needs; the guest must have
 *		them, too
 *
 * Return: hypervisor virtual address of @gphys, or NULL if a page is not
 * mapped with those rights or the remap pool is exhausted.  Undo with
 * paging_unmap_device().
 */
void *paging_map_guest(const struct paging_structures *pg,
		       unsigned long gphys, unsigned long size,
		       unsigned long flags);

#endif /* !_JAILHOUSE_PAGING_H */
