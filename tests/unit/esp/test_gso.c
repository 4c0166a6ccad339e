/* SPDX-License-Identifier: MIT */
/*
 * TUN offloads (esp/gso.h): segmentation of TCP super-packets (IPv4 with
 * options, IPv6 with an extension header, TCP options, FIN/PSH/CWR),
 * checksum completion of a non-GSO packet, and coalescing of segments
 * that must and must not merge. Every checksum is verified with the
 * byte-by-byte RFC 1071 routine below, independent of esp/csum.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "esp/csum.h"
#include "esp/gso.h"
#include "lib/addr.h"
#include "lib/err.h"
#include "ref_csum.h"

#define F_FIN 0x01
#define F_SYN 0x02
#define F_PSH 0x08
#define F_ACK 0x10
#define F_CWR 0x80

/* ---- independent checksums ---- */

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

/* Sum of the pseudo-header of pkt (IPv4 or IPv6 fixed header) for l4len bytes. */
static uint32_t pseudo(const uint8_t *pkt, uint8_t proto, size_t l4len)
{
	if (pkt[0] >> 4 == 4)
		return ref_sum16(0, pkt + 12, 8) + proto + (uint32_t)l4len;
	return ref_sum16(0, pkt + 8, 32) + proto + (uint32_t)l4len;
}

/* The L4 checksum of pkt verifies (l4 at off, to the end). */
static bool l4_ok(const uint8_t *pkt, size_t len, size_t off, uint8_t proto)
{
	return ref_fold(ref_sum16(pseudo(pkt, proto, len - off), pkt + off, len - off)) == 0xffff;
}

static bool ip4_ok(const uint8_t *pkt)
{
	return ref_fold(ref_sum16(0, pkt, (size_t)(pkt[0] & 15) * 4)) == 0xffff;
}

/* ---- packet builders ---- */

struct tcp_spec {
	bool v6;
	size_t ipopt;  /* IPv4 options / IPv6 hop-by-hop header bytes (multiple of 8 for v6) */
	size_t tcpopt; /* TCP option bytes (multiple of 4) */
	uint32_t seq, ack;
	uint8_t flags, ttl;
	uint16_t id, win, sport, dport;
	bool df;
	size_t payload;
	uint8_t fill; /* payload byte i is fill + i */
};

/* Builds the packet with valid checksums; returns (ip+tcp header length) in *hl. */
static size_t build(uint8_t *p, const struct tcp_spec *s, size_t *hl)
{
	size_t iphl = (s->v6 ? 40 : 20) + s->ipopt, thl = 20 + s->tcpopt;
	size_t len = iphl + thl + s->payload;
	uint8_t *t = p + iphl;

	memset(p, 0, iphl + thl);
	if (!s->v6) {
		p[0] = (uint8_t)(0x40 | iphl / 4);
		wr16(p + 2, (uint16_t)len);
		wr16(p + 4, s->id);
		wr16(p + 6, s->df ? 0x4000 : 0);
		p[8] = s->ttl ? s->ttl : 64;
		p[9] = 6;
		memcpy(p + 12, (uint8_t[]){10, 0, 2, 5}, 4);
		memcpy(p + 16, (uint8_t[]){192, 168, 25, 3}, 4);
		memset(p + 20, 1, s->ipopt); /* NOPs */
		wr16(p + 10, (uint16_t)~ref_fold(ref_sum16(0, p, iphl)));
	} else {
		wr32(p, 0x60012345);
		wr16(p + 4, (uint16_t)(len - 40));
		p[6] = s->ipopt ? 0 : 6; /* hop-by-hop, then TCP */
		p[7] = s->ttl ? s->ttl : 64;
		p[8] = 0x20, p[9] = 0x01, p[10] = 0x0d, p[11] = 0xb8, p[23] = 1;
		p[24] = 0x20, p[25] = 0x01, p[26] = 0x0d, p[27] = 0xb8, p[39] = 2;
		if (s->ipopt) {
			p[40] = 6;
			p[41] = (uint8_t)(s->ipopt / 8 - 1);
			p[42] = 1; /* PadN */
			p[43] = (uint8_t)(s->ipopt - 4);
		}
	}
	wr16(t, s->sport ? s->sport : 40000);
	wr16(t + 2, s->dport ? s->dport : 5201);
	wr32(t + 4, s->seq);
	wr32(t + 8, s->ack);
	t[12] = (uint8_t)(thl / 4 << 4);
	t[13] = s->flags;
	wr16(t + 14, s->win ? s->win : 512);
	for (size_t i = 0; i < s->tcpopt; i++)
		t[20 + i] = i % 4 == 0 ? 1 : (uint8_t)(0x30 + i); /* kind 1 (NOP) + junk: opaque */
	for (size_t i = 0; i < s->payload; i++)
		t[thl + i] = (uint8_t)(s->fill + i);
	wr16(t + 16,
	     (uint16_t)~ref_fold(ref_sum16(pseudo(p, 6, thl + s->payload), t, thl + s->payload)));
	*hl = iphl + thl;
	return len;
}

