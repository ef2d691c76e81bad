// SPDX-License-Identifier: GPL-2.0
/*
 * Parked CPUs: a CPU that its cell turned off with PSCI CPU_OFF, that
 * failed, or that the hypervisor stopped waits in the hypervisor,
 * interrupts masked, in WFI.  SGI_HYPERVISOR wakes it to look at its
 * requests: a start (CPU_ON of its cell, cell start or reset), or the
 * hypervisor being disabled, upon which it goes to the firmware for good.
 * While parked, a CPU may change cells.
 *
 * A running CPU that the hypervisor wants stopped gets SGI_HYPERVISOR,
 * which makes it exit; it parks on its way back to the guest.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <asm/control.h>
#include <asm/el1-reset.h>
#include <asm/irqchip.h>
#include <asm/processor.h>
#include <asm/psci.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

/* DCZID_EL0: DC ZVA prohibited; log2 of its block size in words */
#define DCZID_DZP		(1UL << 4)
#define DCZID_BS_MASK		0xfUL

void arch_handle_hypervisor_sgi(void)
{
	this_cpu_data()->stats[JAILHOUSE_CPU_STAT_VMEXITS_MANAGEMENT]++;
}

void arch_wake_cpu(unsigned int cpu)
{
	irqchip_send_hypervisor_sgi(cpu);
}

bool arch_cpu_parked(unsigned int cpu)
{
	return READ_ONCE(per_cpu(cpu)->arch.psci_state) == CPU_STATE_OFF;
}

bool arch_park_requested(struct per_cpu *cpu_data)
{
	return READ_ONCE(cpu_data->arch.park_requested);
}

bool arch_request_park(unsigned int cpu)
{
	struct per_cpu *cpu_data = per_cpu(cpu);
	bool parked, kick = false;

	spin_lock(&cpu_data->arch.control_lock);
	parked = cpu_data->arch.psci_state == CPU_STATE_OFF;
	if (!parked && !cpu_data->arch.park_requested) {
		cpu_data->arch.park_requested = true;
		kick = true;
	}
	spin_unlock(&cpu_data->arch.control_lock);

	if (kick)
		arch_wake_cpu(cpu);
	/* the SGI may not get through to a direct cell: each call again */
	if (!parked && READ_ONCE(cpu_data->arch.direct))
		arch_cell_revoke_stage2(cpu_data->cell);
	return parked;
}

/*
 * Direct delivery (Documentation/direct-irqs.md): the CPU's physical
 * interrupts go to its cell at EL1, its FIQs (the hypervisor's SGI) and
 * its WFIs come here.
 */
static void cpu_set_direct(struct per_cpu *cpu_data, bool on)
{
	u64 hcr;

	if (cpu_data->arch.direct == on)
		return;
	arm_read_sysreg(HCR_EL2, hcr);
	hcr = on ? (hcr & ~HCR_IMO) | HCR_TWI : (hcr | HCR_IMO) & ~HCR_TWI;
	arm_write_sysreg(HCR_EL2, hcr);
	irqchip_cpu_direct(cpu_data, on);
	WRITE_ONCE(cpu_data->arch.direct, on);
	isb();
}

bool arch_cell_all_parked(struct cell *cell)
{
	unsigned int cpu;

	for_each_cpu(cpu, cell)
		if (READ_ONCE(per_cpu(cpu)->arch.psci_state) != CPU_STATE_OFF)
			return false;
	return true;
}

int arch_cpu_assign(unsigned int cpu, const struct cell *from,
		    struct cell *to)
{
	struct per_cpu *cpu_data = per_cpu(cpu);
	int err = -EBUSY;

	spin_lock(&cpu_data->arch.control_lock);
	if (cpu_data->cell == from &&
	    cpu_data->arch.psci_state == CPU_STATE_OFF) {
		cpu_data->cell = to;
		err = 0;
	}
	spin_unlock(&cpu_data->arch.control_lock);
	return err;
}

