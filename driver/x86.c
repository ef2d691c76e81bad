// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 side of the driver (arch.h): AMD SVM with nested paging, the e820
 * map as the firmware's description of the RAM, ACPI for the devices.
 *
 * Entry (Documentation/x86.md): Linux maps the reserved hypervisor memory
 * nowhere executable, so the driver builds entry tables that map it at
 * JAILHOUSE_BASE and the driver's entry page (x86-entry.S) at its Linux
 * address; each CPU loads them there and jumps into the hypervisor, which
 * comes back through the same page.
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <asm/cacheflush.h>
#include <asm/cpufeature.h>
#include <asm/e820/api.h>
#include <asm/msr.h>
#include <asm/special_insns.h>

#include <jailhouse/header.h>

#include "arch.h"

/* x86-entry.S */
long jailhouse_x86_enter(unsigned long entry, unsigned long entry_cr3,
			 unsigned long cpu, unsigned long page_phys,
			 unsigned long hv_phys);
long jailhouse_x86_disable(void);
void jailhouse_x86_entry_page_end(void);

/* Page-table entries of the entry tables */
#define ENTRY_PTE_PRESENT	0x001UL
#define ENTRY_PTE_RW		0x002UL
#define ENTRY_PTE_ACCESSED	0x020UL
#define ENTRY_PTE_DIRTY		0x040UL
#define ENTRY_PTE_PS		0x080UL
#define ENTRY_PTE_ADDR		0x000ffffffffff000UL
#define ENTRY_TABLE_FLAGS	(ENTRY_PTE_PRESENT | ENTRY_PTE_RW | \
				 ENTRY_PTE_ACCESSED)
#define ENTRY_LEAF_FLAGS	(ENTRY_TABLE_FLAGS | ENTRY_PTE_DIRTY)

/*
 * Tables for the hypervisor memory (2 MiB pages) and the entry page: a
 * root and at most three more levels for each, plus one table for each
 * further GiB the hypervisor memory spans.
 */
#define ENTRY_MAX_TABLES	16

static struct {
	u64 *tables[ENTRY_MAX_TABLES];
	unsigned int num_tables;
	unsigned int levels;
	phys_addr_t hv_phys;
	phys_addr_t page_phys;
} entry_tables;

static u64 *entry_table_alloc(void)
{
	u64 *table;

	if (entry_tables.num_tables >= ENTRY_MAX_TABLES)
		return NULL;
	table = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (table)
		entry_tables.tables[entry_tables.num_tables++] = table;
	return table;
}

/* Map one page of 4 KiB (@level_shift 12) or 2 MiB (21) at @virt. */
static int entry_map(unsigned long virt, phys_addr_t phys,
		     unsigned int leaf_shift)
{
	u64 *table = entry_tables.tables[0], *next;
	unsigned int shift = 12 + 9 * (entry_tables.levels - 1);
	unsigned int index;

	for (; shift > leaf_shift; shift -= 9) {
		index = (virt >> shift) & 511;
		if (!table[index]) {
			next = entry_table_alloc();
			if (!next)
				return -ENOMEM;
			table[index] = virt_to_phys(next) | ENTRY_TABLE_FLAGS;
		} else if (table[index] & ENTRY_PTE_PS) {
			return -EEXIST;
		}
		table = phys_to_virt(table[index] & ENTRY_PTE_ADDR);
	}
	index = (virt >> shift) & 511;
	if (table[index])
		return -EEXIST;
	table[index] = phys | ENTRY_LEAF_FLAGS |
		(leaf_shift > 12 ? ENTRY_PTE_PS : 0);
	return 0;
}

void jailhouse_arch_entry_done(void)
{
	while (entry_tables.num_tables > 0)
		free_page((unsigned long)
			  entry_tables.tables[--entry_tables.num_tables]);
}

/*
 * The entry tables, in the paging mode Linux runs in (4 or 5 levels): the
 * hypervisor memory at JAILHOUSE_BASE with 2 MiB pages, the entry page at
 * its Linux address.
 */
int jailhouse_arch_prepare_entry(const struct jailhouse_memory *hv_mem)
{
	unsigned long page = (unsigned long)jailhouse_x86_enter & PAGE_MASK;
	unsigned long end = (unsigned long)jailhouse_x86_entry_page_end;
	u64 offset;
	int err;

	if ((end & PAGE_MASK) != page) {
		pr_err("the driver's entry code crosses a page boundary; the module was built wrongly\n");
		return -EINVAL;
	}
	entry_tables.levels = (__read_cr4() & X86_CR4_LA57) ? 5 : 4;
	entry_tables.hv_phys = hv_mem->phys_start;
	entry_tables.page_phys = page_to_phys(vmalloc_to_page((void *)page));

	err = -ENOMEM;
	if (!entry_table_alloc())
		goto err_free;
	for (offset = 0; offset < hv_mem->size; offset += SZ_2M) {
		err = entry_map(JAILHOUSE_BASE + offset,
				hv_mem->phys_start + offset, 21);
		if (err)
			goto err_free;
	}
	err = entry_map(page, entry_tables.page_phys, 12);
	if (err)
		goto err_free;
	return 0;

err_free:
	pr_err("cannot build the entry tables (%d)\n", err);
	jailhouse_arch_entry_done();
	return err;
}

