/* SPDX-License-Identifier: MIT */
/*
 * The tests' own Internet checksum (RFC 1071), written the slow obvious way
 * on purpose: it checks src/esp/csum.c and the packets the data path
 * builds, so it must not share code with them.
 */
#ifndef IPSECGW_TESTS_REF_CSUM_H
#define IPSECGW_TESTS_REF_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds p[0..n) as big-endian 16-bit words (an odd last byte padded with zero). */
static inline uint32_t ref_sum16(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

/* The ones'-complement sum folded to 16 bits (not inverted). */
static inline uint16_t ref_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The checksum field's value: the folded sum inverted. */
static inline uint16_t ref_csum(uint32_t s)
{
	return (uint16_t)~ref_fold(s);
}

#endif
