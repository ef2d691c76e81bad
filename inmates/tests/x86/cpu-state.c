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
 * registers, the MSRs of system calls, the swapped GS base and TSC_AUX,
 * the x87, SSE and AVX state (XCR0, FCW, FSW, the abridged FTW, MXCSR and
 * how many of ST0-ST7, XMM0-XMM15 and the upper halves of YMM0-YMM15 are
 * not zero, the first of each in full), and the CPU's signature (CPUID 1
 * EAX); "TEST cpu-state: done" ends the dump.  A cell's CPU must arrive
 * as after INIT: real mode at 0xffff0, CR0 0x60000010, EDX the signature,
 * DR6/DR7 0xffff0ff0 and 0x400, FCW 0x37f, MXCSR 0x1f80, XCR0 1 (x87),
 * all else 0.
 *
 * With "pattern" it then leaves a pattern in those it can spare (not CR8,
 * DR6, DR7, the GS base its CPU index is found with), prints "TEST
 * cpu-state: pattern left" and idles: the next owner of the CPU must find
 * none of it.
 *
 * With "cpu-on=APICID", before "done", it starts that CPU of the cell
 * (INIT, SIPI), which leaves the pattern, also in its general-purpose
 * registers and CR8, and halts; then starts it again: it prints what it
 * finds (its state as the SIPI found it, struct ap_arrival, then the
 * rest) between "TEST cpu-state: secondary" and "TEST cpu-state:
 * secondary end".
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
#define MSR_FS_BASE		0xc0000100

#define CR4_OSFXSR		(1UL << 9)
#define CR4_OSXSAVE		(1UL << 18)
#define CPUID1_ECX_XSAVE	(1 << 26)
#define CPUID1_ECX_AVX		(1 << 28)
#define CPUID_XSTATE		0xd
#define XSTATE_X87		(1 << 0)
#define XSTATE_SSE		(1 << 1)
#define XSTATE_AVX		(1 << 2)

/* The FXSAVE/XSAVE legacy area, and the XSAVE header after it */
#define FX_FCW			0
#define FX_FSW			2
#define FX_FTW			4
#define FX_MXCSR		24
#define FX_ST(n)		(32 + 16 * (n))
#define FX_XMM(n)		(160 + 16 * (n))
#define XSAVE_XSTATE_BV		512
#define XSAVE_AREA_SIZE		4096

/* canonical, page aligned, nothing the start-up would produce */
#define PATTERN			0x00005a5a5a5a5000ULL
/* x87 and SSE control: every exception masked, rounding toward zero */
#define PATTERN_FCW		0x0f7f
#define PATTERN_MXCSR		0xff80

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

/* XSAVE/FXSAVE image of the x87, SSE and AVX state */
static u8 fpu_area[XSAVE_AREA_SIZE] __aligned(64);

static void show(const char *name, u64 val)
{
	printk("TEST cpu-state: %s 0x%llx\n", name, val);
}

static void show_arrival(const struct arrival *a)
{
	if (!a->valid) {
		printk("TEST cpu-state: not started from the reset vector\n");
		return;
	}
	show("EAX", a->eax);
	show("EBX", a->ebx);
	show("ECX", a->ecx);
	show("EDX", a->edx);
	show("ESI", a->esi);
	show("EDI", a->edi);
	show("EBP", a->ebp);
	show("ESP", a->esp);
	show("CR0", a->cr0);
	show("CR3", a->cr3);
	show("CR4", a->cr4);
	show("EFER", a->efer);
	show("FS_BASE", a->fs_base);
	show("GS_BASE", a->gs_base);
	show("CS", a->cs);
	show("DS", a->ds);
	show("ES", a->es);
	show("FS", a->fs);
	show("GS", a->gs);
	show("SS", a->ss);
}

static bool has_avx(void)
{
	return cpuid(1, 0).ecx & CPUID1_ECX_AVX;
}

/*
 * Lets the program reach the SSE registers (CR4.OSFXSR) and, where the
 * CPU has XSAVE, the XSAVE instructions (CR4.OSXSAVE): neither changes
 * the registers.  Return: whether XSAVE is there.
 */
static bool fpu_enable(void)
{
	bool xsave = cpuid(1, 0).ecx & CPUID1_ECX_XSAVE;
	unsigned long cr4 = read_reg(cr4) | CR4_OSFXSR;

	if (xsave)
		cr4 |= CR4_OSXSAVE;
	write_reg(cr4, cr4);
	return xsave;
}

