// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 page-table formats: the hypervisor's EL2 stage 1 (48-bit
 * virtual addresses, four levels) and the cells' stage 2, whose input size
 * follows the physical address range of the CPU (ID_AA64MMFR0_EL1), so
 * that every device a config can name is reachable.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/cell-config.h>
#include <jailhouse/errno.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/sysregs.h>

/* PARange encodings to bits; 52-bit ranges are used as 48 bits. */
static const unsigned int parange_bits[] = { 32, 36, 40, 42, 44, 48 };

static struct paging_desc s2_desc;
static u64 vtcr;

static pt_entry_t s1_leaf_entry(unsigned long phys, unsigned long flags,
				bool last)
{
	pt_entry_t entry = phys | PTE_AF | PTE_SH_INNER | PTE_S1_AP_RES1 |
		(last ? PTE_VALID | PTE_PAGE : PTE_TYPE_BLOCK);

	if (!(flags & PAGE_FLAG_WRITE))
		entry |= PTE_S1_AP_RO;
	if (!(flags & PAGE_FLAG_EXEC))
		entry |= PTE_XN;
	if (flags & PAGE_FLAG_DEVICE)
		entry |= PTE_S1_ATTRIDX(MAIR_IDX_DEVICE);
	else if (flags & PAGE_FLAG_NONCACHED)
		entry |= PTE_S1_ATTRIDX(MAIR_IDX_NORMAL_NC);
	else
		entry |= PTE_S1_ATTRIDX(MAIR_IDX_NORMAL);
	return entry;
}

static unsigned long s1_entry_flags(pt_entry_t entry)
{
	unsigned long flags = PAGE_FLAG_READ;
	unsigned long idx = (entry & PTE_S1_ATTRIDX_MASK) >> 2;

	if (!(entry & PTE_S1_AP_RO))
		flags |= PAGE_FLAG_WRITE;
	if (!(entry & PTE_XN))
		flags |= PAGE_FLAG_EXEC;
	if (idx == MAIR_IDX_DEVICE || idx == MAIR_IDX_DEVICE_STRICT)
		flags |= PAGE_FLAG_DEVICE;
	else if (idx == MAIR_IDX_NORMAL_NC)
		flags |= PAGE_FLAG_NONCACHED;
	return flags;
}

static pt_entry_t s2_leaf_entry(unsigned long phys, unsigned long flags,
				bool last)
{
	pt_entry_t entry = phys | PTE_AF | PTE_SH_INNER |
		(last ? PTE_VALID | PTE_PAGE : PTE_TYPE_BLOCK);

	if (flags & PAGE_FLAG_READ)
		entry |= PTE_S2_READ;
	if (flags & PAGE_FLAG_WRITE)
		entry |= PTE_S2_WRITE;
	if (!(flags & PAGE_FLAG_EXEC))
		entry |= PTE_XN;
	if (flags & PAGE_FLAG_DEVICE)
		entry |= PTE_S2_MEMATTR_DEVICE;
	else if (flags & PAGE_FLAG_NONCACHED)
		entry |= PTE_S2_MEMATTR_NC;
	else
		entry |= PTE_S2_MEMATTR_NORMAL;
	return entry;
}

static unsigned long s2_entry_flags(pt_entry_t entry)
{
	unsigned long flags = 0;

	if (entry & PTE_S2_READ)
		flags |= PAGE_FLAG_READ;
	if (entry & PTE_S2_WRITE)
		flags |= PAGE_FLAG_WRITE;
	if (!(entry & PTE_XN))
		flags |= PAGE_FLAG_EXEC;
	if ((entry & PTE_S2_MEMATTR_MASK) == PTE_S2_MEMATTR_DEVICE)
		flags |= PAGE_FLAG_DEVICE;
	else if ((entry & PTE_S2_MEMATTR_MASK) == PTE_S2_MEMATTR_NC)
		flags |= PAGE_FLAG_NONCACHED;
	return flags;
}

static pt_entry_t table_entry(unsigned long phys)
{
	return phys | PTE_TYPE_TABLE;
}

static bool entry_valid(pt_entry_t entry)
{
	return entry & PTE_VALID;
}

static bool entry_is_table(pt_entry_t entry, bool last)
{
	return !last && (entry & PTE_TYPE_MASK) == PTE_TYPE_TABLE;
}

static unsigned long entry_phys(pt_entry_t entry)
{
	return entry & PTE_ADDR_MASK;
}

