// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem v2 (ABI.md §5): links of shared memory between cells, each peer
 * seeing the link as a PCI device on its virtual host (pci.c).
 *
 * A link exists while one of its peers does; the first peer's config
 * fixes its shape (peers, protocol, the physical memory of each section)
 * and every later peer must match it.  The hypervisor writes the state
 * table, which every peer maps read-only.  A doorbell or state change
 * interrupts a peer through INTx: the SPI of its pin is set pending in the
 * interrupt controller (arch_vpci_raise_intx), so the peer's cell routes
 * and masks it like any interrupt it owns.  A peer whose config gives it
 * MSI-X vectors has no INTx: the hypervisor keeps its MSI-X table (BAR 1)
 * and raises the SPI a vector's message names, if that is one of the
 * cell's, at its MSI frame (arch_vpci_raise_msi).
 *
 * Links change in management calls only, which the hypervisor
 * serialises.  The peers of a link, their interrupt control and MSI-X
 * tables change under the link's lock, taken by the peers' CPUs for
 * doorbells, state writes and table accesses: a peer leaving cannot be
 * interrupted after it left.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/ivshmem.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/pci.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>

/* state table, read/write section, one output section per peer */
#define MAX_SECTIONS		(2 + IVSHMEM_MAX_PEERS)

struct ivshmem_link {
	u16 domain;
	u16 bdf;
	u8 peers;
	u16 protocol;
	/* physical start and size of each section, from the first peer */
	struct {
		u64 phys;
		u64 size;
	} section[MAX_SECTIONS];
	/* the hypervisor's mapping of the state table */
	volatile u32 *state_table;

	spinlock_t lock;
	struct pci_device *peer[IVSHMEM_MAX_PEERS];
	unsigned int num_peers;

	struct ivshmem_link *next;
};

static struct ivshmem_link *links;

/* A peer's MSI-X table and pending bits (one per vector in a u64) */
struct ivshmem_msix {
	u32 entry[IVSHMEM_MAX_MSIX_VECTORS][PCI_MSIX_ENTRY_SIZE / 4];
	u64 pending;
	/* a message that was not delivered was reported */
	bool reported;
};

static const struct jailhouse_memory *sections(const struct pci_device *dev)
{
	return jailhouse_cell_mem_regions(dev->cell->config) +
		dev->info->shmem_regions_start;
}

static unsigned int num_sections(const struct pci_device *dev)
{
	return 2 + dev->info->shmem_peers;
}

/* INTx is one vector. */
static unsigned int num_vectors(const struct pci_device *dev)
{
	return dev->msix ? dev->info->num_msix_vectors : 1;
}

static bool msix_masked(const struct pci_device *dev, unsigned int vector)
{
	return (dev->msix_ctrl & PCI_MSIX_CTRL_FMASK) ||
		(dev->msix->entry[vector][PCI_MSIX_ENTRY_CTRL / 4] &
		 PCI_MSIX_ENTRY_MASKED);
}

/* Send vector @vector's message; called with the link's lock. */
static void msix_deliver(struct pci_device *dev, unsigned int vector)
{
	const u32 *entry = dev->msix->entry[vector];
	u64 address = entry[PCI_MSIX_ENTRY_ADDR_LO / 4] |
		((u64)entry[PCI_MSIX_ENTRY_ADDR_HI / 4] << 32);
	u32 data = entry[PCI_MSIX_ENTRY_DATA / 4];

	if (arch_vpci_raise_msi(dev->cell, address, data) ||
	    dev->msix->reported)
		return;
	dev->msix->reported = true;
	printk("Cell \"%s\": ivshmem " PCI_BDF_FMT ": MSI-X vector %u: "
	       "message 0x%llx/0x%x names no interrupt of the cell, not "
	       "delivered (reported once)\n",
	       dev->cell->config->name, PCI_BDF_ARGS(dev->info->bdf), vector,
	       address, data);
}

/* Vectors that became unmasked get their pending message; with the lock. */
static void msix_flush_pending(struct pci_device *dev)
{
	unsigned int vector;

	if (!(dev->msix_ctrl & PCI_MSIX_CTRL_ENABLE))
		return;
	for (vector = 0; vector < dev->info->num_msix_vectors; vector++) {
		if (!(dev->msix->pending & BIT_ULL(vector)) ||
		    msix_masked(dev, vector))
			continue;
		dev->msix->pending &= ~BIT_ULL(vector);
		msix_deliver(dev, vector);
	}
}

