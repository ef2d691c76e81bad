// SPDX-License-Identifier: GPL-2.0
/*
 * Time on x86: the TSC, at the system config's tsc_khz or at a frequency
 * measured against the ACPI PM timer.
 *
 * Every bound on a wait of the hypervisor (CPUs that must answer, a cell
 * that must reply) counts TSC ticks at this frequency: measured too slow,
 * every bound shrinks with it.  The measuring CPU may stop for a while
 * anywhere (a host that schedules the emulator's threads, an SMI), also
 * between a PM timer read and the TSC read that dates it.  So each PM
 * timer read sits between two TSC reads, a round whose reads were not
 * dated closely enough does not count, and the result is the median of
 * the rounds that do.
 */
#include <jailhouse/arch.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/printk.h>
#include <jailhouse/utils.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/time.h>

/* ACPI PM timer: 3.579545 MHz, 24 bits counted (32 on some chipsets) */
#define PM_TIMER_HZ		3579545U
#define PM_TIMER_MASK		0x00ffffffU

/* A round lasts 10 ms of the PM timer. */
#define ROUND_PM_TICKS		(PM_TIMER_HZ / 100)
/* Its two reads together are dated to 1/128 of it, 0.8 %, or it is lost. */
#define ROUND_SLACK_SHIFT	7
#define ROUNDS_WANTED		3
#define ROUNDS_MAX		16
/*
 * A PM timer that has not counted a round's worth when the TSC counted
 * this many ticks (a second at 1 GHz, 10 rounds at 10 GHz) does not count:
 * a wrong pm_timer_address must not hold enable for ever.
 */
#define ROUND_TSC_MAX		1000000000ULL

/* TSC kHz: the system config's, or measured against the PM timer. */
static u32 tsc_khz;

struct pm_timer_sample {
	u32 pm;
	u64 tsc;	/* halfway between the TSC reads around the PM read */
	u64 spread;	/* TSC ticks between those reads */
};

static void pm_timer_sample(u16 port, struct pm_timer_sample *s)
{
	u64 before = read_tsc();

	s->pm = inl(port);
	s->spread = read_tsc() - before;
	s->tsc = before + s->spread / 2;
}

/*
 * One round: TSC ticks per ROUND_PM_TICKS or more of the PM timer, in kHz,
 * into @khz.  Return: 0, -EIO if the reads at its ends took too long to
 * date it, -ENODEV if the PM timer does not count.
 */
static int calibration_round(u16 port, u32 *khz)
{
	struct pm_timer_sample start, end;
	u64 tsc;
	u32 ticks;

	pm_timer_sample(port, &start);
	do {
		pm_timer_sample(port, &end);
		ticks = (end.pm - start.pm) & PM_TIMER_MASK;
		if (ticks < ROUND_PM_TICKS &&
		    end.tsc - start.tsc > ROUND_TSC_MAX)
			return -ENODEV;
	} while (ticks < ROUND_PM_TICKS);

	tsc = end.tsc - start.tsc;
	if (start.spread + end.spread > tsc >> ROUND_SLACK_SHIFT)
		return -EIO;
	*khz = tsc * PM_TIMER_HZ / ticks / 1000;
	return 0;
}

static u32 median(u32 *v, unsigned int n)
{
	unsigned int i, j;
	u32 x;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return v[n / 2];
}

/**
 * x86_time_init() - the TSC frequency for arch_time_us()
 *
 * The config's tsc_khz if set, else the median of ROUNDS_WANTED rounds
 * against the ACPI PM timer at the config's pm_timer_address that could be
 * dated, out of ROUNDS_MAX at most.
 *
 * Return: 0, -EINVAL with neither tsc_khz nor the PM timer, -ENODEV if
 * that does not count, -EIO with no round dated (each said why).
 */
int x86_time_init(void)
{
	u16 port = system_config->platform_info.x86.pm_timer_address;
	u32 khz[ROUNDS_WANTED];
	unsigned int rounds, good = 0;
	int err;

	tsc_khz = system_config->platform_info.x86.tsc_khz;
	if (tsc_khz)
		return 0;
	if (!port) {
		printk("System config: neither tsc_khz nor pm_timer_address "
		       "set, no time base\n");
		return -EINVAL;
	}
	for (rounds = 0; rounds < ROUNDS_MAX && good < ROUNDS_WANTED;
	     rounds++) {
		err = calibration_round(port, &khz[good]);
		if (err == -ENODEV) {
			printk("TSC: the PM timer at port 0x%x does not count; "
			       "fix pm_timer_address or set tsc_khz in the "
			       "system config\n", port);
			return err;
		}
		if (!err)
			good++;
	}
	if (!good) {
		printk("TSC: no measurement against the PM timer: the CPU "
		       "stopped while reading in each of %u rounds; set "
		       "tsc_khz in the system config\n", ROUNDS_MAX);
		return -EIO;
	}
	tsc_khz = median(khz, good);
	printk("TSC: %u kHz\n", tsc_khz);
	return 0;
}

u32 x86_tsc_khz(void)
{
	return tsc_khz;
}

/* In two parts: the TSC times 1000 would overflow after 58 days at 3.6 GHz. */
unsigned long arch_time_us(void)
{
	u64 tsc = read_tsc();

	return tsc / tsc_khz * 1000 + tsc % tsc_khz * 1000 / tsc_khz;
}
