// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Console: an 8250 UART (port I/O, or MMIO with registers 1 or 4 bytes
 * apart), or the hypervisor's debug console (hypercall 8).
 *
 * The choice, first match wins:
 * - "con-type=8250", "con-type=JAILHOUSE" or "con-type=NONE" on the
 *   command line ("con-base=ADDR" moves the UART, a port unless
 *   "con-mmio" says it is an address);
 * - the comm region's "debug putc active" flag: the hypervisor console;
 * - the console descriptor of the comm region (or q35's COM1 at 0x3f8
 *   without a hypervisor) if it is an 8250;
 * - the hypervisor console if the comm region permits it;
 * - none.
 */
#include "lib.h"

#define UART_TX			0
#define UART_DLL		0
#define UART_DLM		1
#define UART_IER		1
#define UART_FCR		2
#define UART_LCR		3
#define UART_LCR_8N1		0x03
#define UART_LCR_DLAB		0x80
#define UART_LSR		5
#define UART_LSR_THRE		0x20

static enum console_kind kind;
static unsigned long uart_base;
static bool uart_mmio;
static unsigned int uart_shift;	/* register distance 1 << uart_shift */

static DEFINE_SPINLOCK(printk_lock);
static bool emergency;

static u8 uart_read(unsigned int reg)
{
	if (uart_mmio)
		return mmio_read8(uart_base + (reg << uart_shift));
	return inb(uart_base + reg);
}

static void uart_write(unsigned int reg, u8 val)
{
	if (uart_mmio)
		mmio_write8(uart_base + (reg << uart_shift), val);
	else
		outb(val, uart_base + reg);
}

static void uart_putc(char c)
{
	while (!(uart_read(UART_LSR) & UART_LSR_THRE))
		cpu_relax();
	uart_write(UART_TX, c);
}

/*
 * Only when the configuration asks for a rate: else the format and rate
 * the firmware or the root cell set stay.  Interrupts off, FIFOs on.
 */
static void uart_init(u32 divider)
{
	if (divider == 0)
		return;
	uart_write(UART_LCR, UART_LCR_DLAB);
	uart_write(UART_DLL, divider);
	uart_write(UART_DLM, divider >> 8);
	uart_write(UART_LCR, UART_LCR_8N1);
	uart_write(UART_IER, 0);
	uart_write(UART_FCR, 0x07);
}

void console_init(void)
{
	const struct jailhouse_console *con = &platform.console;
	char type[16];

	cmdline_parse_str("con-type", type, sizeof(type), "");
	uart_base = cmdline_parse_int("con-base", con->address);
	uart_mmio = cmdline_parse_bool("con-mmio", CON_IS_MMIO(con->flags));
	uart_shift = cmdline_parse_bool("con-regdist-4",
					CON_USES_REGDIST_4(con->flags)) ? 2 : 0;

	if (strncmp(type, "8250", sizeof(type)) == 0) {
		kind = CONSOLE_8250;
	} else if (strncmp(type, "JAILHOUSE", sizeof(type)) == 0) {
		kind = CONSOLE_HYPERVISOR;
	} else if (strncmp(type, "NONE", sizeof(type)) == 0) {
		kind = CONSOLE_NONE;
	} else if (comm_region &&
		   COMM_REGION_DBG_PUTC_ACTIVE(comm_region->flags)) {
		kind = CONSOLE_HYPERVISOR;
	} else if (con->type == JAILHOUSE_CON_TYPE_8250) {
		kind = CONSOLE_8250;
	} else if (comm_region &&
		   COMM_REGION_DBG_PUTC_PERMITTED(comm_region->flags)) {
		kind = CONSOLE_HYPERVISOR;
	} else {
		kind = CONSOLE_NONE;
	}

	if (kind == CONSOLE_8250)
		uart_init(con->divider);
}

enum console_kind console_kind(void)
{
	return kind;
}

const char *console_name(void)
{
	switch (kind) {
	case CONSOLE_8250:
		return uart_mmio ? "8250 (MMIO)" : "8250";
	case CONSOLE_HYPERVISOR:
		return "hypervisor debug console";
	default:
		return "none";
	}
}

static void console_output(const char *s, size_t len)
{
	for (; len > 0; s++, len--) {
		switch (kind) {
		case CONSOLE_8250:
			if (*s == '\n')
				uart_putc('\r');
			uart_putc(*s);
			break;
		case CONSOLE_HYPERVISOR:
			jailhouse_call_arg1(JAILHOUSE_HC_DEBUG_CONSOLE_PUTC,
					    *s);
			break;
		case CONSOLE_NONE:
			return;
		}
	}
}

/*
 * A fatal exception may have struck while this CPU held the lock: from now
 * on, print without it.
 */
void printk_emergency(void)
{
	emergency = true;
}

/* Whole lines, not characters, interleave between CPUs */
void console_write(const char *s, size_t len)
{
	unsigned long flags;

	if (emergency) {
		console_output(s, len);
		return;
	}
	flags = local_irq_save();
	spin_lock(&printk_lock);
	console_output(s, len);
	spin_unlock(&printk_lock);
	local_irq_restore(flags);
}
