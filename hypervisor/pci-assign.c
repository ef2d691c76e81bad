// SPDX-License-Identifier: GPL-2.0
/*
 * Physical PCI devices of cells (device assignment), on a physical host
 * (jailhouse/pci.h).  The root cell has the devices its config lists; a
 * device in another cell's config moves there when the cell is created and
 * back when it is destroyed, its root driver gone first (the root's Linux
 * driver removes it).  Between owners it is scrubbed: no decoding, no bus
 * mastering, no MSI, INTx masked.
 *
 * A cell reads its device's config space as it is, but for BARs its config
 * hides (bar_mask 0) and, outside the root, I/O BARs and the expansion ROM,
 * which read 0.  It writes only what running a device needs: command
 * (memory decoding, bus mastering, parity and SERR reporting, INTx masking;
 * I/O decoding in the root), status, cache line size, latency timer,
 * interrupt line, its BARs and the bytes of the capabilities its config
 * marks writable.  MSI and MSI-X stay off outside the root: arm64 has no
 * interrupt remapping here, so a device writing an MSI could raise any
 * interrupt of the machine; an assigned device uses INTx, its line owned
 * by its cell (the root driver checks that, it knows the line).
 *
 * A device decodes memory only where its cell has I/O memory, so that it
 * cannot answer for another cell's device or memory: enabling memory
 * decoding, and moving a BAR while it is on, is refused otherwise.  The
 * size of each BAR comes from the device itself when a cell takes it; the
 * root's, from its config (its devices are in use when the hypervisor
 * starts).  Memory BARs a cell does not see are parked at address 0.
 * Without an IOMMU the device's DMA is not contained; the design page
 * (Documentation/pci.md) says so.
 */
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/paging.h>
#include <jailhouse/pci.h>
#include <jailhouse/printk.h>
#include <jailhouse/utils.h>

/* capabilities: at most this many, each at least 4 bytes after the header */
#define MAX_CAPS	((0x100 - PCI_CFG_HEADER_END) / 4)

static u32 ones32(unsigned int size)
{
	return size >= 4 ? ~0U : (1U << (8 * size)) - 1;
}

static u32 cfg_read(struct pci_device *dev, unsigned int reg,
		    unsigned int size)
{
	struct mmio_access access = { .address = reg, .size = size };

	if (mmio_perform_access(dev->cfg, &access) != MMIO_HANDLED)
		return ones32(size);
	return access.value;
}

static void cfg_write(struct pci_device *dev, unsigned int reg,
		      unsigned int size, u32 value)
{
	struct mmio_access access = {
		.address = reg, .size = size, .is_write = true, .value = value,
	};

	mmio_perform_access(dev->cfg, &access);
}

static const char *cell_name(const struct pci_device *dev)
{
	return dev->cell->config->name;
}

static bool is_root(const struct pci_device *dev)
{
	return dev->cell == &root_cell;
}

/*
 * May a device of @cell decode [@addr, @addr + @size)?  Inside one I/O
 * region of the cell's config, and for the root not lent to another cell.
 */
static bool decodable(const struct cell *cell, u64 addr, u64 size)
{
	const struct jailhouse_memory *mem;
	const struct cell *other;
	bool inside = false;
	unsigned int n;

	if (size == 0 || addr + size - 1 < addr)
		return false;
	mem = jailhouse_cell_mem_regions(cell->config);
	for (n = 0; n < cell->config->num_memory_regions; n++, mem++)
		if ((mem->flags & JAILHOUSE_MEM_IO) && mem->size &&
		    addr >= mem->phys_start &&
		    addr + size - 1 <= mem->phys_start + mem->size - 1)
			inside = true;
	if (!inside || cell != &root_cell)
		return inside;

	for (other = root_cell.next; other; other = other->next) {
		mem = jailhouse_cell_mem_regions(other->config);
		for (n = 0; n < other->config->num_memory_regions; n++, mem++)
			if (!(mem->flags & JAILHOUSE_MEM_ROOTSHARED) &&
			    ranges_overlap(addr, size, mem->phys_start,
					   mem->size))
				return false;
	}
	return true;
}

