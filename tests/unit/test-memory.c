// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the memory of cells (hypervisor/memory.c): a cell's own
 * stage 2, and memory changing hands between the root cell and the other
 * cells.
 *
 * Stage 2 is real: paging.c with the format of test-format.h, behind fake
 * arch_map/unmap_memory_region() that do what arm64's do.  The hypervisor's
 * temporary mappings of cell RAM (for clearing it) are fakes that hand out
 * host buffers standing for that RAM.
 */
#include "test.h"

#include <jailhouse/cell.h>
#include <jailhouse/errno.h>
#include <jailhouse/memory.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/utils.h>

#include "test-format.h"

#define POOL_PAGES	64

#define RW		(JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE)
#define RWX		(RW | JAILHOUSE_MEM_EXECUTE)
#define MEM_IO_RW	(RW | JAILHOUSE_MEM_IO)

/*
 * The root cell: 1 GiB of RAM at 1 GiB, 256 MiB more at 2 GiB seen by it
 * at 6 GiB, a UART, a sub-page device region.
 */
#define ROOT_RAM	0x40000000UL
#define ROOT_RAM2	0x80000000UL
#define ROOT_RAM2_GUEST	0x180000000UL
#define ROOT_RAM2_SIZE	0x10000000UL
#define UART		0x09000000UL

/* Cell A: 64 KiB and 2 MiB of RAM, and 64 KiB out of the second RAM. */
#define A_RAM		0x50000000UL
#define A_RAM_SIZE	0x10000UL
#define A_BLOCK		0x50200000UL
#define A_RAM2		0x80100000UL
/* Cell B: the 64 KiB behind cell A's first region. */
#define B_RAM		0x50010000UL
#define B_RAM_SIZE	0x10000UL

struct test_config {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_memory mem[6];
} __attribute__((packed));

static struct test_config root_config = {
	.desc = {
		.name = "root",
		.cpu_set_size = sizeof(root_config.cpus),
		.num_memory_regions = 4,
	},
	.mem = {
		{ ROOT_RAM, ROOT_RAM, SZ_1G, RWX },
		{ ROOT_RAM2, ROOT_RAM2_GUEST, ROOT_RAM2_SIZE, RW },
		{ UART, UART, SZ_4K, MEM_IO_RW },
		/* trapped, not mapped: no part of handing memory around */
		{ 0x09030000, 0x09030000, 0x100, MEM_IO_RW },
	},
};

static const struct test_config a_template = {
	.desc = {
		.name = "A",
		.cpu_set_size = sizeof(a_template.cpus),
		.num_memory_regions = 6,
	},
	.mem = {
		{ A_RAM, 0, A_RAM_SIZE, RWX | JAILHOUSE_MEM_LOADABLE },
		{ A_BLOCK, 0x200000, SZ_2M, RW },
		{ A_RAM2, 0x400000, A_RAM_SIZE, RW | JAILHOUSE_MEM_LOADABLE },
		/* the UART, shared with the root */
		{ UART, UART, SZ_4K, MEM_IO_RW | JAILHOUSE_MEM_ROOTSHARED },
		/* the comm region: the hypervisor's page, mapped elsewhere */
		{ 0, 0x80000000, SZ_4K, RW | JAILHOUSE_MEM_COMM_REGION },
		/* a sub-page device region, trapped */
		{ 0x0a000100, 0x09100100, 0x100, MEM_IO_RW },
	},
};

static const struct test_config b_template = {
	.desc = {
		.name = "B",
		.cpu_set_size = sizeof(b_template.cpus),
		.num_memory_regions = 1,
	},
	.mem = {
		{ B_RAM, 0, B_RAM_SIZE, RW | JAILHOUSE_MEM_LOADABLE },
	},
};

static struct test_config a_config, b_config;
struct cell root_cell;
static struct cell cell_a, cell_b;
void *test_cpu_data;

static void *pool_memory;
static unsigned long pool_bitmap[BITS_TO_LONGS(POOL_PAGES)];
/* pool pages in use with the root's stage 2 mapped, the cells' empty */
static unsigned long baseline;

static bool root_lacks(unsigned long phys, unsigned long size);

