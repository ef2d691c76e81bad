// SPDX-License-Identifier: GPL-2.0
/*
 * Cells' CPUs, caches and device access on x86.
 *
 * A parked CPU waits in the hypervisor, outside any guest, halted with GIF
 * set so that the hypervisor's NMI (vcpu_kick()) wakes it to look at its
 * requests: a start (cell start, or its cell's SIPI after an INIT) in real
 * mode, or the end of the hypervisor.  CPUs park when the hypervisor stops
 * their cell, when their cell sends them INIT, when they fail, and when
 * Linux takes a root CPU offline (its halt with interrupts off, svm.c).
 * While parked, a CPU may change cells; its guest state is made anew when
 * it starts (vcpu_reset()).
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>
#include <asm/control.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/vcpu.h>

/* Cache line size of every x86-64 CPU this runs on (CLFLUSH). */
#define CACHE_LINE_SIZE		64

/* The reset vector of a cell's CPUs: 0xf000:0xfff0, physical 0xffff0. */
#define RESET_CS		0xf000
#define RESET_IP		0xfff0

/*
 * How long a root CPU that Linux is taking offline may take to reach its
 * final halt.
 */
#define DYING_TIMEOUT_US	1000000

bool arch_cpu_parked(unsigned int cpu)
{
	return READ_ONCE(per_cpu(cpu)->arch.parked);
}

bool arch_park_requested(struct per_cpu *cpu_data)
{
	return READ_ONCE(cpu_data->arch.park_requested);
}

/*
 * Kicks (vcpu_kick()) are sent under the target's control_lock and have
 * reached the target when vcpu_kick() returns: a parked CPU that takes a
 * start under that lock has every earlier kick pending and drops it before
 * its guest runs (vcpu_reset()), and every later one finds it running and
 * makes it exit.  A kick sent after the start was taken but arriving in
 * the new guest would otherwise look like an NMI of the guest's own and
 * be injected: in the real-mode trampoline of a CPU that Linux brings
 * online that is a triple fault (its IDT is empty there).
 */
void arch_wake_cpu(unsigned int cpu)
{
	struct per_cpu *cpu_data = per_cpu(cpu);

	spin_lock(&cpu_data->arch.control_lock);
	vcpu_kick(cpu);
	spin_unlock(&cpu_data->arch.control_lock);
}

bool arch_request_park(unsigned int cpu)
{
	struct per_cpu *cpu_data = per_cpu(cpu);
	bool parked;

	spin_lock(&cpu_data->arch.control_lock);
	parked = cpu_data->arch.parked;
	if (!parked && !cpu_data->arch.park_requested) {
		cpu_data->arch.park_requested = true;
		vcpu_kick(cpu);
	}
	spin_unlock(&cpu_data->arch.control_lock);
	return parked;
}

static int try_assign(struct per_cpu *cpu_data, const struct cell *from,
		      struct cell *to, bool *dying)
{
	int err = -EBUSY;

	spin_lock(&cpu_data->arch.control_lock);
	if (cpu_data->cell == from && cpu_data->arch.parked) {
		cpu_data->cell = to;
		/* the new owner starts it, none of the old one's INITs */
		cpu_data->arch.wait_for_sipi = false;
		cpu_data->arch.start_pending = false;
		err = 0;
	}
	*dying = cpu_data->arch.dying;
	spin_unlock(&cpu_data->arch.control_lock);
	return err;
}

/*
 * A root CPU that Linux just took offline may still be on its way to its
 * final halt, where it parks: it gets a moment.
 */
int arch_cpu_assign(unsigned int cpu, const struct cell *from,
		    struct cell *to)
{
	struct per_cpu *cpu_data = per_cpu(cpu);
	unsigned long start = arch_time_us();
	bool dying;
	int err;

	while ((err = try_assign(cpu_data, from, to, &dying)) && dying &&
	       arch_time_us() - start < DYING_TIMEOUT_US)
		cpu_relax();
	return err;
}

