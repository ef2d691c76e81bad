// SPDX-License-Identifier: GPL-2.0
/*
 * debug-hv: the debug registers and the performance counters against the
 * hypervisor (x86's counterpart of debug-el2 and pmu-el2).
 *
 * It first checks that its breakpoints work in the cell: DR0 on an
 * instruction, DR1 on a word read and written, each must be hit once
 * ("TEST debug-hv: self-check breakpoint N watchpoint N").  Then it arms
 * all four, locally and globally, with general detect (the hypervisor's
 * own MOV to DR7 would raise #DB): DR0 on bp=ADDR and DR1 on bp2=ADDR
 * (instructions the hypervisor runs at every exit and hypercall), DR2 on
 * wp=ADDR and DR3 on wp2=ADDR (eight bytes of its data each, read and
 * written), and makes 10 hypercalls: "TEST debug-hv: result N hypercalls
 * returned (the last CODE), M debug exceptions".
 *
 * Last, the performance counters, which are the root's: RDPMC of counter
 * 0 and RDMSR of PERF_CTL0 and PERF_CTR0, each answered by an exception
 * or not: "TEST debug-hv: rdpmc vector V, perf_ctl0 vector V, perf_ctr0
 * vector V" (V 13 for #GP, 6 for #UD, 255 if it ran).
 *
 * Then it keeps at it, as a hostile cell would to flood the console: 30
 * more RDPMCs, a pause past the hypervisor's window of rate-limited lines,
 * one more: "TEST debug-hv: flood N RDPMC refused".
 */
#include <inmate.h>

#define X86_EXC_DB		1
#define X86_EXC_GP		13
#define NO_EXCEPTION		0xff
#define DR6_RESET		0xffff0ff0UL
/* L0-L3 and G0-G3 */
#define DR7_ENABLE(n)		(3UL << (2 * (n)))
/* R/W: 00 instruction, 11 data read or write; LEN: 10 eight bytes */
#define DR7_DATA(n)		((3UL | (2UL << 2)) << (16 + 4 * (n)))
#define DR7_RESET		0x400UL
/* general detect: a MOV to or from a debug register raises #DB first */
#define DR7_GD			(1UL << 13)
#define MSR_PERF_CTL0		0xc0010000
#define MSR_PERF_CTR0		0xc0010004
#define INSN_LEN		2	/* RDPMC, RDMSR: 0f 33, 0f 32 */
#define HYPERCALLS		10
#define FLOOD			30
/* past the hypervisor's five seconds, whatever each made of its clock */
#define FLOOD_PAUSE_US		6000000

static volatile unsigned int breakpoints_hit, watchpoints_hit;
static volatile unsigned int last_vector = NO_EXCEPTION;
static volatile u64 watched;

static unsigned long read_dr6(void)
{
	unsigned long dr6;

	asm volatile("mov %%dr6, %0" : "=r" (dr6));
	return dr6;
}

static void write_dr7(unsigned long dr7)
{
	asm volatile("mov %0, %%dr7" : : "r" (dr7));
}

/*
 * A debug exception disarms every breakpoint: an instruction breakpoint
 * is a fault, which would come again.  Any other is one of the probes of
 * the performance counters, skipped.
 */
static bool on_exception(unsigned int vector, u64 *rip)
{
	unsigned long dr6;

	if (vector != X86_EXC_DB) {
		last_vector = vector;
		*rip += INSN_LEN;
		return true;
	}
	dr6 = read_dr6();
	write_dr7(DR7_RESET);
	if (dr6 & 0x1)
		breakpoints_hit++;
	if (dr6 & 0x2)
		watchpoints_hit++;
	if (dr6 & 0xc)
		breakpoints_hit++;
	asm volatile("mov %0, %%dr6" : : "r" (DR6_RESET));
	return true;
}

static void __attribute__((noinline)) target(void)
{
	asm volatile("nop" : : : "memory");
}

