/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the configuration validation tests of both architectures share
 * (test-config.c, test-config-x86.c): the checks of the file's system
 * config "sys" and test cell "cell", which it defines before it includes
 * this, and the asserts on a verdict and its message.
 */
#ifndef _TEST_CONFIG_H
#define _TEST_CONFIG_H

/* CPUs of the QEMU machines of the shipped configs */
#define QEMU_CPUS	4

static int check_sys(void)
{
	return config_check_system(&sys.header, sizeof(sys), QEMU_CPUS);
}

static int check_cell(void)
{
	return config_check_cell(&cell.desc, sizeof(cell), QEMU_CPUS,
				 &sys.header.hypervisor_memory, false);
}

#define assert_refused_err(call, err, message)				\
	do {								\
		printk_log_clear();					\
		assert_int_equal(call, err);				\
		if (!printk_log_contains(message))			\
			fail_msg("message \"%s\" lacks \"%s\"",		\
				 printk_log, message);			\
	} while (0)

#define assert_refused(call, message)					\
	assert_refused_err(call, -EINVAL, message)

#define assert_accepted(call)						\
	do {								\
		printk_log_clear();					\
		if ((call) != 0)					\
			fail_msg("refused: %s", printk_log);		\
	} while (0)

#endif /* !_TEST_CONFIG_H */
