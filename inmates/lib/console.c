// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Console: a UART (Arm PL011, Xilinx UART PS), or the hypervisor's debug
 * console (hypercall 8).
 *
 * The choice, first match wins:
 * - "con-type=PL011", "con-type=XUARTPS", "con-type=JAILHOUSE" or
 *   "con-type=NONE" on the command line ("con-base=ADDR" moves the UART);
 * - the comm region's "debug putc active" flag: the hypervisor console;
 * - the console descriptor of the comm region (or QEMU's UART) if it is a
 *   memory-mapped UART of a kind above;
 * - the hypervisor console if the comm region permits it;
 * - none.
 */
#include "lib.h"

#define UART_DR			0x00
#define UART_FR			0x18
#define UART_FR_TXFF		(1 << 5)
#define UART_IBRD		0x24
#define UART_FBRD		0x28
#define UART_LCRH		0x2c
#define UART_LCRH_FEN		(1 << 4)
#define UART_LCRH_WLEN_8	(3 << 5)
#define UART_CR			0x30
#define UART_CR_UARTEN		(1 << 0)
#define UART_CR_TXE		(1 << 8)
#define UART_CR_RXE		(1 << 9)

/* Cadence UART of the Zynq UltraScale+ (UG1085) */
#define XUARTPS_CR		0x00
#define XUARTPS_CR_TX_EN	(1 << 4)
#define XUARTPS_CR_TX_DIS	(1 << 5)
#define XUARTPS_SR		0x2c
#define XUARTPS_SR_TXFULL	(1 << 4)
#define XUARTPS_FIFO		0x30

static enum console_kind kind;
static unsigned long uart_base;

static DEFINE_SPINLOCK(printk_lock);
static bool emergency;

static void pl011_putc(char c)
{
	while (mmio_read32(uart_base + UART_FR) & UART_FR_TXFF)
		cpu_relax();
	mmio_write32(uart_base + UART_DR, c);
}

static void xuartps_putc(char c)
{
	while (mmio_read32(uart_base + XUARTPS_SR) & XUARTPS_SR_TXFULL)
		cpu_relax();
	mmio_write32(uart_base + XUARTPS_FIFO, c);
}

/*
 * The Xilinx UART PS keeps the rate and format the firmware or the root
 * cell set (a configured divider means a PL011's), but a transmitter
 * still disabled as after reset (no firmware set it up, as in QEMU
 * without one) would print nothing.
 */
static void xuartps_init(void)
{
	u32 cr = mmio_read32(uart_base + XUARTPS_CR);

	if ((cr & XUARTPS_CR_TX_EN) && !(cr & XUARTPS_CR_TX_DIS))
		return;
	mmio_write32(uart_base + XUARTPS_CR,
		     (cr & ~XUARTPS_CR_TX_DIS) | XUARTPS_CR_TX_EN);
}

/* Only when the configuration asks for a rate; else firmware's stays */
static void pl011_init(u32 divider)
{
	if (divider == 0)
		return;
	mmio_write32(uart_base + UART_CR, 0);
	mmio_write32(uart_base + UART_IBRD, divider);
	mmio_write32(uart_base + UART_FBRD, 0);
	mmio_write32(uart_base + UART_LCRH,
		     UART_LCRH_WLEN_8 | UART_LCRH_FEN);
	mmio_write32(uart_base + UART_CR,
		     UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE);
}

void console_init(void)
{
	const struct jailhouse_console *con = &platform.console;
	char type[16];

	cmdline_parse_str("con-type", type, sizeof(type), "");
	uart_base = cmdline_parse_int("con-base", con->address);

	if (strncmp(type, "PL011", sizeof(type)) == 0) {
		kind = CONSOLE_PL011;
	} else if (strncmp(type, "XUARTPS", sizeof(type)) == 0) {
		kind = CONSOLE_XUARTPS;
	} else if (strncmp(type, "JAILHOUSE", sizeof(type)) == 0) {
		kind = CONSOLE_HYPERVISOR;
	} else if (strncmp(type, "NONE", sizeof(type)) == 0) {
		kind = CONSOLE_NONE;
	} else if (comm_region &&
		   COMM_REGION_DBG_PUTC_ACTIVE(comm_region->flags)) {
		kind = CONSOLE_HYPERVISOR;
	} else if (con->type == JAILHOUSE_CON_TYPE_PL011 &&
		   CON_IS_MMIO(con->flags)) {
		kind = CONSOLE_PL011;
	} else if (con->type == JAILHOUSE_CON_TYPE_XUARTPS &&
		   CON_IS_MMIO(con->flags)) {
		kind = CONSOLE_XUARTPS;
	} else if (comm_region &&
		   COMM_REGION_DBG_PUTC_PERMITTED(comm_region->flags)) {
		kind = CONSOLE_HYPERVISOR;
	} else {
		kind = CONSOLE_NONE;
	}

	if (kind == CONSOLE_PL011)
		pl011_init(con->divider);
	else if (kind == CONSOLE_XUARTPS)
		xuartps_init();
}

enum console_kind console_kind(void)
{
	return kind;
}

const char *console_name(void)
{
	switch (kind) {
	case CONSOLE_PL011:
		return "PL011";
	case CONSOLE_XUARTPS:
		return "Xilinx UART PS";
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
		case CONSOLE_PL011:
			if (*s == '\n')
				pl011_putc('\r');
			pl011_putc(*s);
			break;
		case CONSOLE_XUARTPS:
			if (*s == '\n')
				xuartps_putc('\r');
			xuartps_putc(*s);
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
