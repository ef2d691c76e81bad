// SPDX-License-Identifier: GPL-2.0
/*
 * The IOAPICs of x86 cells (82093AA datasheet, 3.0: IOREGSEL at 0x00,
 * IOWIN at 0x10, the EOI register of later versions at 0x40; register 0 ID,
 * 1 version, 2 arbitration, 0x10 + 2n and 0x11 + 2n the low and high half
 * of redirection entry n).
 *
 * Every IOAPIC of the root cell's config is the hypervisor's: each pin has
 * an owner, the cell whose irqchip bitmap lists it (the root for the pins
 * of its own bitmap that no other cell has).  Every cell's accesses trap.
 * A cell has its own IOREGSEL per IOAPIC, shared by its CPUs as the
 * hardware's is by all, so that no cell's selector steers another's
 * access; the hypervisor performs the pair on the device under a lock.
 * A cell reads and writes the redirection entries of its own pins only:
 * others read as masked, writes to them are dropped with a message naming
 * the pin.  Its entries deliver only to its own CPUs, in fixed, lowest
 * priority or NMI mode (INIT would take a CPU out of the hypervisor, SMI
 * goes to the firmware, ExtINT to whoever the 8259 names); an entry the
 * cell points elsewhere stays masked.  An EOI reaches the device only for
 * a vector of one of the cell's pins.  A new cell's pins start masked, and
 * the root's entries that aim at the new cell's CPUs are masked; a
 * destroyed cell's pins are masked and go back to the root.
 */
#include <jailhouse/cell.h>
#include <jailhouse/config.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>
#include <asm/apic.h>

/* Register space of an IOAPIC: index, data, EOI within 0x44 bytes. */
#define IOAPIC_SIZE		0x1000

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_EOI		0x40

#define IOAPIC_REG_VERSION	0x01
#define  IOAPIC_VER_MAX_ENTRY(v)	(((v) >> 16) & 0xff)
#define IOAPIC_REG_REDIR	0x10
/* IOREGSEL holds an 8-bit register index */
#define IOAPIC_REGSEL_MASK	0xff

/* redirection entry, low half */
#define REDIR_VECTOR		0x000000ffU
#define REDIR_DELMODE_MASK	0x00000700U
#define  REDIR_DELMODE_FIXED	0x00000000U
#define  REDIR_DELMODE_LOWPRI	0x00000100U
#define  REDIR_DELMODE_NMI	0x00000400U
#define REDIR_DEST_LOGICAL	0x00000800U
#define REDIR_MASKED		0x00010000U
/* high half: the destination, an APIC ID or logical destination */
#define REDIR_DEST_SHIFT	24
#define REDIR_DEST_BROADCAST	0xff

/* One physical IOAPIC, shared by the cells that have pins of it. */
struct phys_ioapic {
	unsigned long address;
	void *regs;
	/* the pair IOREGSEL, IOWIN of the device and the owners */
	spinlock_t lock;
	unsigned int pins;
	struct cell *owner[CONFIG_IOAPIC_MAX_PINS];
};

static struct phys_ioapic phys_ioapics[X86_MAX_IOAPICS];
static unsigned int num_phys_ioapics;

/* The device's register @reg; under @ioapic->lock. */
static u32 reg_read(struct phys_ioapic *ioapic, unsigned int reg)
{
	mmio_write32(ioapic->regs + IOAPIC_REGSEL, reg);
	return mmio_read32(ioapic->regs + IOAPIC_WINDOW);
}

static void reg_write(struct phys_ioapic *ioapic, unsigned int reg, u32 value)
{
	mmio_write32(ioapic->regs + IOAPIC_REGSEL, reg);
	mmio_write32(ioapic->regs + IOAPIC_WINDOW, value);
}

static unsigned int redir_low(unsigned int pin)
{
	return IOAPIC_REG_REDIR + 2 * pin;
}

static void mask_pin(struct phys_ioapic *ioapic, unsigned int pin)
{
	reg_write(ioapic, redir_low(pin),
		  reg_read(ioapic, redir_low(pin)) | REDIR_MASKED);
}

static struct phys_ioapic *find_phys(unsigned long address)
{
	unsigned int n;

	for (n = 0; n < num_phys_ioapics; n++)
		if (phys_ioapics[n].address == address)
			return &phys_ioapics[n];
	return NULL;
}

