// SPDX-License-Identifier: GPL-2.0
/*
 * Debug output on the Cadence UART of the Xilinx Zynq and Zynq UltraScale+
 * (ZCU102) processing systems, "Xilinx UART PS" (register layout: Zynq
 * UltraScale+ TRM, UG1085, UART module).
 */
#include <jailhouse/cell-config.h>
#include <jailhouse/mmio.h>
#include <asm/processor.h>
#include <asm/uart.h>

#define UART_SR			0x2c	/* channel status */
#define  UART_SR_TXFULL		(1 << 4)
#define UART_FIFO		0x30	/* transmit and receive FIFO */

static void xuartps_putc(void *base, char c)
{
	unsigned int timeout = UART_TX_TIMEOUT;

	while ((mmio_read32(base + UART_SR) & UART_SR_TXFULL) && --timeout)
		cpu_relax();
	mmio_write32(base + UART_FIFO, (unsigned char)c);
}

const struct uart_driver uart_xuartps = {
	.type = JAILHOUSE_CON_TYPE_XUARTPS,
	.name = "Xilinx UART PS",
	.putc = xuartps_putc,
};
