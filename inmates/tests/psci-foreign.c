// SPDX-License-Identifier: GPL-2.0
/*
 * psci-foreign: PSCI CPU_ON of a CPU outside the cell.
 *
 * Command line: target=MPIDR (0, the root's first CPU).
 *
 * Contained: CPU_ON fails (the return value is printed) and the foreign
 * CPU never runs the cell's code, which would print "escaped".
 */
#include <inmate.h>

static void foreign_cpu(void)
{
	printk("TEST psci-foreign: escaped: CPU 0x%llx runs cell code\n",
	       cpu_mpidr());
}

void inmate_main(void)
{
	u64 target = cmdline_parse_int("target", 0);
	int ret;

	printk("TEST psci-foreign: trying CPU_ON of MPIDR 0x%llx\n", target);
	ret = smp_start_cpu(target, foreign_cpu);
	printk("TEST psci-foreign: result CPU_ON of MPIDR 0x%llx returned "
	       "%d\n", target, ret);
}