/* --- fake arch hooks ------------------------------------------------- */

static unsigned int maps, unmaps;
/* fail the nth call, 1-based, with -ENOMEM; 0: never */
static unsigned int map_failure, unmap_failure;

static unsigned long page_flags(u32 mem_flags)
{
	unsigned long flags = 0;

	if (mem_flags & JAILHOUSE_MEM_READ)
		flags |= PAGE_FLAG_READ;
	if (mem_flags & JAILHOUSE_MEM_WRITE)
		flags |= PAGE_FLAG_WRITE;
	if (mem_flags & JAILHOUSE_MEM_EXECUTE)
		flags |= PAGE_FLAG_EXEC;
	if (mem_flags & JAILHOUSE_MEM_IO)
		flags |= PAGE_FLAG_DEVICE;
	return flags;
}

int arch_map_memory_region(struct cell *cell,
			   const struct jailhouse_memory *mem)
{
	if (++maps == map_failure)
		return -ENOMEM;
	return paging_create(&cell->arch.stage2, mem->phys_start, mem->size,
			     mem->virt_start, page_flags(mem->flags),
			     (mem->flags & JAILHOUSE_MEM_NO_HUGEPAGES) ?
			     PAGING_NO_HUGE : PAGING_HUGE);
}

int arch_unmap_memory_region(struct cell *cell,
			     const struct jailhouse_memory *mem)
{
	if (++unmaps == unmap_failure)
		return -ENOMEM;
	return paging_destroy(&cell->arch.stage2, mem->virt_start, mem->size);
}

/*
 * mmio.c's part: one trapped page of the root's (a virtual BAR in its
 * memory) leaves its stage 2 again when memory around it is mapped anew.
 */
static unsigned long trap_page;

int mmio_unmap_traps(struct cell *cell, unsigned long start,
		     unsigned long size)
{
	struct jailhouse_memory page = {
		.virt_start = trap_page, .size = SZ_4K,
	};

	if (cell != &root_cell || !trap_page || trap_page < start ||
	    trap_page - start >= size)
		return 0;
	return arch_unmap_memory_region(cell, &page);
}

static unsigned long flushed;

void arch_dcache_flush(const volatile void *addr, unsigned long size)
{
	flushed += size;
}

void arch_zero_memory(void *addr, unsigned long size)
{
	memset(addr, 0, size);
	flushed += size;
}

/*
 * Cell RAM as the hypervisor sees it when it maps it to clear it: host
 * buffers, found by physical address.
 */
static struct {
	unsigned long phys, size;
	u8 *host;
} ram[] = {
	{ A_RAM, A_RAM_SIZE, NULL }, { A_BLOCK, SZ_2M, NULL },
	{ A_RAM2, A_RAM_SIZE, NULL }, { B_RAM, B_RAM_SIZE, NULL },
};
/* mappings made and not yet undone; calls made, the nth of them fails */
static unsigned int ram_maps, ram_map_calls, ram_map_failure;

static u8 *ram_host(unsigned long phys, unsigned long size)
{
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(ram); n++)
		if (phys >= ram[n].phys &&
		    phys + size <= ram[n].phys + ram[n].size)
			return ram[n].host + (phys - ram[n].phys);
	fail_msg("RAM nobody has: 0x%lx+0x%lx", phys, size);
	return NULL;
}

/* linked with --wrap: memory.c's calls of paging.c's functions land here */
void *__wrap_paging_map_memory(unsigned long phys, unsigned long size);
void __wrap_paging_unmap_device(unsigned long phys, void *virt,
				unsigned long size);

void *__wrap_paging_map_memory(unsigned long phys, unsigned long size)
{
	if (++ram_map_calls == ram_map_failure)
		return NULL;
	/* what is being cleared is nobody's, the root's least */
	assert_true(root_lacks(phys, size));
	ram_maps++;
	return ram_host(phys, size);
}

void __wrap_paging_unmap_device(unsigned long phys, void *virt,
				unsigned long size)
{
	assert_ptr_equal(ram_host(phys, size), virt);
	ram_maps--;
}

