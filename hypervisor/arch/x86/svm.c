// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD SVM backend of the vcpu interface (asm/vcpu.h): a VMCB per CPU,
 * nested paging, permission maps per cell and the exit handlers
 * (Documentation/x86.md, "SVM").
 *
 * Every cell's physical interrupts reach it in guest mode without exits
 * (no INTR intercept, V_INTR_MASKING off): the guest's RFLAGS.IF and TPR
 * act on the physical ones.  NMIs exit: the hypervisor's kick is one.
 * The hypervisor itself runs with GIF clear, so nothing interrupts it but
 * where it opens GIF on purpose (parked CPUs, x86_apic_reset()).
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/pio.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>
#include <asm/control.h>
#include <asm/io.h>
#include <asm/mmio-decode.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/processor.h>
#include <asm/vcpu.h>
#include <asm/vmcb.h>

/* Instruction lengths: without NRIP save the exits do not say them. */
#define VMMCALL_LEN		3
#define CPUID_LEN		2
#define HLT_LEN			1
#define CACHE_FLUSH_LEN		2
/* INVD: 0f 08 (WBINVD: 0f 09) */
#define OPCODE_ESCAPE		0x0f
#define OPCODE_INVD		0x08

/* "Jailhouse" in EBX, ECX, EDX of CPUID 0x40000000 (ABI.md 2.) */
#define HV_SIGNATURE_EBX	0x6c69614a	/* "Jail" */
#define HV_SIGNATURE_ECX	0x73756f68	/* "hous" */
#define HV_SIGNATURE_EDX	0x00000065	/* "e" */

const struct paging_desc *vcpu_paging_init(unsigned int levels)
{
	return x86_npt_paging(levels);
}

static void io_trap(u8 *bitmap, unsigned int port, unsigned int len)
{
	for (; len > 0 && port <= 0xffff; port++, len--)
		bitmap[port / 8] |= 1 << (port % 8);
}

/*
 * The I/O permission map: the cell's port bitmap (pio.c, the same layout)
 * for the 64 Ki ports, the rest of the map (accesses that run past port
 * 0xffff) trapped, and the PCI configuration ports always.
 */
static void update_io_bitmap(struct cell *cell)
{
	memcpy(cell->arch.io_bitmap, cell->pio_bitmap, PIO_BITMAP_BYTES);
	memset(cell->arch.io_bitmap + PIO_BITMAP_BYTES, 0xff,
	       SVM_IOPM_PAGES * PAGE_SIZE - PIO_BITMAP_BYTES);
	io_trap(cell->arch.io_bitmap, PCI_CONFIG_PORT_FIRST,
		PCI_CONFIG_PORT_LAST - PCI_CONFIG_PORT_FIRST + 1);
}

/*
 * The CPUs consult the map in memory at each port access: the new bits
 * hold from the next access on.
 */
void arch_pio_changed(struct cell *cell)
{
	update_io_bitmap(cell);
}

/**
 * vcpu_cell_init() - the permission maps of a cell
 * @cell:	the cell, its config in place and its port bitmap made
 *
 * Ports: those of the cell's port bitmap pass, the PCI configuration
 * ports never (pci.c filters them).  MSRs: svm-msr.c.
 */
int vcpu_cell_init(struct cell *cell)
{
	cell->arch.io_bitmap = page_alloc(&mem_pool, SVM_IOPM_PAGES);
	if (!cell->arch.io_bitmap)
		return -ENOMEM;
	cell->arch.msr_bitmap = page_alloc(&mem_pool, SVM_MSRPM_PAGES);
	if (!cell->arch.msr_bitmap) {
		page_free(&mem_pool, cell->arch.io_bitmap, SVM_IOPM_PAGES);
		return -ENOMEM;
	}

	update_io_bitmap(cell);
	svm_msr_cell_init(cell);
	return 0;
}

void vcpu_cell_exit(struct cell *cell)
{
	page_free(&mem_pool, cell->arch.io_bitmap, SVM_IOPM_PAGES);
	page_free(&mem_pool, cell->arch.msr_bitmap, SVM_MSRPM_PAGES);
}

