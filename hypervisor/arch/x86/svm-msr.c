// SPDX-License-Identifier: GPL-2.0
/*
 * The MSRs of cells under SVM: the permission map of each cell and the
 * accesses it intercepts.
 *
 * The root cell, Linux, owns the machine: its accesses reach the CPU but
 * for EFER (which keeps SVME, hidden), SVM's own MSRs and the PAT.  A
 * guest's PAT accesses would reach the PAT that the hypervisor's own
 * mappings use, not the guest PAT of the VMCB that its translations use:
 * they are carried out on the VMCB's.
 *
 * A non-root cell may be hostile: of the MSRs it reaches directly, each
 * is its CPU's own state, which the VMCB holds or vcpu_reset() scrubs;
 * it reads what the machine is (the TSC, the MTRRs); everything else,
 * the MSRs that change the machine for all (MTRRs, machine checks,
 * microcode, power and model-specific controls), is refused with #GP and
 * a message.
 */
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>
#include <asm/processor.h>
#include <asm/vcpu.h>
#include <asm/vmcb.h>

#define RDMSR_WRMSR_LEN		2

#define MSR_TSC			0x00000010
#define MSR_MTRR_CAP		0x000000fe
#define MSR_SYSENTER_CS		0x00000174
#define MSR_SYSENTER_ESP	0x00000175
#define MSR_SYSENTER_EIP	0x00000176
#define MSR_MTRR_VAR_FIRST	0x00000200
#define MSR_MTRR_VAR_LAST	0x0000020f
#define MSR_MTRR_FIX_64K	0x00000250
#define MSR_MTRR_FIX_16K_FIRST	0x00000258
#define MSR_MTRR_FIX_16K_LAST	0x00000259
#define MSR_MTRR_FIX_4K_FIRST	0x00000268
#define MSR_MTRR_FIX_4K_LAST	0x0000026f
#define MSR_MTRR_DEF_TYPE	0x000002ff
#define MSR_TSC_DEADLINE	0x000006e0
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102

/* the two bits of an MSR in the permission map */
#define MSRPM_READ		1
#define MSRPM_WRITE		2
#define MSRPM_BOTH		(MSRPM_READ | MSRPM_WRITE)

/* MSR permission map: three ranges of 8192 MSRs, two bits each */
static const struct {
	u32 first;
	u32 offset;
} msrpm_ranges[] = {
	{ 0x00000000, 0x0000 },
	{ 0xc0000000, 0x0800 },
	{ 0xc0010000, 0x1000 },
};

/* A non-root cell's own: in the VMCB (VMLOAD/VMSAVE) or reset with it. */
static const u32 cell_own_msrs[] = {
	MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
	MSR_TSC_AUX, MSR_TSC_DEADLINE,
};

/* What a non-root cell may read of the machine. */
static const struct {
	u32 first, last;
} cell_readable_msrs[] = {
	{ MSR_TSC, MSR_TSC },
	{ MSR_MTRR_CAP, MSR_MTRR_CAP },
	{ MSR_MTRR_VAR_FIRST, MSR_MTRR_VAR_LAST },
	{ MSR_MTRR_FIX_64K, MSR_MTRR_FIX_64K },
	{ MSR_MTRR_FIX_16K_FIRST, MSR_MTRR_FIX_16K_LAST },
	{ MSR_MTRR_FIX_4K_FIRST, MSR_MTRR_FIX_4K_LAST },
	{ MSR_MTRR_DEF_TYPE, MSR_MTRR_DEF_TYPE },
};

/* Intercept (@on) or pass the accesses @bits of @msr; outside: always. */
static void msrpm_set(u8 *bitmap, u32 msr, unsigned int bits, bool on)
{
	unsigned int n, bit;

	for (n = 0; n < ARRAY_SIZE(msrpm_ranges); n++) {
		if (msr - msrpm_ranges[n].first >= 0x2000)
			continue;
		bit = (msr - msrpm_ranges[n].first) * 2;
		if (on)
			bitmap[msrpm_ranges[n].offset + bit / 8] |=
				bits << (bit % 8);
		else
			bitmap[msrpm_ranges[n].offset + bit / 8] &=
				~(bits << (bit % 8));
	}
}

