/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A page-table format for tests of hypervisor/paging.c and of the code on
 * top of it, shaped like arm64's 4 KiB granule: four levels of 512
 * entries, blocks of 1 GiB and 2 MiB.  Tables live in host memory, with
 * hv_phys_offset 0, so that "physical" table addresses are host pointers.
 * Each test program includes it once.
 */
#ifndef _TEST_FORMAT_H
#define _TEST_FORMAT_H

#include <jailhouse/paging.h>

/* Entry format of the test: valid, table-or-page, flags, address. */
#define E_VALID		0x1ULL
/* table above the last level, page at it */
#define E_TABLE		0x2ULL
#define E_FLAGS_SHIFT	2
#define E_FLAGS_MASK	(0x1fULL << E_FLAGS_SHIFT)
#define E_PHYS_MASK	0x0000fffffffff000ULL

#define SZ_4K		0x1000UL
#define SZ_2M		0x200000UL
#define SZ_1G		0x40000000UL

static unsigned int flushes;
/* flushes after valid entries were cleared (break-before-make) */
static unsigned int breaks;

static pt_entry_t test_leaf_entry(unsigned long phys, unsigned long flags,
				  bool last)
{
	return (phys & E_PHYS_MASK) | ((u64)flags << E_FLAGS_SHIFT) |
		E_VALID | (last ? E_TABLE : 0);
}

static pt_entry_t test_table_entry(unsigned long phys)
{
	return (phys & E_PHYS_MASK) | E_VALID | E_TABLE;
}

static bool test_entry_valid(pt_entry_t entry)
{
	return entry & E_VALID;
}

static bool test_entry_is_table(pt_entry_t entry, bool last)
{
	return !last && (entry & E_TABLE);
}

static unsigned long test_entry_phys(pt_entry_t entry)
{
	return entry & E_PHYS_MASK;
}

static unsigned long test_entry_flags(pt_entry_t entry)
{
	return (entry & E_FLAGS_MASK) >> E_FLAGS_SHIFT;
}

static void test_flush_tlb(const struct paging_structures *pg,
			   unsigned long virt, unsigned long size)
{
	flushes++;
	if (size)
		breaks++;
}

static const struct paging_desc test_desc = {
	.num_levels = 4,
	.levels = {
		{ .shift = 39, .entries = 512, .block = false },
		{ .shift = 30, .entries = 512, .block = true },
		{ .shift = 21, .entries = 512, .block = true },
		{ .shift = 12, .entries = 512, .block = true },
	},
	.root_pages = 1,
	.leaf_entry = test_leaf_entry,
	.table_entry = test_table_entry,
	.entry_valid = test_entry_valid,
	.entry_is_table = test_entry_is_table,
	.entry_phys = test_entry_phys,
	.entry_flags = test_entry_flags,
	.flush_tlb = test_flush_tlb,
};

#endif /* !_TEST_FORMAT_H */
