// SPDX-License-Identifier: GPL-2.0
/*
 * smp-demo: starts a second CPU with PSCI CPU_ON; both print.
 *
 * Command line: cpu=MPIDR of the second CPU (default: the boot CPU's + 1,
 * the next CPU of a cell with consecutive CPUs), count=N (lines per CPU,
 * 5), interval-ms=N (500).
 */
#include <inmate.h>

static long long count, interval;
static volatile bool second_up;

static void print_lines(void)
{
	long long n;

	for (n = 1; n <= count; n++) {
		printk("smp-demo: CPU %u (MPIDR 0x%llx): line %lld\n",
		       this_cpu_index(), cpu_mpidr(), n);
		delay_us(interval * 1000);
	}
}

static void second_cpu(void)
{
	second_up = true;
	print_lines();
	printk("smp-demo: CPU %u done\n", this_cpu_index());
}

void inmate_main(void)
{
	u64 target = cmdline_parse_int("cpu", cpu_mpidr() + 1);
	u64 timeout;
	int err;

	count = cmdline_parse_int("count", 5);
	interval = cmdline_parse_int("interval-ms", 500);

	printk("\nsmp-demo: running on %s, boot CPU MPIDR 0x%llx, "
	       "starting MPIDR 0x%llx\n", platform.name, cpu_mpidr(), target);

	err = smp_start_cpu(target, second_cpu);
	if (err) {
		printk("smp-demo: CPU_ON of 0x%llx failed: %d\n", target, err);
		return;
	}

	timeout = timer_get_ticks() + timer_ns_to_ticks(1000000000ULL);
	while (!second_up && timer_get_ticks() < timeout)
		delay_us(1000);
	if (!second_up) {
		printk("smp-demo: CPU 0x%llx did not come up\n", target);
		return;
	}

	print_lines();
	printk("smp-demo: CPU %u done\n", this_cpu_index());
}
