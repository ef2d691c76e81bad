// SPDX-License-Identifier: GPL-2.0
/*
 * A system configuration written as users of Jailhouse write them for an
 * x86 machine with an AMD IOMMU: port ranges with PIO_RANGE(), the IOAPIC
 * as irqchip (its source id, its 24 pins), the x86 platform part, the AMD
 * fields of an IOMMU unit, a PCI capability.  Must compile against
 * include/jailhouse/ unchanged.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[1];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pio pio_regions[3];
	struct jailhouse_pci_device pci_devices[1];
	struct jailhouse_pci_capability pci_caps[1];
} __attribute__((packed)) config = {
	.header = {
		.signature = JAILHOUSE_SYSTEM_SIGNATURE,
		.architecture = JAILHOUSE_X86,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.flags = 0,
		.hypervisor_memory = {
			.phys_start = 0x3a000000,
			.size = 0x600000,
		},
		.debug_console = {
			.address = 0x3f8,
			.type = JAILHOUSE_CON_TYPE_8250,
			.flags = JAILHOUSE_CON_ACCESS_PIO |
				 JAILHOUSE_CON_REGDIST_1,
		},
		.platform_info = {
			.pci_mmconfig_base = 0xe0000000,
			.pci_mmconfig_end_bus = 0xff,
			.iommu_units = {
				{
					.type = JAILHOUSE_IOMMU_AMD,
					.base = 0xfeb80000,
					.size = 0x80000,
					.amd = {
						.bdf = 0x02,
						.base_cap = 0x40,
						.msi_cap = 0x54,
						.features = 0x80048824,
					},
				},
			},
			.x86 = {
				.pm_timer_address = 0x808,
				.apic_mode = JAILHOUSE_APIC_MODE_XAPIC,
				.vtd_interrupt_limit = 256,
				.tsc_khz = 2100000,
				.apic_khz = 100000,
			},
		},
		.root_cell = {
			.name = "users-x86",
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.num_pio_regions = ARRAY_SIZE(config.pio_regions),
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
			.num_pci_caps = ARRAY_SIZE(config.pci_caps),
		},
	},

	.cpus = {
		0xf,
	},

	.mem_regions = {
		/* RAM */ {
			.phys_start = 0x0,
			.virt_start = 0x0,
			.size = 0x3a000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
	},

	.irqchips = {
		/* IOAPIC */ {
			.address = 0xfec00000,
			.id = 0x00a0,
			.pin_bitmap = {
				0xffffff,
			},
		},
	},

	.pio_regions = {
		PIO_RANGE(0x0, 0x3f8),
		/* the debug console's ports left out */
		PIO_RANGE(0x400, 0x8f8),
		PIO_RANGE(0xd00, 0xf300),
	},

	.pci_devices = {
		/* 00:1f.0 */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.domain = 0x0000,
			.bdf = 0x00f8,
			.caps_start = 0,
			.num_caps = 1,
		},
	},

	.pci_caps = {
		/* 00:1f.0: MSI, writable */ {
			.id = 0x5,
			.start = 0x60,
			.len = 14,
			.flags = JAILHOUSE_PCICAPS_WRITE,
		},
	},
};
