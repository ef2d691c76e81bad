/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest register frame and exit handling of the arm64 hypervisor.
 */
#ifndef _JAILHOUSE_ASM_TRAPS_H
#define _JAILHOUSE_ASM_TRAPS_H

/* Exit kinds, passed from the vectors (exception.S) in x1. */
#define EXIT_SYNC		0
#define EXIT_IRQ		1
#define EXIT_FIQ		2
#define EXIT_SERROR		3

#ifndef __ASSEMBLY__

#include <jailhouse/types.h>

struct per_cpu;

/*
 * A guest's general-purpose registers and return state at an exit.  The
 * frame of the guest lies at the top of the CPU's stack; see
 * guest_context().
 */
struct trap_context {
	u64 regs[31];
	u64 elr;
	u64 spsr;
	u64 padding;	/* keeps the stack 16-byte aligned */
};

struct trap_context *guest_context(struct per_cpu *cpu_data);

/* exception.S: load @ctx (the top-of-stack frame) and return to it. */
void __attribute__((noreturn)) vmreturn(struct trap_context *ctx);

/*
 * entry.S: leave the hypervisor with the state in @ctx, EL2 state of Linux
 * restored, MMU off.  With @cpu_off, call the firmware's PSCI CPU_OFF
 * instead of returning to @ctx.
 */
void __attribute__((noreturn))
arch_leave_hypervisor(struct per_cpu *cpu_data, struct trap_context *ctx,
		      bool cpu_off);

/* C targets of the vectors */
void arch_handle_exit(struct trap_context *ctx, unsigned long kind);
/*
 * An interrupt exit (@kind EXIT_IRQ or EXIT_FIQ), whose frame holds only
 * x0-x18 and x30 (exception.S): returns whether the CPU must park, for
 * which the vector completes the frame.
 */
bool arch_handle_irq(unsigned long kind);
/*
 * An exception taken at EL2: stops the CPU, unless it is a fault of a
 * device access for a guest, which resumes at the access's fixup.
 */
void arch_handle_hyp_fault(struct trap_context *ctx, unsigned long kind);

/* traps.c */
void arch_skip_instruction(struct trap_context *ctx);
void arch_inject_undef(struct trap_context *ctx);

/* Register Rt of a trap, with x31 reading as zero and ignoring writes. */
static inline u64 ctx_get_reg(struct trap_context *ctx, unsigned int reg)
{
	return reg < 31 ? ctx->regs[reg] : 0;
}

static inline void ctx_set_reg(struct trap_context *ctx, unsigned int reg,
			       u64 val)
{
	if (reg < 31)
		ctx->regs[reg] = val;
}

#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_ASM_TRAPS_H */
