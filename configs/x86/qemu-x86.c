// SPDX-License-Identifier: GPL-2.0
/*
 * System configuration for QEMU's x86 "q35" machine:
 *
 *   qemu-system-x86_64 -machine q35 -cpu max -smp 4 -m 1G
 *	-append "console=ttyS0 memmap=0xc000000$0x30000000 ..."
 *
 * The map below is what such a guest reports (SeaBIOS e820 table,
 * /proc/iomem, /proc/ioports, lspci) with the virtio disk and network
 * card of scripts/qemu-run.sh (-nic none, then virtio-blk-pci and with -n
 * virtio-net-pci, which take the first free slots, 00:02.0 and 00:03.0;
 * the default VGA is 00:01.0):
 *
 *   0x00000000-0x0009fbff  RAM (BIOS data area, EBDA above 0x9fc00)
 *   0x000a0000-0x000bffff  legacy VGA window (PCI)
 *   0x000c0000-0x000fffff  option ROMs and the BIOS (shadowed in RAM)
 *   0x00100000-0x2fffffff  RAM, Linux
 *   0x30000000-0x3bffffff  RAM hidden from Linux (memmap=): the hypervisor
 *                          (6 MiB from 0x30000000), then the cells, then
 *                          the shared memory of the ivshmem link (its
 *                          last MiB, 0x3bf00000)
 *   0x3c000000-0x3ffdbfff  RAM, Linux
 *   0x3ffdc000-0x3fffffff  reserved: ACPI tables (0x3ffe0000 on)
 *   0x40000000-0xafffffff  PCI memory window
 *   0xb0000000-0xbfffffff  MMCONFIG (ECAM) of buses 0-255
 *   0xc0000000-0xfebfffff  PCI memory window (the BARs are here)
 *   0xfec00000             IOAPIC, 24 pins, source id 0xff00
 *   0xfed00000             HPET (Linux's clocksource on this machine)
 *   0xfed1c000-0xfed1ffff  ICH9 root complex register block
 *   0xfee00000             local APIC
 *   0xfffc0000-0xffffffff  BIOS flash
 *   0x100000000-0x8ffffffff  64-bit PCI memory window (unused)
 *   ports: 0x3f8 ttyS0 (IRQ 4), 0x600-0x67f ICH9 ACPI (PM timer 0x608),
 *   0x700-0x73f SMBus, 0xcf8-0xcff PCI configuration, 0xc000- BARs
 *
 * The hypervisor keeps what it emulates: MMCONFIG and the configuration
 * ports 0xcf8-0xcff (each cell sees its own PCI functions only, the root
 * included: a BAR its device's bar_mask leaves out reads as 0), the
 * IOAPIC (each cell masks and routes its own pins only) and the local
 * APIC (IPIs stay within the cell).  None of them is a region of the root
 * cell, so that the root's accesses trap.  The BIOS flash and the 64-bit
 * PCI window are left out too: Linux does not use them after boot here.
 *
 * Device 00:0c.0 is the three-peer ivshmem link between the root (peer
 * 0), qemu-x86-inmate-demo (1) and -inmate-demo2 (2): a virtual function
 * that the hypervisor shows at a free slot of bus 0, with a 4 KiB state
 * table, a 4 KiB read/write section and an output section of 4 KiB per
 * peer from 0x3bf00000 on.  Its interrupt is MSI-X vector 0: on x86
 * virtual devices have no INTx.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[15];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pio pio_regions[2];
	struct jailhouse_pci_device pci_devices[8];
} __attribute__((packed)) config = {
	.header = {
		.signature = JAILHOUSE_SYSTEM_SIGNATURE,
		.architecture = JAILHOUSE_X86,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE,
		/* the first 6 MiB of the 192 MiB that memmap= hides */
		.hypervisor_memory = {
			.phys_start = 0x30000000,
			.size = 0x600000,
		},
		/*
		 * ttyS0, shared with Linux: the hypervisor writes its lines
		 * between Linux's, as on arm64.  Divider 0: keep the baud
		 * rate that firmware and Linux set.
		 */
		.debug_console = {
			.address = 0x3f8,
			.size = 8,
			.type = JAILHOUSE_CON_TYPE_8250,
			.flags = JAILHOUSE_CON_ACCESS_PIO |
				 JAILHOUSE_CON_REGDIST_1,
		},
		.platform_info = {
			.pci_mmconfig_base = 0xb0000000,
			.pci_mmconfig_end_bus = 0xff,
			.pci_is_virtual = 0,
			.pci_domain = 0,
			.x86 = {
				/* ICH9 ACPI PM timer: PMBASE 0x600 + 8 */
				.pm_timer_address = 0x608,
				/*
				 * The mode Linux left the APIC in: xAPIC here,
				 * as Linux 6.1 keeps it without interrupt
				 * remapping.
				 */
				.apic_mode = JAILHOUSE_APIC_MODE_AUTO,
				/* 0: the hypervisor measures both itself */
				.tsc_khz = 0,
				.apic_khz = 0,
			},
		},
		.root_cell = {
			.name = "qemu-x86",

			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.num_pio_regions = ARRAY_SIZE(config.pio_regions),
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		},
	},

	.cpus = {
		0xf,
	},

	.mem_regions = {
		/* RAM: below the VGA window, BIOS data area and EBDA */ {
			.phys_start = 0x00000000,
			.virt_start = 0x00000000,
			.size = 0x000a0000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/* legacy VGA window of 00:01.0 */ {
			.phys_start = 0x000a0000,
			.virt_start = 0x000a0000,
			.size = 0x00020000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/*
		 * option ROMs and BIOS: Linux finds the ACPI RSDP and the
		 * SMBIOS entry point in there
		 */ {
			.phys_start = 0x000c0000,
			.virt_start = 0x000c0000,
			.size = 0x00040000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE,
		},
		/* RAM: Linux */ {
			.phys_start = 0x00100000,
			.virt_start = 0x00100000,
			.size = 0x2ff00000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/*
		 * RAM: for non-root cells, behind the hypervisor; Linux does
		 * not use it (memmap=), the driver maps it to load images
		 */ {
			.phys_start = 0x30600000,
			.virt_start = 0x30600000,
			.size = 0x0b900000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/* RAM: Linux, and the ACPI tables at its top */ {
			.phys_start = 0x3c000000,
			.virt_start = 0x3c000000,
			.size = 0x04000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/* PCI memory window below MMCONFIG (empty, Linux's to use) */ {
			.phys_start = 0x40000000,
			.virt_start = 0x40000000,
			.size = 0x70000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* PCI memory window above MMCONFIG: the devices' BARs */ {
			.phys_start = 0xc0000000,
			.virt_start = 0xc0000000,
			.size = 0x3ec00000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* HPET: 0x400 bytes, alone in its page */ {
			.phys_start = 0xfed00000,
			.virt_start = 0xfed00000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* ICH9 root complex register block */ {
			.phys_start = 0xfed1c000,
			.virt_start = 0xfed1c000,
			.size = 0x4000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* ivshmem 00:0c.0: state table */ {
			.phys_start = 0x3bf00000,
			.virt_start = 0x3bf00000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ,
		},
		/* ivshmem 00:0c.0: read/write section */ {
			.phys_start = 0x3bf01000,
			.virt_start = 0x3bf01000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE,
		},
		/* ivshmem 00:0c.0: output section 0 (the root) */ {
			.phys_start = 0x3bf02000,
			.virt_start = 0x3bf02000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE,
		},
		/* ivshmem 00:0c.0: output section 1 */ {
			.phys_start = 0x3bf03000,
			.virt_start = 0x3bf03000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ,
		},
		/* ivshmem 00:0c.0: output section 2 */ {
			.phys_start = 0x3bf04000,
			.virt_start = 0x3bf04000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ,
		},
	},

	.irqchips = {
		/* IOAPIC: all 24 pins belong to the root cell */ {
			.address = 0xfec00000,
			.id = 0xff00,
			.pin_bitmap = {
				0xffffff,
			},
		},
	},

	/*
	 * Every port but the PCI configuration ports 0xcf8-0xcff, which the
	 * hypervisor intercepts in any case (0xcf9 is also ICH9's reset
	 * control).  Non-root cells take their ports from these.
	 */
	.pio_regions = {
		PIO_RANGE(0x0000, 0x0cf8),
		PIO_RANGE(0x0d00, 0xf300),
	},

	.pci_devices = {
		/* 00:00.0: host bridge (8086:29c0) */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x00 << 3,
		},
		/* 00:01.0: VGA (1234:1111) */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x01 << 3,
			/* framebuffer 16 MiB, registers 4 KiB */
			.bar_mask = {
				0xff000000, 0x00000000, 0xfffff000,
				0x00000000, 0x00000000, 0x00000000,
			},
		},
		/* 00:02.0: virtio-blk (1af4:1001), qemu-run's disk */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x02 << 3,
			/* legacy ports 128, MSI-X 4 KiB, 64-bit 16 KiB */
			.bar_mask = {
				0xffffff80, 0xfffff000, 0x00000000,
				0x00000000, 0xffffc000, 0xffffffff,
			},
		},
		/* 00:03.0: virtio-net (1af4:1000), qemu-run -n */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x03 << 3,
			/* legacy ports 32, MSI-X 4 KiB, 64-bit 16 KiB */
			.bar_mask = {
				0xffffffe0, 0xfffff000, 0x00000000,
				0x00000000, 0xffffc000, 0xffffffff,
			},
		},
		/* 00:1f.0: ICH9 LPC bridge, ACPI ports (8086:2918) */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x1f << 3 | 0,
		},
		/* 00:1f.2: ICH9 AHCI (8086:2922) */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x1f << 3 | 2,
			/* ports 32 (BAR 4), ABAR 4 KiB (BAR 5) */
			.bar_mask = {
				0x00000000, 0x00000000, 0x00000000,
				0x00000000, 0xffffffe0, 0xfffff000,
			},
		},
		/* 00:1f.3: ICH9 SMBus (8086:2930) */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x1f << 3 | 3,
			/* ports 64 (BAR 4) */
			.bar_mask = {
				0x00000000, 0x00000000, 0x00000000,
				0x00000000, 0xffffffc0, 0x00000000,
			},
		},
		/* 00:0c.0: ivshmem, peer 0 of 3 (the root) */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 0,
			.bdf = 0x0c << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_MSIX,
			.num_msix_vectors = 1,
			.shmem_regions_start = 10,
			.shmem_dev_id = 0,
			.shmem_peers = 3,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_UNDEFINED,
		},
	},
};
