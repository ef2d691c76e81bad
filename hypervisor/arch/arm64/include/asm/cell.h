/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 part of a cell.
 */
#ifndef _JAILHOUSE_ASM_CELL_H
#define _JAILHOUSE_ASM_CELL_H

#include <jailhouse/paging.h>
#include <jailhouse/spinlock.h>

struct arch_cell {
	/* guest-physical to physical; the tag holds the VMID */
	struct paging_structures stage2;
	/*
	 * Changes of the stage 2 of a cell that runs (the root cell's)
	 * against the walks of its fault handler.
	 */
	spinlock_t stage2_lock;
	/*
	 * Direct delivery: where the stage 2's root entries wait while it is
	 * revoked to stop the cell (arch_cell_revoke_stage2()); NULL for
	 * other cells
	 */
	pt_entry_t *saved_root;
	bool revoked;
};

struct cell;

/* Load the cell's stage 2 (VTCR_EL2, VTTBR_EL2) on the calling CPU. */
void arch_cell_load_stage2(struct cell *cell);

/**
 * arch_cell_revoke_stage2() - make the CPUs of a direct cell exit
 * @cell:	a cell with JAILHOUSE_CELL_DIRECT_IRQS that is being stopped
 *
 * Such a cell can keep the hypervisor's SGI from its CPUs
 * (Documentation/direct-irqs.md).  With its stage 2 empty, each of its
 * CPUs faults into the hypervisor at its next memory access, or, sleeping
 * in WFE, after the event sent.  Paging changes in between restore it first;
 * the stopper revokes it again while it waits.
 */
void arch_cell_revoke_stage2(struct cell *cell);
/* The stage 2 back, once all CPUs of @cell are parked. */
void arch_cell_restore_stage2(struct cell *cell);
/* Are all CPUs of @cell parked (or off)? */
bool arch_cell_all_parked(struct cell *cell);

#endif /* !_JAILHOUSE_ASM_CELL_H */
