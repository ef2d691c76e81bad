// SPDX-License-Identifier: GPL-2.0
/*
 * pmu-el2: does the cell's cycle counter count what the hypervisor does?
 *
 * First it prints the PMU as the CPU arrived ("TEST pmu-el2: start ..."):
 * counters enabled, cycle count, event counter 0.  Then it measures, with
 * the cycle counter and event counter 0 (CPU_CYCLES), in each of ROUNDS
 * rounds: 100 hypercalls (CPU_GET_INFO) with the filter bit NSH set, which
 * asks to count at EL2 as well, the same without NSH (the two in turns
 * first), and 100 no-ops with NSH.  "TEST pmu-el2: result hvc-nsh A hvc B
 * nop C evt-hvc-nsh D evt-hvc E ratio R evt-ratio S" gives the smallest
 * counts of all rounds and, in R and S, the median over the rounds of
 * 1000 * (with NSH) / (without).  Where EL2 is not counted, R and S are
 * about 1000; where it is, the cycles spent in the hypervisor add to them.
 * Without icount QEMU's cycles are the host's time, which a loaded host
 * stretches for a while: the two halves of a ratio are measured back to
 * back, and the median drops the rounds the host cut into.
 *
 * The counters are left enabled and counting: the next program on the CPU
 * must find them stopped and zero.
 *
 * Command line: rounds=N (15, at most 31).
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
#define MAX_ROUNDS		31

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

static u64 permille(u64 a, u64 b)
{
	return b ? a * 1000 / b : ~0UL;
}

static u64 median(u64 *v, unsigned int count)
{
	unsigned int i, j;
	u64 x;

	for (i = 1; i < count; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return v[count / 2];
}

void inmate_main(void)
{
	unsigned int n, rounds = cmdline_parse_int("rounds", 15);
	struct sample min_nsh = { ~0UL, ~0UL }, min = { ~0UL, ~0UL };
	struct sample nop = { ~0UL, ~0UL }, with_nsh, without;
	u64 pmcr = read_sysreg(pmcr_el0);
	u64 ratio[MAX_ROUNDS], evt_ratio[MAX_ROUNDS];

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

	if (rounds < 1 || rounds > MAX_ROUNDS)
		rounds = MAX_ROUNDS;
	write_sysreg(pmcr_el0, PMCR_E | PMCR_P | PMCR_C);
	write_sysreg(pmcntenset_el0, CYCLE_COUNTER | 1);
	isb();
	for (n = 0; n < rounds; n++) {
		if (n % 2) {
			without = measure(0, true);
			with_nsh = measure(PMEVTYPER_NSH, true);
		} else {
			with_nsh = measure(PMEVTYPER_NSH, true);
			without = measure(0, true);
		}
		ratio[n] = permille(with_nsh.cycles, without.cycles);
		evt_ratio[n] = permille(with_nsh.events, without.events);
		keep_min(&min_nsh, with_nsh);
		keep_min(&min, without);
		keep_min(&nop, measure(PMEVTYPER_NSH, false));
	}
	printk("TEST pmu-el2: result hvc-nsh %llu hvc %llu nop %llu "
	       "evt-hvc-nsh %llu evt-hvc %llu ratio %llu evt-ratio %llu\n",
	       min_nsh.cycles, min.cycles, nop.cycles, min_nsh.events,
	       min.events, median(ratio, rounds), median(evt_ratio, rounds));

	/* left counting for whoever comes next */
	set_filters(PMEVTYPER_NSH);
}
