// SPDX-License-Identifier: GPL-2.0
/*
 * Guest exits: decoding of the exception syndrome and dispatch.
 *
 * Whatever a guest does, the hypervisor must survive it.  A trap it cannot
 * handle is reported on the console (what, where, CPU, cell).  The root
 * cell gets an exception injected (undefined instruction, or an external
 * abort for memory outside the cell), so that Linux deals with it; a CPU
 * of another cell is stopped (parked as failed), and the rest of the
 * system runs on.  This holds for the device accesses the hypervisor
 * performs for a guest as well: the exception that a faulting one takes at
 * EL2 resumes at its fixup (mmio-access.S) and fails the guest's access.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/mmio.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <asm/control.h>
#include <asm/debug-pmu.h>
#include <asm/irqchip.h>
#include <asm/processor.h>
#include <asm/psci.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

/* A device access of mmio-access.S and where it resumes after a fault */
struct device_fixup {
	unsigned long insn;
	unsigned long fixup;
};

/* The table of all of them, from the linker script */
extern const struct device_fixup __device_fixups_start[],
	__device_fixups_end[];

/* Offsets into VBAR_EL1 of the synchronous exception vectors */
#define VECTOR_CURRENT_SP0	0x000
#define VECTOR_CURRENT_SPX	0x200
#define VECTOR_LOWER_A64	0x400
#define VECTOR_LOWER_A32	0x600

static void count(unsigned int stat)
{
	this_cpu_data()->stats[stat]++;
}

void arch_skip_instruction(struct trap_context *ctx)
{
	u64 esr;

	arm_read_sysreg(ESR_EL2, esr);
	ctx->elr += (esr & ESR_IL) ? 4 : 2;
}

