// SPDX-License-Identifier: GPL-2.0
/*
 * root-pattern CPU: a root-cell user process that keeps text in the
 * registers of CPU it can reach (test_handover.py), so that whatever takes
 * the CPU next could see it if the hypervisor let it through.
 *
 * arm64: v0-v31, FPCR, FPSR and TPIDR_EL0.
 * x86: ST0-ST7, FCW, XMM0-XMM15 (YMM0-YMM15 in full where the CPU has
 * AVX), MXCSR, the general-purpose registers it spins with, its GS base
 * (which Linux keeps in KERNEL_GS_BASE while the kernel runs) and a
 * hardware watchpoint (perf), which Linux puts in DR0 while the process
 * runs and leaves there when it goes.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __x86_64__
#include <asm/prctl.h>
#include <cpuid.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#endif

static const char secret[] = "ROOT-USER-SECRET";

#ifdef __aarch64__
static unsigned long tpidr;

static int prepare(void)
{
	memcpy(&tpidr, "ROOTTPID", sizeof(tpidr));
	return 0;
}

static void fill(unsigned char v[32][16])
{
	asm volatile("ldp q0, q1, [%0, #0]\n ldp q2, q3, [%0, #32]\n"
		     "ldp q4, q5, [%0, #64]\n ldp q6, q7, [%0, #96]\n"
		     "ldp q8, q9, [%0, #128]\n ldp q10, q11, [%0, #160]\n"
		     "ldp q12, q13, [%0, #192]\n ldp q14, q15, [%0, #224]\n"
		     "ldp q16, q17, [%0, #256]\n ldp q18, q19, [%0, #288]\n"
		     "ldp q20, q21, [%0, #320]\n ldp q22, q23, [%0, #352]\n"
		     "ldp q24, q25, [%0, #384]\n ldp q26, q27, [%0, #416]\n"
		     "ldp q28, q29, [%0, #448]\n ldp q30, q31, [%0, #480]\n"
		     "msr fpcr, %1\n msr fpsr, %2\n msr tpidr_el0, %3\n"
		     : : "r" (v), "r" (0x03c00000UL), "r" (0x0800001fUL),
		       "r" (tpidr)
		     : "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7",
		       "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15",
		       "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23",
		       "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
}

/* nothing here touches FP/SIMD: the pattern stays in place */
static void spin(void)
{
	int n;

	for (n = 0; n < 100000; n++)
		asm volatile("" : : : "memory");
}
#endif

#ifdef __x86_64__
/* every exception masked, rounding toward zero, the opposite of Linux's */
#define PATTERN_FCW	0x0f7f
#define PATTERN_MXCSR	0xff80

static int avx;
static unsigned long gpr_text;
static unsigned long watched __attribute__((aligned(8)));

/*
 * The GS base (Linux swaps it into KERNEL_GS_BASE on entry to the kernel;
 * glibc uses FS only) and a write watchpoint of this process in a debug
 * address register.
 */
static int prepare(void)
{
	struct perf_event_attr attr;
	unsigned int a, b, c, d;
	unsigned long gs;

	if (__get_cpuid(1, &a, &b, &c, &d))
		avx = !!(c & bit_AVX);
	memcpy(&gpr_text, "ROOT-GPR", sizeof(gpr_text));
	/* canonical: six characters, two zero bytes on top */
	gs = 0;
	memcpy(&gs, "ROOTGS", 6);
	if (syscall(SYS_arch_prctl, ARCH_SET_GS, gs)) {
		perror("arch_prctl ARCH_SET_GS");
		return -1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.bp_type = HW_BREAKPOINT_W;
	attr.bp_addr = (unsigned long)&watched;
	attr.bp_len = HW_BREAKPOINT_LEN_8;
	attr.exclude_kernel = 1;
	if (syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0) < 0) {
		perror("perf_event_open (hardware watchpoint)");
		return -1;
	}
	return 0;
}

