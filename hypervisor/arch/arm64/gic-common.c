// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupt controller, whatever the GIC version (asm/gic.h).
 *
 * Every physical interrupt is taken at EL2, acknowledged with a priority
 * drop only and handed to the cell owning it through a list register.
 * SPIs and PPIs go in with the HW bit, so that the guest's deactivation
 * deactivates the physical interrupt; SGIs are deactivated here and
 * injected as purely virtual interrupts.  Interrupts that find no free
 * list register wait in a per-CPU queue, which the maintenance interrupt
 * (list registers underflowing) refills from.  The cells' accesses to the
 * distributor trap and are filtered by interrupt ownership, kept here.
 *
 * The GIC is a unit (jailhouse/unit.h) for its global and per-cell state.
 */
#include <jailhouse/arch.h>
#include <jailhouse/bitops.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/ivshmem.h>
#include <jailhouse/mmio.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/spinlock.h>
#include <jailhouse/string.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>
#include <asm/control.h>
#include <asm/gic.h>
#include <asm/irqchip.h>
#include <asm/sysregs.h>

/* The drivers, by platform_info.arm.gic_version. */
static const struct gic_ops *const gic_versions[] = {
	[2] = &gic_v2_ops,
	[3] = &gic_v3_ops,
};

/* The driver in use: a copy, one load less per call. */
static struct gic_ops gic;

DEFINE_SPINLOCK(gic_lock);
unsigned int gic_maintenance_irq;

/*
 * For each SPI, the CPU (id + 1) that acknowledged it last and injected it
 * with the HW bit; 0 once a handover reset it.  An SPI is active on one
 * CPU at most: if that CPU's guest leaves it behind, the CPU deactivates
 * it, whichever cell the SPI or the CPU belongs to by then.
 */
static u8 spi_holder[GIC_NUM_IRQS];

/* SPIs whose arrival on a CPU of another cell was already reported. */
static unsigned long foreign_irq_reported[BITS_TO_LONGS(GIC_NUM_IRQS)];

u32 gic_hv_irqs_mask(void)
{
	return BIT(SGI_HYPERVISOR) | BIT(gic_maintenance_irq);
}

u8 gic_read_priority(void *frame, unsigned int irq)
{
	u32 word = mmio_read32(frame + GICD_IPRIORITYR + gic_irq_word(irq, 8));

	return word >> ((irq % 4) * 8);
}

void gic_write_priority(void *frame, unsigned int irq, u8 priority)
{
	void *reg = frame + GICD_IPRIORITYR + gic_irq_word(irq, 8);
	unsigned int shift = (irq % 4) * 8;

	mmio_write32(reg, (mmio_read32(reg) & ~(0xffU << shift)) |
		     ((u32)priority << shift));
}

static bool gic_irq_is_edge(struct per_cpu *cpu_data, unsigned int irq)
{
	void *frame = gic.irq_frame(cpu_data, irq);
	u32 cfg = mmio_read32(frame + GICD_ICFGR + gic_irq_word(irq, 2));

	return (cfg >> ((irq % 16) * 2)) & GIC_ICFGR_EDGE;
}

void gic_set_phys_pending(struct per_cpu *cpu_data, unsigned int irq)
{
	mmio_write32(gic.irq_frame(cpu_data, irq) + GICD_ISPENDR +
		     gic_irq_word(irq, 1), BIT(irq % 32));
}

/* Empty all list registers. */
static void gic_clear_lrs(struct irqchip_percpu *irq)
{
	static const struct gic_lr empty;
	unsigned int n;

	for (n = 0; n < irq->num_lrs; n++)
		gic.write_lr(n, &empty);
}

/*
 * gic_lr_inject() - put a virtual interrupt into a free list register
 *
 * Return: false if all list registers are in use.
 */
