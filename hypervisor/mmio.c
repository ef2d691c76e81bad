// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO dispatch.  Each cell has a table of trapped guest-physical regions,
 * sorted by start address, sized when the cell is created (units and
 * sub-page memory regions say how many they need).  The arch trap code
 * decodes an access and hands it to mmio_handle_access().
 *
 * Sub-page memory regions of a cell config (I/O regions whose start or size
 * is not page aligned) are not mapped in stage 2; their accesses come here
 * and are performed on the device, if width and alignment are permitted.
 * The architecture's accessor survives a device that answers with an abort,
 * so that such an access fails the cell, not the hypervisor.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>

u8 mmio_read8(void *address)
{
	return *(volatile u8 *)address;
}

void mmio_write8(void *address, u8 value)
{
	*(volatile u8 *)address = value;
}

u32 mmio_read32(void *address)
{
	return *(volatile u32 *)address;
}

void mmio_write32(void *address, u32 value)
{
	*(volatile u32 *)address = value;
}

u64 mmio_read64(void *address)
{
	return *(volatile u64 *)address;
}

void mmio_write64(void *address, u64 value)
{
	*(volatile u64 *)address = value;
}

/* The largest naturally aligned access at @addr of at most @left bytes. */
static unsigned int aligned_piece(unsigned long addr, unsigned int left)
{
	unsigned int size = sizeof(u64);

	while (size > left || (addr & (size - 1)))
		size /= 2;
	return size;
}

enum mmio_result mmio_perform_access(void *base, struct mmio_access *mmio)
{
	return arch_mmio_access((char *)base + mmio->address, mmio);
}

/*
 * Can the unaligned @mmio be carried out as naturally aligned accesses
 * (which Device memory needs) of the region's access @widths (0: any)?
 */
static bool pieces_permitted(unsigned long addr, unsigned int size,
			     unsigned long widths)
{
	unsigned int done, piece;

	for (done = 0; done < size; done += piece) {
		piece = aligned_piece(addr + done, size - done);
		if (widths && !(widths & piece))
			return false;
	}
	return true;
}

/*
 * Carry out the unaligned @mmio as naturally aligned pieces.  Return: as
 * mmio_perform_access(); a write may be partly done after a fault.
 */
static enum mmio_result split_access(void *base, struct mmio_access *mmio)
{
	unsigned long addr = (unsigned long)base + mmio->address;
	struct mmio_access piece = { .is_write = mmio->is_write };
	enum mmio_result result;
	unsigned long value = 0;
	unsigned int done;

	/* little endian: byte n of the value is at address + n */
	for (done = 0; done < mmio->size; done += piece.size) {
		piece.size = aligned_piece(addr + done, mmio->size - done);
		piece.value = mmio->value >> (8 * done);
		result = arch_mmio_access((void *)(addr + done), &piece);
		if (result != MMIO_HANDLED)
			return result;
		value |= piece.value << (8 * done);
	}
	if (!mmio->is_write)
		mmio->value = value;
	return MMIO_HANDLED;
}

static bool is_subpage(const struct jailhouse_memory *mem)
{
	return ((mem->virt_start | mem->size) & PAGE_OFFS_MASK) != 0;
}

static unsigned int count_subpage_regions(const struct cell *cell)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n, count = 0;

	for (n = 0; n < cell->config->num_memory_regions; n++)
		if (is_subpage(&mem[n]))
			count++;
	return count;
}

static enum mmio_result subpage_handler(void *arg, struct mmio_access *mmio)
{
	struct mmio_subpage *sub = arg;
	const struct jailhouse_memory *mem = sub->mem;
	unsigned long widths = (mem->flags & JAILHOUSE_MEM_IO_WIDTH_MASK) >>
		JAILHOUSE_MEM_IO_WIDTH_SHIFT;
	/* the mapping keeps the offset in the page: the device's alignment */
	unsigned long addr = (unsigned long)sub->virt + mmio->address;
	bool aligned = !(addr & (mmio->size - 1));
	const char *why;

