/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The debug UARTs the hypervisor drives, polled, as the firmware or Linux
 * configured them: the root cell keeps using the same UART.
 */
#ifndef _ASM_UART_H
#define _ASM_UART_H

/* Give up on a stuck transmitter rather than hang the hypervisor. */
#define UART_TX_TIMEOUT		100000

/**
 * struct uart_driver - One kind of debug UART.
 * @type:	its JAILHOUSE_CON_TYPE_* in the system config's debug_console
 * @name:	for messages
 * @putc:	write one character to the UART mapped at @base, waiting at
 *		most UART_TX_TIMEOUT polls for room in the transmit FIFO
 */
struct uart_driver {
	unsigned int type;
	const char *name;
	void (*putc)(void *base, char c);
};

extern const struct uart_driver uart_pl011;
extern const struct uart_driver uart_xuartps;

#endif /* !_ASM_UART_H */
