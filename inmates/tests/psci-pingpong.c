// SPDX-License-Identifier: GPL-2.0
/*
 * psci-pingpong: two CPUs of the cell turn each other on and themselves
 * off, as fast as they can, forever, so that the root cell's stop of the
 * cell always finds one CPU about to start the other.
 *
 * Command line: cpu=MPIDR of the second CPU (default: the boot CPU's + 1).
 *
 * Expected: "bouncing", then nothing; the cell never answers messages
 * (give it a passive comm region).  Stopping or destroying it must
 * bring both CPUs back, whatever moment it catches.
 */
#include <inmate.h>

static u64 mpidr[2];

static void __noreturn bounce(void)
{
	unsigned int other = 1 - this_cpu_index();
	long ret;

	for (;;) {
		/* the other one may not be off yet: it is about to be */
		do {
			ret = smp_cpu_on(mpidr[other], other, bounce);
		} while (ret == PSCI_ALREADY_ON);
		psci_call(PSCI_CPU_OFF, 0, 0, 0);
	}
}

void inmate_main(void)
{
	mpidr[0] = cpu_mpidr();
	mpidr[1] = cmdline_parse_int("cpu", mpidr[0] + 1);

	printk("TEST psci-pingpong: bouncing between MPIDR 0x%llx and "
	       "0x%llx\n", mpidr[0], mpidr[1]);
	bounce();
}
