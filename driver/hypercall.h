/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calls from EL1 into EL2: Linux's hyp stub (before the hypervisor runs and
 * to enter it) and the Jailhouse hypercalls (while it runs).
 */
#ifndef _JAILHOUSE_DRIVER_HYPERCALL_H
#define _JAILHOUSE_DRIVER_HYPERCALL_H

#include <linux/stringify.h>
#include <linux/types.h>
#include <asm/virt.h>

#include <jailhouse/hypercall.h>

/*
 * Any function number the stub does not know (at least HVC_STUB_HCALL_NR).
 * Linux's stub answers it with HVC_STUB_ERR; KVM or any other code at EL2
 * answers differently.
 */
#define JAILHOUSE_STUB_PROBE_CALL	0x1234

/**
 * jailhouse_hyp_stub_probe() - Ask EL2 whether Linux's hyp stub owns it.
 *
 * EL2 must exist (ID_AA64PFR0_EL1.EL2), else "hvc" is undefined.
 *
 * Return: HVC_STUB_ERR if Linux's stub answered, anything else otherwise.
 */
static inline unsigned long jailhouse_hyp_stub_probe(void)
{
	register unsigned long x0 asm("x0") = JAILHOUSE_STUB_PROBE_CALL;

	asm volatile("hvc #0" : "+r" (x0) : : "memory");
	return x0;
}

/**
 * jailhouse_hyp_stub_enter() - Enter the hypervisor through the stub.
 * @entry:	physical address of the hypervisor's entry code
 * @cpu:	Linux's id of the calling CPU
 *
 * HVC_SOFT_RESTART makes the stub branch to @entry at EL2 with the MMU off
 * and x0 = @cpu.  The hypervisor returns behind the "hvc" with its result in
 * x0 and every register but x0..x4 preserved.
 *
 * Return: 0 once the CPU runs under the hypervisor, a negative errno if the
 * hypervisor could not start (the CPU then runs as before).
 */
static inline long jailhouse_hyp_stub_enter(phys_addr_t entry,
					    unsigned int cpu)
{
	register unsigned long x0 asm("x0") = HVC_SOFT_RESTART;
	register unsigned long x1 asm("x1") = entry;
	register unsigned long x2 asm("x2") = cpu;
	register unsigned long x3 asm("x3") = 0;
	register unsigned long x4 asm("x4") = 0;

	asm volatile("hvc #0"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3), "+r" (x4)
		     : : "memory", "cc");
	return (long)x0;
}

static inline long jailhouse_call_arg2(unsigned long code, unsigned long arg1,
				       unsigned long arg2)
{
	register unsigned long x0 asm("x0") = code;
	register unsigned long x1 asm("x1") = arg1;
	register unsigned long x2 asm("x2") = arg2;

	asm volatile("hvc #" __stringify(JAILHOUSE_HVC_CODE)
		     : "+r" (x0)
		     : "r" (x1), "r" (x2)
		     : "x3", "memory");
	return (long)x0;
}

static inline long jailhouse_call_arg1(unsigned long code, unsigned long arg1)
{
	return jailhouse_call_arg2(code, arg1, 0);
}

static inline long jailhouse_call(unsigned long code)
{
	return jailhouse_call_arg2(code, 0, 0);
}

#endif /* !_JAILHOUSE_DRIVER_HYPERCALL_H */
