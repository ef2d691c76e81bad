// SPDX-License-Identifier: GPL-2.0
/*
 * Structure offsets and sizes for the arm64 assembly code
 * (jailhouse/asm-defines.h).
 */
#include <jailhouse/asm-defines.h>
#include <jailhouse/cell-config.h>
#include <jailhouse/hypercall.h>
#include <jailhouse/mmio.h>
#include <asm/gic.h>
#include <asm/traps.h>

void asm_defines(void);

void asm_defines(void)
{
	common_asm_defines();

	OFFSET(HEADER_CORE_SIZE, struct jailhouse_header, core_size);
	OFFSET(HEADER_PERCPU_SIZE, struct jailhouse_header, percpu_size);

	OFFSET(SYSCONFIG_HV_SIZE, struct jailhouse_system,
	       hypervisor_memory.size);
	DEFINE(SYSCONFIG_SIZE, sizeof(struct jailhouse_system));

	OFFSET(PERCPU_BOOT_PT, struct per_cpu, arch.boot_pt);
	OFFSET(PERCPU_LINUX_REGS, struct per_cpu, arch.linux_el2.regs);
	OFFSET(PERCPU_LINUX_SP, struct per_cpu, arch.linux_el2.sp);
	OFFSET(PERCPU_LINUX_ELR, struct per_cpu, arch.linux_el2.elr);
	OFFSET(PERCPU_LINUX_SPSR, struct per_cpu, arch.linux_el2.spsr);
	OFFSET(PERCPU_LINUX_VBAR, struct per_cpu, arch.linux_el2.vbar);
	OFFSET(PERCPU_LINUX_HCR, struct per_cpu, arch.linux_el2.hcr);
	OFFSET(PERCPU_LINUX_SCTLR, struct per_cpu, arch.linux_el2.sctlr);
	OFFSET(PERCPU_LINUX_TCR, struct per_cpu, arch.linux_el2.tcr);
	OFFSET(PERCPU_LINUX_MAIR, struct per_cpu, arch.linux_el2.mair);
	OFFSET(PERCPU_LINUX_TTBR0, struct per_cpu, arch.linux_el2.ttbr0);
	OFFSET(PERCPU_LINUX_TPIDR, struct per_cpu, arch.linux_el2.tpidr);
	OFFSET(PERCPU_PHYS_BASE, struct per_cpu, arch.phys_base);

	DEFINE(CTX_SIZE, sizeof(struct trap_context));
	OFFSET(CTX_ELR, struct trap_context, elr);

	OFFSET(MMIO_ACCESS_SIZE, struct mmio_access, size);
	OFFSET(MMIO_ACCESS_IS_WRITE, struct mmio_access, is_write);
	OFFSET(MMIO_ACCESS_VALUE, struct mmio_access, value);
	DEFINE(MMIO_HANDLED, MMIO_HANDLED);

	DEFINE(GIC_DIRECT_MIN_PRIO, GIC_DIRECT_MIN_PRIORITY);
	OFFSET(PERCPU_VMEXITS_TOTAL, struct per_cpu,
	       stats[JAILHOUSE_CPU_STAT_VMEXITS_TOTAL]);
}
