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
 * arch_park_cpu() - stop the calling CPU in the hypervisor (PSCI CPU_OFF)
 * @ctx:	the CPU's guest frame
 *
 * Returns when CPU_ON woke the CPU, with @ctx set up for the entry point;
 * does not return if the hypervisor is disabled meanwhile.
 */
void arch_park_cpu(struct trap_context *ctx);

/* Make a parked CPU look at its requests. */
void arch_wake_cpu(unsigned int cpu);

#endif /* !_JAILHOUSE_ASM_CONTROL_H */
