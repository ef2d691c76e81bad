// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Time: the TSC counts, the local APIC timer interrupts (TIMER_VECTOR),
 * the ACPI PM timer calibrates.
 *
 * The TSC's frequency is the comm region's tsc_khz, else measured against
 * the PM timer; so is the APIC timer's (apic_khz).  The APIC timer runs
 * one-shot, its count converted from the TSC deadline, or, with
 * "tsc-deadline" on the command line and a CPU that has it, in TSC-deadline
 * mode.  Either way its interrupt reaches the program only once the TSC
 * has reached the deadline: one that comes early (the two clocks round
 * differently) is re-armed for the rest.  delay_us() and the conversions
 * to ns are in delay.c.
 */
#include "lib.h"

#define APIC_LVT_MASKED		(1 << 16)
#define APIC_LVT_TSC_DEADLINE	(2 << 17)
#define APIC_TDCR_DIV_1		0x0b

/* How long a calibration measures: 10 ms of PM timer ticks */
#define CALIBRATION_PM_TICKS	(PM_TIMER_HZ / 100)
/* Reads of a PM timer that does not change: it does not count */
#define PM_TIMER_STUCK_READS	1000000

static u64 tsc_hz, apic_hz;

/* per CPU: the armed deadline, 0 if none */
static volatile u64 armed[MAX_CPUS];

u32 pm_timer_read(void)
{
	if (!platform.pm_timer_address)
		return 0;
	return inl(platform.pm_timer_address);
}

/*
 * The TSC's and the APIC timer's (divider 1) counts over at least
 * CALIBRATION_PM_TICKS, in kHz.  The PM timer's count at the end divides,
 * as the CPU may be late to see that time is up (a busy host under QEMU).
 * Returns 0, or -ENODEV if the PM timer does not count.
 */
static int calibrate(u32 *tsc_khz, u32 *apic_khz)
{
	unsigned int reads = 0;
	u64 tsc_start, tsc_end;
	u32 start, end, left;

	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | TIMER_VECTOR);
	apic_write(APIC_TDCR, APIC_TDCR_DIV_1);

	/* start at a tick's edge */
	start = pm_timer_read();
	while (pm_timer_read() == start)
		if (++reads == PM_TIMER_STUCK_READS) {
			printk("Timer: the PM timer at port 0x%x does not "
			       "count\n", platform.pm_timer_address);
			return -ENODEV;
		}
	start = pm_timer_read();
	apic_write(APIC_TMICT, 0xffffffff);
	tsc_start = rdtsc();
	do {
		end = (pm_timer_read() - start) & PM_TIMER_MASK;
	} while (end < CALIBRATION_PM_TICKS);
	tsc_end = rdtsc();
	left = apic_read(APIC_TMCCT);
	end = (pm_timer_read() - start) & PM_TIMER_MASK;
	apic_write(APIC_TMICT, 0);

	*tsc_khz = (tsc_end - tsc_start) * PM_TIMER_HZ / end / 1000;
	*apic_khz = (u64)(0xffffffff - left) * PM_TIMER_HZ / end / 1000;
	return 0;
}

/**
 * timer_init() - The frequencies, on the boot CPU.
 *
 * Return: 0, or -ENODEV if a frequency is unknown and there is no PM
 * timer to measure it, or it does not count.
 */
int timer_init(void)
{
	u32 tsc_khz = 0, apic_khz = 0;
	int err;

	if (!platform.tsc_khz || !platform.apic_khz) {
		if (!platform.pm_timer_address) {
			printk("Timer: no TSC or APIC timer frequency and no "
			       "PM timer to measure it\n");
			return -ENODEV;
		}
		err = calibrate(&tsc_khz, &apic_khz);
		if (err)
			return err;
	}
	if (!platform.tsc_khz)
		platform.tsc_khz = tsc_khz;
	if (!platform.apic_khz)
		platform.apic_khz = apic_khz;
	tsc_hz = platform.tsc_khz * 1000ULL;
	apic_hz = platform.apic_khz * 1000ULL;

	platform.tsc_deadline = cmdline_parse_bool("tsc-deadline", false) &&
		(cpuid(1, 0).ecx & CPUID1_ECX_TSC_DEADLINE);
	return 0;
}

/* On every CPU: the APIC timer stopped, in its mode, at TIMER_VECTOR */
void timer_cpu_init(void)
{
	armed[this_cpu_index()] = 0;
	if (platform.tsc_deadline) {
		apic_write(APIC_LVT_TIMER,
			   APIC_LVT_TSC_DEADLINE | TIMER_VECTOR);
		write_msr(MSR_IA32_TSC_DEADLINE, 0);
	} else {
		apic_write(APIC_TDCR, APIC_TDCR_DIV_1);
		apic_write(APIC_LVT_TIMER, TIMER_VECTOR);
		apic_write(APIC_TMICT, 0);
	}
}

const char *timer_mode_name(void)
{
	return platform.tsc_deadline ? "TSC-deadline" : "one-shot";
}

u64 timer_get_frequency(void)
{
	return tsc_hz;
}

u64 timer_get_ticks(void)
{
	return rdtsc();
}

/* The APIC timer's count for @ticks of the TSC, rounded up, at least 1 */
static u32 apic_count(u64 ticks)
{
	u64 count = ticks / tsc_hz * apic_hz +
		(ticks % tsc_hz * apic_hz + tsc_hz - 1) / tsc_hz;

	if (count == 0)
		return 1;
	return count > 0xffffffff ? 0xffffffff : count;
}

static void timer_program(u64 deadline)
{
	u64 now;

	if (platform.tsc_deadline) {
		write_msr(MSR_IA32_TSC_DEADLINE, deadline);
		return;
	}
	now = rdtsc();
	apic_write(APIC_TMICT, apic_count(deadline > now ? deadline - now :
					  0));
}

/**
 * timer_arm() - Interrupt TIMER_VECTOR on this CPU once the TSC reaches
 *		 a value.
 * @deadline:	TSC value (timer_get_ticks())
 */
void timer_arm(u64 deadline)
{
	armed[this_cpu_index()] = deadline;
	timer_program(deadline);
}

void timer_stop(void)
{
	armed[this_cpu_index()] = 0;
	if (platform.tsc_deadline)
		write_msr(MSR_IA32_TSC_DEADLINE, 0);
	else
		apic_write(APIC_TMICT, 0);
}

/**
 * timer_handle_irq() - The library's part of a TIMER_VECTOR interrupt.
 *
 * Return: true if it is the library's: it came before the deadline (and
 * the timer is armed again for the rest), or it ends a delay_us(); false
 * if it is the program's.
 */
bool timer_handle_irq(void)
{
	unsigned int cpu = this_cpu_index();

	if (armed[cpu] && rdtsc() < armed[cpu]) {
		timer_program(armed[cpu]);
		return true;
	}
	armed[cpu] = 0;
	return timer_end_delay();
}
