// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 page-table formats: the hypervisor's own address space and
 * the cells' nested page tables (AMD NPT), both with 4 levels, or 5 where
 * Linux turned on CR4.LA57 (the host's paging mode fixes both; APM vol. 2,
 * 5.3 and 15.25).  NPT entries are user entries: the processor walks them
 * as user accesses.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/cell-config.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/pio.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/vcpu.h>

static struct paging_desc hv_desc;
static struct paging_desc npt_desc;
/* the cells' format, from the vcpu backend */
static const struct paging_desc *stage2_desc;

static pt_entry_t leaf_entry(unsigned long phys, unsigned long flags,
			     bool last, pt_entry_t user)
{
	pt_entry_t entry = phys | PTE_PRESENT | PTE_ACCESSED | PTE_DIRTY |
		user | (last ? 0 : PTE_PS);

	if (flags & PAGE_FLAG_WRITE)
		entry |= PTE_RW;
	if (!(flags & PAGE_FLAG_EXEC))
		entry |= PTE_NX;
	/* with Linux's PAT: PCD + PWT is UC, PCD alone UC- */
	if (flags & PAGE_FLAG_DEVICE)
		entry |= PTE_PCD | PTE_PWT;
	else if (flags & PAGE_FLAG_NONCACHED)
		entry |= PTE_PCD;
	return entry;
}

static pt_entry_t hv_leaf_entry(unsigned long phys, unsigned long flags,
				bool last)
{
	return leaf_entry(phys, flags, last, 0);
}

static pt_entry_t npt_leaf_entry(unsigned long phys, unsigned long flags,
				 bool last)
{
	return leaf_entry(phys, flags, last, PTE_USER);
}

static unsigned long entry_flags(pt_entry_t entry)
{
	unsigned long flags = PAGE_FLAG_READ;

	if (entry & PTE_RW)
		flags |= PAGE_FLAG_WRITE;
	if (!(entry & PTE_NX))
		flags |= PAGE_FLAG_EXEC;
	if ((entry & (PTE_PCD | PTE_PWT)) == (PTE_PCD | PTE_PWT))
		flags |= PAGE_FLAG_DEVICE;
	else if (entry & PTE_PCD)
		flags |= PAGE_FLAG_NONCACHED;
	return flags;
}

static pt_entry_t hv_table_entry(unsigned long phys)
{
	return phys | PTE_PRESENT | PTE_RW | PTE_ACCESSED;
}

static pt_entry_t npt_table_entry(unsigned long phys)
{
	return phys | PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED;
}

static bool entry_valid(pt_entry_t entry)
{
	return entry & PTE_PRESENT;
}

static bool entry_is_table(pt_entry_t entry, bool last)
{
	return !last && !(entry & PTE_PS);
}

static unsigned long entry_phys(pt_entry_t entry)
{
	/* a 2 MiB or 1 GiB leaf: bit 12 is its PAT bit, never set here */
	return entry & PTE_ADDR_MASK;
}

/* The calling CPU at once, the others at their next sync (tlb.c). */
static void hv_flush_tlb(const struct paging_structures *pg,
			 unsigned long virt, unsigned long size)
{
	x86_hv_tlb_flush(&this_cpu_data()->arch.hv_generation, virt, size);
}

void arch_paging_sync(void)
{
	x86_hv_tlb_sync(&this_cpu_data()->arch.hv_generation);
}

/*
 * The nested translations of the cell's ASID go at the next VMRUN of each
 * of its CPUs (vcpu backend, npt_generation).
 */
static void npt_flush_tlb(const struct paging_structures *pg,
			  unsigned long virt, unsigned long size)
{
	struct cell *cell = container_of(pg, struct cell, arch.stage2);

	if (size)
		__atomic_fetch_add(&cell->arch.npt_generation, 1,
				   __ATOMIC_SEQ_CST);
}

static void init_desc(struct paging_desc *desc, unsigned int levels)
{
	unsigned int n;

	desc->num_levels = levels;
	for (n = 0; n < levels; n++) {
		desc->levels[n].shift = PT_LEVEL_SHIFT(levels - 1 - n);
		desc->levels[n].entries = 512;
		/* 1 GiB and 2 MiB pages */
		desc->levels[n].block = levels - 1 - n <= 2;
	}
	desc->root_pages = 1;
	desc->entry_valid = entry_valid;
	desc->entry_is_table = entry_is_table;
	desc->entry_phys = entry_phys;
	desc->entry_flags = entry_flags;
}

const struct paging_desc *x86_npt_paging(unsigned int levels)
{
	init_desc(&npt_desc, levels);
	npt_desc.leaf_entry = npt_leaf_entry;
	npt_desc.table_entry = npt_table_entry;
	npt_desc.flush_tlb = npt_flush_tlb;
	return &npt_desc;
}

const struct paging_desc *arch_paging_init(void)
{
	unsigned int levels = (read_cr4() & X86_CR4_LA57) ? 5 : 4;


	init_desc(&hv_desc, levels);
	hv_desc.leaf_entry = hv_leaf_entry;
	hv_desc.table_entry = hv_table_entry;
	hv_desc.flush_tlb = hv_flush_tlb;

	stage2_desc = vcpu_paging_init(levels);
	return &hv_desc;
}