static int check_svm(unsigned int cpu)
{
	u32 eax, ebx, ecx, edx;

	cpuid(CPUID_EXT_FEATURES, 0, &eax, &ebx, &ecx, &edx);
	if (!(ecx & CPUID_EXT_ECX_SVM)) {
		printk("CPU %u: no AMD SVM\n", cpu);
		return -ENODEV;
	}
	cpuid(CPUID_SVM_FEATURES, 0, &eax, &ebx, &ecx, &edx);
	if (!(edx & CPUID_SVM_EDX_NPT)) {
		printk("CPU %u: SVM without nested paging\n", cpu);
		return -ENODEV;
	}
	if (read_msr(MSR_VM_CR) & VM_CR_SVMDIS) {
		printk("CPU %u: SVM disabled by the firmware\n", cpu);
		return -ENODEV;
	}
	if (read_msr(MSR_EFER) & EFER_SVME) {
		printk("CPU %u: SVM is in use (KVM loaded?)\n", cpu);
		return -EBUSY;
	}
	return 0;
}

/* Access rights of LAR (bits 23:8) as VMCB segment attributes. */
static u16 lar_to_attrib(u32 lar)
{
	return ((lar >> 8) & 0xff) | ((lar >> 12) & 0xf00);
}

static void set_segment(struct vmcb_segment *seg, u16 selector, u32 lar)
{
	seg->selector = selector;
	seg->attrib = lar_to_attrib(lar);
	seg->limit = lar ? 0xffffffff : 0;
	seg->base = 0;
}

/*
 * The control area for the CPU's cell: intercepts, its permission maps,
 * its NPT and ASID, whose translations go at the first VMRUN.
 */
static void init_controls(struct per_cpu *cpu_data)
{
	struct vmcb *vmcb = &cpu_data->arch.vmcb;
	struct cell *cell = cpu_data->cell;

	memset(vmcb, 0, sizeof(*vmcb));
	vmcb->intercept_misc1 = SVM_INTERCEPT_CPUID | SVM_INTERCEPT_IOIO_PROT |
		SVM_INTERCEPT_MSR_PROT | SVM_INTERCEPT_SHUTDOWN |
		SVM_INTERCEPT_INIT | SVM_INTERCEPT_NMI | SVM_INTERCEPT_INVLPGA |
		SVM_INTERCEPT_INVD;
	vmcb->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
		SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
		SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
		SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_WBINVD;
	/*
	 * The performance counters are the root's (a non-root cell gets #GP
	 * for their MSRs, svm-msr.c): what they count is not the cell's.
	 */
	if (cell != &root_cell)
		vmcb->intercept_misc1 |= SVM_INTERCEPT_RDPMC;
	vmcb->iopm_base_pa = paging_hvirt2phys(cell->arch.io_bitmap);
	vmcb->msrpm_base_pa = paging_hvirt2phys(cell->arch.msr_bitmap);
	vmcb->guest_asid = cell->arch.stage2.tag;
	vmcb->tlb_control = SVM_TLB_FLUSH_ALL;
	vmcb->np_enable = SVM_NP_ENABLE;
	vmcb->n_cr3 = paging_hvirt2phys(cell->arch.stage2.root_table);
	cpu_data->arch.npt_generation = READ_ONCE(cell->arch.npt_generation);
}

/*
 * The guest state: Linux at the driver's leave code, which returns 0 to
 * the enable; see vcpu_activate() for its registers.  FS, GS, TR, LDTR and
 * the MSRs that VMLOAD would load stay in the CPU as Linux left them.
 */
static void init_vmcb(struct per_cpu *cpu_data)
{
	struct linux_entry_state *ls = &cpu_data->arch.entry_state;
	struct vmcb *vmcb = &cpu_data->arch.vmcb;

	init_controls(cpu_data);
	set_segment(&vmcb->cs, ls->cs, ls->lar_cs_ss);
	set_segment(&vmcb->ss, ls->ss, ls->lar_cs_ss >> 32);
	set_segment(&vmcb->ds, ls->ds, ls->lar_ds_es);
	set_segment(&vmcb->es, ls->es, ls->lar_ds_es >> 32);
	vmcb->gdtr.limit = ls->gdtr.limit;
	vmcb->gdtr.base = ls->gdtr.base;
	vmcb->idtr.limit = ls->idtr.limit;
	vmcb->idtr.base = ls->idtr.base;
	vmcb->cpl = 0;
	vmcb->efer = ls->efer | EFER_SVME;
	vmcb->cr0 = ls->cr0;
	vmcb->cr3 = ls->cr3;
	vmcb->cr4 = ls->cr4;
	vmcb->cr2 = read_cr2();
	vmcb->dr7 = ls->dr7;
	vmcb->dr6 = X86_DR6_RESET;
	/* the leave code loads Linux's RFLAGS from the stack */
	vmcb->rflags = X86_RFLAGS_FIXED;
	vmcb->rip = ls->leave_rip;
	vmcb->rsp = ls->rsp;
	vmcb->rax = 0;
	vmcb->g_pat = ls->pat;
}