static bool from_el0(const struct trap_context *ctx)
{
	return (ctx->spsr & PSR_MODE_32BIT) ||
		(ctx->spsr & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

/*
 * Enter the guest's EL1 synchronous exception vector as the CPU would
 * have: syndrome and return state in the EL1 registers, EL1h with all
 * exceptions masked (PSTATE.PAN set if implemented and SCTLR_EL1.SPAN
 * says so).
 */
static void inject_sync(struct trap_context *ctx, u64 esr, u64 far,
			bool has_far)
{
	u64 vbar, sctlr, mmfr1, offset, spsr = PSR_MODE_EL1h | PSR_DAIF_MASK;

	if (ctx->spsr & PSR_MODE_32BIT)
		offset = VECTOR_LOWER_A32;
	else if ((ctx->spsr & PSR_MODE_MASK) == PSR_MODE_EL0t)
		offset = VECTOR_LOWER_A64;
	else if ((ctx->spsr & PSR_MODE_MASK) == PSR_MODE_EL1t)
		offset = VECTOR_CURRENT_SP0;
	else
		offset = VECTOR_CURRENT_SPX;

	arm_read_sysreg(ID_AA64MMFR1_EL1, mmfr1);
	arm_read_sysreg(SCTLR_EL1, sctlr);
	if (((mmfr1 >> ID_AA64MMFR1_PAN_SHIFT) & 0xf) &&
	    !(sctlr & SCTLR_EL1_SPAN))
		spsr |= PSR_PAN_BIT;
	else
		spsr |= ctx->spsr & PSR_PAN_BIT;

	arm_read_sysreg(VBAR_EL1, vbar);
	arm_write_sysreg(ESR_EL1, esr);
	if (has_far)
		arm_write_sysreg(FAR_EL1, far);
	arm_write_sysreg(ELR_EL1, ctx->elr);
	arm_write_sysreg(SPSR_EL1, ctx->spsr);

	ctx->elr = vbar + offset;
	ctx->spsr = spsr;
}

void arch_inject_undef(struct trap_context *ctx)
{
	u64 esr;

	arm_read_sysreg(ESR_EL2, esr);
	inject_sync(ctx, ((u64)ESR_EC_UNKNOWN << ESR_EC_SHIFT) |
		    (esr & ESR_IL), 0, false);
}

/*
 * Synchronous external abort on the data access of syndrome @esr (the
 * exit's) at virtual address @far.
 */
static void inject_dabt(struct trap_context *ctx, u64 esr, unsigned long far)
{
	u64 ec;

	ec = from_el0(ctx) ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;
	inject_sync(ctx, (ec << ESR_EC_SHIFT) | (esr & ESR_IL) |
		    (esr & ESR_DABT_WNR) | ESR_FSC_EXTABT, far, true);
}

static void inject_iabt(struct trap_context *ctx, unsigned long far)
{
	u64 esr, ec;

	arm_read_sysreg(ESR_EL2, esr);
	ec = from_el0(ctx) ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR;
	inject_sync(ctx, (ec << ESR_EC_SHIFT) | (esr & ESR_IL) |
		    ESR_FSC_EXTABT, far, true);
}

static unsigned long fault_ipa(unsigned long far)
{
	u64 hpfar;

	arm_read_sysreg(HPFAR_EL2, hpfar);
	return ((hpfar >> 4) << 12) | (far & 0xfff);
}

static const char *mmio_failure(enum mmio_result result)
{
	switch (result) {
	case MMIO_DEVICE_UNALIGNED:
		return "the device access was unaligned";
	case MMIO_DEVICE_ABORT:
		return "the device answered with an abort";
	case MMIO_ERROR:
		return "access denied";
	default:
		return "outside the cell";
	}
}

static void handle_dabt(struct trap_context *ctx, u64 esr)
{
	struct per_cpu *cpu_data = this_cpu_data();
	unsigned int srt, sas;
	struct mmio_access mmio;
	enum mmio_result result;
	unsigned long far, ipa;
	u64 val;

	/* its stage 2 may be gone (arch_cell_revoke_stage2()): it parks */
	if (READ_ONCE(cpu_data->arch.park_requested))
		return;
	arm_read_sysreg(FAR_EL2, far);
	ipa = fault_ipa(far);
	count(JAILHOUSE_CPU_STAT_VMEXITS_MMIO);

	sas = (esr >> ESR_DABT_SAS_SHIFT) & ESR_DABT_SAS_MASK;
	srt = (esr >> ESR_DABT_SRT_SHIFT) & ESR_DABT_SRT_MASK;
	mmio.address = ipa;
	mmio.size = 1 << sas;
	mmio.is_write = !!(esr & ESR_DABT_WNR);
	mmio.value = 0;

	/* without a syndrome (ISV), the access cannot be emulated */
	if (!(esr & ESR_DABT_ISV) || (esr & ESR_DABT_S1PTW)) {
		result = MMIO_UNHANDLED;
	} else {
		if (mmio.is_write)
			mmio.value = ctx_get_reg(ctx, srt);
		result = mmio_handle_access(&mmio);
	}

	/* the access raced with a change of the cell's stage 2: retry */
	if (result == MMIO_UNHANDLED &&
	    arch_stage2_mapped(cpu_data->cell, ipa, mmio.is_write ?
			       PAGE_FLAG_WRITE : PAGE_FLAG_READ))
		return;

	if (result == MMIO_HANDLED) {
		if (!mmio.is_write) {
			val = mmio.value;
			if ((esr & ESR_DABT_SSE) && sas < 3 &&
			    (val & (1ULL << (8 * mmio.size - 1))))
				val |= ~0ULL << (8 * mmio.size);
			if (!(esr & ESR_DABT_SF))
				val &= 0xffffffffULL;
			ctx_set_reg(ctx, srt, val);
		}
		arch_skip_instruction(ctx);
		return;
	}

	cell_printk(cpu_data->cell,
		    "Unhandled data %s at 0x%lx (%s%u bytes), CPU %u, "
		    "cell \"%s\", PC 0x%llx: %s%s\n",
		    mmio.is_write ? "write" : "read", ipa,
		    (esr & ESR_DABT_ISV) ? "" : "size unknown, ",
		    (esr & ESR_DABT_ISV) ? mmio.size : 0, cpu_data->cpu_id,
		    cpu_data->cell->config->name, ctx->elr,
		    mmio_failure(result),
		    cpu_data->cell == &root_cell ? ", abort injected" : "");
	if (cpu_data->cell == &root_cell)
		inject_dabt(ctx, esr, far);
	else
		arch_fail_cpu(ctx);
}

static void handle_iabt(struct trap_context *ctx)
{
	struct per_cpu *cpu_data = this_cpu_data();
	unsigned long far;

	if (READ_ONCE(cpu_data->arch.park_requested))
		return;
	arm_read_sysreg(FAR_EL2, far);
	if (arch_stage2_mapped(cpu_data->cell, fault_ipa(far),
			       PAGE_FLAG_EXEC))
		return;

	cell_printk(cpu_data->cell,
		    "Instruction fetch from 0x%lx outside the cell, CPU %u, "
		    "cell \"%s\"%s\n", fault_ipa(far), cpu_data->cpu_id,
		    cpu_data->cell->config->name,
		    cpu_data->cell == &root_cell ? ": abort injected" : "");
	if (cpu_data->cell == &root_cell)
		inject_iabt(ctx, far);
	else
		arch_fail_cpu(ctx);
}

/* A trap nobody handles: the root cell gets an undefined instruction. */
static void unhandled_trap(struct trap_context *ctx)
{
	if (this_cell() == &root_cell) {
		cell_printk(this_cell(), "Undefined instruction injected\n");
		arch_inject_undef(ctx);
	} else {
		arch_fail_cpu(ctx);
	}
}

/*
 * Set/way maintenance acts on the whole cache, also on lines of other
 * cells and of the hypervisor: perform it as clean+invalidate, which loses
 * no data whatever the guest asked for.
 */
static void handle_set_way(struct trap_context *ctx, u64 operand)
{
	asm volatile("dc cisw, %0" : : "r" (operand) : "memory");
	dsb(sy);
}

static void handle_sysreg(struct trap_context *ctx, u64 esr)
{
	struct per_cpu *cpu_data = this_cpu_data();
	unsigned int rt = (esr >> ESR_SYS_RT_SHIFT) & 0x1f;
	bool read = esr & ESR_SYS_READ;
	u64 reg = esr & ESR_SYS_REG_MASK, val;

	if (reg == ESR_SYS_ICC_SGI1R_EL1 && !read) {
		irqchip_handle_sgi1r_write(ctx_get_reg(ctx, rt));
	} else if (reg == ESR_SYS_ACTLR_EL1) {
		/* implementation-defined controls stay as they are */
		if (read) {
			arm_read_sysreg(ACTLR_EL1, val);
			ctx_set_reg(ctx, rt, val);
		}
	} else if (!read && (reg == ESR_SYS_DC_ISW ||
			     reg == ESR_SYS_DC_CSW ||
			     reg == ESR_SYS_DC_CISW)) {
		handle_set_way(ctx, ctx_get_reg(ctx, rt));
	} else if (!arch_debug_pmu_access(ctx, reg, rt, read)) {
		cell_printk(cpu_data->cell,
			    "Unhandled %s of system register (op0 %llu op1 "
			    "%llu CRn %llu CRm %llu op2 %llu), CPU %u, cell "
			    "\"%s\", PC 0x%llx\n",
			    read ? "read" : "write",
			    (esr >> ESR_SYS_OP0_SHIFT) & 3,
			    (esr >> ESR_SYS_OP1_SHIFT) & 7,
			    (esr >> ESR_SYS_CRN_SHIFT) & 0xf,
			    (esr >> ESR_SYS_CRM_SHIFT) & 0xf,
			    (esr >> ESR_SYS_OP2_SHIFT) & 7, cpu_data->cpu_id,
			    cpu_data->cell->config->name, ctx->elr);
		unhandled_trap(ctx);
		return;
	}
	arch_skip_instruction(ctx);
}

static void handle_hvc(struct trap_context *ctx, u64 esr)
{
	unsigned int imm = esr & 0xffff;

	if (imm == JAILHOUSE_HVC_CODE) {
		count(JAILHOUSE_CPU_STAT_VMEXITS_HYPERCALL);
		ctx->regs[0] = hypercall(ctx->regs[0], ctx->regs[1],
					 ctx->regs[2]);
	} else if (imm == 0) {
		/*
		 * SMCCC over HVC; also what Linux's hyp stub calls look like,
		 * which thereby find no stub here.
		 */
		smccc_handle_call(ctx);
	} else {
		ctx->regs[0] = SMCCC_NOT_SUPPORTED;
	}
	/* the preferred return address of HVC is the next instruction */
}

static void handle_sync(struct trap_context *ctx)
{
	struct per_cpu *cpu_data = this_cpu_data();
	u64 esr;

	arm_read_sysreg(ESR_EL2, esr);

	switch (ESR_EC(esr)) {
	case ESR_EC_HVC64:
		handle_hvc(ctx, esr);
		break;
	case ESR_EC_SMC64:
		/* a trapped SMC returns to itself */
		arch_skip_instruction(ctx);
		smccc_handle_call(ctx);
		break;
	case ESR_EC_SYS64:
		handle_sysreg(ctx, esr);
		break;
	case ESR_EC_DABT_LOW:
		handle_dabt(ctx, esr);
		break;
	case ESR_EC_IABT_LOW:
		handle_iabt(ctx);
		break;
	case ESR_EC_WFX:
		/* only a direct cell's WFI traps (HCR_EL2.TWI), never WFE */
		irqchip_direct_wfi();
		arch_skip_instruction(ctx);
		break;
	default:
		cell_printk(cpu_data->cell,
			    "Unhandled trap (EC 0x%llx, ISS 0x%llx), CPU %u, "
			    "cell \"%s\", PC 0x%llx\n",
			    ESR_EC(esr), ESR_ISS(esr), cpu_data->cpu_id,
			    cpu_data->cell->config->name, ctx->elr);
		unhandled_trap(ctx);
		break;
	}
}

void arch_handle_exit(struct trap_context *ctx, unsigned long kind)
{
	struct per_cpu *cpu_data = this_cpu_data();

	cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_TOTAL]++;

	if (kind == EXIT_SYNC)
		handle_sync(ctx);
	else
		/* an SError is the guest's own */
		printk("Unexpected SError exit on CPU %u, PC 0x%llx, "
		       "ignored\n", cpu_data->cpu_id, ctx->elr);

	/* the hypervisor stops the CPU's cell (SGI_HYPERVISOR) */
	if (READ_ONCE(cpu_data->arch.park_requested))
		arch_park_cpu(ctx);
}

bool arch_handle_irq(unsigned long kind)
{
	struct per_cpu *cpu_data = this_cpu_data();

	cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_TOTAL]++;
	if (kind == EXIT_IRQ)
		irqchip_handle_irq();
	else
		irqchip_handle_fiq();
	return READ_ONCE(cpu_data->arch.park_requested);
}

