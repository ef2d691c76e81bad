// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of system and cell configurations.
 *
 * All size arithmetic is done in 64 bits with overflow checks, so that
 * counts crafted to wrap around cannot make a truncated config look
 * complete.  Host unit tests compile this file as is; they provide
 * printk() (declared in jailhouse/printk.h) and may set JAILHOUSE_ARCH_ID.
 */
#include <jailhouse/bitops.h>
#include <jailhouse/config.h>
#include <jailhouse/errno.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>

#define CFG_PAGE_SIZE		0x1000ULL
#define CFG_HV_ALIGN		0x200000ULL

#define MEM_FLAGS_KNOWN						\
	(JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |			\
	 JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA | JAILHOUSE_MEM_IO |	\
	 JAILHOUSE_MEM_COMM_REGION | JAILHOUSE_MEM_LOADABLE |		\
	 JAILHOUSE_MEM_ROOTSHARED | JAILHOUSE_MEM_NO_HUGEPAGES |	\
	 JAILHOUSE_MEM_IO_UNALIGNED | JAILHOUSE_MEM_IO_WIDTH_MASK)

/* The I/O port space of x86: ports 0 to 0xffff. */
#define CFG_PIO_PORTS		0x10000ULL

/* Largest array count accepted, far above any real machine's needs. */
#define MAX_ARRAY_COUNT		0x100000

static int add_array(u64 *size, u32 count, u64 elem_size)
{
	u64 bytes;

	if (check_mul_overflow((u64)count, elem_size, &bytes) ||
	    check_add_overflow(*size, bytes, size))
		return -EOVERFLOW;
	return 0;
}

int config_cell_size(const struct jailhouse_cell_desc *cell, u64 *size)
{
	int err = 0;

	*size = sizeof(*cell);
	err |= add_array(size, cell->cpu_set_size, 1);
	err |= add_array(size, cell->num_memory_regions,
			 sizeof(struct jailhouse_memory));
	err |= add_array(size, cell->num_cache_regions,
			 sizeof(struct jailhouse_cache));
	err |= add_array(size, cell->num_irqchips,
			 sizeof(struct jailhouse_irqchip));
	err |= add_array(size, cell->num_pio_regions,
			 sizeof(struct jailhouse_pio));
	err |= add_array(size, cell->num_pci_devices,
			 sizeof(struct jailhouse_pci_device));
	err |= add_array(size, cell->num_pci_caps,
			 sizeof(struct jailhouse_pci_capability));
	err |= add_array(size, cell->num_stream_ids,
			 sizeof(union jailhouse_stream_id));
	return err ? -EOVERFLOW : 0;
}

int config_system_size(const struct jailhouse_system *sys, u64 *size)
{
	u64 cell_size;

	if (config_cell_size(&sys->root_cell, &cell_size))
		return -EOVERFLOW;
	if (check_add_overflow(cell_size,
			       (u64)(sizeof(*sys) - sizeof(sys->root_cell)),
			       size))
		return -EOVERFLOW;
	return 0;
}

static int check_cpus(const struct jailhouse_cell_desc *cell,
		      unsigned int max_cpus)
{
	const u8 *set = (const u8 *)jailhouse_cell_cpu_set(cell);
	unsigned int byte, bit, cpus = 0;

	if (cell->cpu_set_size == 0 || cell->cpu_set_size % 8) {
		printk("Invalid config \"%s\": CPU set size %u is not a "
		       "positive multiple of 8\n", cell->name,
		       cell->cpu_set_size);
		return -EINVAL;
	}
	for (byte = 0; byte < cell->cpu_set_size; byte++)
		for (bit = 0; bit < 8; bit++) {
			if (!(set[byte] & (1 << bit)))
				continue;
			if ((u64)byte * 8 + bit >= max_cpus) {
				printk("Invalid config \"%s\": CPU %u does not "
				       "exist\n", cell->name, byte * 8 + bit);
				return -EINVAL;
			}
			cpus++;
		}
	if (cpus == 0) {
		printk("Invalid config \"%s\": no CPU\n", cell->name);
		return -EINVAL;
	}
	return 0;
}

