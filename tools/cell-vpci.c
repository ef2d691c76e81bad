// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse cell linux: the PCI host in the cell's device tree, for a cell
 * whose config has PCI devices.
 *
 * Virtual host (the root's device tree has no generic ECAM host at the
 * system config's pci_mmconfig_base, which the driver shows in sysfs): bus
 * 0 there, the BAR window after it, and INTx pin n of every slot mapped to
 * SPI vpci_irq_base + n - 1 of the cell, edge-triggered
 * (include/jailhouse/ivshmem.h).
 *
 * Physical host (the root's host is there): the cell sees bus 0 of it
 * through the hypervisor, its own functions only.  Its node offers the
 * cell's I/O regions inside the root host's windows, and a MiB of the
 * 32-bit window for the ivshmem devices' BARs; Linux in the cell assigns
 * the BARs there.  INTx: the root host's interrupt-map for the machine's
 * devices, the cell's vpci_irq_base for its ivshmem devices.
 *
 * ivshmem devices with MSI-X vectors: the host's msi-parent is the MSI
 * controller the hypervisor emulates for the cell (Documentation/
 * ivshmem.md), with the cell's MSI SPIs: on GICv3 the distributor
 * (mbi-ranges), on GICv2 a virtual GICv2m frame in the page below the ECAM.
 */
#include <errno.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jailhouse/ivshmem.h>

#include "cell-linux.h"
#include "jailhouse.h"

#define ECAM_BASE_PATH	JAILHOUSE_ROOT_PREFIX \
			"/sys/devices/jailhouse/pci_mmconfig_base"

/* PCI bus binding: the space code in phys.hi of a child address */
#define PCI_SPACE_MASK		0x03000000
#define PCI_SPACE_MEM32		0x02000000
#define PCI_ADDR_CELLS		3
#define IRQ_TYPE_EDGE_RISING	1

/* The cell's interrupt-map: slot and pin of a child, the GIC's SPI. */
#define MAP_ENTRY_CELLS		10
#define MAP_SLOT_MASK		0xf800
#define MAP_PIN_MASK		7
#define PCI_PINS		4

#define MIB			0x100000ULL

#define PCI_BUS_NUM(bdf)	(((bdf) >> 8) & 0xff)
#define PCI_SLOT(bdf)		(((bdf) >> 3) & 0x1f)
#define PCI_FUNC(bdf)		((bdf) & 7)

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

static struct fdt_node *add_virtual_host(struct fdt_node *root,
					 const struct cell_info *info,
					 uint64_t base, uint16_t domain)
{
	uint64_t window = JAILHOUSE_VPCI_BAR_WINDOW(base);
	uint32_t reg[4], ranges[7], map[4 * 10], pin;
	struct fdt_node *host;
	char name[32];

	snprintf(name, sizeof(name), "pci@%" PRIx64, base);
	host = fdt_new_node(root, name);
	fdt_set_string(host, "compatible", "pci-host-ecam-generic");
	fdt_set_string(host, "device_type", "pci");
	fdt_set_u32(host, "#address-cells", 3);
	fdt_set_u32(host, "#size-cells", 2);
	fdt_set_u32(host, "#interrupt-cells", 1);
	fdt_set_u32(host, "linux,pci-domain", domain);
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
	return host;
}

/* --- MSI-X --------------------------------------------------------------- */

static bool has_string(const struct fdt_prop *prop, const char *string)
{
	const char *p = prop ? prop->value : NULL;

	while (p && p < (const char *)prop->value + prop->len) {
		if (strcmp(p, string) == 0)
			return true;
		p += strlen(p) + 1;
	}
	return false;
}

/*
 * The cell's MSI SPIs, as the hypervisor counts them: those it owns from
 * vpci_irq_base + JAILHOUSE_VPCI_MSI_FIRST on without a gap.  Their first
 * INTID in *@first, their number returned.
 */
static uint32_t msi_spis(const struct cell_info *info, uint32_t *first)
{
	uint32_t num = 0;

	*first = GIC_SPI_BASE + info->desc->vpci_irq_base +
		JAILHOUSE_VPCI_MSI_FIRST;
	while (num < JAILHOUSE_VPCI_MAX_MSI_SPIS &&
	       cell_has_irq(info, *first + num))
		num++;
	if (num == 0)
		fail("the cell's ivshmem devices have MSI-X vectors, but the "
		     "cell does not own SPI %u (vpci_irq_base + %u), its "
		     "first MSI SPI", *first - GIC_SPI_BASE,
		     JAILHOUSE_VPCI_MSI_FIRST);
	return num;
}

static void add_msi(struct fdt_node *gic, struct fdt_node *host,
		    const struct cell_info *info, uint64_t ecam)
{
	uint64_t addr = JAILHOUSE_VPCI_MSI_FRAME(ecam);
	struct fdt_node *frame;
	uint32_t first, num, reg[4];
	char name[32];

	num = msi_spis(info, &first);
	if (has_string(fdt_prop(gic, "compatible"), "arm,gic-v3")) {
		fdt_set_empty(gic, "msi-controller");
		fdt_set_cells(gic, "mbi-ranges", (uint32_t[]){ first, num },
			      2);
		fdt_set_u32(host, "msi-parent", PHANDLE_GIC);
		return;
	}
	/* the frame's address as the root's: the GIC translates 1:1 */
	fdt_set_empty(gic, "ranges");
	snprintf(name, sizeof(name), "v2m@%" PRIx64, addr);
	frame = fdt_new_node(gic, name);
	fdt_set_string(frame, "compatible", "arm,gic-v2m-frame");
	fdt_set_empty(frame, "msi-controller");
	set_pair(&reg[0], addr);
	set_pair(&reg[2], JAILHOUSE_VPCI_MSI_FRAME_SIZE);
	fdt_set_cells(frame, "reg", reg, 4);
	fdt_set_u32(frame, "arm,msi-base-spi", first);
	fdt_set_u32(frame, "arm,msi-num-spis", num);
	fdt_set_u32(frame, "phandle", PHANDLE_V2M);
	fdt_set_u32(host, "msi-parent", PHANDLE_V2M);
}

static bool has_msix(const struct cell_info *info)
{
	unsigned int n;

	for (n = 0; n < info->desc->num_pci_devices; n++)
		if (info->pci[n].type == JAILHOUSE_PCI_TYPE_IVSHMEM &&
		    info->pci[n].num_msix_vectors)
			return true;
	return false;
}

/* --- the physical host --------------------------------------------------- */

/* A window of a host's "ranges". */
struct pci_window {
	uint32_t space;		/* phys.hi of the child address */
	uint64_t pci, cpu, size;
};

/* The root's host node, as far as the cell's copy needs it. */
struct phys_host {
	char *node;
	struct pci_window *windows;
	unsigned int num_windows;
};

static bool match_ecam_host(const char *node, void *arg)
{
	uint64_t base = *(const uint64_t *)arg;
	uint32_t *reg;
	bool found;

	if (!dt_has_string(node, "compatible", "pci-host-ecam-generic") ||
	    dt_reg(node, 1, &reg) == 0)
		return false;
	found = window_addr(reg) == base;
	free(reg);
	return found;
}

static void read_windows(struct phys_host *host)
{
	char parent[PATH_MAX];
	uint32_t pac, sc, stride;
	unsigned int n;
	uint8_t *ranges, *p;
	size_t len;

	format_path(parent, "%s/..", host->node);
	pac = dt_cells(parent, "#address-cells", 2);
	sc = dt_cells(host->node, "#size-cells", 2);
	stride = (PCI_ADDR_CELLS + pac + sc) * 4;
	ranges = dt_read(host->node, "ranges", &len);
	if (!ranges || pac < 1 || pac > 2 || sc < 1 || sc > 2 ||
	    dt_cells(host->node, "#address-cells", 0) != PCI_ADDR_CELLS)
		fail("%s: no \"ranges\" of the PCI bus binding", host->node);
	host->num_windows = len / stride;
	host->windows = calloc(host->num_windows, sizeof(*host->windows));
	if (!host->windows)
		fail("%s", strerror(ENOMEM));
	for (n = 0; n < host->num_windows; n++) {
		p = ranges + n * stride;
		host->windows[n].space = fdt_be32(p);
		host->windows[n].pci = read_cells(p + 4, 2);
		host->windows[n].cpu = read_cells(p + PCI_ADDR_CELLS * 4, pac);
		host->windows[n].size =
			read_cells(p + (PCI_ADDR_CELLS + pac) * 4, sc);
	}
	free(ranges);
}

static void set_range(uint32_t *entry, uint32_t space, uint64_t pci,
		      uint64_t cpu, uint64_t size)
{
	entry[0] = space;
	set_pair(&entry[1], pci);
	set_pair(&entry[3], cpu);
	set_pair(&entry[5], size);
}

static bool cell_mem_overlaps(const struct cell_info *info, uint64_t start,
			      uint64_t size)
{
	const struct jailhouse_memory *mem;
	unsigned int n;

	for (n = 0; n < info->desc->num_memory_regions; n++) {
		mem = &info->mem[n];
		if (mem->size && start < mem->virt_start + mem->size &&
		    mem->virt_start < start + size)
			return true;
	}
	return false;
}

/*
 * The lowest MiB-aligned MiB of the root host's 32-bit window that no
 * memory region of the cell overlaps: the ivshmem devices' BARs go there
 * (the hypervisor traps them wherever the cell puts them).
 */
static void ivshmem_window(const struct phys_host *host,
			   const struct cell_info *info, uint32_t *entry)
{
	const struct pci_window *w;
	uint64_t at;
	unsigned int n;

	for (n = 0; n < host->num_windows; n++) {
		w = &host->windows[n];
		if ((w->space & PCI_SPACE_MASK) != PCI_SPACE_MEM32)
			continue;
		for (at = (w->cpu + MIB - 1) & ~(MIB - 1);
		     at + MIB <= w->cpu + w->size; at += MIB) {
			if (cell_mem_overlaps(info, at, MIB))
				continue;
			set_range(entry, PCI_SPACE_MEM32, at - w->cpu + w->pci,
				  at, MIB);
			return;
		}
	}
	fail("%s: no MiB of its 32-bit window is free of the cell's memory "
	     "regions, for the ivshmem devices' BARs", host->node);
}

/*
 * One window per I/O region of the cell inside one of the root host's
 * windows (its devices' BARs), at the cell's address of the region; one
 * for the ivshmem BARs if the cell has ivshmem devices.
 */
static void set_ranges(struct fdt_node *node, const struct phys_host *host,
		       const struct cell_info *info, bool ivshmem)
{
	const struct jailhouse_memory *mem;
	const struct pci_window *w;
	unsigned int n, i, num = 0;
	uint32_t *ranges;

	ranges = calloc((info->desc->num_memory_regions + 1) * 7,
			sizeof(*ranges));
	if (!ranges)
		fail("%s", strerror(ENOMEM));
	for (n = 0; n < info->desc->num_memory_regions; n++) {
		mem = &info->mem[n];
		if (!(mem->flags & JAILHOUSE_MEM_IO) ||
		    mem->flags & JAILHOUSE_MEM_COMM_REGION)
			continue;
		for (i = 0; i < host->num_windows; i++) {
			w = &host->windows[i];
			if (mem->phys_start < w->cpu ||
			    mem->phys_start - w->cpu >= w->size ||
			    mem->size > w->size - (mem->phys_start - w->cpu))
				continue;
			set_range(&ranges[num++ * 7], w->space,
				  mem->phys_start - w->cpu + w->pci,
				  mem->virt_start, mem->size);
			break;
		}
	}
	if (ivshmem)
		ivshmem_window(host, info, &ranges[num++ * 7]);
	if (num == 0)
		fail("%s: none of the cell's I/O regions is in the host's "
		     "windows: its PCI devices would have no room for their "
		     "BARs", host->node);
	fdt_set_cells(node, "ranges", ranges, num * 7);
	free(ranges);
}

/*
 * The GIC interrupt that the root host's interrupt-map gives pin @pin of
 * slot @slot on bus 0: its three specifier cells in @spec.
 */
static bool root_intx(const struct phys_host *host, unsigned int slot,
		      unsigned int pin, uint32_t *spec)
{
	uint32_t mask[4] = { ~0U, ~0U, ~0U, ~0U }, child[4], phandle;
	uint32_t last = 0, pac = 0, pic = 0, entry, c;
	uint8_t *map, *mask_prop;
	size_t len, mask_len, off;
	bool found = false;
	char *parent;

	mask_prop = dt_read(host->node, "interrupt-map-mask", &mask_len);
	if (mask_prop && mask_len == sizeof(mask))
		for (c = 0; c < 4; c++)
			mask[c] = fdt_be32(mask_prop + c * 4);
	free(mask_prop);
	child[0] = slot << 11;
	child[1] = child[2] = 0;
	child[3] = pin;

	map = dt_read(host->node, "interrupt-map", &len);
	for (off = 0; map && !found && off + 5 * 4 <= len; off += entry * 4) {
		/* one parent for all entries, as a rule: looked up once */
		phandle = fdt_be32(map + off + 4 * 4);
		if (phandle != last) {
			parent = dt_find(DT_PATH, match_phandle, &phandle);
			if (!parent)
				fail("%s: its interrupt-map names phandle %u, "
				     "which no node has", host->node, phandle);
			pac = dt_cells(parent, "#address-cells", 0);
			pic = dt_cells(parent, "#interrupt-cells", 0);
			free(parent);
			last = phandle;
		}
		entry = 5 + pac + pic;
		if (off + entry * 4 > len || pic != 3)
			fail("%s: its interrupt-map has entries this tool "
			     "does not understand (3 GIC interrupt cells "
			     "expected)", host->node);
		found = true;
		for (c = 0; c < 4; c++)
			if ((fdt_be32(map + off + c * 4) ^ child[c]) & mask[c])
				found = false;
		for (c = 0; found && c < 3; c++)
			spec[c] = fdt_be32(map + off + (5 + pac + c) * 4);
	}
	free(map);
	return found;
}

static void map_entry(uint32_t *entry, unsigned int slot, unsigned int pin,
		      const uint32_t *spec)
{
	entry[0] = slot << 11;
	entry[1] = entry[2] = 0;		/* child address */
	entry[3] = pin;
	entry[4] = PHANDLE_GIC;
	entry[5] = entry[6] = 0;		/* GIC address */
	entry[7] = spec[0];
	entry[8] = spec[1];
	entry[9] = spec[2];
}

/*
 * Every pin of each of the cell's slots: the root's interrupt for a device
 * of the machine, the cell's vpci_irq_base for an ivshmem device.
 */
static void set_interrupt_map(struct fdt_node *node,
			      const struct phys_host *host,
			      const struct cell_info *info)
{
	const struct jailhouse_pci_device *dev = info->pci;
	unsigned int n, m, slot, pin, num = 0;
	uint32_t spec[3], *map;
	bool seen;

	map = calloc(info->desc->num_pci_devices * PCI_PINS,
		     MAP_ENTRY_CELLS * sizeof(*map));
	if (!map)
		fail("%s", strerror(ENOMEM));
	for (n = 0; n < info->desc->num_pci_devices; n++) {
		slot = PCI_SLOT(dev[n].bdf);
		for (seen = false, m = 0; m < n; m++)
			seen |= PCI_SLOT(dev[m].bdf) == slot;
		if (seen)
			continue;
		for (pin = 1; pin <= PCI_PINS; pin++) {
			if (dev[n].type == JAILHOUSE_PCI_TYPE_IVSHMEM) {
				spec[0] = GIC_SPI;
				spec[1] = info->desc->vpci_irq_base + pin - 1;
				spec[2] = IRQ_TYPE_EDGE_RISING;
			} else if (!root_intx(host, slot, pin, spec)) {
				continue;
			}
			map_entry(&map[num++ * MAP_ENTRY_CELLS], slot, pin,
				  spec);
		}
	}
	fdt_set_cells(node, "interrupt-map-mask",
		      (uint32_t[]){ MAP_SLOT_MASK, 0, 0, MAP_PIN_MASK }, 4);
	fdt_set_cells(node, "interrupt-map", map, num * MAP_ENTRY_CELLS);
	free(map);
}

static struct fdt_node *add_physical_host(struct fdt_node *root,
					  const struct cell_info *info,
					  struct phys_host *host,
					  uint64_t base, uint16_t domain)
{
	const struct jailhouse_pci_device *dev = info->pci;
	bool ivshmem = false;
	struct fdt_node *node;
	uint32_t reg[4];
	unsigned int n, m;
	char name[32];

	for (n = 0; n < info->desc->num_pci_devices; n++) {
		if (PCI_BUS_NUM(dev[n].bdf) != 0)
			fail("PCI device %02x:%02x.%x: the cell's PCI host has "
			     "bus 0 only", PCI_BUS_NUM(dev[n].bdf),
			     PCI_SLOT(dev[n].bdf), PCI_FUNC(dev[n].bdf));
		for (m = 0; m < n; m++)
			if (PCI_SLOT(dev[m].bdf) == PCI_SLOT(dev[n].bdf) &&
			    dev[m].type != dev[n].type)
				fail("PCI slot %02x: an ivshmem device and a "
				     "device of the machine share it",
				     PCI_SLOT(dev[n].bdf));
		ivshmem |= dev[n].type == JAILHOUSE_PCI_TYPE_IVSHMEM;
	}
	read_windows(host);

	snprintf(name, sizeof(name), "pci@%" PRIx64, base);
	node = fdt_new_node(root, name);
	fdt_set_string(node, "compatible", "pci-host-ecam-generic");
	fdt_set_string(node, "device_type", "pci");
	fdt_set_u32(node, "#address-cells", PCI_ADDR_CELLS);
	fdt_set_u32(node, "#size-cells", 2);
	fdt_set_u32(node, "#interrupt-cells", 1);
	fdt_set_u32(node, "linux,pci-domain",
		    dt_cells(host->node, "linux,pci-domain", domain));
	fdt_set_empty(node, "dma-coherent");
	fdt_set_cells(node, "bus-range", (uint32_t[]){ 0, 0 }, 2);
	/* the cell's view of the ECAM: bus 0 */
	set_pair(&reg[0], base);
	set_pair(&reg[2], MIB);
	fdt_set_cells(node, "reg", reg, 4);
	set_ranges(node, host, info, ivshmem);
	set_interrupt_map(node, host, info);

	free(host->windows);
	return node;
}

void add_vpci(struct fdt_node *root, struct fdt_node *gic,
	      const struct cell_info *info)
{
	const struct jailhouse_pci_device *dev = info->pci;
	struct phys_host host = { 0 };
	struct fdt_node *node;
	bool physical = false;
	uint64_t base;
	unsigned int n;

	if (info->desc->num_pci_devices == 0)
		return;
	for (n = 0; n < info->desc->num_pci_devices; n++)
		physical |= dev[n].type == JAILHOUSE_PCI_TYPE_DEVICE;
	base = ecam_base();
	if (!base)
		fail("the cell has PCI devices, but the system config has no "
		     "PCI host (pci_mmconfig_base)");

	host.node = dt_find(DT_PATH, match_ecam_host, &base);
	if (host.node) {
		node = add_physical_host(root, info, &host, base,
					 dev[0].domain);
		free(host.node);
	} else if (physical) {
		fail("the cell has PCI devices of the machine, but the root's "
		     "device tree has no generic ECAM host at 0x%llx",
		     (unsigned long long)base);
	} else {
		node = add_virtual_host(root, info, base, dev[0].domain);
	}
	if (has_msix(info))
		add_msi(gic, node, info, base);
}