/* x86 CPUs start at the reset vector: @entry is not used. */
void arch_cpu_start(unsigned int cpu, unsigned long entry)
{
	struct per_cpu *cpu_data = per_cpu(cpu);

	spin_lock(&cpu_data->arch.control_lock);
	if (!READ_ONCE(cpu_data->cell->stopping)) {
		cpu_data->arch.start_cs = RESET_CS;
		cpu_data->arch.start_ip = RESET_IP;
		cpu_data->arch.start_pending = true;
		vcpu_kick(cpu);
	}
	spin_unlock(&cpu_data->arch.control_lock);
}

/**
 * x86_cpu_init_sipi() - INIT or SIPI of a cell to one of its CPUs
 * @cpu:	the target, a CPU of the sender's cell
 * @sipi:	true for a SIPI, false for INIT
 * @vector:	the SIPI's vector: the CPU starts at @vector << 12
 *
 * INIT parks the CPU (at its next exit, which the kick makes happen) and
 * makes it wait for a SIPI, whose first one starts it; a SIPI without INIT
 * before, or to a CPU of a stopping cell, is lost, as the hardware loses a
 * SIPI to a CPU not waiting for one.  Both are lost on a failed CPU: it
 * stays parked until its cell is started again (as PSCI CPU_ON is denied
 * on arm64), so that a cell cannot fail and restart a CPU of its own in a
 * loop.
 */
void x86_cpu_init_sipi(unsigned int cpu, bool sipi, u8 vector)
{
	struct per_cpu *target = per_cpu(cpu);

	spin_lock(&target->arch.control_lock);
	if (READ_ONCE(target->failed))
		goto out;
	if (!sipi) {
		target->arch.wait_for_sipi = true;
		target->arch.start_pending = false;
		if (!target->arch.parked && !target->arch.park_requested) {
			target->arch.park_requested = true;
			vcpu_kick(cpu);
		}
	} else if (target->arch.wait_for_sipi &&
		   !READ_ONCE(target->cell->stopping)) {
		target->arch.wait_for_sipi = false;
		target->arch.start_cs = (u16)vector << 8;
		target->arch.start_ip = 0;
		target->arch.start_pending = true;
		vcpu_kick(cpu);
	}
out:
	spin_unlock(&target->arch.control_lock);
}

/*
 * Leave the hypervisor for good on disable: SVM off, halted with
 * interrupts off where only INIT, Linux's way to bring the CPU online
 * again, gets it out.
 */
static void __attribute__((noreturn)) shut_down_cpu(struct per_cpu *cpu_data)
{
	arch_cpu_restore(cpu_data);
	WRITE_ONCE(cpu_data->arch.shut_down, true);
	while (1)
		wfi();
}

/**
 * x86_park_cpu() - park the calling CPU until it starts anew
 * @cpu_data:	the calling CPU, out of its guest
 * @regs:	its guest registers
 *
 * Return: once the CPU is to start, its guest state reset for the start
 * (in the cell it belongs to by then).
 */
void x86_park_cpu(struct per_cpu *cpu_data, struct guest_regs *regs)
{
	struct cell *cell = cpu_data->cell;
	u16 cs, ip;

	/* the guest's timer must not fire into the next owner */
	x86_apic_quiesce();

	/* the cell's state and the CPU's together, see struct cell */
	spin_lock(&cell->lock);
	spin_lock(&cpu_data->arch.control_lock);
	cpu_data->arch.parked = true;
	cpu_data->arch.park_requested = false;
	cpu_data->arch.dying = false;
	/* a start that came before the cell began to stop does not count */
	if (cell->stopping) {
		cpu_data->arch.start_pending = false;
		cpu_data->arch.wait_for_sipi = false;
	}
	spin_unlock(&cpu_data->arch.control_lock);
	cell_cpu_parking(cell);
	spin_unlock(&cell->lock);

	while (1) {
		if (READ_ONCE(cpu_data->shutdown_requested))
			shut_down_cpu(cpu_data);
		spin_lock(&cpu_data->arch.control_lock);
		/* the cell is stopped before a start got through */
		if (cpu_data->arch.park_requested) {
			cpu_data->arch.park_requested = false;
			if (READ_ONCE(cpu_data->cell->stopping))
				cpu_data->arch.start_pending = false;
		}
		if (cpu_data->arch.start_pending) {
			cpu_data->arch.start_pending = false;
			cpu_data->arch.parked = false;
			/*
			 * Every kick so far is pending here, dropped before
			 * the guest runs (arch_wake_cpu()); later ones set the
			 * flag anew.
			 */
			WRITE_ONCE(cpu_data->arch.nmi_kick, false);
			cs = cpu_data->arch.start_cs;
			ip = cpu_data->arch.start_ip;
			spin_unlock(&cpu_data->arch.control_lock);
			break;
		}
		spin_unlock(&cpu_data->arch.control_lock);
		vcpu_wait_kick();
	}

	/* what other CPUs unmapped while it was parked (tlb.c) */
	x86_hv_tlb_sync(&cpu_data->arch.hv_generation);
	vcpu_reset(cpu_data, regs, cs, ip);
}

