// SPDX-License-Identifier: GPL-2.0
/*
 * Linux in a cell on QEMU arm64 "virt": CPUs 2 and 3, 128 MiB of RAM, for
 * "jailhouse cell linux" (Documentation/linux-cell.md).
 *
 * RAM: 0x76000000-0x7dffffff, mapped 1:1 (a device that QEMU emulates
 * reaches it by physical address); the boot stub at its start (the reset
 * address), the kernel from the next 2 MiB on.  Consoles: the cell's own
 * is a virtio console on QEMU's virtio-mmio transport 0 (0x0a000000,
 * SPI 16; scripts/qemu-run.sh -L puts it there), whose page and interrupt
 * are the cell's while it lives: its kernel runs the stock virtio_mmio and
 * virtio_console drivers, a shell on hvc0.  The page holds transports 0-7,
 * all of them the cell's with their interrupts (SPIs 16-23); QEMU gives
 * the root's virtio devices the highest transports.  The early log
 * goes to the PL011 shared with the root cell, without its interrupt,
 * through the kernel's polled early console.  Passive: Linux does not
 * answer the hypervisor's messages, so "cell shutdown" and "cell destroy"
 * stop it without asking.  The comm region is there for the tools that
 * check a cell has one; Linux does not know it.
 *
 * Network: peer 1 of the virtual Ethernet 00:0d.0 to the root
 * (qemu-arm64.c), on the PCI host that "jailhouse cell linux" puts into the
 * cell's tree, with one MSI-X vector (Documentation/ivshmem.md): its MSI
 * SPIs are 116-117, after the INTx SPIs 112-115 (vpci_irq_base), and
 * "jailhouse cell linux" gives it the MSI controller (the distributor on
 * GICv3, a virtual GICv2m frame on GICv2).  The root's end stays on INTx.
 * The cell's initramfs loads ivshmem_net.ko.  And the
 * machine's virtio network card 00:02.0, taken from the root: its BAR 4
 * (16 KiB of 64-bit memory, where root Linux put it) and its INTx, SPI 5;
 * its I/O BAR 0 and MSI-X table BAR 1 (GICv2) stay hidden, it runs on
 * INTx.  QEMU connects it to the root's virtio-mmio card (-n).
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[9];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pci_device pci_devices[2];
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
		.vpci_irq_base = 112,

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
		/* virtio-mmio transports 0-7, the cell's (its console) */ {
			.phys_start = 0x0a000000,
			.virt_start = 0x0a000000,
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
		/* PCI 00:02.0: BAR 4 */ {
			.phys_start = 0x8000000000,
			.virt_start = 0x8000000000,
			.size = 0x4000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
	},

	.irqchips = {
		/*
		 * GIC distributor: PCI 00:02.0's INTx, SPI 5; virtio-mmio
		 * transports 0-7, SPIs 16-23; virtual PCI, INTx SPIs 112-115
		 * and MSI SPIs 116-117 (IDs 144-149)
		 */ {
			.address = 0x08000000,
			.pin_base = 32,
			.pin_bitmap = {
				1 << 5 | 0xff << 16, 0, 0, 0x3f << 16,
			},
		},
	},

	.pci_devices = {
		/* 00:02.0: virtio-net of the machine, BAR 4 only */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x02 << 3,
			.bar_mask = {
				0x00000000, 0x00000000, 0x00000000,
				0x00000000, 0xffffc000, 0xffffffff,
			},
		},
		/* 00:0d.0: ivshmem, virtual Ethernet, peer 1 of 2 */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 0,
			.bdf = 0x0d << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_MSIX,
			.num_msix_vectors = 1,
			.shmem_regions_start = 4,
			.shmem_dev_id = 1,
			.shmem_peers = 2,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_VETH,
		},
	},
};
