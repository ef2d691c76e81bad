// SPDX-License-Identifier: GPL-2.0
/*
 * Linux in a cell on QEMU arm64 "virt": CPUs 2 and 3, 128 MiB of RAM, for
 * "jailhouse cell linux" (Documentation/linux-cell.md).
 *
 * RAM: 0x76000000-0x7dffffff, mapped 1:1 (a device that QEMU emulates
 * reaches it by physical address); the boot stub at its start (the reset
 * address), the kernel from the next 2 MiB on.  Console: the PL011 shared
 * with the root cell, without its interrupt: the cell's kernel writes
 * through its polled early console.  No interrupts of the distributor (the
 * timers are PPIs, which go with the CPUs).  Passive: Linux does not
 * answer the hypervisor's messages, so "cell shutdown" and "cell destroy"
 * stop it without asking.  The comm region is there for the tools that
 * check a cell has one; Linux does not know it.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[3];
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.architecture = JAILHOUSE_ARM64,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.name = "linux-demo",
		.flags = JAILHOUSE_CELL_PASSIVE_COMMREG |
			 JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED,

		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),

		/* the boot stub of "jailhouse cell linux" */
		.cpu_reset_address = 0x76000000,

		.console = {
			.address = 0x09000000,
			.size = 0x1000,
			.type = JAILHOUSE_CON_TYPE_PL011,
			.flags = JAILHOUSE_CON_ACCESS_MMIO |
				 JAILHOUSE_CON_REGDIST_4,
		},
	},

	.cpus = {
		0xc,
	},

	.mem_regions = {
		/* UART (PL011), shared with the root cell */ {
			.phys_start = 0x09000000,
			.virt_start = 0x09000000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO | JAILHOUSE_MEM_ROOTSHARED,
		},
		/* RAM */ {
			.phys_start = 0x76000000,
			.virt_start = 0x76000000,
			.size = 0x08000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA |
				JAILHOUSE_MEM_LOADABLE,
		},
		/* communication region, not in the cell's device tree */ {
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_COMM_REGION,
		},
	},
};
