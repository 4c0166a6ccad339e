/* SPDX-License-Identifier: MIT */
/*
 * RFC 3948 port 4500 demultiplexing (pure: no namespace needed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/err.h"
#include "net/natt.h"

static void test_natt_demux_table(void **state)
{
	static const struct {
		const char *name;
		uint8_t in[16];
		size_t len;
		enum natt_kind kind;
		size_t off, plen; /* payload position in in[] */
	} t[] = {
		/* RFC 3948 2.3: exactly one octet 0xFF. */
		{"keepalive", {0xff}, 1, NATT_KEEPALIVE, 0, 0},
		{"one zero byte", {0x00}, 1, NATT_MALFORMED, 0, 0},
		{"one other byte", {0xfe}, 1, NATT_MALFORMED, 0, 0},
		{"empty", {0}, 0, NATT_MALFORMED, 0, 0},
		{"2 bytes ff", {0xff, 0xff}, 2, NATT_MALFORMED, 0, 0},
		{"2 bytes zero", {0, 0}, 2, NATT_MALFORMED, 0, 0},
		{"3 bytes zero", {0, 0, 0}, 3, NATT_MALFORMED, 0, 0},
		{"3 bytes", {1, 2, 3}, 3, NATT_MALFORMED, 0, 0},
		/* RFC 3948 2.2: marker with nothing behind it. */
		{"bare marker", {0, 0, 0, 0}, 4, NATT_MALFORMED, 0, 0},
		{"marker + 1", {0, 0, 0, 0, 0x21}, 5, NATT_IKE, 4, 1},
		{"marker + 2", {0, 0, 0, 0, 0x21, 0x22}, 6, NATT_IKE, 4, 2},
		{"marker + 3", {0, 0, 0, 0, 1, 2, 3}, 7, NATT_IKE, 4, 3},
		{"marker + 12",
		 {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
		 16,
		 NATT_IKE,
		 4,
		 12},
		/* RFC 3948 2.1: SPI + sequence number = 8 octets at least. */
		{"spi only", {0, 0, 0x10, 0}, 4, NATT_MALFORMED, 0, 0},
		{"spi + 1", {0x12, 0x34, 0x56, 0x78, 0}, 5, NATT_MALFORMED, 0, 0},
		{"spi + 2", {0x12, 0x34, 0x56, 0x78, 0, 0}, 6, NATT_MALFORMED, 0, 0},
		{"spi + 3", {0x12, 0x34, 0x56, 0x78, 0, 0, 1}, 7, NATT_MALFORMED, 0, 0},
		{"esp minimal", {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1}, 8, NATT_ESP, 0, 8},
		{"esp spi low byte", {0, 0, 0, 1, 0, 0, 0, 1, 0xaa}, 9, NATT_ESP, 0, 9},
		{"esp spi high byte", {0x80, 0, 0, 0, 0, 0, 0, 1, 0xaa, 0xbb}, 10, NATT_ESP, 0, 10},
		{"esp ff start",
		 {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8},
		 16,
		 NATT_ESP,
		 0,
		 16},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct buf_rd p;
		enum natt_kind k = natt_demux(t[i].in, t[i].len, &p);

		if (k != t[i].kind)
			fail_msg("%s: got %s, want %s", t[i].name, natt_kind_name(k),
				 natt_kind_name(t[i].kind));
		assert_int_equal(buf_rd_left(&p), t[i].plen);
		if (t[i].plen)
			assert_ptr_equal(buf_rd_cur(&p), t[i].in + t[i].off);
	}
}

/* Every length 0..7 of all-zero and all-0x11 input: only the table's answers. */
static void test_natt_demux_short(void **state)
{
	uint8_t zero[8] = {0}, ones[8];
	struct buf_rd p;

	memset(ones, 0x11, sizeof(ones));
	for (size_t len = 0; len < 8; len++) {
		assert_int_equal(natt_demux(zero, len, &p), len > 4 ? NATT_IKE : NATT_MALFORMED);
		assert_int_equal(natt_demux(ones, len, &p), NATT_MALFORMED);
		assert_int_equal(buf_rd_left(&p), 0);
	}
	assert_int_equal(natt_demux(ones, 8, &p), NATT_ESP);
	assert_int_equal(natt_demux(NULL, 0, &p), NATT_MALFORMED);
}

static void test_natt_marker_roundtrip(void **state)
{
	static const uint8_t ike[] = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03};
	uint8_t out[32], small[8];
	struct buf_wr w;
	struct buf_rd p;
	size_t len;

	buf_wr_init(&w, out, sizeof(out));
	assert_int_equal(natt_put_marker(&w), 0);
	assert_int_equal(buf_put_bytes(&w, ike, sizeof(ike)), 0);
	assert_int_equal(natt_demux(out, buf_wr_len(&w), &p), NATT_IKE);
	assert_int_equal(buf_rd_left(&p), sizeof(ike));
	assert_memory_equal(buf_rd_cur(&p), ike, sizeof(ike));

	/* In place: moved up behind four zero octets. */
	memset(out, 0x55, sizeof(out));
	memcpy(out, ike, sizeof(ike));
	len = sizeof(ike);
	assert_int_equal(natt_add_marker(out, &len, sizeof(out)), 0);
	assert_int_equal(len, sizeof(ike) + NATT_MARKER_LEN);
	assert_memory_equal(out, "\0\0\0\0", 4);
	assert_memory_equal(out + 4, ike, sizeof(ike));
	assert_int_equal(natt_demux(out, len, &p), NATT_IKE);

	/* Exactly enough room, then one byte short. */
	memcpy(small, ike, 4);
	len = 4;
	assert_int_equal(natt_add_marker(small, &len, 8), 0);
	assert_int_equal(len, 8);
	memcpy(small, ike, 5);
	len = 5;
	assert_int_equal(natt_add_marker(small, &len, 8), IG_ENOSPC);
	assert_int_equal(len, 5);
	len = 9; /* inconsistent: len beyond cap */
	assert_int_equal(natt_add_marker(small, &len, 8), IG_ENOSPC);

	buf_wr_init(&w, small, 3);
	assert_int_equal(natt_put_marker(&w), IG_ENOSPC);
}

static void test_natt_kind_name(void **state)
{
	assert_string_equal(natt_kind_name(NATT_MALFORMED), "malformed");
	assert_string_equal(natt_kind_name(NATT_KEEPALIVE), "keepalive");
	assert_string_equal(natt_kind_name(NATT_IKE), "ike");
	assert_string_equal(natt_kind_name(NATT_ESP), "esp");
	assert_string_equal(natt_kind_name((enum natt_kind)42), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_natt_demux_table),
		cmocka_unit_test(test_natt_demux_short),
		cmocka_unit_test(test_natt_marker_roundtrip),
		cmocka_unit_test(test_natt_kind_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
