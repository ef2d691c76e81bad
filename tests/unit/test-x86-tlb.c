// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the hypervisor's translations across CPUs on x86
 * (hypervisor/arch/x86/tlb.c) under paging.c's remap pool as it is.
 *
 * Each CPU of the test has a TLB model: a translation that it once used
 * stays until its INVLPG of that page or its CR3 reload, whatever the page
 * tables say by then, as host-mode translations stay across VMRUN on the
 * hardware.  hv_paging's flush_tlb is x86's on the "current" CPU.
 */
#include "test.h"

#include <jailhouse/bitops.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <asm/paging.h>
#include <asm/processor.h>

#include "test-format.h"

#define NUM_CPUS	3
#define TLB_ENTRIES	256
#define POOL_PAGES	64
#define TEST_REMAP_BASE	0x7f0000000000UL
#define REMAP_PAGES	128
/* above tlb.c's limit for page-wise flushing */
#define LARGE_PAGES	100

/* a state table in shared memory, then root memory, then a cell's */
#define STATE_TABLE	0x3bf00000UL
#define ROOT_PAGE	0x20000000UL
#define CELL_PAGE	0x30600000UL

static struct {
	unsigned long seen;
	struct {
		unsigned long virt, phys;
	} tlb[TLB_ENTRIES];
	unsigned int entries;
	unsigned int full_flushes, page_flushes;
} cpus[NUM_CPUS];
static unsigned int current;

static void *pool_memory;
static unsigned long pool_bitmap[BITS_TO_LONGS(POOL_PAGES)];
static unsigned long remap_bitmap[BITS_TO_LONGS(REMAP_PAGES)];
static struct paging_desc desc;

unsigned long read_cr3(void)
{
	return 0x1000;
}

void write_cr3(unsigned long cr3)
{
	cpus[current].entries = 0;
	cpus[current].full_flushes++;
}

void invlpg(unsigned long addr)
{
	unsigned int n;

	for (n = 0; n < cpus[current].entries; n++)
		if (cpus[current].tlb[n].virt == (addr & PAGE_MASK))
			cpus[current].tlb[n] =
				cpus[current].tlb[--cpus[current].entries];
	cpus[current].page_flushes++;
}

/* hv_paging's flush_tlb, as arch/x86/paging.c has it */
static void flush_tlb(const struct paging_structures *pg,
		      unsigned long virt, unsigned long size)
{
	x86_hv_tlb_flush(&cpus[current].seen, virt, size);
}

/*
 * The physical address that @cpu reaches through @virt: its TLB's, or a
 * walk of hv_paging that its TLB keeps.
 */
static unsigned long access(unsigned int cpu, const void *virt)
{
	unsigned long page = (unsigned long)virt & PAGE_MASK, phys;
	unsigned int n;

	for (n = 0; n < cpus[cpu].entries; n++)
		if (cpus[cpu].tlb[n].virt == page)
			return cpus[cpu].tlb[n].phys;
	phys = paging_virt2phys(&hv_paging, page, NULL);
	if (phys == INVALID_PHYS_ADDR)
		return phys;
	assert_true(cpus[cpu].entries < TLB_ENTRIES);
	cpus[cpu].tlb[cpus[cpu].entries].virt = page;
	cpus[cpu].tlb[cpus[cpu].entries].phys = phys;
	cpus[cpu].entries++;
	return phys;
}

static void on_cpu(unsigned int cpu)
{
	current = cpu;
}

/* @cpu exits into the hypervisor: svm_handle_exit()'s first step */
static void vm_exit(unsigned int cpu)
{
	on_cpu(cpu);
	x86_hv_tlb_sync(&cpus[cpu].seen);
}

static int setup(void **state)
{
	unsigned int cpu;

	pool_memory = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	if (!pool_memory)
		return -1;
	hv_phys_offset = 0;
	page_pool_init(&mem_pool, pool_memory, POOL_PAGES, pool_bitmap, 0);
	page_pool_init(&remap_pool, (void *)TEST_REMAP_BASE, REMAP_PAGES,
		       remap_bitmap, 0);
	desc = test_desc;
	desc.flush_tlb = flush_tlb;
	if (paging_init_structures(&hv_paging, &desc))
		return -1;

	/* the count goes on across tests: every CPU clean of it first */
	memset(cpus, 0, sizeof(cpus));
	for (cpu = 0; cpu < NUM_CPUS; cpu++)
		vm_exit(cpu);
	for (cpu = 0; cpu < NUM_CPUS; cpu++)
		cpus[cpu].full_flushes = 0;
	/* a mapping that stays, as a guest window does: tables stay too */
	on_cpu(0);
	assert_ptr_equal(paging_map_memory(0x1000, PAGE_SIZE),
			 (void *)TEST_REMAP_BASE);
	return 0;
}

static int teardown(void **state)
{
	paging_free_structures(&hv_paging);
	free(pool_memory);
	return 0;
}

/*
 * The case the generation is for: CPU 1 wrote a link's state table that
 * CPU 0 mapped, CPU 0 unmapped it and mapped root memory at the same
 * address.  CPU 0's flush does not reach CPU 1; CPU 1's next exit does.
 */