/* Is all of @ram's buffer @byte? */
static bool ram_is(unsigned int n, u8 byte)
{
	unsigned long i;

	for (i = 0; i < ram[n].size; i++)
		if (ram[n].host[i] != byte)
			return false;
	return true;
}

/* --- helpers ---------------------------------------------------------- */

/* Physical address guest-physical @gphys of @cell maps to, or invalid. */
static unsigned long translate(struct cell *cell, unsigned long gphys,
			       unsigned long *flags)
{
	return paging_virt2phys(&cell->arch.stage2, gphys, flags);
}

/* Does the root see physical [@phys, @phys + @size), 1:1, page by page? */
static bool root_has(unsigned long phys, unsigned long size)
{
	unsigned long off;

	for (off = 0; off < size; off += SZ_4K)
		if (translate(&root_cell, phys + off, NULL) != phys + off)
			return false;
	return true;
}

static bool root_lacks(unsigned long phys, unsigned long size)
{
	unsigned long off;

	for (off = 0; off < size; off += SZ_4K)
		if (translate(&root_cell, phys + off, NULL) !=
		    INVALID_PHYS_ADDR)
			return false;
	return true;
}

static void cell_setup(struct cell *cell, struct test_config *config,
		       const struct test_config *template)
{
	*config = *template;
	memset(cell, 0, sizeof(*cell));
	cell->config = &config->desc;
	assert_int_equal(paging_init_structures(&cell->arch.stage2,
						&test_desc), 0);
}

/* What control.c does: the cell list links the non-root cells. */
static void cell_list(struct cell *first, struct cell *second)
{
	root_cell.next = first;
	if (first)
		first->next = second;
	if (second)
		second->next = NULL;
}

static int setup(void **state)
{
	unsigned int n;

	pool_memory = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	if (!pool_memory)
		return -1;
	hv_phys_offset = 0;
	page_pool_init(&mem_pool, pool_memory, POOL_PAGES, pool_bitmap, 0);
	for (n = 0; n < ARRAY_SIZE(ram); n++) {
		ram[n].host = malloc(ram[n].size);
		if (!ram[n].host)
			return -1;
		memset(ram[n].host, 0xa5, ram[n].size);
	}

	memset(&root_cell, 0, sizeof(root_cell));
	root_cell.config = &root_config.desc;
	if (paging_init_structures(&root_cell.arch.stage2, &test_desc))
		return -1;
	maps = unmaps = map_failure = unmap_failure = 0;
	if (cell_map_memory(&root_cell))
		return -1;
	cell_setup(&cell_a, &a_config, &a_template);
	cell_setup(&cell_b, &b_config, &b_template);
	baseline = mem_pool.used_pages;
	maps = unmaps = 0;
	ram_maps = ram_map_calls = ram_map_failure = 0;
	trap_page = 0;
	flushed = 0;
	printk_log_clear();
	return 0;
}

static int teardown(void **state)
{
	unsigned int n;

	paging_free_structures(&cell_b.arch.stage2);
	paging_free_structures(&cell_a.arch.stage2);
	paging_free_structures(&root_cell.arch.stage2);
	for (n = 0; n < ARRAY_SIZE(ram); n++)
		free(ram[n].host);
	free(pool_memory);
	return 0;
}

/* --- a cell's own stage 2 --------------------------------------------- */

static void test_root_mapping(void **state)
{
	unsigned long flags;

	/* blocks where possible: the root's two RAM regions, UART page */
	assert_true(root_has(ROOT_RAM, SZ_2M));
	assert_int_equal(translate(&root_cell, ROOT_RAM + SZ_1G - 1, &flags),
			 ROOT_RAM + SZ_1G - 1);
	assert_int_equal(flags, PAGE_FLAG_READ | PAGE_FLAG_WRITE |
			 PAGE_FLAG_EXEC);
	assert_int_equal(translate(&root_cell, ROOT_RAM2_GUEST + 0x1234,
				   NULL), ROOT_RAM2 + 0x1234);
	assert_int_equal(translate(&root_cell, UART, &flags), UART);
	assert_int_equal(flags, PAGE_DEVICE_FLAGS);
	/* the sub-page region is the MMIO code's */
	assert_int_equal(translate(&root_cell, 0x09030000, NULL),
			 INVALID_PHYS_ADDR);
}