static bool gic_lr_inject(struct irqchip_percpu *irq,
			  const struct gic_lr *new)
{
	u64 empty = gic.empty_lrs();
	unsigned int n, free = IRQCHIP_MAX_LRS;
	struct gic_lr lr;

	/* nothing in flight: no duplicate to look for */
	if ((~empty & (BIT(irq->num_lrs) - 1)) == 0) {
		gic.write_lr(0, new);
		return true;
	}
	for (n = 0; n < irq->num_lrs; n++) {
		if (empty & BIT(n)) {
			if (free == IRQCHIP_MAX_LRS)
				free = n;
			continue;
		}
		gic.read_lr(n, &lr);
		if (lr.virq != new->virq)
			continue;
		/*
		 * A vINTID must not be in two list registers.  An SGI arriving
		 * while its predecessor is active becomes pending and active,
		 * as on the physical GIC.  A hardware interrupt can only come
		 * again if the guest deactivated it behind the list register
		 * (GICD_ICACTIVER): the new occurrence replaces the stale one.
		 */
		if (lr.hw) {
			gic.write_lr(n, new);
		} else {
			lr.pending = true;
			gic.write_lr(n, &lr);
		}
		return true;
	}
	if (free == IRQCHIP_MAX_LRS)
		return false;
	gic.write_lr(free, new);
	return true;
}

/* Note a virtual interrupt for later. */
static void gic_queue(struct irqchip_percpu *irq, const struct gic_lr *lr)
{
	if (test_bit(lr->virq, irq->pending))
		return;
	__set_bit(lr->virq, irq->pending);
	if (lr->hw)
		__set_bit(lr->virq, irq->pending_hw);
	else
		__clear_bit(lr->virq, irq->pending_hw);
	irq->pending_priority[lr->virq] = lr->priority;
	irq->num_pending++;
}

/*
 * Move queued interrupts into free list registers and ask for the underflow
 * maintenance interrupt while some are left.
 */
static void gic_flush_pending(struct irqchip_percpu *irq)
{
	struct gic_lr lr = { .pending = true };
	unsigned int intid;

	for_each_set_bit(intid, irq->pending, IRQCHIP_NUM_IRQS) {
		lr.virq = intid;
		lr.priority = irq->pending_priority[intid];
		lr.hw = test_bit(intid, irq->pending_hw);
		if (!gic_lr_inject(irq, &lr))
			break;
		__clear_bit(intid, irq->pending);
		irq->num_pending--;
	}
	gic.set_underflow_irq(irq->num_pending != 0);
}

/* Inject into the current CPU's cell, behind interrupts still queued. */
static void gic_deliver(struct irqchip_percpu *irq, unsigned int intid,
			u8 priority, bool hw)
{
	struct gic_lr lr = {
		.virq = intid,
		.priority = priority,
		.hw = hw,
		.pending = true,
	};

	if (irq->num_pending || !gic_lr_inject(irq, &lr)) {
		gic_queue(irq, &lr);
		gic_flush_pending(irq);
	}
}

/*
 * One interrupt per exit.  One that keeps coming (a level one that is not
 * the cell's, dropped here at once) cannot hold the CPU in the hypervisor,
 * where it would never see a request to park; another one pending takes
 * the CPU back as soon as it returns to its guest.
 */
