// SPDX-License-Identifier: GPL-2.0
/*
 * Debug output on an 8250/16550-compatible UART, polled, through the
 * accessors of struct uart_8250 (register layout: the 16550 data sheet,
 * as on the PC's COM ports).
 */
#include <jailhouse/mmio.h>
#include <jailhouse/uart-8250.h>
#include <asm/processor.h>

#define UART_THR		0	/* transmit holding (DLAB = 0) */
#define UART_DLL		0	/* divisor latch, low (DLAB = 1) */
#define UART_DLM		1	/* divisor latch, high (DLAB = 1) */
#define UART_LCR		3	/* line control */
#define  UART_LCR_8N1		0x03
#define  UART_LCR_DLAB		0x80
#define UART_LSR		5	/* line status */
#define  UART_LSR_THRE		0x20	/* transmit holding empty */

static u8 reg_in(const struct uart_8250 *uart, unsigned int reg)
{
	return uart->io->in(uart->base + (reg << uart->reg_shift));
}

static void reg_out(const struct uart_8250 *uart, unsigned int reg, u8 value)
{
	uart->io->out(uart->base + (reg << uart->reg_shift), value);
}

void uart_8250_init(const struct uart_8250 *uart, u32 divider)
{
	if (!divider)
		return;
	reg_out(uart, UART_LCR, UART_LCR_DLAB);
	reg_out(uart, UART_DLL, divider & 0xff);
	reg_out(uart, UART_DLM, (divider >> 8) & 0xff);
	reg_out(uart, UART_LCR, UART_LCR_8N1);
}

void uart_8250_putc(const struct uart_8250 *uart, char c)
{
	unsigned int polls = UART_8250_TX_POLLS;

	while (!(reg_in(uart, UART_LSR) & UART_LSR_THRE) && --polls)
		cpu_relax();
	reg_out(uart, UART_THR, c);
}

static u8 mmio8_in(unsigned long addr)
{
	return mmio_read8((void *)addr);
}

static void mmio8_out(unsigned long addr, u8 value)
{
	mmio_write8((void *)addr, value);
}

const struct uart_8250_io uart_8250_mmio8 = {
	.in = mmio8_in,
	.out = mmio8_out,
};

static u8 mmio32_in(unsigned long addr)
{
	return mmio_read32((void *)addr);
}

static void mmio32_out(unsigned long addr, u8 value)
{
	mmio_write32((void *)addr, value);
}

const struct uart_8250_io uart_8250_mmio32 = {
	.in = mmio32_in,
	.out = mmio32_out,
};
