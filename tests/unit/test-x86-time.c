// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of x86's time base (hypervisor/arch/x86/time.c): the TSC
 * frequency from the config or measured against the PM timer, also when
 * the measuring CPU stops between a PM timer read and the TSC read that
 * dates it (as it did under a loaded host: 33 MHz measured for 1 GHz),
 * and arch_time_us() where the TSC times 1000 no longer fits 64 bits.
 *
 * The test's clock counts nanoseconds; the TSC runs at tsc_hz on it, the
 * PM timer at its 3.579545 MHz.  Every TSC or PM timer read takes a few
 * nanoseconds; a stop scheduled at a given read takes longer.
 */
#include "test.h"

#include <jailhouse/arch.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/time.h>

#define PM_PORT		0x608
#define PM_TIMER_HZ	3579545ULL
#define NSEC		1000000000ULL

static struct jailhouse_system config;
struct jailhouse_system *system_config = &config;

static u64 clock_ns, tsc_hz, tsc_at;
static unsigned long reads;
/* the read after which the clock jumps by stop_ns, 0: none */
static unsigned long stop_after, stop_every;
static u64 stop_ns;
static bool tsc_fixed, pm_stuck;

static void tick(void)
{
	reads++;
	clock_ns += 20;
	if (stop_after && (reads == stop_after ||
			   (stop_every && reads > stop_after &&
			    (reads - stop_after) % stop_every == 0)))
		clock_ns += stop_ns;
}

unsigned long long read_tsc(void)
{
	u64 tsc;

	if (tsc_fixed)
		return tsc_at;
	tsc = (unsigned __int128)clock_ns * tsc_hz / NSEC;
	tick();
	return tsc;
}

u32 inl(u16 port)
{
	u32 pm;

	assert_int_equal(port, PM_PORT);
	/* a port where no PM timer is: all ones */
	pm = pm_stuck ? ~0U : (unsigned __int128)clock_ns * PM_TIMER_HZ / NSEC;
	tick();
	return pm;
}

static int setup(void **state)
{
	memset(&config, 0, sizeof(config));
	config.platform_info.x86.pm_timer_address = PM_PORT;
	/* not at 0: the PM timer wraps at 24 bits within the first rounds */
	clock_ns = 4 * NSEC + 680 * 1000000ULL;
	tsc_hz = 1000000000ULL;
	reads = stop_after = stop_every = stop_ns = 0;
	tsc_fixed = pm_stuck = false;
	printk_log_clear();
	return 0;
}

static void assert_khz_near(u32 khz, u64 hz)
{
	u64 want = hz / 1000;

	/* within 0.1 %: the integer kHz of a 10 ms round */
	assert_true(khz > want - want / 1000 && khz < want + want / 1000);
}

static void test_config_tsc_khz(void **state)
{
	config.platform_info.x86.tsc_khz = 2100000;
	assert_int_equal(x86_time_init(), 0);
	assert_int_equal(x86_tsc_khz(), 2100000);
	assert_int_equal(reads, 0);
}

static void test_no_time_base(void **state)
{
	config.platform_info.x86.pm_timer_address = 0;
	assert_int_equal(x86_time_init(), -EINVAL);
	assert_true(printk_log_contains("neither tsc_khz nor "
					"pm_timer_address set"));
}

static void test_measured(void **state)
{
	tsc_hz = 2133000000ULL;
	assert_int_equal(x86_time_init(), 0);
	assert_khz_near(x86_tsc_khz(), tsc_hz);
	assert_true(printk_log_contains("TSC: 213"));
}

/* The PM timer passes its 24-bit wrap within a round. */
static void test_pm_timer_wraps(void **state)
{
	clock_ns = (0xffffffULL * NSEC) / PM_TIMER_HZ - 5000000ULL;
	assert_int_equal(x86_time_init(), 0);
	assert_khz_near(x86_tsc_khz(), tsc_hz);
}

/*
 * 300 ms stopped right after the first PM timer read, before the TSC
 * read that dates it: the failure seen, which made the rounds' TSC ticks
 * look like 3 % of the truth.
 */
static void test_stop_after_pm_read(void **state)
{
	stop_after = 2;
	stop_ns = 300000000ULL;
	assert_int_equal(x86_time_init(), 0);
	assert_khz_near(x86_tsc_khz(), tsc_hz);
}

/* A stop between samples within a round changes nothing. */
static void test_stop_within_round(void **state)
{
	stop_after = 1000;
	stop_ns = 4000000ULL;
	assert_int_equal(x86_time_init(), 0);
	assert_khz_near(x86_tsc_khz(), tsc_hz);
}

/* Stops of 50 ms now and then, anywhere: the median of the good rounds. */
static void test_stops_now_and_then(void **state)
{
	stop_after = 2;
	stop_every = 1501;
	stop_ns = 50000000ULL;
	assert_int_equal(x86_time_init(), 0);
	assert_khz_near(x86_tsc_khz(), tsc_hz);
}

/*
 * A CPU stopped at every read cannot be dated: refused with the reason
 * and the remedy, never a wrong frequency.
 */
static void test_always_disturbed(void **state)
{
	stop_after = 1;
	stop_every = 1;
	stop_ns = 100000ULL;
	assert_int_equal(x86_time_init(), -EIO);
	assert_true(printk_log_contains("TSC: no measurement against the PM "
					"timer"));
	assert_true(printk_log_contains("set tsc_khz in the system config"));
}

/*
 * A PM timer that does not count (a wrong pm_timer_address): refused once
 * the TSC counted a second at 1 GHz, never a wait for ever.  The clock
 * stops 1 us at each read, so that the second passes in few reads.
 */
static void test_pm_timer_stuck(void **state)
{
	pm_stuck = true;
	stop_after = 1;
	stop_every = 1;
	stop_ns = 1000ULL;
	assert_int_equal(x86_time_init(), -ENODEV);
	assert_true(printk_log_contains("TSC: the PM timer at port 0x608 does "
					"not count"));
	/* one round, 1 s of TSC at most, and the reads of its last sample */
	assert_true(clock_ns < 6 * NSEC);
}

static void test_time_us_large_tsc(void **state)
{
	static const u64 tscs[] = {
		0, 999, 3600000000ULL, 1ULL << 62, ~0ULL / 1000 + 12345,
		~0ULL,
	};
	unsigned int n;

	config.platform_info.x86.tsc_khz = 3600000;
	assert_int_equal(x86_time_init(), 0);
	tsc_fixed = true;
	for (n = 0; n < ARRAY_SIZE(tscs); n++) {
		tsc_at = tscs[n];
		assert_int_equal(arch_time_us(),
				 (u64)((unsigned __int128)tscs[n] * 1000 /
				       3600000));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_config_tsc_khz, setup),
		cmocka_unit_test_setup(test_no_time_base, setup),
		cmocka_unit_test_setup(test_measured, setup),
		cmocka_unit_test_setup(test_pm_timer_wraps, setup),
		cmocka_unit_test_setup(test_stop_after_pm_read, setup),
		cmocka_unit_test_setup(test_stop_within_round, setup),
		cmocka_unit_test_setup(test_stops_now_and_then, setup),
		cmocka_unit_test_setup(test_always_disturbed, setup),
		cmocka_unit_test_setup(test_pm_timer_stuck, setup),
		cmocka_unit_test_setup(test_time_us_large_tsc, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