void irqchip_handle_irq(void)
{
	struct per_cpu *cpu_data = this_cpu_data();
	struct irqchip_percpu *irq = &cpu_data->irq;
	unsigned int intid;
	u8 priority;
	u32 iar;

	intid = gic.ack(&iar, &priority);
	if (intid >= GIC_FIRST_SPECIAL_INTID)
		return;

	/* first the path a cell's latency depends on: a PPI or SPI of its */
	if (intid >= GIC_NUM_SGIS && intid != gic_maintenance_irq &&
	    irqchip_irq_in_cell(cpu_data->cell, intid)) {
		cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_VIRQ]++;
		if (intid >= GIC_NUM_PRIVATE_IRQS)
			WRITE_ONCE(spi_holder[intid], cpu_data->cpu_id + 1);
		/* mostly nothing is queued or in flight: one call then */
		if (irq->num_pending ||
		    !gic.inject_idle(BIT(irq->num_lrs) - 1, intid, priority))
			gic_deliver(irq, intid, priority, true);
	} else if (intid == SGI_HYPERVISOR) {
		gic.deactivate(iar);
		arch_handle_hypervisor_sgi();
	} else if (intid == gic_maintenance_irq) {
		cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_MAINTENANCE]++;
		/* refill first: the interrupt is level-sensitive */
		gic_flush_pending(irq);
		gic.deactivate(iar);
	} else if (intid < GIC_NUM_SGIS) {
		gic.deactivate(iar);
		cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_VIRQ]++;
		gic_deliver(irq, intid, priority, false);
	} else {
		gic.deactivate(iar);
		if (!test_and_set_bit(intid, foreign_irq_reported))
			printk("GIC: CPU %u: interrupt %u is not its cell's, "
			       "ignored\n", cpu_data->cpu_id, intid);
	}
}

void irqchip_handle_fiq(void)
{
	struct per_cpu *cpu_data = this_cpu_data();
	unsigned int intid;

	if (!gic.ack_group0) {
		printk("Unexpected FIQ exit on CPU %u, ignored\n",
		       cpu_data->cpu_id);
		return;
	}
	intid = gic.ack_group0();
	if (intid == SGI_HYPERVISOR)
		arch_handle_hypervisor_sgi();
	else if (intid < GIC_FIRST_SPECIAL_INTID &&
		 !test_and_set_bit(intid, foreign_irq_reported))
		printk("GIC: CPU %u: group 0 interrupt %u, ignored\n",
		       cpu_data->cpu_id, intid);
}

void irqchip_cpu_direct(struct per_cpu *cpu_data, bool on)
{
	gic.cpu_direct(cpu_data, on);
}

void irqchip_direct_wfi(void)
{
	gic.direct_wfi();
}

void irqchip_send_hypervisor_sgi(unsigned int cpu_id)
{
	/* the request the SGI announces must be visible to the target */
	dsb(ish);
	gic.send_sgi(cpu_id, SGI_HYPERVISOR);
	isb();
}

bool irqchip_irq_in_cell(struct cell *cell, unsigned int irq_id)
{
	if (irq_id < GIC_NUM_PRIVATE_IRQS)
		return true;
	return irq_id < GIC_NUM_IRQS && test_bit(irq_id, cell->irq.irq_bitmap);
}

/* SPI vpci_irq_base + pin - 1 of the cell's config, as an INTID */
static u64 vpci_intid(struct cell *cell, unsigned int pin)
{
	return GIC_NUM_PRIVATE_IRQS + (u64)cell->config->vpci_irq_base +
		pin - 1;
}

bool arch_vpci_intx_owned(struct cell *cell, unsigned int pin)
{
	u64 intid = vpci_intid(cell, pin);

	return intid < GIC_NUM_IRQS && irqchip_irq_in_cell(cell, intid);
}

/*
 * The SPI has no device behind it: pending set in the distributor, it
 * goes where the cell routed it and comes back to the hypervisor as a
 * physical interrupt of the cell.
 */
void arch_vpci_raise_intx(struct cell *cell, unsigned int pin)
{
	gic_set_phys_pending(this_cpu_data(), vpci_intid(cell, pin));
}

/*
 * As for INTx, the message is never written to an MSI controller: the
 * SPI it names is set pending in the distributor if it is the cell's,
 * whatever the physical GIC does with MSIs.
 */
bool arch_vpci_raise_msi(struct cell *cell, u64 address, u32 data)
{
	if (address != gic.msi_address() || data < GIC_NUM_PRIVATE_IRQS ||
	    data > GIC_MAX_SPI || !irqchip_irq_in_cell(cell, data))
		return false;
	gic_set_phys_pending(this_cpu_data(), data);
	return true;
}

bool gic_cell_has_msix(struct cell *cell)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(cell->config);
	unsigned int n;

	for (n = 0; n < cell->config->num_pci_devices; n++)
		if (dev[n].type == JAILHOUSE_PCI_TYPE_IVSHMEM &&
		    dev[n].num_msix_vectors)
			return true;
	return false;
}