void arch_cpu_start(unsigned int cpu, unsigned long entry)
{
	struct per_cpu *cpu_data = per_cpu(cpu);
	bool start;

	spin_lock(&cpu_data->arch.control_lock);
	start = !READ_ONCE(cpu_data->cell->stopping);
	if (start) {
		cpu_data->arch.psci_entry = entry;
		cpu_data->arch.psci_context = 0;
		cpu_data->arch.psci_state = CPU_STATE_ON_PENDING;
	}
	spin_unlock(&cpu_data->arch.control_lock);

	if (start)
		arch_wake_cpu(cpu);
}

/*
 * The state PSCI CPU_ON promises at the entry point (DEN 0022, 6.4.3), in
 * the cell the CPU belongs to now: its stage 2, no translations, virtual
 * interrupts, or EL1/EL0 register contents of the CPU's former life.
 */
void arch_cpu_restart(struct trap_context *ctx, unsigned long entry,
		      unsigned long context)
{
	struct per_cpu *cpu_data = this_cpu_data();

	memset(ctx->regs, 0, sizeof(ctx->regs));
	ctx->regs[0] = context;
	ctx->elr = entry;
	ctx->spsr = PSR_MODE_EL1h | PSR_DAIF_MASK;

	arch_cell_load_stage2(cpu_data->cell);
	arch_el1_reset();
	cpu_data->arch.debug_write_reported = false;
	/* the VMID may be a former cell's: no translation of it survives */
	asm volatile("tlbi vmalls12e1" : : : "memory");
	asm volatile("ic iallu" : : : "memory");
	dsb(nsh);
	isb();

	irqchip_cpu_reset(cpu_data);
	cpu_set_direct(cpu_data, cpu_data->cell->config->flags &
		       JAILHOUSE_CELL_DIRECT_IRQS);
}

static void __attribute__((noreturn))
leave_to_firmware(struct per_cpu *cpu_data, struct trap_context *ctx)
{
	arch_cpu_restore(cpu_data);
	arch_leave_hypervisor(cpu_data, ctx, true);
}

void arch_park_cpu(struct trap_context *ctx)
{
	struct per_cpu *cpu_data = this_cpu_data();
	struct cell *cell = cpu_data->cell;
	unsigned long entry, context;

	/* the park loop takes its interrupts, the hypervisor's SGI, at EL2 */
	cpu_set_direct(cpu_data, false);
	/* the guest's timers and counters must not fire meanwhile */
	arch_el1_quiesce();
	/*
	 * While parked, the CPU may leave its cell, which may then go with
	 * its tables: only the root cell's stay for sure.
	 */
	arch_cell_load_stage2(&root_cell);

	/* the cell's state and the CPU's together, see struct cell */
	spin_lock(&cell->lock);
	spin_lock(&cpu_data->arch.control_lock);
	cpu_data->arch.psci_state = CPU_STATE_OFF;
	cpu_data->arch.park_requested = false;
	spin_unlock(&cpu_data->arch.control_lock);
	cell_cpu_parking(cell);
	if (arch_cell_all_parked(cell))
		arch_cell_restore_stage2(cell);
	spin_unlock(&cell->lock);

	while (1) {
		if (READ_ONCE(cpu_data->shutdown_requested))
			leave_to_firmware(cpu_data, ctx);
		spin_lock(&cpu_data->arch.control_lock);
		/* the cell is stopped before a start got through */
		if (cpu_data->arch.park_requested) {
			cpu_data->arch.park_requested = false;
			cpu_data->arch.psci_state = CPU_STATE_OFF;
		}
		if (cpu_data->arch.psci_state == CPU_STATE_ON_PENDING) {
			entry = cpu_data->arch.psci_entry;
			context = cpu_data->arch.psci_context;
			cpu_data->arch.psci_state = CPU_STATE_RUNNING;
			spin_unlock(&cpu_data->arch.control_lock);
			break;
		}
		spin_unlock(&cpu_data->arch.control_lock);

		/* a pending SGI ends WFI even with interrupts masked */
		wfi();
		irqchip_handle_irq();
	}

	arch_cpu_restart(ctx, entry, context);
}

