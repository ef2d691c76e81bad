// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC of x86 cells: its page (xAPIC mode), trapped in every
 * cell, and the x2APIC mode that non-root cells may switch to, emulated
 * on the xAPIC.  The IOAPICs are ioapic.c's.
 *
 * A cell's CPUs own their local APICs: interrupts reach them in guest mode
 * (Documentation/x86.md, "Interrupts"), and what a cell writes to the APIC
 * page or its x2APIC MSRs is carried out on the device, but for what could
 * reach other CPUs: the ICR, whose IPIs go to the cell's own CPUs only
 * (INIT and SIPI are emulated, control.c), the logical destination (LDR,
 * DFR), which only the root cell's CPUs keep in their APICs, and the APIC
 * ID, which stays.
 *
 * The x2APIC mode of a non-root cell is the CPU's state in the
 * hypervisor (arch.x2apic): set by the cell's write of IA32_APIC_BASE.EXTD,
 * cleared by the reset of the CPU as INIT would leave it.  Its MSRs all
 * exit (svm-msr.c) and go to the xAPIC registers at offset 16 times their
 * distance from 0x800, the ICR in one write of both halves, the ID and LDR
 * in their x2APIC forms.  Linux in x2APIC mode (the host's own) keeps
 * non-root cells out: its IOAPIC and MSI destinations and the root's ICR
 * would need filters of their own (Documentation/x86.md, "Left to do").
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/unit.h>
#include <asm/apic.h>
#include <asm/control.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define MSR_TSC_DEADLINE	0x000006e0
#define MSR_X2APIC_ID		0x00000802
#define MSR_X2APIC_LDR		0x0000080d
#define MSR_X2APIC_ICR		0x00000830
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ULL
#define APIC_BASE_EXTD		(1ULL << 10)	/* x2APIC mode */
#define CPUID_1_ECX_TSC_DEADLINE (1U << 24)

/* xAPIC registers and their fields */
#define APIC_ID			0x020
#define APIC_ID_SHIFT		24
#define APIC_VERSION		0x030
#define APIC_TPR		0x080
#define APIC_PPR		0x0a0
#define APIC_EOI		0x0b0
#define APIC_LDR		0x0d0
#define APIC_DFR		0x0e0
#define APIC_DFR_RESET		0xffffffffU
#define APIC_SVR		0x0f0
#define APIC_SVR_ENABLE		0x00000100U
/* after reset: disabled, spurious vector 0xff */
#define APIC_SVR_RESET		0x000000ffU
#define APIC_ISR		0x100	/* ISR, TMR, IRR: 8 registers each */
#define APIC_IRR_LAST		0x270
#define APIC_ESR		0x280
#define APIC_ICR		0x300
#define APIC_ICR_HIGH		0x310
#define APIC_LVT_FIRST		0x320	/* timer, ... */
#define APIC_LVT_LAST		0x370	/* ..., error */
#define APIC_LVT_MASKED		0x00010000U
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0
#define APIC_SELF_IPI		0x3f0	/* x2APIC only */
#define APIC_REG_STRIDE		0x10

/* x2APIC: the register of an MSR; its logical ID, cluster and CPU bit */
#define X2APIC_REG(msr)		(((msr) - MSR_X2APIC_FIRST) * APIC_REG_STRIDE)
#define X2APIC_CLUSTER_SHIFT	16
#define X2APIC_CPU_BITS		0xffffU
#define X2APIC_BROADCAST	0xffffffffU

#define APIC_ICR_DEST_SHIFT	24
#define APIC_ICR_VECTOR		0x000000ffU
#define APIC_ICR_DM_MASK	0x00000700U
#define APIC_ICR_DM_FIXED	0x00000000U
#define APIC_ICR_DM_LOWEST	0x00000100U
#define APIC_ICR_DM_NMI		0x00000400U
#define APIC_ICR_DM_INIT	0x00000500U
#define APIC_ICR_DM_STARTUP	0x00000600U
#define APIC_ICR_DEST_LOGICAL	0x00000800U
#define APIC_ICR_BUSY		0x00001000U
#define APIC_ICR_ASSERT		0x00004000U
#define APIC_ICR_SH_SHIFT	18
#define APIC_ICR_SHORTHAND	0x000c0000U
#define APIC_ICR_SH_SELF	1
#define APIC_ICR_SH_ALL		2
#define APIC_ICR_SH_OTHERS	3
#define APIC_DEST_BROADCAST	0xff

/* MSI address; its data has the vector and delivery mode of the ICR */
#define MSI_ADDR_BASE		0x00000000fee00000ULL
#define MSI_ADDR_BASE_MASK	0xfffffffffff00000ULL
#define MSI_ADDR_DEST_SHIFT	12
#define MSI_ADDR_DEST_MASK	0xffU
#define MSI_ADDR_DEST_LOGICAL	(1U << 2)
#define MSI_VECTOR_MIN		16

/*
 * Instructions with interrupts on that let the APIC deliver what is
 * pending (it does so at the first instruction boundary).
 */
#define IRQ_DRAIN_ROUNDS	100

static unsigned long lapic_phys;
static void *lapic;
static bool tsc_deadline;

static u32 lapic_read(unsigned int reg)
{
	return mmio_read32(lapic + reg);
}

static void lapic_write(unsigned int reg, u32 value)
{
	mmio_write32(lapic + reg, value);
}

/* An IPI from the calling CPU's APIC to APIC ID @apic_id, physically. */
static void send_physical(u32 apic_id, u32 icr)
{
	while (lapic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
	lapic_write(APIC_ICR_HIGH, apic_id << APIC_ICR_DEST_SHIFT);
	lapic_write(APIC_ICR, icr);
}

void x86_apic_send_nmi(u32 apic_id)
{
	if (!lapic) {
		write_msr(MSR_X2APIC_ICR,
			  ((u64)apic_id << 32) | APIC_ICR_DM_NMI);
		return;
	}
	/* the guests' ICR writes never leave their destination here */
	send_physical(apic_id, APIC_ICR_DM_NMI);
	/* accepted by the target's APIC: see arch_wake_cpu(), control.c */
	while (lapic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
}

/* The calling CPU's APIC ID and logical destination, as Linux set them. */
void x86_apic_cpu_init(struct per_cpu *cpu_data)
{
	if (lapic) {
		cpu_data->arch.apic_id = lapic_read(APIC_ID) >> APIC_ID_SHIFT;
		cpu_data->arch.ldr = lapic_read(APIC_LDR);
		cpu_data->arch.dfr = lapic_read(APIC_DFR);
	} else {
		cpu_data->arch.apic_id = read_msr(MSR_X2APIC_ID);
	}
}

void x86_apic_quiesce(void)
{
	if (!lapic)
		return;
	lapic_write(APIC_LVT_FIRST, APIC_LVT_MASKED);
	lapic_write(APIC_TMICT, 0);
	if (tsc_deadline)
		write_msr(MSR_TSC_DEADLINE, 0);
}

/* entry.S: an interrupt taken in the hypervisor, see x86_apic_reset(). */
void x86_apic_drop_irq(void);

void x86_apic_drop_irq(void)
{
	lapic_write(APIC_EOI, 0);
}

/*
 * As after INIT (AMD64 APM vol. 2, 16.3): every local interrupt masked,
 * the timer stopped, no interrupt in service or pending, TPR 0, no logical
 * destination, software-disabled.  What the former owner left pending in
 * IRR is taken by the hypervisor for a moment, with interrupts on, and
 * dropped (x86_apic_drop_irq()): an APIC cannot clear IRR otherwise.
 */
void x86_apic_reset(struct per_cpu *cpu_data)
{
	unsigned int reg, n;
	u32 isr;

	cpu_data->arch.icr_high = 0;
	cpu_data->arch.icr_low = 0;
	cpu_data->arch.x2apic = false;
	cpu_data->arch.ldr = 0;
	cpu_data->arch.dfr = APIC_DFR_RESET;
	if (!lapic)
		return;

	for (reg = APIC_LVT_FIRST; reg <= APIC_LVT_LAST;
	     reg += APIC_REG_STRIDE)
		lapic_write(reg, APIC_LVT_MASKED);
	x86_apic_quiesce();
	lapic_write(APIC_TPR, 0);
	/* each EOI ends the highest interrupt in service */
	for (reg = APIC_ISR; reg < APIC_ISR + 8 * APIC_REG_STRIDE;
	     reg += APIC_REG_STRIDE)
		for (isr = lapic_read(reg), n = 0; isr && n < 32; n++) {
			lapic_write(APIC_EOI, 0);
			isr = lapic_read(reg);
		}
	lapic_write(APIC_SVR, APIC_SVR_RESET | APIC_SVR_ENABLE);
	asm volatile("stgi; sti");
	for (n = 0; n < IRQ_DRAIN_ROUNDS; n++)
		cpu_relax();
	asm volatile("cli; clgi");
	lapic_write(APIC_LDR, 0);
	lapic_write(APIC_DFR, APIC_DFR_RESET);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_SVR, APIC_SVR_RESET);
}

/*
 * The x2APIC logical ID of APIC ID @apic_id, fixed by the APIC: cluster
 * (ID / 16) in bits 31:16, bit ID % 16 set in 15:0.
 */
static u32 x2apic_ldr(u32 apic_id)
{
	return ((apic_id >> 4) << X2APIC_CLUSTER_SHIFT) |
		(1U << (apic_id & 0xf));
}

/*
 * Does destination @dest, logical or an APIC ID, name @target?  @x2apic:
 * an x2APIC ICR's 32-bit destination, else an 8-bit one as in the xAPIC's
 * ICR and in MSIs.
 */
static bool dest_match(struct per_cpu *target, u32 dest, bool logical,
		       bool x2apic)
{
	u32 ldr;

	if (!x2apic) {
		if (logical)
			return apic_logical_match(target->arch.ldr,
						  target->arch.dfr, dest);
		return dest == APIC_DEST_BROADCAST ||
			target->arch.apic_id == dest;
	}
	/* broadcast in both modes (Intel SDM vol. 3, 10.12.9) */
	if (dest == X2APIC_BROADCAST)
		return true;
	if (!logical)
		return target->arch.apic_id == dest;
	ldr = x2apic_ldr(target->arch.apic_id);
	return ldr >> X2APIC_CLUSTER_SHIFT == dest >> X2APIC_CLUSTER_SHIFT &&
		(ldr & dest & X2APIC_CPU_BITS);
}

static bool ipi_targets(const struct per_cpu *sender, unsigned int cpu,
			u32 icr, u32 dest, bool x2apic)
{
	struct per_cpu *target = per_cpu(cpu);

	switch ((icr & APIC_ICR_SHORTHAND) >> APIC_ICR_SH_SHIFT) {
	case APIC_ICR_SH_SELF:
		return target == sender;
	case APIC_ICR_SH_ALL:
		return true;
	case APIC_ICR_SH_OTHERS:
		return target != sender;
	}
	return dest_match(target, dest, icr & APIC_ICR_DEST_LOGICAL, x2apic);
}

/**
 * send_ipi() - an ICR write of a cell
 * @sender:	the calling CPU
 * @icr:	ICR bits 31:0
 * @dest:	the destination: ICR bits 63:56 (xAPIC) or 63:32 (@x2apic)
 * @x2apic:	written to the x2APIC's ICR MSR
 *
 * Each CPU of the sender's cell that the destination names gets the IPI
 * as a physical one of its own (INIT and SIPI emulated), one CPU only for
 * lowest priority; no other CPU gets anything.  SMI, ExtINT and reserved
 * delivery modes are dropped, and so is an IPI that names no CPU of the
 * cell, with a message.
 */
static void send_ipi(struct per_cpu *sender, u32 icr, u32 dest, bool x2apic)
{
	struct cell *cell = sender->cell;
	u32 mode = icr & APIC_ICR_DM_MASK;
	bool sent = false;
	unsigned int cpu;

	switch (mode) {
	case APIC_ICR_DM_INIT:
		/* de-assert means nothing to a CPU of this century */
		if (!(icr & APIC_ICR_ASSERT))
			return;
		break;
	case APIC_ICR_DM_FIXED:
	case APIC_ICR_DM_LOWEST:
	case APIC_ICR_DM_NMI:
	case APIC_ICR_DM_STARTUP:
		break;
	default:
		cell_printk(cell,
			    "Cell \"%s\": IPI with delivery mode %u dropped "
			    "(ICR 0x%x)\n", cell->config->name, mode >> 8,
			    icr);
		return;
	}

	for_each_cpu(cpu, cell) {
		if (!ipi_targets(sender, cpu, icr, dest, x2apic))
			continue;
		sent = true;
		if (mode == APIC_ICR_DM_INIT || mode == APIC_ICR_DM_STARTUP) {
			x86_cpu_init_sipi(cpu, mode == APIC_ICR_DM_STARTUP,
					  icr & APIC_ICR_VECTOR);
			continue;
		}
		send_physical(per_cpu(cpu)->arch.apic_id,
			      icr & ~(APIC_ICR_SHORTHAND |
				      APIC_ICR_DEST_LOGICAL |
				      APIC_ICR_DM_LOWEST));
		if (mode == APIC_ICR_DM_LOWEST)
			break;
	}
	if (!sent)
		cell_printk(cell,
			    "Cell \"%s\": IPI to %s destination 0x%x "
			    "outside the cell dropped (ICR 0x%x)\n",
			    cell->config->name,
			    (icr & APIC_ICR_DEST_LOGICAL) ? "logical" :
			    "APIC ID", dest, icr);
}

/**
 * arch_vpci_raise_msi() - an MSI of a virtual device of @cell
 * @cell:	the device's cell
 * @address:	message address: 0xfee in bits 31:20, the destination in
 *		bits 19:12, logical destination mode in bit 2
 * @data:	message data: the vector in bits 7:0, the delivery mode in
 *		bits 10:8, where the ICR has them
 *
 * (Intel SDM vol. 3, "Message Signalled Interrupts".)  The message goes as
 * a fixed IPI with its vector to each CPU of @cell that its destination
 * names, to one of them for lowest priority, as a cell's own IPI would;
 * never to another cell's CPU.  Not in x2APIC mode: its destination IDs
 * need the extended message address, which no virtual device here uses.
 *
 * Return: false if no CPU got it: another address, a delivery mode other
 * than fixed and lowest priority, a vector that is an exception's (below
 * 16 the APIC refuses it), or a destination without a CPU of @cell.
 */
bool arch_vpci_raise_msi(struct cell *cell, u64 address, u32 data)
{
	u32 dest = (address >> MSI_ADDR_DEST_SHIFT) & MSI_ADDR_DEST_MASK;
	u32 mode = data & APIC_ICR_DM_MASK;
	u32 vector = data & APIC_ICR_VECTOR;
	bool sent = false;
	unsigned int cpu;

	if ((address & MSI_ADDR_BASE_MASK) != MSI_ADDR_BASE || !lapic ||
	    (mode != APIC_ICR_DM_FIXED && mode != APIC_ICR_DM_LOWEST) ||
	    vector < MSI_VECTOR_MIN)
		return false;
	for_each_cpu(cpu, cell) {
		if (!dest_match(per_cpu(cpu), dest,
				address & MSI_ADDR_DEST_LOGICAL, false))
			continue;
		send_physical(per_cpu(cpu)->arch.apic_id,
			      APIC_ICR_DM_FIXED | vector);
		sent = true;
		if (mode == APIC_ICR_DM_LOWEST)
			break;
	}
	return sent;
}

/* The APIC base a non-root cell's CPU reads: EXTD set in x2APIC mode. */
static u64 apic_base_view(struct per_cpu *cpu_data)
{
	u64 base = read_msr(MSR_IA32_APIC_BASE);

	return cpu_data->arch.x2apic ? base | APIC_BASE_EXTD : base;
}

/**
 * x86_apic_base_access() - IA32_APIC_BASE of a non-root cell
 * @cpu_data:	the calling CPU
 * @write:	a WRMSR
 * @value:	the value written, or where the value read goes
 *
 * The APIC stays where Linux put it, enabled: the only change taken is
 * EXTD set, into the x2APIC mode (the APIC's own rule: no way back but
 * through a disabled APIC, which is refused, or INIT, the CPU's reset).
 */
void x86_apic_base_access(struct per_cpu *cpu_data, bool write, u64 *value)
{
	u64 base = apic_base_view(cpu_data);

	if (!write) {
		*value = base;
	} else if (*value == (base | APIC_BASE_EXTD)) {
		cpu_data->arch.x2apic = true;
		/* the ICR of the new mode reads as never written */
		cpu_data->arch.icr_high = 0;
		cpu_data->arch.icr_low = 0;
	} else if (*value != base) {
		cell_printk(cpu_data->cell,
			    "Cell \"%s\": APIC base 0x%llx not taken\n",
			    cpu_data->cell->config->name, *value);
	}
}

static bool x2apic_read(struct per_cpu *cpu_data, unsigned int reg,
			u64 *value)
{
	switch (reg) {
	case APIC_ID:
		*value = cpu_data->arch.apic_id;
		return true;
	case APIC_LDR:
		*value = x2apic_ldr(cpu_data->arch.apic_id);
		return true;
	case APIC_ICR:
		*value = ((u64)cpu_data->arch.icr_high << 32) |
			cpu_data->arch.icr_low;
		return true;
	case APIC_VERSION:
	case APIC_TPR:
	case APIC_PPR:
	case APIC_SVR:
	case APIC_ISR ... APIC_IRR_LAST:
	case APIC_ESR:
	case APIC_LVT_FIRST ... APIC_LVT_LAST:
	case APIC_TMICT:
	case APIC_TMCCT:
	case APIC_TDCR:
		*value = lapic_read(reg);
		return true;
	}
	return false;
}

static bool x2apic_write(struct per_cpu *cpu_data, unsigned int reg,
			 u64 value)
{
	switch (reg) {
	case APIC_ICR:
		cpu_data->arch.icr_low = value;
		cpu_data->arch.icr_high = value >> 32;
		send_ipi(cpu_data, value, value >> 32, true);
		return true;
	case APIC_SELF_IPI:
		if (value >> 8)
			return false;
		send_physical(cpu_data->arch.apic_id,
			      APIC_ICR_DM_FIXED | value);
		return true;
	case APIC_EOI:
	case APIC_ESR:
		/* anything but 0 is reserved, so is the ESR's arming value */
		if (value)
			return false;
		break;
	case APIC_TPR:
	case APIC_SVR:
	case APIC_LVT_FIRST ... APIC_LVT_LAST:
	case APIC_TMICT:
	case APIC_TDCR:
		if (value >> 32)
			return false;
		break;
	default:
		return false;
	}
	lapic_write(reg, value);
	return true;
}

/**
 * x86_x2apic_access() - an x2APIC MSR of a non-root cell
 * @cpu_data:	the calling CPU
 * @msr:	0x800-0x8ff
 * @write:	a WRMSR
 * @value:	the value written, or where the value read goes
 *
 * Return: false where the x2APIC raises #GP: in xAPIC mode, a register
 * that does not exist or is read-only (write-only), reserved bits set.
 */
bool x86_x2apic_access(struct per_cpu *cpu_data, u32 msr, bool write,
		       u64 *value)
{
	unsigned int reg = X2APIC_REG(msr);

	if (!cpu_data->arch.x2apic)
		return false;
	if (write && reg == APIC_ICR)
		cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_MSR_X2APIC_ICR]++;
	else
		cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_XAPIC]++;
	if (write)
		return x2apic_write(cpu_data, reg, *value);
	return x2apic_read(cpu_data, reg, value);
}

