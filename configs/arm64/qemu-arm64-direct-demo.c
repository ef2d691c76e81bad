// SPDX-License-Identifier: GPL-2.0
/*
 * Two-CPU cell with direct interrupt delivery on QEMU arm64 "virt" with
 * GICv3 (qemu-arm64.c): CPUs 2 and 3 take their interrupts from the GIC
 * without the hypervisor (Documentation/direct-irqs.md).  For gic-demo
 * (bench/gic-jitter.py) and the direct-delivery tests, which attack it.
 *
 * RAM: 64 KiB at guest-physical 0, where inmates are linked, with their
 * command line at 0x1000; the comm region at 0x80000000; the UART shared
 * with the root cell.  The timers are PPIs, which go with the CPUs.  The
 * debug console hypercall is permitted.
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
		.name = "direct-demo",
		.flags = JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED |
			 JAILHOUSE_CELL_DIRECT_IRQS,

		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),

		/* inmates are linked at 0 */
		.cpu_reset_address = 0,

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
		/* RAM: image at 0, command line at 0x1000 */ {
			.phys_start = 0x70300000,
			.virt_start = 0,
			.size = 0x10000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE,
		},
		/* communication region */ {
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_COMM_REGION,
		},
	},
};
