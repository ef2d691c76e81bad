// SPDX-License-Identifier: GPL-2.0
/*
 * The debug console: the UART driver the system config's debug_console.type
 * names.  A type without a driver here leaves the output in the console
 * buffer only: writing to a device of unknown layout could do anything.
 */
#include <jailhouse/arch.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/paging.h>
#include <jailhouse/printk.h>
#include <jailhouse/utils.h>
#include <asm/uart.h>

static const struct uart_driver *const uart_drivers[] = {
	&uart_pl011,
	&uart_xuartps,
};

static const struct uart_driver *uart;
static void *uart_base;

/**
 * arch_dbg_console_init() - Map the debug UART of the system config.
 *
 * Return: 1 with a UART to write to, 0 without one (type NONE, or one this
 * hypervisor cannot drive, which is said in the console buffer), -ENOMEM.
 */
int arch_dbg_console_init(void)
{
	const struct jailhouse_console *con = &system_config->debug_console;
	const struct uart_driver *drv = NULL;
	unsigned int n;

	if (con->type == JAILHOUSE_CON_TYPE_NONE)
		return 0;
	for (n = 0; n < ARRAY_SIZE(uart_drivers); n++)
		if (uart_drivers[n]->type == con->type)
			drv = uart_drivers[n];
	if (!drv) {
		printk("Debug console type %u: no driver for it, output only "
		       "in the console buffer\n", con->type);
		return 0;
	}
	if (!CON_IS_MMIO(con->flags)) {
		printk("Debug console %s: not memory-mapped (flags 0x%x), "
		       "output only in the console buffer\n", drv->name,
		       con->flags);
		return 0;
	}

	uart_base = paging_map_device(con->address,
				      con->size ? con->size : PAGE_SIZE);
	if (!uart_base)
		return -ENOMEM;
	uart = drv;
	return 1;
}

void arch_dbg_console_write(const char *buf, unsigned int len)
{
	while (len-- > 0) {
		if (*buf == '\n')
			uart->putc(uart_base, '\r');
		uart->putc(uart_base, *buf++);
	}
}