/* What arch_cell_destroy() does with a cell's stage 2: all of it goes. */
static void drop_stage2(struct cell *cell)
{
	paging_free_structures(&cell->arch.stage2);
	assert_int_equal(paging_init_structures(&cell->arch.stage2,
						&test_desc), 0);
}

static void test_cell_map_memory(void **state)
{
	unsigned long flags, used = mem_pool.used_pages;

	assert_int_equal(cell_map_memory(&cell_a), 0);
	assert_int_equal(translate(&cell_a, 0x1000, &flags), A_RAM + 0x1000);
	assert_int_equal(flags, PAGE_FLAG_READ | PAGE_FLAG_WRITE |
			 PAGE_FLAG_EXEC);
	assert_int_equal(translate(&cell_a, 0x3fffff, NULL),
			 A_BLOCK + SZ_2M - 1);
	assert_int_equal(translate(&cell_a, 0x400000, NULL), A_RAM2);
	assert_int_equal(translate(&cell_a, UART, NULL), UART);
	/* neither the comm region nor the sub-page region */
	assert_int_equal(translate(&cell_a, 0x80000000, NULL),
			 INVALID_PHYS_ADDR);
	assert_int_equal(translate(&cell_a, 0x09100100, NULL),
			 INVALID_PHYS_ADDR);
	/* the root is not touched by a cell's own mappings */
	assert_true(root_has(A_RAM, A_RAM_SIZE));

	drop_stage2(&cell_a);
	assert_int_equal(translate(&cell_a, 0x1000, NULL), INVALID_PHYS_ADDR);
	assert_int_equal(translate(&cell_a, 0x200000, NULL),
			 INVALID_PHYS_ADDR);
	assert_int_equal(translate(&cell_a, UART, NULL), INVALID_PHYS_ADDR);
	assert_int_equal(mem_pool.used_pages, used);
}

static void test_cell_map_memory_failure(void **state)
{
	unsigned long used = mem_pool.used_pages;

	/* the third region fails: the first two are taken back */
	map_failure = 3;
	assert_int_equal(cell_map_memory(&cell_a), -ENOMEM);
	assert_true(printk_log_contains("Cell \"A\": mapping memory region "
					"2 failed (-12)"));
	assert_int_equal(unmaps, 2);
	assert_int_equal(translate(&cell_a, 0x1000, NULL), INVALID_PHYS_ADDR);
	assert_int_equal(translate(&cell_a, 0x200000, NULL),
			 INVALID_PHYS_ADDR);
	assert_int_equal(mem_pool.used_pages, used);
}

/* --- memory between the root cell and the others ------------------- */

