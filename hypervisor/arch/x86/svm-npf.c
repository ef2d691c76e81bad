// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page faults under SVM: a guest's access that its cell's NPT does
 * not allow.  One to a trapped MMIO region is emulated: with neither
 * decode assists nor NRIP save, the instruction is fetched through the
 * guest's own page tables and decoded (mmio-decode.c).  Anything else is
 * refused (Documentation/x86.md, "SVM").
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/utils.h>
#include <asm/control.h>
#include <asm/mmio-decode.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/vcpu.h>
#include <asm/vmcb.h>

/* Guest register @n of the decoder's numbering (RAX, RCX, ... R15). */
static u64 *guest_reg(struct per_cpu *cpu_data, struct guest_regs *regs,
		      unsigned int n)
{
	static const unsigned char offsets[16] = {
		[1] = __builtin_offsetof(struct guest_regs, rcx),
		[2] = __builtin_offsetof(struct guest_regs, rdx),
		[3] = __builtin_offsetof(struct guest_regs, rbx),
		[5] = __builtin_offsetof(struct guest_regs, rbp),
		[6] = __builtin_offsetof(struct guest_regs, rsi),
		[7] = __builtin_offsetof(struct guest_regs, rdi),
		[8] = __builtin_offsetof(struct guest_regs, r8),
		[9] = __builtin_offsetof(struct guest_regs, r9),
		[10] = __builtin_offsetof(struct guest_regs, r10),
		[11] = __builtin_offsetof(struct guest_regs, r11),
		[12] = __builtin_offsetof(struct guest_regs, r12),
		[13] = __builtin_offsetof(struct guest_regs, r13),
		[14] = __builtin_offsetof(struct guest_regs, r14),
		[15] = __builtin_offsetof(struct guest_regs, r15),
	};

	/* VMRUN switches these two with the VMCB */
	if (n == 0)
		return &cpu_data->arch.vmcb.rax;
	if (n == 4)
		return &cpu_data->arch.vmcb.rsp;
	return (u64 *)((u8 *)regs + offsets[n & 15]);
}

/**
 * guest_virt2phys() - translate a guest's linear address
 * @cpu_data:	the CPU, its guest state in the VMCB
 * @virt:	linear address
 * @gphys:	result
 *
 * With paging off the address is physical; long mode walks the guest's 4
 * or 5 levels.  Legacy 32-bit paging is not walked (no cell uses it yet).
 *
 * Return: 0, -EFAULT if not mapped, -ENOSYS for legacy paging.
 */
static int guest_virt2phys(struct per_cpu *cpu_data, unsigned long virt,
			   unsigned long *gphys)
{
	struct vmcb *vmcb = &cpu_data->arch.vmcb;
	unsigned int level = (vmcb->cr4 & X86_CR4_LA57) ? 5 : 4;
	unsigned long table = vmcb->cr3 & PTE_ADDR_MASK, mask;
	unsigned int shift;
	u64 entry;

	if (!(vmcb->cr0 & X86_CR0_PG)) {
		*gphys = virt;
		return 0;
	}
	if (!(vmcb->efer & EFER_LMA))
		return -ENOSYS;

	while (level-- > 0) {
		shift = PT_LEVEL_SHIFT(level);
		if (x86_read_guest_phys(cpu_data,
					table + ((virt >> shift) & 511) * 8,
					&entry, sizeof(entry)))
			return -EFAULT;
		if (!(entry & PTE_PRESENT))
			return -EFAULT;
		if (level == 0 || (level <= 2 && (entry & PTE_PS))) {
			mask = (1UL << shift) - 1;
			*gphys = (entry & PTE_ADDR_MASK & ~mask) |
				(virt & mask);
			return 0;
		}
		table = entry & PTE_ADDR_MASK;
	}
	return -EFAULT;
}

/*
 * Fetch the bytes of the guest's current instruction, up to 15, as far as
 * they are mapped.  Return: the number of bytes, 0 if none.
 */
