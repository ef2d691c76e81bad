// SPDX-License-Identifier: GPL-2.0
/*
 * irq-foreign: changes, in the distributor, an interrupt the cell does
 * not own.
 *
 * Command line: irq=N (33, the root's UART on QEMU "virt"),
 * mode=enable|disable|route (enable; route sends it to this CPU).
 *
 * The register is read before and after, as the cell sees it.  Contained:
 * no "result" line (the CPU is parked), or a result while the root keeps
 * the interrupt as it was.
 */
#include <inmate.h>

#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ITARGETSR	0x0800
#define GICD_IROUTER	0x6000

/* The bit or field of the register that mode changes */
static u64 read_state(const char *mode, unsigned int irq)
{
	unsigned long gicd = platform.gicd_base;
	unsigned long reg = gicd + GICD_ISENABLER + irq / 32 * 4;

	if (strncmp(mode, "route", 6) != 0)
		return (mmio_read32(reg) >> (irq % 32)) & 1;
	if (platform.gic_version == 3)
		return mmio_read32(gicd + GICD_IROUTER + irq * 8) |
			(u64)mmio_read32(gicd + GICD_IROUTER + irq * 8 + 4)
			<< 32;
	return mmio_read8(gicd + GICD_ITARGETSR + irq);
}

void inmate_main(void)
{
	unsigned int irq = cmdline_parse_int("irq", 33);
	unsigned long gicd = platform.gicd_base;
	u32 bit = 1U << (irq % 32);
	u64 aff = cpu_mpidr();
	u64 before, after;
	char mode[16];

	cmdline_parse_str("mode", mode, sizeof(mode), "enable");
	if (irq < 32 || irq >= 1020 ||
	    (strncmp(mode, "enable", 7) != 0 &&
	     strncmp(mode, "disable", 8) != 0 &&
	     strncmp(mode, "route", 6) != 0)) {
		printk("TEST irq-foreign: bad irq %u or mode %s\n", irq, mode);
		return;
	}

	before = read_state(mode, irq);
	printk("TEST irq-foreign: trying %s of interrupt %u on GICv%u "
	       "(before: 0x%llx)\n", mode, irq, platform.gic_version, before);

	if (strncmp(mode, "enable", 7) == 0) {
		mmio_write32(gicd + GICD_ISENABLER + irq / 32 * 4, bit);
	} else if (strncmp(mode, "disable", 8) == 0) {
		mmio_write32(gicd + GICD_ICENABLER + irq / 32 * 4, bit);
	} else if (platform.gic_version == 3) {
		mmio_write32(gicd + GICD_IROUTER + irq * 8, aff & 0xffffff);
		mmio_write32(gicd + GICD_IROUTER + irq * 8 + 4, aff >> 32);
	} else {
		/* the banked ITARGETSR of interrupt 0 names this CPU */
		mmio_write8(gicd + GICD_ITARGETSR + irq,
			    mmio_read8(gicd + GICD_ITARGETSR));
	}

	after = read_state(mode, irq);
	printk("TEST irq-foreign: result %s of interrupt %u: before 0x%llx, "
	       "after 0x%llx\n", mode, irq, before, after);
}
