/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parking and starting the CPUs of x86 cells (control.c), the APIC's part
 * in it (apic.c).
 */
#ifndef _JAILHOUSE_ASM_CONTROL_H
#define _JAILHOUSE_ASM_CONTROL_H

#include <jailhouse/types.h>

struct per_cpu;
struct guest_regs;

/*
 * Park the calling CPU, out of its guest, until it starts anew; returns
 * with its guest state reset for the start (vcpu_reset()).
 */
void x86_park_cpu(struct per_cpu *cpu_data, struct guest_regs *regs);
/* The same as failed: the caller said why. */
void x86_fail_cpu(struct per_cpu *cpu_data, struct guest_regs *regs);
/* INIT (@sipi false) or SIPI with @vector of a cell to its CPU @cpu. */
void x86_cpu_init_sipi(unsigned int cpu, bool sipi, u8 vector);

/* apic.c: the calling CPU's APIC as after INIT, for its next owner. */
void x86_apic_reset(struct per_cpu *cpu_data);
/* apic.c: the calling CPU's APIC timer stopped while it is parked. */
void x86_apic_quiesce(void);

#endif /* !_JAILHOUSE_ASM_CONTROL_H */
