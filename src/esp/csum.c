/* SPDX-License-Identifier: MIT */
/*
 * RFC 1071 4.1: the sum is independent of byte order up to a final swap,
 * and of the word size up to a final fold. So the words are added in host
 * order, 64 bits at a time with the carries added back, and the 16-bit
 * result is swapped into network order once.
 */
#include "esp/csum.h"

#include <arpa/inet.h>
#include <string.h>

uint16_t esp_csum_fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

uint32_t esp_csum(const void *p, size_t len)
{
	const uint8_t *q = p;
	uint64_t s = 0, v;
	uint32_t v4;
	uint16_t v2;

	while (len >= 8) {
		memcpy(&v, q, 8);
		s += v;
		s += s < v; /* end-around carry */
		q += 8;
		len -= 8;
	}
	if (len >= 4) {
		memcpy(&v4, q, 4);
		s += v4;
		s += s < v4;
		q += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&v2, q, 2);
		s += v2;
		s += s < v2;
		q += 2;
		len -= 2;
	}
	if (len) {
		uint8_t last[2] = {q[0], 0}; /* the odd byte is the high half of a word */

		memcpy(&v2, last, 2);
		s += v2;
		s += s < v2;
	}
	return ntohs(esp_csum_fold(s));
}

uint32_t esp_csum_pseudo(const struct addr *src, const struct addr *dst, uint8_t proto,
			 uint32_t len)
{
	size_t al = src->family == AF_INET ? 4 : 16;

	return esp_csum_fold((uint64_t)esp_csum(src->b, al) + esp_csum(dst->b, al) + proto +
			     (len >> 16) + (len & 0xffff));
}
