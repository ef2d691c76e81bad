/* SPDX-License-Identifier: GPL-2.0 */
/* Host substitute for the build's generated/version.h. */
#define JAILHOUSE_VERSION "test"
