// SPDX-License-Identifier: GPL-2.0
/*
 * cpu-state: what the boot CPU brings into the cell from its former owner.
 *
 * Without arguments it prints, as "TEST cpu-state: NAME 0xVALUE" lines,
 * the EL1/EL0 system registers as the CPU arrived (struct arrival for
 * those the start-up changes), the debug and PMU registers (the
 * breakpoint, watchpoint, event type and event counter registers ORed per
 * group), FPCR, FPSR and how many of v0-v31 are not zero, with the first
 * of those in full; "TEST cpu-state: done" ends the dump.
 *
 * With "pattern" it then leaves a pattern in every one of them that the
 * running program can spare, prints "TEST cpu-state: pattern left" and
 * idles: the next owner of the CPU must find none of it.
 *
 * With "cpu-on=MPIDR", before "done", it starts that CPU with PSCI CPU_ON,
 * which leaves the pattern and turns itself off (CPU_OFF), then starts it
 * again: it prints what it finds (but what the library's start-up of a
 * secondary CPU sets) between "TEST cpu-state: secondary" and "TEST
 * cpu-state: secondary end".
 */
#include <inmate.h>

#define CPACR_FPEN		(3UL << 20)
#define MDSCR_MDE		(1UL << 15)
#define MDSCR_KDE		(1UL << 13)
#define PMCR_E			(1UL << 0)
#define PMCR_LC			(1UL << 6)
#define PMCR_N(pmcr)		(((pmcr) >> 11) & 0x1f)
#define CYCLE_COUNTER		(1UL << 31)
#define EVENT_CPU_CYCLES	0x11
#define PMEVTYPER_NSH		(1UL << 27)
#define PSCI_AFFINITY_OFF	1

/* "CELL" in every pattern, so that the test can tell it apart */
#define PATTERN(n)		(0x43454c4c00000000UL | (n))

#define DBG_REGS(op, n)							\
	case n:								\
		op(n);							\
		break

#define DBG_SWITCH(op, n)						\
	switch (n) {							\
	DBG_REGS(op, 0); DBG_REGS(op, 1); DBG_REGS(op, 2);		\
	DBG_REGS(op, 3); DBG_REGS(op, 4); DBG_REGS(op, 5);		\
	DBG_REGS(op, 6); DBG_REGS(op, 7); DBG_REGS(op, 8);		\
	DBG_REGS(op, 9); DBG_REGS(op, 10); DBG_REGS(op, 11);		\
	DBG_REGS(op, 12); DBG_REGS(op, 13); DBG_REGS(op, 14);		\
	DBG_REGS(op, 15);						\
	}

static u64 bvr, bcr, wvr, wcr;