/**
 * x86_fail_cpu() - stop the calling CPU's guest for good
 * @cpu_data:	the calling CPU, out of its guest
 * @regs:	its guest registers
 *
 * The CPU parks as failed: its cell fails once all its CPUs are parked.
 * The caller reported why.
 */
void x86_fail_cpu(struct per_cpu *cpu_data, struct guest_regs *regs)
{
	cell_printk(cpu_data->cell,
		    "CPU %u of cell \"%s\" stopped\n", cpu_data->cpu_id,
		    cpu_data->cell->config->name);
	cpu_data->failed = true;
	x86_park_cpu(cpu_data, regs);
}

bool arch_cpu_shut_down(unsigned int cpu)
{
	return READ_ONCE(per_cpu(cpu)->arch.shut_down);
}

void arch_comm_region_init(struct cell *cell,
			   struct jailhouse_comm_region *comm)
{
	comm->x86.pm_timer_address =
		system_config->platform_info.x86.pm_timer_address;
	comm->x86.num_cpus = cell->num_cpus;
	comm->x86.tsc_khz = x86_tsc_khz();
	comm->x86.apic_khz = system_config->platform_info.x86.apic_khz;
}

void arch_dcache_flush(const volatile void *addr, unsigned long size)
{
	unsigned long pos = (unsigned long)addr & ~(CACHE_LINE_SIZE - 1UL);
	unsigned long end = (unsigned long)addr + size;

	asm volatile("mfence" : : : "memory");
	for (; pos < end; pos += CACHE_LINE_SIZE)
		asm volatile("clflush (%0)" : : "r" (pos) : "memory");
	asm volatile("mfence" : : : "memory");
}

void arch_zero_memory(void *addr, unsigned long size)
{
	memset(addr, 0, size);
	arch_dcache_flush(addr, size);
}

/* An access to nothing reads all ones on x86: there is no abort. */
enum mmio_result arch_mmio_access(void *addr, struct mmio_access *mmio)
{
	volatile void *reg = addr;

	if (mmio->is_write) {
		switch (mmio->size) {
		case 1:
			*(volatile u8 *)reg = mmio->value;
			break;
		case 2:
			*(volatile u16 *)reg = mmio->value;
			break;
		case 4:
			*(volatile u32 *)reg = mmio->value;
			break;
		default:
			*(volatile u64 *)reg = mmio->value;
		}
	} else {
		switch (mmio->size) {
		case 1:
			mmio->value = *(volatile u8 *)reg;
			break;
		case 2:
			mmio->value = *(volatile u16 *)reg;
			break;
		case 4:
			mmio->value = *(volatile u32 *)reg;
			break;
		default:
			mmio->value = *(volatile u64 *)reg;
		}
	}
	return MMIO_HANDLED;
}

/*
 * Virtual PCI devices interrupt by MSI-X on x86 (apic.c): the IOAPIC pins
 * are the physical devices', none is free for a virtual INTx.
 */
bool arch_vpci_intx_owned(struct cell *cell, unsigned int pin)
{
	return false;
}

/* Unreachable: pci.c refuses INTx devices, as the cell owns no pin. */
void arch_vpci_raise_intx(struct cell *cell, unsigned int pin)
{
}