/* Interrupt @peer if it enabled that; called with the link's lock. */
static void signal_peer(struct pci_device *peer, unsigned int vector)
{
	if (!(peer->int_ctrl & IVSHMEM_INT_ENABLE))
		return;
	if (peer->priv_ctrl & IVSHMEM_PRIV_CNTL_ONESHOT_INT)
		peer->int_ctrl &= ~IVSHMEM_INT_ENABLE;
	if (!peer->msix) {
		arch_vpci_raise_intx(peer->cell,
				     JAILHOUSE_VPCI_INTX_PIN(pci_slot(peer)));
		return;
	}
	/* without MSI-X enabled the function has no interrupt at all */
	if (!(peer->msix_ctrl & PCI_MSIX_CTRL_ENABLE))
		return;
	if (msix_masked(peer, vector))
		peer->msix->pending |= BIT_ULL(vector);
	else
		msix_deliver(peer, vector);
}

/* Publish @dev's new state and tell the others; with the link's lock. */
static void set_state(struct pci_device *dev, u32 state)
{
	struct ivshmem_link *link = dev->link;
	unsigned int id;

	if (dev->state == state)
		return;
	dev->state = state;
	link->state_table[dev->info->shmem_dev_id] = state;
	/* the table entry is visible before the interrupt */
	smp_wmb();
	for (id = 0; id < link->peers; id++)
		if (link->peer[id] && link->peer[id] != dev)
			signal_peer(link->peer[id], 0);
}

static void ring_doorbell(struct pci_device *dev, u32 value)
{
	struct ivshmem_link *link = dev->link;
	unsigned int target = value >> 16, vector = value & 0xffff;

	if (target >= link->peers || !link->peer[target] ||
	    vector >= num_vectors(link->peer[target]))
		return;
	/* the sender's writes are visible before the interrupt (ABI) */
	smp_wmb();
	signal_peer(link->peer[target], vector);
}

enum mmio_result ivshmem_register_access(void *arg, struct mmio_access *mmio)
{
	struct pci_device *dev = arg;
	struct ivshmem_link *link = dev->link;

	if (mmio->size != 4 || (mmio->address & 3)) {
		printk("Cell \"%s\": ivshmem registers take aligned 32-bit "
		       "accesses only\n", dev->cell->config->name);
		return MMIO_ERROR;
	}

	spin_lock(&link->lock);
	if (!mmio->is_write) {
		switch (mmio->address) {
		case IVSHMEM_REG_ID:
			mmio->value = dev->info->shmem_dev_id;
			break;
		case IVSHMEM_REG_MAX_PEERS:
			mmio->value = dev->info->shmem_peers;
			break;
		case IVSHMEM_REG_INT_CTRL:
			mmio->value = dev->int_ctrl;
			break;
		case IVSHMEM_REG_STATE:
			mmio->value = dev->state;
			break;
		default:
			mmio->value = 0;
			break;
		}
	} else {
		switch (mmio->address) {
		case IVSHMEM_REG_INT_CTRL:
			dev->int_ctrl = mmio->value & IVSHMEM_INT_ENABLE;
			break;
		case IVSHMEM_REG_DOORBELL:
			ring_doorbell(dev, mmio->value);
			break;
		case IVSHMEM_REG_STATE:
			set_state(dev, mmio->value);
			break;
		}
	}
	spin_unlock(&link->lock);
	return MMIO_HANDLED;
}

/*
 * The MSI-X table takes the accesses the PCI specification allows: aligned
 * dwords, and aligned qwords.  Only the mask bit of an entry's vector
 * control is writable; the pending bits are read-only.
 */
enum mmio_result ivshmem_msix_access(void *arg, struct mmio_access *mmio)
{
	struct pci_device *dev = arg;
	unsigned long reg = mmio->address;
	unsigned int vector = reg / PCI_MSIX_ENTRY_SIZE;
	u32 *word;

	if ((mmio->size != 4 && mmio->size != 8) ||
	    (reg & (mmio->size - 1))) {
		printk("Cell \"%s\": the ivshmem MSI-X table takes aligned "
		       "32- and 64-bit accesses only\n",
		       dev->cell->config->name);
		return MMIO_ERROR;
	}

