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
 * aligned start, page-aligned size, no wrap-around) and the root cell.
 *
 * Return: 0, or negative errno after a message naming the problem.
 */
int config_check_system(const struct jailhouse_system *sys, u64 avail,
			unsigned int max_cpus);

#endif /* !_JAILHOUSE_CONFIG_H */
