// SPDX-License-Identifier: GPL-2.0
/*
 * The debug console: an 8250 UART on port I/O, as the firmware set it up
 * (q35's ttyS0 at 0x3f8).  Other console types leave the output in the
 * console buffer only.
 */
#include <jailhouse/arch.h>
#include <jailhouse/control.h>
#include <jailhouse/printk.h>
#include <asm/processor.h>

#define UART_THR		0
#define UART_LSR		5
#define UART_LSR_THRE		0x20

static u16 uart_port;

int arch_dbg_console_init(void)
{
	const struct jailhouse_console *con = &system_config->debug_console;

	if (con->type == JAILHOUSE_CON_TYPE_NONE)
		return 0;
	if (con->type != JAILHOUSE_CON_TYPE_8250 || CON_IS_MMIO(con->flags) ||
	    con->address > 0xfff8) {
		printk("Debug console type %u (flags 0x%x): not an 8250 on "
		       "port I/O, output only in the console buffer\n",
		       con->type, con->flags);
		return 0;
	}
	uart_port = con->address;
	return 1;
}

static void uart_putc(char c)
{
	while (!(inb(uart_port + UART_LSR) & UART_LSR_THRE))
		cpu_relax();
	outb(c, uart_port + UART_THR);
}

void arch_dbg_console_write(const char *buf, unsigned int len)
{
	while (len-- > 0) {
		if (*buf == '\n')
			uart_putc('\r');
		uart_putc(*buf++);
	}
}
