/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host substitute for the hypervisor's asm/processor.h.  A CPU waiting for
 * others calls test_cpu_relax(): a test running several "CPUs" in turn on
 * one thread lets the others make progress there (support.c has a default
 * that does nothing).
 */
#ifndef _TEST_ASM_PROCESSOR_H
#define _TEST_ASM_PROCESSOR_H

void test_cpu_relax(void);

static inline void cpu_relax(void)
{
	test_cpu_relax();
}

static inline void wfi(void)
{
}

/* x86's TSC: the test's clock. */
unsigned long long read_tsc(void);

/* x86's TLB control: the test's model of each CPU's TLB. */
unsigned long read_cr3(void);
void write_cr3(unsigned long cr3);
void invlpg(unsigned long addr);

#endif /* !_TEST_ASM_PROCESSOR_H */