/**
 * vcpu_init() - turn SVM on for the calling CPU
 * @cpu_data:	its per-CPU area, Linux's state read (arch_cpu_init())
 *
 * GIF is cleared at once: an NMI of Linux's waits until the first VMRUN
 * and reaches Linux there.
 *
 * Return: 0, or a negative errno said why.
 */
int vcpu_init(struct per_cpu *cpu_data)
{
	int err;

	err = check_svm(cpu_data->cpu_id);
	if (err)
		return err;

	write_msr(MSR_VM_HSAVE_PA,
		  paging_hvirt2phys(cpu_data->arch.host_save));
	write_msr(MSR_EFER, read_msr(MSR_EFER) | EFER_SVME);
	cpu_data->arch.svm_on = true;
	asm volatile("clgi" : : : "memory");

	init_vmcb(cpu_data);
	return 0;
}

/*
 * GIF set before SVM goes off (INIT and NMI are not left blocked); Linux's
 * EFER follows in arch_cpu_leave().
 */
void vcpu_exit(struct per_cpu *cpu_data)
{
	if (!cpu_data->arch.svm_on)
		return;
	asm volatile("stgi" : : : "memory");
	write_msr(MSR_EFER, read_msr(MSR_EFER) & ~EFER_SVME);
	write_msr(MSR_VM_HSAVE_PA, cpu_data->arch.entry_state.hsave_pa);
	cpu_data->arch.svm_on = false;
}

/*
 * The leave code's registers: RDI = CR3 and RSI = RSP it loads (Linux's
 * own), RAX = 0 is in the VMCB; the others it does not read.
 */
void vcpu_activate(struct per_cpu *cpu_data)
{
	struct guest_regs *regs = (struct guest_regs *)
		(cpu_data->stack + PERCPU_STACK_SIZE) - 1;

	memset(regs, 0, sizeof(*regs));
	regs->rdi = cpu_data->arch.entry_state.cr3;
	regs->rsi = cpu_data->arch.entry_state.rsp;
	regs->vmcb_pa = paging_hvirt2phys(&cpu_data->arch.vmcb);
	svm_vmrun_loop(regs);
}

void vcpu_linux_return_state(struct per_cpu *cpu_data)
{
	struct linux_return *ret = &cpu_data->arch.linux_return;
	struct vmcb *vmcb = &cpu_data->arch.vmcb;
	const struct desc_table_reg gdtr = {
		.limit = vmcb->gdtr.limit,
		.base = vmcb->gdtr.base,
	};
	const struct desc_table_reg idtr = {
		.limit = vmcb->idtr.limit,
		.base = vmcb->idtr.base,
	};

	write_msr(MSR_EFER, vmcb->efer & ~EFER_SVME);
	write_msr(MSR_IA32_PAT, vmcb->g_pat);
	asm volatile("mov %0, %%dr7" : : "r" (vmcb->dr7));
	asm volatile("mov %0, %%cr2" : : "r" (vmcb->cr2));
	asm volatile("mov %0, %%cr0" : : "r" (vmcb->cr0));
	write_gdtr(&gdtr);
	write_idtr(&idtr);
	ret->cr3 = vmcb->cr3;
	ret->rsp = vmcb->rsp;
	ret->cr4 = vmcb->cr4;
}

static void inject_exception(struct vmcb *vmcb, unsigned int vector)
{
	vmcb->event_inj = SVM_EVENTINJ_VALID | SVM_EVENTINJ_EXCEPTION |
		vector;
}