static int check_memory(const struct jailhouse_cell_desc *cell,
			const struct jailhouse_memory *hv_mem)
{
	const struct jailhouse_memory *mem = jailhouse_cell_mem_regions(cell);
	unsigned int n;
	u64 width;

	for (n = 0; n < cell->num_memory_regions; n++, mem++) {
		/* an all-zero entry is an unused slot (shared memory) */
		if (mem->size == 0 && mem->flags == 0)
			continue;
		if (mem->size == 0 ||
		    mem->phys_start + mem->size - 1 < mem->phys_start ||
		    mem->virt_start + mem->size - 1 < mem->virt_start) {
			printk("Invalid config \"%s\": memory region %u has "
			       "an empty or wrapping range\n", cell->name, n);
			return -EINVAL;
		}
		if (mem->flags & ~(u64)MEM_FLAGS_KNOWN) {
			printk("Invalid config \"%s\": memory region %u has "
			       "unknown flags 0x%llx\n", cell->name, n,
			       mem->flags & ~(u64)MEM_FLAGS_KNOWN);
			return -EINVAL;
		}
		width = (mem->flags & JAILHOUSE_MEM_IO_WIDTH_MASK) >>
			JAILHOUSE_MEM_IO_WIDTH_SHIFT;
		/* 0: the access width is not restricted */
		if (width != 0 && width != 1 && width != 2 && width != 4 &&
		    width != 8) {
			printk("Invalid config \"%s\": memory region %u has "
			       "an invalid access width\n", cell->name, n);
			return -EINVAL;
		}
		if ((mem->virt_start | mem->size) & (CFG_PAGE_SIZE - 1)) {
			if (!(mem->flags & JAILHOUSE_MEM_IO) ||
			    (mem->flags & JAILHOUSE_MEM_COMM_REGION)) {
				printk("Invalid config \"%s\": memory region "
				       "%u is not page aligned and no I/O "
				       "region\n", cell->name, n);
				return -EINVAL;
			}
		} else if (!(mem->flags & JAILHOUSE_MEM_COMM_REGION) &&
			   (mem->phys_start & (CFG_PAGE_SIZE - 1))) {
			printk("Invalid config \"%s\": memory region %u: "
			       "physical start not page aligned\n",
			       cell->name, n);
			return -EINVAL;
		}
		if (hv_mem && !(mem->flags & JAILHOUSE_MEM_COMM_REGION) &&
		    ranges_overlap(mem->phys_start, mem->size,
				   hv_mem->phys_start, hv_mem->size)) {
			printk("Invalid config \"%s\": memory region %u "
			       "overlaps hypervisor memory\n", cell->name, n);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The regions of an ivshmem device (ABI: state table, read/write section,
 * one output section per peer) with the rights each peer must have: the
 * hypervisor alone writes the state table, a peer writes only its own
 * output section.  The guest finds them all from one base address, so
 * they must follow each other in guest-physical memory.
 */
static int check_shmem_regions(const struct jailhouse_cell_desc *cell,
			       unsigned int n,
			       const struct jailhouse_pci_device *dev)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell) + dev->shmem_regions_start;
	const char *why = NULL;
	u64 next = mem[0].virt_start, out_size = mem[2].size, rights;
	unsigned int r;

	for (r = 0; r < 2u + dev->shmem_peers && !why; r++) {
		rights = mem[r].flags &
			(JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE);
		if (mem[r].flags & (JAILHOUSE_MEM_IO |
				    JAILHOUSE_MEM_COMM_REGION |
				    JAILHOUSE_MEM_LOADABLE))
			why = "is I/O, comm or loadable memory";
		else if (r == 0 && (mem[r].size == 0 ||
				    rights != JAILHOUSE_MEM_READ))
			why = "(state table) must be read-only";
		else if (r >= 2 && mem[r].size != out_size)
			why = "differs in size from the other output sections";
		else if (mem[r].size == 0)
			continue;
		else if (mem[r].virt_start != next)
			why = "does not follow the previous one in guest memory";
		else if (r == 1 && rights != (JAILHOUSE_MEM_READ |
					      JAILHOUSE_MEM_WRITE))
			why = "(read/write section) must be readable and "
			      "writable";
		else if (r >= 2 && r - 2 == dev->shmem_dev_id &&
			 rights != (JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE))
			why = "(this peer's output section) must be readable "
			      "and writable";
		else if (r >= 2 && r - 2 != dev->shmem_dev_id &&
			 rights != JAILHOUSE_MEM_READ)
			why = "(another peer's output section) must be "
			      "read-only";
		next = mem[r].virt_start + mem[r].size;
	}
	if (!why)
		return 0;
	printk("Invalid config \"%s\": shared-memory device %u: memory "
	       "region %u %s\n", cell->name, n,
	       dev->shmem_regions_start + r - 1, why);
	return -EINVAL;
}

static int check_pci(const struct jailhouse_cell_desc *cell)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(cell);
	unsigned int n, m;
	u64 end;

	for (n = 0; n < cell->num_pci_devices; n++, dev++) {
		end = (u64)dev->caps_start + dev->num_caps;
		if (end > cell->num_pci_caps) {
			printk("Invalid config \"%s\": PCI device %u refers "
			       "to missing capabilities\n", cell->name, n);
			return -EINVAL;
		}
		for (m = 0; m < n; m++)
			if (jailhouse_cell_pci_devices(cell)[m].domain ==
			    dev->domain &&
			    jailhouse_cell_pci_devices(cell)[m].bdf ==
			    dev->bdf) {
				printk("Invalid config \"%s\": PCI devices "
				       "%u and %u have the same address\n",
				       cell->name, m, n);
				return -EINVAL;
			}
		if (dev->type != JAILHOUSE_PCI_TYPE_IVSHMEM)
			continue;
		/* state table, read/write section, one output per peer */
		end = (u64)dev->shmem_regions_start + 2 + dev->shmem_peers;
		if (dev->shmem_peers == 0 ||
		    dev->shmem_dev_id >= dev->shmem_peers ||
		    end > cell->num_memory_regions) {
			printk("Invalid config \"%s\": shared-memory device %u "
			       "refers to missing memory regions\n",
			       cell->name, n);
			return -EINVAL;
		}
		if (check_shmem_regions(cell, n, dev))
			return -EINVAL;
	}
	return 0;
}