unsigned int gic_cell_msi_spis(struct cell *cell, unsigned int *first)
{
	unsigned int intid = vpci_intid(cell, 1) + JAILHOUSE_VPCI_MSI_FIRST;
	unsigned int n = 0;

	*first = intid;
	while (n < JAILHOUSE_VPCI_MAX_MSI_SPIS && intid + n <= GIC_MAX_SPI &&
	       irqchip_irq_in_cell(cell, intid + n))
		n++;
	return n;
}

int irqchip_cpu_init(struct per_cpu *cpu_data)
{
	struct irqchip_percpu *irq = &cpu_data->irq;
	int lrs;

	memset(irq->pending, 0, sizeof(irq->pending));
	irq->num_pending = 0;

	lrs = gic.cpu_init(cpu_data);
	if (lrs < 0)
		return lrs;
	irq->num_lrs = MIN(lrs, IRQCHIP_MAX_LRS);
	return 0;
}

/*
 * A pending virtual interrupt goes back to the GIC.  Active ones need
 * nothing: Linux deactivates them, now on the physical interface.
 */
static void gic_hand_back(struct per_cpu *cpu_data, unsigned int intid,
			  bool hw)
{
	if (hw) {
		/*
		 * Still active from our acknowledge.  A level interrupt
		 * becomes pending again by itself if its device still asks.
		 */
		if (gic_irq_is_edge(cpu_data, intid))
			gic_set_phys_pending(cpu_data, intid);
		gic.deactivate(intid);
	} else if (intid < GIC_NUM_SGIS) {
		gic.set_sgi_pending(cpu_data, intid);
	}
	/* purely virtual interrupts have no physical state to go back to */
}

void irqchip_cpu_shutdown(struct per_cpu *cpu_data)
{
	struct irqchip_percpu *irq = &cpu_data->irq;
	struct gic_lr lr;
	unsigned int n;

	gic.set_underflow_irq(false);
	for (n = 0; n < irq->num_lrs; n++) {
		gic.read_lr(n, &lr);
		if (lr.pending)
			gic_hand_back(cpu_data, lr.virq, lr.hw);
	}
	for_each_set_bit(n, irq->pending, IRQCHIP_NUM_IRQS)
		gic_hand_back(cpu_data, n, test_bit(n, irq->pending_hw));
	memset(irq->pending, 0, sizeof(irq->pending));
	irq->num_pending = 0;
	gic_clear_lrs(irq);

	gic.cpu_shutdown(cpu_data);
}

/*
 * An SPI injected with the HW bit stays active physically until the guest
 * deactivates it, which the CPU's former guest will not do any more: the
 * root's as well as a cell's (the root's Linux may park a CPU with one
 * in a list register).  One that changed cells meanwhile, or came again
 * elsewhere after a deactivation through the distributor, is not this
 * CPU's to deactivate: it may be active on another CPU by now.
 */
static void gic_drop_hw_spi(struct per_cpu *cpu_data, unsigned int intid)
{
	if (intid < GIC_NUM_PRIVATE_IRQS || intid >= GIC_NUM_IRQS ||
	    READ_ONCE(spi_holder[intid]) != cpu_data->cpu_id + 1)
		return;
	WRITE_ONCE(spi_holder[intid], 0);
	gic.deactivate(intid);
}

/* The SPI starts afresh (gic_ops.spi_handover) on @cpu. */
static void gic_spi_handover(unsigned int irq, unsigned int cpu)
{
	gic.spi_handover(irq, cpu);
	WRITE_ONCE(spi_holder[irq], 0);
}

/*
 * The priorities of the CPU's SGIs and PPIs are the former guest's
 * settings, readable by the next: 0 as after reset, but the hypervisor's.
 * The registers are the CPU's own (banked), no lock needed.
 */