static void test_take_and_give_back(void **state)
{
	unsigned long flags;

	assert_int_equal(memory_take(&cell_a), 0);
	assert_true(root_lacks(A_RAM, A_RAM_SIZE));
	assert_true(root_lacks(A_BLOCK, SZ_2M));
	/* at the root's own guest address of the second RAM region */
	assert_int_equal(translate(&root_cell, ROOT_RAM2_GUEST + 0x100000,
				   NULL), INVALID_PHYS_ADDR);
	assert_int_equal(translate(&root_cell, ROOT_RAM2_GUEST + 0x0ff000,
				   NULL), ROOT_RAM2 + 0x0ff000);
	assert_int_equal(translate(&root_cell, ROOT_RAM2_GUEST + 0x110000,
				   NULL), ROOT_RAM2 + 0x110000);
	/* the neighbours and what the root shares stay the root's */
	assert_true(root_has(A_RAM - SZ_4K, SZ_4K));
	assert_true(root_has(B_RAM, B_RAM_SIZE));
	assert_true(root_has(A_BLOCK - 0x100000, 0x100000));
	assert_true(root_has(A_BLOCK + SZ_2M, SZ_4K));
	assert_int_equal(translate(&root_cell, UART, &flags), UART);
	assert_int_equal(flags, PAGE_DEVICE_FLAGS);
	/* the 1 GiB block was split, and a 2 MiB one below it */
	assert_true(mem_pool.used_pages > baseline);
	assert_true(ram_is(0, 0xa5));

	/* destroy: the cell has left the list */
	cell_list(NULL, NULL);
	memory_give_back(&cell_a);
	assert_string_equal(printk_log, "");
	assert_true(root_has(A_RAM, A_RAM_SIZE));
	assert_true(root_has(A_BLOCK, SZ_2M));
	assert_int_equal(translate(&root_cell, ROOT_RAM2_GUEST + 0x100000,
				   &flags), ROOT_RAM2 + 0x100000);
	assert_int_equal(flags, PAGE_FLAG_READ | PAGE_FLAG_WRITE);
	/* the root's flags come back, not the cell's */
	translate(&root_cell, A_BLOCK, &flags);
	assert_int_equal(flags, PAGE_FLAG_READ | PAGE_FLAG_WRITE |
			 PAGE_FLAG_EXEC);

	/* cleared and pushed out of the caches; the shared UART is not RAM */
	assert_true(ram_is(0, 0));
	assert_true(ram_is(1, 0));
	assert_true(ram_is(2, 0));
	assert_true(ram_is(3, 0xa5));
	assert_int_equal(flushed, 2 * A_RAM_SIZE + SZ_2M);
	assert_int_equal(ram_maps, 0);

	/* blocks whole again: the split tables are back in the pool */
	assert_int_equal(mem_pool.used_pages, baseline);
}

static void test_give_back_leaves_other_cells(void **state)
{
	/* B's memory is right behind A's, in the same 2 MiB block */
	assert_int_equal(memory_take(&cell_a), 0);
	cell_list(&cell_a, NULL);
	assert_int_equal(memory_take(&cell_b), 0);
	cell_list(&cell_a, &cell_b);
	assert_true(root_lacks(A_RAM, A_RAM_SIZE + B_RAM_SIZE));

	/* A goes; B keeps its memory, the root gets A's */
	cell_list(&cell_b, NULL);
	memory_give_back(&cell_a);
	assert_true(root_has(A_RAM, A_RAM_SIZE));
	assert_true(root_lacks(B_RAM, B_RAM_SIZE));
	assert_true(root_has(B_RAM + B_RAM_SIZE, SZ_4K));
	assert_true(root_has(A_BLOCK, SZ_2M));
	assert_true(ram_is(0, 0));
	assert_true(ram_is(3, 0xa5));
	assert_true(mem_pool.used_pages > baseline);

	cell_list(NULL, NULL);
	memory_give_back(&cell_b);
	assert_true(root_has(B_RAM, B_RAM_SIZE));
	assert_true(ram_is(3, 0));
	assert_int_equal(mem_pool.used_pages, baseline);
}

static void test_give_back_around_other_cell(void **state)
{
	struct test_config inner_config;
	struct cell inner;

	/*
	 * A cell inside A's 2 MiB region (not a valid pair of configs, but
	 * the walk must still leave the other cell's memory out): the root
	 * gets what lies around it.
	 */
	cell_setup(&inner, &inner_config, &b_template);
	inner_config.mem[0].phys_start = A_BLOCK + 0x100000;
	inner_config.mem[0].size = 0x3000;
	/* and a second region, overlapping the first in part */
	inner_config.desc.num_memory_regions = 2;
	inner_config.mem[1] = inner_config.mem[0];
	inner_config.mem[1].phys_start = A_BLOCK + 0x102000;

	assert_int_equal(memory_take(&cell_a), 0);
	cell_list(&inner, NULL);
	memory_give_back(&cell_a);
	assert_true(root_has(A_BLOCK, 0x100000));
	assert_true(root_lacks(A_BLOCK + 0x100000, 0x5000));
	assert_true(root_has(A_BLOCK + 0x105000, SZ_2M - 0x105000));
	assert_true(root_has(A_RAM, A_RAM_SIZE));
	paging_free_structures(&inner.arch.stage2);
}

