/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtualization backend of arch/x86: AMD SVM (svm.c) now, Intel VT-x
 * later.  The rest of arch/x86 calls only these.
 */
#ifndef _JAILHOUSE_ASM_VCPU_H
#define _JAILHOUSE_ASM_VCPU_H

#include <jailhouse/types.h>

struct cell;
struct per_cpu;
struct paging_desc;
struct guest_regs;
struct vmcb;

/*
 * vcpu_paging_init() - the cells' guest-physical page-table format
 * @levels:	paging levels of the host (4, or 5 with CR4.LA57)
 *
 * Return: the format, or NULL if the CPU lacks the extension or nested
 * paging (said why).
 */
const struct paging_desc *vcpu_paging_init(unsigned int levels);

/* A cell's permission maps from its config; undone by vcpu_cell_exit(). */
int vcpu_cell_init(struct cell *cell);
void vcpu_cell_exit(struct cell *cell);

/*
 * vcpu_init() - turn the extension on and prepare the guest state of
 * Linux at the driver's leave code; vcpu_exit() turns it off again.
 */
int vcpu_init(struct per_cpu *cpu_data);
void vcpu_exit(struct per_cpu *cpu_data);

/* Run the guest on the calling CPU; its exits are handled here. */
void __attribute__((noreturn)) vcpu_activate(struct per_cpu *cpu_data);

/*
 * Linux's state as the guest left it, for the leave code: control and
 * descriptor table registers, EFER, PAT, DR7 and CR2 loaded into the CPU,
 * the rest into cpu_data->arch.linux_return.
 */
void vcpu_linux_return_state(struct per_cpu *cpu_data);

/*
 * Make @cpu exit from its guest soon (an NMI, which the backend does not
 * pass on to the guest).
 */
void vcpu_kick(unsigned int cpu);

/*
 * vcpu_reset() - the calling CPU's guest state as after INIT and SIPI in
 * its (new) cell, starting in real mode at @cs:@ip; nothing of the former
 * guest is left in the CPU (registers, FPU, local APIC).
 */
void vcpu_reset(struct per_cpu *cpu_data, struct guest_regs *regs, u16 cs,
		u16 ip);

/*
 * Park the calling CPU at its next halt with interrupts off (@watch), or
 * no longer.
 */
void vcpu_watch_halt(struct per_cpu *cpu_data, bool watch);

/*
 * Wait, parked, for vcpu_kick(): returns at the kick, or at once if one
 * came since the last return (or at any NMI).
 */
void vcpu_wait_kick(void);

/* svm-vmrun.S: VMRUN loop on the guest frame @regs (top of the stack). */
void __attribute__((noreturn)) svm_vmrun_loop(struct guest_regs *regs);
/* svm.c: one exit, called by the VMRUN loop. */
void svm_handle_exit(struct guest_regs *regs);
/*
 * svm.c: the guest's CPU parks as failed, the exit and @what reported; a
 * #GP for the guest.
 */
void svm_guest_fatal(struct per_cpu *cpu_data, struct guest_regs *regs,
		     const char *what);
void svm_inject_gp(struct vmcb *vmcb);
/*
 * svm-npf.c: a nested page fault; the bytes of the guest's current
 * instruction, up to 15, as far as they are mapped (0 if none).
 */
void svm_handle_npf(struct per_cpu *cpu_data, struct guest_regs *regs);
unsigned int svm_fetch_insn(struct per_cpu *cpu_data, u8 *buf);
/* svm-msr.c: the MSR permission map of a cell, and an MSR exit. */
void svm_msr_cell_init(struct cell *cell);
void svm_handle_msr(struct per_cpu *cpu_data, struct guest_regs *regs);

#endif /* !_JAILHOUSE_ASM_VCPU_H */
