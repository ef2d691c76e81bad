/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Interfaces between the parts of the inmate library that are the same on
 * every architecture, not for programs; each architecture's lib.h
 * includes it.
 */
#ifndef _INMATE_LIB_COMMON_H
#define _INMATE_LIB_COMMON_H

#include <inmate.h>

/* First in bss, so that aligning them wastes nothing */
#define __page_aligned_bss \
	__attribute__((section(".bss.page_aligned"), aligned(4096)))

/* console.c; CON_TYPE_SIZE: room for con-type=NAME's NAME and its NUL */
#define CON_TYPE_SIZE		16

void console_init(void);
void console_write(const char *s, size_t len);
void printk_emergency(void);

/*
 * uart.c of the architecture: its UARTs, for console.c.  A UART's kind is
 * an enum console_kind other than CONSOLE_NONE and CONSOLE_HYPERVISOR;
 * uart_by_type() and uart_by_descriptor() return CONSOLE_NONE for a
 * con-type= or a descriptor that names no UART of the architecture.
 */
enum console_kind uart_by_type(const char *type);
enum console_kind uart_by_descriptor(const struct jailhouse_console *con);
void uart_init(enum console_kind kind, const struct jailhouse_console *con);
void uart_putc(enum console_kind kind, char c);
const char *uart_name(enum console_kind kind);

/*
 * run.c; the architecture's lib.h defines comm_region_wmb(), which makes
 * a store to the comm region visible to the hypervisor before what
 * follows, and comm_region_rmb(), which orders the load of a message
 * before the loads that follow.
 */
bool comm_region_init(void);
void __noreturn inmate_run(void);

/*
 * ivshmem-irq.c of the architecture, for ivshmem.c: ivshmem_irq_init()
 * finds the interrupt of an ivshmem device (dev->irq; 0, or -ENODEV if
 * the library cannot take it), ivshmem_irq_enable() lets it reach the
 * calling CPU once its handler is registered.
 */
int ivshmem_irq_init(struct ivshmem_device *dev);
void ivshmem_irq_enable(struct ivshmem_device *dev);

/* delay.c */
bool timer_end_delay(void);

#endif /* !_INMATE_LIB_COMMON_H */
