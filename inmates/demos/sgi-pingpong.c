// SPDX-License-Identifier: GPL-2.0
/*
 * sgi-pingpong: the round trip of a software-generated interrupt between
 * two CPUs of a cell, a bench of bench/run.
 *
 * The boot CPU starts a second CPU (PSCI CPU_ON), which answers every
 * SGI_PING it takes with an SGI_PONG to the boot CPU.  The boot CPU sends
 * "count" pings, one at a time, "interval-us" apart so that the second
 * CPU is back asleep, and takes each round trip with the virtual counter:
 * from before its SGI to the first counter read of its handler of the
 * answer (as gic-demo takes a timer interrupt's lateness).  In a cell
 * both SGIs go through the hypervisor, which takes the sender's write
 * (GICv3: ICC_SGI1R_EL1, GICv2: GICD_SGIR) and injects the SGI into the
 * target CPU.
 *
 * Output, each line starting with "sgi-pingpong: ":
 *   running on NAME, GICv2|3, counter F Hz, CPU 0xA to 0xB
 *   round trip: count C, min A ns, avg B ns, median M ns, 99th P ns,
 *	max X ns
 * or what went wrong: the second CPU did not start or an answer did not
 * come within ROUND_TRIP_ANSWER_MS (lib/round-trip.c times and reports).
 *
 * Command line: cpu=MPIDR (the second CPU, the boot CPU's + 1), count=N
 * (round trips, 1000, at most MAX_SAMPLES), interval-us=N (100).
 */
#include <inmate.h>

#define SGI_PING	1
#define SGI_PONG	2

/* as many as the demo cells' 64 KiB have room for beside three stacks */
#define MAX_SAMPLES	1000

static u64 boot_mpidr, target;
static volatile u32 second_up;
static u32 samples[MAX_SAMPLES];

static void ping_handler(unsigned int irq)
{
	irq_send_sgi(boot_mpidr, SGI_PONG);
}

static void ping(void)
{
	irq_send_sgi(target, SGI_PING);
}

/* Only wakes the boot CPU from WFI to look at the time and messages */
static void timer_handler(unsigned int irq)
{
	timer_stop();
}

static void second_cpu(void)
{
	irq_enable(SGI_PING);
	second_up = 1;
	for (;;)
		wait_for_interrupt();
}

void inmate_main(void)
{
	long long count = cmdline_parse_int("count", 1000);
	u64 interval_us = cmdline_parse_int("interval-us", 100);
	u64 deadline;
	int err;

	boot_mpidr = cpu_mpidr();
	target = cmdline_parse_int("cpu", boot_mpidr + 1);
	printk("\nsgi-pingpong: running on %s, GICv%u, counter %llu Hz, "
	       "CPU 0x%llx to 0x%llx\n", platform.name, platform.gic_version,
	       timer_get_frequency(), boot_mpidr, target);
	if (count < 1 || count > MAX_SAMPLES) {
		printk("sgi-pingpong: count=%lld: not 1..%u\n", count,
		       MAX_SAMPLES);
		return;
	}

	irq_register(SGI_PING, ping_handler);
	irq_register(SGI_PONG, round_trip_pong);
	irq_register(TIMER_IRQ, timer_handler);
	irq_enable(SGI_PONG);

	local_irq_disable();
	err = smp_start_cpu(target, second_cpu);
	if (err) {
		printk("sgi-pingpong: CPU_ON of 0x%llx failed: %d\n", target,
		       err);
		return;
	}
	deadline = timer_get_ticks() +
		timer_ns_to_ticks(ROUND_TRIP_ANSWER_MS * 1000000ULL);
	timer_arm(deadline);
	if (!wait_for_u32(&second_up, 1, deadline)) {
		printk("sgi-pingpong: CPU 0x%llx did not come up\n", target);
		return;
	}

	round_trips("sgi-pingpong", ping, samples, count, interval_us);
}
