// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The console's UART (console.c): an 8250 ("con-type=8250"), port I/O, or
 * MMIO with registers 1 or 4 bytes apart.  "con-base=ADDR" is a port
 * unless "con-mmio" says it is an address, "con-regdist-4" spaces the
 * registers 4 bytes apart; q35's COM1 at 0x3f8 without a hypervisor.
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

static unsigned long uart_base;
static bool uart_mmio;
static unsigned int uart_shift;	/* register distance 1 << uart_shift */

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

static void uart_8250_putc(char c)
{
	while (!(uart_read(UART_LSR) & UART_LSR_THRE))
		cpu_relax();
	uart_write(UART_TX, c);
}

/*
 * Only when the configuration asks for a rate: else the format and rate
 * the firmware or the root cell set stay.  Interrupts off, FIFOs on.
 */
static void uart_8250_init(u32 divider)
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

enum console_kind uart_by_type(const char *type)
{
	if (strncmp(type, "8250", CON_TYPE_SIZE) == 0)
		return CONSOLE_8250;
	return CONSOLE_NONE;
}

enum console_kind uart_by_descriptor(const struct jailhouse_console *con)
{
	return con->type == JAILHOUSE_CON_TYPE_8250 ? CONSOLE_8250 :
		CONSOLE_NONE;
}

void uart_init(enum console_kind kind, const struct jailhouse_console *con)
{
	uart_base = cmdline_parse_int("con-base", con->address);
	uart_mmio = cmdline_parse_bool("con-mmio", CON_IS_MMIO(con->flags));
	uart_shift = cmdline_parse_bool("con-regdist-4",
					CON_USES_REGDIST_4(con->flags)) ? 2 : 0;
	uart_8250_init(con->divider);
}

void uart_putc(enum console_kind kind, char c)
{
	uart_8250_putc(c);
}

const char *uart_name(enum console_kind kind)
{
	return uart_mmio ? "8250 (MMIO)" : "8250";
}
