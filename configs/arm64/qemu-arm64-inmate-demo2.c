// SPDX-License-Identifier: GPL-2.0
/*
 * Second cell for the inmate demos on QEMU arm64 "virt": CPU 2, so that it
 * runs beside qemu-arm64-inmate-demo.c (CPU 3).
 *
 * RAM: 64 KiB at guest-physical 0, where inmates are linked, with their
 * command line at 0x1000; the comm region at 0x80000000; the UART shared
 * with the root cell.  The timers are PPIs, which go with the CPU.  The
 * debug console hypercall is permitted.
 *
 * Peer 2 of the three-peer ivshmem link of qemu-arm64.c (device 00:0c.0
 * on the virtual PCI host): its shared memory at guest 0x80100000, its
 * INTx SPI 108 (vpci_irq_base), owned with SPIs 109-111 for the pins of
 * other slots.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[8];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.architecture = JAILHOUSE_ARM64,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.name = "inmate-demo2",
		.flags = JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED,

		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_irqchips = ARRAY_SIZE(config.irqchips),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		.vpci_irq_base = 108,

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
		0x4,
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
		/* ivshmem 00:0c.0: state table */ {
			.phys_start = 0x7e000000,
			.virt_start = 0x80100000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED,
		},
		/* ivshmem 00:0c.0: read/write section */ {
			.phys_start = 0x7e001000,
			.virt_start = 0x80101000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_ROOTSHARED,
		},
		/* ivshmem 00:0c.0: output section 0 (the root) */ {
			.phys_start = 0x7e002000,
			.virt_start = 0x80102000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED,
		},
		/* ivshmem 00:0c.0: output section 1 */ {
			.phys_start = 0x7e003000,
			.virt_start = 0x80103000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED,
		},
		/* ivshmem 00:0c.0: output section 2, this cell's */ {
			.phys_start = 0x7e004000,
			.virt_start = 0x80104000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_ROOTSHARED,
		},
	},

	.irqchips = {
		/* GIC distributor: SPIs 108-111 (IDs 140-143), virtual PCI */ {
			.address = 0x08000000,
			.pin_base = 32,
			.pin_bitmap = {
				0, 0, 0, 0xf << 12,
			},
		},
	},

	.pci_devices = {
		/* 00:0c.0: ivshmem, peer 2 of 3 */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 0,
			.bdf = 0x0c << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,
			.shmem_regions_start = 3,
			.shmem_dev_id = 2,
			.shmem_peers = 3,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_UNDEFINED,
		},
	},
};