/* ---- segmentation ---- */

static uint8_t big[GSO_MAX_PKT], seg[2048], cat[GSO_MAX_PKT];

static void check_segments(const struct tcp_spec *sp, uint16_t mss)
{
	struct tun_vnet_hdr vh = {.flags = TUN_VNET_F_NEEDS_CSUM,
				  .gso_type = sp->v6 ? TUN_VNET_GSO_TCPV6 : TUN_VNET_GSO_TCPV4,
				  .gso_size = mss};
	size_t hl, len = build(big, sp, &hl), iphl = hl - 20 - sp->tcpopt, got = 0, slen;
	unsigned nseg = (unsigned)((sp->payload + mss - 1) / mss), i = 0;
	struct gso_seg s;
	int e;

	/* What the stack leaves in the field with CHECKSUM_PARTIAL: not the full sum. */
	wr16(big + iphl + 16, ref_fold(pseudo(big, 6, len - iphl)));
	vh.hdr_len = (uint16_t)hl;
	vh.csum_start = (uint16_t)iphl;
	vh.csum_offset = 16;
	assert_int_equal(gso_seg_init(&s, &vh, big, len), 0);
	while ((e = gso_seg_next(&s, seg, sizeof(seg), &slen)) == 0) {
		const uint8_t *t = seg + iphl;
		size_t pl = slen - hl, want = sp->payload - got < mss ? sp->payload - got : mss;
		uint8_t f = sp->flags;

		assert_true(i < nseg);
		assert_int_equal(pl, want);
		assert_memory_equal(seg, big, sp->v6 ? 4 : 2); /* version, TOS / class, flow */
		if (!sp->v6) {
			assert_int_equal(rd16(seg + 2), slen);
			assert_int_equal(rd16(seg + 4), (uint16_t)(sp->id + i));
			assert_true(ip4_ok(seg));
			assert_memory_equal(seg + 20, big + 20, sp->ipopt);
		} else {
			assert_int_equal(rd16(seg + 4), slen - 40);
			assert_memory_equal(seg + 40, big + 40, sp->ipopt);
		}
		assert_int_equal(rd32(t + 4), sp->seq + (uint32_t)got);
		assert_int_equal(rd32(t + 8), sp->ack);
		if (i + 1 < nseg)
			f &= (uint8_t) ~(F_FIN | F_PSH);
		if (i > 0)
			f &= (uint8_t)~F_CWR;
		assert_int_equal(t[13], f);
		assert_memory_equal(t + 20, big + iphl + 20, sp->tcpopt);
		assert_memory_equal(seg + hl, big + hl + got, pl);
		assert_true(l4_ok(seg, slen, iphl, 6));
		got += pl;
		i++;
	}
	assert_int_equal(e, IG_ENOENT);
	assert_int_equal(i, nseg);
	assert_int_equal(got, sp->payload);
}

