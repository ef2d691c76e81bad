/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Where CPUs started with PSCI CPU_ON (smp.c) enter, at EL1, MMU off.
 */
#include "lib.h"

	.text

/*
 * x0: struct cpu_boot, cleaned to the point of coherency by the CPU that
 * started us.  Nothing but that structure is read before the MMU is on.
 */
	.globl	secondary_entry
secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	ldr	x1, [x0, #BOOT_MAIR]
	msr	mair_el1, x1
	ldr	x1, [x0, #BOOT_TCR]
	msr	tcr_el1, x1
	ldr	x1, [x0, #BOOT_TTBR0]
	msr	ttbr0_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x1, [x0, #BOOT_SCTLR]
	msr	sctlr_el1, x1
	isb
	ic	iallu
	dsb	nsh
	isb
	ldr	x1, [x0, #BOOT_STACK]
	mov	sp, x1
	ldr	x1, [x0, #BOOT_VBAR]
	msr	vbar_el1, x1
	ldr	x1, [x0, #BOOT_INDEX]
	msr	tpidr_el1, x1
	isb
	bl	secondary_startup
	b	.
