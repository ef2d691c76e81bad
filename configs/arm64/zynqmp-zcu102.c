// SPDX-License-Identifier: GPL-2.0
/*
 * System configuration for the Xilinx ZCU102 board as QEMU models it:
 *
 *   qemu-system-aarch64 -machine xlnx-zcu102,virtualization=on -m 2G
 *	-dtb zcu102.dtb -append "... kvm-arm.mode=none mem=1792M"
 *
 * (scripts/qemu-run.sh --machine zcu102; the device tree is Debian's
 * zynqmp-zcu102-rev1.0.dtb, patched by scripts/zcu102/mkdtb.sh).  Four
 * Cortex-A53, a GIC-400 (GICv2), the debug console on the Cadence UART 0.
 *
 * The 2 GiB of RAM are at 0: Linux gets 0-0x6fffffff (mem=1792M), the
 * hypervisor takes the top 16 MiB, and the 240 MiB between are reachable
 * by the root cell until non-root cells take their memory from there -- the
 * same addresses as on QEMU virt.  On the board, the second 2 GiB at
 * 0x800000000 would be the root cell's as well.
 *
 * The devices are those the root cell's Linux drives with that device
 * tree: the two UARTs, the SD controller of the SD slot (the disk) and the
 * inter-processor interrupt buffers.  The GIC
 * is left out on purpose: the hypervisor emulates the root cell's
 * distributor accesses and gives it the virtual CPU interface.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[6];
	struct jailhouse_irqchip irqchips[2];
} __attribute__((packed)) config = {
	.header = {
		.signature = JAILHOUSE_SYSTEM_SIGNATURE,
		.architecture = JAILHOUSE_ARM64,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE,
		.hypervisor_memory = {
			.phys_start = 0x7f000000,
			.size = 0x01000000,
		},
		.debug_console = {
			.address = 0xff000000,
			.size = 0x1000,
			.type = JAILHOUSE_CON_TYPE_XUARTPS,
			.flags = JAILHOUSE_CON_ACCESS_MMIO |
				 JAILHOUSE_CON_REGDIST_4,
		},
		.platform_info = {
			.arm = {
				.gic_version = 2,
				.gicd_base = 0xf9010000,
				.gicc_base = 0xf9020000,
				.gich_base = 0xf9040000,
				.gicv_base = 0xf9060000,
				.maintenance_irq = 25,
			},
		},
		.root_cell = {
			.name = "ZynqMP-ZCU102",

			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
		},
	},

	.cpus = {
		0xf,
	},

	.mem_regions = {
		/* RAM: Linux */ {
			.phys_start = 0x00000000,
			.virt_start = 0x00000000,
			.size = 0x70000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/* RAM: for non-root cells */ {
			.phys_start = 0x70000000,
			.virt_start = 0x70000000,
			.size = 0x0f000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/* UART 0 (Cadence), the console */ {
			.phys_start = 0xff000000,
			.virt_start = 0xff000000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* UART 1 (Cadence) */ {
			.phys_start = 0xff010000,
			.virt_start = 0xff010000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* SD controller 1 (Arasan), the SD slot */ {
			.phys_start = 0xff170000,
			.virt_start = 0xff170000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* IPI message buffers (zynqmp_ipi mailbox) */ {
			.phys_start = 0xff990000,
			.virt_start = 0xff990000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
	},

	.irqchips = {
		/* GIC-400 distributor: every SPI belongs to the root cell */ {
			.address = 0xf9010000,
			.pin_base = 32,
			.pin_bitmap = {
				0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
			},
		},
		/* the ZynqMP has 160 SPIs: IDs 160-191 */ {
			.address = 0xf9010000,
			.pin_base = 160,
			.pin_bitmap = {
				0xffffffff, 0, 0, 0,
			},
		},
	},
};
