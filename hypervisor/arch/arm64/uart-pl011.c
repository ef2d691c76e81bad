// SPDX-License-Identifier: GPL-2.0
/*
 * Debug output on an Arm PL011 UART, polled.  The UART stays configured as
 * the firmware or Linux left it; the root cell keeps using it, too.
 */
#include <jailhouse/arch.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>

#define UART_DR			0x00
#define UART_FR			0x18
#define  UART_FR_TXFF		(1 << 5)

/* Give up on a stuck transmitter rather than hang the hypervisor. */
#define UART_TX_TIMEOUT		100000

static void *uart_base;

int arch_dbg_console_init(void)
{
	const struct jailhouse_console *con = &system_config->debug_console;

	if (con->type != JAILHOUSE_CON_TYPE_PL011 || !CON_IS_MMIO(con->flags))
		return 0;

	uart_base = paging_map_device(con->address,
				      con->size ? con->size : PAGE_SIZE);
	return uart_base ? 1 : -ENOMEM;
}

static void uart_putc(char c)
{
	unsigned int timeout = UART_TX_TIMEOUT;

	while ((mmio_read32(uart_base + UART_FR) & UART_FR_TXFF) &&
	       --timeout)
		cpu_relax();
	mmio_write32(uart_base + UART_DR, (unsigned char)c);
}

void arch_dbg_console_write(const char *buf, unsigned int len)
{
	while (len-- > 0) {
		if (*buf == '\n')
			uart_putc('\r');
		uart_putc(*buf++);
	}
}