static void self_check(void)
{
	asm volatile("mov %0, %%dr0" : : "r" (target));
	asm volatile("mov %0, %%dr1" : : "r" (&watched));
	write_dr7(DR7_RESET | DR7_ENABLE(0) | DR7_ENABLE(1) | DR7_DATA(1));
	target();
	/* the breakpoint disarmed both: the watchpoint again */
	write_dr7(DR7_RESET | DR7_ENABLE(1) | DR7_DATA(1));
	watched++;
	write_dr7(DR7_RESET);
	printk("TEST debug-hv: self-check breakpoint %u watchpoint %u\n",
	       breakpoints_hit, watchpoints_hit);
}

static void on_hypervisor(unsigned long bp, unsigned long bp2,
			  unsigned long wp, unsigned long wp2)
{
	unsigned int n, returned = 0, before;
	long code = 0;

	before = breakpoints_hit + watchpoints_hit;
	asm volatile("mov %0, %%dr0" : : "r" (bp));
	asm volatile("mov %0, %%dr1" : : "r" (bp2));
	asm volatile("mov %0, %%dr2" : : "r" (wp & ~7UL));
	asm volatile("mov %0, %%dr3" : : "r" (wp2 & ~7UL));
	write_dr7(DR7_RESET | DR7_ENABLE(0) | DR7_ENABLE(1) | DR7_ENABLE(2) |
		  DR7_ENABLE(3) | DR7_DATA(2) | DR7_DATA(3) | DR7_GD);
	printk("TEST debug-hv: trying hypercalls with breakpoints on 0x%lx "
	       "and 0x%lx, watchpoints on 0x%lx and 0x%lx\n", bp, bp2, wp,
	       wp2);
	for (n = 0; n < HYPERCALLS; n++) {
		code = jailhouse_call_arg2(JAILHOUSE_HC_CPU_GET_INFO, 0,
					   JAILHOUSE_CPU_INFO_STATE);
		returned++;
	}
	write_dr7(DR7_RESET);
	printk("TEST debug-hv: result %u hypercalls returned (the last "
	       "%ld), %u debug exceptions\n", returned, code,
	       breakpoints_hit + watchpoints_hit - before);
}

/* Which exception @probe raised, NO_EXCEPTION if none */
static unsigned int vector_of(void (*probe)(void))
{
	last_vector = NO_EXCEPTION;
	probe();
	return last_vector;
}

static void probe_rdpmc(void)
{
	u32 lo, hi;

	asm volatile("rdpmc" : "=a" (lo), "=d" (hi) : "c" (0) : "memory");
}

static void probe_perf_ctl0(void)
{
	read_msr(MSR_PERF_CTL0);
}

static void probe_perf_ctr0(void)
{
	read_msr(MSR_PERF_CTR0);
}

static void counters(void)
{
	unsigned int rdpmc = vector_of(probe_rdpmc);
	unsigned int ctl = vector_of(probe_perf_ctl0);
	unsigned int ctr = vector_of(probe_perf_ctr0);

	printk("TEST debug-hv: rdpmc vector %u, perf_ctl0 vector %u, "
	       "perf_ctr0 vector %u\n", rdpmc, ctl, ctr);
}

static void flood(void)
{
	unsigned int n, refused = 0;

	for (n = 0; n < FLOOD; n++)
		refused += vector_of(probe_rdpmc) == X86_EXC_GP;
	delay_us(FLOOD_PAUSE_US);
	refused += vector_of(probe_rdpmc) == X86_EXC_GP;
	printk("TEST debug-hv: flood %u RDPMC refused\n", refused);
}

void inmate_main(void)
{
	exception_hook = on_exception;
	self_check();
	on_hypervisor(cmdline_parse_int("bp", 0), cmdline_parse_int("bp2", 0),
		      cmdline_parse_int("wp", 0), cmdline_parse_int("wp2", 0));
	counters();
	flood();
	printk("TEST debug-hv: done\n");
}
