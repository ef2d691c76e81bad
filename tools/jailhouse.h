/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of the jailhouse tool share (jailhouse.c has them).
 */
#ifndef JAILHOUSE_TOOLS_JAILHOUSE_H
#define JAILHOUSE_TOOLS_JAILHOUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Prefix for /dev, /sys and /proc paths.  Empty in a real build; the host
 * tests build the tool with a scratch directory here to run it against a
 * fake device and sysfs tree.
 */
#ifndef JAILHOUSE_ROOT_PREFIX
#define JAILHOUSE_ROOT_PREFIX	""
#endif

void __attribute__((noreturn)) usage(int status);
void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt,
							  ...);
void __attribute__((format(printf, 2, 3))) format_path(char *path,
						       const char *fmt, ...);
char *read_fd(int fd, const char *name, size_t *size);
char *read_file(const char *name, size_t *size);
void *read_config(const char *name, bool system, size_t *size);
void device_ioctl(unsigned long request, const char *op, void *arg);
uint64_t parse_address(const char *str);

int cmd_cell_linux(int argc, char *argv[]);

#endif