static void test_seg_v4(void **state)
{
	struct tcp_spec sp = {.seq = 0xfffff000, /* wraps */
			      .ack = 77,
			      .flags = F_ACK | F_PSH | F_FIN | F_CWR,
			      .id = 0xfffe,
			      .df = true,
			      .payload = 10000};

	(void)state;
	check_segments(&sp, 1448);
	sp.ipopt = 8; /* IPv4 options */
	sp.tcpopt = 12;
	check_segments(&sp, 1000);
	sp.payload = 4000; /* a multiple of the MSS: the last one is full */
	check_segments(&sp, 1000);
	sp.payload = 65535 - 20 - 8 - 32; /* the largest */
	check_segments(&sp, 1388);
	sp.payload = 500; /* shorter than one MSS */
	check_segments(&sp, 1388);
	sp.payload = 1001; /* odd lengths */
	check_segments(&sp, 999);
}

static void test_seg_v6(void **state)
{
	struct tcp_spec sp = {.v6 = true,
			      .seq = 1,
			      .ack = 2,
			      .flags = F_ACK | F_PSH,
			      .payload = 20000,
			      .tcpopt = 12};

	(void)state;
	check_segments(&sp, 1428);
	sp.ipopt = 8; /* a hop-by-hop options header */
	sp.flags = F_ACK | F_FIN | F_CWR;
	check_segments(&sp, 1200);
}

/* A non-GSO UDP packet with a partial checksum is completed. */
static void test_seg_csum_only(void **state)
{
	uint8_t p[200];
	size_t len = 20 + 8 + 101, slen;
	struct tun_vnet_hdr vh = {
		.flags = TUN_VNET_F_NEEDS_CSUM, .csum_start = 20, .csum_offset = 6};
	struct gso_seg s;

	(void)state;
	memset(p, 0, sizeof(p));
	p[0] = 0x45;
	wr16(p + 2, (uint16_t)len);
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, (uint8_t[]){10, 0, 2, 5, 192, 168, 25, 3}, 8);
	wr16(p + 10, (uint16_t)~ref_fold(ref_sum16(0, p, 20)));
	wr16(p + 20, 1234);
	wr16(p + 22, 53);
	wr16(p + 24, (uint16_t)(len - 20));
	for (size_t i = 28; i < len; i++)
		p[i] = (uint8_t)(i * 13);
	wr16(p + 26, ref_fold(pseudo(p, 17, len - 20)));
	assert_int_equal(gso_seg_init(&s, &vh, p, len), 0);
	assert_int_equal(gso_seg_next(&s, seg, sizeof(seg), &slen), 0);
	assert_int_equal(slen, len);
	assert_true(l4_ok(seg, slen, 20, 17));
	assert_memory_equal(seg, p, 26);
	assert_int_equal(gso_seg_next(&s, seg, sizeof(seg), &slen), IG_ENOENT);
	/* Without NEEDS_CSUM: copied unchanged. */
	vh.flags = 0;
	assert_int_equal(gso_seg_init(&s, &vh, p, len), 0);
	assert_int_equal(gso_seg_next(&s, seg, sizeof(seg), &slen), 0);
	assert_memory_equal(seg, p, len);
}

static void test_seg_bad(void **state)
{
	struct tcp_spec sp = {.flags = F_ACK, .payload = 3000, .df = true};
	struct tun_vnet_hdr vh = {.gso_type = TUN_VNET_GSO_TCPV6, .gso_size = 1000};
	struct gso_seg s;
	size_t hl, len = build(big, &sp, &hl), slen;

	(void)state;
	assert_int_equal(gso_seg_init(&s, &vh, big, len), IG_EINVAL); /* v6 type, v4 packet */
	vh.gso_type = TUN_VNET_GSO_UDP_L4;
	assert_int_equal(gso_seg_init(&s, &vh, big, len), IG_ENOTSUP);
	vh.gso_type = TUN_VNET_GSO_TCPV4;
	vh.gso_size = 0;
	assert_int_equal(gso_seg_init(&s, &vh, big, len), IG_EINVAL);
	vh.gso_size = 1000;
	assert_true(gso_seg_init(&s, &vh, big, len - 1) < 0); /* IP length beyond the read */
	big[9] = 17;					      /* not TCP */
	assert_int_equal(gso_seg_init(&s, &vh, big, len), IG_EINVAL);
	big[9] = 6;
	/* A segment that does not fit the buffer is skipped, the next ones still come. */
	vh.gso_size = 1500;
	assert_int_equal(gso_seg_init(&s, &vh, big, len), 0);
	assert_int_equal(gso_seg_next(&s, seg, 1000, &slen), IG_ENOSPC);
	assert_int_equal(gso_seg_next(&s, seg, sizeof(seg), &slen), 0);
	assert_int_equal(rd32(seg + 24), 1500);
	/* NEEDS_CSUM outside the packet. */
	vh = (struct tun_vnet_hdr){.flags = TUN_VNET_F_NEEDS_CSUM,
				   .csum_start = 20,
				   .csum_offset = (uint16_t)(len - 21)};
	assert_int_equal(gso_seg_init(&s, &vh, big, len), IG_EINVAL);
	assert_int_equal(gso_seg_init(&s, &vh, big, 5), IG_EINVAL);
}

