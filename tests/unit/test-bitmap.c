// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the bit operations (jailhouse/bitops.h) and the bitmap
 * searches and range operations (hypervisor/bitmap.c).
 */
#include "test.h"

#include <jailhouse/bitops.h>

#define WORDS	4
#define BITS	(WORDS * BITS_PER_LONG)

static void test_single_bits(void **state)
{
	unsigned long map[3] = { 0 };

	__set_bit(0, map);
	set_bit(63, map);
	set_bit(64, map);
	__set_bit(130, map);
	assert_int_equal(map[0], 0x8000000000000001UL);
	assert_int_equal(map[1], 0x1UL);
	assert_int_equal(map[2], 0x4UL);

	assert_true(test_bit(0, map));
	assert_true(test_bit(63, map));
	assert_true(test_bit(64, map));
	assert_true(test_bit(130, map));
	assert_false(test_bit(1, map));
	assert_false(test_bit(62, map));
	assert_false(test_bit(65, map));
	assert_false(test_bit(129, map));

	clear_bit(63, map);
	__clear_bit(130, map);
	assert_false(test_bit(63, map));
	assert_false(test_bit(130, map));
	assert_true(test_bit(0, map));
	assert_true(test_bit(64, map));
}

static void test_test_and_modify(void **state)
{
	unsigned long map[2] = { 0 };

	assert_false(test_and_set_bit(70, map));
	assert_true(test_and_set_bit(70, map));
	assert_true(test_bit(70, map));
	assert_true(test_and_clear_bit(70, map));
	assert_false(test_and_clear_bit(70, map));
	assert_false(test_bit(70, map));
	assert_int_equal(map[0] | map[1], 0);
}

static void test_word_helpers(void **state)
{
	assert_int_equal(ffsl(1), 0);
	assert_int_equal(ffsl(0x8000000000000000UL), 63);
	assert_int_equal(ffsl(0x50), 4);
	assert_int_equal(ffzl(0), 0);
	assert_int_equal(ffzl(0x7), 3);
	assert_int_equal(ffzl(~0UL >> 1), 63);
	assert_int_equal(flsl(1), 0);
	assert_int_equal(flsl(0x50), 6);
	assert_int_equal(flsl(~0UL), 63);
	assert_int_equal(hweight_long(0), 0);
	assert_int_equal(hweight_long(0xf0f0), 8);
	assert_int_equal(hweight_long(~0UL), 64);
	assert_int_equal(BITS_TO_LONGS(0), 0);
	assert_int_equal(BITS_TO_LONGS(1), 1);
	assert_int_equal(BITS_TO_LONGS(64), 1);
	assert_int_equal(BITS_TO_LONGS(65), 2);
}

static void test_find_next_bit(void **state)
{
	unsigned long map[WORDS] = { 0 };

	assert_int_equal(find_next_bit(map, BITS, 0), BITS);

	__set_bit(70, map);
	__set_bit(200, map);
	assert_int_equal(find_next_bit(map, BITS, 0), 70);
	assert_int_equal(find_next_bit(map, BITS, 70), 70);
	assert_int_equal(find_next_bit(map, BITS, 71), 200);
	assert_int_equal(find_next_bit(map, BITS, 201), BITS);
	assert_int_equal(find_next_bit(map, BITS, BITS), BITS);
	assert_int_equal(find_next_bit(map, BITS, BITS + 100), BITS);

	/* a set bit behind @size is not found, @size is returned */
	assert_int_equal(find_next_bit(map, 150, 71), 150);
	assert_int_equal(find_next_bit(map, 201, 71), 200);
	assert_int_equal(find_next_bit(map, 200, 71), 200);
	/* ... also when it is in the same word as the last valid bit */
	assert_int_equal(find_next_bit(map, 68, 0), 68);
	assert_int_equal(find_next_bit(map, 71, 0), 70);
}

static void test_find_next_zero_bit(void **state)
{
	unsigned long map[WORDS];

	memset(map, 0xff, sizeof(map));
	assert_int_equal(find_next_zero_bit(map, BITS, 0), BITS);

	__clear_bit(65, map);
	__clear_bit(190, map);
	assert_int_equal(find_next_zero_bit(map, BITS, 0), 65);
	assert_int_equal(find_next_zero_bit(map, BITS, 65), 65);
	assert_int_equal(find_next_zero_bit(map, BITS, 66), 190);
	assert_int_equal(find_next_zero_bit(map, BITS, 191), BITS);

	/* a clear bit behind @size is not found */
	assert_int_equal(find_next_zero_bit(map, 100, 66), 100);
	assert_int_equal(find_next_zero_bit(map, 191, 66), 190);
	assert_int_equal(find_next_zero_bit(map, 190, 66), 190);
	assert_int_equal(find_next_zero_bit(map, 10, 20), 10);
	/* ... also when it is in the same word as the last valid bit */
	assert_int_equal(find_next_zero_bit(map, 65, 0), 65);
	assert_int_equal(find_next_zero_bit(map, 66, 0), 65);
	assert_int_equal(find_next_zero_bit(map, 180, 66), 180);
}

static void test_free_area_plain(void **state)
{
	unsigned long map[WORDS] = { 0 };

	assert_int_equal(bitmap_find_free_area(map, BITS, 4, 1, 0), 0);

	bitmap_set(map, 0, 3);
	assert_int_equal(bitmap_find_free_area(map, BITS, 4, 1, 0), 3);

	/* a hole too small for the request is skipped */
	__set_bit(5, map);
	assert_int_equal(bitmap_find_free_area(map, BITS, 2, 1, 0), 3);
	assert_int_equal(bitmap_find_free_area(map, BITS, 3, 1, 0), 6);

	/* a run may cross a word boundary */
	bitmap_set(map, 0, 62);
	assert_int_equal(bitmap_find_free_area(map, BITS, 4, 1, 0), 62);
}

