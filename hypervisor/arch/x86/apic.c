// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC of x86 cells: its page (xAPIC mode), trapped in every
 * cell.  The IOAPICs are ioapic.c's.
 *
 * For now only the root cell exists (non-root cells are refused at
 * creation, paging.c), and it owns every CPU, so its accesses are carried
 * out on the device as they are, but for INIT and SIPI: a CPU that took
 * INIT would leave the hypervisor, so the hypervisor emulates both for the
 * CPUs of the cell (CPU hot-plug of the root).  Filtering comes with the
 * non-root cells: IPIs of the ICR to the cell's CPUs only
 * (Documentation/x86.md, "Left to do").
 */
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/unit.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define MSR_IA32_APIC_BASE	0x0000001b
#define MSR_X2APIC_ID		0x00000802
#define MSR_X2APIC_LDR		0x0000080d
#define MSR_X2APIC_ICR		0x00000830
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ULL
#define APIC_BASE_EXTD		(1ULL << 10)	/* x2APIC mode */

/* xAPIC registers and ICR fields */
#define APIC_ID			0x020
#define APIC_ID_SHIFT		24
#define APIC_LDR		0x0d0
#define APIC_DFR		0x0e0
#define APIC_ICR		0x300
#define APIC_ICR_HIGH		0x310
#define APIC_ICR_DEST_SHIFT	24
#define APIC_ICR_VECTOR		0x000000ffU
#define APIC_ICR_DM_MASK	0x00000700U
#define APIC_ICR_DM_NMI		0x00000400U
#define APIC_ICR_DM_INIT	0x00000500U
#define APIC_ICR_DM_STARTUP	0x00000600U
#define APIC_ICR_DEST_LOGICAL	0x00000800U
#define APIC_ICR_ASSERT		0x00004000U
#define APIC_ICR_SHORTHAND	0x000c0000U

static unsigned long lapic_phys;
static void *lapic;

void x86_apic_send_nmi(u32 apic_id)
{
	u32 icr_high;

	if (!lapic) {
		write_msr(MSR_X2APIC_ICR,
			  ((u64)apic_id << 32) | APIC_ICR_DM_NMI);
		return;
	}
	/* the guest may be between its writes of the two halves */
	icr_high = mmio_read32(lapic + APIC_ICR_HIGH);
	mmio_write32(lapic + APIC_ICR_HIGH, apic_id << APIC_ICR_DEST_SHIFT);
	mmio_write32(lapic + APIC_ICR, APIC_ICR_DM_NMI);
	mmio_write32(lapic + APIC_ICR_HIGH, icr_high);
}

/*
 * The calling CPU's APIC ID, for the IPIs of the hypervisor and cells, and
 * its logical destination for the IOAPIC's (ioapic.c).  In x2APIC mode an
 * IOAPIC's 8-bit logical destination has no defined meaning: the LDR and
 * DFR are taken as all ones, matching every logical destination, which
 * only a cell with all CPUs may then use.
 */
void x86_apic_cpu_init(struct per_cpu *cpu_data)
{
	if (lapic) {
		cpu_data->arch.apic_id =
			mmio_read32(lapic + APIC_ID) >> APIC_ID_SHIFT;
		cpu_data->arch.apic_ldr = mmio_read32(lapic + APIC_LDR);
		cpu_data->arch.apic_dfr = mmio_read32(lapic + APIC_DFR);
	} else {
		cpu_data->arch.apic_id = read_msr(MSR_X2APIC_ID);
		cpu_data->arch.apic_ldr = ~0U;
		cpu_data->arch.apic_dfr = ~0U;
	}
}

static int cell_cpu_of_apic(struct cell *cell, u32 apic_id)
{
	unsigned int cpu;

	for_each_cpu(cpu, cell)
		if (per_cpu(cpu)->arch.apic_id == apic_id)
			return cpu;
	return -1;
}

/*
 * INIT and SIPI of an ICR write: the target, a CPU of the cell, takes
 * INIT at its next exit, which the hypervisor's NMI makes happen, and
 * waits for the SIPI's vector there (svm.c).  INIT de-assert means
 * nothing to a CPU of this century.
 */
static void init_sipi(struct cell *cell, u32 icr)
{
	int vector = -1, cpu;
	struct per_cpu *target;

	if (icr & (APIC_ICR_SHORTHAND | APIC_ICR_DEST_LOGICAL)) {
		printk("Cell \"%s\": INIT or SIPI by shorthand or logical "
		       "destination (ICR 0x%x) ignored\n", cell->config->name,
		       icr);
		return;
	}
	cpu = cell_cpu_of_apic(cell, mmio_read32(lapic + APIC_ICR_HIGH) >>
			       APIC_ICR_DEST_SHIFT);
	if (cpu < 0)
		return;
	target = per_cpu(cpu);

	if ((icr & APIC_ICR_DM_MASK) == APIC_ICR_DM_INIT) {
		if (!(icr & APIC_ICR_ASSERT))
			return;
		__atomic_store_n(&target->arch.sipi_vector, -1,
				 __ATOMIC_SEQ_CST);
		__atomic_store_n(&target->arch.wait_for_sipi, true,
				 __ATOMIC_SEQ_CST);
		__atomic_store_n(&target->arch.init_pending, true,
				 __ATOMIC_SEQ_CST);
		vcpu_kick(cpu);
	} else if (__atomic_load_n(&target->arch.wait_for_sipi,
				   __ATOMIC_SEQ_CST)) {
		/* the first SIPI counts, the second finds it started */
		__atomic_compare_exchange_n(&target->arch.sipi_vector,
					    &vector, icr & APIC_ICR_VECTOR,
					    false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
	}
}

static enum mmio_result lapic_access(void *arg, struct mmio_access *mmio)
{
	struct cell *cell = arg;
	u32 mode = mmio->value & APIC_ICR_DM_MASK;

	if (mmio->is_write && mmio->address == APIC_ICR &&
	    (mode == APIC_ICR_DM_INIT || mode == APIC_ICR_DM_STARTUP)) {
		init_sipi(cell, mmio->value);
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

static int apic_cell_init(struct cell *cell)
{
	if (lapic)
		return mmio_region_register(cell, lapic_phys, PAGE_SIZE,
					    lapic_access, cell);
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
