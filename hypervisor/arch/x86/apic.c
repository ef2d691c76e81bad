// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupt controllers of x86 cells: the local APIC page (xAPIC
 * mode) and the IOAPICs of the cell's irqchips, trapped in every cell.
 *
 * For now only the root cell exists (non-root cells are refused at
 * creation, paging.c), and it owns every CPU and every IOAPIC pin its
 * config gives it, so its accesses are carried out on the device as they
 * are.  Filtering comes with the non-root cells: IPIs of the ICR to the
 * cell's CPUs only (INIT/SIPI to start them), IOAPIC redirection entries
 * of the cell's pins only (Documentation/x86.md, "Left to do").
 */
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>
#include <jailhouse/printk.h>
#include <jailhouse/unit.h>
#include <asm/processor.h>

#define MSR_IA32_APIC_BASE	0x0000001b
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ULL
#define APIC_BASE_EXTD		(1ULL << 10)	/* x2APIC mode */

/* Register space of an IOAPIC: index, data, EOI within 0x44 bytes. */
#define IOAPIC_SIZE		0x1000

static unsigned long lapic_phys;
static void *lapic;

static enum mmio_result passthrough(void *base, struct mmio_access *mmio)
{
	return mmio_perform_access(base, mmio);
}

/*
 * The LAPIC's physical address, the same on every CPU (Linux does not
 * move it); in x2APIC mode its page is not used, nothing is trapped.
 */
static int apic_init(void)
{
	u64 base = read_msr(MSR_IA32_APIC_BASE);

	if (base & APIC_BASE_EXTD)
		return 0;
	lapic_phys = base & APIC_BASE_ADDR_MASK;
	lapic = paging_map_device(lapic_phys, PAGE_SIZE);
	return lapic ? 0 : -ENOMEM;
}

static void apic_shutdown(void)
{
	if (lapic)
		paging_unmap_device(lapic_phys, lapic, PAGE_SIZE);
	lapic = NULL;
}

static void unmap_ioapics(struct cell *cell, unsigned int count)
{
	const struct jailhouse_irqchip *chip =
		jailhouse_cell_irqchips(cell->config);
	unsigned int n;

	for (n = 0; n < count; n++) {
		mmio_region_unregister(cell, chip[n].address);
		paging_unmap_device(chip[n].address,
				    cell->arch.ioapics[n], IOAPIC_SIZE);
	}
}

static int apic_cell_init(struct cell *cell)
{
	const struct jailhouse_irqchip *chip =
		jailhouse_cell_irqchips(cell->config);
	unsigned int n;
	int err;

	if (cell->config->num_irqchips > X86_MAX_IOAPICS) {
		printk("Cell \"%s\": more than %u IOAPICs\n",
		       cell->config->name, X86_MAX_IOAPICS);
		return -EINVAL;
	}
	if (lapic) {
		err = mmio_region_register(cell, lapic_phys, PAGE_SIZE,
					   passthrough, lapic);
		if (err)
			return err;
	}
	for (n = 0; n < cell->config->num_irqchips; n++) {
		cell->arch.ioapics[n] = paging_map_device(chip[n].address,
							  IOAPIC_SIZE);
		err = -ENOMEM;
		if (!cell->arch.ioapics[n])
			goto error;
		err = mmio_region_register(cell, chip[n].address,
					   IOAPIC_SIZE, passthrough,
					   cell->arch.ioapics[n]);
		if (err) {
			paging_unmap_device(chip[n].address,
					    cell->arch.ioapics[n],
					    IOAPIC_SIZE);
			goto error;
		}
	}
	return 0;

error:
	unmap_ioapics(cell, n);
	if (lapic)
		mmio_region_unregister(cell, lapic_phys);
	return err;
}

static void apic_cell_exit(struct cell *cell)
{
	unmap_ioapics(cell, cell->config->num_irqchips);
	if (lapic)
		mmio_region_unregister(cell, lapic_phys);
}

static void apic_cell_reset(struct cell *cell)
{
}

static unsigned int apic_mmio_count_regions(struct cell *cell)
{
	return 1 + cell->config->num_irqchips;
}

DEFINE_UNIT(apic);
