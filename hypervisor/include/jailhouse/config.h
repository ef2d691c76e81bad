/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validation of configurations handed to the hypervisor.  They come from
 * user space through the driver: every count and address is untrusted.
 */
#ifndef _JAILHOUSE_CONFIG_H
#define _JAILHOUSE_CONFIG_H

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

/* Architecture of the configs this build accepts. */
#ifndef JAILHOUSE_ARCH_ID
#define JAILHOUSE_ARCH_ID	JAILHOUSE_ARM64
#endif

/*
 * x86: pins of an IOAPIC the hypervisor handles, above the 24 of a
 * chipset's IOAPIC and the 32 of most others.  A config's bitmap could
 * name 128.
 */
#define CONFIG_IOAPIC_MAX_PINS	120

/*
 * config_cell_size() - size of a cell descriptor and its arrays
 * @cell:	descriptor, at least sizeof(*cell) bytes readable
 * @size:	result
 *
 * Return: 0, or -EOVERFLOW if the counts do not fit in 64 bits.
 */
int config_cell_size(const struct jailhouse_cell_desc *cell, u64 *size);

/* Same for a system config: header plus the root cell's arrays. */
int config_system_size(const struct jailhouse_system *sys, u64 *size);

/*
 * config_check_cell() - validate a cell descriptor and its arrays
 * @cell:	descriptor
 * @avail:	bytes readable at @cell
 * @max_cpus:	CPU ids must be below this
 * @hv_mem:	hypervisor memory the cell must not reach, or NULL
 * @root:	the root cell of a system config (no signature of its own)
 *
 * PIO regions (x86 only) must lie within the 64 Ki ports and not overlap;
 * on x86 every irqchip is an IOAPIC, listed once, with pins below
 * CONFIG_IOAPIC_MAX_PINS.
 *
 * Return: 0, or negative errno after a message naming the problem.
 */
int config_check_cell(const struct jailhouse_cell_desc *cell, u64 avail,
		      unsigned int max_cpus,
		      const struct jailhouse_memory *hv_mem, bool root);

/*
 * config_check_system() - validate a system config
 * @sys:	the config
 * @avail:	bytes readable at @sys
 * @max_cpus:	CPU ids must be below this
 *
 * Checks signature, architecture, revision, the hypervisor memory (2 MiB
 * aligned start, page-aligned size, no wrap-around), on x86 the platform
 * part (APIC mode, PM timer port or given timer frequencies, debug console
 * port, IOMMU types) and the root cell.
 *
 * Return: 0, or negative errno after a message naming the problem.
 */
int config_check_system(const struct jailhouse_system *sys, u64 avail,
			unsigned int max_cpus);

/*
 * config_check_cell_in_root() - can the root cell give what a cell asks for?
 * @cell:	a cell config that passed config_check_cell()
 * @root:	the root cell's config: its memory regions are what the root
 *		may hand out
 * @root_cpus:	bitmap of the CPUs the root cell has now
 * @max_cpus:	bits in @root_cpus
 *
 * The cell may not take CPU 0 nor all of the root's CPUs; every CPU must be
 * the root's now.  Every memory region but the comm region must lie in the
 * root's memory (several adjacent root regions may cover it), every PIO
 * region in the root's ports.  A cell has at most one comm region, of one
 * page.  On x86 its IOAPIC pins must be the root's, of an IOAPIC with the
 * same address and source id.
 *
 * Return: 0, or negative errno after a message naming the problem.
 */
int config_check_cell_in_root(const struct jailhouse_cell_desc *cell,
			      const struct jailhouse_cell_desc *root,
			      const unsigned long *root_cpus,
			      unsigned int max_cpus);

/*
 * config_check_cells_disjoint() - does a new cell leave an existing one alone?
 * @cell:	config of the new cell, checked with config_check_cell()
 * @other:	config of an existing non-root cell
 *
 * The two may share no CPU, no I/O port, no IOAPIC pin (x86), and no
 * physical memory unless both regions are root-shared (shared memory
 * between cells and the root).
 *
 * Return: 0, or -EBUSY after a message naming the problem.
 */
int config_check_cells_disjoint(const struct jailhouse_cell_desc *cell,
				const struct jailhouse_cell_desc *other);

#endif /* !_JAILHOUSE_CONFIG_H */
