// SPDX-License-Identifier: GPL-2.0
/*
 * msr-access: reads or writes one model-specific register that is the
 * hypervisor's or the machine's, not the cell's.
 *
 * Command line: msr=N (0xc0010117, VM_HSAVE_PA: where SVM keeps the
 * host's state), write (write instead of read), value=N (what to write,
 * 0).
 *
 * Contained: "trying" and no "result" (the hypervisor parks the CPU), or
 * a result that leaves the hypervisor's value alone (a virtual register).
 * An MSR the CPU does not have raises #GP: "Unexpected exception: vector
 * 13".
 */
#include <inmate.h>

void inmate_main(void)
{
	u32 msr = cmdline_parse_int("msr", 0xc0010117);
	u64 value = cmdline_parse_int("value", 0);
	bool write = cmdline_parse_bool("write", false);

	printk("TEST msr-access: trying %s of MSR 0x%x\n",
	       write ? "write" : "read", msr);
	if (write)
		write_msr(msr, value);
	else
		value = read_msr(msr);
	printk("TEST msr-access: result %s 0x%llx %s MSR 0x%x\n",
	       write ? "wrote" : "read", value, write ? "to" : "from", msr);
}
