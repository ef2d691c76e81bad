// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The console's UARTs (console.c): Arm PL011 ("con-type=PL011") and Xilinx
 * UART PS ("con-type=XUARTPS"), memory-mapped.
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

static unsigned long uart_base;

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


enum console_kind uart_by_type(const char *type)
{
	if (strncmp(type, "PL011", CON_TYPE_SIZE) == 0)
		return CONSOLE_PL011;
	if (strncmp(type, "XUARTPS", CON_TYPE_SIZE) == 0)
		return CONSOLE_XUARTPS;
	return CONSOLE_NONE;
}

/* Both only memory-mapped */
enum console_kind uart_by_descriptor(const struct jailhouse_console *con)
{
	if (!CON_IS_MMIO(con->flags))
		return CONSOLE_NONE;
	if (con->type == JAILHOUSE_CON_TYPE_PL011)
		return CONSOLE_PL011;
	if (con->type == JAILHOUSE_CON_TYPE_XUARTPS)
		return CONSOLE_XUARTPS;
	return CONSOLE_NONE;
}

void uart_init(enum console_kind kind, const struct jailhouse_console *con)
{
	uart_base = cmdline_parse_int("con-base", con->address);
	if (kind == CONSOLE_PL011)
		pl011_init(con->divider);
	else
		xuartps_init();
}

void uart_putc(enum console_kind kind, char c)
{
	if (kind == CONSOLE_PL011)
		pl011_putc(c);
	else
		xuartps_putc(c);
}

const char *uart_name(enum console_kind kind)
{
	return kind == CONSOLE_PL011 ? "PL011" : "Xilinx UART PS";
}