static void gic_reset_private_priorities(void *frame)
{
	u32 hv_irqs = gic_hv_irqs_mask(), keep;
	unsigned int irq, n;
	void *reg;

	for (irq = 0; irq < GIC_NUM_PRIVATE_IRQS; irq += 4) {
		keep = 0;
		for (n = 0; n < 4; n++)
			if (hv_irqs & BIT(irq + n))
				keep |= 0xffU << (n * 8);
		reg = frame + GICD_IPRIORITYR + irq;
		mmio_write32(reg, mmio_read32(reg) & keep);
	}
}

/*
 * The CPU starts afresh in a cell: nothing of its former guest, injected
 * or queued, may reach the next one, and its SGIs and PPIs are as after a
 * reset, except the hypervisor's own.
 */
void irqchip_cpu_reset(struct per_cpu *cpu_data)
{
	struct irqchip_percpu *irq = &cpu_data->irq;
	void *frame = gic.irq_frame(cpu_data, 0);
	u32 guest_irqs = ~gic_hv_irqs_mask();
	struct gic_lr lr;
	unsigned int n;

	for (n = 0; n < irq->num_lrs; n++) {
		gic.read_lr(n, &lr);
		if (lr.hw && (lr.pending || lr.active))
			gic_drop_hw_spi(cpu_data, lr.virq);
	}
	for_each_set_bit(n, irq->pending, IRQCHIP_NUM_IRQS)
		if (test_bit(n, irq->pending_hw))
			gic_drop_hw_spi(cpu_data, n);
	memset(irq->pending, 0, sizeof(irq->pending));
	memset(irq->pending_hw, 0, sizeof(irq->pending_hw));
	irq->num_pending = 0;
	gic_clear_lrs(irq);
	gic.set_underflow_irq(false);

	mmio_write32(frame + GICD_ICENABLER, guest_irqs);
	mmio_write32(frame + GICD_ICPENDR, guest_irqs);
	mmio_write32(frame + GICD_ICACTIVER, guest_irqs);
	gic_reset_private_priorities(frame);
	gic.cpu_reset(cpu_data);
	isb();
}

enum mmio_result gic_bad_access(const char *frame, struct mmio_access *mmio)
{
	printk("GIC: unsupported %u-byte %s of %s register %lx\n",
	       mmio->size, mmio->is_write ? "write" : "read", frame,
	       mmio->address);
	return MMIO_ERROR;
}

enum mmio_result gic_raz_wi(struct mmio_access *mmio)
{
	if (!mmio->is_write)
		mmio->value = 0;
	return MMIO_HANDLED;
}

bool gic_access_aligned(const struct mmio_access *mmio)
{
	return (mmio->address & (mmio->size - 1)) == 0;
}

enum mmio_result gic_access_ctlr(void *gicd, const struct cell *cell,
				 struct mmio_access *mmio, u32 keep)
{
	if (mmio->size != 4)
		return gic_bad_access("GICD", mmio);
	if (!mmio->is_write)
		return mmio_perform_access(gicd, mmio);
	if (cell != &root_cell)
		return MMIO_HANDLED;
	mmio->value |= mmio_read32(gicd + GICD_CTLR) & keep;
	return mmio_perform_access(gicd, mmio);
}

enum mmio_result gic_read_only(void *frame, const char *name,
			       struct mmio_access *mmio)
{
	if (mmio->size != 4 || !gic_access_aligned(mmio))
		return gic_bad_access(name, mmio);
	if (!mmio->is_write)
		return mmio_perform_access(frame, mmio);
	return MMIO_HANDLED;
}

const struct gic_irq_bank *gic_find_irq_bank(const struct gic_irq_bank *banks,
					     unsigned int num,
					     unsigned long reg)
{
	const struct gic_irq_bank *bank;

	for (bank = banks; bank < banks + num; bank++)
		if (reg >= bank->start &&
		    reg < bank->start + GIC_BANK_SIZE(bank->bits))
			return bank;
	return NULL;
}

