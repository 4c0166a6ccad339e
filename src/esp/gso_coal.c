/* SPDX-License-Identifier: MIT */
/*
 * Coalescing of decrypted TCP segments into super-packets for a TUN with
 * offloads (gso.h): the receive side of what the kernel's GRO does
 * (tcp_gro_receive, inet_gro_receive), kept strict. Two segments merge
 * only when the second is exactly what a TSO sender would have cut from
 * the same super-packet: same flow, contiguous sequence numbers, the same
 * headers but for lengths, IDs and checksums, equal payload sizes (the
 * last may be shorter), no SYN/FIN/RST/URG/CWR, PSH only on the last.
 *
 * Each segment's checksums are verified before it is merged: the merged
 * packet goes to the kernel with VIRTIO_NET_HDR_F_NEEDS_CSUM (a partial
 * checksum: the pseudo-header sum in the TCP checksum field, as for
 * CHECKSUM_PARTIAL in tcp_v4_send_check), which the receiving host
 * trusts; a corrupt segment therefore stays alone and the kernel judges it.
 *
 * The kernel takes a GSO TCP packet only with NEEDS_CSUM, csum_start at
 * the TCP header and csum_offset 16 (virtio_net_hdr_to_skb()).
 */
#include <string.h>

#include "esp/csum.h"
#include "esp/gso.h"
#include "esp/inner.h"
#include "lib/buf.h"
#include "lib/err.h"

#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_RST 0x04
#define TCP_FLAG_PSH 0x08
#define TCP_FLAG_ECE 0x40
#define TCP_OFF_SEQ  4
#define IP4_DF	     0x4000
#define IP4_MF	     0x2000
/*
 * The whole IP packet: IPv4's total length field, and for IPv6 the same so
 * that it stays within the 64 KB a device takes as one GSO skb
 * (GSO_LEGACY_MAX_SIZE) and is not cut again in software on the way.
 */
#define GSO_MAX_IP 65535

/* What one packet offers for merging. */
struct seg {
	struct addr src, dst;
	uint16_t sport, dport, win, id, iphl;
	uint32_t seq, ack, tcfl;
	uint8_t thl, flags, ttl;
	size_t payload;
	const uint8_t *opt;
	bool v4, df;
	bool flow;  /* a TCP packet: src/dst/ports are known */
	bool merge; /* and a candidate for merging */
};

/* A writer over the n bytes of an existing packet, to patch its fields in place. */
static void patcher(struct buf_wr *w, uint8_t *p, size_t n)
{
	uint8_t *all;

	buf_wr_init(w, p, n);
	buf_reserve(w, n, &all);
}

static bool csum_ok(const uint8_t *p, size_t len, const struct seg *s)
{
	uint32_t l4 = (uint32_t)(len - s->iphl);
	uint64_t sum;

	if (s->v4 && esp_csum_fold(esp_csum(p, s->iphl)) != 0xffff)
		return false;
	sum = (uint64_t)esp_csum_pseudo(&s->src, &s->dst, IPPROTO_NUM_TCP, l4) +
	      esp_csum(p + s->iphl, l4);
	return esp_csum_fold(sum) == 0xffff;
}

/* RFC 791 3.1, without options; and the fragment check. */
static int parse_v4(struct buf_rd *r, struct seg *s, size_t len, bool *plain)
{
	uint8_t vihl, tos, ttl, proto;
	uint16_t tot, frag, csum;
	const uint8_t *a, *b;
	int e;

	if ((e = buf_get_u8(r, &vihl)) != 0 || (e = buf_get_u8(r, &tos)) != 0 ||
	    (e = buf_get_u16(r, &tot)) != 0 || (e = buf_get_u16(r, &s->id)) != 0 ||
	    (e = buf_get_u16(r, &frag)) != 0 || (e = buf_get_u8(r, &ttl)) != 0 ||
	    (e = buf_get_u8(r, &proto)) != 0 || (e = buf_get_u16(r, &csum)) != 0 ||
	    (e = buf_get_ptr(r, &a, 4)) != 0 || (e = buf_get_ptr(r, &b, 4)) != 0)
		return e;
	if (vihl != 0x45 || proto != IPPROTO_NUM_TCP || (frag & (IP4_MF | IP4_FRAG_OFF_MASK)))
		return IG_ENOTSUP;
	addr_from_bytes(&s->src, AF_INET, a, 4);
	addr_from_bytes(&s->dst, AF_INET, b, 4);
	s->v4 = true;
	s->iphl = IP4_HDR_MIN;
	s->df = (frag & IP4_DF) != 0;
	s->tcfl = (uint32_t)tos << 8 | s->df;
	s->ttl = ttl;
	*plain = tot == len; /* nothing behind the packet that a merge would carry along */
	return 0;
}

