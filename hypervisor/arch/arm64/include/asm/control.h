/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Requests between the hypervisor's CPUs, parking and waking.
 */
#ifndef _JAILHOUSE_ASM_CONTROL_H
#define _JAILHOUSE_ASM_CONTROL_H

struct trap_context;

/*
 * Called by irqchip_handle_irq() when SGI_HYPERVISOR arrived on this CPU,
 * after acknowledging and deactivating it: processes the CPU's pending
 * management requests (wake-up from parking, shutdown).
 */
void arch_handle_hypervisor_sgi(void);

/*
 * arch_park_cpu() - stop the calling CPU in the hypervisor
 * @ctx:	the CPU's guest frame
 *
 * For PSCI CPU_OFF, a request of the hypervisor (arch_request_park) or a
 * failure.  Returns when the CPU is started again (PSCI CPU_ON, cell start
 * or reset), possibly in another cell, with @ctx set up for the entry
 * point; does not return if the hypervisor is disabled meanwhile.
 */
void arch_park_cpu(struct trap_context *ctx);
/*
 * Park the calling CPU of a non-root cell for what its cell did: the CPU
 * is "failed" until its cell starts again.  The caller said what happened.
 */
void arch_fail_cpu(struct trap_context *ctx);
/*
 * Let the calling CPU start afresh at @entry, EL1 with its MMU off and
 * x0 = @context, in the cell it belongs to now.
 */
void arch_cpu_restart(struct trap_context *ctx, unsigned long entry,
		      unsigned long context);

#endif /* !_JAILHOUSE_ASM_CONTROL_H */
