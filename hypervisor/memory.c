// SPDX-License-Identifier: GPL-2.0
/*
 * The memory of cells: mapping a cell's regions into its stage 2, and
 * handing memory between the root cell and the other cells.
 *
 * A non-root cell's memory comes out of the root cell: while the cell
 * exists, the root cell's stage 2 lacks it (unless the region is
 * root-shared).  What a destroyed cell gives back is mapped into the root
 * again, except where some other cell still has it, and it is cleared
 * first so that nobody finds the former cell's data.  The list of non-root
 * cells (root_cell.next) says who owns what.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/memory.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>

/*
 * Memory a destroyed cell gives back is mapped into the root cell again
 * with all of the root's memory in this aligned window around it, so that
 * the blocks split when the cell took it are whole again and their tables
 * go back to the pool.
 */
#define ROOT_REMAP_WINDOW		(1UL << 30)

/* Bytes of a cell's memory that the hypervisor maps at once to clear it. */
#define CLEAR_CHUNK			(2UL << 20)

static bool is_page_mapped_region(const struct jailhouse_memory *mem)
{
	return !((mem->virt_start | mem->size) & PAGE_OFFS_MASK) &&
		!(mem->flags & JAILHOUSE_MEM_COMM_REGION) && mem->size;
}

static void unmap_regions(struct cell *cell, unsigned int count)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;

	for (n = 0; n < count; n++)
		if (is_page_mapped_region(&mem[n]))
			arch_unmap_memory_region(cell, &mem[n]);
}

int cell_map_memory(struct cell *cell)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;
	int err;

	for (n = 0; n < cell->config->num_memory_regions; n++) {
		if (!is_page_mapped_region(&mem[n]))
			continue;
		err = arch_map_memory_region(cell, &mem[n]);
		if (err) {
			printk("Cell \"%s\": mapping memory region %u "
			       "failed (%d)\n", cell->config->name, n, err);
			unmap_regions(cell, n);
			return err;
		}
	}
	return 0;
}

/* Page-granular physical range of a memory region. */
static void region_pages(const struct jailhouse_memory *mem, u64 *start,
			 u64 *end)
{
	*start = mem->phys_start & PAGE_MASK;
	*end = ALIGN_UP(mem->phys_start + mem->size, PAGE_SIZE);
}

/* Memory of a non-root cell that the root cell loses while it exists. */
static bool is_exclusive_region(const struct jailhouse_memory *mem)
{
	return mem->size && !(mem->flags & (JAILHOUSE_MEM_COMM_REGION |
					    JAILHOUSE_MEM_ROOTSHARED));
}

/*
 * The part of root region @root_mem inside physical [@start, @end), with
 * the root's guest-physical address and flags.  False if there is none.
 */
static bool root_part(const struct jailhouse_memory *root_mem, u64 start,
		      u64 end, struct jailhouse_memory *part)
{
	u64 lo = MAX(start, root_mem->phys_start);
	u64 hi = MIN(end, root_mem->phys_start + root_mem->size);

	if (!is_page_mapped_region(root_mem) || lo >= hi)
		return false;
	part->phys_start = lo;
	part->virt_start = root_mem->virt_start + (lo - root_mem->phys_start);
	part->size = hi - lo;
	part->flags = root_mem->flags;
	return true;
}

/* Unmap physical [@start, @end) from the root cell's stage 2. */
static int root_unmap(u64 start, u64 end)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(root_cell.config);
	struct jailhouse_memory part;
	unsigned int n;
	int err;

	for (n = 0; n < root_cell.config->num_memory_regions; n++, mem++) {
		if (!root_part(mem, start, end, &part))
			continue;
		err = arch_unmap_memory_region(&root_cell, &part);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The lowest memory that some non-root cell in the list has for itself
 * and that overlaps [@pos, @end), page-granular, into *@fstart, *@fend;
 * left alone if there is none.  *@fstart must be @end or more on entry.
 */
static void next_foreign_memory(u64 pos, u64 end, u64 *fstart, u64 *fend)
{
	const struct jailhouse_memory *mem;
	struct cell *cell;
	unsigned int n;
	u64 s, e;

	for (cell = root_cell.next; cell; cell = cell->next) {
		mem = jailhouse_cell_mem_regions(cell->config);
		for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
			if (!is_exclusive_region(mem))
				continue;
			region_pages(mem, &s, &e);
			if (e <= pos || s >= end || s >= *fstart)
				continue;
			*fstart = s;
			*fend = e;
		}
	}
}

/* Map what the root still owns of @part (a root region's piece). */
static int root_map_part(const struct jailhouse_memory *part)
{
	u64 pos = part->phys_start, end = pos + part->size, fstart, fend;
	struct jailhouse_memory piece = *part;
	int err;

	while (pos < end) {
		fstart = fend = end;
		next_foreign_memory(pos, end, &fstart, &fend);
		if (fstart > pos) {
			piece.phys_start = pos;
			piece.virt_start = part->virt_start +
				(pos - part->phys_start);
			piece.size = fstart - pos;
			err = arch_map_memory_region(&root_cell, &piece);
			if (err)
				return err;
		}
		pos = fend;
	}
	return 0;
}

/*
 * Give physical [@start, @end) back to the root cell, with the rest of the
 * root's memory in the window around it (see ROOT_REMAP_WINDOW).  Memory
 * of the cells in the list stays theirs.
 */
