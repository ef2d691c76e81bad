/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The part of the inmate library that is the same on every architecture,
 * included by each architecture's inmate.h (lib/include/inmate.h for
 * arm64, lib/x86/include/inmate.h), which programs include.  That header
 * defines cpu_relax() before it includes this one: the spinlocks below
 * spin with it.  It also defines the barriers of memory shared with other
 * CPUs: smp_rmb() orders the loads before it with those after it, wmb()
 * makes the stores before it visible to other CPUs and devices before
 * those after it (an MMIO write: a doorbell).
 */
#ifndef _INMATE_COMMON_H
#define _INMATE_COMMON_H

/* The command line's page in the image; code follows it */
#define CMDLINE_OFFSET		0x1000
#define CMDLINE_SIZE		0x1000
#define CODE_OFFSET		(CMDLINE_OFFSET + CMDLINE_SIZE)

/* CPUs one cell program can run on, boot CPU included */
#define MAX_CPUS		4

#ifndef __ASSEMBLY__

#include <jailhouse/types.h>
#include <jailhouse/hypercall.h>

#define __noreturn	__attribute__((noreturn))
#define __aligned(n)	__attribute__((aligned(n)))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define barrier()	asm volatile("" : : : "memory")

/* errno values as Linux and the hypervisor use them */
#define EPERM		1
#define ENOENT		2
#define EIO		5
#define ENOMEM		12
#define EBUSY		16
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ENOSYS		38
#define ETIMEDOUT	110

/* Spinlocks */
typedef struct {
	volatile u32 locked;
} spinlock_t;

#define DEFINE_SPINLOCK(name)	spinlock_t name = { 0 }

static inline void spin_lock(spinlock_t *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (lock->locked)
			cpu_relax();
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

/* Strings */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dest, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

/* Output, on the console the library chose (console.c) */
void printk(const char *fmt, ...) __printf(1, 2);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
const char *console_name(void);

/* The system the program runs on (struct platform: the architecture's) */
extern struct platform platform;

/* NULL when running without a hypervisor */
extern struct jailhouse_comm_region *comm_region;

void inmate_main(void);

void comm_region_poll(void);
void comm_region_set_state(u32 state);

void __noreturn halt(void);
void __noreturn idle(void);

/* Command line ("key=value key2 key3=value" at CMDLINE_OFFSET) */
long long cmdline_parse_int(const char *param, long long defval);
bool cmdline_parse_bool(const char *param, bool defval);
const char *cmdline_parse_str(const char *param, char *buf, size_t size,
			      const char *defval);

/* Interrupts, numbered as the architecture's inmate.h says */
typedef void (*irq_handler_t)(unsigned int irq);

void wait_for_interrupt(void);
/* The interrupt controller as programs name it ("GICv3", "xAPIC") */
const char *irqchip_name(void);

/* Memory: the identity map made at start-up */
int mmu_map_normal(unsigned long start, unsigned long size);

/*
 * PCI on the cell's host (bus 0), its configuration space reached the
 * architecture's way: the ECAM on arm64, the ports 0xcf8/0xcfc on x86.
 * Present where platform.pci_mmconfig_base is not 0.
 */
#define PCI_DEVFNS		256	/* functions on a bus */
#define PCI_SLOT(bdf)		(((bdf) >> 3) & 0x1f)
#define PCI_FUNC(bdf)		((bdf) & 7)

#define PCI_CFG_VENDOR_ID	0x00
#define PCI_CFG_COMMAND		0x04
#define PCI_CFG_STATUS		0x06
#define PCI_CFG_REVISION	0x08	/* then the class code, 3 bytes */
#define PCI_CFG_HEADER_TYPE	0x0e
#define PCI_HEADER_MULTI	0x80	/* more than one function */
#define PCI_CFG_BAR0		0x10
#define PCI_CFG_CAP_PTR		0x34
#define PCI_CFG_INT_PIN		0x3d

#define PCI_CMD_MEMORY		0x0002
#define PCI_STS_CAPS		0x0010

#define PCI_CAP_VENDOR		0x09
#define PCI_CAP_MSIX		0x11
/* capabilities of 4 bytes at least, from 0x40 to 0xff */
#define PCI_MAX_CAPS		48

u32 pci_read_config(u16 bdf, unsigned int reg, unsigned int size);
void pci_write_config(u16 bdf, unsigned int reg, u32 value, unsigned int size);
int pci_find_device(u16 vendor, u16 device, unsigned int start);
unsigned int pci_next_cap(u16 bdf, unsigned int pos);
unsigned int pci_find_cap(u16 bdf, u8 cap);
unsigned long pci_bar_window(void);
unsigned long pci_map_bar(u16 bdf, unsigned int n, unsigned long offset);

/*
 * The cell's ivshmem v2 device (the first one on the host), its interrupt
 * INTx on arm64, MSI-X vector 0 on x86
 */
struct ivshmem_device {
	u16 bdf;
	int irq;			/* as irq_register() numbers it */
	unsigned long regs;		/* register page, BAR 0 */
	unsigned long msix_table;	/* BAR 1, 0 without MSI-X */
	unsigned int id;
	unsigned int max_peers;
	unsigned long shmem;		/* the state table starts it */
	volatile u32 *state_table;
	u32 state_size;
	u64 rw_size;
	u64 output_size;		/* each peer's output section */
};

/* Where the output section of @peer is (peer max_peers: their end) */
static inline unsigned long ivshmem_output(const struct ivshmem_device *dev,
					   unsigned int peer)
{
	return dev->shmem + dev->state_size + dev->rw_size +
		peer * dev->output_size;
}

int ivshmem_open(struct ivshmem_device *dev, unsigned long output_min);
void ivshmem_enable_irq(struct ivshmem_device *dev, irq_handler_t handler);
void ivshmem_set_state(struct ivshmem_device *dev, u32 state);
void ivshmem_ring(struct ivshmem_device *dev, unsigned int peer);

/* Samples of the benches (stats.c) */
void sort_u32(u32 *v, unsigned int n);
u32 percentile_u32(const u32 *v, unsigned int n, unsigned int permille);

/* The timer demos' measurement (jitter.c) */
void timer_jitter(unsigned int irq, u64 period_ticks,
		  unsigned long long interrupts, bool no_lines);

/*
 * The pingpong demos' measurement (round-trip.c); far more time for an
 * answer than a round trip takes, even in QEMU without -icount
 */
#define ROUND_TRIP_ANSWER_MS	1000

void round_trip_pong(unsigned int irq);
bool wait_for_u32(volatile u32 *word, u32 value, u64 deadline);
void round_trips(const char *name, void (*ping)(void), u32 *samples,
		 unsigned int count, u64 interval_us);

/*
 * Time: a counter and a timer that interrupts once the counter reaches a
 * deadline, in the counter's ticks.
 */
u64 timer_get_frequency(void);
u64 timer_get_ticks(void);
u64 timer_ticks_to_ns(u64 ticks);
u64 timer_ns_to_ticks(u64 ns);
void timer_arm(u64 deadline);
void timer_stop(void);
void delay_us(u64 us);

#endif /* !__ASSEMBLY__ */

#endif /* !_INMATE_COMMON_H */
