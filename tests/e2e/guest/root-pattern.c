// SPDX-License-Identifier: GPL-2.0
/*
 * root-pattern CPU: a root-cell user process that keeps text in v0-v31,
 * FPCR, FPSR and TPIDR_EL0 on CPU (test_handover.py), so that whatever
 * takes the CPU next could see it if the hypervisor let it through.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char secret[] = "ROOT-USER-SECRET";

static void fill(unsigned char v[32][16], unsigned long tpidr)
{
	asm volatile("ldp q0, q1, [%0, #0]\n ldp q2, q3, [%0, #32]\n"
		     "ldp q4, q5, [%0, #64]\n ldp q6, q7, [%0, #96]\n"
		     "ldp q8, q9, [%0, #128]\n ldp q10, q11, [%0, #160]\n"
		     "ldp q12, q13, [%0, #192]\n ldp q14, q15, [%0, #224]\n"
		     "ldp q16, q17, [%0, #256]\n ldp q18, q19, [%0, #288]\n"
		     "ldp q20, q21, [%0, #320]\n ldp q22, q23, [%0, #352]\n"
		     "ldp q24, q25, [%0, #384]\n ldp q26, q27, [%0, #416]\n"
		     "ldp q28, q29, [%0, #448]\n ldp q30, q31, [%0, #480]\n"
		     "msr fpcr, %1\n msr fpsr, %2\n msr tpidr_el0, %3\n"
		     : : "r" (v), "r" (0x03c00000UL), "r" (0x0800001fUL),
		       "r" (tpidr)
		     : "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7",
		       "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15",
		       "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23",
		       "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
}

int main(int argc, char **argv)
{
	static unsigned char v[32][16] __attribute__((aligned(16)));
	unsigned long tpidr;
	cpu_set_t set;
	int cpu, n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CPU\n", argv[0]);
		return 2;
	}
	cpu = atoi(argv[1]);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		return 1;
	}
	for (n = 0; n < 32; n++)
		memcpy(v[n], secret, 16);
	memcpy(&tpidr, "ROOTTPID", sizeof(tpidr));
	printf("root-pattern: running on CPU %d\n", cpu);
	fflush(stdout);

	for (;;) {
		fill(v, tpidr);
		/* nothing here touches FP/SIMD: the pattern stays in place */
		for (n = 0; n < 100000; n++)
			asm volatile("" : : : "memory");
	}
}
