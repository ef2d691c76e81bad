// SPDX-License-Identifier: GPL-2.0
/*
 * Second cell for the inmate demos on QEMU x86 "q35" (qemu-x86.c): CPU 2,
 * beside qemu-x86-inmate-demo.c on CPU 3.
 *
 * RAM: 1 MiB at guest-physical 0 (physical 0x30700000), loadable: the
 * CPUs start in real mode at 0xffff0 (CS base 0xf0000), where inmates are
 * loaded ("jailhouse cell load inmate-demo2 IMAGE -a 0xf0000"); the comm region
 * at 0x100000, right above, where x86 inmates look for it.
 *
 * No ports and no IOAPIC pins: the local APIC timer goes with the CPU, and
 * its and the TSC's frequencies are in the comm region.  ttyS0 (0x3f8)
 * stays the root cell's console: a cell's ports are taken from the root
 * while it lives, as the arm64 demos cannot take the shared UART either.
 * The inmate writes through the hypervisor's debug console instead
 * (virtual console active: "jailhouse console" and ttyS0 show it).
 *
 * Peer 2 of the three-peer ivshmem link of qemu-x86.c (device 00:0c.0):
 * its shared memory at guest-physical 0x200000, its interrupt MSI-X
 * vector 0; its configuration space through the ports 0xcf8-0xcff, which
 * trap in every cell.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[7];
	struct jailhouse_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.architecture = JAILHOUSE_X86,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.name = "inmate-demo2",
		.flags = JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED |
			 JAILHOUSE_CELL_VIRTUAL_CONSOLE_ACTIVE,

		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
	},

	.cpus = {
		0x4,
	},

	.mem_regions = {
		/* RAM: real-mode entry at 0xffff0 */ {
			.phys_start = 0x30700000,
			.virt_start = 0,
			.size = 0x00100000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE,
		},
		/* communication region */ {
			.virt_start = 0x00100000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_COMM_REGION,
		},
		/* ivshmem 00:0c.0: state table */ {
			.phys_start = 0x3bf00000,
			.virt_start = 0x00200000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED,
		},
		/* ivshmem 00:0c.0: read/write section */ {
			.phys_start = 0x3bf01000,
			.virt_start = 0x00201000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_ROOTSHARED,
		},
		/* ivshmem 00:0c.0: output section 0 (the root) */ {
			.phys_start = 0x3bf02000,
			.virt_start = 0x00202000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED,
		},
		/* ivshmem 00:0c.0: output section 1 */ {
			.phys_start = 0x3bf03000,
			.virt_start = 0x00203000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED,
		},
		/* ivshmem 00:0c.0: output section 2, this cell's */ {
			.phys_start = 0x3bf04000,
			.virt_start = 0x00204000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_ROOTSHARED,
		},
	},

	.pci_devices = {
		/* 00:0c.0: ivshmem, peer 2 of 3 */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 0,
			.bdf = 0x0c << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_MSIX,
			.num_msix_vectors = 1,
			.shmem_regions_start = 2,
			.shmem_dev_id = 2,
			.shmem_peers = 3,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_UNDEFINED,
		},
	},
};