void svm_inject_gp(struct vmcb *vmcb)
{
	vmcb->event_inj = SVM_EVENTINJ_VALID | SVM_EVENTINJ_EXCEPTION |
		SVM_EVENTINJ_ERROR_CODE | X86_EXC_GP;
}

/*
 * The guest did what its cell must not, or what the hypervisor does not
 * handle: its CPU parks as failed (x86_fail_cpu()) and starts anew only
 * if the cell is started again.  The caller leaves the guest state alone
 * afterwards: it may be the fresh state of the next start.
 */
void svm_guest_fatal(struct per_cpu *cpu_data, struct guest_regs *regs,
		     const char *what)
{
	struct vmcb *vmcb = &cpu_data->arch.vmcb;

	cell_printk(cpu_data->cell,
		    "CPU %u, cell \"%s\": %s (exit 0x%llx, info 0x%llx 0x%llx) "
		    "at RIP 0x%llx, RSP 0x%llx, CR3 0x%llx\n", cpu_data->cpu_id,
		    cpu_data->cell->config->name, what, vmcb->exitcode,
		    vmcb->exitinfo1, vmcb->exitinfo2, vmcb->rip, vmcb->rsp,
		    vmcb->cr3);
	x86_fail_cpu(cpu_data, regs);
}

/*
 * INVD and WBINVD are both done as WBINVD: INVD would drop what other cells
 * and the hypervisor wrote, dirty in the caches that cores share.  Which
 * one it was comes from the instruction, as QEMU's TCG reports an INVD as
 * WBINVD.
 */
static void handle_cache_flush(struct per_cpu *cpu_data)
{
	u8 code[X86_MAX_INSN_LEN];

	asm volatile("wbinvd" : : : "memory");
	if (svm_fetch_insn(cpu_data, code) >= CACHE_FLUSH_LEN &&
	    code[0] == OPCODE_ESCAPE && code[1] == OPCODE_INVD)
		cell_printk(cpu_data->cell,
			    "Cell \"%s\": INVD done as WBINVD (CPU %u)\n",
			    cpu_data->cell->config->name, cpu_data->cpu_id);
	cpu_data->arch.vmcb.rip += CACHE_FLUSH_LEN;
}

static void handle_hypercall(struct per_cpu *cpu_data,
			     struct guest_regs *regs)
{
	struct vmcb *vmcb = &cpu_data->arch.vmcb;
	unsigned long entry_page =
		cpu_data->arch.entry_state.leave_rip & PAGE_MASK;
	unsigned long code = vmcb->rax;

	cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_HYPERCALL]++;
	vmcb->rip += VMMCALL_LEN;

	if (vmcb->cpl != 0) {
		vmcb->rax = -EPERM;
		return;
	}
	/*
	 * Leaving returns through the driver's leave code, to the frame of
	 * its disable call, which must be the caller.
	 */
	if (code == JAILHOUSE_HC_DISABLE && cpu_data->cell == &root_cell &&
	    (vmcb->rip & PAGE_MASK) != entry_page) {
		printk("CPU %u: disable not called from the driver's entry "
		       "page\n", cpu_data->cpu_id);
		vmcb->rax = -EPERM;
		return;
	}
	vmcb->rax = hypercall(code, regs->rdi, regs->rsi);
}

static void handle_cpuid(struct per_cpu *cpu_data, struct guest_regs *regs)
{
	struct vmcb *vmcb = &cpu_data->arch.vmcb;
	u32 leaf = vmcb->rax, eax, ebx, ecx, edx;

	cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_CPUID]++;
	if (leaf == CPUID_HV_SIGNATURE) {
		eax = CPUID_HV_SIGNATURE;
		ebx = HV_SIGNATURE_EBX;
		ecx = HV_SIGNATURE_ECX;
		edx = HV_SIGNATURE_EDX;
	} else if ((leaf & 0xf0000000) == CPUID_HV_SIGNATURE ||
		   leaf == CPUID_SVM_FEATURES) {
		eax = ebx = ecx = edx = 0;
	} else {
		cpuid(leaf, regs->rcx, &eax, &ebx, &ecx, &edx);
		/* SVM is the hypervisor's */
		if (leaf == CPUID_EXT_FEATURES)
			ecx &= ~CPUID_EXT_ECX_SVM;
		/* non-root cells' x2APIC is the hypervisor's (apic.c) */
		if (leaf == CPUID_FEATURES && cpu_data->cell != &root_cell)
			ecx |= CPUID_ECX_X2APIC;
	}
	vmcb->rax = eax;
	regs->rbx = ebx;
	regs->rcx = ecx;
	regs->rdx = edx;
	vmcb->rip += CPUID_LEN;
}

