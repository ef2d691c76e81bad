// SPDX-License-Identifier: GPL-2.0
/*
 * pmu-el2: does the cell's cycle counter count what the hypervisor does?
 *
 * First it prints the PMU as the CPU arrived ("TEST pmu-el2: start ..."):
 * counters enabled, cycle count, event counter 0.  Then it measures, with
 * the cycle counter and event counter 0 (CPU_CYCLES), ROUNDS times each
 * and keeping the smallest: 100 hypercalls (CPU_GET_INFO) with the filter
 * bit NSH set, which asks to count at EL2 as well, the same without NSH,
 * and 100 no-ops with NSH.  "TEST pmu-el2: result hvc-nsh A hvc B nop C
 * evt-hvc-nsh D evt-hvc E" gives the cycles.  Where EL2 is not counted, A
 * is about B (and D about E); where it is, A is B plus the cycles spent in
 * the hypervisor.
 *
 * The counters are left enabled and counting: the next program on the CPU
 * must find them stopped and zero.
 *
 * Command line: rounds=N (5).
 */
#include <inmate.h>

#define PMCR_E			(1UL << 0)
#define PMCR_P			(1UL << 1)
#define PMCR_C			(1UL << 2)
#define PMCR_N(pmcr)		(((pmcr) >> 11) & 0x1f)
#define CYCLE_COUNTER		(1UL << 31)
#define PMEVTYPER_NSH		(1UL << 27)
#define EVENT_CPU_CYCLES	0x11
#define CALLS			100

struct sample {
	u64 cycles;
	u64 events;
};

static void set_filters(u64 filter)
{
	write_sysreg(pmccfiltr_el0, filter);
	write_sysreg(pmselr_el0, 0);
	isb();
	write_sysreg(pmxevtyper_el0, filter | EVENT_CPU_CYCLES);
	isb();
}

static struct sample measure(u64 filter, bool hypercalls)
{
	u64 cycles, events;
	unsigned int n;

	set_filters(filter);
	cycles = read_sysreg(pmccntr_el0);
	events = read_sysreg(pmxevcntr_el0);
	isb();
	for (n = 0; n < CALLS; n++) {
		if (hypercalls)
			jailhouse_call_arg2(JAILHOUSE_HC_CPU_GET_INFO, 0,
					    JAILHOUSE_CPU_INFO_STATE);
		else
			asm volatile("nop" : : : "memory");
	}
	isb();
	return (struct sample) {
		.cycles = read_sysreg(pmccntr_el0) - cycles,
		.events = read_sysreg(pmxevcntr_el0) - events,
	};
}

static void keep_min(struct sample *min, struct sample s)
{
	if (s.cycles < min->cycles)
		min->cycles = s.cycles;
	if (s.events < min->events)
		min->events = s.events;
}

void inmate_main(void)
{
	unsigned int n, rounds = cmdline_parse_int("rounds", 5);
	struct sample hvc_nsh = { ~0UL, ~0UL }, hvc = { ~0UL, ~0UL };
	struct sample nop = { ~0UL, ~0UL };
	u64 pmcr = read_sysreg(pmcr_el0);

	write_sysreg(pmselr_el0, 0);
	isb();
	printk("TEST pmu-el2: start pmcr 0x%llx pmcntenset 0x%llx "
	       "pmccntr 0x%llx pmevcntr0 0x%llx\n", pmcr,
	       read_sysreg(pmcntenset_el0), read_sysreg(pmccntr_el0),
	       PMCR_N(pmcr) ? read_sysreg(pmxevcntr_el0) : 0);
	if (PMCR_N(pmcr) == 0) {
		printk("TEST pmu-el2: no event counter\n");
		return;
	}

	write_sysreg(pmcr_el0, PMCR_E | PMCR_P | PMCR_C);
	write_sysreg(pmcntenset_el0, CYCLE_COUNTER | 1);
	isb();
	for (n = 0; n < rounds; n++) {
		keep_min(&hvc_nsh, measure(PMEVTYPER_NSH, true));
		keep_min(&hvc, measure(0, true));
		keep_min(&nop, measure(PMEVTYPER_NSH, false));
	}
	printk("TEST pmu-el2: result hvc-nsh %llu hvc %llu nop %llu "
	       "evt-hvc-nsh %llu evt-hvc %llu\n", hvc_nsh.cycles, hvc.cycles,
	       nop.cycles, hvc_nsh.events, hvc.events);

	/* left counting for whoever comes next */
	set_filters(PMEVTYPER_NSH);
}