/**
 * svm_msr_cell_init() - the MSR permission map of @cell
 * @cell:	the cell, its map allocated (SVM_MSRPM_PAGES)
 *
 * The root: all pass but those of EFER, SVM and the PAT.  Others: all
 * intercepted but the cell's own MSRs and reads of the machine's.
 */
void svm_msr_cell_init(struct cell *cell)
{
	u8 *bitmap = cell->arch.msr_bitmap;
	unsigned int n;
	u32 msr;

	if (cell == &root_cell) {
		memset(bitmap, 0, SVM_MSRPM_PAGES * PAGE_SIZE);
		msrpm_set(bitmap, MSR_EFER, MSRPM_BOTH, true);
		msrpm_set(bitmap, MSR_VM_CR, MSRPM_BOTH, true);
		msrpm_set(bitmap, MSR_VM_HSAVE_PA, MSRPM_BOTH, true);
		msrpm_set(bitmap, MSR_IA32_PAT, MSRPM_BOTH, true);
		return;
	}

	memset(bitmap, 0xff, SVM_MSRPM_PAGES * PAGE_SIZE);
	for (n = 0; n < ARRAY_SIZE(cell_own_msrs); n++)
		msrpm_set(bitmap, cell_own_msrs[n], MSRPM_BOTH, false);
	for (n = 0; n < ARRAY_SIZE(cell_readable_msrs); n++)
		for (msr = cell_readable_msrs[n].first;
		     msr <= cell_readable_msrs[n].last; msr++)
			msrpm_set(bitmap, msr, MSRPM_READ, false);
}

/* Each of the 8 PAT entries: UC, WC, WT, WP, WB or UC- (not 2, 3, >7). */
static bool pat_valid(u64 pat)
{
	unsigned int n;
	u8 type;

	for (n = 0; n < 8; n++) {
		type = pat >> (n * 8);
		if (type > 7 || type == 2 || type == 3)
			return false;
	}
	return true;
}

/**
 * svm_handle_msr() - an intercepted RDMSR or WRMSR
 * @cpu_data:	the calling CPU
 * @regs:	its guest's registers (RCX the MSR, EDX:EAX the value)
 *
 * EFER, SVM's MSRs, the PAT, the APIC base and the x2APIC's MSRs are
 * emulated (the last two only non-root cells' reach here: apic.c); any
 * other access the map intercepts, or the CPU always does (MSRs outside
 * the map's ranges), raises #GP in the guest, as the CPU's own refusal
 * would.
 */
void svm_handle_msr(struct per_cpu *cpu_data, struct guest_regs *regs)
{
	struct vmcb *vmcb = &cpu_data->arch.vmcb;
	bool write = vmcb->exitinfo1 & SVM_MSR_WRITE;
	u32 msr = regs->rcx;
	u64 value = (vmcb->rax & 0xffffffff) | (regs->rdx << 32);

	if (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST) {
		if (!x86_x2apic_access(cpu_data, msr, write, &value))
			goto refuse;
		goto done;
	}
	cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_MSR_OTHER]++;
	switch (msr) {
	case MSR_EFER:
		if (write)
			vmcb->efer = value | EFER_SVME;
		else
			value = vmcb->efer & ~EFER_SVME;
		break;
	case MSR_VM_CR:
		/* SVM looks disabled by the firmware; writes go nowhere */
		value = read_msr(MSR_VM_CR) | VM_CR_SVMDIS;
		break;
	case MSR_VM_HSAVE_PA:
		/* the guest has no SVM: its save area does not matter */
		value = 0;
		break;
	case MSR_IA32_PAT:
		if (!write)
			value = vmcb->g_pat;
		else if (pat_valid(value))
			vmcb->g_pat = value;
		else
			goto refuse;
		break;
	case MSR_IA32_APIC_BASE:
		x86_apic_base_access(cpu_data, write, &value);
		break;
	default:
		goto refuse;
	}
done:
	if (!write) {
		vmcb->rax = value & 0xffffffff;
		regs->rdx = value >> 32;
	}
	vmcb->rip += RDMSR_WRMSR_LEN;
	return;

refuse:
	cell_printk(cpu_data->cell,
		    "Cell \"%s\": MSR 0x%x %s refused, #GP injected (CPU %u)\n",
		    cpu_data->cell->config->name, msr, write ? "write" : "read",
		    cpu_data->cpu_id);
	svm_inject_gp(vmcb);
}
