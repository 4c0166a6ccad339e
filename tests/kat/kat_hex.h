/* SPDX-License-Identifier: MIT */
/*
 * Hex helpers for the crypto known-answer and unit tests. Vectors are kept
 * as the RFCs print them (hex strings; spaces allowed), decoded at run time.
 * Include after <cmocka.h>.
 */
#ifndef IPSECGW_TESTS_KAT_HEX_H
#define IPSECGW_TESTS_KAT_HEX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline int kat_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes hex (ignoring spaces) into out; fails the test on bad input or overflow. */
static inline size_t kat_unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ' || *s == '\n')
			continue;
		v = kat_nibble(*s);
		assert_true(v >= 0);
		if (hi < 0) {
			hi = v;
			continue;
		}
		assert_true(n < cap);
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	assert_int_equal(hi, -1);
	return n;
}

/* Decodes into a fixed buffer and checks the expected length. */
#define KAT_UNHEX(s, buf) kat_unhex((s), (buf), sizeof(buf))

/* len octets of value v (RFC test keys like 0x0b repeated 20 times). */
static inline size_t kat_fill(uint8_t *out, uint8_t v, size_t len)
{
	memset(out, v, len);
	return len;
}

#endif
