// SPDX-License-Identifier: GPL-2.0
/*
 * PCI config space of the cells (jailhouse/pci.h).  A cell with PCI
 * devices in its config traps the ECAM of the system config's host: on a
 * virtual host (pci_is_virtual) 1 MiB for bus 0, on a physical host that
 * of buses 0 to pci_mmconfig_end_bus.  Functions the cell has no device
 * at read as all-ones; ivshmem functions are emulated (ivshmem.c),
 * physical ones filtered (pci-assign.c).  A physical host has the virtual
 * functions too, at free device numbers.
 *
 * BAR 0 of a virtual device is trapped where the cell puts it while
 * memory decoding is on: outside the cell's memory, or in its I/O memory,
 * where the pages go from its stage 2 meanwhile (root Linux places BARs
 * in the physical host's window, which the root maps); never over RAM or
 * another trapped region.  Config space changes of a cell are serialised
 * by its PCI lock, which also covers the move of a BAR in its MMIO table.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/ivshmem.h>
#include <jailhouse/memory.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/pci.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>

static unsigned long ecam_base(void)
{
	return system_config->platform_info.pci_mmconfig_base;
}

static bool physical_host(void)
{
	return !system_config->platform_info.pci_is_virtual;
}

/* The buses the hypervisor handles: bus 0 on a virtual host. */
static unsigned int last_bus(void)
{
	return physical_host() ?
		system_config->platform_info.pci_mmconfig_end_bus : 0;
}

static unsigned long ecam_size(void)
{
	return (last_bus() + 1UL) * JAILHOUSE_VPCI_ECAM_SIZE;
}

static struct pci_device *find_device(struct cell *cell, unsigned int bdf)
{
	unsigned int n;

	for (n = 0; n < cell->num_pci_devices; n++)
		if (cell->pci_devices[n].info->bdf == bdf)
			return &cell->pci_devices[n];
	return NULL;
}

static bool in_cell_memory(const struct cell *cell, unsigned long start,
			   unsigned long size)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++)
		if (mem->size && ranges_overlap(start, size, mem->virt_start,
						mem->size))
			return true;
	return false;
}

/* Is [@start, @start + @size) inside one I/O region of @cell? */
static bool in_io_region(const struct cell *cell, unsigned long start,
			 unsigned long size)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++)
		if ((mem->flags & JAILHOUSE_MEM_IO) && mem->size &&
		    start >= mem->virt_start &&
		    start + size - 1 <= mem->virt_start + mem->size - 1)
			return true;
	return false;
}

/* The emulation behind BAR @n of a virtual device. */
static mmio_handler vbar_handler(unsigned int n)
{
	return n == 0 ? ivshmem_register_access : ivshmem_msix_access;
}

/* Trap BAR @n where the cell wants it now, if it may have it there. */
static void update_vbar(struct pci_device *dev, unsigned int n)
{
	u32 mask = dev->info->bar_mask[n];
	unsigned long size = (u32)~mask + 1UL;
	unsigned long want = 0;
	bool io;

	if (mask && (dev->command & PCI_CMD_MEMORY))
		want = dev->vbar[n] & mask;
	if (want == dev->vbar_trapped[n])
		return;

	if (dev->vbar_trapped[n]) {
		mmio_region_unregister(dev->cell, dev->vbar_trapped[n]);
		if (in_io_region(dev->cell, dev->vbar_trapped[n], size))
			memory_unpunch(dev->cell, dev->vbar_trapped[n], size);
	}
	dev->vbar_trapped[n] = 0;
	if (!want)
		return;
	/* in the cell's I/O memory its pages leave the stage 2 meanwhile */
	io = in_io_region(dev->cell, want, size);
	if ((in_cell_memory(dev->cell, want, size) && !io) ||
	    mmio_region_overlaps(dev->cell, want, size)) {
		cell_printk(dev->cell,
			    "Cell \"%s\": PCI " PCI_BDF_FMT ": BAR %u at 0x%lx "
			    "overlaps the cell's RAM or another device, not "
			    "decoded\n", dev->cell->config->name,
			    PCI_BDF_ARGS(dev->info->bdf), n, want);
		return;
	}
	if (io && memory_punch(dev->cell, want, size)) {
		cell_printk(dev->cell,
			    "Cell \"%s\": PCI " PCI_BDF_FMT ": BAR %u at 0x%lx "
			    "cannot be trapped there, not decoded\n",
			    dev->cell->config->name,
			    PCI_BDF_ARGS(dev->info->bdf), n, want);
		return;
	}
	/* the table has a place for each virtual BAR (count_regions) */
	if (!mmio_region_register(dev->cell, want, size, vbar_handler(n),
				  dev))
		dev->vbar_trapped[n] = want;
	else if (io)
		memory_unpunch(dev->cell, want, size);
}