static u64 xcr0_read(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a" (lo), "=d" (hi) : "c" (0));
	return ((u64)hi << 32) | lo;
}

static void xcr0_write(u64 val)
{
	asm volatile("xsetbv" : : "a" ((u32)val), "d" ((u32)(val >> 32)),
		     "c" (0));
}

/* Offset of the upper halves of YMM0-YMM15 in the XSAVE area */
static unsigned int avx_offset(void)
{
	return cpuid(CPUID_XSTATE, 2).ebx;
}

static u64 get_u64(unsigned int offset)
{
	u64 val;

	memcpy(&val, &fpu_area[offset], sizeof(val));
	return val;
}

/*
 * @count registers of @size bytes (8 or more), @stride apart from
 * @offset: how many are not zero, and the first of those in full.
 */
static void show_regs(const char *name, unsigned int offset,
		      unsigned int count, unsigned int size,
		      unsigned int stride)
{
	unsigned int n, b, nonzero = 0, first = count;
	char label[24];

	for (n = 0; n < count; n++) {
		for (b = 0; b < size; b++)
			if (fpu_area[offset + n * stride + b])
				break;
		if (b < size) {
			nonzero++;
			if (first == count)
				first = n;
		}
	}
	snprintf(label, sizeof(label), "%s_nonzero", name);
	show(label, nonzero);
	if (first == count)
		return;
	offset += first * stride;
	/* as a little-endian number, upper word first */
	if (size > 8)
		printk("TEST cpu-state: %s%u = 0x%llx%016llx\n", name, first,
		       get_u64(offset + 8) &
		       (~0ULL >> (8 * (16 - size))), get_u64(offset));
	else
		printk("TEST cpu-state: %s%u = 0x%016llx\n", name, first,
		       get_u64(offset));
}

static void dump_fpu(void)
{
	bool xsave = fpu_enable(), avx = false;
	u16 fcw, fsw;
	u32 mxcsr;

	memset(fpu_area, 0, sizeof(fpu_area));
	asm volatile("fnstcw %0\n\tfnstsw %1\n\tstmxcsr %2"
		     : "=m" (fcw), "=m" (fsw), "=m" (mxcsr));
	if (xsave) {
		u64 xcr0 = xcr0_read();

		show("XCR0", xcr0);
		/*
		 * XSAVE saves what XCR0 enables: SSE, and AVX, whose
		 * registers hold what they held whatever XCR0 was
		 */
		avx = has_avx();
		xcr0 |= XSTATE_SSE | (avx ? XSTATE_AVX : 0);
		xcr0_write(xcr0);
		asm volatile("xsave64 %0" : "=m" (fpu_area)
			     : "a" ((u32)xcr0), "d" ((u32)(xcr0 >> 32)));
	} else {
		asm volatile("fxsave64 %0" : "=m" (fpu_area));
	}
	show("FCW", fcw);
	show("FSW", fsw);
	show("FTW", fpu_area[FX_FTW]);
	show("MXCSR", mxcsr);
	show_regs("st", FX_ST(0), 8, 10, 16);
	show_regs("xmm", FX_XMM(0), 16, 16, 16);
	if (avx)
		show_regs("ymm_hi", avx_offset(), 16, 16, 16);
}

/* What no start-up changes */
static void dump(void)
{
	unsigned int n;

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
	dump_fpu();
	show("signature", cpuid(1, 0).eax);
}