/*
 * I/O port ranges: x86 only, each within the 64 Ki ports and none shared
 * by two entries (an overlap would make a port's owner depend on the
 * order in which cells hand their ranges back).
 */
static int check_pio(const struct jailhouse_cell_desc *cell)
{
	const struct jailhouse_pio *pio = jailhouse_cell_pio(cell);
	unsigned int n, m;

	if (JAILHOUSE_ARCH_ID != JAILHOUSE_X86 && cell->num_pio_regions) {
		printk("Invalid config \"%s\": PIO regions, but only x86 has "
		       "I/O ports\n", cell->name);
		return -EINVAL;
	}
	for (n = 0; n < cell->num_pio_regions; n++) {
		if (pio[n].length == 0 ||
		    (u64)pio[n].base + pio[n].length > CFG_PIO_PORTS) {
			printk("Invalid config \"%s\": PIO region %u (base "
			       "0x%x, length 0x%x) is empty or goes beyond "
			       "port 0xffff\n", cell->name, n, pio[n].base,
			       pio[n].length);
			return -EINVAL;
		}
		for (m = 0; m < n; m++)
			if (ranges_overlap(pio[m].base, pio[m].length,
					   pio[n].base, pio[n].length)) {
				printk("Invalid config \"%s\": PIO regions %u "
				       "and %u overlap\n", cell->name, m, n);
				return -EINVAL;
			}
	}
	return 0;
}

/* Bit @bit (0..127) of @chip's bitmap is set. */
static bool irqchip_bit(const struct jailhouse_irqchip *chip, unsigned int bit)
{
	return chip->pin_bitmap[bit / 32] & (1U << (bit % 32));
}

