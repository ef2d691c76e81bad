/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 page-table entries with 4 levels (AMD64 APM vol. 2, 5.3), for the
 * hypervisor's own address space and, with the same format on
 * guest-physical addresses, the cells' nested page tables (15.25).
 */
#ifndef _JAILHOUSE_ASM_PAGING_H
#define _JAILHOUSE_ASM_PAGING_H

#define PTE_PRESENT		(1UL << 0)
#define PTE_RW			(1UL << 1)
/* NPT entries are user entries: the walk is a user access (APM 15.25.5) */
#define PTE_USER		(1UL << 2)
#define PTE_PWT			(1UL << 3)
#define PTE_PCD			(1UL << 4)
#define PTE_ACCESSED		(1UL << 5)
#define PTE_DIRTY		(1UL << 6)
/* a 2 MiB or 1 GiB page at levels 3 and 2 */
#define PTE_PS			(1UL << 7)
#define PTE_NX			(1UL << 63)
#define PTE_ADDR_MASK		0x000ffffffffff000UL

#define PT_LEVEL_SHIFT(n)	(12 + 9 * (n))

#ifndef __ASSEMBLY__
struct paging_desc;

struct per_cpu;

/* The nested page-table format of AMD SVM with @levels levels. */
const struct paging_desc *x86_npt_paging(unsigned int levels);

/* tlb.c: the hypervisor's translations on all CPUs, see there. */
void x86_hv_tlb_sync(unsigned long *seen);
void x86_hv_tlb_flush(unsigned long *seen, unsigned long virt,
		      unsigned long size);

/* paging.c: reading guest memory on exits, see there. */
int x86_guest_window_init(struct per_cpu *cpu_data);
int x86_read_guest_phys(struct per_cpu *cpu_data, unsigned long gphys,
			void *buf, unsigned long size);
#endif

#endif /* !_JAILHOUSE_ASM_PAGING_H */
