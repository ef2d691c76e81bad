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
 * come within ANSWER_MS.
 *
 * Command line: cpu=APIC_ID (the second CPU, the boot CPU's + 1),
 * count=N (round trips, 1000, at most MAX_SAMPLES), interval-us=N (100).
 */
#include <inmate.h>

#define PING_VECTOR	0x31
#define PONG_VECTOR	0x32

/* the bss below the image has room for more than sgi-pingpong's 1000 */
#define MAX_SAMPLES	10000
/* Far more than a round trip takes, even in QEMU without -icount */
#define ANSWER_MS	1000

static u32 boot_apic_id;
static volatile u32 pongs;
static volatile u64 pong_ticks;
static u32 samples[MAX_SAMPLES];

static void ping_handler(unsigned int vector)
{
	irq_send_ipi(boot_apic_id, PONG_VECTOR);
}

static void pong_handler(unsigned int vector)
{
	pong_ticks = timer_get_ticks();
	pongs++;
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

/*
 * Sleep with interrupts masked until *@word is @value or the TSC passes
 * @deadline (armed in the timer by the caller); return whether the value
 * came.
 */
static bool wait_for(volatile u32 *word, u32 value, u64 deadline)
{
	while (*word != value) {
		if (timer_get_ticks() >= deadline)
			return false;
		wait_for_interrupt();
		comm_region_poll();
	}
	return true;
}

void inmate_main(void)
{
	long long count = cmdline_parse_int("count", 1000);
	u64 interval_us = cmdline_parse_int("interval-us", 100);
	u64 answer, deadline, start, sum = 0;
	unsigned int n;
	u32 target;
	int err;

	boot_apic_id = cpu_apic_id();
	target = cmdline_parse_int("cpu", boot_apic_id + 1);
	answer = timer_ns_to_ticks(ANSWER_MS * 1000000ULL);
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
	irq_register(PONG_VECTOR, pong_handler);
	irq_register(TIMER_VECTOR, timer_handler);

	local_irq_disable();
	err = smp_start_cpu(target, second_cpu);
	if (err) {
		printk("ipi-pingpong: CPU with APIC ID %u did not come up "
		       "(%d)\n", target, err);
		return;
	}

	for (n = 0; n < count; n++) {
		/* the timer only bounds the wait, armed outside the trip */
		deadline = timer_get_ticks() + answer;
		timer_arm(deadline);
		start = timer_get_ticks();
		irq_send_ipi(target, PING_VECTOR);
		if (!wait_for(&pongs, n + 1, deadline)) {
			printk("ipi-pingpong: no answer to ping %u within "
			       "%u ms\n", n + 1, ANSWER_MS);
			return;
		}
		timer_stop();
		samples[n] = timer_ticks_to_ns(pong_ticks - start);
		sum += samples[n];
		delay_us(interval_us);
	}

	sort_u32(samples, count);
	printk("ipi-pingpong: round trip: count %lld, min %u ns, avg %llu ns, "
	       "median %u ns, 99th %u ns, max %u ns\n", count, samples[0],
	       sum / count, percentile_u32(samples, count, 500),
	       percentile_u32(samples, count, 990), samples[count - 1]);
}
