// SPDX-License-Identifier: GPL-2.0
/*
 * Second cell for the inmate demos on the ZCU102 as QEMU models it
 * (zynqmp-zcu102.c): CPU 2, so that it runs beside
 * zynqmp-zcu102-inmate-demo.c (CPU 3).
 *
 * RAM: 64 KiB at guest-physical 0, where inmates are linked, with their
 * command line at 0x1000; the comm region at 0x80000000; the Cadence UART 0
 * shared with the root cell, as on QEMU virt (qemu-arm64-inmate-demo.c);
 * no interrupts of the distributor (the timers are PPIs, which go with
 * the CPU).  The debug console hypercall is permitted.
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
		.name = "inmate-demo2",
		.flags = JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED,

		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),

		/* inmates are linked at 0 */
		.cpu_reset_address = 0,

		.console = {
			.address = 0xff000000,
			.size = 0x1000,
			.type = JAILHOUSE_CON_TYPE_XUARTPS,
			.flags = JAILHOUSE_CON_ACCESS_MMIO |
				 JAILHOUSE_CON_REGDIST_4,
		},
	},

	.cpus = {
		0x4,
	},

	.mem_regions = {
		/* UART 0 (Cadence), shared with the root cell */ {
			.phys_start = 0xff000000,
			.virt_start = 0xff000000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO | JAILHOUSE_MEM_ROOTSHARED,
		},
		/* RAM: image at 0, command line at 0x1000 */ {
			.phys_start = 0x70100000,
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