static void update_vbars(struct pci_device *dev)
{
	unsigned int n;

	for (n = 0; n < PCI_VIRT_BARS; n++)
		update_vbar(dev, n);
}

static unsigned long ones(unsigned int size)
{
	return size >= sizeof(unsigned long) ? ~0UL : (1UL << (8 * size)) - 1;
}

static enum mmio_result ecam_access(void *arg, struct mmio_access *mmio)
{
	struct cell *cell = arg;
	unsigned int reg = mmio->address & 0xfff;
	unsigned int shift = (reg & 3) * 8;
	struct pci_device *dev;
	u32 mask;

	dev = find_device(cell, mmio->address >> 12);
	/* no function here, or an access config space does not have */
	if (!dev || mmio->size > 4 || (reg & (mmio->size - 1))) {
		if (!mmio->is_write)
			mmio->value = ones(mmio->size);
		return MMIO_HANDLED;
	}

	spin_lock(&cell->pci_lock);
	if (pci_is_physical(dev)) {
		if (pci_assign_lent(dev)) {
			if (!mmio->is_write)
				mmio->value = ones(mmio->size);
		} else if (mmio->is_write) {
			pci_assign_cfg_write(dev, reg, mmio->size,
					     mmio->value);
		} else {
			mmio->value = pci_assign_cfg_read(dev, reg,
							  mmio->size);
		}
	} else if (mmio->is_write) {
		mask = ones(mmio->size) << shift;
		ivshmem_cfg_write(dev, reg & ~3u, (u32)mmio->value << shift,
				  mask);
		update_vbars(dev);
	} else {
		mmio->value = (ivshmem_cfg_read(dev, reg & ~3u) >> shift) &
			ones(mmio->size);
	}
	spin_unlock(&cell->pci_lock);
	return MMIO_HANDLED;
}

void pci_cfg_access(struct cell *cell, struct mmio_access *mmio)
{
	ecam_access(cell, mmio);
}

/* Is @mask that of a virtual BAR: a page, or 64 KiB? */
static bool vbar_mask_ok(u32 mask)
{
	return mask == 0xfffff000 || mask == 0xffff0000;
}

/* What an ivshmem device of @cell asks that the hypervisor cannot give. */
static const char *ivshmem_unsupported(struct cell *cell,
				       const struct jailhouse_pci_device *info)
{
	unsigned int n;

	if (info->num_msix_vectors > IVSHMEM_MAX_MSIX_VECTORS)
		return "more MSI-X vectors than the hypervisor supports";
	if (!vbar_mask_ok(info->bar_mask[0]) ||
	    (info->num_msix_vectors && !vbar_mask_ok(info->bar_mask[1])) ||
	    (!info->num_msix_vectors && info->bar_mask[1]))
		return "bar_mask must be JAILHOUSE_IVSHMEM_BAR_MASK_INTX or "
		       "_INTX_64K, with MSI-X vectors _MSIX or _MSIX_64K";
	for (n = PCI_VIRT_BARS; n < PCI_NUM_BARS; n++)
		if (info->bar_mask[n])
			return "an ivshmem device has BARs 0 and 1 only";
	if (info->shmem_peers > IVSHMEM_MAX_PEERS)
		return "more peers than the hypervisor supports";
	if (!info->num_msix_vectors &&
	    !arch_vpci_intx_owned(cell, JAILHOUSE_VPCI_INTX_PIN(
					  (info->bdf >> 3) & 0x1f)))
		return "the cell does not own the interrupt of its INTx pin "
		       "(vpci_irq_base + slot % 4)";
	return NULL;
}

/* Can the hypervisor serve device @info of @cell?  Say why not. */
static int check_device(struct cell *cell,
			const struct jailhouse_pci_device *info)
{
	const char *why = NULL;

	if (info->type == JAILHOUSE_PCI_TYPE_BRIDGE)
		why = "PCI bridges cannot be assigned";
	else if (info->type != JAILHOUSE_PCI_TYPE_IVSHMEM &&
		 info->type != JAILHOUSE_PCI_TYPE_DEVICE)
		why = "unknown PCI device type";
	else if (info->type == JAILHOUSE_PCI_TYPE_DEVICE && !physical_host())
		why = "physical devices need a physical PCI host "
		      "(pci_is_virtual = 0)";
	else if ((info->bdf >> 8) > last_bus())
		why = physical_host() ? "bus beyond pci_mmconfig_end_bus" :
			"the virtual PCI host has bus 0 only";
	else if (info->domain != system_config->platform_info.pci_domain)
		why = "not in the PCI host's domain (pci_domain)";
	else if (info->type == JAILHOUSE_PCI_TYPE_IVSHMEM)
		why = ivshmem_unsupported(cell, info);
	if (!why)
		return 0;
	printk("Cell \"%s\": PCI %04x:" PCI_BDF_FMT ": %s\n",
	       cell->config->name, info->domain, PCI_BDF_ARGS(info->bdf),
	       why);
	return -EINVAL;
}

