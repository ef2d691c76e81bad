/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86's time base (time.c): the TSC at a frequency from the system config
 * or measured against the ACPI PM timer.
 */
#ifndef _JAILHOUSE_ASM_TIME_H
#define _JAILHOUSE_ASM_TIME_H

#include <jailhouse/types.h>

/* The TSC frequency, once, before the root cell exists. */
int x86_time_init(void);
/* That frequency in kHz, for the comm region. */
u32 x86_tsc_khz(void);

#endif /* !_JAILHOUSE_ASM_TIME_H */