void arch_fail_cpu(struct trap_context *ctx)
{
	struct per_cpu *cpu_data = this_cpu_data();

	cell_printk(cpu_data->cell,
		    "CPU %u of cell \"%s\" stopped\n", cpu_data->cpu_id,
		    cpu_data->cell->config->name);
	cpu_data->failed = true;
	arch_park_cpu(ctx);
}

void arch_comm_region_init(struct cell *cell,
			   struct jailhouse_comm_region *comm)
{
	comm->arm.gic_version = system_config->platform_info.arm.gic_version;
	comm->arm.gicd_base = system_config->platform_info.arm.gicd_base;
	comm->arm.gicc_base = system_config->platform_info.arm.gicc_base;
	comm->arm.gicr_base = system_config->platform_info.arm.gicr_base;
	comm->arm.vpci_irq_base = cell->config->vpci_irq_base;
}

void arch_dcache_flush(const volatile void *addr, unsigned long size)
{
	unsigned long line, pos, end = (unsigned long)addr + size;
	u64 ctr;

	arm_read_sysreg(CTR_EL0, ctr);
	line = 4UL << ((ctr >> 16) & 0xf);
	for (pos = (unsigned long)addr & ~(line - 1); pos < end; pos += line)
		asm volatile("dc civac, %0" : : "r" (pos) : "memory");
	dsb(ish);
}

/* Zero a block of DC ZVA that is one cache line, and push it out. */
static inline void zero_line(unsigned long addr)
{
	asm volatile("dc zva, %0\n\tdc civac, %0" : : "r" (addr) : "memory");
}

void arch_zero_memory(void *addr, unsigned long size)
{
	unsigned long pos, line, end = (unsigned long)addr + size, zva, pos2;
	u64 dczid, ctr;

	arm_read_sysreg(DCZID_EL0, dczid);
	if (dczid & DCZID_DZP) {
		memset(addr, 0, size);
		arch_dcache_flush(addr, size);
		return;
	}
	/*
	 * DC ZVA zeroes a block in one instruction instead of one store per
	 * word, and each block's lines go out of the caches right after it
	 * (ordered behind it: the same addresses).  Blocks and lines are at
	 * most 2 KiB: a page-aligned range is whole blocks.
	 */
	arm_read_sysreg(CTR_EL0, ctr);
	zva = 4UL << (dczid & DCZID_BS_MASK);
	line = 4UL << ((ctr >> 16) & 0xf);
	/* the usual case, four at a time: a page holds 16 lines at least */
	if (zva == line) {
		for (pos = (unsigned long)addr; pos < end; pos += 4 * line) {
			zero_line(pos);
			zero_line(pos + line);
			zero_line(pos + 2 * line);
			zero_line(pos + 3 * line);
		}
		dsb(ish);
		return;
	}
	for (pos = (unsigned long)addr; pos < end; pos += zva) {
		asm volatile("dc zva, %0" : : "r" (pos) : "memory");
		for (pos2 = pos; pos2 < pos + zva; pos2 += line)
			asm volatile("dc civac, %0" : : "r" (pos2) : "memory");
	}
	dsb(ish);
}

unsigned long arch_time_us(void)
{
	u64 count, freq;

	isb();
	arm_read_sysreg(CNTPCT_EL0, count);
	arm_read_sysreg(CNTFRQ_EL0, freq);
	/* no frequency set by the firmware: a tick counts as a microsecond */
	if (!freq)
		return count;
	/* CNTFRQ_EL0 holds 32 bits: the remainder times 10^6 fits */
	return count / freq * 1000000 + count % freq * 1000000 / freq;
}

bool arch_cpu_shut_down(unsigned int cpu)
{
	return smc_call(PSCI_AFFINITY_INFO_64, per_cpu(cpu)->mpidr, 0, 0) ==
		PSCI_AFFINITY_OFF;
}