static void hv_flush_tlb(const struct paging_structures *pg,
			 unsigned long virt, unsigned long size)
{
	dsb(ishst);
	if (size)
		asm volatile("tlbi alle2is" : : : "memory");
	dsb(ish);
	isb();
}

/* TLBI ...IS with DSB ISH has already reached every CPU. */
void arch_paging_sync(void)
{
}

/*
 * TLB maintenance acts on the VMID in VTTBR_EL2: load the one to flush,
 * with its own tables, so that even a speculative walk meanwhile finds
 * nothing but the cell's translations.  All translations of the VMID go,
 * stage 1 included, on all CPUs.
 */
static void flush_vmid(const struct paging_structures *pg)
{
	u64 vttbr;

	arm_read_sysreg(VTTBR_EL2, vttbr);
	arm_write_sysreg(VTTBR_EL2, paging_hvirt2phys(pg->root_table) |
			 (pg->tag << VTTBR_VMID_SHIFT));
	isb();
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	arm_write_sysreg(VTTBR_EL2, vttbr);
	isb();
}

static void s2_flush_tlb(const struct paging_structures *pg,
			 unsigned long virt, unsigned long size)
{
	dsb(ishst);
	if (size)
		flush_vmid(pg);
}

static const struct paging_desc hv_desc = {
	.num_levels = 4,
	.levels = {
		{ .shift = 39, .entries = 512, .block = false },
		{ .shift = 30, .entries = 512, .block = true },
		{ .shift = 21, .entries = 512, .block = true },
		{ .shift = 12, .entries = 512, .block = true },
	},
	.root_pages = 1,
	.leaf_entry = s1_leaf_entry,
	.table_entry = table_entry,
	.entry_valid = entry_valid,
	.entry_is_table = entry_is_table,
	.entry_phys = entry_phys,
	.entry_flags = s1_entry_flags,
	.flush_tlb = hv_flush_tlb,
};

/*
 * Stage 2 with a 4 KiB granule: up to 42 bits start at level 1 with up to
 * 8 concatenated tables, larger input ranges at level 0 (Arm ARM D8.2).
 */
static void init_s2_desc(void)
{
	unsigned int parange, ipa_bits, first, n;
	u64 mmfr0;

	arm_read_sysreg(ID_AA64MMFR0_EL1, mmfr0);
	parange = mmfr0 & ID_AA64MMFR0_PARANGE_MASK;
	if (parange >= ARRAY_SIZE(parange_bits))
		parange = ARRAY_SIZE(parange_bits) - 1;
	ipa_bits = parange_bits[parange];

	first = ipa_bits > 42 ? 0 : 1;
	s2_desc.num_levels = 4 - first;
	for (n = 0; n < s2_desc.num_levels; n++) {
		s2_desc.levels[n].shift = 39 - 9 * (first + n);
		s2_desc.levels[n].entries = 512;
		s2_desc.levels[n].block = first + n >= 1;
	}
	s2_desc.levels[0].entries = 1U << (ipa_bits - s2_desc.levels[0].shift);
	s2_desc.root_pages = s2_desc.levels[0].entries > 512 ?
		s2_desc.levels[0].entries / 512 : 1;
	s2_desc.leaf_entry = s2_leaf_entry;
	s2_desc.table_entry = table_entry;
	s2_desc.entry_valid = entry_valid;
	s2_desc.entry_is_table = entry_is_table;
	s2_desc.entry_phys = entry_phys;
	s2_desc.entry_flags = s2_entry_flags;
	s2_desc.flush_tlb = s2_flush_tlb;

	/* SL0: 2 = level 0, 1 = level 1 */
	vtcr = VTCR_RES1 | TCR_T0SZ(ipa_bits) | VTCR_CACHEABLE_SHARED |
		TCR_TG0_4K | ((u64)(2 - first) << VTCR_SL0_SHIFT) |
		((u64)parange << VTCR_PS_SHIFT);
}

const struct paging_desc *arch_paging_init(void)
{
	init_s2_desc();
	return &hv_desc;
}

void arch_paging_activate(void)
{
	arm_write_sysreg(TTBR0_EL2, paging_hvirt2phys(hv_paging.root_table));
	isb();
	asm volatile("tlbi alle2" : : : "memory");
	dsb(nsh);
	isb();
}

void arch_cell_load_stage2(struct cell *cell)
{
	struct paging_structures *s2 = &cell->arch.stage2;

	arm_write_sysreg(VTCR_EL2, vtcr);
	arm_write_sysreg(VTTBR_EL2, paging_hvirt2phys(s2->root_table) |
			 (s2->tag << VTTBR_VMID_SHIFT));
	isb();
}