/*
 * A root CPU's APIC goes software-disabled when Linux takes the CPU
 * offline; its halt with interrupts off follows, where it parks.  Linux
 * also soft-disables the APIC of a CPU it brings online, at the start of
 * its setup there (setup_local_APIC()), and enables it a little later:
 * the CPU is not dying then, and the enable ends the watch.
 */
static void root_svr_write(struct per_cpu *cpu_data, u32 value)
{
	bool dying = !(value & APIC_SVR_ENABLE);

	if (cpu_data->cell != &root_cell)
		return;
	spin_lock(&cpu_data->arch.control_lock);
	cpu_data->arch.dying = dying;
	spin_unlock(&cpu_data->arch.control_lock);
	vcpu_watch_halt(cpu_data, dying);
}

static enum mmio_result lapic_access(void *arg, struct mmio_access *mmio)
{
	struct per_cpu *cpu_data = this_cpu_data();
	bool root = cpu_data->cell == &root_cell;
	u32 *virt = NULL;

	switch (mmio->address) {
	case APIC_ICR:
		if (!mmio->is_write)
			break;
		send_ipi(cpu_data, mmio->value,
			 cpu_data->arch.icr_high >> APIC_ICR_DEST_SHIFT, false);
		return MMIO_HANDLED;
	case APIC_ICR_HIGH:
		virt = &cpu_data->arch.icr_high;
		break;
	case APIC_ID:
		/* the hypervisor's IPIs find the CPU by it */
		if (mmio->is_write)
			return MMIO_HANDLED;
		break;
	case APIC_LDR:
		if (mmio->is_write)
			cpu_data->arch.ldr = mmio->value;
		if (!root)
			virt = &cpu_data->arch.ldr;
		break;
	case APIC_DFR:
		if (mmio->is_write)
			cpu_data->arch.dfr = mmio->value;
		if (!root)
			virt = &cpu_data->arch.dfr;
		break;
	case APIC_SVR:
		if (mmio->is_write)
			root_svr_write(cpu_data, mmio->value);
		break;
	}
	if (virt) {
		if (mmio->is_write)
			*virt = mmio->value;
		else
			mmio->value = *virt;
		return MMIO_HANDLED;
	}
	return mmio_perform_access(lapic, mmio);
}