/* RFC 8200 3, without extension headers. */
static int parse_v6(struct buf_rd *r, struct seg *s, size_t len, bool *plain)
{
	uint32_t first;
	uint16_t plen;
	uint8_t nh, hops;
	const uint8_t *a, *b;
	int e;

	if ((e = buf_get_u32(r, &first)) != 0 || (e = buf_get_u16(r, &plen)) != 0 ||
	    (e = buf_get_u8(r, &nh)) != 0 || (e = buf_get_u8(r, &hops)) != 0 ||
	    (e = buf_get_ptr(r, &a, 16)) != 0 || (e = buf_get_ptr(r, &b, 16)) != 0)
		return e;
	if (first >> 28 != 6 || nh != IPPROTO_NUM_TCP)
		return IG_ENOTSUP;
	addr_from_bytes(&s->src, AF_INET6, a, 16);
	addr_from_bytes(&s->dst, AF_INET6, b, 16);
	s->iphl = IP6_HDR_LEN;
	s->tcfl = first & 0x0fffffffu; /* traffic class and flow label */
	s->ttl = hops;
	*plain = (size_t)plen + IP6_HDR_LEN == len;
	return 0;
}

static void parse(const uint8_t *p, size_t len, struct seg *s)
{
	struct buf_rd r;
	uint8_t v = 0, doff;
	uint16_t urg, csum;
	bool plain = false;
	int e;

	memset(s, 0, sizeof(*s));
	buf_rd_init(&r, p, len);
	if (buf_peek_u8(&r, &v) != 0)
		return;
	if (v >> 4 == 4)
		e = parse_v4(&r, s, len, &plain);
	else if (v >> 4 == 6)
		e = parse_v6(&r, s, len, &plain);
	else
		return;
	if (e || buf_get_u16(&r, &s->sport) != 0 || buf_get_u16(&r, &s->dport) != 0)
		return;
	s->flow = true; /* from here on, a packet of this flow that cannot merge ends its run */
	if (!plain || buf_get_u32(&r, &s->seq) != 0 || buf_get_u32(&r, &s->ack) != 0 ||
	    buf_get_u8(&r, &doff) != 0 || buf_get_u8(&r, &s->flags) != 0 ||
	    buf_get_u16(&r, &s->win) != 0 || buf_get_u16(&r, &csum) != 0 ||
	    buf_get_u16(&r, &urg) != 0)
		return;
	s->thl = (uint8_t)((doff >> 4) * 4);
	/* Only ACK, PSH and ECE: SYN/FIN/RST/URG/CWR (and the old NS bit) stay single. */
	if (s->thl < TCP_HDR_MIN || (doff & 0x0f) ||
	    (s->flags & ~(TCP_FLAG_ACK | TCP_FLAG_PSH | TCP_FLAG_ECE)) ||
	    !(s->flags & TCP_FLAG_ACK) ||
	    buf_get_ptr(&r, &s->opt, (size_t)s->thl - TCP_HDR_MIN) != 0)
		return;
	s->payload = buf_rd_left(&r);
	s->merge = s->payload > 0;
}

static bool same_flow(const struct gso_run *r, const struct seg *s)
{
	return r->v4 == s->v4 && r->sport == s->sport && r->dport == s->dport &&
	       addr_eq(&r->src, &s->src) && addr_eq(&r->dst, &s->dst);
}

/* Whether s continues run r exactly as a TSO sender would have cut it. */
static bool continues(const struct gso_run *r, const struct seg *s)
{
	return r->open && s->merge && s->seq == r->next_seq && s->ack == r->ack &&
	       s->win == r->win && s->thl == r->thl && s->tcfl == r->tcfl &&
	       (s->flags & ~TCP_FLAG_PSH) == r->flags && s->payload <= r->mss &&
	       (!r->v4 || r->df || s->id == (uint16_t)(r->id + 1)) && s->ttl == r->ttl &&
	       r->total + s->payload <= GSO_MAX_IP - (r->v4 ? IP4_HDR_MIN : IP6_HDR_LEN) &&
	       memcmp(s->opt, r->opt, (size_t)r->thl - TCP_HDR_MIN) == 0;
}

static void run_start(struct gso_coal *c, size_t i, const struct seg *s)
{
	struct gso_run *r = &c->run[c->nrun++];

	memset(r, 0, sizeof(*r));
	r->src = s->src;
	r->dst = s->dst;
	r->sport = s->sport;
	r->dport = s->dport;
	r->v4 = s->v4;
	r->head = r->last = (uint16_t)i;
	r->segs = 1;
	if (!s->merge)
		return; /* a marker: later packets of the flow start a new run */
	r->open = !(s->flags & TCP_FLAG_PSH);
	r->mss = (uint16_t)s->payload;
	r->total = s->thl + (uint32_t)s->payload;
	r->next_seq = s->seq + (uint32_t)s->payload;
	r->ack = s->ack;
	r->win = s->win;
	r->thl = s->thl;
	r->hl = (uint16_t)(s->iphl + s->thl);
	r->flags = s->flags & (uint8_t)~TCP_FLAG_PSH;
	r->tcfl = s->tcfl;
	r->ttl = s->ttl;
	r->id = s->id;
	r->df = s->df;
	r->opt = s->opt;
}