#define READ_BP(n)							\
	do {								\
		bvr |= read_sysreg(dbgbvr##n##_el1);			\
		bcr |= read_sysreg(dbgbcr##n##_el1);			\
	} while (0)
#define READ_WP(n)							\
	do {								\
		wvr |= read_sysreg(dbgwvr##n##_el1);			\
		wcr |= read_sysreg(dbgwcr##n##_el1);			\
	} while (0)
/* disabled (E clear), but every other field set */
#define WRITE_BP(n)							\
	do {								\
		write_sysreg(dbgbvr##n##_el1, PATTERN(0xb0 + n) << 2);	\
		write_sysreg(dbgbcr##n##_el1, 0x1e6);			\
	} while (0)
#define WRITE_WP(n)							\
	do {								\
		write_sysreg(dbgwvr##n##_el1, PATTERN(0xc0 + n) << 3);	\
		write_sysreg(dbgwcr##n##_el1, 0x1ffe);			\
	} while (0)

static unsigned int breakpoints(void)
{
	return ((read_sysreg(id_aa64dfr0_el1) >> 12) & 0xf) + 1;
}

static unsigned int watchpoints(void)
{
	return ((read_sysreg(id_aa64dfr0_el1) >> 20) & 0xf) + 1;
}

static void show(const char *name, u64 val)
{
	printk("TEST cpu-state: %s 0x%llx\n", name, val);
}

/* v0-v31 in memory: the program itself is built without FP/SIMD code */
static void simd_save(u64 v[64])
{
	asm volatile(".arch_extension fp\n.arch_extension simd\n"
		     "stp q0, q1, [%0, #0]\n stp q2, q3, [%0, #32]\n"
		     "stp q4, q5, [%0, #64]\n stp q6, q7, [%0, #96]\n"
		     "stp q8, q9, [%0, #128]\n stp q10, q11, [%0, #160]\n"
		     "stp q12, q13, [%0, #192]\n stp q14, q15, [%0, #224]\n"
		     "stp q16, q17, [%0, #256]\n stp q18, q19, [%0, #288]\n"
		     "stp q20, q21, [%0, #320]\n stp q22, q23, [%0, #352]\n"
		     "stp q24, q25, [%0, #384]\n stp q26, q27, [%0, #416]\n"
		     "stp q28, q29, [%0, #448]\n stp q30, q31, [%0, #480]\n"
		     : : "r" (v) : "memory");
}

static void simd_load(const u64 v[64])
{
	asm volatile(".arch_extension fp\n.arch_extension simd\n"
		     "ldp q0, q1, [%0, #0]\n ldp q2, q3, [%0, #32]\n"
		     "ldp q4, q5, [%0, #64]\n ldp q6, q7, [%0, #96]\n"
		     "ldp q8, q9, [%0, #128]\n ldp q10, q11, [%0, #160]\n"
		     "ldp q12, q13, [%0, #192]\n ldp q14, q15, [%0, #224]\n"
		     "ldp q16, q17, [%0, #256]\n ldp q18, q19, [%0, #288]\n"
		     "ldp q20, q21, [%0, #320]\n ldp q22, q23, [%0, #352]\n"
		     "ldp q24, q25, [%0, #384]\n ldp q26, q27, [%0, #416]\n"
		     "ldp q28, q29, [%0, #448]\n ldp q30, q31, [%0, #480]\n"
		     : : "r" (v) : "memory");
}

static u64 fpcr_read(void)
{
	u64 val;

	asm volatile(".arch_extension fp\nmrs %0, fpcr" : "=r" (val));
	return val;
}

static u64 fpsr_read(void)
{
	u64 val;

	asm volatile(".arch_extension fp\nmrs %0, fpsr" : "=r" (val));
	return val;
}

static void dump_simd(u64 cpacr)
{
	static u64 v[64] __aligned(16);
	unsigned int n, nonzero = 0, first = 32;

	/* reading them must not trap (the CPU's CPACR_EL1 is shown above) */
	write_sysreg(cpacr_el1, cpacr | CPACR_FPEN);
	isb();
	show("fpcr", fpcr_read());
	show("fpsr", fpsr_read());
	simd_save(v);
	for (n = 0; n < 32; n++) {
		if (v[2 * n] | v[2 * n + 1]) {
			nonzero++;
			if (first == 32)
				first = n;
		}
	}
	show("simd_nonzero", nonzero);
	if (first < 32)
		printk("TEST cpu-state: v%u = 0x%016llx%016llx\n", first,
		       v[2 * first + 1], v[2 * first]);
}

static void dump_pmu(void)
{
	u64 pmcr = read_sysreg(pmcr_el0), sel = read_sysreg(pmselr_el0);
	u64 types = 0, counters = 0;
	unsigned int n;

	show("pmcr_el0", pmcr);
	show("pmcntenset_el0", read_sysreg(pmcntenset_el0));
	show("pmintenset_el1", read_sysreg(pmintenset_el1));
	show("pmovsset_el0", read_sysreg(pmovsset_el0));
	show("pmuserenr_el0", read_sysreg(pmuserenr_el0));
	show("pmselr_el0", sel);
	show("pmccfiltr_el0", read_sysreg(pmccfiltr_el0));
	show("pmccntr_el0", read_sysreg(pmccntr_el0));
	for (n = 0; n < PMCR_N(pmcr); n++) {
		write_sysreg(pmselr_el0, n);
		isb();
		types |= read_sysreg(pmxevtyper_el0);
		counters |= read_sysreg(pmxevcntr_el0);
	}
	show("pmevtyper_any", types);
	show("pmevcntr_any", counters);
	write_sysreg(pmselr_el0, sel);
}

/* What the start-up of the boot CPU changes, as it arrived */
static void dump_arrival(void)
{
	show("gprs", arrival.gprs);
	show("sp_el1", arrival.sp_el1);
	show("tpidr_el1", arrival.tpidr_el1);
	show("vbar_el1", arrival.vbar_el1);
	show("sctlr_el1", arrival.sctlr_el1);
	show("ttbr0_el1", arrival.ttbr0_el1);
	show("tcr_el1", arrival.tcr_el1);
	show("mair_el1", arrival.mair_el1);
}

/* What no start-up changes */
static void dump(void)
{
	u64 cpacr = read_sysreg(cpacr_el1);
	unsigned int n;

	show("ttbr1_el1", read_sysreg(ttbr1_el1));
	show("sp_el0", read_sysreg(sp_el0));
	show("elr_el1", read_sysreg(elr_el1));
	show("spsr_el1", read_sysreg(spsr_el1));
	show("esr_el1", read_sysreg(esr_el1));
	show("far_el1", read_sysreg(far_el1));
	show("afsr0_el1", read_sysreg(afsr0_el1));
	show("afsr1_el1", read_sysreg(afsr1_el1));
	show("par_el1", read_sysreg(par_el1));
	show("amair_el1", read_sysreg(amair_el1));
	show("contextidr_el1", read_sysreg(contextidr_el1));
	show("tpidr_el0", read_sysreg(tpidr_el0));
	show("tpidrro_el0", read_sysreg(tpidrro_el0));
	show("cpacr_el1", cpacr);
	show("csselr_el1", read_sysreg(csselr_el1));
	show("cntkctl_el1", read_sysreg(cntkctl_el1));
	show("cntv_ctl_el0", read_sysreg(cntv_ctl_el0));
	show("cntv_cval_el0", read_sysreg(cntv_cval_el0));
	show("cntp_ctl_el0", read_sysreg(cntp_ctl_el0));
	show("cntp_cval_el0", read_sysreg(cntp_cval_el0));
	show("mdscr_el1", read_sysreg(mdscr_el1));
	show("oslsr_el1", read_sysreg(oslsr_el1));
	show("osdlr_el1", read_sysreg(osdlr_el1));
	for (n = 0; n < breakpoints(); n++)
		DBG_SWITCH(READ_BP, n);
	for (n = 0; n < watchpoints(); n++)
		DBG_SWITCH(READ_WP, n);
	show("dbgbvr_any", bvr);
	show("dbgbcr_any", bcr);
	show("dbgwvr_any", wvr);
	show("dbgwcr_any", wcr);
	dump_pmu();
	dump_simd(cpacr);
}

/*
 * Everything but what the running program needs: translation, vectors,
 * SP_EL1, TPIDR_EL1 (the CPU index) and the virtual timer (its idle loop).
 */
static void leave_pattern(void)
{
	static u64 v[64] __aligned(16);
	unsigned int n;
	u64 pmcr;

	write_sysreg(ttbr1_el1, PATTERN(1) << 12);
	write_sysreg(sp_el0, PATTERN(2) << 4);
	write_sysreg(elr_el1, PATTERN(3));
	write_sysreg(spsr_el1, 0x3c5);
	write_sysreg(esr_el1, 0x96000045);
	write_sysreg(far_el1, PATTERN(4));
	write_sysreg(afsr0_el1, PATTERN(5));
	write_sysreg(afsr1_el1, PATTERN(6));
	write_sysreg(amair_el1, PATTERN(7));
	write_sysreg(contextidr_el1, 0x43454c4c);
	write_sysreg(tpidr_el0, PATTERN(8));
	write_sysreg(tpidrro_el0, PATTERN(9));
	write_sysreg(csselr_el1, 2);
	write_sysreg(cntkctl_el1, 0x303);
	/* enabled, interrupt masked: it never fires */
	write_sysreg(cntp_cval_el0, PATTERN(10));
	write_sysreg(cntp_ctl_el0, 3);
	asm volatile("at s1e1r, %0" : : "r" (&v) : "memory");

	write_sysreg(mdscr_el1, MDSCR_MDE | MDSCR_KDE);
	for (n = 0; n < breakpoints(); n++)
		DBG_SWITCH(WRITE_BP, n);
	for (n = 0; n < watchpoints(); n++)
		DBG_SWITCH(WRITE_WP, n);
	write_sysreg(osdlr_el1, 1);
	write_sysreg(oslar_el1, 1);

	/* the cycle counter and event counter 0 counting, all of it */
	pmcr = read_sysreg(pmcr_el0);
	write_sysreg(pmccfiltr_el0, PMEVTYPER_NSH);
	if (PMCR_N(pmcr) > 0) {
		write_sysreg(pmselr_el0, 0);
		isb();
		write_sysreg(pmxevtyper_el0, PMEVTYPER_NSH | EVENT_CPU_CYCLES);
	}
	write_sysreg(pmcntenset_el0, CYCLE_COUNTER | 1);
	write_sysreg(pmintenset_el1, 2);
	write_sysreg(pmuserenr_el0, 0xf);
	write_sysreg(pmcr_el0, PMCR_E | PMCR_LC);
	write_sysreg(pmselr_el0, 3);

	write_sysreg(cpacr_el1, CPACR_FPEN);
	isb();
	for (n = 0; n < 32; n++) {
		v[2 * n] = PATTERN(0x100 + n);
		v[2 * n + 1] = PATTERN(0x200 + n);
	}
	simd_load(v);
	asm volatile(".arch_extension fp\nmsr fpcr, %0\nmsr fpsr, %1"
		     : : "r" (0x07c00000UL), "r" (0x0800001fUL));
	isb();
	printk("TEST cpu-state: pattern left\n");
}

static volatile bool secondary_done;

static void secondary_pattern(void)
{
	leave_pattern();
	secondary_done = true;
	psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

static void secondary_dump(void)
{
	printk("TEST cpu-state: secondary\n");
	dump();
	printk("TEST cpu-state: secondary end\n");
	secondary_done = true;
}

static bool wait_secondary(void)
{
	u64 timeout = timer_get_ticks() + timer_ns_to_ticks(1000000000ULL);

	while (!secondary_done && timer_get_ticks() < timeout)
		delay_us(1000);
	return secondary_done;
}

/*
 * CPU_ON inside the cell: the CPU @mpidr leaves its pattern and turns
 * itself off; started again, it shows what it finds.
 */
static void cpu_on_cycle(u64 mpidr)
{
	u64 timeout = timer_get_ticks() + timer_ns_to_ticks(1000000000ULL);

	if (smp_start_cpu(mpidr, secondary_pattern) || !wait_secondary()) {
		printk("TEST cpu-state: CPU 0x%llx did not come up\n", mpidr);
		return;
	}
	while (psci_call(PSCI_AFFINITY_INFO_64, mpidr, 0, 0) !=
	       PSCI_AFFINITY_OFF && timer_get_ticks() < timeout)
		delay_us(1000);

	secondary_done = false;
	if (smp_start_cpu(mpidr, secondary_dump) || !wait_secondary())
		printk("TEST cpu-state: CPU 0x%llx did not come back\n",
		       mpidr);
}

void inmate_main(void)
{
	long long cpu_on = cmdline_parse_int("cpu-on", -1);

	dump_arrival();
	dump();
	if (cpu_on >= 0)
		cpu_on_cycle(cpu_on);
	printk("TEST cpu-state: done\n");
	if (cmdline_parse_bool("pattern", false))
		leave_pattern();
}