/*
 * A synchronous external abort or an alignment fault of one of the device
 * accesses in the fixup table: resume at its fixup, which returns the
 * result in x0.  Return false for any other exception.
 */
static bool fixup_device_access(struct trap_context *ctx, unsigned long kind,
				u64 esr)
{
	const struct device_fixup *entry;
	u64 fsc = esr & ESR_DABT_DFSC_MASK;

	if (kind != EXIT_SYNC || ESR_EC(esr) != ESR_EC_DABT_CUR ||
	    (fsc != ESR_FSC_EXTABT && fsc != ESR_FSC_ALIGN))
		return false;

	for (entry = __device_fixups_start; entry < __device_fixups_end;
	     entry++)
		if (entry->insn == ctx->elr) {
			ctx->regs[0] = fsc == ESR_FSC_ALIGN ?
				MMIO_DEVICE_UNALIGNED : MMIO_DEVICE_ABORT;
			ctx->elr = entry->fixup;
			return true;
		}
	return false;
}

void arch_handle_hyp_fault(struct trap_context *ctx, unsigned long kind)
{
	u64 esr, far;

	arm_read_sysreg(ESR_EL2, esr);
	arm_read_sysreg(FAR_EL2, far);
	if (fixup_device_access(ctx, kind, esr))
		return;

	panic_printk("\nFATAL: hypervisor exception (kind %lu) on CPU %u: "
		     "ESR 0x%llx, FAR 0x%llx, PC 0x%llx, SP 0x%llx\n",
		     kind, this_cpu_id(), esr, far, ctx->elr,
		     (u64)(unsigned long)ctx + sizeof(*ctx));
	panic_stop();
}