static u64 bar_address(struct pci_device *dev, unsigned int bar)
{
	u64 addr = cfg_read(dev, PCI_CFG_BAR0 + 4 * bar, 4) & ~0xfULL;

	if (dev->bar_flags[bar] & PCI_BAR_F_MEM64)
		addr |= (u64)cfg_read(dev, PCI_CFG_BAR0 + 4 * (bar + 1), 4)
			<< 32;
	return addr;
}

static bool decodes_memory(const struct pci_device *dev, unsigned int bar)
{
	return dev->bar_size[bar] &&
		!(dev->bar_flags[bar] & (PCI_BAR_F_IO | PCI_BAR_F_UPPER));
}

/* The first memory BAR outside the cell's I/O memory, or -1. */
static int misplaced_bar(struct pci_device *dev)
{
	unsigned int bar;

	for (bar = 0; bar < PCI_NUM_BARS; bar++)
		if (decodes_memory(dev, bar) &&
		    !decodable(dev->cell, bar_address(dev, bar),
			       dev->bar_size[bar]))
			return bar;
	return -1;
}

/*
 * The size a memory BAR's config mask says, the mask's flag bits aside.  A
 * 64-bit BAR of 4 GiB or more has only address bits in its upper word.
 */
static u64 config_bar_size(const struct pci_device *dev, unsigned int bar)
{
	u64 mask = dev->info->bar_mask[bar] & ~0xfULL;

	if (dev->bar_flags[bar] & PCI_BAR_F_MEM64)
		mask |= (u64)dev->info->bar_mask[bar + 1] << 32;
	else if (mask)
		mask |= 0xffffffff00000000ULL;
	return mask ? ~mask + 1 : 0;
}

/*
 * The type of each BAR, from the device; hidden those the config leaves
 * out (mask 0, both words of a 64-bit BAR) and, outside the root, I/O
 * BARs.
 */
