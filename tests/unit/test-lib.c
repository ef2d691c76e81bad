// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the hypervisor's string functions (hypervisor/lib.c),
 * against the host's libc.  lib.c is compiled with its functions renamed
 * (hv_memset, ...), so that the test and the sanitizers keep libc's.
 */
#include "test.h"

#include <jailhouse/utils.h>

void *hv_memset(void *s, int c, size_t n);
void *hv_memcpy(void *dest, const void *src, size_t n);
int hv_memcmp(const void *s1, const void *s2, size_t n);
size_t hv_strlen(const char *s);
size_t hv_strnlen(const char *s, size_t maxlen);
int hv_strcmp(const char *s1, const char *s2);

#define BUF	64

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_memset(void **state)
{
	unsigned char buf[BUF + 16] __attribute__((aligned(8)));
	unsigned char ref[BUF + 16];
	size_t start, len;

	/* every alignment of start and end around whole words */
	for (start = 0; start < 8; start++)
		for (len = 0; len <= BUF; len++) {
			memset(buf, 0x11, sizeof(buf));
			memset(ref, 0x11, sizeof(ref));
			assert_ptr_equal(hv_memset(buf + start, 0x1a5, len),
					 buf + start);
			memset(ref + start, 0xa5, len);
			assert_memory_equal(buf, ref, sizeof(buf));
		}
}

static void test_memcpy(void **state)
{
	unsigned char src[BUF + 16] __attribute__((aligned(8)));
	unsigned char dst[BUF + 16] __attribute__((aligned(8)));
	unsigned char ref[BUF + 16];
	size_t n, s_off, d_off, len;

	for (n = 0; n < sizeof(src); n++)
		src[n] = n * 7 + 1;
	/* aligned pairs go word-wise, the others byte-wise */
	for (s_off = 0; s_off < 8; s_off += 3)
		for (d_off = 0; d_off < 8; d_off++)
			for (len = 0; len <= BUF; len += 5) {
				memset(dst, 0, sizeof(dst));
				memset(ref, 0, sizeof(ref));
				assert_ptr_equal(hv_memcpy(dst + d_off,
							   src + s_off, len),
						 dst + d_off);
				memcpy(ref + d_off, src + s_off, len);
				assert_memory_equal(dst, ref, sizeof(dst));
			}
}

static void test_memcmp(void **state)
{
	const unsigned char a[] = { 1, 2, 3, 0x80 }, b[] = { 1, 2, 4, 0x7f };

	assert_int_equal(hv_memcmp(a, b, 0), 0);
	assert_int_equal(hv_memcmp(a, b, 2), 0);
	assert_true(hv_memcmp(a, b, 3) < 0);
	assert_true(hv_memcmp(b, a, 3) > 0);
	/* bytes compare unsigned */
	assert_true(hv_memcmp(a + 3, b + 3, 1) > 0);
}

static void test_strings(void **state)
{
	static const char *const words[] = {
		"", "a", "ab", "abc", "abd", "b", "\x80", "A",
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		assert_int_equal(hv_strlen(words[i]), strlen(words[i]));
		assert_int_equal(hv_strnlen(words[i], 2),
				 strnlen(words[i], 2));
		assert_int_equal(hv_strnlen(words[i], 100),
				 strlen(words[i]));
		for (j = 0; j < ARRAY_SIZE(words); j++)
			assert_int_equal(sign(hv_strcmp(words[i], words[j])),
					 sign(strcmp(words[i], words[j])));
	}
	assert_int_equal(hv_strnlen("abc", 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memset),
		cmocka_unit_test(test_memcpy),
		cmocka_unit_test(test_memcmp),
		cmocka_unit_test(test_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
