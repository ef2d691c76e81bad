/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Jailhouse hypercalls, from the root cell into the hypervisor while it
 * runs (ABI: "Hypercalls"): code and two arguments in, one result out, a
 * negative errno on failure.
 */
#ifndef _JAILHOUSE_DRIVER_HYPERCALL_H
#define _JAILHOUSE_DRIVER_HYPERCALL_H

#include <linux/stringify.h>
#include <linux/types.h>

#include <jailhouse/hypercall.h>

#if defined(CONFIG_ARM64)

/* "hvc #JAILHOUSE_HVC_CODE": code in x0, arguments in x1 and x2, x3 lost */
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

#elif defined(CONFIG_X86_64)

/*
 * "vmmcall" (AMD SVM): code in rax, arguments in rdi and rsi, the result in
 * rax; every other register is preserved.
 */
static inline long jailhouse_call_arg2(unsigned long code, unsigned long arg1,
				       unsigned long arg2)
{
	unsigned long result;

	asm volatile("vmmcall"
		     : "=a" (result)
		     : "a" (code), "D" (arg1), "S" (arg2)
		     : "memory");
	return (long)result;
}

#endif

static inline long jailhouse_call_arg1(unsigned long code, unsigned long arg1)
{
	return jailhouse_call_arg2(code, arg1, 0);
}

static inline long jailhouse_call(unsigned long code)
{
	return jailhouse_call_arg2(code, 0, 0);
}

#endif /* !_JAILHOUSE_DRIVER_HYPERCALL_H */
