// SPDX-License-Identifier: GPL-2.0
/*
 * wild-jump (x86): executes at an address the cell does not own.
 *
 * Command line: addr=ADDR (0x30000000, the hypervisor on the x86 QEMU
 * machine).
 *
 * The start-up's page tables map the first 4 GiB, so the fetch reaches
 * the hypervisor's nested page tables.  Contained: "trying" and nothing
 * after it; the hypervisor parks the CPU.
 */
#include <inmate.h>

void inmate_main(void)
{
	unsigned long addr = cmdline_parse_int("addr", 0x30000000);

	printk("TEST wild-jump: trying jump to 0x%lx\n", addr);
	local_irq_disable();
	asm volatile("call *%0" : : "r" (addr)
		     : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10",
		       "r11", "memory");
	printk("TEST wild-jump: result returned from 0x%lx\n", addr);
	halt();
}