static int check_host(struct cell *cell)
{
	const char *why = NULL;

	if (!ecam_base())
		why = "the system config has no PCI host (pci_mmconfig_base)";
	else if (physical_host() && in_cell_memory(cell, ecam_base(),
						   ecam_size()))
		why = "memory of the cell covers the PCI host's ECAM of "
		      "buses 0 to pci_mmconfig_end_bus";
	else if (!physical_host() &&
		 in_cell_memory(cell, ecam_base(),
				JAILHOUSE_VPCI_ECAM_SIZE +
				JAILHOUSE_VPCI_BAR_WINDOW_SIZE))
		why = "memory of the cell covers the virtual PCI host's "
		      "ECAM or BAR window";
	if (!why)
		return 0;
	printk("Cell \"%s\": %s\n", cell->config->name, why);
	return -EINVAL;
}

/* Give up the first @linked devices: links left, devices given back. */
static void free_devices(struct cell *cell, unsigned int linked)
{
	unsigned int n;

	for (n = 0; n < linked; n++)
		if (pci_is_physical(&cell->pci_devices[n]))
			pci_assign_give_back(&cell->pci_devices[n]);
		else
			ivshmem_unlink_device(&cell->pci_devices[n]);
	page_free(&mem_pool, cell->pci_devices,
		  PAGES(cell->config->num_pci_devices *
			sizeof(struct pci_device)));
	cell->pci_devices = NULL;
	cell->num_pci_devices = 0;
}

static int pci_cell_init(struct cell *cell)
{
	const struct jailhouse_pci_device *info =
		jailhouse_cell_pci_devices(cell->config);
	unsigned int n, count = cell->config->num_pci_devices;
	struct pci_device *dev;
	int err;

	spin_lock_init(&cell->pci_lock);
	cell->pci_devices = NULL;
	cell->num_pci_devices = 0;
	for (n = 0; n < cell->config->num_pci_devices; n++) {
		err = check_device(cell, &info[n]);
		if (err)
			return err;
	}
	if (count == 0)
		return 0;
	err = check_host(cell);
	if (err)
		return err;

	cell->pci_devices = page_alloc(&mem_pool,
				       PAGES(count * sizeof(*dev)));
	if (!cell->pci_devices)
		return -ENOMEM;
	memset(cell->pci_devices, 0, count * sizeof(*dev));
	for (n = 0; n < cell->config->num_pci_devices; n++) {
		dev = &cell->pci_devices[cell->num_pci_devices];
		dev->info = &info[n];
		dev->cell = cell;
		if (!pci_is_physical(dev))
			err = ivshmem_link_device(dev);
		else if (cell == &root_cell)
			err = pci_assign_root_init(dev, ecam_base());
		else
			err = pci_assign_take(dev);
		if (err)
			goto error;
		cell->num_pci_devices++;
	}

	err = mmio_region_register(cell, ecam_base(), ecam_size(),
				   ecam_access, cell);
	if (err)
		goto error;
	return 0;

error:
	free_devices(cell, cell->num_pci_devices);
	return err;
}

static void pci_cell_reset(struct cell *cell)
{
	struct pci_device *dev;
	unsigned int n;

	spin_lock(&cell->pci_lock);
	for (n = 0; n < cell->num_pci_devices; n++) {
		dev = &cell->pci_devices[n];
		if (pci_is_physical(dev)) {
			pci_assign_scrub(dev);
			continue;
		}
		dev->command = 0;
		memset(dev->vbar, 0, sizeof(dev->vbar));
		dev->int_line = 0;
		update_vbars(dev);
		ivshmem_reset(dev);
	}
	spin_unlock(&cell->pci_lock);
}

static void pci_cell_exit(struct cell *cell)
{
	struct pci_device *dev;
	unsigned int n, bar;

	if (!cell->pci_devices)
		return;
	for (n = 0; n < cell->num_pci_devices; n++) {
		dev = &cell->pci_devices[n];
		for (bar = 0; bar < PCI_VIRT_BARS; bar++)
			if (dev->vbar_trapped[bar])
				mmio_region_unregister(cell,
						       dev->vbar_trapped[bar]);
	}
	/* the stage 2 goes, holes punched for BARs with it */
	mmio_region_unregister(cell, ecam_base());
	free_devices(cell, cell->num_pci_devices);
}

/* The ECAM and the BARs of each (virtual) device. */
static unsigned int pci_mmio_count_regions(struct cell *cell)
{
	unsigned int count = cell->config->num_pci_devices;

	return count ? 1 + PCI_VIRT_BARS * count : 0;
}

static int pci_init(void)
{
	return 0;
}

static void pci_shutdown(void)
{
}

DEFINE_UNIT(pci);