unsigned int svm_fetch_insn(struct per_cpu *cpu_data, u8 *buf)
{
	struct vmcb *vmcb = &cpu_data->arch.vmcb;
	unsigned long virt = vmcb->cs.base + vmcb->rip, gphys, chunk;
	unsigned int got = 0;

	while (got < X86_MAX_INSN_LEN) {
		chunk = MIN(X86_MAX_INSN_LEN - got,
			    PAGE_SIZE - ((virt + got) & PAGE_OFFS_MASK));
		if (guest_virt2phys(cpu_data, virt + got, &gphys) ||
		    x86_read_guest_phys(cpu_data, gphys, buf + got, chunk))
			break;
		got += chunk;
	}
	return got;
}

static enum x86_code_mode code_mode(const struct vmcb *vmcb)
{
	if ((vmcb->efer & EFER_LMA) && (vmcb->cs.attrib & SVM_SEG_ATTR_L))
		return X86_MODE_64;
	return (vmcb->cs.attrib & SVM_SEG_ATTR_DB) ? X86_MODE_32 :
		X86_MODE_16;
}

/**
 * svm_handle_npf() - a guest-physical access its cell's NPT does not allow
 * @cpu_data:	the CPU
 * @regs:	the guest's registers
 *
 * An access to a trapped MMIO region is decoded (there are no decode
 * assists) and handed to the region's handler.  Anything else outside the
 * cell's memory gets a general protection fault in the root cell, in place
 * of the bus error of real hardware (Linux's report names the access);
 * another cell's CPU stops.
 */
void svm_handle_npf(struct per_cpu *cpu_data, struct guest_regs *regs)
{
	struct vmcb *vmcb = &cpu_data->arch.vmcb;
	struct cell *cell = cpu_data->cell;
	unsigned long gpa = vmcb->exitinfo2;
	unsigned long need = PAGE_FLAG_READ;
	const char *reason = "not the cell's memory", *what;
	struct mmio_access mmio = { .address = gpa };
	struct x86_mmio_insn insn;
	u8 code[X86_MAX_INSN_LEN];
	enum mmio_result result;
	unsigned int len;
	u64 *reg;

	cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_MMIO]++;
	if (vmcb->exitinfo1 & SVM_NPF_WRITE)
		need |= PAGE_FLAG_WRITE;
	if (vmcb->exitinfo1 & SVM_NPF_FETCH)
		need |= PAGE_FLAG_EXEC;

	if (!(need & PAGE_FLAG_EXEC) && mmio_region_overlaps(cell, gpa, 1)) {
		len = svm_fetch_insn(cpu_data, code);
		if (x86_mmio_decode(code, len, code_mode(vmcb), &insn)) {
			reason = insn.reason;
		} else {
			reg = guest_reg(cpu_data, regs, insn.reg);
			mmio.size = insn.width;
			mmio.is_write = insn.is_write;
			if (mmio.is_write)
				mmio.value = x86_mmio_store_value(&insn, *reg);
			result = mmio_handle_access(&mmio);
			if (result == MMIO_HANDLED) {
				if (!mmio.is_write)
					*reg = x86_mmio_load(&insn, *reg,
							     mmio.value);
				vmcb->rip += insn.length;
				return;
			}
			reason = result == MMIO_UNHANDLED ?
				"no handler" : "refused by the device model";
		}
	}
	/* raced with a change of the cell's memory: try again */
	if (arch_stage2_mapped(cell, gpa, need))
		return;
	what = (need & PAGE_FLAG_EXEC) ? "instruction fetch" :
		(need & PAGE_FLAG_WRITE) ? "write" : "read";
	if (cell != &root_cell) {
		cell_printk(cell,
			    "Unhandled %s at 0x%lx: %s\n", what, gpa, reason);
		svm_guest_fatal(cpu_data, regs, "access outside the cell");
		return;
	}

	cell_printk(cell,
		    "Unhandled %s at 0x%lx, CPU %u, cell \"%s\", RIP 0x%llx: "
		    "%s, #GP injected\n", what, gpa, cpu_data->cpu_id,
		    cell->config->name, vmcb->rip, reason);
	svm_inject_gp(vmcb);
}