static void test_free_area_limits(void **state)
{
	unsigned long map[1] = { 0 };

	/* exactly fits at the end, one more does not */
	bitmap_set(map, 0, 7);
	assert_int_equal(bitmap_find_free_area(map, 10, 3, 1, 0), 7);
	assert_int_equal(bitmap_find_free_area(map, 10, 4, 1, 0), 10);

	/* free bits behind @size do not count */
	assert_int_equal(bitmap_find_free_area(map, 9, 3, 1, 0), 9);

	map[0] = 0;
	assert_int_equal(bitmap_find_free_area(map, 10, 10, 1, 0), 0);
	assert_int_equal(bitmap_find_free_area(map, 10, 11, 1, 0), 10);
	assert_int_equal(bitmap_find_free_area(map, 10, 0, 1, 0), 10);
}

static void test_free_area_aligned(void **state)
{
	unsigned long map[WORDS] = { 0 };

	bitmap_set(map, 0, 3);
	assert_int_equal(bitmap_find_free_area(map, BITS, 4, 1, 0), 3);
	assert_int_equal(bitmap_find_free_area(map, BITS, 4, 4, 0), 4);
	assert_int_equal(bitmap_find_free_area(map, BITS, 1, 8, 0), 8);

	/* aligned so that index + offset is a multiple of the alignment */
	assert_int_equal(bitmap_find_free_area(map, BITS, 4, 4, 1), 3);
	assert_int_equal(bitmap_find_free_area(map, BITS, 4, 4, 2), 6);
	assert_int_equal(bitmap_find_free_area(map, BITS, 4, 4, 5), 3);

	/* aligned start inside a used run moves on to the next one */
	bitmap_set(map, 4, 2);
	assert_int_equal(bitmap_find_free_area(map, BITS, 2, 4, 0), 8);
	assert_int_equal(bitmap_find_free_area(map, BITS, 64, 64, 0), 64);

	/* the alignment must be a power of two */
	assert_int_equal(bitmap_find_free_area(map, BITS, 1, 3, 0), BITS);
	assert_int_equal(bitmap_find_free_area(map, BITS, 1, 0, 0), BITS);

	/* no aligned run left: only 6 and 7 are free */
	bitmap_set(map, 8, BITS - 8);
	assert_int_equal(bitmap_find_free_area(map, BITS, 2, 8, 0), BITS);
	assert_int_equal(bitmap_find_free_area(map, BITS, 2, 2, 0), 6);
}

static void test_set_clear_ranges(void **state)
{
	unsigned long map[WORDS] = { 0 };

	bitmap_set(map, 60, 70);
	assert_int_equal(bitmap_weight(map, BITS), 70);
	assert_false(test_bit(59, map));
	assert_true(test_bit(60, map));
	assert_true(test_bit(129, map));
	assert_false(test_bit(130, map));

	bitmap_clear(map, 62, 66);
	assert_int_equal(bitmap_weight(map, BITS), 4);
	assert_true(test_bit(61, map));
	assert_false(test_bit(62, map));
	assert_false(test_bit(127, map));
	assert_true(test_bit(128, map));

	/* whole words */
	memset(map, 0, sizeof(map));
	bitmap_set(map, 64, 128);
	assert_int_equal(map[0], 0);
	assert_int_equal(map[1], ~0UL);
	assert_int_equal(map[2], ~0UL);
	assert_int_equal(map[3], 0);
	bitmap_clear(map, 64, 64);
	assert_int_equal(map[1], 0);
	assert_int_equal(map[2], ~0UL);

	/* empty ranges change nothing */
	bitmap_set(map, 5, 0);
	bitmap_clear(map, 128, 0);
	assert_int_equal(map[0], 0);
	assert_int_equal(map[2], ~0UL);
}

static void test_weight(void **state)
{
	unsigned long map[WORDS] = { 0 };

	assert_int_equal(bitmap_weight(map, BITS), 0);
	map[0] = ~0UL;
	map[1] = 0xff;
	assert_int_equal(bitmap_weight(map, BITS), 72);
	/* bits behind @size are not counted */
	assert_int_equal(bitmap_weight(map, 68), 68);
	assert_int_equal(bitmap_weight(map, 64), 64);
	assert_int_equal(bitmap_weight(map, 10), 10);
	assert_int_equal(bitmap_weight(map, 0), 0);
}

static void test_for_each_set_bit(void **state)
{
	unsigned long map[WORDS] = { 0 }, bit;
	unsigned long expected[] = { 3, 64, 65, 255 };
	unsigned int n = 0;

	for_each_set_bit(bit, map, BITS)
		fail();

	__set_bit(3, map);
	__set_bit(64, map);
	__set_bit(65, map);
	__set_bit(255, map);
	for_each_set_bit(bit, map, BITS) {
		assert_true(n < 4);
		assert_int_equal(bit, expected[n]);
		n++;
	}
	assert_int_equal(n, 4);

	n = 0;
	for_each_set_bit(bit, map, 65)
		n++;
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_bits),
		cmocka_unit_test(test_test_and_modify),
		cmocka_unit_test(test_word_helpers),
		cmocka_unit_test(test_find_next_bit),
		cmocka_unit_test(test_find_next_zero_bit),
		cmocka_unit_test(test_free_area_plain),
		cmocka_unit_test(test_free_area_limits),
		cmocka_unit_test(test_free_area_aligned),
		cmocka_unit_test(test_set_clear_ranges),
		cmocka_unit_test(test_weight),
		cmocka_unit_test(test_for_each_set_bit),
	};

	return cmocka_run_group_tests_name("bitmap", tests, NULL, NULL);
}
