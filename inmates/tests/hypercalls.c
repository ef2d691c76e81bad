// SPDX-License-Identifier: GPL-2.0
/*
 * hypercalls: an unknown hypercall, then the management hypercalls, which
 * only the root cell may issue.
 *
 * Command line: unknown=N (code of the unknown call, 0x1234), cell=N (the
 * cell id the management calls name, 1), config=ADDR (argument of cell
 * create, 0).
 *
 * Contained: every management call returns -EPERM (-1); disable comes
 * last, as it would do the most harm.
 */
#include <inmate.h>

static const struct {
	unsigned long code;
	const char *name;
} calls[] = {
	{ JAILHOUSE_HC_CELL_CREATE, "cell create" },
	{ JAILHOUSE_HC_CELL_START, "cell start" },
	{ JAILHOUSE_HC_CELL_SET_LOADABLE, "cell set loadable" },
	{ JAILHOUSE_HC_CELL_DESTROY, "cell destroy" },
	{ JAILHOUSE_HC_DISABLE, "disable" },
};

void inmate_main(void)
{
	unsigned long unknown = cmdline_parse_int("unknown", 0x1234);
	unsigned long cell = cmdline_parse_int("cell", 1);
	unsigned long config = cmdline_parse_int("config", 0);
	unsigned int n, refused = 0;
	long ret;

	printk("TEST hypercalls: trying unknown hypercall 0x%lx\n", unknown);
	ret = jailhouse_call(unknown);
	printk("TEST hypercalls: result code 0x%lx (unknown) returned %ld\n",
	       unknown, ret);

	for (n = 0; n < ARRAY_SIZE(calls); n++) {
		printk("TEST hypercalls: trying code %lu (%s)\n",
		       calls[n].code, calls[n].name);
		ret = jailhouse_call_arg1(calls[n].code,
					  calls[n].code ==
					  JAILHOUSE_HC_CELL_CREATE ?
					  config : cell);
		printk("TEST hypercalls: result code %lu (%s) returned %ld\n",
		       calls[n].code, calls[n].name, ret);
		if (ret == -EPERM)
			refused++;
	}
	printk("TEST hypercalls: done, %u of %zu management calls refused "
	       "with -EPERM\n", refused, ARRAY_SIZE(calls));
}
