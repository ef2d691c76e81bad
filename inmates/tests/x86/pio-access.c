// SPDX-License-Identifier: GPL-2.0
/*
 * pio-access: reads or writes one I/O port the cell does not own.
 *
 * Command line: port=N (0x64, the i8042 keyboard controller's status and
 * command port, the root's), write (write instead of read), value=N
 * (what to write, 0), size=N (bytes: 1, 2 or 4; 1).  A write of 0xfe to
 * 0x64 resets the machine on a PC: "write value=0xfe" is the harmful case.
 *
 * Contained: "trying" and no "result"; the hypervisor parks the CPU.
 */
#include <inmate.h>

static bool access(u16 port, unsigned int size, bool write, u32 *value)
{
	switch (size) {
	case 1:
		if (write)
			outb(*value, port);
		else
			*value = inb(port);
		return true;
	case 2:
		if (write)
			outw(*value, port);
		else
			*value = inw(port);
		return true;
	case 4:
		if (write)
			outl(*value, port);
		else
			*value = inl(port);
		return true;
	}
	return false;
}

void inmate_main(void)
{
	u16 port = cmdline_parse_int("port", 0x64);
	u32 value = cmdline_parse_int("value", 0);
	unsigned int size = cmdline_parse_int("size", 1);
	bool write = cmdline_parse_bool("write", false);

	printk("TEST pio-access: trying %u-byte %s of port 0x%x\n", size,
	       write ? "write" : "read", port);
	if (!access(port, size, write, &value)) {
		printk("TEST pio-access: size %u is not 1, 2 or 4\n", size);
		return;
	}
	printk("TEST pio-access: result %s 0x%x %s port 0x%x\n",
	       write ? "wrote" : "read", value, write ? "to" : "from", port);
}