	if (mmio->address + mmio->size > mem->size)
		why = "beyond the region";
	else if (widths && !(widths & mmio->size))
		why = "width not permitted";
	else if (!aligned && !(mem->flags & JAILHOUSE_MEM_IO_UNALIGNED))
		why = "unaligned access not permitted";
	else if (!(mem->flags &
		   (mmio->is_write ? JAILHOUSE_MEM_WRITE : JAILHOUSE_MEM_READ)))
		why = mmio->is_write ? "read-only" : "write-only";
	else if (aligned)
		return mmio_perform_access(sub->virt, mmio);
	else if (!pieces_permitted(addr, mmio->size, widths))
		why = "unaligned, and its pieces are widths not permitted";
	else
		return split_access(sub->virt, mmio);

	printk("Denied %u-byte %s at 0x%llx + 0x%lx of a sub-page region: %s\n",
	       mmio->size, mmio->is_write ? "write" : "read", mem->virt_start,
	       mmio->address, why);
	return MMIO_ERROR;
}

/* Sized from the config, as allocated, however many got mapped. */
static unsigned long subpages_pages(const struct cell *cell)
{
	return PAGES(count_subpage_regions(cell) * sizeof(*cell->subpages));
}

static void unmap_subpages(struct cell *cell)
{
	unsigned int n;

	for (n = 0; n < cell->num_subpages; n++)
		paging_unmap_device(cell->subpages[n].mem->phys_start,
				    cell->subpages[n].virt,
				    cell->subpages[n].mem->size);
	page_free(&mem_pool, cell->subpages, subpages_pages(cell));
	cell->subpages = NULL;
	cell->num_subpages = 0;
}

static int map_subpages(struct cell *cell, unsigned int count)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	struct mmio_subpage *sub;
	unsigned int n;
	int err;

	if (count == 0)
		return 0;

	cell->subpages = page_alloc(&mem_pool, subpages_pages(cell));
	if (!cell->subpages)
		return -ENOMEM;

	for (n = 0; n < cell->config->num_memory_regions; n++) {
		if (!is_subpage(&mem[n]))
			continue;
		sub = &cell->subpages[cell->num_subpages];
		sub->mem = &mem[n];
		sub->virt = paging_map_device(mem[n].phys_start, mem[n].size);
		if (!sub->virt) {
			err = -ENOMEM;
			goto error;
		}
		cell->num_subpages++;
		err = mmio_region_register(cell, mem[n].virt_start,
					   mem[n].size, subpage_handler, sub);
		if (err)
			goto error;
	}
	return 0;

error:
	unmap_subpages(cell);
	return err;
}

static void free_regions(struct cell *cell)
{
	page_free(&mem_pool, cell->mmio_regions,
		  PAGES(cell->max_mmio_regions * sizeof(struct mmio_region)));
	cell->mmio_regions = NULL;
	cell->max_mmio_regions = cell->num_mmio_regions = 0;
}

int mmio_cell_init(struct cell *cell)
{
	const struct unit *unit;
	unsigned int count, subpages, pages;
	int err;

	subpages = count_subpage_regions(cell);
	count = subpages;
	for_each_unit(unit)
		count += unit->mmio_count_regions(cell);

	pages = PAGES(count * sizeof(struct mmio_region));
	if (pages > 0) {
		cell->mmio_regions = page_alloc(&mem_pool, pages);
		if (!cell->mmio_regions)
			return -ENOMEM;
	}
	cell->max_mmio_regions = pages * PAGE_SIZE /
		sizeof(struct mmio_region);
	cell->num_mmio_regions = 0;

	err = map_subpages(cell, subpages);
	if (err)
		free_regions(cell);
	return err;
}

void mmio_cell_exit(struct cell *cell)
{
	unmap_subpages(cell);
	free_regions(cell);
}

/*
 * The table may change while the cell runs (a virtual PCI device's BAR
 * moves): writers make the generation odd while they change it, readers
 * take a copy of a region and retry if the generation moved meanwhile.
 */
static void table_change_begin(struct cell *cell)
{
	WRITE_ONCE(cell->mmio_generation, cell->mmio_generation + 1);
	smp_wmb();
}

static void table_change_end(struct cell *cell)
{
	smp_wmb();
	WRITE_ONCE(cell->mmio_generation, cell->mmio_generation + 1);
}

