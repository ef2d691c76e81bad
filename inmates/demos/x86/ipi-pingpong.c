// SPDX-License-Identifier: GPL-2.0
/*
 * ipi-pingpong: the round trip of an interprocessor interrupt between two
 * CPUs of a cell, the x86 counterpart of sgi-pingpong.
 *
 * The boot CPU starts a second CPU (INIT, SIPI), which answers every
 * PING_VECTOR IPI it takes with a PONG_VECTOR IPI to the boot CPU.  The
 * boot CPU sends "count" pings, one at a time, "interval-us" apart so
 * that the second CPU is back asleep, and takes each round trip with the
 * TSC: from before its IPI to the first TSC read of its handler of the
 * answer.  In a cell both IPIs go through the hypervisor, which takes the
 * sender's ICR write (xAPIC: MMIO, x2APIC: MSR) and injects the interrupt
 * into the target CPU.
 *
 * Output, each line starting with "ipi-pingpong: ":
 *   running on NAME, xAPIC|x2APIC, counter F Hz, APIC ID A to B
 *   round trip: count C, min A ns, avg B ns, median M ns, 99th P ns,
 *	max X ns
 * or what went wrong: the second CPU did not start or an answer did not
 * come within ROUND_TRIP_ANSWER_MS (lib/round-trip.c times and reports).
 *
 * Command line: cpu=APIC_ID (the second CPU, the boot CPU's + 1),
 * count=N (round trips, 1000, at most MAX_SAMPLES), interval-us=N (100).
 */
#include <inmate.h>

#define PING_VECTOR	0x31
#define PONG_VECTOR	0x32

/* the bss below the image has room for more than sgi-pingpong's 1000 */
#define MAX_SAMPLES	10000

static u32 boot_apic_id, target;
static u32 samples[MAX_SAMPLES];

static void ping_handler(unsigned int vector)
{
	irq_send_ipi(boot_apic_id, PONG_VECTOR);
}

static void ping(void)
{
	irq_send_ipi(target, PING_VECTOR);
}

/* Only wakes the boot CPU from HLT to look at the time and messages */
static void timer_handler(unsigned int vector)
{
	timer_stop();
}

static void second_cpu(void)
{
	for (;;)
		wait_for_interrupt();
}

void inmate_main(void)
{
	long long count = cmdline_parse_int("count", 1000);
	u64 interval_us = cmdline_parse_int("interval-us", 100);
	int err;

	boot_apic_id = cpu_apic_id();
	target = cmdline_parse_int("cpu", boot_apic_id + 1);
	printk("\nipi-pingpong: running on %s, %s, counter %llu Hz, "
	       "APIC ID %u to %u\n", platform.name,
	       platform.x2apic ? "x2APIC" : "xAPIC", timer_get_frequency(),
	       boot_apic_id, target);
	if (count < 1 || count > MAX_SAMPLES) {
		printk("ipi-pingpong: count=%lld: not 1..%u\n", count,
		       MAX_SAMPLES);
		return;
	}

	irq_register(PING_VECTOR, ping_handler);
	irq_register(PONG_VECTOR, round_trip_pong);
	irq_register(TIMER_VECTOR, timer_handler);

	local_irq_disable();
	err = smp_start_cpu(target, second_cpu);
	if (err) {
		printk("ipi-pingpong: CPU with APIC ID %u did not come up "
		       "(%d)\n", target, err);
		return;
	}

	round_trips("ipi-pingpong", ping, samples, count, interval_us);
}
