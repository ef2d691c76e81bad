// SPDX-License-Identifier: GPL-2.0
/*
 * Debug output on an Arm PL011 UART (the QEMU virt machine's).
 */
#include <jailhouse/cell-config.h>
#include <jailhouse/mmio.h>
#include <asm/processor.h>
#include <asm/uart.h>

#define UART_DR			0x00
#define UART_FR			0x18
#define  UART_FR_TXFF		(1 << 5)

static void pl011_putc(void *base, char c)
{
	unsigned int timeout = UART_TX_TIMEOUT;

	while ((mmio_read32(base + UART_FR) & UART_FR_TXFF) && --timeout)
		cpu_relax();
	mmio_write32(base + UART_DR, (unsigned char)c);
}

const struct uart_driver uart_pl011 = {
	.type = JAILHOUSE_CON_TYPE_PL011,
	.name = "PL011",
	.putc = pl011_putc,
};