static void test_take_failure(void **state)
{
	unsigned long used = mem_pool.used_pages;

	/* A's second region cannot be unmapped: the root gets all back */
	unmap_failure = 2;
	assert_int_equal(memory_take(&cell_a), -ENOMEM);
	assert_true(root_has(A_RAM, A_RAM_SIZE));
	assert_true(root_has(A_BLOCK, SZ_2M));
	assert_int_equal(translate(&root_cell, ROOT_RAM2_GUEST + 0x100000,
				   NULL), A_RAM2);
	/* the cell never ran: nothing cleared */
	assert_true(ram_is(0, 0xa5));
	assert_int_equal(ram_maps, 0);
	assert_int_equal(mem_pool.used_pages, used);
}

static void test_give_back_clear_failure(void **state)
{
	assert_int_equal(memory_take(&cell_a), 0);
	cell_list(NULL, NULL);
	/* the second region's first chunk cannot be mapped */
	ram_map_failure = 2;
	memory_give_back(&cell_a);
	assert_true(printk_log_contains("Cell \"A\": cannot clear memory "
					"region 1\n"));
	assert_true(printk_log_contains("Cell \"A\": its memory stays out "
					"of the root cell\n"));
	/*
	 * Kept from the root rather than handed on uncleared, also by the
	 * remap of another region in the same window.
	 */
	assert_true(root_lacks(A_BLOCK, SZ_2M));
	assert_true(root_lacks(A_RAM, A_RAM_SIZE));
	assert_int_equal(translate(&root_cell, ROOT_RAM2_GUEST + 0x100000,
				   NULL), INVALID_PHYS_ADDR);
	/* what could be cleared was */
	assert_true(ram_is(0, 0));
	assert_true(ram_is(2, 0));
	assert_int_equal(ram_maps, 0);
}

static void test_give_back_remap_failure(void **state)
{
	assert_int_equal(memory_take(&cell_a), 0);
	cell_list(NULL, NULL);
	map_failure = 1;
	memory_give_back(&cell_a);
	assert_true(printk_log_contains("Cell \"A\": cannot give memory "
					"region 0 back to the root cell"));
	assert_true(root_has(A_BLOCK, SZ_2M));
}

static void test_device_not_cleared(void **state)
{
	/* A's second region a device (at an address of RAM, for the test) */
	a_config.mem[1].flags = MEM_IO_RW;

	assert_int_equal(memory_take(&cell_a), 0);
	assert_true(root_lacks(A_BLOCK, SZ_2M));
	cell_list(NULL, NULL);
	memory_give_back(&cell_a);
	assert_true(root_has(A_BLOCK, SZ_2M));
	/* its state is the root's business: left as it was */
	assert_true(ram_is(1, 0xa5));
	assert_true(ram_is(0, 0));
}

static void test_loadable(void **state)
{
	unsigned long flags;

	assert_int_equal(memory_take(&cell_a), 0);
	cell_list(&cell_a, NULL);

	assert_int_equal(memory_map_loadable(&cell_a), 0);
	assert_true(cell_a.loadable);
	/* 1:1 at the physical address, read-write, loadable ones only */
	assert_int_equal(translate(&root_cell, A_RAM, &flags), A_RAM);
	assert_int_equal(flags, PAGE_FLAG_READ | PAGE_FLAG_WRITE);
	assert_true(root_has(A_RAM, A_RAM_SIZE));
	assert_true(root_has(A_RAM2, A_RAM_SIZE));
	assert_true(root_lacks(A_BLOCK, SZ_2M));

	memory_unmap_loadable(&cell_a);
	assert_false(cell_a.loadable);
	assert_true(root_lacks(A_RAM, A_RAM_SIZE));
	assert_true(root_lacks(A_RAM2, A_RAM_SIZE));
	/* the root's own view of its second RAM region stays as it was */
	assert_int_equal(translate(&root_cell, ROOT_RAM2_GUEST + 0x100000,
				   NULL), INVALID_PHYS_ADDR);
	assert_true(root_has(UART, SZ_4K));
}

static void test_loadable_failure(void **state)
{
	assert_int_equal(memory_take(&cell_a), 0);
	cell_list(&cell_a, NULL);

	/* the second loadable region cannot be mapped */
	map_failure = 2;
	assert_int_equal(memory_map_loadable(&cell_a), -ENOMEM);
	assert_false(cell_a.loadable);
	assert_true(root_lacks(A_RAM, A_RAM_SIZE));
	assert_true(root_lacks(A_RAM2, A_RAM_SIZE));
}

