/* SPDX-License-Identifier: MIT */
/*
 * MSS clamp on arbitrary inner packets. Input: 2 bytes of clamp value,
 * then the packet. Invariants: no access outside the packet (ASan); a
 * packet not clamped is byte-for-byte unchanged; a clamped packet keeps a
 * valid TCP checksum valid, changes only the MSS value and the checksum,
 * and a second clamp leaves it alone.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "esp/inner.h"
#include "esp/mss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One's complement sum of the pseudo-header and the TCP segment, folded. */
static uint16_t tcp_sum(const uint8_t *pkt, const struct esp_inner *in)
{
	uint32_t s = 0;
	size_t i, n = in->l4_len, al = addr_len(&in->src);
	const uint8_t *t = pkt + in->l4_off;

	for (i = 0; i < al; i += 2) {
		s += (uint32_t)(in->src.b[i] << 8 | in->src.b[i + 1]);
		s += (uint32_t)(in->dst.b[i] << 8 | in->dst.b[i + 1]);
	}
	s += IPPROTO_NUM_TCP + (uint32_t)(n & 0xffff) + (uint32_t)(n >> 16);
	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(t[i] << 8 | t[i + 1]);
	if (n & 1)
		s += (uint32_t)t[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[65536 + 64], orig[65536 + 64];
	struct esp_mss_counters c = {0};
	struct esp_inner in;
	uint16_t mss;
	size_t len;
	int r, valid_before = 0;

	if (size < 2 || size - 2 > sizeof(pkt))
		return 0;
	mss = (uint16_t)(data[0] << 8 | data[1]);
	len = size - 2;
	memcpy(pkt, data + 2, len);
	memcpy(orig, pkt, len);

	if (esp_inner_parse(pkt, len, &in) == 0 && in.proto == IPPROTO_NUM_TCP &&
	    in.l4_len >= TCP_HDR_MIN)
		valid_before = tcp_sum(pkt, &in) == 0xffff;

	r = esp_mss_clamp(pkt, len, mss, &c);
	if (r != ESP_MSS_CLAMPED) {
		if (memcmp(pkt, orig, len) != 0)
			__builtin_trap();
		if ((r < 0) != (c.malformed == 1))
			__builtin_trap();
		return 0;
	}
	if (c.clamped != 1 || esp_inner_parse(pkt, len, &in) != 0)
		__builtin_trap();
	if (valid_before && tcp_sum(pkt, &in) != 0xffff)
		__builtin_trap();
	/* at most 4 bytes differ: 2 of MSS, 2 of checksum */
	{
		size_t diff = 0;
		for (size_t i = 0; i < len; i++)
			diff += pkt[i] != orig[i];
		if (diff > 4)
			__builtin_trap();
	}
	memcpy(orig, pkt, len);
	if (esp_mss_clamp(pkt, len, mss, NULL) != ESP_MSS_UNCHANGED || memcmp(pkt, orig, len))
		__builtin_trap();
	return 0;
}
