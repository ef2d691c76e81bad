/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The entry from the driver and the way back (entry.S, setup.c).
 */
#ifndef _JAILHOUSE_ASM_ENTRY_H
#define _JAILHOUSE_ASM_ENTRY_H

struct per_cpu;
struct linux_return;

/* setup.c: the hypervisor's GDT and IDT, called by the entry code. */
void arch_entry_cpu(struct per_cpu *cpu_data);

/* entry.S: load @ret and jump to the driver's leave code. */
void __attribute__((noreturn)) arch_leave_linux(struct linux_return *ret);

#endif /* !_JAILHOUSE_ASM_ENTRY_H */
