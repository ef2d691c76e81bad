/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 part of a cell.
 */
#ifndef _JAILHOUSE_ASM_CELL_H
#define _JAILHOUSE_ASM_CELL_H

#include <jailhouse/paging.h>
#include <jailhouse/spinlock.h>

/* IOAPICs a cell's config may name (irqchips) */
#define X86_MAX_IOAPICS		8

struct cell;
struct phys_ioapic;

/* An IOAPIC as one cell sees it (ioapic.c). */
struct cell_ioapic {
	struct phys_ioapic *phys;
	struct cell *cell;
	/* the cell's IOREGSEL */
	u32 regsel;
};

struct arch_cell {
	/* guest-physical to physical: the nested page tables (NPT) */
	struct paging_structures stage2;
	/* changes of the stage 2 of a running cell against its walks */
	spinlock_t stage2_lock;
	/* counts changes that removed translations; see npt_flush_tlb() */
	u32 npt_generation;
	/* the vcpu backend's I/O and MSR permission maps of the cell */
	u8 *io_bitmap;
	u8 *msr_bitmap;
	/* the cell's irqchips, in the order of its config */
	struct cell_ioapic ioapics[X86_MAX_IOAPICS];
};

#endif /* !_JAILHOUSE_ASM_CELL_H */
