// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The I/O APIC: its redirection entries, through the index and data
 * registers (IOREGSEL, IOWIN).  At 0xfec00000 (the PC's, q35's and the
 * usual cell's), or where "ioapic-base=ADDR" on the command line says.
 */
#include "lib.h"

#define IOAPIC_DEFAULT_BASE	0xfec00000UL
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WIN		0x10
#define IOAPIC_VERSION		0x01
#define IOAPIC_REDIR(pin)	(0x10 + 2 * (pin))

#define REDIR_ACTIVE_LOW	(1 << 13)
#define REDIR_LEVEL		(1 << 15)

/* the index and the data register belong together */
static DEFINE_SPINLOCK(ioapic_lock);

static unsigned long ioapic_base(void)
{
	return cmdline_parse_int("ioapic-base", IOAPIC_DEFAULT_BASE);
}

static u32 ioapic_read(unsigned int reg)
{
	unsigned long base = ioapic_base(), flags;
	u32 val;

	flags = local_irq_save();
	spin_lock(&ioapic_lock);
	mmio_write32(base + IOAPIC_REGSEL, reg);
	val = mmio_read32(base + IOAPIC_WIN);
	spin_unlock(&ioapic_lock);
	local_irq_restore(flags);
	return val;
}

static void ioapic_write(unsigned int reg, u32 val)
{
	unsigned long base = ioapic_base(), flags;

	flags = local_irq_save();
	spin_lock(&ioapic_lock);
	mmio_write32(base + IOAPIC_REGSEL, reg);
	mmio_write32(base + IOAPIC_WIN, val);
	spin_unlock(&ioapic_lock);
	local_irq_restore(flags);
}

/* Pins of the I/O APIC (its version register) */
unsigned int ioapic_pins(void)
{
	return ((ioapic_read(IOAPIC_VERSION) >> 16) & 0xff) + 1;
}

u64 ioapic_read_redir(unsigned int pin)
{
	return ioapic_read(IOAPIC_REDIR(pin)) |
		(u64)ioapic_read(IOAPIC_REDIR(pin) + 1) << 32;
}

/* Masked while the halves do not match */
void ioapic_write_redir(unsigned int pin, u64 entry)
{
	ioapic_write(IOAPIC_REDIR(pin), IOAPIC_REDIR_MASKED);
	ioapic_write(IOAPIC_REDIR(pin) + 1, entry >> 32);
	ioapic_write(IOAPIC_REDIR(pin), entry);
}

/**
 * ioapic_route() - Deliver a pin's interrupt to this CPU.
 * @pin:	the I/O APIC's input
 * @vector:	FIRST_USER_VECTOR..0xfe, with a handler (irq_register())
 * @level:	level-triggered (active low, as PCI's INTx), else edge
 *		(active high, as the ISA interrupts)
 */
void ioapic_route(unsigned int pin, unsigned int vector, bool level)
{
	u64 entry = vector | (u64)cpu_apic_id() << 56;

	if (level)
		entry |= REDIR_LEVEL | REDIR_ACTIVE_LOW;
	ioapic_write_redir(pin, entry);
}

void ioapic_mask(unsigned int pin)
{
	ioapic_write(IOAPIC_REDIR(pin),
		     ioapic_read(IOAPIC_REDIR(pin)) | IOAPIC_REDIR_MASKED);
}