static void fill(unsigned char v[32][16])
{
	static const unsigned short fcw = PATTERN_FCW;
	static const unsigned int mxcsr = PATTERN_MXCSR;
	int n;

	/* eight 80-bit values of the text, the x87 stack full */
	asm volatile("fninit" : : : "memory");
	for (n = 0; n < 8; n++)
		asm volatile("fldt %0" : : "m" (*(char (*)[10])v[n]));
	asm volatile("fldcw %0\n\tldmxcsr %1" : : "m" (fcw), "m" (mxcsr));
	if (avx)
		asm volatile("vmovdqu 0(%0), %%ymm0\n vmovdqu 32(%0), %%ymm1\n"
			     "vmovdqu 64(%0), %%ymm2\n vmovdqu 96(%0), %%ymm3\n"
			     "vmovdqu 128(%0), %%ymm4\n vmovdqu 160(%0), %%ymm5\n"
			     "vmovdqu 192(%0), %%ymm6\n vmovdqu 224(%0), %%ymm7\n"
			     "vmovdqu 256(%0), %%ymm8\n vmovdqu 288(%0), %%ymm9\n"
			     "vmovdqu 320(%0), %%ymm10\n"
			     "vmovdqu 352(%0), %%ymm11\n"
			     "vmovdqu 384(%0), %%ymm12\n"
			     "vmovdqu 416(%0), %%ymm13\n"
			     "vmovdqu 448(%0), %%ymm14\n"
			     "vmovdqu 480(%0), %%ymm15\n"
			     : : "r" (v) : "memory", "xmm0", "xmm1", "xmm2",
			       "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
			       "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
			       "xmm14", "xmm15");
	else
		asm volatile("movdqu 0(%0), %%xmm0\n movdqu 16(%0), %%xmm1\n"
			     "movdqu 32(%0), %%xmm2\n movdqu 48(%0), %%xmm3\n"
			     "movdqu 64(%0), %%xmm4\n movdqu 80(%0), %%xmm5\n"
			     "movdqu 96(%0), %%xmm6\n movdqu 112(%0), %%xmm7\n"
			     "movdqu 128(%0), %%xmm8\n movdqu 144(%0), %%xmm9\n"
			     "movdqu 160(%0), %%xmm10\n"
			     "movdqu 176(%0), %%xmm11\n"
			     "movdqu 192(%0), %%xmm12\n"
			     "movdqu 208(%0), %%xmm13\n"
			     "movdqu 224(%0), %%xmm14\n"
			     "movdqu 240(%0), %%xmm15\n"
			     : : "r" (v) : "memory", "xmm0", "xmm1", "xmm2",
			       "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
			       "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
			       "xmm14", "xmm15");
}

/*
 * The text in every general-purpose register the compiler lets go while
 * it spins (RCX counts, RSP and RBP are the compiler's); nothing here
 * touches the x87 or SSE registers.
 */
static void spin(void)
{
	asm volatile("mov %0, %%rax\n\tmov %0, %%rbx\n\tmov %0, %%rdx\n\t"
		     "mov %0, %%rsi\n\tmov %0, %%rdi\n\tmov %0, %%r8\n\t"
		     "mov %0, %%r9\n\tmov %0, %%r10\n\tmov %0, %%r11\n\t"
		     "mov %0, %%r12\n\tmov %0, %%r13\n\tmov %0, %%r14\n\t"
		     "mov %0, %%r15\n\tmov $100000, %%ecx\n"
		     "1:\tdec %%ecx\n\tjnz 1b"
		     : : "m" (gpr_text)
		     : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9",
		       "r10", "r11", "r12", "r13", "r14", "r15", "cc");
}
#endif

int main(int argc, char **argv)
{
	static unsigned char v[32][16] __attribute__((aligned(16)));
	cpu_set_t set;
	int cpu, n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CPU\n", argv[0]);
		return 2;
	}
	cpu = atoi(argv[1]);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		return 1;
	}
	for (n = 0; n < 32; n++)
		memcpy(v[n], secret, 16);
	if (prepare())
		return 1;
	printf("root-pattern: running on CPU %d\n", cpu);
	fflush(stdout);

	for (;;) {
		fill(v);
		spin();
	}
}
