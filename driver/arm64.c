// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 side of the driver (arch.h): the CPUs enter the hypervisor at EL2
 * through Linux's hyp stub, which must own EL2, and the hypervisor starts
 * with its MMU off, so what it reads first is pushed out of the caches.
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/align.h>
#include <linux/cpumask.h>
#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/smp.h>
#include <asm/barrier.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>
#include <asm/virt.h>

#include "arch.h"
#include "hypercall.h"

/*
 * Any function number the stub does not know (at least HVC_STUB_HCALL_NR).
 * Linux's stub answers it with HVC_STUB_ERR; KVM or any other code at EL2
 * answers differently.
 */
#define JAILHOUSE_STUB_PROBE_CALL	0x1234

/**
 * hyp_stub_probe() - Ask EL2 whether Linux's hyp stub owns it.
 *
 * EL2 must exist (ID_AA64PFR0_EL1.EL2), else "hvc" is undefined.
 *
 * Return: HVC_STUB_ERR if Linux's stub answered, anything else otherwise.
 */
static unsigned long hyp_stub_probe(void)
{
	register unsigned long x0 asm("x0") = JAILHOUSE_STUB_PROBE_CALL;

	asm volatile("hvc #0" : "+r" (x0) : : "memory");
	return x0;
}

/**
 * jailhouse_arch_enter() - Enter the hypervisor through the stub.
 * @entry:	physical address of the hypervisor's entry code
 * @cpu:	Linux's id of the calling CPU
 *
 * HVC_SOFT_RESTART makes the stub branch to @entry at EL2 with the MMU off
 * and x0 = @cpu.  The hypervisor returns behind the "hvc" with its result in
 * x0 and every register but x0..x4 preserved.
 *
 * Return: 0 once the CPU runs under the hypervisor, a negative errno if the
 * hypervisor could not start (the CPU then runs as before).
 */
int jailhouse_arch_prepare_entry(const struct jailhouse_memory *hv_mem)
{
	return 0;
}

void jailhouse_arch_entry_done(void)
{
}

long jailhouse_arch_enter(phys_addr_t entry, unsigned int cpu)
{
	register unsigned long x0 asm("x0") = HVC_SOFT_RESTART;
	register unsigned long x1 asm("x1") = entry;
	register unsigned long x2 asm("x2") = cpu;
	register unsigned long x3 asm("x3") = 0;
	register unsigned long x4 asm("x4") = 0;

	asm volatile("hvc #0"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3), "+r" (x4)
		     : : "memory", "cc");
	return (long)x0;
}

/**
 * kvm_owns_el2() - Whether KVM took EL2 from the hyp stub.
 *
 * KVM in nVHE or protected mode answers the stub's calls like the stub,
 * so the probe of jailhouse_arch_check_entry() cannot tell; but KVM
 * creates its "kvm" directory at the debugfs root only once it runs, at
 * EL2 or not.  KVM's own pointer to it (kvm_debugfs_dir) is exported by 6.1
 * but no longer by 6.12; debugfs_lookup() is exported by both.
 *
 * Return: true if KVM is initialised; false if not, or if debugfs is off
 * and so cannot tell (with a warning).
 */
static bool kvm_owns_el2(void)
{
	struct dentry *dir;

	if (!debugfs_initialized()) {
		pr_warn("debugfs is off, so whether KVM owns EL2 is unknown; if it does, boot with \"kvm-arm.mode=none\"\n");
		return false;
	}
	dir = debugfs_lookup("kvm", NULL);
	if (IS_ERR_OR_NULL(dir))
		return false;
	dput(dir);
	return true;
}

/*
 * Linux must run at EL1 with EL2 present and left to its hyp stub; see
 * also jailhouse_arch_check_entry().
 */
int jailhouse_arch_check_cpus(void)
{
	u64 pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);

	if (is_kernel_in_hyp_mode()) {
		pr_err("Linux runs at EL2 (VHE), so EL2 cannot be handed over; boot with \"id_aa64mmfr1.vh=0 kvm-arm.mode=none\"\n");
		return -EBUSY;
	}
	if (!cpuid_feature_extract_unsigned_field(pfr0,
						  ID_AA64PFR0_EL1_EL2_SHIFT)) {
		pr_err("the CPUs do not implement EL2 (virtualization extensions)\n");
		return -ENODEV;
	}
	if (kvm_owns_el2()) {
		pr_err("KVM owns EL2 (nVHE or protected mode); boot with \"kvm-arm.mode=none\"\n");
		return -EBUSY;
	}
	return 0;
}

static void probe_hyp_stub(void *info)
{
	unsigned long *answers = info;

	answers[smp_processor_id()] = hyp_stub_probe();
}

/* Every online CPU must find Linux's hyp stub at EL2, the only way in. */
int jailhouse_arch_check_entry(unsigned long *answers)
{
	unsigned int cpu, failed = 0, first = 0;

	on_each_cpu(probe_hyp_stub, answers, 1);

	for_each_online_cpu(cpu) {
		if (answers[cpu] == HVC_STUB_ERR)
			continue;
		if (!failed++)
			first = cpu;
	}
	if (failed) {
		pr_err("EL2 of CPU %u (and %u more) is not Linux's hyp stub (answered %#lx): the kernel was not started at EL2, or KVM owns EL2; boot with kvm-arm.mode=none\n",
		       first, failed - 1, answers[first]);
		return -ENODEV;
	}
	return 0;
}

void jailhouse_dcache_clean_inval_poc(void *start, size_t size)
{
	u64 ctr = read_sanitised_ftr_reg(SYS_CTR_EL0);
	unsigned long line = 4UL << cpuid_feature_extract_unsigned_field(ctr,
						CTR_EL0_DminLine_SHIFT);
	unsigned long addr = ALIGN_DOWN((unsigned long)start, line);
	unsigned long end = (unsigned long)start + size;

	for (; addr < end; addr += line)
		asm volatile("dc civac, %0" : : "r" (addr) : "memory");
	dsb(sy);
}

long jailhouse_arch_leave(void)
{
	return jailhouse_call(JAILHOUSE_HC_DISABLE);
}
