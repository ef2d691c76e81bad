// SPDX-License-Identifier: GPL-2.0
/*
 * Structure offsets and sizes for the x86 assembly code
 * (jailhouse/asm-defines.h).
 */
#include <jailhouse/asm-defines.h>

void asm_defines(void);

void asm_defines(void)
{
	common_asm_defines();

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