/* The CPUs of the system: those of the root cell's config. */
static bool cpu_exists(unsigned int cpu)
{
	const struct jailhouse_cell_desc *root = &system_config->root_cell;
	const u8 *set = (const u8 *)jailhouse_cell_cpu_set(root);

	return cpu / 8 < root->cpu_set_size && (set[cpu / 8] & (1 << cpu % 8));
}

/*
 * Does an entry with destination @dest (@logical: logical mode) reach
 * @cpu?  Logical destinations are matched, flat or cluster model, against
 * the LDR and DFR of the CPU's APIC, which only root CPUs hold (apic.c:
 * a non-root cell's stay virtual, the APIC keeps LDR 0).
 */
static bool dest_reaches(unsigned int cpu, u8 dest, bool logical)
{
	const struct per_cpu *cpu_data = per_cpu(cpu);

	if (!logical)
		return dest == REDIR_DEST_BROADCAST ||
			dest == cpu_data->arch.apic_id;
	if (cpu_data->cell != &root_cell)
		return false;
	return apic_logical_match(cpu_data->arch.ldr, cpu_data->arch.dfr,
				  dest);
}

/*
 * Does an entry with @high and @low reach a CPU that is in @cpus (@in) or
 * one that is not (!@in)?
 */
static bool reaches(const unsigned long *cpus, bool in, u32 high, u32 low)
{
	u8 dest = high >> REDIR_DEST_SHIFT;
	unsigned int cpu;

	for (cpu = 0; cpu < MIN(hypervisor_header.max_cpus, MAX_CPUS); cpu++)
		if (cpu_exists(cpu) && test_bit(cpu, cpus) == in &&
		    dest_reaches(cpu, dest, low & REDIR_DEST_LOGICAL))
			return true;
	return false;
}

static const char *delivery_refused(u32 low)
{
	switch (low & REDIR_DELMODE_MASK) {
	case REDIR_DELMODE_FIXED:
	case REDIR_DELMODE_LOWPRI:
	case REDIR_DELMODE_NMI:
		return NULL;
	default:
		return "delivery mode not fixed, lowest priority or NMI";
	}
}

/*
 * A write of @cell to half @high of the entry of its @pin: the entry
 * stays masked unless it delivers only to the cell's CPUs in a mode it
 * may use.  Under @ioapic->lock.
 */
static void write_entry(struct cell *cell, struct phys_ioapic *ioapic,
			unsigned int pin, bool high, u32 value)
{
	u32 low = high ? reg_read(ioapic, redir_low(pin)) : value;
	u32 hi = high ? value : reg_read(ioapic, redir_low(pin) + 1);
	const char *why = delivery_refused(low);

	if (!why && reaches(cell->cpu_set, false, hi, low))
		why = "destination outside the cell's CPUs";
	if (why && !(low & REDIR_MASKED)) {
		cell_printk(cell,
			    "Cell \"%s\": IOAPIC 0x%lx pin %u: %s "
			    "(0x%08x%08x), masked\n", cell->config->name,
			    ioapic->address, pin, why, hi, low);
		/* masked first: no moment with the refused entry on */
		if (!high)
			value |= REDIR_MASKED;
		else
			reg_write(ioapic, redir_low(pin), low | REDIR_MASKED);
	}
	reg_write(ioapic, redir_low(pin) + high, value);
}

/* EOI of @vector: the device's only if one of the cell's pins has it. */
static void write_eoi(const struct cell *cell, struct phys_ioapic *ioapic,
		      u32 vector)
{
	unsigned int pin;

	for (pin = 0; pin < ioapic->pins; pin++)
		if (ioapic->owner[pin] == cell &&
		    (reg_read(ioapic, redir_low(pin)) & REDIR_VECTOR) ==
		    (vector & REDIR_VECTOR)) {
			mmio_write32(ioapic->regs + IOAPIC_EOI, vector);
			return;
		}
}

/* IOWIN of @cell's register @reg; under @ioapic->lock. */
static void window_access(struct cell *cell, struct phys_ioapic *ioapic,
			  unsigned int reg, struct mmio_access *mmio)
{
	unsigned int pin = (reg - IOAPIC_REG_REDIR) / 2;
	bool high = reg & 1;

	if (reg < IOAPIC_REG_REDIR) {
		/* ID, version, arbitration: the platform's, read-only */
		if (mmio->is_write)
			cell_printk(cell,
				    "Cell \"%s\": IOAPIC 0x%lx register 0x%x: "
				    "write ignored\n", cell->config->name,
				    ioapic->address, reg);
		else
			mmio->value = reg_read(ioapic, reg);
	} else if (pin >= ioapic->pins || ioapic->owner[pin] != cell) {
		if (mmio->is_write)
			cell_printk(cell,
				    "Cell \"%s\": IOAPIC 0x%lx pin %u is not "
				    "the cell's, write ignored\n",
				    cell->config->name, ioapic->address, pin);
		else
			mmio->value = high ? 0 : REDIR_MASKED;
	} else if (mmio->is_write) {
		write_entry(cell, ioapic, pin, high, mmio->value);
	} else {
		mmio->value = reg_read(ioapic, reg);
	}
}