	spin_lock(&dev->link->lock);
	if (vector < dev->info->num_msix_vectors) {
		word = &dev->msix->entry[vector][reg % PCI_MSIX_ENTRY_SIZE / 4];
		if (!mmio->is_write) {
			mmio->value = word[0];
			if (mmio->size == 8)
				mmio->value |= (u64)word[1] << 32;
		} else {
			word[0] = mmio->value;
			if (mmio->size == 8)
				word[1] = (u64)mmio->value >> 32;
			dev->msix->entry[vector][PCI_MSIX_ENTRY_CTRL / 4] &=
				PCI_MSIX_ENTRY_MASKED;
			msix_flush_pending(dev);
		}
	} else if (!mmio->is_write) {
		if (reg == IVSHMEM_MSIX_PBA)
			mmio->value = mmio->size == 8 ? dev->msix->pending :
				(u32)dev->msix->pending;
		else if (reg == IVSHMEM_MSIX_PBA + 4)
			mmio->value = dev->msix->pending >> 32;
		else
			mmio->value = 0;
	}
	spin_unlock(&dev->link->lock);
	return MMIO_HANDLED;
}

/* The MSI-X capability, @reg from its start; with MSI-X only. */
static u32 msix_cap_read(const struct pci_device *dev, unsigned int reg)
{
	switch (reg) {
	case 0:
		return PCI_CAP_MSIX | ((u32)(dev->msix_ctrl |
			(dev->info->num_msix_vectors - 1)) << 16);
	/* table and pending bits in BAR 1 */
	case PCI_MSIX_TABLE:
		return 1;
	case PCI_MSIX_PBA:
		return IVSHMEM_MSIX_PBA | 1;
	}
	return 0;
}

u32 ivshmem_cfg_read(struct pci_device *dev, unsigned int reg)
{
	const struct jailhouse_memory *mem = sections(dev);
	unsigned int cap = reg - IVSHMEM_CFG_VENDOR_CAP;
	u64 value;

	switch (reg) {
	case PCI_CFG_ID:
	case PCI_CFG_SUBSYS:
		return IVSHMEM_VENDOR_ID | (IVSHMEM_DEVICE_ID << 16);
	case PCI_CFG_COMMAND:
		return dev->command | (PCI_STS_CAPS << 16);
	case PCI_CFG_CLASS:
		/* revision 0 */
		return (IVSHMEM_CLASS_BASE << 24) |
			((u32)dev->info->shmem_protocol << 8);
	case PCI_CFG_BAR0:
	case PCI_CFG_BAR0 + 4:
		return dev->vbar[(reg - PCI_CFG_BAR0) / 4];
	case PCI_CFG_CAP_PTR:
		return IVSHMEM_CFG_VENDOR_CAP;
	case PCI_CFG_INT:
		/* the ABI: a device with MSI-X has no INTx */
		return dev->int_line | (dev->msix ? 0 :
			JAILHOUSE_VPCI_INTX_PIN(pci_slot(dev)) << 8);
	case IVSHMEM_CFG_VENDOR_CAP:
		return PCI_CAP_VENDOR |
			((dev->msix ? IVSHMEM_CFG_MSIX_CAP : 0) << 8) |
			(IVSHMEM_CFG_VENDOR_CAP_LEN << 16) |
			((u32)dev->priv_ctrl << 24);
	}
	if (dev->msix && reg >= IVSHMEM_CFG_MSIX_CAP)
		return msix_cap_read(dev, reg - IVSHMEM_CFG_MSIX_CAP);
	if (reg < IVSHMEM_CFG_VENDOR_CAP ||
	    cap >= IVSHMEM_CFG_VENDOR_CAP_LEN)
		return 0;
	/* the vendor capability's 32- and 64-bit fields */
	if (cap == IVSHMEM_CFG_STATE_TAB_SZ)
		return mem[0].size;
	if (cap < IVSHMEM_CFG_OUTPUT_SECTION_SZ)
		value = mem[1].size;
	else if (cap < IVSHMEM_CFG_ADDRESS)
		value = mem[2].size;
	else
		value = mem[0].virt_start;
	return (cap & 4) ? value >> 32 : (u32)value;
}