/*
 * The LAPIC's physical address, the same on every CPU (Linux does not
 * move it); in x2APIC mode its page is not used, nothing is trapped.
 */
static int apic_init(void)
{
	u64 base = read_msr(MSR_IA32_APIC_BASE);
	u32 eax, ebx, ecx, edx;

	if (base & APIC_BASE_EXTD)
		return 0;
	cpuid(CPUID_FEATURES, 0, &eax, &ebx, &ecx, &edx);
	tsc_deadline = ecx & CPUID_1_ECX_TSC_DEADLINE;
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

static int apic_cell_init(struct cell *cell)
{
	if (cell != &root_cell && !lapic) {
		printk("Cell \"%s\": non-root cells need the xAPIC mode, "
		       "Linux runs in x2APIC mode\n", cell->config->name);
		return -ENOSYS;
	}
	if (lapic)
		return mmio_region_register(cell, lapic_phys, PAGE_SIZE,
					    lapic_access, NULL);
	return 0;
}

static void apic_cell_exit(struct cell *cell)
{
	if (lapic)
		mmio_region_unregister(cell, lapic_phys);
}

static void apic_cell_reset(struct cell *cell)
{
}

static unsigned int apic_mmio_count_regions(struct cell *cell)
{
	return 1;
}

DEFINE_UNIT(apic);