/* Called with stage2_lock held. */
static void restore_stage2(struct cell *cell)
{
	if (!cell->arch.revoked)
		return;
	memcpy(cell->arch.stage2.root_table, cell->arch.saved_root,
	       s2_desc.root_pages * PAGE_SIZE);
	/* valid entries where there were none: nothing to invalidate */
	dsb(ishst);
	cell->arch.revoked = false;
}

/* The cell id is the VMID; a new cell may reuse one of a cell gone. */
int arch_cell_create(struct cell *cell)
{
	int err;

	spin_lock_init(&cell->arch.stage2_lock);
	cell->arch.revoked = false;
	cell->arch.saved_root = NULL;
	if (cell->config->flags & JAILHOUSE_CELL_DIRECT_IRQS) {
		cell->arch.saved_root = page_alloc(&mem_pool,
						   s2_desc.root_pages);
		if (!cell->arch.saved_root)
			return -ENOMEM;
	}
	err = paging_init_structures(&cell->arch.stage2, &s2_desc);
	if (err) {
		if (cell->arch.saved_root)
			page_free(&mem_pool, cell->arch.saved_root,
				  s2_desc.root_pages);
		return err;
	}
	cell->arch.stage2.tag = cell->id;
	flush_vmid(&cell->arch.stage2);
	return 0;
}

void arch_cell_destroy(struct cell *cell)
{
	/* its CPUs, parked, are on the root cell's tables (arch_park_cpu) */
	flush_vmid(&cell->arch.stage2);
	/* the tables to free hang off the saved entries while revoked */
	restore_stage2(cell);
	paging_free_structures(&cell->arch.stage2);
	if (cell->arch.saved_root)
		page_free(&mem_pool, cell->arch.saved_root,
			  s2_desc.root_pages);
}

void arch_cell_revoke_stage2(struct cell *cell)
{
	struct paging_structures *s2 = &cell->arch.stage2;

	/*
	 * Not once all have parked: the last one to park restores under the
	 * same lock after it counted as parked, so a stopper that saw it
	 * running a moment ago must not revoke behind it.
	 */
	spin_lock(&cell->arch.stage2_lock);
	if (!cell->arch.revoked && !arch_cell_all_parked(cell)) {
		memcpy(cell->arch.saved_root, s2->root_table,
		       s2_desc.root_pages * PAGE_SIZE);
		memset(s2->root_table, 0, s2_desc.root_pages * PAGE_SIZE);
		dsb(ishst);
		flush_vmid(s2);
		cell->arch.revoked = true;
	}
	spin_unlock(&cell->arch.stage2_lock);
	/* a CPU sleeping in WFE wakes and fetches its next instruction */
	sev();
}

void arch_cell_restore_stage2(struct cell *cell)
{
	spin_lock(&cell->arch.stage2_lock);
	restore_stage2(cell);
	spin_unlock(&cell->arch.stage2_lock);
}

int arch_map_memory_region(struct cell *cell,
			   const struct jailhouse_memory *mem)
{
	int err;

	spin_lock(&cell->arch.stage2_lock);
	restore_stage2(cell);
	err = paging_create(&cell->arch.stage2, mem->phys_start, mem->size,
			    mem->virt_start,
			    paging_mem_flags(mem->flags),
			    (mem->flags & JAILHOUSE_MEM_NO_HUGEPAGES) ?
			    PAGING_NO_HUGE : PAGING_HUGE);
	spin_unlock(&cell->arch.stage2_lock);
	return err;
}

int arch_unmap_memory_region(struct cell *cell,
			     const struct jailhouse_memory *mem)
{
	int err;

	spin_lock(&cell->arch.stage2_lock);
	restore_stage2(cell);
	err = paging_destroy(&cell->arch.stage2, mem->virt_start, mem->size);
	spin_unlock(&cell->arch.stage2_lock);
	return err;
}

bool arch_stage2_mapped(struct cell *cell, unsigned long addr,
			unsigned long need)
{
	unsigned long flags;
	bool mapped;

	spin_lock(&cell->arch.stage2_lock);
	mapped = paging_virt2phys(&cell->arch.stage2, addr, &flags) !=
		INVALID_PHYS_ADDR && (flags & need) == need;
	spin_unlock(&cell->arch.stage2_lock);
	return mapped;
}
