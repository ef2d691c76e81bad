// SPDX-License-Identifier: GPL-2.0
/*
 * irq-foreign (x86): changes, in the I/O APIC, the redirection entry of a
 * pin the cell does not own.
 *
 * Command line: pin=N (4, COM1: the root's UART), mode=enable|disable|
 * route (enable: clears the mask bit; route sends it to this CPU,
 * vector 0x30), ioapic-base=ADDR (0xfec00000).
 *
 * The entry is read before and after, as the cell sees it.  Contained:
 * no "result" line (the CPU is parked), or a result while the root keeps
 * the pin as it was.
 */
#include <inmate.h>

#define TEST_VECTOR	0x30

void inmate_main(void)
{
	unsigned int pin = cmdline_parse_int("pin", 4);
	u64 before, after;
	char mode[8];

	cmdline_parse_str("mode", mode, sizeof(mode), "enable");
	if (strncmp(mode, "enable", sizeof(mode)) != 0 &&
	    strncmp(mode, "disable", sizeof(mode)) != 0 &&
	    strncmp(mode, "route", sizeof(mode)) != 0) {
		printk("TEST irq-foreign: mode=%s: not enable, disable or "
		       "route\n", mode);
		return;
	}

	/* first: reading the I/O APIC's size may be what parks the CPU */
	printk("TEST irq-foreign: trying %s of I/O APIC pin %u\n", mode, pin);
	if (pin >= ioapic_pins()) {
		printk("TEST irq-foreign: pin %u: the I/O APIC has %u\n", pin,
		       ioapic_pins());
		return;
	}
	before = ioapic_read_redir(pin);
	if (strncmp(mode, "enable", sizeof(mode)) == 0)
		ioapic_write_redir(pin, before & ~IOAPIC_REDIR_MASKED);
	else if (strncmp(mode, "disable", sizeof(mode)) == 0)
		ioapic_mask(pin);
	else
		ioapic_route(pin, TEST_VECTOR, false);
	after = ioapic_read_redir(pin);
	printk("TEST irq-foreign: result %s of I/O APIC pin %u: before "
	       "0x%llx, after 0x%llx\n", mode, pin, before, after);
}
