// SPDX-License-Identifier: GPL-2.0
/*
 * Linux in a cell on the ZCU102 as QEMU models it (zynqmp-zcu102.c): CPUs
 * 2 and 3, 128 MiB of RAM, for "jailhouse cell linux"
 * (Documentation/linux-cell.md).
 *
 * RAM: 0x76000000-0x7dffffff, mapped 1:1; the boot stub at its start (the
 * reset address), the kernel from the next 2 MiB on.  Console: the
 * Cadence UART 1 with its interrupt (SPI 22), the cell's own: its kernel
 * runs the stock driver on it, a shell included.  The root's driver must
 * let go of the UART first ("cell create" refuses a region a Linux driver
 * holds): echo ff010000.serial > /sys/bus/platform/drivers/xuartps/unbind.
 * Passive: Linux does not answer the hypervisor's messages.  The comm
 * region is there for the tools that check a cell has one.
 *
 * Network: peer 1 of the virtual Ethernet 00:0d.0 to the root
 * (zynqmp-zcu102.c), on the virtual PCI host that "jailhouse cell linux"
 * puts into the cell's tree; its INTx (pin 2) is SPI 109, of the cell's
 * SPIs 108-111 (vpci_irq_base).  The cell's initramfs loads ivshmem_net.ko.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[7];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pci_device pci_devices[1];
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
		.num_irqchips = ARRAY_SIZE(config.irqchips),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		.vpci_irq_base = 108,

		/* the boot stub of "jailhouse cell linux" */
		.cpu_reset_address = 0x76000000,

		.console = {
			.address = 0xff010000,
			.size = 0x1000,
			.type = JAILHOUSE_CON_TYPE_XUARTPS,
			.flags = JAILHOUSE_CON_ACCESS_MMIO |
				 JAILHOUSE_CON_REGDIST_4,
		},
	},

	.cpus = {
		0xc,
	},

	.mem_regions = {
		/* UART 1 (Cadence), the cell's */ {
			.phys_start = 0xff010000,
			.virt_start = 0xff010000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
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
		/* ivshmem 00:0d.0: the virtual Ethernet's four regions */
		JAILHOUSE_SHMEM_NET_REGIONS(0x7e100000, 1),
	},

	.irqchips = {
		/*
		 * GIC-400 distributor: UART 1, SPI 22 (ID 54); virtual PCI,
		 * SPIs 108-111 (IDs 140-143)
		 */ {
			.address = 0xf9010000,
			.pin_base = 32,
			.pin_bitmap = {
				1 << 22, 0, 0, 0xf << 12,
			},
		},
	},

	.pci_devices = {
		/* 00:0d.0: ivshmem, virtual Ethernet, peer 1 of 2 */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 0x0d << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,
			.shmem_regions_start = 3,
			.shmem_dev_id = 1,
			.shmem_peers = 2,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_VETH,
		},
	},
};