/* MSI-X enable and function mask; vectors they unmask are delivered. */
static void msix_ctrl_write(struct pci_device *dev, u32 value, u32 mask)
{
	u16 bits = (mask >> 16) & (PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_FMASK);

	spin_lock(&dev->link->lock);
	dev->msix_ctrl = (dev->msix_ctrl & ~bits) | ((value >> 16) & bits);
	msix_flush_pending(dev);
	spin_unlock(&dev->link->lock);
}

void ivshmem_cfg_write(struct pci_device *dev, unsigned int reg, u32 value,
		       u32 mask)
{
	unsigned int bar = (reg - PCI_CFG_BAR0) / 4;

	switch (reg) {
	case PCI_CFG_COMMAND:
		mask &= PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER |
			PCI_CMD_INTX_DISABLE;
		dev->command = (dev->command & ~mask) | (value & mask);
		break;
	case PCI_CFG_BAR0:
	case PCI_CFG_BAR0 + 4:
		dev->vbar[bar] = ((dev->vbar[bar] & ~mask) | (value & mask)) &
			dev->info->bar_mask[bar];
		break;
	case PCI_CFG_INT:
		mask &= 0xff;
		dev->int_line = (dev->int_line & ~mask) | (value & mask);
		break;
	case IVSHMEM_CFG_VENDOR_CAP:
		if (mask & (IVSHMEM_PRIV_CNTL_ONESHOT_INT << 24))
			dev->priv_ctrl = (value >> 24) &
				IVSHMEM_PRIV_CNTL_ONESHOT_INT;
		break;
	case IVSHMEM_CFG_MSIX_CAP:
		if (dev->msix)
			msix_ctrl_write(dev, value, mask);
		break;
	}
}

/* Every vector masked, nothing pending: the table after reset (PCI). */
static void msix_reset(struct pci_device *dev)
{
	unsigned int vector;

	dev->msix_ctrl = 0;
	if (!dev->msix)
		return;
	memset(dev->msix->entry, 0, sizeof(dev->msix->entry));
	for (vector = 0; vector < IVSHMEM_MAX_MSIX_VECTORS; vector++)
		dev->msix->entry[vector][PCI_MSIX_ENTRY_CTRL / 4] =
			PCI_MSIX_ENTRY_MASKED;
	dev->msix->pending = 0;
}

void ivshmem_reset(struct pci_device *dev)
{
	struct ivshmem_link *link = dev->link;

	spin_lock(&link->lock);
	dev->int_ctrl = 0;
	dev->priv_ctrl = 0;
	msix_reset(dev);
	set_state(dev, 0);
	spin_unlock(&link->lock);
}

static struct ivshmem_link *find_link(const struct jailhouse_pci_device *info)
{
	struct ivshmem_link *link;

	for (link = links; link; link = link->next)
		if (link->domain == info->domain && link->bdf == info->bdf)
			return link;
	return NULL;
}

static struct ivshmem_link *create_link(struct pci_device *dev)
{
	const struct jailhouse_memory *mem = sections(dev);
	struct ivshmem_link *link;
	unsigned int n;

	link = page_alloc(&mem_pool, PAGES(sizeof(*link)));
	if (!link)
		return NULL;
	memset(link, 0, sizeof(*link));
	link->state_table = paging_map_memory(mem[0].phys_start, mem[0].size);
	if (!link->state_table) {
		page_free(&mem_pool, link, PAGES(sizeof(*link)));
		return NULL;
	}
	memset((void *)link->state_table, 0, mem[0].size);

	link->domain = dev->info->domain;
	link->bdf = dev->info->bdf;
	link->peers = dev->info->shmem_peers;
	link->protocol = dev->info->shmem_protocol;
	for (n = 0; n < num_sections(dev); n++) {
		link->section[n].phys = mem[n].phys_start;
		link->section[n].size = mem[n].size;
	}
	spin_lock_init(&link->lock);
	link->next = links;
	links = link;
	return link;
}

static void destroy_link(struct ivshmem_link *link)
{
	struct ivshmem_link **pos;

	for (pos = &links; *pos != link; pos = &(*pos)->next)
		;
	*pos = link->next;
	paging_unmap_device(link->section[0].phys, (void *)link->state_table,
			    link->section[0].size);
	page_free(&mem_pool, link, PAGES(sizeof(*link)));
}

