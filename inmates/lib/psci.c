// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * PSCI calls, through the platform's conduit.
 */
#include "lib.h"

/**
 * psci_call() - Call a PSCI function.
 * @function:	function ID (PSCI_*)
 * @arg0:	x1
 * @arg1:	x2
 * @arg2:	x3
 *
 * Return: x0 as PSCI returns it (PSCI_SUCCESS or a negative PSCI error).
 */
long psci_call(u32 function, u64 arg0, u64 arg1, u64 arg2)
{
	register u64 x0 asm("x0") = function;
	register u64 x1 asm("x1") = arg0;
	register u64 x2 asm("x2") = arg1;
	register u64 x3 asm("x3") = arg2;

	if (platform.psci_conduit == PSCI_CONDUIT_SMC)
		asm volatile("smc #0"
			     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
			     : : "memory");
	else
		asm volatile("hvc #0"
			     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
			     : : "memory");
	return x0;
}