/* A reader's start: the generation, once no change is under way. */
static u32 table_read_begin(const struct cell *cell)
{
	u32 generation;

	while ((generation = READ_ONCE(cell->mmio_generation)) & 1)
		cpu_relax();
	smp_rmb();
	return generation;
}

/* A reader's end: whether the table changed since @generation. */
static bool table_read_retry(const struct cell *cell, u32 generation)
{
	smp_rmb();
	return generation != READ_ONCE(cell->mmio_generation);
}

int mmio_region_register(struct cell *cell, unsigned long start,
			 unsigned long size, mmio_handler handler, void *arg)
{
	unsigned int n, pos;

	if (cell->num_mmio_regions >= cell->max_mmio_regions)
		return -ENOMEM;

	for (pos = 0; pos < cell->num_mmio_regions; pos++)
		if (cell->mmio_regions[pos].start > start)
			break;

	table_change_begin(cell);
	for (n = cell->num_mmio_regions; n > pos; n--)
		cell->mmio_regions[n] = cell->mmio_regions[n - 1];
	cell->mmio_regions[pos].start = start;
	cell->mmio_regions[pos].size = size;
	cell->mmio_regions[pos].handler = handler;
	cell->mmio_regions[pos].arg = arg;
	cell->num_mmio_regions++;
	table_change_end(cell);
	return 0;
}

void mmio_region_unregister(struct cell *cell, unsigned long start)
{
	unsigned int n;

	for (n = 0; n < cell->num_mmio_regions; n++)
		if (cell->mmio_regions[n].start == start)
			break;
	if (n == cell->num_mmio_regions)
		return;

	table_change_begin(cell);
	for (; n + 1 < cell->num_mmio_regions; n++)
		cell->mmio_regions[n] = cell->mmio_regions[n + 1];
	cell->num_mmio_regions--;
	table_change_end(cell);
}

/*
 * Also called by the cell's CPUs while another changes the table (x86's
 * nested page faults): a region moved up by an insertion would otherwise
 * be missed.
 */
bool mmio_region_overlaps(const struct cell *cell, unsigned long start,
			  unsigned long size)
{
	unsigned int n;
	u32 generation;
	bool found;

	do {
		generation = table_read_begin(cell);
		found = false;
		for (n = 0; n < cell->num_mmio_regions && !found; n++)
			found = ranges_overlap(start, size,
					       cell->mmio_regions[n].start,
					       cell->mmio_regions[n].size);
	} while (table_read_retry(cell, generation));
	return found;
}

int mmio_unmap_traps(struct cell *cell, unsigned long start,
		     unsigned long size)
{
	struct jailhouse_memory part;
	const struct mmio_region *region;
	unsigned long lo, hi;
	unsigned int n;
	int err;

	for (n = 0; n < cell->num_mmio_regions; n++) {
		region = &cell->mmio_regions[n];
		lo = MAX(start, region->start & PAGE_MASK);
		hi = MIN(start + size,
			 ALIGN_UP(region->start + region->size, PAGE_SIZE));
		if (lo >= hi)
			continue;
		part.virt_start = lo;
		part.size = hi - lo;
		err = arch_unmap_memory_region(cell, &part);
		if (err)
			return err;
	}
	return 0;
}

static const struct mmio_region *find_region(const struct cell *cell,
					     unsigned long addr,
					     unsigned int size)
{
	const struct mmio_region *region;
	unsigned int lo = 0, hi = cell->num_mmio_regions, mid;

	/* last region starting at or below addr */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (cell->mmio_regions[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	region = &cell->mmio_regions[lo - 1];
	if (addr - region->start >= region->size ||
	    size > region->size - (addr - region->start))
		return NULL;
	return region;
}

enum mmio_result mmio_handle_access(struct mmio_access *mmio)
{
	const struct cell *cell = this_cell();
	const struct mmio_region *found;
	struct mmio_region region;
	unsigned long addr = mmio->address;
	enum mmio_result result;
	u32 generation;

	do {
		generation = table_read_begin(cell);
		found = find_region(cell, addr, mmio->size);
		if (found)
			region = *found;
	} while (table_read_retry(cell, generation));
	if (!found)
		return MMIO_UNHANDLED;

	mmio->address = addr - region.start;
	result = region.handler(region.arg, mmio);
	mmio->address = addr;
	return result;
}
