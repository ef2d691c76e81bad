// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse cell linux: the virtual PCI host in the cell's device tree,
 * for a cell whose config has devices there (ivshmem links).
 *
 * A generic ECAM host with bus 0 at the system config's
 * pci_mmconfig_base (the driver shows it in sysfs), the BAR window after
 * it, and INTx pin n of every slot mapped to SPI vpci_irq_base + n - 1 of
 * the cell, edge-triggered (include/jailhouse/ivshmem.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jailhouse/ivshmem.h>

#include "cell-linux.h"
#include "jailhouse.h"

#define ECAM_BASE_PATH	JAILHOUSE_ROOT_PREFIX \
			"/sys/devices/jailhouse/pci_mmconfig_base"

/* PCI bus binding: 32-bit memory space in phys.hi of a child address */
#define PCI_SPACE_MEM32		0x02000000
#define IRQ_TYPE_EDGE_RISING	1

static uint64_t ecam_base(void)
{
	unsigned long long base;
	FILE *f = fopen(ECAM_BASE_PATH, "r");

	if (!f)
		fail("%s: %s (is the hypervisor enabled?)", ECAM_BASE_PATH,
		     strerror(errno));
	if (fscanf(f, "%llx", &base) != 1)
		fail("%s: no address in it", ECAM_BASE_PATH);
	fclose(f);
	return base;
}

static void set_pair(uint32_t *cells, uint64_t value)
{
	cells[0] = value >> 32;
	cells[1] = (uint32_t)value;
}

void add_vpci(struct fdt_node *root, const struct cell_info *info)
{
	const struct jailhouse_pci_device *dev = info->pci;
	uint64_t base, window;
	uint32_t reg[4], ranges[7], map[4 * 10], pin;
	struct fdt_node *host;
	unsigned int n;
	char name[32];

	for (n = 0; n < info->desc->num_pci_devices; n++)
		if (dev[n].type == JAILHOUSE_PCI_TYPE_IVSHMEM)
			break;
	if (n == info->desc->num_pci_devices)
		return;
	base = ecam_base();
	if (!base)
		fail("the cell has virtual PCI devices, but the system config "
		     "has no virtual PCI host (pci_mmconfig_base)");
	window = JAILHOUSE_VPCI_BAR_WINDOW(base);

	snprintf(name, sizeof(name), "pci@%" PRIx64, base);
	host = fdt_new_node(root, name);
	fdt_set_string(host, "compatible", "pci-host-ecam-generic");
	fdt_set_string(host, "device_type", "pci");
	fdt_set_u32(host, "#address-cells", 3);
	fdt_set_u32(host, "#size-cells", 2);
	fdt_set_u32(host, "#interrupt-cells", 1);
	fdt_set_u32(host, "linux,pci-domain", dev[n].domain);
	fdt_set_empty(host, "dma-coherent");
	fdt_set_cells(host, "bus-range", (uint32_t[]){ 0, 0 }, 2);
	set_pair(&reg[0], base);
	set_pair(&reg[2], JAILHOUSE_VPCI_ECAM_SIZE);
	fdt_set_cells(host, "reg", reg, 4);

	ranges[0] = PCI_SPACE_MEM32;
	set_pair(&ranges[1], window);
	set_pair(&ranges[3], window);
	set_pair(&ranges[5], JAILHOUSE_VPCI_BAR_WINDOW_SIZE);
	fdt_set_cells(host, "ranges", ranges, 7);

	/* by pin alone: the device in slot s raises pin (s & 3) + 1 */
	fdt_set_cells(host, "interrupt-map-mask",
		      (uint32_t[]){ 0, 0, 0, 7 }, 4);
	for (pin = 1; pin <= 4; pin++) {
		uint32_t *entry = &map[(pin - 1) * 10];

		entry[0] = entry[1] = entry[2] = 0;	/* child address */
		entry[3] = pin;
		entry[4] = PHANDLE_GIC;
		entry[5] = entry[6] = 0;		/* GIC address */
		entry[7] = GIC_SPI;
		entry[8] = info->desc->vpci_irq_base + pin - 1;
		entry[9] = IRQ_TYPE_EDGE_RISING;
	}
	fdt_set_cells(host, "interrupt-map", map, 4 * 10);
}