static void read_bar_types(struct pci_device *dev)
{
	unsigned int bar;
	u32 value, mask;

	for (bar = 0; bar < PCI_NUM_BARS; bar++) {
		value = cfg_read(dev, PCI_CFG_BAR0 + 4 * bar, 4);
		mask = dev->info->bar_mask[bar];
		dev->bar_flags[bar] = 0;
		if (value & PCI_BAR_IO) {
			dev->bar_flags[bar] = PCI_BAR_F_IO;
			if (!is_root(dev))
				mask = 0;
		} else if ((value & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM64 &&
			   bar + 1 < PCI_NUM_BARS) {
			dev->bar_flags[bar] = PCI_BAR_F_MEM64;
			mask |= dev->info->bar_mask[bar + 1];
		}
		if (!mask)
			dev->bar_flags[bar] |= PCI_BAR_F_HIDDEN;
		if (dev->bar_flags[bar] & PCI_BAR_F_MEM64) {
			dev->bar_flags[bar + 1] = PCI_BAR_F_UPPER |
				(dev->bar_flags[bar] & PCI_BAR_F_HIDDEN);
			bar++;
		}
	}
}

/* What memory BAR @bar decodes, found by sizing it; decoding is off. */
static u64 size_bar(struct pci_device *dev, unsigned int bar)
{
	unsigned int reg = PCI_CFG_BAR0 + 4 * bar;
	u32 lo = cfg_read(dev, reg, 4), hi, size_lo, size_hi = 0;
	u64 mask;

	cfg_write(dev, reg, 4, ~0U);
	size_lo = cfg_read(dev, reg, 4) & ~0xfU;
	cfg_write(dev, reg, 4, lo);
	if (dev->bar_flags[bar] & PCI_BAR_F_MEM64) {
		/* 4 GiB or more: no address bits in the lower word */
		hi = cfg_read(dev, reg + 4, 4);
		cfg_write(dev, reg + 4, 4, ~0U);
		size_hi = cfg_read(dev, reg + 4, 4);
		cfg_write(dev, reg + 4, 4, hi);
	} else if (size_lo) {
		size_hi = ~0U;
	}
	mask = ((u64)size_hi << 32) | size_lo;
	return mask ? ~mask + 1 : 0;
}

/*
 * A memory BAR that the cell does not see still decodes once the cell
 * turns decoding on: it goes to address 0, outside the host's windows,
 * where no CPU reaches it, and the cell cannot move it.
 */
static void park_bar(struct pci_device *dev, unsigned int bar)
{
	unsigned int reg = PCI_CFG_BAR0 + 4 * bar;

	cfg_write(dev, reg, 4, 0);
	if (dev->bar_flags[bar] & PCI_BAR_F_MEM64)
		cfg_write(dev, reg + 4, 4, 0);
}

/*
 * Find the BARs' sizes: measured on a device that a cell takes (false if
 * the config disagrees with the device; the BARs it hides parked), from
 * the config in the root.
 */
static bool find_bar_sizes(struct pci_device *dev, bool measure)
{
	unsigned int bar;
	u64 size, measured;

	read_bar_types(dev);
	for (bar = 0; bar < PCI_NUM_BARS; bar++) {
		dev->bar_size[bar] = 0;
		if (dev->bar_flags[bar] & (PCI_BAR_F_IO | PCI_BAR_F_UPPER))
			continue;
		if (dev->bar_flags[bar] & PCI_BAR_F_HIDDEN) {
			if (measure)
				park_bar(dev, bar);
			continue;
		}
		size = config_bar_size(dev, bar);
		measured = measure ? size_bar(dev, bar) : size;
		if (measured != size) {
			printk("Cell \"%s\": PCI " PCI_BDF_FMT ": BAR %u "
			       "decodes 0x%llx bytes, its bar_mask says "
			       "0x%llx\n", cell_name(dev),
			       PCI_BDF_ARGS(dev->info->bdf), bar, measured,
			       size);
			return false;
		}
		dev->bar_size[bar] = size;
	}
	return true;
}

void pci_assign_scrub(struct pci_device *dev)
{
	unsigned int pos, n;
	u8 id;
	u16 ctrl;

	cfg_write(dev, PCI_CFG_COMMAND, 2, PCI_CMD_INTX_DISABLE);
	if (!(cfg_read(dev, PCI_CFG_STATUS, 2) & PCI_STS_CAPS))
		return;
	pos = cfg_read(dev, PCI_CFG_CAP_PTR, 1) & ~3U;
	for (n = 0; n < MAX_CAPS && pos >= PCI_CFG_HEADER_END; n++) {
		id = cfg_read(dev, pos, 1);
		ctrl = cfg_read(dev, pos + 2, 2);
		if (id == PCI_CAP_MSI && (ctrl & PCI_MSI_CTRL_ENABLE))
			cfg_write(dev, pos + 2, 2,
				  ctrl & ~PCI_MSI_CTRL_ENABLE);
		else if (id == PCI_CAP_MSIX && (ctrl & PCI_MSIX_CTRL_ENABLE))
			cfg_write(dev, pos + 2, 2,
				  ctrl & ~PCI_MSIX_CTRL_ENABLE);
		pos = cfg_read(dev, pos + 1, 1) & ~3U;
	}
}

int pci_assign_root_init(struct pci_device *dev, unsigned long ecam)
{
	dev->cfg = paging_map_device(ecam + ((unsigned long)dev->info->bdf
					     << 12), PCI_CFG_SIZE);
	if (!dev->cfg)
		return -ENOMEM;
	find_bar_sizes(dev, false);
	return 0;
}

static struct pci_device *root_entry(const struct jailhouse_pci_device *info)
{
	unsigned int n;

	for (n = 0; n < root_cell.num_pci_devices; n++)
		if (pci_is_physical(&root_cell.pci_devices[n]) &&
		    root_cell.pci_devices[n].info->domain == info->domain &&
		    root_cell.pci_devices[n].info->bdf == info->bdf)
			return &root_cell.pci_devices[n];
	return NULL;
}

static bool lists_msi(const struct pci_device *dev)
{
	const struct jailhouse_pci_capability *cap =
		jailhouse_cell_pci_caps(dev->cell->config) +
		dev->info->caps_start;
	unsigned int n;

	for (n = 0; n < dev->info->num_caps; n++, cap++)
		if ((cap->flags & JAILHOUSE_PCICAPS_WRITE) &&
		    (cap->id == PCI_CAP_MSI || cap->id == PCI_CAP_MSIX))
			return true;
	return false;
}

int pci_assign_take(struct pci_device *dev)
{
	struct pci_device *root_dev = root_entry(dev->info);
	const char *why = NULL;

	if (!root_dev)
		why = "not a device of the root cell's config";
	else if (pci_assign_lent(root_dev))
		why = "already with another cell";
	if (why) {
		printk("Cell \"%s\": PCI %04x:" PCI_BDF_FMT ": %s\n",
		       cell_name(dev), dev->info->domain,
		       PCI_BDF_ARGS(dev->info->bdf), why);
		return -EINVAL;
	}

	/* the root does not see the device from now on */
	spin_lock(&root_cell.pci_lock);
	root_dev->lent_to = dev->cell;
	spin_unlock(&root_cell.pci_lock);

	dev->root_dev = root_dev;
	dev->cfg = root_dev->cfg;
	pci_assign_scrub(dev);
	if (!find_bar_sizes(dev, true)) {
		pci_assign_give_back(dev);
		return -EINVAL;
	}
	if (lists_msi(dev))
		printk("Cell \"%s\": PCI " PCI_BDF_FMT ": MSI and MSI-X stay "
		       "off (no interrupt remapping), the device uses INTx\n",
		       cell_name(dev), PCI_BDF_ARGS(dev->info->bdf));
	return 0;
}

void pci_assign_give_back(struct pci_device *dev)
{
	if (!dev->root_dev)
		return;
	pci_assign_scrub(dev);
	spin_lock(&root_cell.pci_lock);
	dev->root_dev->lent_to = NULL;
	spin_unlock(&root_cell.pci_lock);
	dev->root_dev = NULL;
	dev->cfg = NULL;
}

u32 pci_assign_cfg_read(struct pci_device *dev, unsigned int reg,
			unsigned int size)
{
	unsigned int dword = reg & ~3U, shift = (reg & 3) * 8;
	u32 value = cfg_read(dev, dword, 4);

	if (dword >= PCI_CFG_BAR0 && dword < PCI_CFG_BAR_END &&
	    (dev->bar_flags[(dword - PCI_CFG_BAR0) / 4] & PCI_BAR_F_HIDDEN))
		value = 0;
	else if (dword == PCI_CFG_ROM && !is_root(dev))
		value = 0;
	return (value >> shift) & ones32(size);
}

/* Is config byte @reg inside a capability the cell may write? */
static bool cap_writable(const struct pci_device *dev, unsigned int reg)
{
	const struct jailhouse_pci_capability *cap =
		jailhouse_cell_pci_caps(dev->cell->config) +
		dev->info->caps_start;
	unsigned int n;

	for (n = 0; n < dev->info->num_caps; n++, cap++) {
		if (!(cap->flags & JAILHOUSE_PCICAPS_WRITE) ||
		    reg < cap->start || reg - cap->start >= cap->len)
			continue;
		return is_root(dev) ||
			(cap->id != PCI_CAP_MSI && cap->id != PCI_CAP_MSIX);
	}
	return false;
}

/* The bits of config byte @reg that the cell may write. */
static u8 writable_bits(const struct pci_device *dev, unsigned int reg)
{
	switch (reg) {
	case PCI_CFG_COMMAND:
		return PCI_CMD_MEMORY | PCI_CMD_MASTER | PCI_CMD_PARITY |
			(is_root(dev) ? PCI_CMD_IO : 0);
	case PCI_CFG_COMMAND + 1:
		return (PCI_CMD_SERR | PCI_CMD_INTX_DISABLE) >> 8;
	case PCI_CFG_STATUS:
	case PCI_CFG_STATUS + 1:
	case PCI_CFG_CACHE_LINE:
	case PCI_CFG_LATENCY:
	case PCI_CFG_INT:
		return 0xff;
	default:
		return reg >= PCI_CFG_HEADER_END && cap_writable(dev, reg) ?
			0xff : 0;
	}
}

static void refuse(struct pci_device *dev, unsigned int reg)
{
	if (dev->warned)
		return;
	dev->warned = true;
	printk("Cell \"%s\": PCI " PCI_BDF_FMT ": config write at 0x%x "
	       "ignored, not the cell's to change (reported once)\n",
	       cell_name(dev), PCI_BDF_ARGS(dev->info->bdf), reg);
}

static void write_bar(struct pci_device *dev, unsigned int reg, u32 value)
{
	unsigned int bar = (reg - PCI_CFG_BAR0) / 4, base = bar;
	u8 flags = dev->bar_flags[bar];
	u64 addr;

	/* Linux sizes every BAR: one it cannot see takes no notice */
	if (flags & PCI_BAR_F_HIDDEN)
		return;
	if (!(flags & PCI_BAR_F_IO) &&
	    (cfg_read(dev, PCI_CFG_COMMAND, 2) & PCI_CMD_MEMORY)) {
		if (flags & PCI_BAR_F_UPPER) {
			base = bar - 1;
			addr = ((u64)value << 32) |
				(cfg_read(dev, reg - 4, 4) & ~0xfU);
		} else {
			addr = value & ~0xfU;
			if (flags & PCI_BAR_F_MEM64)
				addr |= (u64)cfg_read(dev, reg + 4, 4) << 32;
		}
		if (!decodable(dev->cell, addr, dev->bar_size[base])) {
			cell_printk(dev->cell,
				    "Cell \"%s\": PCI " PCI_BDF_FMT ": BAR %u "
				    "at 0x%llx is not I/O memory of the cell, "
				    "not moved\n", cell_name(dev),
				    PCI_BDF_ARGS(dev->info->bdf), base, addr);
			return;
		}
	}
	cfg_write(dev, reg, 4, value);
}

/* Memory decoding on only if every memory BAR is in the cell's I/O memory. */
static u32 check_decoding(struct pci_device *dev, unsigned int reg,
			  u32 value)
{
	unsigned int shift = (PCI_CFG_COMMAND - reg) * 8;
	int bar;

	if (reg > PCI_CFG_COMMAND || !((value >> shift) & PCI_CMD_MEMORY) ||
	    (cfg_read(dev, PCI_CFG_COMMAND, 2) & PCI_CMD_MEMORY))
		return value;
	bar = misplaced_bar(dev);
	if (bar < 0)
		return value;
	cell_printk(dev->cell,
		    "Cell \"%s\": PCI " PCI_BDF_FMT ": BAR %d at 0x%llx is "
		    "not I/O memory of the cell, memory decoding stays off\n",
		    cell_name(dev), PCI_BDF_ARGS(dev->info->bdf), bar,
		    bar_address(dev, bar));
	return value & ~((u32)PCI_CMD_MEMORY << shift);
}

void pci_assign_cfg_write(struct pci_device *dev, unsigned int reg,
			  unsigned int size, u32 value)
{
	u32 allowed = 0, current;
	unsigned int n;
	u8 bits;

	if (reg < PCI_CFG_BAR_END && reg + size > PCI_CFG_BAR0) {
		if (size == 4)
			write_bar(dev, reg, value);
		else
			refuse(dev, reg);
		return;
	}

	for (n = 0; n < size; n++)
		allowed |= (u32)writable_bits(dev, reg + n) << (8 * n);
	if (!allowed) {
		refuse(dev, reg);
		return;
	}
	if (reg <= PCI_CFG_COMMAND && reg + size > PCI_CFG_COMMAND)
		value = check_decoding(dev, reg, value);

	for (n = 0; n < size; n++)
		if (!((allowed >> (8 * n)) & 0xff))
			break;
	if (n == size) {
		/* every byte the cell's: keep the bits it may not change */
		if (allowed != ones32(size)) {
			current = cfg_read(dev, reg, size);
			value = (value & allowed) | (current & ~allowed);
		}
		cfg_write(dev, reg, size, value);
		return;
	}
	/*
	 * Some bytes are not the cell's: write the others one by one, so
	 * that no write-1-to-clear bit it may not touch is written back.
	 */
	for (n = 0; n < size; n++) {
		bits = allowed >> (8 * n);
		if (!bits)
			continue;
		current = cfg_read(dev, reg + n, 1);
		cfg_write(dev, reg + n, 1,
			  (((value >> (8 * n)) & bits) | (current & ~bits)) &
			  0xff);
	}
}
