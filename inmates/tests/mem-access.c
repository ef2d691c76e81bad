// SPDX-License-Identifier: GPL-2.0
/*
 * mem-access: reads or writes one location the cell does not own, or one
 * that the hypervisor reaches on the cell's behalf.
 *
 * Command line: addr=ADDR (0x40000000, root RAM on QEMU; 0x7f000000 is
 * the hypervisor, another cell's RAM is where its config puts it), write
 * (write instead of read), value=N (what to write, 0x5a5a5a5a), size=N
 * (bytes: 1, 2, 4 or 8; 4).  ADDR need not be aligned to the size.
 *
 * Contained: "trying" and no "result"; the hypervisor parks the CPU.
 */
#include <inmate.h>

static bool access(unsigned long addr, unsigned int size, bool write,
		   u64 *value)
{
	switch (size) {
	case 1:
		if (write)
			mmio_write8(addr, *value);
		else
			*value = mmio_read8(addr);
		return true;
	case 2:
		if (write)
			mmio_write16(addr, *value);
		else
			*value = mmio_read16(addr);
		return true;
	case 4:
		if (write)
			mmio_write32(addr, *value);
		else
			*value = mmio_read32(addr);
		return true;
	case 8:
		if (write)
			mmio_write64(addr, *value);
		else
			*value = mmio_read64(addr);
		return true;
	}
	return false;
}

void inmate_main(void)
{
	unsigned long addr = cmdline_parse_int("addr", 0x40000000);
	u64 value = cmdline_parse_int("value", 0x5a5a5a5a);
	unsigned int size = cmdline_parse_int("size", 4);
	bool write = cmdline_parse_bool("write", false);

	printk("TEST mem-access: trying %u-byte %s of 0x%lx\n", size,
	       write ? "write" : "read", addr);
	if (!access(addr, size, write, &value)) {
		printk("TEST mem-access: size %u is not 1, 2, 4 or 8\n", size);
		return;
	}
	printk("TEST mem-access: result %s 0x%llx %s 0x%lx\n",
	       write ? "wrote" : "read", value, write ? "to" : "from", addr);
}
