// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The local APIC: x2APIC (MSRs) or xAPIC (MMIO at the address
 * IA32_APIC_BASE names).  In a cell the mode the CPU starts in, which the
 * hypervisor chose, or x2APIC with "x2apic" on the command line where the
 * cell has it; without a hypervisor x2APIC where the CPU has it, unless
 * "xapic" on the command line keeps xAPIC mode (leaving x2APIC mode takes
 * a disable first: a CPU in it stays).
 */
#include "lib.h"

#define APIC_BASE_EXTD		(1 << 10)
#define APIC_BASE_EN		(1 << 11)
#define APIC_BASE_ADDR_MASK	0xfffff000UL

/* Register offsets of the xAPIC page; x2APIC MSR 0x800 + offset / 16 */
#define APIC_ID			0x020
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_SVR_ENABLE		(1 << 8)
#define APIC_ICR		0x300
#define APIC_ICR_HIGH		0x310
#define APIC_ICR_PENDING	(1 << 12)
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_MASKED		(1 << 16)

static unsigned long xapic_base;

u32 apic_read(unsigned int reg)
{
	if (platform.x2apic)
		return read_msr(MSR_X2APIC_BASE + reg / 16);
	return mmio_read32(xapic_base + reg);
}

void apic_write(unsigned int reg, u32 val)
{
	if (platform.x2apic)
		write_msr(MSR_X2APIC_BASE + reg / 16, val);
	else
		mmio_write32(xapic_base + reg, val);
}

u32 cpu_apic_id(void)
{
	u32 id = apic_read(APIC_ID);

	return platform.x2apic ? id : id >> 24;
}

const char *irqchip_name(void)
{
	return platform.x2apic ? "x2APIC" : "xAPIC";
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/**
 * irq_send_icr() - Send an interprocessor interrupt.
 * @apic_id:	APIC ID of the target, physical destination mode
 * @icr:	the low word of the ICR: delivery mode, vector, level
 *
 * In xAPIC mode, two writes with interrupts masked in between, it waits
 * until the APIC has sent it.
 */
void irq_send_icr(u32 apic_id, u32 icr)
{
	unsigned long flags;

	if (platform.x2apic) {
		write_msr(MSR_X2APIC_BASE + APIC_ICR / 16,
			  ((u64)apic_id << 32) | icr);
		return;
	}
	flags = local_irq_save();
	mmio_write32(xapic_base + APIC_ICR_HIGH, apic_id << 24);
	mmio_write32(xapic_base + APIC_ICR, icr);
	while (mmio_read32(xapic_base + APIC_ICR) & APIC_ICR_PENDING)
		cpu_relax();
	local_irq_restore(flags);
}

/* A fixed interrupt at @vector, edge */
void irq_send_ipi(u32 apic_id, unsigned int vector)
{
	irq_send_icr(apic_id, vector);
}

/* The boot CPU: which mode, for every CPU of the program */
void apic_init(void)
{
	bool has_x2apic = cpuid(1, 0).ecx & CPUID1_ECX_X2APIC;
	u64 base = read_msr(MSR_IA32_APIC_BASE);
	bool want = platform.in_cell ? cmdline_parse_bool("x2apic", false) :
		!cmdline_parse_bool("xapic", false);

	platform.x2apic = (base & APIC_BASE_EXTD) || (has_x2apic && want);
	xapic_base = base & APIC_BASE_ADDR_MASK;
}

/*
 * On every CPU: its APIC in the chosen mode, enabled, all priorities, no
 * legacy interrupts
 */
void apic_cpu_init(void)
{
	u64 base = read_msr(MSR_IA32_APIC_BASE);

	if (platform.x2apic && !(base & APIC_BASE_EXTD)) {
		/* xAPIC first if it was disabled: EXTD needs EN */
		write_msr(MSR_IA32_APIC_BASE, base | APIC_BASE_EN);
		write_msr(MSR_IA32_APIC_BASE,
			  base | APIC_BASE_EN | APIC_BASE_EXTD);
	} else if (!(base & APIC_BASE_EN)) {
		write_msr(MSR_IA32_APIC_BASE, base | APIC_BASE_EN);
	}
	apic_write(APIC_TPR, 0);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_VECTOR);
	/*
	 * The firmware routes the 8259 PICs through LINT0 (ExtINT): their
	 * vectors would collide with the exceptions'.
	 */
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
}
