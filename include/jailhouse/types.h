/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Fixed-width types for the ABI headers when they are used from Linux (the
 * driver and the tools).  The hypervisor and the inmates put their own
 * jailhouse/types.h first in the include path.
 */
#ifndef _JAILHOUSE_TYPES_H
#define _JAILHOUSE_TYPES_H

#include <linux/types.h>

#endif /* !_JAILHOUSE_TYPES_H */
