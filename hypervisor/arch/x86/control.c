// SPDX-License-Identifier: GPL-2.0
/*
 * Cells' CPUs, time, caches and device access on x86.
 *
 * Parking and handing CPUs between cells (INIT/SIPI for the CPUs of
 * non-root cells) is not there yet: non-root cells are refused at
 * creation (arch_cell_create()), so no CPU ever parks and the park
 * requests below are never reached with a CPU to park.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <asm/processor.h>

/* ACPI PM timer: 3.579545 MHz, 24 bits counted (32 on some chipsets) */
#define PM_TIMER_HZ		3579545U
#define PM_TIMER_MASK		0x00ffffffU

/* Cache line size of every x86-64 CPU this runs on (CLFLUSH). */
#define CACHE_LINE_SIZE		64

/* TSC kHz: the system config's, or measured against the PM timer. */
static u32 tsc_khz;

static u32 pm_timer_read(u16 port)
{
	u32 v;

	asm volatile("inl %w1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

/* No CPU parks on x86 yet: every CPU runs its cell. */
bool arch_cpu_parked(unsigned int cpu)
{
	return false;
}

bool arch_park_requested(struct per_cpu *cpu_data)
{
	return false;
}

/* Unreachable without non-root cells; says so if that ever changes. */
static void __attribute__((noreturn)) no_parking(const char *what)
{
	panic_printk("FATAL: %s: CPU parking not implemented on x86\n", what);
	panic_stop();
}

bool arch_request_park(unsigned int cpu)
{
	no_parking("park request");
}

int arch_cpu_assign(unsigned int cpu, const struct cell *from,
		    struct cell *to)
{
	return -EBUSY;
}

void arch_cpu_start(unsigned int cpu, unsigned long entry)
{
	no_parking("CPU start");
}

void arch_wake_cpu(unsigned int cpu)
{
	no_parking("CPU wake-up");
}

void arch_shutdown_parked_cpu(unsigned int cpu)
{
	no_parking("shutdown of a parked CPU");
}

void arch_comm_region_init(struct cell *cell,
			   struct jailhouse_comm_region *comm)
{
	comm->x86.pm_timer_address =
		system_config->platform_info.x86.pm_timer_address;
	comm->x86.num_cpus = cell->num_cpus;
	comm->x86.tsc_khz = tsc_khz;
	comm->x86.apic_khz = system_config->platform_info.x86.apic_khz;
}

/**
 * x86_time_init() - the TSC frequency for arch_time_us()
 *
 * The config's tsc_khz if set, else 10 ms of the ACPI PM timer (3.579545
 * MHz, at least 24 bits) at the config's pm_timer_address.
 *
 * Return: 0, or -EINVAL with neither (said why).
 */
int x86_time_init(void)
{
	u16 port = system_config->platform_info.x86.pm_timer_address;
	u32 start, now;
	u64 tsc;

	tsc_khz = system_config->platform_info.x86.tsc_khz;
	if (tsc_khz)
		return 0;
	if (!port) {
		printk("System config: neither tsc_khz nor pm_timer_address "
		       "set, no time base\n");
		return -EINVAL;
	}
	start = pm_timer_read(port);
	tsc = read_tsc();
	do
		now = pm_timer_read(port);
	while (((now - start) & PM_TIMER_MASK) < PM_TIMER_HZ / 100);
	tsc = read_tsc() - tsc;
	/* ticks of the PM timer actually waited, to kHz */
	tsc_khz = tsc * (PM_TIMER_HZ / 1000) / ((now - start) & PM_TIMER_MASK);
	printk("TSC: %u kHz\n", tsc_khz);
	return 0;
}

unsigned long arch_time_us(void)
{
	return read_tsc() * 1000 / tsc_khz;
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

/* Interrupts of virtual PCI devices need the APIC virtualization. */
bool arch_vpci_intx_owned(struct cell *cell, unsigned int pin)
{
	return false;
}

/* Unreachable: pci.c refuses INTx devices, as the cell owns no pin. */
void arch_vpci_raise_intx(struct cell *cell, unsigned int pin)
{
}

bool arch_vpci_raise_msi(struct cell *cell, u64 address, u32 data)
{
	return false;
}