static int root_remap(u64 start, u64 end)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(root_cell.config);
	u64 wstart = ALIGN_DOWN(start, ROOT_REMAP_WINDOW);
	u64 wend = ALIGN_UP(end, ROOT_REMAP_WINDOW);
	struct jailhouse_memory part;
	unsigned int n;
	int err;

	if (wend < end)
		wend = end;
	for (n = 0; n < root_cell.config->num_memory_regions; n++, mem++) {
		if (!root_part(mem, wstart, wend, &part))
			continue;
		err = root_map_part(&part);
		if (err)
			return err;
		/* the root's BARs trapped in this memory stay trapped */
		err = mmio_unmap_traps(&root_cell, part.virt_start, part.size);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Zero physical [@start, @end) and push the zeros to the point of
 * coherency: the next owner may read it with its MMU off.
 */
static int clear_memory(u64 start, u64 end)
{
	u64 pos, size;
	void *virt;

	for (pos = start; pos < end; pos += size) {
		size = MIN(end - pos, CLEAR_CHUNK);
		virt = paging_map_memory(pos, size);
		if (!virt)
			return -ENOMEM;
		arch_zero_memory(virt, size);
		paging_unmap_device(pos, virt, size);
	}
	return 0;
}

/*
 * Clear the cell's RAM (a device keeps its state, as the root cell knows
 * it).  Return: false if some region could not be cleared.
 */
static bool clear_cell_memory(struct cell *cell)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;
	u64 start, end;
	bool cleared = true;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
		if (!is_exclusive_region(mem) ||
		    (mem->flags & JAILHOUSE_MEM_IO))
			continue;
		region_pages(mem, &start, &end);
		if (clear_memory(start, end)) {
			printk("Cell \"%s\": cannot clear memory region %u\n",
			       cell->config->name, n);
			cleared = false;
		}
	}
	return cleared;
}

/* The cell's memory, not in the cell list, goes back to the root. */
static void return_memory(struct cell *cell)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;
	u64 start, end;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
		if (!is_exclusive_region(mem))
			continue;
		region_pages(mem, &start, &end);
		if (root_remap(start, end))
			printk("Cell \"%s\": cannot give memory region %u "
			       "back to the root cell\n", cell->config->name,
			       n);
	}
}

void memory_give_back(struct cell *cell)
{
	/*
	 * All of it cleared before any of it is mapped: the remap of one
	 * region maps the rest of the window, the cell's other regions too.
	 * Rather kept from the root than handed on uncleared.
	 */
	if (!clear_cell_memory(cell)) {
		printk("Cell \"%s\": its memory stays out of the root cell\n",
		       cell->config->name);
		return;
	}
	return_memory(cell);
}

/* The cell's memory leaves the root cell, unless the root shares it. */
int memory_take(struct cell *cell)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;
	u64 start, end;
	int err;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
		if (!is_exclusive_region(mem))
			continue;
		region_pages(mem, &start, &end);
		err = root_unmap(start, end);
		if (err) {
			/* the cell never ran: nothing of its own to clear */
			return_memory(cell);
			return err;
		}
	}
	return 0;
}

/* Loadable memory the root cell lacks, at its physical address there. */
static bool loadable_region(const struct jailhouse_memory *mem,
			    struct jailhouse_memory *root_view)
{
	if (!(mem->flags & JAILHOUSE_MEM_LOADABLE) ||
	    !is_exclusive_region(mem) || !is_page_mapped_region(mem))
		return false;
	root_view->phys_start = mem->phys_start;
	root_view->virt_start = mem->phys_start;
	root_view->size = mem->size;
	root_view->flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE;
	return true;
}

void memory_unmap_loadable(struct cell *cell)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	struct jailhouse_memory root_view;
	unsigned int n;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++)
		if (loadable_region(mem, &root_view))
			arch_unmap_memory_region(&root_cell, &root_view);
	cell->loadable = false;
}

int memory_map_loadable(struct cell *cell)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	struct jailhouse_memory root_view;
	unsigned int n;
	int err;

	cell->loadable = true;
	for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
		if (!loadable_region(mem, &root_view))
			continue;
		err = arch_map_memory_region(&root_cell, &root_view);
		if (err) {
			memory_unmap_loadable(cell);
			return err;
		}
	}
	return 0;
}

int memory_punch(struct cell *cell, unsigned long virt, unsigned long size)
{
	struct jailhouse_memory hole = {
		.virt_start = virt & PAGE_MASK,
		.size = ALIGN_UP(virt + size, PAGE_SIZE) - (virt & PAGE_MASK),
	};

	return arch_unmap_memory_region(cell, &hole);
}

void memory_unpunch(struct cell *cell, unsigned long virt, unsigned long size)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	u64 wstart = ALIGN_DOWN(virt, ROOT_REMAP_WINDOW);
	u64 wend = ALIGN_UP(virt + size, ROOT_REMAP_WINDOW);
	struct jailhouse_memory part;
	unsigned int n;
	u64 lo, hi;
	int err = 0;

	/*
	 * The whole window around the hole, as root_remap() does, so that the
	 * block split for the hole is whole again and its table freed; the
	 * other traps there are taken out again afterwards.
	 */
	for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
		if (!is_page_mapped_region(mem))
			continue;
		lo = MAX(wstart, mem->virt_start);
		hi = MIN(wend, mem->virt_start + mem->size);
		if (lo >= hi)
			continue;
		part.virt_start = lo;
		part.phys_start = mem->phys_start + (lo - mem->virt_start);
		part.size = hi - lo;
		part.flags = mem->flags;
		/* the root maps only what it still owns */
		err = cell == &root_cell ? root_map_part(&part) :
			arch_map_memory_region(cell, &part);
		if (err)
			break;
	}
	if (!err)
		err = mmio_unmap_traps(cell, wstart, wend - wstart);
	if (err)
		printk("Cell \"%s\": cannot map 0x%lx again after a trapped "
		       "BAR left it (%d)\n", cell->config->name, virt, err);
}
