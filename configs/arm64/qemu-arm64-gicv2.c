// SPDX-License-Identifier: GPL-2.0
/*
 * System configuration for QEMU's arm64 "virt" machine with GICv2
 * (scripts/qemu-run.sh -g 2):
 *
 *   qemu-system-aarch64 -machine virt,gic-version=2,virtualization=on
 *	-cpu cortex-a57 -smp 4 -m 1G
 *	-append "... kvm-arm.mode=none mem=768M"
 *
 * Linux gets 0x40000000-0x6fffffff as RAM (mem=768M); the hypervisor takes
 * the top 16 MiB, and the 240 MiB between are reachable by the root cell
 * until non-root cells take their memory from there, but for the 2 MiB at
 * 0x7e000000 that hold the shared memory of the ivshmem links.
 *
 * PCI: virt's PCIe host (domain 0), its ECAM of bus 0 trapped by the
 * hypervisor (pci_mmconfig_end_bus 0), so that each cell sees only its
 * own functions there; the ECAM of the other buses stays the root's.
 * 00:00.0 is QEMU's host bridge; 00:02.0 the virtio network card that
 * scripts/qemu-run.sh adds (-device virtio-net-pci,addr=2,romfile=),
 * BAR 0 I/O, BAR 1 the MSI-X table (4 KiB), BAR 4 64-bit memory, INTx pin 1 = SPI 5; qemu-arm64-
 * linux-demo takes it.  The ivshmem links are virtual functions on the
 * same bus.  Device 00:0c.0 is the three-peer ivshmem link between
 * the root (peer 0), qemu-arm64-inmate-demo (1) and -inmate-demo2 (2):
 * 4 KiB state table, 4 KiB read/write section and an output section of
 * 4 KiB per peer from 0x7e000000 on.  Its INTx is the root's SPI 100
 * (vpci_irq_base), the cells' are SPIs 104 and 108.  Device 00:0d.0 is
 * the virtual Ethernet (protocol 1, Documentation/ivshmem-net.md) between
 * the root (peer 0) and qemu-arm64-linux-demo (1): the MiB at 0x7e100000
 * in the layout of JAILHOUSE_SHMEM_NET_REGIONS; its INTx (pin 2) is the
 * root's SPI 101 and the cell's SPI 113.
 *
 * The device addresses are those of QEMU's device tree for this machine
 * (dumpdtb).  The GIC is left out on purpose: the hypervisor emulates the
 * root cell's distributor accesses and maps the virtual CPU interface
 * (GICV) where Linux expects the CPU interface (GICC).  The GICv2m MSI
 * frame inside the GIC's node is the root's.  The demo cells of
 * qemu-arm64.c work unchanged: they find the GIC in the comm region.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[23];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pci_device pci_devices[4];
	struct jailhouse_pci_capability pci_caps[6];
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
			.address = 0x09000000,
			.size = 0x1000,
			.type = JAILHOUSE_CON_TYPE_PL011,
			.flags = JAILHOUSE_CON_ACCESS_MMIO |
				 JAILHOUSE_CON_REGDIST_4,
		},
		.platform_info = {
			.pci_mmconfig_base = 0x4010000000,
			.pci_mmconfig_end_bus = 0,
			.pci_is_virtual = 0,
			.pci_domain = 0,
			.arm = {
				.gic_version = 2,
				.gicd_base = 0x08000000,
				.gicc_base = 0x08010000,
				.gich_base = 0x08030000,
				.gicv_base = 0x08040000,
				.maintenance_irq = 25,
			},
		},
		.root_cell = {
			.name = "qemu-arm64",

			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
			.num_pci_caps = ARRAY_SIZE(config.pci_caps),
			.vpci_irq_base = 100,
		},
	},

	.cpus = {
		0xf,
	},

	.mem_regions = {
		/* RAM: Linux */ {
			.phys_start = 0x40000000,
			.virt_start = 0x40000000,
			.size = 0x30000000,
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
		/* flash: two 64 MiB banks */ {
			.phys_start = 0x00000000,
			.virt_start = 0x00000000,
			.size = 0x08000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/*
		 * GICv2m MSI frame, read-only: Linux reads its type register,
		 * only devices write it (a CPU could raise any SPI there)
		 */ {
			.phys_start = 0x08020000,
			.virt_start = 0x08020000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ |
				JAILHOUSE_MEM_IO,
		},
		/* UART (PL011) */ {
			.phys_start = 0x09000000,
			.virt_start = 0x09000000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* RTC (PL031) */ {
			.phys_start = 0x09010000,
			.virt_start = 0x09010000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* fw_cfg: 0x18 bytes, alone in its page */ {
			.phys_start = 0x09020000,
			.virt_start = 0x09020000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* GPIO (PL061) */ {
			.phys_start = 0x09030000,
			.virt_start = 0x09030000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* virtio-mmio: 32 transports of 0x200 bytes */ {
			.phys_start = 0x0a000000,
			.virt_start = 0x0a000000,
			.size = 0x4000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* PCIe: 32-bit MMIO window */ {
			.phys_start = 0x10000000,
			.virt_start = 0x10000000,
			.size = 0x2eff0000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* PCIe: I/O port window */ {
			.phys_start = 0x3eff0000,
			.virt_start = 0x3eff0000,
			.size = 0x10000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* PCIe: ECAM of buses 1-255 (bus 0's is trapped) */ {
			.phys_start = 0x4010100000,
			.virt_start = 0x4010100000,
			.size = 0x0ff00000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* PCIe: 64-bit MMIO window */ {
			.phys_start = 0x8000000000,
			.virt_start = 0x8000000000,
			.size = 0x8000000000,
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
		/* GIC distributor: every SPI belongs to the root cell */ {
			.address = 0x08000000,
			.pin_base = 32,
			.pin_bitmap = {
				0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
			},
		},
	},

	.pci_devices = {
		/* 00:00.0: QEMU's PCIe host bridge */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x00 << 3,
		},
		/* 00:02.0: virtio-net, taken by qemu-arm64-linux-demo */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x02 << 3,
			.bar_mask = {
				0xffffffe0, 0xfffff000, 0x00000000,
				0x00000000, 0xffffc000, 0xffffffff,
			},
			.caps_start = 0,
			.num_caps = 6,
		},
		/* 00:0c.0: ivshmem, peer 0 of 3 (the root) */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 0,
			.bdf = 0x0c << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,
			.shmem_regions_start = 14,
			.shmem_dev_id = 0,
			.shmem_peers = 3,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_UNDEFINED,
		},
		/* 00:0d.0: ivshmem, virtual Ethernet, peer 0 of 2 (the root) */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 0,
			.bdf = 0x0d << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,
			.shmem_regions_start = 19,
			.shmem_dev_id = 0,
			.shmem_peers = 2,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_VETH,
		},
	},

	.pci_caps = {
		/* 00:02.0: virtio's vendor capabilities, read-only */
		{ .id = 0x09, .start = 0x84, .len = 0x14 },
		{ .id = 0x09, .start = 0x70, .len = 0x14 },
		{ .id = 0x09, .start = 0x60, .len = 0x10 },
		{ .id = 0x09, .start = 0x50, .len = 0x10 },
		{ .id = 0x09, .start = 0x40, .len = 0x10 },
		/* 00:02.0: MSI-X, through the GICv2m frame */ {
			.id = 0x11, .start = 0x98, .len = 0x0c,
			.flags = JAILHOUSE_PCICAPS_WRITE,
		},
	},
};
