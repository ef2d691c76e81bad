/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's asm/irqchip.h as it is: the core embeds its structures,
 * and test-gic runs the interrupt controller's common code over them.  Its
 * includes (types, this directory's spinlock) build on the host.
 */
#ifndef _TEST_ASM_IRQCHIP_H
#define _TEST_ASM_IRQCHIP_H

#include "../../../../hypervisor/arch/arm64/include/asm/irqchip.h"

#endif /* !_TEST_ASM_IRQCHIP_H */