/* Every register of the x87, SSE and AVX state, from a made-up image */
static void fpu_pattern(void)
{
	bool xsave = fpu_enable();
	unsigned int n;
	u64 rfbm = XSTATE_X87 | XSTATE_SSE;

	memset(fpu_area, 0x5a, sizeof(fpu_area));
	for (n = 0; n < 16; n++)
		fpu_area[FX_XMM(n)] = n;
	for (n = 0; n < 8; n++)
		memset(&fpu_area[FX_ST(n) + 10], 0, 6);
	memcpy(&fpu_area[FX_FCW], &(u16){ PATTERN_FCW }, 2);
	/* no exception pending, TOP 7; all ST registers valid */
	memcpy(&fpu_area[FX_FSW], &(u16){ 0x3800 }, 2);
	fpu_area[FX_FTW] = 0xff;
	fpu_area[FX_FTW + 1] = 0;
	/* FOP, and MXCSR_MASK, which FXRSTOR/XRSTOR ignore */
	memcpy(&fpu_area[FX_MXCSR], &(u32){ PATTERN_MXCSR }, 4);
	if (!xsave) {
		asm volatile("fxrstor64 %0" : : "m" (fpu_area));
		return;
	}
	if (has_avx())
		rfbm |= XSTATE_AVX;
	xcr0_write(rfbm);
	/* the header: these components from the image, standard format */
	memset(&fpu_area[XSAVE_XSTATE_BV], 0, 64);
	memcpy(&fpu_area[XSAVE_XSTATE_BV], &rfbm, sizeof(rfbm));
	asm volatile("xrstor64 %0" : : "m" (fpu_area), "a" ((u32)rfbm),
		     "d" (0));
	/*
	 * XCR0 back to x87 alone, the SSE and AVX registers full: a reset
	 * that initializes only what XCR0 enables leaves them to the next
	 * owner of the CPU
	 */
	xcr0_write(XSTATE_X87);
}

static void leave_pattern(void)
{
	unsigned int n;

	write_reg(cr2, PATTERN);
	write_reg(db0, PATTERN);
	write_reg(db1, PATTERN);
	write_reg(db2, PATTERN);
	write_reg(db3, PATTERN);
	write_msr(MSR_FS_BASE, PATTERN);
	for (n = 0; n < ARRAY_SIZE(msrs); n++)
		write_msr(msrs[n].msr, msrs[n].pattern);
	fpu_pattern();
}

static volatile bool secondary_done;

/* The pattern, then every general-purpose register and CR8 too: halted */
static void __noreturn secondary_pattern(void)
{
	leave_pattern();
	secondary_done = true;
	asm volatile("cli\n\t"
		     "mov $0xa, %%eax\n\tmov %%rax, %%cr8\n\t"
		     "mov %0, %%rax\n\tmov %0, %%rbx\n\tmov %0, %%rcx\n\t"
		     "mov %0, %%rdx\n\tmov %0, %%rsi\n\tmov %0, %%rdi\n\t"
		     "mov %0, %%rbp\n\tmov %0, %%r8\n\tmov %0, %%r9\n\t"
		     "mov %0, %%r10\n\tmov %0, %%r11\n\tmov %0, %%r12\n\t"
		     "mov %0, %%r13\n\tmov %0, %%r14\n\tmov %0, %%r15\n"
		     "1:\thlt\n\tjmp 1b"
		     : : "i" (PATTERN) : "memory");
	__builtin_unreachable();
}

static void secondary_dump(void)
{
	printk("TEST cpu-state: secondary\n");
	show_arrival(&ap_arrival);
	dump();
	printk("TEST cpu-state: secondary end\n");
	secondary_done = true;
}

/* up to 5 s: its dump is long, the UART slow under emulation */
static bool wait_secondary(void)
{
	u64 timeout = timer_get_ticks() + timer_ns_to_ticks(5000000000ULL);

	while (!secondary_done && timer_get_ticks() < timeout)
		delay_us(1000);
	return secondary_done;
}

/*
 * The CPU @apic_id of the cell leaves its pattern and halts; started
 * again (INIT, SIPI), it shows what it finds.
 */
static void cpu_on_cycle(u32 apic_id)
{
	if (smp_start_cpu(apic_id, secondary_pattern) || !wait_secondary()) {
		printk("TEST cpu-state: CPU %u did not come up\n", apic_id);
		return;
	}
	/* time to reach its HLT */
	delay_us(10000);
	secondary_done = false;
	if (smp_start_cpu(apic_id, secondary_dump) || !wait_secondary())
		printk("TEST cpu-state: CPU %u did not come back\n", apic_id);
}

void inmate_main(void)
{
	long long cpu_on = cmdline_parse_int("cpu-on", -1);

	printk("TEST cpu-state: trying the boot CPU's state on %s\n",
	       platform.name);
	show_arrival(&arrival);
	dump();
	if (cpu_on >= 0)
		cpu_on_cycle(cpu_on);
	printk("TEST cpu-state: done\n");

	if (!cmdline_parse_bool("pattern", false))
		return;
	leave_pattern();
	printk("TEST cpu-state: pattern left\n");
}