/*
 * The driver's entry page at its Linux address, which the leave code needs
 * to load Linux's CR3: the same page for every CPU, mapped by the first.
 */
static int map_entry_page(struct per_cpu *cpu_data)
{
	unsigned long virt = cpu_data->arch.entry_state.leave_rip & PAGE_MASK;
	unsigned long phys = cpu_data->arch.entry_state.entry_page_phys;

	if (paging_virt2phys(&hv_paging, virt, NULL) == phys)
		return 0;
	return paging_create(&hv_paging, phys, PAGE_SIZE, virt,
			     PAGE_FLAG_READ | PAGE_FLAG_EXEC, PAGING_NO_HUGE);
}

void arch_paging_activate(void)
{
	struct per_cpu *cpu_data = this_cpu_data();

	if (map_entry_page(cpu_data)) {
		panic_printk("CPU %u: no memory to map the driver's entry "
			     "page\n", cpu_data->cpu_id);
		panic_stop();
	}
	/* PCID 0, which Linux does not use, flushed by the load */
	write_cr3(paging_hvirt2phys(hv_paging.root_table));
}

int arch_cell_create(struct cell *cell)
{
	int err;

	/* the time base, once, with the root cell */
	if (cell == &root_cell) {
		err = x86_time_init();
		if (err)
			return err;
	}

	spin_lock_init(&cell->arch.stage2_lock);
	cell->arch.npt_generation = 0;
	err = paging_init_structures(&cell->arch.stage2, stage2_desc);
	if (err)
		return err;
	/* the ASID: 0 is the host's */
	cell->arch.stage2.tag = cell->id + 1;

	err = pio_cell_init(cell);
	if (err)
		goto err_paging;
	err = vcpu_cell_init(cell);
	if (err)
		goto err_pio;
	return 0;

err_pio:
	pio_cell_exit(cell);
err_paging:
	paging_free_structures(&cell->arch.stage2);
	return err;
}

void arch_cell_destroy(struct cell *cell)
{
	vcpu_cell_exit(cell);
	pio_cell_exit(cell);
	paging_free_structures(&cell->arch.stage2);
}

int arch_map_memory_region(struct cell *cell,
			   const struct jailhouse_memory *mem)
{
	int err;

	spin_lock(&cell->arch.stage2_lock);
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

/**
 * x86_guest_window_init() - the calling CPU's window on guest memory
 * @cpu_data:	the CPU
 *
 * One page of the remap pool whose page-table entry only this CPU
 * rewrites (x86_read_guest_phys()): reading guest memory on an exit takes
 * no global lock and allocates nothing.  Its tables exist from here on.
 *
 * Return: 0 or -ENOMEM.
 */
int x86_guest_window_init(struct per_cpu *cpu_data)
{
	const struct paging_desc *desc = hv_paging.desc;
	unsigned long virt;
	pt_entry_t *table = hv_paging.root_table, entry;
	unsigned int n;
	void *window;

	window = paging_map_memory(paging_hvirt2phys(cpu_data), PAGE_SIZE);
	if (!window)
		return -ENOMEM;
	virt = (unsigned long)window;
	for (n = 0; n < desc->num_levels - 1; n++) {
		entry = table[(virt >> desc->levels[n].shift) & 511];
		table = paging_phys2hvirt(entry & PTE_ADDR_MASK);
	}
	cpu_data->arch.guest_window = window;
	cpu_data->arch.guest_window_pte =
		&table[(virt >> PAGE_SHIFT) & 511];
	return 0;
}

/**
 * x86_read_guest_phys() - read guest-physical memory of the CPU's cell
 * @cpu_data:	the calling CPU
 * @gphys:	guest-physical address
 * @buf:	destination
 * @size:	bytes, not beyond the page of @gphys
 *
 * Return: 0, or -EFAULT if the cell has no readable RAM there.
 */
int x86_read_guest_phys(struct per_cpu *cpu_data, unsigned long gphys,
			void *buf, unsigned long size)
{
	struct cell *cell = cpu_data->cell;
	unsigned long phys, flags;

	spin_lock(&cell->arch.stage2_lock);
	phys = paging_virt2phys(&cell->arch.stage2, gphys & PAGE_MASK,
				&flags);
	spin_unlock(&cell->arch.stage2_lock);
	if (phys == INVALID_PHYS_ADDR || !(flags & PAGE_FLAG_READ) ||
	    (flags & PAGE_FLAG_DEVICE))
		return -EFAULT;

	*cpu_data->arch.guest_window_pte = (phys & PAGE_MASK) | PTE_PRESENT |
		PTE_ACCESSED | PTE_NX;
	invlpg((unsigned long)cpu_data->arch.guest_window);
	memcpy(buf, (u8 *)cpu_data->arch.guest_window +
	       (gphys & PAGE_OFFS_MASK), size);
	return 0;
}