/**
 * gic_access_irq_bank() - emulate an access to per-interrupt registers
 * @frame:	hypervisor mapping of the register frame
 * @name:	frame name for messages
 * @bank:	the bank the access falls into
 * @mmio:	the access, address relative to @frame
 * @owned:	which interrupts the access may see or change
 * @ctx:	argument of @owned
 *
 * The fields of interrupts that are not the cell's read as zero and keep
 * their value on writes.  Plain fields are updated by read-modify-write
 * under gic_lock when only some of the register is the cell's.
 *
 * Return: MMIO_HANDLED, MMIO_ERROR on an access size the GIC does not
 * support for the bank, or the failure of the access to the GIC.
 */
enum mmio_result gic_access_irq_bank(void *frame, const char *name,
				     const struct gic_irq_bank *bank,
				     struct mmio_access *mmio,
				     gic_owner_fn owned, void *ctx)
{
	unsigned int first = (mmio->address - bank->start) * 8 / bank->bits;
	unsigned int n, count = mmio->size * 8 / bank->bits;
	unsigned long field = BIT(bank->bits) - 1;
	unsigned long mask = 0, all;
	enum mmio_result result;
	struct mmio_access old;

	if ((mmio->size != 4 && !(bank->bytes && mmio->size == 1)) ||
	    !gic_access_aligned(mmio))
		return gic_bad_access(name, mmio);

	for (n = 0; n < count; n++)
		if (owned(ctx, first + n, mmio->is_write))
			mask |= field << (n * bank->bits);

	if (!mmio->is_write) {
		result = mask ? mmio_perform_access(frame, mmio) :
			MMIO_HANDLED;
		mmio->value &= mask;
		return result;
	}

	if (!mask || bank->write == GIC_BANK_READ_ONLY)
		return MMIO_HANDLED;
	all = BIT(mmio->size * 8) - 1;
	if (bank->write == GIC_BANK_SET_CLEAR || mask == all) {
		mmio->value &= mask;
		return mmio_perform_access(frame, mmio);
	}

	spin_lock(&gic_lock);
	old = *mmio;
	old.is_write = false;
	result = mmio_perform_access(frame, &old);
	if (result == MMIO_HANDLED) {
		mmio->value = (old.value & ~mask) | (mmio->value & mask);
		result = mmio_perform_access(frame, mmio);
	}
	spin_unlock(&gic_lock);
	return result;
}

/* The first CPU of @cell, where its SPIs go until it routes them. */
static unsigned int gic_first_cpu(struct cell *cell)
{
	return find_next_bit(cell->cpu_set, MAX_CPUS, 0);
}

/*
 * The root may have aimed its SPIs at the CPUs @cell takes (before they
 * left it, its writes were not limited to the others).  Left so, a level
 * interrupt would reach the cell's CPU again and again, acknowledged and
 * dropped there, and keep that CPU in the hypervisor for good.
 */
static void gic_confine_root_spis(struct cell *cell)
{
	unsigned long cpus[BITS_TO_LONGS(MAX_CPUS)];
	unsigned int n, irq;

	for (n = 0; n < ARRAY_SIZE(cpus); n++)
		cpus[n] = root_cell.cpu_set[n] & ~cell->cpu_set[n];
	/* the config check keeps the root a CPU; an index must not run off */
	if (find_next_bit(cpus, MAX_CPUS, 0) >= MAX_CPUS)
		return;
	for_each_set_bit(irq, root_cell.irq.irq_bitmap, GIC_NUM_IRQS)
		gic.spi_confine(irq, cpus);
}

/* Interrupt ownership from the config, the driver's traps and mappings. */
/* Can @cell, which asks for it, have direct interrupt delivery? */
static int gic_check_direct(struct cell *cell)
{
	if (cell == &root_cell) {
		printk("GIC: the root cell cannot have direct interrupt "
		       "delivery\n");
		return -EINVAL;
	}
	if (!gic.cpu_direct) {
		printk("GIC: cell \"%s\": direct interrupt delivery needs a "
		       "GICv3 (Documentation/direct-irqs.md)\n",
		       cell->config->name);
		return -EINVAL;
	}
	return gic.check_direct(cell);
}