/* ---- coalescing ---- */

static uint8_t pk[GSO_COAL_MAX][2048];
static struct net_pkt P[GSO_COAL_MAX];
static struct gso_coal C;

static void add(size_t i, const struct tcp_spec *s)
{
	size_t hl;

	P[i] = (struct net_pkt){.data = pk[i], .len = build(pk[i], s, &hl)};
	P[i].cap = P[i].len;
}

/* The super-packet written for head i, as the TUN would get it (no vnet header). */
static size_t gather(size_t i)
{
	size_t n = 0;

	memcpy(cat, P[i].data, P[i].len);
	n = P[i].len;
	for (int j = C.next[i]; j >= 0; j = C.next[j]) {
		memcpy(cat + n, P[j].data + C.hlen[j], P[j].len - C.hlen[j]);
		n += P[j].len - C.hlen[j];
	}
	return n;
}

static unsigned chain_len(size_t i)
{
	unsigned k = 1;

	for (int j = C.next[i]; j >= 0; j = C.next[j])
		k++;
	return k;
}

/* A merged super-packet is consistent: lengths, vnet header, checksums once completed. */
static void check_merged(size_t head, unsigned segs, uint16_t mss, bool v6, size_t payload)
{
	size_t len = gather(head), iphl = v6 ? 40 : 20;
	const struct tun_vnet_hdr *vh = &C.vh[head];
	uint16_t c;

	assert_true(C.head[head]);
	assert_int_equal(chain_len(head), segs);
	assert_int_equal(vh->flags, TUN_VNET_F_NEEDS_CSUM);
	assert_int_equal(vh->gso_type, v6 ? TUN_VNET_GSO_TCPV6 : TUN_VNET_GSO_TCPV4);
	assert_int_equal(vh->gso_size, mss);
	assert_int_equal(vh->csum_start, iphl);
	assert_int_equal(vh->csum_offset, 16);
	assert_int_equal(vh->hdr_len, iphl + (size_t)(cat[iphl + 12] >> 4) * 4);
	assert_int_equal(len, vh->hdr_len + payload);
	if (!v6) {
		assert_int_equal(rd16(cat + 2), len);
		assert_true(ip4_ok(cat));
	} else {
		assert_int_equal(rd16(cat + 4), len - 40);
	}
	/* The field holds the pseudo-header sum (CHECKSUM_PARTIAL); completing it verifies. */
	assert_int_equal(rd16(cat + iphl + 16), ref_fold(pseudo(cat, 6, len - iphl)));
	c = (uint16_t)~ref_fold(ref_sum16(0, cat + iphl, len - iphl));
	wr16(cat + iphl + 16, c);
	assert_true(l4_ok(cat, len, iphl, 6));
}

static struct tcp_spec seg4(uint32_t seq, size_t payload, uint8_t flags)
{
	return (struct tcp_spec){.seq = seq,
				 .ack = 1000,
				 .flags = flags,
				 .df = true,
				 .tcpopt = 12,
				 .payload = payload,
				 .fill = (uint8_t)seq};
}

