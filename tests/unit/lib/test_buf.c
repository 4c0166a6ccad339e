/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/err.h"

static void test_read_ints(void **state)
{
	static const uint8_t in[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
				      0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12 };
	struct buf_rd r;
	uint8_t u8;
	uint16_t u16;
	uint32_t u24, u32;
	uint64_t u64;

	buf_rd_init(&r, in, sizeof(in));
	assert_int_equal(buf_get_u8(&r, &u8), 0);
	assert_int_equal(u8, 0x01);
	assert_int_equal(buf_get_u16(&r, &u16), 0);
	assert_int_equal(u16, 0x0203);
	assert_int_equal(buf_get_u24(&r, &u24), 0);
	assert_int_equal(u24, 0x040506);
	assert_int_equal(buf_get_u32(&r, &u32), 0);
	assert_int_equal(u32, 0x0708090a);
	assert_int_equal(buf_get_u64(&r, &u64), 0);
	assert_true(u64 == 0x0b0c0d0e0f101112ull);
	assert_int_equal(buf_rd_left(&r), 0);
	assert_int_equal(buf_get_u8(&r, &u8), IG_ETRUNC);
}

/* Every read that would cross the end fails and leaves the position alone. */
static void test_read_truncated(void **state)
{
	static const uint8_t in[3] = { 0xaa, 0xbb, 0xcc };
	struct buf_rd r, sub;
	const uint8_t *p;
	uint8_t tmp[4];
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	buf_rd_init(&r, in, sizeof(in));
	assert_int_equal(buf_get_u32(&r, &u32), IG_ETRUNC);
	assert_int_equal(buf_get_u64(&r, &u64), IG_ETRUNC);
	assert_int_equal(buf_get_bytes(&r, tmp, 4), IG_ETRUNC);
	assert_int_equal(buf_get_ptr(&r, &p, 4), IG_ETRUNC);
	assert_int_equal(buf_get_sub(&r, &sub, 4), IG_ETRUNC);
	assert_int_equal(buf_skip(&r, 4), IG_ETRUNC);
	assert_int_equal(buf_skip(&r, SIZE_MAX), IG_ETRUNC);
	assert_int_equal(buf_rd_pos(&r), 0);
	assert_int_equal(buf_skip(&r, 2), 0);
	assert_int_equal(buf_get_u16(&r, &u16), IG_ETRUNC);
	assert_int_equal(buf_peek_u16(&r, &u16), IG_ETRUNC);
	assert_int_equal(buf_rd_pos(&r), 2);
	buf_rd_init(&r, NULL, 10);
	assert_int_equal(buf_rd_left(&r), 0);
}

static void test_sub_reader(void **state)
{
	static const uint8_t in[] = { 0, 4, 'a', 'b', 'c', 'd', 0xff };
	struct buf_rd r, sub;
	uint16_t len;
	uint8_t s[4], last;

	buf_rd_init(&r, in, sizeof(in));
	assert_int_equal(buf_get_u16(&r, &len), 0);
	assert_int_equal(buf_get_sub(&r, &sub, len), 0);
	assert_int_equal(buf_rd_left(&sub), 4);
	assert_int_equal(buf_get_bytes(&sub, s, 4), 0);
	assert_memory_equal(s, "abcd", 4);
	assert_int_equal(buf_get_u8(&sub, &last), IG_ETRUNC);
	assert_int_equal(buf_get_u8(&r, &last), 0);
	assert_int_equal(last, 0xff);
}

static void test_writer(void **state)
{
	uint8_t out[18];
	struct buf_wr w;
	uint8_t *hole;

	buf_wr_init(&w, out, sizeof(out));
	assert_int_equal(buf_put_u8(&w, 1), 0);
	assert_int_equal(buf_reserve(&w, 2, &hole), 0);
	assert_int_equal(buf_put_u24(&w, 0x020304), 0);
	assert_int_equal(buf_put_u32(&w, 0x05060708), 0);
	assert_int_equal(buf_put_u64(&w, 0x090a0b0c0d0e0f10ull), 0);
	assert_int_equal(buf_set_u16_at(&w, 1, 0xbeef), 0);
	assert_int_equal(buf_wr_len(&w), 18);
	static const uint8_t want[] = { 1, 0xbe, 0xef, 2, 3, 4, 5, 6, 7, 8,
					9, 10, 11, 12, 13, 14, 15, 16 };
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(buf_put_u8(&w, 0), IG_ENOSPC);
	assert_int_equal(buf_put_zero(&w, 1), IG_ENOSPC);
	assert_int_equal(buf_set_u32_at(&w, 16, 0), IG_ERANGE);
	assert_int_equal(buf_set_u8_at(&w, 18, 0), IG_ERANGE);
	assert_int_equal(buf_put_u24(&w, 0x1000000), IG_ERANGE);
}

static void test_writer_exact_fit(void **state)
{
	uint8_t out[4];
	struct buf_wr w;

	buf_wr_init(&w, out, sizeof(out));
	assert_int_equal(buf_put_u16(&w, 1), 0);
	assert_int_equal(buf_put_u32(&w, 1), IG_ENOSPC);
	assert_int_equal(buf_wr_len(&w), 2);
	assert_int_equal(buf_put_zero(&w, 2), 0);
	assert_int_equal(buf_wr_room(&w), 0);
}

static void test_hex(void **state)
{
	static const uint8_t b[] = { 0x00, 0x7f, 0xab, 0xff };
	uint8_t back[4];
	char hex[9];

	buf_hex(b, sizeof(b), hex);
	assert_string_equal(hex, "007fabff");
	assert_int_equal(buf_unhex("0x00 7F:ab ff", back, sizeof(back)), 4);
	assert_memory_equal(back, b, 4);
	assert_int_equal(buf_unhex("abc", back, sizeof(back)), IG_EINVAL);
	assert_int_equal(buf_unhex("zz", back, sizeof(back)), IG_EINVAL);
	assert_int_equal(buf_unhex("0102030405", back, sizeof(back)), IG_ENOSPC);
}

static void test_ct_equal(void **state)
{
	assert_true(buf_ct_equal("abcd", "abcd", 4));
	assert_false(buf_ct_equal("abcd", "abce", 4));
	assert_true(buf_ct_equal("", "", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_ints),
		cmocka_unit_test(test_read_truncated),
		cmocka_unit_test(test_sub_reader),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_writer_exact_fit),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_ct_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
