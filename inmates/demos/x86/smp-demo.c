// SPDX-License-Identifier: GPL-2.0
/*
 * smp-demo (x86): starts a second CPU with INIT and SIPI; both print.
 *
 * Command line: cpu=APIC_ID of the second CPU (default: the boot CPU's
 * + 1, the next CPU of a cell with consecutive CPUs), count=N (lines per
 * CPU, 5), interval-ms=N (500).
 */
#include <inmate.h>

static long long count, interval;
static volatile bool second_done;

static void print_lines(void)
{
	long long n;

	for (n = 1; n <= count; n++) {
		printk("smp-demo: CPU %u (APIC ID %u): line %lld\n",
		       this_cpu_index(), cpu_apic_id(), n);
		delay_us(interval * 1000);
	}
}

static void second_cpu(void)
{
	print_lines();
	printk("smp-demo: CPU %u done\n", this_cpu_index());
	second_done = true;
}

void inmate_main(void)
{
	u32 target = cmdline_parse_int("cpu", cpu_apic_id() + 1);
	u64 timeout;
	int err;

	count = cmdline_parse_int("count", 5);
	interval = cmdline_parse_int("interval-ms", 500);

	printk("\nsmp-demo: running on %s, boot CPU APIC ID %u, "
	       "starting APIC ID %u\n", platform.name, cpu_apic_id(), target);

	err = smp_start_cpu(target, second_cpu);
	if (err) {
		printk("smp-demo: CPU with APIC ID %u did not come up (%d)\n",
		       target, err);
		return;
	}

	print_lines();
	/* its lines before the end ("poweroff" ends QEMU) */
	timeout = timer_get_ticks() + timer_ns_to_ticks(1000000000ULL);
	while (!second_done && timer_get_ticks() < timeout)
		delay_us(1000);
	printk("smp-demo: CPU %u done\n", this_cpu_index());
}