/* Does @dev fit into @link?  The reason if not. */
static const char *link_mismatch(const struct ivshmem_link *link,
				 const struct pci_device *dev)
{
	const struct jailhouse_memory *mem = sections(dev);
	unsigned int n;

	if (dev->info->shmem_peers != link->peers)
		return "its number of peers differs from the link's";
	if (dev->info->shmem_protocol != link->protocol)
		return "its protocol differs from the link's";
	if (link->peer[dev->info->shmem_dev_id])
		return "its peer id is taken";
	for (n = 0; n < num_sections(dev); n++)
		if (mem[n].size != link->section[n].size ||
		    (mem[n].size && mem[n].phys_start != link->section[n].phys))
			return "its shared memory differs from the link's";
	return NULL;
}

/* A link, other than @dev's own, whose memory @dev's sections meet. */
static const struct ivshmem_link *
overlapping_link(const struct pci_device *dev)
{
	const struct jailhouse_memory *mem = sections(dev);
	const struct ivshmem_link *link;
	unsigned int n, m;

	for (link = links; link; link = link->next) {
		if (link->domain == dev->info->domain &&
		    link->bdf == dev->info->bdf)
			continue;
		for (n = 0; n < num_sections(dev); n++)
			for (m = 0; m < 2u + link->peers; m++)
				if (mem[n].size && link->section[m].size &&
				    ranges_overlap(mem[n].phys_start,
						   mem[n].size,
						   link->section[m].phys,
						   link->section[m].size))
					return link;
	}
	return NULL;
}

static void free_msix(struct pci_device *dev)
{
	if (dev->msix)
		page_free(&mem_pool, dev->msix, PAGES(sizeof(*dev->msix)));
	dev->msix = NULL;
}

int ivshmem_link_device(struct pci_device *dev)
{
	const struct jailhouse_pci_device *info = dev->info;
	struct ivshmem_link *link = find_link(info);
	const struct ivshmem_link *other = overlapping_link(dev);
	const char *why;

	/* the table's page first: nothing to undo if there is none */
	if (info->num_msix_vectors) {
		dev->msix = page_alloc(&mem_pool, PAGES(sizeof(*dev->msix)));
		if (!dev->msix) {
			printk("Cell \"%s\": ivshmem: no memory for an MSI-X "
			       "table\n", dev->cell->config->name);
			return -ENOMEM;
		}
		memset(dev->msix, 0, sizeof(*dev->msix));
		msix_reset(dev);
	}

	if (other) {
		printk("Cell \"%s\": ivshmem %04x:" PCI_BDF_FMT ": its shared "
		       "memory overlaps that of link %04x:" PCI_BDF_FMT "\n",
		       dev->cell->config->name, info->domain,
		       PCI_BDF_ARGS(info->bdf), other->domain,
		       PCI_BDF_ARGS(other->bdf));
		free_msix(dev);
		return -EINVAL;
	}
	if (link) {
		why = link_mismatch(link, dev);
		if (why) {
			printk("Cell \"%s\": ivshmem %04x:" PCI_BDF_FMT ": %s\n",
			       dev->cell->config->name, info->domain,
			       PCI_BDF_ARGS(info->bdf), why);
			free_msix(dev);
			return -EINVAL;
		}
	} else {
		link = create_link(dev);
		if (!link) {
			printk("Cell \"%s\": ivshmem: no memory to map the "
			       "state table of %llu bytes\n",
			       dev->cell->config->name, sections(dev)[0].size);
			free_msix(dev);
			return -ENOMEM;
		}
	}

	dev->link = link;
	spin_lock(&link->lock);
	link->state_table[info->shmem_dev_id] = 0;
	link->peer[info->shmem_dev_id] = dev;
	link->num_peers++;
	spin_unlock(&link->lock);
	return 0;
}

void ivshmem_unlink_device(struct pci_device *dev)
{
	struct ivshmem_link *link = dev->link;
	bool last;

	spin_lock(&link->lock);
	set_state(dev, 0);
	link->peer[dev->info->shmem_dev_id] = NULL;
	last = --link->num_peers == 0;
	spin_unlock(&link->lock);
	dev->link = NULL;
	free_msix(dev);
	if (last)
		destroy_link(link);
}