static enum mmio_result ioapic_access(void *arg, struct mmio_access *mmio)
{
	struct cell_ioapic *cio = arg;
	struct phys_ioapic *ioapic = cio->phys;

	/* the registers are dwords; anything else reads 0 and does nothing */
	if (mmio->size != 4) {
		if (!mmio->is_write)
			mmio->value = 0;
		return MMIO_HANDLED;
	}
	switch (mmio->address) {
	case IOAPIC_REGSEL:
		if (mmio->is_write)
			cio->regsel = mmio->value & IOAPIC_REGSEL_MASK;
		else
			mmio->value = cio->regsel;
		break;
	case IOAPIC_WINDOW:
		spin_lock(&ioapic->lock);
		window_access(cio->cell, ioapic, cio->regsel, mmio);
		spin_unlock(&ioapic->lock);
		break;
	case IOAPIC_EOI:
		if (mmio->is_write) {
			spin_lock(&ioapic->lock);
			write_eoi(cio->cell, ioapic, mmio->value);
			spin_unlock(&ioapic->lock);
			break;
		}
		/* EOI is write-only */
		mmio->value = 0;
		break;
	default:
		if (!mmio->is_write)
			mmio->value = 0;
	}
	return MMIO_HANDLED;
}

/*
 * The IOAPICs of the root cell's config, their number of pins from the
 * version register.
 */
static int ioapic_init(void)
{
	const struct jailhouse_cell_desc *root = &system_config->root_cell;
	const struct jailhouse_irqchip *chip = jailhouse_cell_irqchips(root);
	struct phys_ioapic *ioapic;
	unsigned int n;

	if (root->num_irqchips > X86_MAX_IOAPICS) {
		printk("Cell \"%s\": more than %u IOAPICs\n", root->name,
		       X86_MAX_IOAPICS);
		return -EINVAL;
	}
	for (n = 0; n < root->num_irqchips; n++) {
		ioapic = &phys_ioapics[n];
		ioapic->address = chip[n].address;
		ioapic->regs = paging_map_device(ioapic->address, IOAPIC_SIZE);
		if (!ioapic->regs)
			return -ENOMEM;
		num_phys_ioapics++;
		spin_lock_init(&ioapic->lock);
		ioapic->pins = IOAPIC_VER_MAX_ENTRY(
			reg_read(ioapic, IOAPIC_REG_VERSION)) + 1;
		if (ioapic->pins > CONFIG_IOAPIC_MAX_PINS)
			ioapic->pins = CONFIG_IOAPIC_MAX_PINS;
	}
	return 0;
}

static void ioapic_shutdown(void)
{
	struct phys_ioapic *ioapic;

	while (num_phys_ioapics > 0) {
		ioapic = &phys_ioapics[--num_phys_ioapics];
		paging_unmap_device(ioapic->address, ioapic->regs,
				    IOAPIC_SIZE);
		memset(ioapic, 0, sizeof(*ioapic));
	}
}

/* Does irqchip @chip list @pin? */
static bool chip_has_pin(const struct jailhouse_irqchip *chip,
			 unsigned int pin)
{
	unsigned int bit = pin - chip->pin_base;

	return pin >= chip->pin_base && bit < 128 &&
		(chip->pin_bitmap[bit / 32] & (1U << (bit % 32)));
}

/*
 * The root's entries that reach CPUs of the new @cell (they left the root
 * cell) are masked: the root's Linux moved its interrupts away from them
 * before, what is left would reach another cell.
 */
static void confine_root(struct cell *cell, struct phys_ioapic *ioapic)
{
	unsigned int pin;
	u32 low, high;

	for (pin = 0; pin < ioapic->pins; pin++) {
		if (ioapic->owner[pin] != &root_cell)
			continue;
		low = reg_read(ioapic, redir_low(pin));
		high = reg_read(ioapic, redir_low(pin) + 1);
		if (low & REDIR_MASKED ||
		    !reaches(cell->cpu_set, true, high, low))
			continue;
		printk("Cell \"%s\": IOAPIC 0x%lx pin %u of the root cell "
		       "aimed at the cell's CPUs, masked\n",
		       cell->config->name, ioapic->address, pin);
		reg_write(ioapic, redir_low(pin), low | REDIR_MASKED);
	}
}