static void test_coal_merge(void **state)
{
	struct tcp_spec s;
	size_t n = 0;

	(void)state;
	/* 5 full segments, a short last one with PSH: one super-packet. */
	for (unsigned i = 0; i < 5; i++) {
		s = seg4(100 + i * 1388, 1388, F_ACK);
		add(n++, &s);
	}
	s = seg4(100 + 5 * 1388, 300, F_ACK | F_PSH);
	add(n++, &s);
	gso_coalesce(&C, P, n);
	check_merged(0, 6, 1388, false, 5 * 1388 + 300);
	assert_int_equal(cat[20 + 13], F_ACK | F_PSH); /* PSH of the last */
	for (size_t i = 1; i < n; i++)
		assert_false(C.head[i]);
	/* The payload is the concatenation in order. */
	assert_int_equal(cat[52], (uint8_t)100);
	assert_int_equal(cat[52 + 1388], (uint8_t)(100 + 1388));

	/* IPv6: two segments. */
	n = 0;
	s = (struct tcp_spec){.v6 = true, .seq = 7, .ack = 9, .flags = F_ACK, .payload = 1000};
	add(n++, &s);
	s.seq += 1000;
	add(n++, &s);
	gso_coalesce(&C, P, n);
	check_merged(0, 2, 1000, true, 2000);

	/* Interleaved flows: A1 B1 A2 A3 -> [A1 A2 A3] and B1. */
	n = 0;
	s = seg4(0, 1000, F_ACK);
	add(n++, &s);
	s.sport = 40001;
	add(n++, &s);
	s = seg4(1000, 1000, F_ACK);
	add(n++, &s);
	s = seg4(2000, 1000, F_ACK);
	add(n++, &s);
	gso_coalesce(&C, P, n);
	check_merged(0, 3, 1000, false, 3000);
	assert_true(C.head[1]);
	assert_int_equal(chain_len(1), 1);
	assert_int_equal(C.vh[1].gso_type, TUN_VNET_GSO_NONE);

	/* IPv4 without DF: consecutive IDs merge. */
	n = 0;
	for (unsigned i = 0; i < 3; i++) {
		s = seg4(i * 500, 500, F_ACK);
		s.df = false;
		s.id = (uint16_t)(0xffff + i);
		add(n++, &s);
	}
	gso_coalesce(&C, P, n);
	check_merged(0, 3, 500, false, 1500);
}

/* Each row: two packets that must stay apart (the first is always seg4(0, 1000, ACK)). */
static void test_coal_apart(void **state)
{
	struct tcp_spec a = seg4(0, 1000, F_ACK), b;

	(void)state;
	for (int k = 0; k < 14; k++) {
		b = seg4(1000, 1000, F_ACK);
		switch (k) {
		case 0: b.seq = 1001; break;		/* a gap */
		case 1: b.dport = 5202; break;		/* another flow */
		case 2: b.ack = 1001; break;		/* another ACK */
		case 3: b.win = 513; break;		/* another window */
		case 4: b.flags |= F_FIN; break;	/* FIN */
		case 5: b.ttl = 63; break;		/* TTL */
		case 6: b.payload = 1001; break;	/* larger than the first */
		case 7: b.tcpopt = 16; break;		/* options length */
		case 8: b.flags = F_ACK | F_CWR; break; /* CWR */
		case 9: b.df = false; break;		/* DF differs */
		case 10: b.payload = 0; break;		/* a pure ACK */
		case 11: b.flags = F_ACK | F_SYN; break;
		case 12: b.fill = 99; break; /* handled below: a bad checksum */
		case 13: b.v6 = true; break;
		}
		add(0, &a);
		add(1, &b);
		if (k == 12)
			pk[1][60] ^= 0xff; /* payload corrupted after the checksum */
		gso_coalesce(&C, P, 2);
		if (!C.head[1] || C.next[0] != -1)
			fail_msg("row %d merged", k);
		assert_int_equal(C.vh[0].gso_type, TUN_VNET_GSO_NONE);
		assert_int_equal(C.vh[1].gso_type, TUN_VNET_GSO_NONE);
	}
	/* A PSH ends a super-packet. */
	a = seg4(0, 1000, F_ACK | F_PSH);
	b = seg4(1000, 500, F_ACK);
	add(0, &a);
	add(1, &b);
	gso_coalesce(&C, P, 2);
	assert_true(C.head[1]);
	/* So does a short one: 1000, 500 | 500. */
	a = seg4(0, 1000, F_ACK);
	add(0, &a);
	b = seg4(1000, 500, F_ACK);
	add(1, &b);
	b = seg4(1500, 500, F_ACK);
	add(2, &b);
	gso_coalesce(&C, P, 3);
	check_merged(0, 2, 1000, false, 1500);
	assert_true(C.head[2]);
	/* IPv4 without DF and IDs not consecutive. */
	a = seg4(0, 1000, F_ACK), b = seg4(1000, 1000, F_ACK);
	a.df = b.df = false;
	a.id = 5, b.id = 7;
	add(0, &a);
	add(1, &b);
	gso_coalesce(&C, P, 2);
	assert_true(C.head[1]);
}

