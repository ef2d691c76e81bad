/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error numbers with their Linux values: hypercall results travel to the
 * driver as negative errno and are handed to user space unchanged.
 */
#ifndef _JAILHOUSE_ERRNO_H
#define _JAILHOUSE_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define EINTR		4
#define EIO		5
#define E2BIG		7
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ENOSYS		38
#define EOVERFLOW	75
#define ETIMEDOUT	110

#endif /* !_JAILHOUSE_ERRNO_H */
