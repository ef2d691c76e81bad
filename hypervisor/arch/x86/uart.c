// SPDX-License-Identifier: GPL-2.0
/*
 * The debug console of the x86 hypervisor: the 8250 UART of the system
 * config's debug_console, at I/O ports (a PC's COM port) or memory mapped.
 * Other console types leave the output in the console buffer only.
 */
#include <jailhouse/arch.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/paging.h>
#include <jailhouse/printk.h>
#include <jailhouse/uart-8250.h>
#include <asm/io.h>

/* The highest I/O port. */
#define PIO_PORT_MAX		0xffff

static u8 pio_in(unsigned long port)
{
	return inb(port);
}

static void pio_out(unsigned long port, u8 value)
{
	outb(value, port);
}

static const struct uart_8250_io uart_8250_pio = {
	.in = pio_in,
	.out = pio_out,
};

static struct uart_8250 uart;

/**
 * arch_dbg_console_init() - Set the debug UART of the system config up.
 *
 * Return: 1 with a UART to write to, 0 without one (type NONE, or one this
 * hypervisor cannot drive, which is said in the console buffer), -ENOMEM.
 */
int arch_dbg_console_init(void)
{
	const struct jailhouse_console *con = &system_config->debug_console;
	void *base;

	if (con->type == JAILHOUSE_CON_TYPE_NONE)
		return 0;
	if (con->type != JAILHOUSE_CON_TYPE_8250) {
		printk("Debug console type %u: no driver for it, output only "
		       "in the console buffer\n", con->type);
		return 0;
	}

	uart.reg_shift = CON_USES_REGDIST_4(con->flags) ? 2 : 0;
	if (CON_IS_MMIO(con->flags)) {
		base = paging_map_device(con->address,
					 con->size ? con->size : PAGE_SIZE);
		if (!base)
			return -ENOMEM;
		uart.base = (unsigned long)base;
		uart.io = uart.reg_shift ? &uart_8250_mmio32 :
			&uart_8250_mmio8;
	} else {
		/* the last register must be a port too */
		if (con->address + (7 << uart.reg_shift) > PIO_PORT_MAX) {
			printk("Debug console 8250: port 0x%llx out of range, "
			       "output only in the console buffer\n",
			       con->address);
			return 0;
		}
		uart.base = con->address;
		uart.io = &uart_8250_pio;
	}
	uart_8250_init(&uart, con->divider);
	return 1;
}

void arch_dbg_console_write(const char *buf, unsigned int len)
{
	while (len-- > 0) {
		if (*buf == '\n')
			uart_8250_putc(&uart, '\r');
		uart_8250_putc(&uart, *buf++);
	}
}
