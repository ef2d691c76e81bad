/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host substitute for the hypervisor's asm/percpu.h: the "current CPU" is
 * whatever the test set in test_cpu_data.
 */
#ifndef _TEST_ASM_PERCPU_H
#define _TEST_ASM_PERCPU_H

#include <jailhouse/types.h>
#include <jailhouse/hypercall.h>
#include <asm/irqchip.h>

#define NUM_CPU_STATS		JAILHOUSE_ARM_NUM_CPU_STATS

struct arch_per_cpu {
	int unused;
};

/* The per_cpu the code under test runs on; set by the test. */
extern void *test_cpu_data;

static inline void *arch_get_cpu_data(void)
{
	return test_cpu_data;
}

#endif /* !_TEST_ASM_PERCPU_H */