static void test_other_cpu_at_its_exit(void **state)
{
	void *table, *root;

	on_cpu(0);
	table = paging_map_memory(STATE_TABLE, PAGE_SIZE);
	vm_exit(1);
	assert_int_equal(access(1, table), STATE_TABLE);

	on_cpu(0);
	paging_unmap_device(STATE_TABLE, table, PAGE_SIZE);
	root = paging_map_memory(ROOT_PAGE, PAGE_SIZE);
	assert_ptr_equal(root, table);
	assert_int_equal(access(0, root), ROOT_PAGE);
	/* the hazard: CPU 1 alone still reaches the old page */
	assert_int_equal(access(1, root), STATE_TABLE);
	assert_int_equal(cpus[1].full_flushes + cpus[1].page_flushes, 0);

	vm_exit(1);
	assert_int_equal(cpus[1].full_flushes, 1);
	assert_int_equal(access(1, root), ROOT_PAGE);
	/* once per change */
	vm_exit(1);
	assert_int_equal(cpus[1].full_flushes, 1);
	paging_unmap_device(ROOT_PAGE, root, PAGE_SIZE);
}

/*
 * A CPU that maps anew drops what it held at that address before it uses
 * it: the cell's memory cleared on destroy is the cell's, not the page of
 * an old state table it wrote as a cell's CPU.
 */
static void test_new_mapping_on_the_cpu(void **state)
{
	void *table, *chunk;

	on_cpu(0);
	table = paging_map_memory(STATE_TABLE, PAGE_SIZE);
	assert_int_equal(access(2, table), STATE_TABLE);
	paging_unmap_device(STATE_TABLE, table, PAGE_SIZE);

	/* no exit of CPU 2 in between: the mapping itself catches up */
	on_cpu(2);
	chunk = paging_map_memory(CELL_PAGE, PAGE_SIZE);
	assert_ptr_equal(chunk, table);
	assert_int_equal(access(2, chunk), CELL_PAGE);
	assert_int_equal(cpus[2].full_flushes, 1);
	paging_unmap_device(CELL_PAGE, chunk, PAGE_SIZE);
}

/*
 * The CPU that unmaps a few pages flushes them alone and stays clean of
 * its own change; the others flush everything once, and only once.
 */
static void test_flushing_cpu_stays_current(void **state)
{
	void *page;
	unsigned int cpu;

	on_cpu(0);
	page = paging_map_memory(CELL_PAGE, PAGE_SIZE);
	paging_unmap_device(CELL_PAGE, page, PAGE_SIZE);
	assert_int_equal(cpus[0].page_flushes, 1);
	vm_exit(0);
	assert_int_equal(cpus[0].full_flushes, 0);

	for (cpu = 1; cpu < NUM_CPUS; cpu++) {
		vm_exit(cpu);
		vm_exit(cpu);
		assert_int_equal(cpus[cpu].full_flushes, 1);
		assert_int_equal(cpus[cpu].page_flushes, 0);
	}
	/* nothing changed: nothing flushed */
	for (cpu = 0; cpu < NUM_CPUS; cpu++)
		vm_exit(cpu);
	assert_int_equal(cpus[0].full_flushes + cpus[1].full_flushes +
			 cpus[2].full_flushes, 2);
}

/*
 * A CPU behind another's change that unmaps something of its own is not
 * clean of that change by its own page flush.
 */
static void test_flushing_cpu_behind(void **state)
{
	void *mine, *theirs;

	on_cpu(1);
	mine = paging_map_memory(ROOT_PAGE, PAGE_SIZE);
	on_cpu(0);
	theirs = paging_map_memory(STATE_TABLE, PAGE_SIZE);
	assert_int_equal(access(1, theirs), STATE_TABLE);
	paging_unmap_device(STATE_TABLE, theirs, PAGE_SIZE);

	on_cpu(1);
	paging_unmap_device(ROOT_PAGE, mine, PAGE_SIZE);
	assert_int_equal(cpus[1].full_flushes, 0);
	assert_int_equal(access(1, theirs), STATE_TABLE);
	vm_exit(1);
	assert_int_equal(cpus[1].full_flushes, 1);
	assert_int_equal(access(1, theirs), INVALID_PHYS_ADDR);
}

/* Many pages: one CR3 reload on the caller, then it is clean of all. */
static void test_large_range(void **state)
{
	char *big;

	on_cpu(0);
	big = paging_map_memory(CELL_PAGE, LARGE_PAGES * PAGE_SIZE);
	assert_non_null(big);
	assert_int_equal(access(1, big), CELL_PAGE);
	assert_int_equal(access(1, big + (LARGE_PAGES - 1) * PAGE_SIZE),
			 CELL_PAGE + (LARGE_PAGES - 1) * PAGE_SIZE);

	paging_unmap_device(CELL_PAGE, big, LARGE_PAGES * PAGE_SIZE);
	assert_int_equal(cpus[0].page_flushes, 0);
	assert_int_equal(cpus[0].full_flushes, 1);
	vm_exit(0);
	assert_int_equal(cpus[0].full_flushes, 1);

	vm_exit(1);
	assert_int_equal(access(1, big), INVALID_PHYS_ADDR);
	assert_int_equal(access(1, big + (LARGE_PAGES - 1) * PAGE_SIZE),
			 INVALID_PHYS_ADDR);
}

#define tlb_test(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		tlb_test(test_other_cpu_at_its_exit),
		tlb_test(test_new_mapping_on_the_cpu),
		tlb_test(test_flushing_cpu_stays_current),
		tlb_test(test_flushing_cpu_behind),
		tlb_test(test_large_range),
	};

	return cmocka_run_group_tests_name("x86-tlb", tests, NULL, NULL);
}
