// SPDX-License-Identifier: GPL-2.0
/*
 * direct-irqs: a cell with direct interrupt delivery (Documentation/
 * direct-irqs.md) uses the GIC CPU interface it holds to keep the
 * hypervisor out, so that the root cannot stop it.
 *
 * Command line: attack=NAME
 *   ap1r	claims priority 0 active (ICC_AP1R0_EL1): from then on the
 *		interface signals no interrupt at all, the hypervisor's SGI
 *		included; then spins with interrupts masked
 *   ap1r-wfi	the same, then WFI in a loop
 *   hold	takes its timer interrupt and never ends it, spinning in the
 *		handler with interrupts masked
 *   mask	ICC_PMR_EL1 0 and ICC_IGRPEN0_EL1 0 (which reach the virtual
 *		interface only), then WFI in a loop with interrupts masked
 *
 * Contained: "cell shutdown" and "cell destroy" of the root stop it.
 */
#include <inmate.h>

/* ICC_AP1R0_EL1, ICC_PMR_EL1, ICC_IGRPEN0_EL1 by encoding */
#define ICC_AP1R0_EL1	S3_0_C12_C9_0
#define ICC_PMR_EL1	S3_0_C4_C6_0
#define ICC_IGRPEN0_EL1	S3_0_C12_C12_6

static void __noreturn spin(void)
{
	local_irq_disable();
	while (1)
		cpu_relax();
}

static void hold(unsigned int irq)
{
	printk("TEST direct-irqs: holding interrupt %u\n", irq);
	spin();
}

static bool is(const char *attack, const char *name)
{
	return !strncmp(attack, name, 16);
}

void inmate_main(void)
{
	char attack[16];

	cmdline_parse_str("attack", attack, sizeof(attack), "ap1r");

	printk("TEST direct-irqs: attacking (%s)\n", attack);
	if (is(attack, "ap1r") || is(attack, "ap1r-wfi")) {
		local_irq_disable();
		write_sysreg(ICC_AP1R0_EL1, 1);
		isb();
		printk("TEST direct-irqs: running priority 0\n");
		if (is(attack, "ap1r"))
			spin();
		while (1)
			wfi();
	} else if (is(attack, "hold")) {
		irq_register(TIMER_IRQ, hold);
		irq_enable(TIMER_IRQ);
		timer_arm(timer_get_ticks() + timer_ns_to_ticks(1000000));
		local_irq_enable();
		while (1)
			wfi();
	} else if (is(attack, "mask")) {
		local_irq_disable();
		write_sysreg(ICC_PMR_EL1, 0);
		write_sysreg(ICC_IGRPEN0_EL1, 0);
		isb();
		printk("TEST direct-irqs: masked\n");
		while (1)
			wfi();
	}
	printk("TEST direct-irqs: no attack %s\n", attack);
}
