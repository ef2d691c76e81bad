// SPDX-License-Identifier: GPL-2.0
/*
 * sgi-foreign: sends a software-generated interrupt to a CPU outside the
 * cell.
 *
 * Command line: target=MPIDR (0, the root's first CPU), sgi=N (2, Linux's
 * "stop this CPU" IPI on arm64: were it delivered, the root would show it).
 *
 * Contained: the root's CPU never gets it; the cell may be parked.
 */
#include <inmate.h>

void inmate_main(void)
{
	u64 target = cmdline_parse_int("target", 0);
	unsigned int sgi = cmdline_parse_int("sgi", 2) & 0xf;

	printk("TEST sgi-foreign: trying SGI %u to MPIDR 0x%llx\n", sgi,
	       target);
	irq_send_sgi(target, sgi);
	printk("TEST sgi-foreign: result SGI %u to MPIDR 0x%llx sent\n", sgi,
	       target);
}
