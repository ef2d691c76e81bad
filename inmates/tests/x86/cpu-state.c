// SPDX-License-Identifier: GPL-2.0
/*
 * cpu-state (x86): what the boot CPU brings into the cell from its former
 * owner.
 *
 * Without arguments it prints, as "TEST cpu-state: NAME 0xVALUE" lines,
 * the state the CPU arrived in from the reset vector (struct arrival: the
 * general-purpose registers, CR0, CR3, CR4, EFER, the FS and GS bases, the
 * segment selectors; "TEST cpu-state: not started from the reset vector"
 * without), then registers the start-up leaves alone: CR2, CR8, the debug
 * registers and the MSRs of system calls, the swapped GS base and
 * TSC_AUX; "TEST cpu-state: done" ends the dump.  A cell's CPU must
 * arrive as after INIT: real mode at 0xffff0, CR0 0x60000010, all else 0
 * but EDX (the CPU's signature) and DR6/DR7 (0xffff0ff0, 0x400).
 *
 * With "pattern" it then leaves a pattern in those it can spare (not
 * CR8, DR6, DR7), prints "TEST cpu-state: pattern left" and idles: the
 * next owner of the CPU must find none of it.
 */
#include <inmate.h>

#define MSR_SYSENTER_CS		0x00000174
#define MSR_SYSENTER_ESP	0x00000175
#define MSR_SYSENTER_EIP	0x00000176
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103

/* canonical, page aligned, nothing the start-up would produce */
#define PATTERN			0x00005a5a5a5a5000ULL

static const struct {
	const char *name;
	u32 msr;
	u64 pattern;
} msrs[] = {
	{ "SYSENTER_CS", MSR_SYSENTER_CS, 0x5a5a },
	{ "SYSENTER_ESP", MSR_SYSENTER_ESP, PATTERN },
	{ "SYSENTER_EIP", MSR_SYSENTER_EIP, PATTERN },
	{ "STAR", MSR_STAR, 0x5a5a5a5a5a5a5a5aULL },
	{ "LSTAR", MSR_LSTAR, PATTERN },
	{ "CSTAR", MSR_CSTAR, PATTERN },
	{ "SFMASK", MSR_SFMASK, 0x5a5a5a5a },
	{ "KERNEL_GS_BASE", MSR_KERNEL_GS_BASE, PATTERN },
	{ "TSC_AUX", MSR_TSC_AUX, 0x5a5a5a5a },
};

#define read_reg(reg) ({					\
	unsigned long __val;					\
	asm volatile("mov %%" #reg ", %0" : "=r" (__val));	\
	__val;							\
})
#define write_reg(reg, val)					\
	asm volatile("mov %0, %%" #reg : : "r" ((unsigned long)(val)))

static void show(const char *name, u64 val)
{
	printk("TEST cpu-state: %s 0x%llx\n", name, val);
}

static void show_arrival(void)
{
	if (!arrival.valid) {
		printk("TEST cpu-state: not started from the reset vector\n");
		return;
	}
	show("EAX", arrival.eax);
	show("EBX", arrival.ebx);
	show("ECX", arrival.ecx);
	show("EDX", arrival.edx);
	show("ESI", arrival.esi);
	show("EDI", arrival.edi);
	show("EBP", arrival.ebp);
	show("ESP", arrival.esp);
	show("CR0", arrival.cr0);
	show("CR3", arrival.cr3);
	show("CR4", arrival.cr4);
	show("EFER", arrival.efer);
	show("FS_BASE", arrival.fs_base);
	show("GS_BASE", arrival.gs_base);
	show("CS", arrival.cs);
	show("DS", arrival.ds);
	show("ES", arrival.es);
	show("FS", arrival.fs);
	show("GS", arrival.gs);
	show("SS", arrival.ss);
}

void inmate_main(void)
{
	unsigned int n;

	printk("TEST cpu-state: trying the boot CPU's state on %s\n",
	       platform.name);
	show_arrival();
	show("CR2", read_reg(cr2));
	show("CR8", read_reg(cr8));
	show("DR0", read_reg(db0));
	show("DR1", read_reg(db1));
	show("DR2", read_reg(db2));
	show("DR3", read_reg(db3));
	show("DR6", read_reg(db6));
	show("DR7", read_reg(db7));
	for (n = 0; n < ARRAY_SIZE(msrs); n++)
		show(msrs[n].name, read_msr(msrs[n].msr));
	printk("TEST cpu-state: done\n");

	if (!cmdline_parse_bool("pattern", false))
		return;
	write_reg(cr2, PATTERN);
	write_reg(db0, PATTERN);
	write_reg(db1, PATTERN);
	write_reg(db2, PATTERN);
	write_reg(db3, PATTERN);
	for (n = 0; n < ARRAY_SIZE(msrs); n++)
		write_msr(msrs[n].msr, msrs[n].pattern);
	printk("TEST cpu-state: pattern left\n");
}
