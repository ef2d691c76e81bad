// SPDX-License-Identifier: GPL-2.0
/*
 * wild-jump: executes at an address the cell does not own.
 *
 * Command line: addr=ADDR (0x7f000000, the hypervisor on QEMU).
 *
 * The MMU goes off first: stage 1 maps everything outside the image
 * execute-never, and the fetch is to reach the hypervisor's stage 2, not
 * to fault in the cell.  Contained: "trying" and nothing after it; the
 * hypervisor parks the CPU.
 */
#include <inmate.h>

#define SCTLR_M		(1UL << 0)
#define SCTLR_C		(1UL << 2)

void inmate_main(void)
{
	unsigned long addr = cmdline_parse_int("addr", 0x7f000000);

	printk("TEST wild-jump: trying jump to 0x%lx\n", addr);

	/* Nothing this CPU wrote through the caches is needed any more */
	local_irq_disable();
	write_sysreg(sctlr_el1,
		     read_sysreg(sctlr_el1) & ~(SCTLR_M | SCTLR_C));
	isb();
	asm volatile("blr %0" : : "r" (addr)
		     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8",
		       "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
		       "x17", "x18", "x30", "memory");

	printk("TEST wild-jump: result returned from 0x%lx\n", addr);
	halt();
}