/*
 * Port I/O outside the cell's PIO regions.  The PCI configuration ports go
 * to the cell's config space filter (pci.c); 32-bit reads of the ACPI PM
 * timer are carried out for every cell, the time base of the comm region;
 * other ports read as all ones and ignore writes.
 */
static void handle_io(struct per_cpu *cpu_data, struct guest_regs *regs)
{
	struct vmcb *vmcb = &cpu_data->arch.vmcb;
	u64 info = vmcb->exitinfo1;
	u16 port = info >> SVM_IOIO_PORT_SHIFT;
	unsigned int size = (info & SVM_IOIO_SIZE_MASK) >>
		SVM_IOIO_SIZE_SHIFT;
	bool in = info & SVM_IOIO_IN;
	u32 mask, value = ~0U;

	cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_PIO]++;
	if (info & SVM_IOIO_STR) {
		cell_printk(cpu_data->cell,
			    "String I/O on port 0x%x not supported\n", port);
		svm_guest_fatal(cpu_data, regs, "string I/O");
		return;
	}
	/* SZ8, SZ16, SZ32 one-hot: 1, 2, 4 bytes */
	mask = size == 1 ? 0xff : size == 2 ? 0xffff : 0xffffffff;

	if (port >= PCI_CONFIG_PORT_FIRST && port <= PCI_CONFIG_PORT_LAST) {
		value = vmcb->rax & mask;
		x86_pci_port_access(cpu_data->cell,
				    &cpu_data->arch.pci_address, port, size,
				    !in, &value);
	}
	/* reading the PM timer changes nothing: every cell may (x86.md) */
	if (in && size == 4 &&
	    port == system_config->platform_info.x86.pm_timer_address)
		value = inl(port);
	if (in)
		vmcb->rax = (vmcb->rax & ~(u64)mask) | (value & mask);
	vmcb->rip = vmcb->exitinfo2;
}

/*
 * An NMI exit: the hypervisor's kick is taken up here, any other NMI is
 * Linux's and goes on to the guest.  An NMI of Linux's that arrives with a
 * kick pending merges with it and is lost, as two NMIs do on the hardware.
 */
/*
 * GIF open for an instant: an NMI pending at the CPU is taken and dropped
 * by the hypervisor's NMI stub (entry.S), the instruction boundary behind
 * STGI the place.
 */
static void drop_pending_nmi(void)
{
	asm volatile("stgi\n\tnop\n\tclgi" : : : "memory");
}

static void handle_nmi(struct per_cpu *cpu_data)
{
	/*
	 * The hardware consumes the NMI with the exit; QEMU's TCG leaves it
	 * pending, which would exit again at every VMRUN.
	 */
	drop_pending_nmi();

	if (__atomic_exchange_n(&cpu_data->arch.nmi_kick, false,
				__ATOMIC_SEQ_CST)) {
		cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_MANAGEMENT]++;
		return;
	}
	cpu_data->arch.vmcb.event_inj = SVM_EVENTINJ_VALID |
		SVM_EVENTINJ_NMI | X86_EXC_NMI;
}

void vcpu_kick(unsigned int cpu)
{
	struct per_cpu *target = per_cpu(cpu);

	__atomic_store_n(&target->arch.nmi_kick, true, __ATOMIC_SEQ_CST);
	x86_apic_send_nmi(target->arch.apic_id);
}

static void set_real_mode_segment(struct vmcb_segment *seg, u16 selector,
				  u16 attrib)
{
	seg->selector = selector;
	seg->attrib = attrib;
	seg->limit = 0xffff;
	seg->base = (u64)selector << 4;
}

/* The legacy area of FXSAVE/XSAVE as after INIT (FCW, MXCSR), header 0. */
static const u8 fpu_init_state[576] __attribute__((aligned(64))) = {
	[0] = 0x7f, [1] = 0x03,			/* FCW 0x037f */
	[24] = 0x80, [25] = 0x1f,		/* MXCSR 0x1f80 */
};