/* CPUID bits the hypervisor needs (AMD64 APM vol. 3, appendix E) */
#define CPUID_EXT_FEATURES	0x80000001
#define CPUID_EXT_ECX_SVM	(1U << 2)
#define CPUID_SVM_FEATURES	0x8000000a
#define CPUID_SVM_EDX_NPT	(1U << 0)

/*
 * Asked of the CPU, not of Linux's copy: a CPU that Linux brought online
 * while the hypervisor ran saw SVM hidden, and Linux then cleared it from
 * its capabilities for good.
 */
int jailhouse_arch_check_cpus(void)
{
	if (!(cpuid_ecx(CPUID_EXT_FEATURES) & CPUID_EXT_ECX_SVM)) {
		if (boot_cpu_has(X86_FEATURE_VMX)) {
			pr_err("the CPUs have Intel VT-x, which is not supported yet: only AMD SVM is\n");
			return -EOPNOTSUPP;
		}
		pr_err("the CPUs do not implement AMD SVM (virtualization extensions)\n");
		return -ENODEV;
	}
	if (!(cpuid_edx(CPUID_SVM_FEATURES) & CPUID_SVM_EDX_NPT)) {
		pr_err("the CPUs implement SVM without nested paging (NPT), which the hypervisor needs\n");
		return -ENODEV;
	}
	return 0;
}

static void read_efer(void *info)
{
	unsigned long *answers = info;
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	answers[smp_processor_id()] = efer;
}

/*
 * SVM must be off on every online CPU: EFER.SVME set means that another
 * hypervisor (KVM while it runs a virtual machine) uses it.
 */
int jailhouse_arch_check_entry(unsigned long *answers)
{
	unsigned int cpu, failed = 0, first = 0;

	on_each_cpu(read_efer, answers, 1);

	for_each_online_cpu(cpu) {
		if (!(answers[cpu] & EFER_SVME))
			continue;
		if (!failed++)
			first = cpu;
	}
	if (failed) {
		pr_err("SVM is in use on CPU %u (and %u more): another hypervisor (KVM) runs; stop its virtual machines or unload kvm_amd\n",
		       first, failed - 1);
		return -EBUSY;
	}
	return 0;
}

/*
 * The hypervisor's entry gets its virtual address; the CPU leaves its
 * entry code with its PCID 0 tables loaded, Linux's PCIDs untouched.
 */
long jailhouse_arch_enter(phys_addr_t entry, unsigned int cpu)
{
	return jailhouse_x86_enter(JAILHOUSE_BASE +
				   (entry - entry_tables.hv_phys),
				   virt_to_phys(entry_tables.tables[0]), cpu,
				   entry_tables.page_phys,
				   entry_tables.hv_phys);
}

/* The hypervisor leaves through the entry page, to this call's frame. */
long jailhouse_arch_leave(void)
{
	return jailhouse_x86_disable();
}

/*
 * The caches are coherent with every CPU, but the driver writes through a
 * write-combining mapping while a previous hypervisor may have left lines
 * of its write-back mapping: those are written back before and dropped
 * after, as on arm64.
 */
void jailhouse_dcache_clean_inval_poc(void *start, size_t size)
{
	size_t chunk;

	/* clflush_cache_range() takes an unsigned int. */
	for (; size > 0; size -= chunk, start += chunk) {
		chunk = min_t(size_t, size, SZ_1G);
		clflush_cache_range(start, chunk);
	}
}

/*
 * The e820 map as the firmware gave it, before Linux applied memmap= and
 * mem= to its own copy: the range Linux was told to keep free is RAM here.
 * Asked page by page (Linux exports no lookup of an entry's end); the
 * firmware's ranges are whole pages above the first MiB.
 */
bool jailhouse_firmware_ram(u64 start, u64 size)
{
	u64 end, pos;

	if (check_add_overflow(start, size, &end))
		return false;
	for (pos = ALIGN_DOWN(start, PAGE_SIZE); pos < end; pos += PAGE_SIZE)
		if (!e820__mapped_raw_any(pos, pos + PAGE_SIZE, E820_TYPE_RAM))
			return false;
	return true;
}

/*
 * Linux booted with ACPI, which the driver does not read: the IOAPIC and
 * the debug console are left to the configuration, as on an ACPI arm64
 * machine.
 */
int jailhouse_arch_check_platform(const struct jailhouse_system *sys)
{
	return 0;
}

void jailhouse_arch_report_busy(const struct resource *busy,
				const char *what)
{
	pr_err("%s: %pR is in use by Linux (\"%s\"); unbind its driver first, or share the region with the root cell (JAILHOUSE_MEM_ROOTSHARED)\n",
	       what, busy, busy->name);
}
