// SPDX-License-Identifier: GPL-2.0
/*
 * debug-el2: hardware breakpoints and watchpoints on the hypervisor.
 *
 * With the OS lock clear and MDSCR_EL1.KDE/MDE set, it first checks that
 * its breakpoint and watchpoint work at EL1 (each must be hit once:
 * "TEST debug-el2: self-check breakpoint N watchpoint N").  Then it sets
 * breakpoint 0 on bp=ADDR (an instruction the hypervisor runs on every
 * hypercall), breakpoint 1 on wp=ADDR, and watchpoint 0 on the 32 MiB
 * around wp=ADDR (the hypervisor's memory), all for every exception level
 * (HMC set), and makes 10 hypercalls: "TEST debug-el2: result N
 * hypercalls returned (the last CODE), M debug exceptions".
 *
 * Last, what would reach beyond the CPU: the OS double lock (OSDLR_EL1),
 * read back after writing 1 (100 times), and the debug ROM address
 * (MDRAR_EL1): "TEST debug-el2: osdlr 0x.. mdrar 0x.."; and the OS lock,
 * set and cleared again: "TEST debug-el2: oslsr locked 0x.. unlocked
 * 0x..".  (QEMU 7.2 has no DBGPRCR_EL1.)
 */
#include <inmate.h>

#define MDSCR_KDE		(1UL << 13)
#define MDSCR_MDE		(1UL << 15)
#define EC_BREAKPOINT_CUR	0x31
#define EC_WATCHPOINT_CUR	0x35
/* E, PMC = EL1 and EL0, BAS = the whole A64 instruction */
#define BCR_EL1			(1UL | (3UL << 1) | (0xfUL << 5))
/* ... and HMC: EL2 as well */
#define BCR_ALL_ELS		(BCR_EL1 | (1UL << 13))
/* E, PAC = EL1 and EL0, LSC = loads and stores, BAS = 8 bytes */
#define WCR_EL1			(1UL | (3UL << 1) | (3UL << 3) | \
				 (0xffUL << 5))
#define WCR_ALL_ELS		(WCR_EL1 | (1UL << 13))
#define WCR_MASK(bits)		((u64)(bits) << 24)
#define RANGE_BITS		25
#define HYPERCALLS		10

static volatile unsigned int breakpoints_hit, watchpoints_hit;
static volatile u64 watched __aligned(8);

static bool debug_exception(u64 esr, u64 *elr)
{
	switch (esr >> 26) {
	case EC_BREAKPOINT_CUR:
		breakpoints_hit++;
		write_sysreg(dbgbcr0_el1, 0);
		write_sysreg(dbgbcr1_el1, 0);
		break;
	case EC_WATCHPOINT_CUR:
		watchpoints_hit++;
		write_sysreg(dbgwcr0_el1, 0);
		break;
	default:
		return false;
	}
	isb();
	/* the instruction runs again, now without the debug event */
	return true;
}

static void __attribute__((noinline)) target(void)
{
	asm volatile("nop" : : : "memory");
}

static void self_check(void)
{
	write_sysreg(dbgbvr0_el1, (unsigned long)target);
	write_sysreg(dbgbcr0_el1, BCR_EL1);
	write_sysreg(dbgwvr0_el1, (unsigned long)&watched);
	write_sysreg(dbgwcr0_el1, WCR_EL1);
	isb();
	target();
	(void)watched;
	printk("TEST debug-el2: self-check breakpoint %u watchpoint %u\n",
	       breakpoints_hit, watchpoints_hit);
}

static void on_hypervisor(unsigned long bp, unsigned long wp)
{
	unsigned int n, returned = 0, before;
	long code = 0;

	before = breakpoints_hit + watchpoints_hit;
	write_sysreg(dbgbvr0_el1, bp);
	write_sysreg(dbgbcr0_el1, BCR_ALL_ELS);
	write_sysreg(dbgbvr1_el1, wp);
	write_sysreg(dbgbcr1_el1, BCR_ALL_ELS);
	write_sysreg(dbgwvr0_el1, wp & ~((1UL << RANGE_BITS) - 1));
	write_sysreg(dbgwcr0_el1, WCR_ALL_ELS | WCR_MASK(RANGE_BITS));
	isb();
	printk("TEST debug-el2: trying hypercalls with breakpoints on 0x%lx, "
	       "0x%lx and a watchpoint on 0x%lx/%u\n", bp, wp,
	       wp & ~((1UL << RANGE_BITS) - 1), RANGE_BITS);
	for (n = 0; n < HYPERCALLS; n++) {
		code = jailhouse_call_arg2(JAILHOUSE_HC_CPU_GET_INFO, 0,
					   JAILHOUSE_CPU_INFO_STATE);
		returned++;
	}
	printk("TEST debug-el2: result %u hypercalls returned (the last "
	       "%ld), %u debug exceptions\n", returned, code,
	       breakpoints_hit + watchpoints_hit - before);
}

static void beyond_the_cpu(void)
{
	u64 osdlr, locked, unlocked;
	unsigned int n;

	/* often: a hostile cell must not flood the hypervisor's console */
	for (n = 0; n < 100; n++)
		write_sysreg(osdlr_el1, 1);
	isb();
	osdlr = read_sysreg(osdlr_el1);
	printk("TEST debug-el2: osdlr 0x%llx mdrar 0x%llx\n", osdlr,
	       read_sysreg(mdrar_el1));

	write_sysreg(oslar_el1, 1);
	isb();
	locked = read_sysreg(oslsr_el1);
	write_sysreg(oslar_el1, 0);
	isb();
	unlocked = read_sysreg(oslsr_el1);
	printk("TEST debug-el2: oslsr locked 0x%llx unlocked 0x%llx\n",
	       locked, unlocked);
}

void inmate_main(void)
{
	unsigned long bp = cmdline_parse_int("bp", 0);
	unsigned long wp = cmdline_parse_int("wp", 0);

	sync_exception_hook = debug_exception;
	write_sysreg(oslar_el1, 0);
	write_sysreg(mdscr_el1, MDSCR_KDE | MDSCR_MDE);
	isb();
	asm volatile("msr daifclr, #8" : : : "memory");

	self_check();
	on_hypervisor(bp, wp);
	beyond_the_cpu();
	printk("TEST debug-el2: done\n");
}