/*
 * The x87, SSE and AVX registers as after INIT: XSTATE_BV 0 has XRSTOR
 * initialize every component of XCR0, which then goes to x87 alone (INIT
 * leaves XCR0 at 1).  XCR0 is the former owner's, which may have left out
 * components it filled before (XMM registers are there whatever XCR0
 * says): first every component the CPU has (CPUID 0xd.0 EDX:EAX).
 * Without XSAVE, FXRSTOR of the same legacy area.
 */
static void reset_fpu(void)
{
	u32 eax, ebx, ecx, edx;

	if (read_cr4() & X86_CR4_OSXSAVE) {
		cpuid(CPUID_XSTATE, 0, &eax, &ebx, &ecx, &edx);
		asm volatile("xsetbv" : : "a" (eax), "d" (edx), "c" (0));
		asm volatile("xrstor64 %0" : : "m" (fpu_init_state),
			     "a" (~0U), "d" (~0U));
		asm volatile("xsetbv" : : "a" (1), "d" (0), "c" (0));
	} else {
		asm volatile("fxrstor64 %0" : : "m" (fpu_init_state));
	}
}

/**
 * vcpu_reset() - the calling CPU as after INIT and SIPI, in its cell
 * @cpu_data:	the CPU, parked, about to start
 * @regs:	its guest registers
 * @cs:		real-mode code segment of the start
 * @ip:		instruction pointer of the start
 *
 * AMD64 APM vol. 2, 14.1.3: real mode, caches as after reset, all general
 * registers 0 but EDX (the processor's signature, CPUID 1 EAX), EFER.SVME
 * for VMRUN only.  Nothing of the CPU's former owner is left: the VMCB is
 * made anew for the cell; what VMRUN does not switch (FS, GS, TR, LDTR
 * and the system call MSRs through VMLOAD; TSC_AUX, the debug address
 * registers, x87/SSE/AVX and the local APIC apart) is set here.
 */
void vcpu_reset(struct per_cpu *cpu_data, struct guest_regs *regs, u16 cs,
		u16 ip)
{
	struct vmcb *vmcb = &cpu_data->arch.vmcb;
	u32 eax, ebx, ecx, edx;
	unsigned long zero = 0;

	/*
	 * The kicks that made this start are pending here (control.c,
	 * arch_wake_cpu()); in the guest they would look like its own NMIs.
	 */
	drop_pending_nmi();
	init_controls(cpu_data);
	memset(regs, 0, __builtin_offsetof(struct guest_regs, vmcb_pa));
	cpuid(CPUID_FEATURES, 0, &eax, &ebx, &ecx, &edx);
	regs->rdx = eax;

	set_real_mode_segment(&vmcb->cs, cs, SVM_SEG_ATTR_RM_CODE);
	set_real_mode_segment(&vmcb->ss, 0, SVM_SEG_ATTR_RM_DATA);
	set_real_mode_segment(&vmcb->ds, 0, SVM_SEG_ATTR_RM_DATA);
	set_real_mode_segment(&vmcb->es, 0, SVM_SEG_ATTR_RM_DATA);
	set_real_mode_segment(&vmcb->fs, 0, SVM_SEG_ATTR_RM_DATA);
	set_real_mode_segment(&vmcb->gs, 0, SVM_SEG_ATTR_RM_DATA);
	set_real_mode_segment(&vmcb->ldtr, 0, SVM_SEG_ATTR_LDT);
	set_real_mode_segment(&vmcb->tr, 0, SVM_SEG_ATTR_TSS_BUSY);
	vmcb->gdtr.limit = vmcb->idtr.limit = 0xffff;
	vmcb->efer = EFER_SVME;
	vmcb->cr0 = X86_CR0_RESET;
	vmcb->dr7 = X86_DR7_RESET;
	vmcb->dr6 = X86_DR6_RESET;
	vmcb->rflags = X86_RFLAGS_FIXED;
	vmcb->rip = ip;
	vmcb->g_pat = X86_PAT_RESET;
	/* the zeros of the VMCB for FS to the SYSENTER MSRs into the CPU */
	asm volatile("vmload %0"
		     : : "a" (paging_hvirt2phys(vmcb)) : "memory");

	write_msr(MSR_TSC_AUX, 0);
	asm volatile("mov %0, %%dr0\n\tmov %0, %%dr1\n\t"
		     "mov %0, %%dr2\n\tmov %0, %%dr3" : : "r" (zero));
	reset_fpu();
	x86_apic_reset(cpu_data);
}

