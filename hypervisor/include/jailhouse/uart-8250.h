/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Debug output on an 8250/16550-compatible UART (console type
 * JAILHOUSE_CON_TYPE_8250), polled.  The registers are reached through
 * accessors: port I/O on x86 (the architecture provides those), or memory
 * mapped with registers 1 or 4 bytes apart (uart-8250.c).  The driver
 * itself has no architecture dependencies.
 */
#ifndef _JAILHOUSE_UART_8250_H
#define _JAILHOUSE_UART_8250_H

#include <jailhouse/types.h>

/* Give up on a stuck transmitter after this many status reads. */
#define UART_8250_TX_POLLS	100000

/**
 * struct uart_8250_io - How the registers of an 8250 are reached.
 * @in:		read the register at @addr
 * @out:	write @value to the register at @addr
 *
 * @addr is the base of struct uart_8250 plus the register's offset: a port
 * number for port I/O, an address of the hypervisor's mapping for MMIO.
 */
struct uart_8250_io {
	u8 (*in)(unsigned long addr);
	void (*out)(unsigned long addr, u8 value);
};

/**
 * struct uart_8250 - One 8250 UART.
 * @io:		its accessors
 * @base:	first port, or the address its registers are mapped at
 * @reg_shift:	register n is at @base + (n << @reg_shift): 0 for
 *		registers 1 byte apart, 2 for 4 bytes apart
 */
struct uart_8250 {
	const struct uart_8250_io *io;
	unsigned long base;
	unsigned int reg_shift;
};

/* Byte accesses, for memory-mapped registers 1 byte apart. */
extern const struct uart_8250_io uart_8250_mmio8;
/*
 * 32-bit accesses, for memory-mapped registers 4 bytes apart: such UARTs
 * (Synopsys DesignWare APB ones, say) need not take byte accesses.
 */
extern const struct uart_8250_io uart_8250_mmio32;

/**
 * uart_8250_init() - Set the line of the UART up for the debug console.
 * @uart:	the UART
 * @divider:	baud rate divider (115200 / baud rate for the usual 1.8432
 *		MHz clock), or 0 to leave the firmware's or Linux's setting
 *
 * A divider also sets 8 data bits, no parity, 1 stop bit.  Interrupt
 * enables and FIFO set-up stay as they are: the root cell's Linux may be
 * using the same UART.
 */
void uart_8250_init(const struct uart_8250 *uart, u32 divider);

/**
 * uart_8250_putc() - Write one character.
 * @uart:	the UART
 * @c:		the character, as it is (no line end translation)
 *
 * Waits for the transmit holding register to be empty, at most
 * UART_8250_TX_POLLS status reads: a stuck UART loses characters rather
 * than hang the hypervisor.
 */
void uart_8250_putc(const struct uart_8250 *uart, char c);

#endif /* !_JAILHOUSE_UART_8250_H */
