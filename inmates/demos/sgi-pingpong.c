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
 * come within ANSWER_MS.
 *
 * Command line: cpu=MPIDR (the second CPU, the boot CPU's + 1), count=N
 * (round trips, 1000, at most MAX_SAMPLES), interval-us=N (100).
 */
#include <inmate.h>

#define SGI_PING	1
#define SGI_PONG	2

/* as many as the demo cells' 64 KiB have room for beside three stacks */
#define MAX_SAMPLES	1000
/* Far more than a round trip takes, even in QEMU without -icount */
#define ANSWER_MS	1000

static u64 boot_mpidr;
static volatile u32 second_up, pongs;
static volatile u64 pong_ticks;
static u32 samples[MAX_SAMPLES];

static void ping_handler(unsigned int irq)
{
	irq_send_sgi(boot_mpidr, SGI_PONG);
}

static void pong_handler(unsigned int irq)
{
	pong_ticks = timer_get_ticks();
	pongs++;
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

/*
 * Sleep with interrupts masked until *@word is @value or the counter
 * passes @deadline (armed in the timer by the caller); return whether
 * the value came.
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
	u64 target, answer, deadline, start, sum = 0;
	unsigned int n;
	int err;

	boot_mpidr = cpu_mpidr();
	target = cmdline_parse_int("cpu", boot_mpidr + 1);
	answer = timer_ns_to_ticks(ANSWER_MS * 1000000ULL);
	printk("\nsgi-pingpong: running on %s, GICv%u, counter %llu Hz, "
	       "CPU 0x%llx to 0x%llx\n", platform.name, platform.gic_version,
	       timer_get_frequency(), boot_mpidr, target);
	if (count < 1 || count > MAX_SAMPLES) {
		printk("sgi-pingpong: count=%lld: not 1..%u\n", count,
		       MAX_SAMPLES);
		return;
	}

	irq_register(SGI_PING, ping_handler);
	irq_register(SGI_PONG, pong_handler);
	irq_register(TIMER_IRQ, timer_handler);
	irq_enable(SGI_PONG);

	local_irq_disable();
	err = smp_start_cpu(target, second_cpu);
	if (err) {
		printk("sgi-pingpong: CPU_ON of 0x%llx failed: %d\n", target,
		       err);
		return;
	}
	deadline = timer_get_ticks() + answer;
	timer_arm(deadline);
	if (!wait_for(&second_up, 1, deadline)) {
		printk("sgi-pingpong: CPU 0x%llx did not come up\n", target);
		return;
	}

	for (n = 0; n < count; n++) {
		/* the timer only bounds the wait, armed outside the trip */
		deadline = timer_get_ticks() + answer;
		timer_arm(deadline);
		start = timer_get_ticks();
		irq_send_sgi(target, SGI_PING);
		if (!wait_for(&pongs, n + 1, deadline)) {
			printk("sgi-pingpong: no answer to ping %u within "
			       "%u ms\n", n + 1, ANSWER_MS);
			return;
		}
		timer_stop();
		samples[n] = timer_ticks_to_ns(pong_ticks - start);
		sum += samples[n];
		delay_us(interval_us);
	}

	sort_u32(samples, count);
	printk("sgi-pingpong: round trip: count %lld, min %u ns, avg %llu ns, "
	       "median %u ns, 99th %u ns, max %u ns\n", count, samples[0],
	       sum / count, percentile_u32(samples, count, 500),
	       percentile_u32(samples, count, 990), samples[count - 1]);
}