/*
 * A root CPU that Linux is taking offline (@watch): its next HLT with
 * interrupts off is its last, it parks there.
 */
void vcpu_watch_halt(struct per_cpu *cpu_data, bool watch)
{
	if (watch)
		cpu_data->arch.vmcb.intercept_misc1 |= SVM_INTERCEPT_HLT;
	else
		cpu_data->arch.vmcb.intercept_misc1 &= ~SVM_INTERCEPT_HLT;
}

/*
 * HLT of a CPU watched by vcpu_watch_halt(): with interrupts off only
 * INIT, which the hypervisor emulates, would get it out, so it parks.
 * Another HLT runs again, unwatched.
 */
static void handle_hlt(struct per_cpu *cpu_data, struct guest_regs *regs)
{
	struct vmcb *vmcb = &cpu_data->arch.vmcb;

	vmcb->intercept_misc1 &= ~SVM_INTERCEPT_HLT;
	if (vmcb->rflags & X86_RFLAGS_IF)
		return;
	vmcb->rip += HLT_LEN;
	x86_park_cpu(cpu_data, regs);
}

void svm_handle_exit(struct guest_regs *regs)
{
	struct per_cpu *cpu_data = this_cpu_data();
	struct vmcb *vmcb = &cpu_data->arch.vmcb;
	u32 generation;

	/* before any handler: what other CPUs unmapped (tlb.c) */
	x86_hv_tlb_sync(&cpu_data->arch.hv_generation);
	cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_TOTAL]++;
	vmcb->tlb_control = 0;

	switch (vmcb->exitcode) {
	case SVM_EXIT_VMMCALL:
		handle_hypercall(cpu_data, regs);
		break;
	case SVM_EXIT_CPUID:
		handle_cpuid(cpu_data, regs);
		break;
	case SVM_EXIT_MSR:
		svm_handle_msr(cpu_data, regs);
		break;
	case SVM_EXIT_IOIO:
		handle_io(cpu_data, regs);
		break;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
		/* SVM is not there for the guest */
		inject_exception(vmcb, X86_EXC_UD);
		break;
	case SVM_EXIT_INVD:
	case SVM_EXIT_WBINVD:
		handle_cache_flush(cpu_data);
		break;
	case SVM_EXIT_RDPMC:
		cell_printk(cpu_data->cell,
			    "Cell \"%s\": RDPMC refused, #GP injected "
			    "(CPU %u)\n",
			    cpu_data->cell->config->name, cpu_data->cpu_id);
		svm_inject_gp(vmcb);
		break;
	case SVM_EXIT_SHUTDOWN:
		svm_guest_fatal(cpu_data, regs, "triple fault of the guest");
		break;
	case SVM_EXIT_NMI:
		handle_nmi(cpu_data);
		break;
	case SVM_EXIT_HLT:
		handle_hlt(cpu_data, regs);
		break;
	case SVM_EXIT_INIT:
		svm_guest_fatal(cpu_data, regs, "INIT signal (only INIT of the "
			    "cell's own IPIs is handled, through its APIC)");
		break;
	case SVM_EXIT_NPF:
		svm_handle_npf(cpu_data, regs);
		break;
	case SVM_EXIT_INVALID:
		svm_guest_fatal(cpu_data, regs,
				"VMRUN refused the guest state");
		break;
	default:
		svm_guest_fatal(cpu_data, regs, "unhandled exit");
	}

	/* a stop of the cell, or its INIT */
	if (arch_park_requested(cpu_data))
		x86_park_cpu(cpu_data, regs);

	generation = READ_ONCE(cpu_data->cell->arch.npt_generation);
	if (generation != cpu_data->arch.npt_generation) {
		cpu_data->arch.npt_generation = generation;
		vmcb->tlb_control = SVM_TLB_FLUSH_GUEST;
	}
}
