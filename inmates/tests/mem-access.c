// SPDX-License-Identifier: GPL-2.0
/*
 * mem-access: reads or writes one word the cell does not own.
 *
 * Command line: addr=ADDR (0x40000000, root RAM on QEMU; 0x7f000000 is
 * the hypervisor, another cell's RAM is where its config puts it), write
 * (write instead of read), value=N (what to write, 0x5a5a5a5a).
 *
 * Contained: "trying" and no "result"; the hypervisor parks the CPU.
 */
#include <inmate.h>

void inmate_main(void)
{
	unsigned long addr = cmdline_parse_int("addr", 0x40000000);
	u32 value = cmdline_parse_int("value", 0x5a5a5a5a);
	bool write = cmdline_parse_bool("write", false);

	printk("TEST mem-access: trying %s of 0x%lx\n",
	       write ? "write" : "read", addr);
	if (write) {
		mmio_write32(addr, value);
		printk("TEST mem-access: result wrote 0x%x to 0x%lx\n",
		       value, addr);
	} else {
		value = mmio_read32(addr);
		printk("TEST mem-access: result read 0x%x from 0x%lx\n",
		       value, addr);
	}
}