/* --- pages of a trapped BAR -------------------------------------------- */

static void test_punch_and_unpunch(void **state)
{
	unsigned long flags;

	/* the root's device page, then back with its flags */
	assert_int_equal(memory_punch(&root_cell, UART + 0x10, 0x100), 0);
	assert_true(root_lacks(UART, SZ_4K));
	memory_unpunch(&root_cell, UART + 0x10, 0x100);
	assert_int_equal(translate(&root_cell, UART, &flags), UART);
	assert_int_equal(flags, PAGE_DEVICE_FLAGS);

	/* in another cell, at its guest address; the neighbours stay */
	assert_int_equal(cell_map_memory(&cell_a), 0);
	assert_int_equal(memory_punch(&cell_a, 0x201000, SZ_4K), 0);
	assert_int_equal(translate(&cell_a, 0x201000, NULL),
			 INVALID_PHYS_ADDR);
	assert_int_equal(translate(&cell_a, 0x200000, NULL), A_BLOCK);
	assert_int_equal(translate(&cell_a, 0x202000, NULL),
			 A_BLOCK + 0x2000);
	memory_unpunch(&cell_a, 0x201000, SZ_4K);
	assert_int_equal(translate(&cell_a, 0x201000, NULL),
			 A_BLOCK + 0x1000);
	drop_stage2(&cell_a);
	assert_string_equal(printk_log, "");
}

static void test_unpunch_skips_other_cells(void **state)
{
	/* the root cannot map a cell's memory back by moving a BAR off it */
	assert_int_equal(memory_take(&cell_a), 0);
	cell_list(&cell_a, NULL);
	memory_unpunch(&root_cell, A_RAM, SZ_4K);
	assert_true(root_lacks(A_RAM, A_RAM_SIZE));
	assert_true(root_has(A_RAM - SZ_4K, SZ_4K));
	cell_list(NULL, NULL);
	memory_give_back(&cell_a);
	assert_true(root_has(A_RAM, A_RAM_SIZE));
}

static void test_unpunch_makes_blocks_whole(void **state)
{
	/* the 2 MiB block split for a hole is one block again after it */
	assert_int_equal(memory_punch(&root_cell, ROOT_RAM + 0x3000, SZ_4K),
			 0);
	assert_true(mem_pool.used_pages > baseline);
	memory_unpunch(&root_cell, ROOT_RAM + 0x3000, SZ_4K);
	assert_true(root_has(ROOT_RAM, SZ_2M));
	assert_int_equal(mem_pool.used_pages, baseline);
}

static void test_give_back_keeps_trapped_pages(void **state)
{
	unsigned long page;

	/* a BAR of the root's in the window that a destroyed cell remaps */
	trap_page = ROOT_RAM + 0x1000;
	assert_int_equal(memory_punch(&root_cell, trap_page, SZ_4K), 0);
	assert_int_equal(memory_take(&cell_a), 0);
	cell_list(NULL, NULL);
	memory_give_back(&cell_a);
	assert_string_equal(printk_log, "");
	assert_true(root_has(A_RAM, A_RAM_SIZE));
	assert_true(root_lacks(trap_page, SZ_4K));
	assert_true(root_has(trap_page + SZ_4K, SZ_4K));
	/* the BAR's trap goes first, then its page comes back */
	page = trap_page;
	trap_page = 0;
	memory_unpunch(&root_cell, page, SZ_4K);
	assert_true(root_has(page, SZ_4K));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_root_mapping,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cell_map_memory,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cell_map_memory_failure,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_take_and_give_back,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_give_back_leaves_other_cells, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_give_back_around_other_cell, setup, teardown),
		cmocka_unit_test_setup_teardown(test_take_failure,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_give_back_clear_failure,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_give_back_remap_failure,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_not_cleared,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_loadable,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_punch_and_unpunch,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unpunch_skips_other_cells,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_give_back_keeps_trapped_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_unpunch_makes_blocks_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loadable_failure,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