/* Rewrites the head of a merged run and describes it in its vnet header. */
static void run_finish(struct gso_coal *c, const struct gso_run *r, const struct net_pkt *p)
{
	const struct net_pkt *h = &p[r->head];
	size_t iphl = r->v4 ? IP4_HDR_MIN : IP6_HDR_LEN;
	uint8_t last_flags = r->flags;
	struct buf_rd lr;
	struct buf_wr w;
	int e;

	/* PSH of the last segment (RFC 9293 3.9.1: pushes everything before it too). */
	buf_rd_init(&lr, p[r->last].data, p[r->last].len);
	if (buf_skip(&lr, iphl + TCP_OFF_FLAGS) != 0 || buf_get_u8(&lr, &last_flags) != 0)
		goto undo;
	patcher(&w, h->data, h->len);
	if (r->v4)
		e = buf_set_u16_at(&w, 2, (uint16_t)(IP4_HDR_MIN + r->total)) ||
		    buf_set_u16_at(&w, 10, 0) ||
		    buf_set_u16_at(&w, 10, (uint16_t)~esp_csum(h->data, IP4_HDR_MIN));
	else
		e = buf_set_u16_at(&w, 4, (uint16_t)r->total);
	/* CHECKSUM_PARTIAL: the pseudo-header sum over the whole TCP length, not complemented. */
	if (e ||
	    buf_set_u8_at(&w, iphl + TCP_OFF_FLAGS,
			  (uint8_t)(r->flags | (last_flags & TCP_FLAG_PSH))) != 0 ||
	    buf_set_u16_at(&w, iphl + TCP_OFF_CSUM,
			   esp_csum_fold(esp_csum_pseudo(&r->src, &r->dst, IPPROTO_NUM_TCP,
							 r->total))) != 0)
		goto undo; /* cannot happen: the head was parsed with these lengths */
	c->vh[r->head] = (struct tun_vnet_hdr){
		.flags = TUN_VNET_F_NEEDS_CSUM,
		.gso_type = r->v4 ? TUN_VNET_GSO_TCPV4 : TUN_VNET_GSO_TCPV6,
		.hdr_len = r->hl,
		.gso_size = r->mss,
		.csum_start = (uint16_t)iphl,
		.csum_offset = TCP_OFF_CSUM,
	};
	return;
undo:
	/* Every packet goes alone, as it came. */
	for (int j = r->head, k; j >= 0; j = k) {
		k = c->next[j];
		c->head[j] = true;
		c->next[j] = -1;
		c->hlen[j] = 0;
	}
}

void gso_coalesce(struct gso_coal *c, const struct net_pkt *p, size_t n)
{
	struct seg s;

	if (n > GSO_COAL_MAX)
		n = GSO_COAL_MAX;
	c->n = n;
	c->nrun = 0;
	for (size_t i = 0; i < n; i++) {
		struct gso_run *r = NULL;

		c->head[i] = true;
		c->next[i] = -1;
		c->hlen[i] = 0;
		memset(&c->vh[i], 0, sizeof(c->vh[i]));
		parse(p[i].data, p[i].len, &s);
		if (!s.flow)
			continue;
		for (size_t k = c->nrun; k-- > 0;)
			if (same_flow(&c->run[k], &s)) {
				r = &c->run[k];
				break;
			}
		if (r && continues(r, &s) && csum_ok(p[i].data, p[i].len, &s) &&
		    (r->segs > 1 || csum_ok(p[r->head].data, p[r->head].len, &s))) {
			c->next[r->last] = (int16_t)i;
			c->head[i] = false;
			c->hlen[i] = r->hl;
			r->last = (uint16_t)i;
			r->segs++;
			r->total += (uint32_t)s.payload;
			r->next_seq += (uint32_t)s.payload;
			r->id = s.id;
			/* A short segment or PSH ends what a sender cut from one super-packet. */
			r->open = s.payload == r->mss && !(s.flags & TCP_FLAG_PSH);
			continue;
		}
		if (r)
			r->open = false;
		run_start(c, i, &s);
	}
	for (size_t k = 0; k < c->nrun; k++)
		if (c->run[k].segs > 1)
			run_finish(c, &c->run[k], p);
}
