// SPDX-License-Identifier: GPL-2.0
/*
 * Structure offsets and sizes for the assembly code.  Compiled to assembly
 * only; the Makefile turns the "->NAME value" markers into
 * include/generated/asm-defines.h.
 */
#include <jailhouse/header.h>
#include <jailhouse/percpu.h>

#define DEFINE(sym, val) \
	asm volatile("\n.ascii \"->" #sym " %0\"" : : "i" (val))

#define OFFSET(sym, type, member) \
	DEFINE(sym, __builtin_offsetof(type, member))

void asm_defines(void);

void asm_defines(void)
{
	/* header.h is C only: its constants go through here */
	DEFINE(HV_BASE, JAILHOUSE_BASE);

	OFFSET(HEADER_MAX_CPUS, struct jailhouse_header, max_cpus);

	DEFINE(PERCPU_SIZE, sizeof(struct per_cpu));
	DEFINE(PERCPU_STACK_END, __builtin_offsetof(struct per_cpu, stack) +
	       PERCPU_STACK_SIZE);
	OFFSET(PERCPU_LINUX_CR3, struct per_cpu, arch.entry_state.cr3);
	OFFSET(PERCPU_LINUX_RSP, struct per_cpu, arch.entry_state.rsp);
	OFFSET(PERCPU_LINUX_LEAVE_RIP, struct per_cpu, arch.entry_state.leave_rip);
	OFFSET(PERCPU_LINUX_ENTRY_PAGE, struct per_cpu,
	       arch.entry_state.entry_page_phys);
	OFFSET(PERCPU_LINUX_LAR_CS_SS, struct per_cpu, arch.entry_state.lar_cs_ss);
	OFFSET(PERCPU_LINUX_LAR_DS_ES, struct per_cpu, arch.entry_state.lar_ds_es);
	OFFSET(PERCPU_LINUX_CR4, struct per_cpu, arch.entry_state.cr4);
	OFFSET(PERCPU_LINUX_PHYS_BASE, struct per_cpu, arch.entry_state.phys_base);

	OFFSET(LINUX_RETURN_RIP, struct linux_return, rip);
	OFFSET(LINUX_RETURN_RAX, struct linux_return, rax);
	OFFSET(LINUX_RETURN_CR3, struct linux_return, cr3);
	OFFSET(LINUX_RETURN_RSP, struct linux_return, rsp);
	OFFSET(LINUX_RETURN_CR4, struct linux_return, cr4);

	DEFINE(GUEST_REGS_SIZE, sizeof(struct guest_regs));
}