/* Pin @pin of @chip is in its bitmap. */
static bool irqchip_has_pin(const struct jailhouse_irqchip *chip, u64 pin)
{
	return pin >= chip->pin_base && pin - chip->pin_base < 128 &&
		irqchip_bit(chip, pin - chip->pin_base);
}

/*
 * x86: every irqchip is an IOAPIC, once per cell, its bitmap within the
 * CONFIG_IOAPIC_MAX_PINS pins the hypervisor handles.  On arm the GIC code
 * checks the distributor's interrupts, against the hardware.
 */
static int check_ioapics(const struct jailhouse_cell_desc *cell)
{
	const struct jailhouse_irqchip *chip = jailhouse_cell_irqchips(cell);
	unsigned int n, m, bit;
	u64 pin;

	if (JAILHOUSE_ARCH_ID != JAILHOUSE_X86)
		return 0;
	for (n = 0; n < cell->num_irqchips; n++) {
		for (m = 0; m < n; m++)
			if (chip[m].address == chip[n].address) {
				printk("Invalid config \"%s\": irqchips %u and "
				       "%u are the same IOAPIC\n", cell->name,
				       m, n);
				return -EINVAL;
			}
		for (bit = 0; bit < 128; bit++) {
			if (!irqchip_bit(&chip[n], bit))
				continue;
			pin = (u64)chip[n].pin_base + bit;
			if (pin >= CONFIG_IOAPIC_MAX_PINS) {
				printk("Invalid config \"%s\": irqchip %u: "
				       "IOAPIC pin %llu, an IOAPIC has at most "
				       "%u\n", cell->name, n, pin,
				       CONFIG_IOAPIC_MAX_PINS);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * The x86 part of the system config: what the hypervisor measures its
 * timers with and which APIC mode it expects.
 */
static int check_x86_platform(const struct jailhouse_system *sys)
{
	const struct jailhouse_iommu *unit;
	unsigned int n;

	if (JAILHOUSE_ARCH_ID != JAILHOUSE_X86)
		return 0;
	if (sys->platform_info.x86.apic_mode > JAILHOUSE_APIC_MODE_X2APIC) {
		printk("Invalid system config: unknown APIC mode %u\n",
		       sys->platform_info.x86.apic_mode);
		return -EINVAL;
	}
	/* the PM timer is a 32-bit port */
	if (sys->platform_info.x86.pm_timer_address > CFG_PIO_PORTS - 4) {
		printk("Invalid system config: PM timer port 0x%x goes beyond "
		       "port 0xffff\n",
		       sys->platform_info.x86.pm_timer_address);
		return -EINVAL;
	}
	if (sys->platform_info.x86.pm_timer_address == 0 &&
	    (sys->platform_info.x86.tsc_khz == 0 ||
	     sys->platform_info.x86.apic_khz == 0)) {
		printk("Invalid system config: no PM timer (pm_timer_address) "
		       "to measure the TSC and APIC timer frequencies with, "
		       "and not both given (tsc_khz, apic_khz)\n");
		return -EINVAL;
	}
	if (!CON_IS_MMIO(sys->debug_console.flags) &&
	    sys->debug_console.type != JAILHOUSE_CON_TYPE_NONE &&
	    sys->debug_console.address > CFG_PIO_PORTS - 8) {
		printk("Invalid system config: debug console port 0x%llx goes "
		       "beyond port 0xffff\n", sys->debug_console.address);
		return -EINVAL;
	}
	for (n = 0; n < JAILHOUSE_MAX_IOMMU_UNITS; n++) {
		unit = &sys->platform_info.iommu_units[n];
		if (unit->type != 0 && unit->type != JAILHOUSE_IOMMU_AMD &&
		    unit->type != JAILHOUSE_IOMMU_INTEL) {
			printk("Invalid system config: IOMMU unit %u has type "
			       "%u, no x86 IOMMU\n", n, unit->type);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Names end up in sysfs, "cell list" and messages on consoles, and tools
 * make paths of them: no control characters, no '/'.
 */
static int check_name(const struct jailhouse_cell_desc *cell)
{
	unsigned int n;
	u8 c;

	if (strnlen(cell->name, sizeof(cell->name)) == sizeof(cell->name)) {
		printk("Invalid cell config: name not terminated\n");
		return -EINVAL;
	}
	for (n = 0; cell->name[n]; n++) {
		c = cell->name[n];
		if (c < 0x20 || c == 0x7f || c == '/') {
			printk("Invalid cell config: name has character 0x%02x "
			       "at position %u (no control characters, no "
			       "'/')\n", c, n);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Linux in the root cell keeps using the addresses it booted with: every
 * region of the root cell must map its physical address 1:1.
 */
static int check_root_identity(const struct jailhouse_cell_desc *root)
{
	const struct jailhouse_memory *mem = jailhouse_cell_mem_regions(root);
	unsigned int n;

	for (n = 0; n < root->num_memory_regions; n++, mem++) {
		if (mem->flags & JAILHOUSE_MEM_COMM_REGION ||
		    mem->virt_start == mem->phys_start)
			continue;
		printk("Invalid system config: root cell memory region %u maps "
		       "physical 0x%llx at guest address 0x%llx; the root "
		       "cell's memory must be mapped 1:1\n", n,
		       mem->phys_start, mem->virt_start);
		return -EINVAL;
	}
	return 0;
}

int config_check_cell(const struct jailhouse_cell_desc *cell, u64 avail,
		      unsigned int max_cpus,
		      const struct jailhouse_memory *hv_mem, bool root)
{
	const struct jailhouse_cache *cache;
	unsigned int n;
	u64 size;
	int err;

	if (avail < sizeof(*cell)) {
		printk("Invalid cell config: truncated\n");
		return -EINVAL;
	}
	if (!root) {
		if (memcmp(cell->signature, JAILHOUSE_CELL_DESC_SIGNATURE,
			   JAILHOUSE_SIGNATURE_SIZE)) {
			printk("Invalid cell config: wrong signature\n");
			return -EINVAL;
		}
		if (cell->architecture != JAILHOUSE_ARCH_ID) {
			printk("Invalid cell config: wrong architecture %u\n",
			       cell->architecture);
			return -EINVAL;
		}
		if (cell->revision != JAILHOUSE_CONFIG_REVISION) {
			printk("Invalid cell config: revision %u, expected "
			       "%u\n", cell->revision,
			       JAILHOUSE_CONFIG_REVISION);
			return -EINVAL;
		}
	}
	err = check_name(cell);
	if (err)
		return err;

	if (cell->num_memory_regions > MAX_ARRAY_COUNT ||
	    cell->num_cache_regions > MAX_ARRAY_COUNT ||
	    cell->num_irqchips > MAX_ARRAY_COUNT ||
	    cell->num_pio_regions > MAX_ARRAY_COUNT ||
	    cell->num_pci_devices > MAX_ARRAY_COUNT ||
	    cell->num_pci_caps > MAX_ARRAY_COUNT ||
	    cell->num_stream_ids > MAX_ARRAY_COUNT ||
	    cell->cpu_set_size > MAX_ARRAY_COUNT ||
	    config_cell_size(cell, &size) || size > avail) {
		printk("Invalid config \"%s\": its arrays exceed the config "
		       "size\n", cell->name);
		return -EINVAL;
	}

	err = check_cpus(cell, max_cpus);
	if (err)
		return err;
	err = check_memory(cell, hv_mem);
	if (err)
		return err;
	err = check_pio(cell);
	if (err)
		return err;
	err = check_ioapics(cell);
	if (err)
		return err;

	cache = jailhouse_cell_cache_regions(cell);
	for (n = 0; n < cell->num_cache_regions; n++)
		if (cache[n].type < JAILHOUSE_CACHE_L3_CODE ||
		    cache[n].type > JAILHOUSE_CACHE_L3) {
			printk("Invalid config \"%s\": cache region %u has an "
			       "unknown type\n", cell->name, n);
			return -EINVAL;
		}

	return check_pci(cell);
}

int config_check_system(const struct jailhouse_system *sys, u64 avail,
			unsigned int max_cpus)
{
	const struct jailhouse_memory *hv_mem = &sys->hypervisor_memory;
	u64 offset = sizeof(*sys) - sizeof(sys->root_cell);
	int err;

	if (avail < sizeof(*sys)) {
		printk("Invalid system config: truncated\n");
		return -EINVAL;
	}
	if (memcmp(sys->signature, JAILHOUSE_SYSTEM_SIGNATURE,
		   JAILHOUSE_SIGNATURE_SIZE)) {
		printk("Invalid system config: wrong signature\n");
		return -EINVAL;
	}
	if (sys->architecture != JAILHOUSE_ARCH_ID) {
		printk("Invalid system config: wrong architecture %u\n",
		       sys->architecture);
		return -EINVAL;
	}
	if (sys->revision != JAILHOUSE_CONFIG_REVISION) {
		printk("Invalid system config: revision %u, expected %u\n",
		       sys->revision, JAILHOUSE_CONFIG_REVISION);
		return -EINVAL;
	}
	if (hv_mem->phys_start & (CFG_HV_ALIGN - 1) ||
	    hv_mem->size == 0 || hv_mem->size & (CFG_PAGE_SIZE - 1) ||
	    hv_mem->phys_start + hv_mem->size - 1 < hv_mem->phys_start) {
		printk("Invalid system config: hypervisor memory must start "
		       "2 MiB aligned and have a page-aligned size\n");
		return -EINVAL;
	}
	if (sys->debug_console.type > JAILHOUSE_CON_TYPE_SCIF) {
		printk("Invalid system config: unknown debug console type "
		       "%u\n", sys->debug_console.type);
		return -EINVAL;
	}

	err = check_x86_platform(sys);
	if (err)
		return err;

	err = config_check_cell(&sys->root_cell, avail - offset, max_cpus,
				hv_mem, true);
	if (err)
		return err;
	return check_root_identity(&sys->root_cell);
}

static bool region_in_use(const struct jailhouse_memory *mem)
{
	return mem->size != 0;
}

/* [@start, @start + @size) lies in the union of the root's regions. */
static bool range_in_root(const struct jailhouse_cell_desc *root, u64 start,
			  u64 size)
{
	const struct jailhouse_memory *mem;
	u64 pos = start, left = size, avail;
	unsigned int n;

	while (left > 0) {
		mem = jailhouse_cell_mem_regions(root);
		for (n = 0; n < root->num_memory_regions; n++, mem++)
			if (region_in_use(mem) &&
			    !(mem->flags & JAILHOUSE_MEM_COMM_REGION) &&
			    pos >= mem->phys_start &&
			    pos - mem->phys_start < mem->size)
				break;
		if (n == root->num_memory_regions)
			return false;
		avail = mem->size - (pos - mem->phys_start);
		if (avail >= left)
			return true;
		left -= avail;
		pos += avail;
	}
	return true;
}

/* Ports [@base, @base + @length) lie in the union of @root's ranges. */
static bool ports_in_root(const struct jailhouse_cell_desc *root, u64 base,
			  u64 length)
{
	const struct jailhouse_pio *pio;
	u64 port = base, end = base + length;
	unsigned int n;

	while (port < end) {
		pio = jailhouse_cell_pio(root);
		for (n = 0; n < root->num_pio_regions; n++, pio++)
			if (port >= pio->base &&
			    port < (u64)pio->base + pio->length)
				break;
		if (n == root->num_pio_regions)
			return false;
		port = (u64)pio->base + pio->length;
	}
	return true;
}

/* The IOAPIC at @address among @cell's irqchips, or NULL. */
static const struct jailhouse_irqchip *
find_ioapic(const struct jailhouse_cell_desc *cell, u64 address)
{
	const struct jailhouse_irqchip *chip = jailhouse_cell_irqchips(cell);
	unsigned int n;

	for (n = 0; n < cell->num_irqchips; n++, chip++)
		if (chip->address == address)
			return chip;
	return NULL;
}

/*
 * x86: a cell's IOAPIC pins, pins of the root's IOAPIC at the same address
 * with the same source id.  (On arm the GIC code checks its interrupts.)
 */
static int check_ioapics_in_root(const struct jailhouse_cell_desc *cell,
				 const struct jailhouse_cell_desc *root)
{
	const struct jailhouse_irqchip *chip = jailhouse_cell_irqchips(cell);
	const struct jailhouse_irqchip *root_chip;
	unsigned int n, bit;
	u64 pin;

	if (JAILHOUSE_ARCH_ID != JAILHOUSE_X86)
		return 0;
	for (n = 0; n < cell->num_irqchips; n++, chip++) {
		root_chip = find_ioapic(root, chip->address);
		if (root_chip && root_chip->id != chip->id) {
			printk("Invalid config \"%s\": irqchip %u: IOAPIC "
			       "0x%llx with id 0x%x, the root cell's has "
			       "0x%x\n", cell->name, n, chip->address,
			       chip->id, root_chip->id);
			return -EINVAL;
		}
		for (bit = 0; bit < 128; bit++) {
			if (!irqchip_bit(chip, bit))
				continue;
			pin = (u64)chip->pin_base + bit;
			if (root_chip && irqchip_has_pin(root_chip, pin))
				continue;
			printk("Invalid config \"%s\": irqchip %u: pin %llu "
			       "of IOAPIC 0x%llx is not the root cell's\n",
			       cell->name, n, pin, chip->address);
			return -EINVAL;
		}
	}
	return 0;
}

static bool cpu_in_set(const struct jailhouse_cell_desc *cell,
		       unsigned int cpu)
{
	const u8 *set = (const u8 *)jailhouse_cell_cpu_set(cell);

	return cpu / 8 < cell->cpu_set_size && (set[cpu / 8] & (1 << cpu % 8));
}

int config_check_cell_in_root(const struct jailhouse_cell_desc *cell,
			      const struct jailhouse_cell_desc *root,
			      const unsigned long *root_cpus,
			      unsigned int max_cpus)
{
	const struct jailhouse_memory *mem = jailhouse_cell_mem_regions(cell);
	const struct jailhouse_pio *pio;
	unsigned int cpu, n, comm_regions = 0;
	bool root_keeps_cpu = false;

	for (cpu = 0; cpu < max_cpus; cpu++) {
		if (!cpu_in_set(cell, cpu)) {
			if (test_bit(cpu, root_cpus))
				root_keeps_cpu = true;
			continue;
		}
		if (cpu == 0) {
			printk("Invalid config \"%s\": CPU 0 stays with the "
			       "root cell\n", cell->name);
			return -EINVAL;
		}
		if (!test_bit(cpu, root_cpus)) {
			printk("Invalid config \"%s\": CPU %u is not the root "
			       "cell's\n", cell->name, cpu);
			return -EBUSY;
		}
	}
	if (!root_keeps_cpu) {
		printk("Invalid config \"%s\": it would take all CPUs of the "
		       "root cell\n", cell->name);
		return -EINVAL;
	}

	for (n = 0; n < cell->num_memory_regions; n++, mem++) {
		if (!region_in_use(mem))
			continue;
		if (mem->flags & JAILHOUSE_MEM_COMM_REGION) {
			if (++comm_regions > 1 || mem->size != CFG_PAGE_SIZE) {
				printk("Invalid config \"%s\": memory region "
				       "%u: a cell has one comm region of one "
				       "page\n", cell->name, n);
				return -EINVAL;
			}
			continue;
		}
		if (!range_in_root(root, mem->phys_start, mem->size)) {
			printk("Invalid config \"%s\": memory region %u "
			       "(0x%llx-0x%llx) is not the root cell's\n",
			       cell->name, n, mem->phys_start,
			       mem->phys_start + mem->size - 1);
			return -EINVAL;
		}
	}

	pio = jailhouse_cell_pio(cell);
	for (n = 0; n < cell->num_pio_regions; n++, pio++)
		if (!ports_in_root(root, pio->base, pio->length)) {
			printk("Invalid config \"%s\": PIO region %u "
			       "(ports 0x%x-0x%x) is not the root cell's\n",
			       cell->name, n, pio->base,
			       pio->base + pio->length - 1);
			return -EINVAL;
		}
	return check_ioapics_in_root(cell, root);
}

/* x86: no IOAPIC pin belongs to two cells. */
static int check_ioapics_disjoint(const struct jailhouse_cell_desc *cell,
				  const struct jailhouse_cell_desc *other)
{
	const struct jailhouse_irqchip *chip = jailhouse_cell_irqchips(cell);
	const struct jailhouse_irqchip *ochip;
	unsigned int n, bit;
	u64 pin;

	if (JAILHOUSE_ARCH_ID != JAILHOUSE_X86)
		return 0;
	for (n = 0; n < cell->num_irqchips; n++, chip++) {
		ochip = find_ioapic(other, chip->address);
		if (!ochip)
			continue;
		for (bit = 0; bit < 128; bit++) {
			pin = (u64)chip->pin_base + bit;
			if (!irqchip_bit(chip, bit) ||
			    !irqchip_has_pin(ochip, pin))
				continue;
			printk("Invalid config \"%s\": irqchip %u: pin %llu "
			       "of IOAPIC 0x%llx belongs to cell \"%s\"\n",
			       cell->name, n, pin, chip->address, other->name);
			return -EBUSY;
		}
	}
	return 0;
}

int config_check_cells_disjoint(const struct jailhouse_cell_desc *cell,
				const struct jailhouse_cell_desc *other)
{
	const struct jailhouse_memory *mem = jailhouse_cell_mem_regions(cell);
	const struct jailhouse_pio *pio, *opio;
	const struct jailhouse_memory *omem;
	unsigned int cpu, n, m;
	u64 shared;

	for (cpu = 0; cpu < cell->cpu_set_size * 8ULL; cpu++)
		if (cpu_in_set(cell, cpu) && cpu_in_set(other, cpu)) {
			printk("Invalid config \"%s\": CPU %u belongs to cell "
			       "\"%s\"\n", cell->name, cpu, other->name);
			return -EBUSY;
		}

	for (n = 0; n < cell->num_memory_regions; n++, mem++) {
		if (!region_in_use(mem) ||
		    (mem->flags & JAILHOUSE_MEM_COMM_REGION))
			continue;
		omem = jailhouse_cell_mem_regions(other);
		for (m = 0; m < other->num_memory_regions; m++, omem++) {
			if (!region_in_use(omem) ||
			    (omem->flags & JAILHOUSE_MEM_COMM_REGION) ||
			    !ranges_overlap(mem->phys_start, mem->size,
					    omem->phys_start, omem->size))
				continue;
			shared = mem->flags & omem->flags &
				JAILHOUSE_MEM_ROOTSHARED;
			if (shared)
				continue;
			printk("Invalid config \"%s\": memory region %u "
			       "(0x%llx-0x%llx) overlaps memory of cell "
			       "\"%s\"\n", cell->name, n, mem->phys_start,
			       mem->phys_start + mem->size - 1, other->name);
			return -EBUSY;
		}
	}

	/* a port has one owner: ports are not shared like memory */
	pio = jailhouse_cell_pio(cell);
	for (n = 0; n < cell->num_pio_regions; n++, pio++) {
		opio = jailhouse_cell_pio(other);
		for (m = 0; m < other->num_pio_regions; m++, opio++)
			if (ranges_overlap(pio->base, pio->length,
					   opio->base, opio->length)) {
				printk("Invalid config \"%s\": PIO region %u "
				       "(ports 0x%x-0x%x) overlaps ports of "
				       "cell \"%s\"\n", cell->name, n,
				       pio->base, pio->base + pio->length - 1,
				       other->name);
				return -EBUSY;
			}
	}
	return check_ioapics_disjoint(cell, other);
}
