/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For arch/<arch>/asm-defines.c, the structure offsets and sizes of the
 * assembly code: compiled to assembly only, its "->NAME value" markers
 * become include/generated/asm-defines.h (Makefile).
 */
#ifndef _JAILHOUSE_ASM_DEFINES_H
#define _JAILHOUSE_ASM_DEFINES_H

#include <jailhouse/header.h>
#include <jailhouse/percpu.h>

#define DEFINE(sym, val) \
	asm volatile("\n.ascii \"->" #sym " %0\"" : : "i" (val))

#define OFFSET(sym, type, member) \
	DEFINE(sym, __builtin_offsetof(type, member))

/* What the entry code of every architecture needs. */
static inline void common_asm_defines(void)
{
	/* header.h is C only: its constants go through here */
	DEFINE(HV_BASE, JAILHOUSE_BASE);

	OFFSET(HEADER_MAX_CPUS, struct jailhouse_header, max_cpus);

	DEFINE(PERCPU_SIZE, sizeof(struct per_cpu));
	DEFINE(PERCPU_STACK_END, __builtin_offsetof(struct per_cpu, stack) +
	       PERCPU_STACK_SIZE);
}

#endif /* !_JAILHOUSE_ASM_DEFINES_H */