/* Another packet of the flow in between ends the run: A1 A2 ack(A) A3 -> [A1 A2], ack, A3. */
static void test_coal_order(void **state)
{
	struct tcp_spec s;

	(void)state;
	s = seg4(0, 1000, F_ACK);
	add(0, &s);
	s = seg4(1000, 1000, F_ACK);
	add(1, &s);
	s = seg4(2000, 0, F_ACK);
	add(2, &s);
	s = seg4(2000, 1000, F_ACK);
	add(3, &s);
	gso_coalesce(&C, P, 4);
	check_merged(0, 2, 1000, false, 2000);
	assert_true(C.head[2] && C.head[3]);
	assert_int_equal(C.next[2], -1);
	assert_int_equal(C.next[3], -1);
	/* Non-IP and UDP packets are left alone. */
	memset(pk[0], 0, 40);
	P[0].len = 40;
	gso_coalesce(&C, P, 1);
	assert_true(C.head[0]);
	assert_int_equal(C.vh[0].flags, 0);
}

/* 64 KB is the limit of a super-packet: 64 segments of 1388 do not fit in one. */
static void test_coal_limit(void **state)
{
	struct tcp_spec s;
	size_t total = 0, heads = 0;

	(void)state;
	for (unsigned i = 0; i < GSO_COAL_MAX; i++) {
		s = seg4(i * 1388, 1388, F_ACK);
		add(i, &s);
	}
	gso_coalesce(&C, P, GSO_COAL_MAX);
	for (unsigned i = 0; i < GSO_COAL_MAX; i++) {
		if (!C.head[i])
			continue;
		heads++;
		total += chain_len(i);
		assert_true(gather(i) <= 65535);
		if (chain_len(i) > 1)
			check_merged(i, chain_len(i), 1388, false, (chain_len(i)) * 1388);
	}
	assert_int_equal(total, GSO_COAL_MAX);
	assert_int_equal(heads, 2);
	/* IPv6: the whole packet within 65535 bytes too, not only its payload length. */
	for (unsigned i = 0; i < GSO_COAL_MAX; i++) {
		s = (struct tcp_spec){
			.v6 = true, .seq = i * 1400, .ack = 1, .flags = F_ACK, .payload = 1400};
		add(i, &s);
	}
	gso_coalesce(&C, P, GSO_COAL_MAX);
	for (unsigned i = 0; i < GSO_COAL_MAX; i++)
		if (C.head[i] && chain_len(i) > 1) {
			assert_true(gather(i) <= 65535);
			check_merged(i, chain_len(i), 1400, true, chain_len(i) * 1400);
		}
}

/* esp/csum.c against the byte-by-byte routine, at every length and alignment. */
static void test_csum(void **state)
{
	static uint8_t b[600];

	(void)state;
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(i * 151 + 7);
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len + off <= sizeof(b); len += 1 + len / 16)
			assert_int_equal(esp_csum(b + off, len),
					 ref_fold(ref_sum16(0, b + off, len)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csum),	   cmocka_unit_test(test_seg_v4),
		cmocka_unit_test(test_seg_v6),	   cmocka_unit_test(test_seg_csum_only),
		cmocka_unit_test(test_seg_bad),	   cmocka_unit_test(test_coal_merge),
		cmocka_unit_test(test_coal_apart), cmocka_unit_test(test_coal_order),
		cmocka_unit_test(test_coal_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
