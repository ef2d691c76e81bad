// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Console: a UART of the architecture (uart.c), or the hypervisor's debug
 * console (hypercall 8).
 *
 * The choice, first match wins:
 * - "con-type=NAME" on the command line: a UART's (uart.c), "JAILHOUSE"
 *   or "NONE" ("con-base=ADDR" moves the UART);
 * - the comm region's "debug putc active" flag: the hypervisor console;
 * - the console descriptor of the comm region (or of the QEMU machine
 *   without a hypervisor) if it is a UART the library drives;
 * - the hypervisor console if the comm region permits it;
 * - none.
 */
#include <lib.h>

static enum console_kind kind;

static DEFINE_SPINLOCK(printk_lock);
static bool emergency;

static enum console_kind console_choose(const struct jailhouse_console *con)
{
	enum console_kind uart;
	char type[CON_TYPE_SIZE];

	cmdline_parse_str("con-type", type, CON_TYPE_SIZE, "");
	uart = uart_by_type(type);
	if (uart != CONSOLE_NONE)
		return uart;
	if (strncmp(type, "JAILHOUSE", CON_TYPE_SIZE) == 0)
		return CONSOLE_HYPERVISOR;
	if (strncmp(type, "NONE", CON_TYPE_SIZE) == 0)
		return CONSOLE_NONE;
	if (comm_region && COMM_REGION_DBG_PUTC_ACTIVE(comm_region->flags))
		return CONSOLE_HYPERVISOR;
	uart = uart_by_descriptor(con);
	if (uart != CONSOLE_NONE)
		return uart;
	if (comm_region &&
	    COMM_REGION_DBG_PUTC_PERMITTED(comm_region->flags))
		return CONSOLE_HYPERVISOR;
	return CONSOLE_NONE;
}

void console_init(void)
{
	kind = console_choose(&platform.console);
	if (kind != CONSOLE_NONE && kind != CONSOLE_HYPERVISOR)
		uart_init(kind, &platform.console);
}

enum console_kind console_kind(void)
{
	return kind;
}

const char *console_name(void)
{
	switch (kind) {
	case CONSOLE_NONE:
		return "none";
	case CONSOLE_HYPERVISOR:
		return "hypervisor debug console";
	default:
		return uart_name(kind);
	}
}

static void console_output(const char *s, size_t len)
{
	for (; len > 0; s++, len--) {
		switch (kind) {
		case CONSOLE_NONE:
			return;
		case CONSOLE_HYPERVISOR:
			jailhouse_call_arg1(JAILHOUSE_HC_DEBUG_CONSOLE_PUTC,
					    *s);
			break;
		default:
			if (*s == '\n')
				uart_putc(kind, '\r');
			uart_putc(kind, *s);
			break;
		}
	}
}

/*
 * A fatal exception may have struck while this CPU held the lock: from now
 * on, print without it.
 */
void printk_emergency(void)
{
	emergency = true;
}

/* Whole lines, not characters, interleave between CPUs */
void console_write(const char *s, size_t len)
{
	unsigned long flags;

	if (emergency) {
		console_output(s, len);
		return;
	}
	flags = local_irq_save();
	spin_lock(&printk_lock);
	console_output(s, len);
	spin_unlock(&printk_lock);
	local_irq_restore(flags);
}
