/* SPDX-License-Identifier: MIT */
/*
 * TUN offloads (esp/gso.h) on arbitrary input. First byte even: the
 * segmenter gets a 10-byte vnet header and a packet; odd: the coalescer
 * gets up to 64 packets, each behind a 2-byte length. Invariants: no
 * access outside the buffers (ASan); every segment fits its buffer and,
 * for a GSO super-packet, is a TCP packet whose checksum verifies; the
 * coalescer writes every packet exactly once, in order within a chain,
 * and a merged packet is at most 64 KB of IP and parses as one.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "esp/gso.h"
#include "esp/inner.h"
#include "lib/err.h"
#include "../../tests/unit/esp/ref_csum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool tcp_ok(const uint8_t *p, size_t len)
{
	struct esp_inner in;
	size_t al;
	uint32_t s = 0;

	if (esp_inner_parse(p, len, &in) != 0 || in.proto != IPPROTO_NUM_TCP)
		return false;
	al = addr_len(&in.src);
	s = ref_sum16(ref_sum16(0, in.src.b, al), in.dst.b, al) + IPPROTO_NUM_TCP +
	    (uint32_t)in.l4_len;
	return ref_fold(ref_sum16(s, p + in.l4_off, in.l4_len)) == 0xffff;
}

static void segmenter(const uint8_t *data, size_t size)
{
	static uint8_t seg[2048];
	struct tun_vnet_hdr vh;
	struct gso_seg s;
	size_t len;
	unsigned n = 0;
	int e;

	if (tun_vnet_parse(data, size, &vh) != 0 ||
	    gso_seg_init(&s, &vh, data + TUN_VNET_HDR_LEN, size - TUN_VNET_HDR_LEN) != 0)
		return;
	while ((e = gso_seg_next(&s, seg, sizeof(seg), &len)) != IG_ENOENT) {
		if (++n > 65536)
			__builtin_trap();
		if (e != 0)
			continue;
		if (len > sizeof(seg))
			__builtin_trap();
		if (s.tcp && !tcp_ok(seg, len))
			__builtin_trap();
	}
}

static void coalescer(const uint8_t *data, size_t size)
{
	static uint8_t pk[GSO_COAL_MAX][2048], cat[GSO_MAX_PKT + 64];
	static struct gso_coal c;
	struct net_pkt p[GSO_COAL_MAX] = {0}; /* gcc -O2 cannot see that only p[0..n) is read */
	unsigned seen[GSO_COAL_MAX] = {0};
	size_t n = 0;

	while (n < GSO_COAL_MAX && size >= 2) {
		size_t l = (size_t)(data[0] << 8 | data[1]) % sizeof(pk[0]);

		data += 2;
		size -= 2;
		if (l > size)
			l = size;
		memcpy(pk[n], data, l);
		p[n] = (struct net_pkt){.data = pk[n], .len = l, .cap = l};
		n++;
		data += l;
		size -= l;
	}
	gso_coalesce(&c, p, n);
	for (size_t i = 0; i < n; i++) {
		size_t len = p[i].len;
		int last = (int)i;
		struct esp_inner in;

		if (!c.head[i])
			continue;
		seen[i]++;
		memcpy(cat, p[i].data, p[i].len);
		for (int j = c.next[i]; j >= 0; j = c.next[j]) {
			if (j <= last || c.head[j] || c.hlen[j] > p[j].len)
				__builtin_trap();
			seen[j]++;
			memcpy(cat + len, p[j].data + c.hlen[j], p[j].len - c.hlen[j]);
			len += p[j].len - c.hlen[j];
			last = j;
		}
		if (c.next[i] < 0)
			continue;
		if (len > GSO_MAX_PKT || esp_inner_parse(cat, len, &in) != 0 ||
		    in.l4_off + in.l4_len != len || c.vh[i].hdr_len > p[i].len ||
		    c.vh[i].gso_size == 0)
			__builtin_trap();
	}
	for (size_t i = 0; i < n; i++)
		if (seen[i] != 1)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > GSO_MAX_PKT + TUN_VNET_HDR_LEN + 1)
		return 0;
	if (data[0] & 1)
		coalescer(data + 1, size - 1);
	else
		segmenter(data + 1, size - 1);
	return 0;
}