/*
 * @cell takes the pins of @chip (the root those that no other cell has),
 * masked unless they are the root's at enable, which Linux keeps using.
 */
static void take_pins(struct cell *cell, struct phys_ioapic *ioapic,
		      const struct jailhouse_irqchip *chip)
{
	unsigned int pin;

	spin_lock(&ioapic->lock);
	for (pin = 0; pin < ioapic->pins; pin++) {
		if (!chip_has_pin(chip, pin))
			continue;
		if (cell == &root_cell) {
			if (!ioapic->owner[pin])
				ioapic->owner[pin] = cell;
			continue;
		}
		mask_pin(ioapic, pin);
		ioapic->owner[pin] = cell;
	}
	if (cell != &root_cell)
		confine_root(cell, ioapic);
	spin_unlock(&ioapic->lock);
}

/*
 * The pins of @cell go: masked, to the root if its config lists them.  The
 * root's own stay as Linux left them, which goes on with them.
 */
static void give_back_pins(const struct cell *cell,
			   struct phys_ioapic *ioapic)
{
	const struct jailhouse_cell_desc *root = root_cell.config;
	const struct jailhouse_irqchip *rchip = jailhouse_cell_irqchips(root);
	unsigned int pin;

	rchip += ioapic - phys_ioapics;
	spin_lock(&ioapic->lock);
	for (pin = 0; pin < ioapic->pins; pin++) {
		if (ioapic->owner[pin] != cell)
			continue;
		if (cell == &root_cell) {
			ioapic->owner[pin] = NULL;
			continue;
		}
		mask_pin(ioapic, pin);
		ioapic->owner[pin] = chip_has_pin(rchip, pin) ? &root_cell :
			NULL;
	}
	spin_unlock(&ioapic->lock);
}

static void cell_ioapics_exit(struct cell *cell, unsigned int count)
{
	struct cell_ioapic *cio;
	unsigned int n;

	for (n = 0; n < count; n++) {
		cio = &cell->arch.ioapics[n];
		mmio_region_unregister(cell, cio->phys->address);
		give_back_pins(cell, cio->phys);
	}
}

static int ioapic_cell_init(struct cell *cell)
{
	const struct jailhouse_irqchip *chip =
		jailhouse_cell_irqchips(cell->config);
	struct cell_ioapic *cio;
	unsigned int n;
	int err;

	if (cell->config->num_irqchips > X86_MAX_IOAPICS) {
		printk("Cell \"%s\": more than %u IOAPICs\n",
		       cell->config->name, X86_MAX_IOAPICS);
		return -EINVAL;
	}
	for (n = 0; n < cell->config->num_irqchips; n++) {
		cio = &cell->arch.ioapics[n];
		cio->cell = cell;
		cio->regsel = 0;
		cio->phys = find_phys(chip[n].address);
		if (!cio->phys) {
			printk("Cell \"%s\": irqchip %u: IOAPIC 0x%llx is not "
			       "the root cell's\n", cell->config->name, n,
			       chip[n].address);
			err = -EINVAL;
			goto error;
		}
		err = mmio_region_register(cell, chip[n].address, IOAPIC_SIZE,
					   ioapic_access, cio);
		if (err)
			goto error;
		take_pins(cell, cio->phys, &chip[n]);
	}
	return 0;

error:
	cell_ioapics_exit(cell, n);
	return err;
}

static void ioapic_cell_exit(struct cell *cell)
{
	cell_ioapics_exit(cell, cell->config->num_irqchips);
}

/* The cell restarts: its pins masked and IOREGSEL 0, as after reset. */
static void ioapic_cell_reset(struct cell *cell)
{
	struct cell_ioapic *cio;
	unsigned int n, pin;

	for (n = 0; n < cell->config->num_irqchips; n++) {
		cio = &cell->arch.ioapics[n];
		cio->regsel = 0;
		spin_lock(&cio->phys->lock);
		for (pin = 0; pin < cio->phys->pins; pin++)
			if (cio->phys->owner[pin] == cell)
				mask_pin(cio->phys, pin);
		spin_unlock(&cio->phys->lock);
	}
}

static unsigned int ioapic_mmio_count_regions(struct cell *cell)
{
	return cell->config->num_irqchips;
}

DEFINE_UNIT(ioapic);
