// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Interrupt round trips between two CPUs of a cell, as sgi-pingpong and
 * ipi-pingpong time them (bench/run reads their lines).
 */
#include <lib.h>

static volatile u32 pongs;
static volatile u64 pong_ticks;

void round_trip_pong(unsigned int irq)
{
	pong_ticks = timer_get_ticks();
	pongs++;
}

/**
 * wait_for_u32() - Sleep until a word has a value.
 * @word:	the word, written by an interrupt handler or another CPU
 * @value:	the value
 * @deadline:	counter value, armed in the timer by the caller
 *
 * Sleeps with interrupts masked, answering the hypervisor's messages
 * whenever it wakes up.
 *
 * Return: whether the value came before the counter passed @deadline.
 */
bool wait_for_u32(volatile u32 *word, u32 value, u64 deadline)
{
	while (*word != value) {
		if (timer_get_ticks() >= deadline)
			return false;
		wait_for_interrupt();
		comm_region_poll();
	}
	return true;
}

/**
 * round_trips() - Time round trips to a second CPU and report them.
 * @name:		the program's, first on every line printed
 * @ping:		sends the ping; the second CPU's answer must call
 *			round_trip_pong() on this CPU
 * @samples:		room for @count round trips
 * @count:		how many, one at a time
 * @interval_us:	after each, so that the second CPU is back asleep
 *
 * Call with interrupts masked and a handler of the timer's interrupt
 * that stops the timer: it only bounds each wait for an answer, armed
 * outside the round trip.  A round trip is from before @ping to the
 * first counter read of round_trip_pong().  Prints the round trips' line
 * (count, min, avg, median, 99th percentile, max) or which ping found no
 * answer within ROUND_TRIP_ANSWER_MS.
 */
void round_trips(const char *name, void (*ping)(void), u32 *samples,
		 unsigned int count, u64 interval_us)
{
	u64 answer = timer_ns_to_ticks(ROUND_TRIP_ANSWER_MS * 1000000ULL);
	u64 deadline, start, sum = 0;
	unsigned int n;

	for (n = 0; n < count; n++) {
		deadline = timer_get_ticks() + answer;
		timer_arm(deadline);
		start = timer_get_ticks();
		ping();
		if (!wait_for_u32(&pongs, n + 1, deadline)) {
			printk("%s: no answer to ping %u within %u ms\n", name,
			       n + 1, ROUND_TRIP_ANSWER_MS);
			return;
		}
		timer_stop();
		samples[n] = timer_ticks_to_ns(pong_ticks - start);
		sum += samples[n];
		delay_us(interval_us);
	}

	sort_u32(samples, count);
	printk("%s: round trip: count %u, min %u ns, avg %llu ns, median %u "
	       "ns, 99th %u ns, max %u ns\n", name, count, samples[0],
	       sum / count, percentile_u32(samples, count, 500),
	       percentile_u32(samples, count, 990), samples[count - 1]);
}