static int irqchip_cell_init(struct cell *cell)
{
	const struct jailhouse_irqchip *chip =
		jailhouse_cell_irqchips(cell->config);
	unsigned long gicd_base = system_config->platform_info.arm.gicd_base;
	unsigned int n, pin, irq;
	int err;

	if (cell->config->flags & JAILHOUSE_CELL_DIRECT_IRQS) {
		err = gic_check_direct(cell);
		if (err)
			return err;
	}

	memset(&cell->irq, 0, sizeof(cell->irq));
	for (n = 0; n < cell->config->num_irqchips; n++, chip++) {
		if (chip->address != gicd_base) {
			printk("GIC: cell %u: irqchip %llx is not the "
			       "distributor\n", cell->id, chip->address);
			return -EINVAL;
		}
		for (pin = 0; pin < 128; pin++) {
			if (!(chip->pin_bitmap[pin / 32] & BIT(pin % 32)))
				continue;
			irq = chip->pin_base + pin;
			/* SGIs and PPIs go with the CPUs */
			if (irq < GIC_NUM_PRIVATE_IRQS)
				continue;
			if (irq > GIC_MAX_SPI) {
				printk("GIC: cell %u: no interrupt %u\n",
				       cell->id, irq);
				return -EINVAL;
			}
			if (cell != &root_cell &&
			    !test_bit(irq, root_cell.irq.irq_bitmap)) {
				printk("GIC: cell %u: interrupt %u is not the "
				       "root cell's\n", cell->id, irq);
				return -EBUSY;
			}
			__set_bit(irq, cell->irq.irq_bitmap);
		}
	}

	err = gic.cell_init(cell);
	if (err)
		return err;

	if (cell == &root_cell)
		return 0;
	for_each_set_bit(irq, cell->irq.irq_bitmap, GIC_NUM_IRQS) {
		clear_bit(irq, root_cell.irq.irq_bitmap);
		gic_spi_handover(irq, gic_first_cpu(cell));
	}
	gic_confine_root_spis(cell);
	return 0;
}

/*
 * The cell's SPIs disabled, neither pending nor active: nothing of its
 * former run reaches it when it starts again, or the root cell that gets
 * them back on destroy.
 */
static void irqchip_cell_reset(struct cell *cell)
{
	struct per_cpu *cpu_data = this_cpu_data();
	unsigned int irq;
	void *frame;
	u32 bit;

	for_each_set_bit(irq, cell->irq.irq_bitmap, GIC_NUM_IRQS) {
		frame = gic.irq_frame(cpu_data, irq);
		bit = BIT(irq % 32);
		mmio_write32(frame + GICD_ICENABLER + gic_irq_word(irq, 1), bit);
		mmio_write32(frame + GICD_ICPENDR + gic_irq_word(irq, 1), bit);
		mmio_write32(frame + GICD_ICACTIVER + gic_irq_word(irq, 1),
			     bit);
	}
}

static void irqchip_cell_exit(struct cell *cell)
{
	unsigned int irq;

	gic.cell_exit(cell);

	if (cell == &root_cell)
		return;
	/* cell_init took only interrupts of the root: all go back there */
	for_each_set_bit(irq, cell->irq.irq_bitmap, GIC_NUM_IRQS) {
		gic_spi_handover(irq, gic_first_cpu(&root_cell));
		set_bit(irq, root_cell.irq.irq_bitmap);
	}
}

/* Hypervisor memory or debug console, as gic_frame_user() answers. */
#define GIC_FRAME_HYPERVISOR	(-2)
#define GIC_FRAME_FREE		(-1)

/*
 * What else the configuration puts at @base, @size: GIC_FRAME_FREE,
 * GIC_FRAME_HYPERVISOR or the index of a root cell memory region.
 */
