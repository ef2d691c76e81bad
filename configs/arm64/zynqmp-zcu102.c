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
 * by the root cell until non-root cells take their memory from there, but
 * for the 2 MiB at 0x7e000000 that hold the shared memory of the ivshmem
 * links -- the same addresses as on QEMU virt.  On the board, the second
 * 2 GiB at 0x800000000 would be the root cell's as well.
 *
 * The devices are those the root cell's Linux drives with that device
 * tree: the two UARTs, the SD controller of the SD slot (the disk) and the
 * inter-processor interrupt buffers.  The GIC
 * is left out on purpose: the hypervisor emulates the root cell's
 * distributor accesses and gives it the virtual CPU interface.
 *
 * Virtual PCI (domain 1, bus 0): the ECAM at 0xf0000000 and the BARs'
 * window in the MiB after it.  The device tree describes nothing from the
 * end of the PCIe controller's 32-bit window (0xe0000000-0xefffffff, the
 * controller is disabled, mkdtb.sh) to the STM at 0xf8000000, and the
 * ZynqMP decodes nothing there; it is left unmapped in every cell.
 * Device 00:0c.0 is the three-peer ivshmem link between the root (peer 0),
 * zynqmp-zcu102-inmate-demo (1) and -inmate-demo2 (2): 4 KiB state table,
 * 4 KiB read/write section and an output section of 4 KiB per peer from
 * 0x7e000000 on.  Its INTx is the root's SPI 96 (vpci_irq_base), the
 * cells' are SPIs 100 and 104: SPIs 96-111 are unused by the device tree
 * and by QEMU's model (on the board 104-111 would be interrupts from the
 * programmable logic).  Device 00:0d.0 is the virtual Ethernet (protocol
 * 1, Documentation/ivshmem-net.md) between the root (peer 0) and
 * zynqmp-zcu102-linux-demo (1): the MiB at 0x7e100000 in the layout of
 * JAILHOUSE_SHMEM_NET_REGIONS; its INTx (pin 2) is the root's SPI 97 and
 * the cell's SPI 109.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[16];
	struct jailhouse_irqchip irqchips[2];
	struct jailhouse_pci_device pci_devices[2];
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
			.pci_mmconfig_base = 0xf0000000,
			.pci_mmconfig_end_bus = 0,
			.pci_is_virtual = 1,
			.pci_domain = 1,
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
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
			.vpci_irq_base = 96,
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
			.size = 0x0e000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/* RAM: for non-root cells, above the ivshmem links */ {
			.phys_start = 0x7e200000,
			.virt_start = 0x7e200000,
			.size = 0x00e00000,
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
		/* ivshmem 00:0c.0: state table */ {
			.phys_start = 0x7e000000,
			.virt_start = 0x7e000000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ,
		},
		/* ivshmem 00:0c.0: read/write section */ {
			.phys_start = 0x7e001000,
			.virt_start = 0x7e001000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE,
		},
		/* ivshmem 00:0c.0: output section 0 (the root) */ {
			.phys_start = 0x7e002000,
			.virt_start = 0x7e002000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE,
		},
		/* ivshmem 00:0c.0: output section 1 */ {
			.phys_start = 0x7e003000,
			.virt_start = 0x7e003000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ,
		},
		/* ivshmem 00:0c.0: output section 2 */ {
			.phys_start = 0x7e004000,
			.virt_start = 0x7e004000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ,
		},
		/* ivshmem 00:0d.0: the virtual Ethernet's four regions */
		JAILHOUSE_SHMEM_NET_REGIONS(0x7e100000, 0),
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
	.pci_devices = {
		/* 00:0c.0: ivshmem, peer 0 of 3 (the root) */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 0x0c << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,
			.shmem_regions_start = 7,
			.shmem_dev_id = 0,
			.shmem_peers = 3,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_UNDEFINED,
		},
		/* 00:0d.0: ivshmem, virtual Ethernet, peer 0 of 2 (the root) */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 0x0d << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,
			.shmem_regions_start = 12,
			.shmem_dev_id = 0,
			.shmem_peers = 2,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_VETH,
		},
	},
};
