// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Identity map with the caches on.
 *
 * With the MMU off every data access is Device memory: exclusive accesses
 * (spinlocks) are not guaranteed to work, nothing is cached, and reading
 * the comm region, which the hypervisor writes through its caches, would
 * not be coherent.  So the start-up maps the image and the comm region as
 * Normal write-back memory and everything else as Device-nGnRE,
 * execute-never, with 1 GiB and 2 MiB blocks (4 KiB granule, 39-bit
 * addresses, walks start at level 1).  A program may map more as Normal
 * memory later (mmu_map_normal()), in the GiB of the image or of the comm
 * region: the tables of more would not fit the smallest cells.
 */
#include "lib.h"

#define BLOCK_SHIFT_L1		30
#define BLOCK_SHIFT_L2		21
#define BLOCK_SIZE_L2		(1UL << BLOCK_SHIFT_L2)
#define PTRS			512

#define PTE_VALID_BLOCK		0x1UL
#define PTE_TABLE		0x3UL
#define PTE_ATTR(idx)		((u64)(idx) << 2)
#define PTE_SH_INNER		(3UL << 8)
#define PTE_AF			(1UL << 10)
#define PTE_PXN			(1UL << 53)
#define PTE_UXN			(1UL << 54)

#define ATTR_DEVICE		0	/* MAIR index */
#define ATTR_NORMAL		1
#define MAIR_VALUE		(0x04UL << (8 * ATTR_DEVICE) | \
				 0xffUL << (8 * ATTR_NORMAL))

#define PTE_DEVICE		(PTE_VALID_BLOCK | PTE_ATTR(ATTR_DEVICE) | \
				 PTE_AF | PTE_PXN | PTE_UXN)
#define PTE_NORMAL		(PTE_VALID_BLOCK | PTE_ATTR(ATTR_NORMAL) | \
				 PTE_SH_INNER | PTE_AF | PTE_UXN)

#define TCR_T0SZ		(64 - 39)
#define TCR_IRGN0_WBWA		(1UL << 8)
#define TCR_ORGN0_WBWA		(1UL << 10)
#define TCR_SH0_INNER		(3UL << 12)
#define TCR_EPD1		(1UL << 23)
#define TCR_IPS_SHIFT		32
#define TCR_IPS_48BIT		5

#define SCTLR_M			(1UL << 0)
#define SCTLR_A			(1UL << 1)
#define SCTLR_C			(1UL << 2)
#define SCTLR_I			(1UL << 12)

static u64 level1[PTRS] __page_aligned_bss;
/* one for the GiB of the image, one for that of the comm region */
static u64 level2[2][PTRS] __page_aligned_bss;
static unsigned int level2_used;

static u64 tcr_value, sctlr_value;

/*
 * Change a descriptor that may be in use (break before make): no CPU may
 * hold the old and the new one at once.  Harmless with the MMU off.
 */
static void set_entry(u64 *entry, u64 value, unsigned long addr)
{
	if (*entry == value)
		return;
	*entry = 0;
	dsb(ishst);
	asm volatile("tlbi vaae1is, %0" : : "r" (addr >> 12) : "memory");
	dsb(ish);
	isb();
	*entry = value;
	dsb(ishst);
	isb();
}

static u64 *level2_table(unsigned long addr)
{
	unsigned int gib = addr >> BLOCK_SHIFT_L1;
	u64 *table;
	unsigned int n;

	if ((level1[gib] & PTE_TABLE) == PTE_TABLE)
		return (u64 *)(level1[gib] & ~0xfffUL);
	if (level2_used == ARRAY_SIZE(level2))
		return NULL;

	table = level2[level2_used++];
	for (n = 0; n < PTRS; n++)
		table[n] = ((u64)gib << BLOCK_SHIFT_L1) +
			((u64)n << BLOCK_SHIFT_L2) + PTE_DEVICE;
	set_entry(&level1[gib], (unsigned long)table | PTE_TABLE, addr);
	return table;
}

static int map_normal(unsigned long start, unsigned long end)
{
	unsigned long addr;
	u64 *table;

	for (addr = start & ~(BLOCK_SIZE_L2 - 1); addr < end;
	     addr += BLOCK_SIZE_L2) {
		table = level2_table(addr);
		if (!table)
			return -ENOMEM;
		set_entry(&table[(addr >> BLOCK_SHIFT_L2) % PTRS],
			  addr | PTE_NORMAL, addr);
	}
	return 0;
}

/**
 * mmu_map_normal() - Map memory as Normal, write-back cacheable.
 * @start:	first address
 * @size:	bytes
 *
 * What a program shares with others through the caches (ivshmem memory)
 * must be Normal memory, as theirs is.  The 2 MiB blocks that hold the
 * range are mapped so: nothing else there may be a device.
 *
 * Return: 0, or -ENOMEM if the range leaves the GiB of the image and of
 * the comm region.
 */
int mmu_map_normal(unsigned long start, unsigned long size)
{
	return map_normal(start, start + size);
}

/**
 * mmu_init() - Build the identity map and turn on MMU and caches.
 *
 * Runs on the boot CPU with the MMU off: the tables go straight to memory,
 * which the entry code cleaned of any cache line.
 */
void mmu_init(void)
{
	unsigned int parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	static const u8 pa_bits[] = { 32, 36, 40, 42, 44, 48 };
	unsigned int ips, n, entries;

	/* the output address of a block must fit the configured PA size */
	ips = parange < ARRAY_SIZE(pa_bits) ? parange : TCR_IPS_48BIT;
	entries = 1U << (pa_bits[ips] - BLOCK_SHIFT_L1);
	if (entries > PTRS)
		entries = PTRS;
	for (n = 0; n < entries; n++)
		level1[n] = ((u64)n << BLOCK_SHIFT_L1) | PTE_DEVICE;

	map_normal((unsigned long)__image_start, (unsigned long)__end);
	map_normal(COMM_REGION_BASE, COMM_REGION_BASE + 1);

	tcr_value = TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
		TCR_SH0_INNER | TCR_EPD1 | (u64)ips << TCR_IPS_SHIFT;
	sctlr_value = (read_sysreg(sctlr_el1) & ~SCTLR_A) |
		SCTLR_M | SCTLR_C | SCTLR_I;

	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, tcr_value);
	write_sysreg(ttbr0_el1, (unsigned long)level1);
	isb();
	asm volatile("tlbi vmalle1" : : : "memory");
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el1, sctlr_value);
	isb();
	asm volatile("ic iallu" : : : "memory");
	dsb(nsh);
	isb();
}

/* What a secondary CPU loads before it turns on its MMU */
void mmu_fill_boot(struct cpu_boot *boot)
{
	boot->mair = MAIR_VALUE;
	boot->tcr = tcr_value;
	boot->ttbr0 = (unsigned long)level1;
	boot->sctlr = sctlr_value;
}

/* Make memory visible to a CPU that reads it with its MMU off */
void dcache_clean_range(const void *start, size_t size)
{
	unsigned long line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	unsigned long addr = (unsigned long)start & ~(line - 1);
	unsigned long end = (unsigned long)start + size;

	for (; addr < end; addr += line)
		asm volatile("dc cvac, %0" : : "r" (addr) : "memory");
	dsb(sy);
}