static int gic_frame_user(u64 base, u64 size)
{
	const struct jailhouse_memory *hv_mem =
		&system_config->hypervisor_memory;
	const struct jailhouse_console *con = &system_config->debug_console;
	const struct jailhouse_cell_desc *root = &system_config->root_cell;
	const struct jailhouse_memory *mem = jailhouse_cell_mem_regions(root);
	u64 con_size = con->size ? con->size : PAGE_SIZE;
	unsigned int n;

	if (ranges_overlap(base, size, hv_mem->phys_start, hv_mem->size) ||
	    (con->type != JAILHOUSE_CON_TYPE_NONE &&
	     ranges_overlap(base, size, con->address, con_size)))
		return GIC_FRAME_HYPERVISOR;
	/* the root cell reaches the GIC only through the hypervisor */
	for (n = 0; n < root->num_memory_regions; n++, mem++)
		if (!(mem->flags & JAILHOUSE_MEM_COMM_REGION) &&
		    ranges_overlap(base, size, mem->phys_start, mem->size))
			return n;
	return GIC_FRAME_FREE;
}

bool gic_frame_on_hypervisor(u64 base, u64 size)
{
	return gic_frame_user(base, size) == GIC_FRAME_HYPERVISOR;
}

/**
 * gic_check_frame() - check a GIC frame against the rest of the config
 * @name:	frame name for messages
 * @base:	physical address, from the system config
 * @size:	its size
 *
 * What the configuration alone tells, checked before the first access:
 * reading a GIC register on another device, or in a hole, aborts at EL2.
 * Where the frames really are can only be checked by the driver, against
 * the device tree.
 *
 * Return: 0 or -EINVAL, with a message.
 */
int gic_check_frame(const char *name, u64 base, u64 size)
{
	int user;

	if (!base || base & (PAGE_SIZE - 1)) {
		printk("GIC: %s 0x%llx not page aligned\n", name, base);
		return -EINVAL;
	}
	user = gic_frame_user(base, size);
	if (user == GIC_FRAME_HYPERVISOR) {
		printk("GIC: %s 0x%llx on the hypervisor memory or the debug "
		       "console\n", name, base);
		return -EINVAL;
	}
	if (user != GIC_FRAME_FREE) {
		printk("GIC: %s 0x%llx in root cell memory region %d\n",
		       name, base, user);
		return -EINVAL;
	}
	return 0;
}

/*
 * A device that answers with an abort, or none, is no GIC (and must not
 * stop the CPU).
 */
int gic_probe_read(void *addr, unsigned int size, u64 *value)
{
	struct mmio_access mmio = { .size = size };

	if (arch_mmio_access(addr, &mmio) != MMIO_HANDLED)
		return -ENODEV;
	*value = mmio.value;
	return 0;
}

/* Global set-up on the first CPU: pick the driver, which probes. */
static int irqchip_init(void)
{
	unsigned int version = system_config->platform_info.arm.gic_version;

	if (version >= ARRAY_SIZE(gic_versions) || !gic_versions[version]) {
		printk("GIC: version %u not supported\n", version);
		return -ENODEV;
	}
	gic_maintenance_irq =
		system_config->platform_info.arm.maintenance_irq;
	if (gic_maintenance_irq < GIC_NUM_SGIS ||
	    gic_maintenance_irq >= GIC_NUM_PRIVATE_IRQS) {
		printk("GIC: maintenance interrupt %u is not a PPI\n",
		       gic_maintenance_irq);
		return -EINVAL;
	}
	gic = *gic_versions[version];
	return gic.init();
}

/* Undo irqchip_init() when enabling fails after it. */
static void irqchip_shutdown(void)
{
	gic.shutdown();
}

static unsigned int irqchip_mmio_count_regions(struct cell *cell)
{
	return gic.mmio_count_regions(cell);
}

/*
 * The global and per-cell state come and go with the other units'; the
 * per-CPU hooks (asm/irqchip.h) are called by the arch code, as units have
 * none.
 */
DEFINE_UNIT(irqchip);
