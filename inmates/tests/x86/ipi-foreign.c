// SPDX-License-Identifier: GPL-2.0
/*
 * ipi-foreign: an interprocessor interrupt to a CPU outside the cell.
 *
 * Command line: target=N (APIC ID, 0: the root's boot CPU), mode=fixed|
 * nmi|init|sipi (fixed), vector=N (of fixed and SIPI, 0xf0).
 *
 * Contained: the target does not see it; the hypervisor drops the IPI
 * (the result line comes) or parks the CPU (no result line).
 */
#include <inmate.h>

#define ICR_FIXED	0x00004000	/* level assert, fixed */
#define ICR_NMI		0x00004400
#define ICR_INIT	0x00004500
#define ICR_SIPI	0x00004600

void inmate_main(void)
{
	u32 target = cmdline_parse_int("target", 0);
	u32 vector = cmdline_parse_int("vector", 0xf0) & 0xff;
	char mode[8];
	u32 icr;

	cmdline_parse_str("mode", mode, sizeof(mode), "fixed");
	if (strncmp(mode, "fixed", sizeof(mode)) == 0) {
		icr = ICR_FIXED | vector;
	} else if (strncmp(mode, "nmi", sizeof(mode)) == 0) {
		icr = ICR_NMI;
	} else if (strncmp(mode, "init", sizeof(mode)) == 0) {
		icr = ICR_INIT;
	} else if (strncmp(mode, "sipi", sizeof(mode)) == 0) {
		icr = ICR_SIPI | vector;
	} else {
		printk("TEST ipi-foreign: mode=%s: not fixed, nmi, init or "
		       "sipi\n", mode);
		return;
	}

	printk("TEST ipi-foreign: trying %s IPI (ICR 0x%x) to APIC ID %u\n",
	       mode, icr, target);
	irq_send_icr(target, icr);
	printk("TEST ipi-foreign: result sent %s IPI to APIC ID %u\n", mode,
	       target);
}
