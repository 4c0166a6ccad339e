/* SPDX-License-Identifier: MIT */
/*
 * Segmentation of TCP super-packets read from a TUN with TSO offload
 * (gso.h). What the kernel's tcp_gso_segment() would have done on a
 * device without TSO: every segment carries the super-packet's IP header
 * (IPv4 options and IPv6 extension headers included) and TCP header
 * (options included), gso_size bytes of payload (the last one may be
 * shorter), and these changes:
 *   - IPv4 total length, identification + i, header checksum (RFC 791);
 *     IPv6 payload length (RFC 8200 3);
 *   - TCP sequence number + payload already sent (RFC 9293 3.1);
 *   - FIN and PSH only on the last segment, CWR only on the first (RFC
 *     3168 6.1.2: CWR marks the first new data after a window reduction);
 *   - the full TCP checksum with the pseudo-header (RFC 9293 3.1): the
 *     super-packet's partial checksum is not used.
 * A non-GSO packet with VIRTIO_NET_HDR_F_NEEDS_CSUM has its checksum
 * completed as skb_checksum_help() would: the sum from csum_start to the
 * end, stored at csum_start + csum_offset (0 sent as 0xffff, RFC 768).
 */
#include <string.h>

#include "esp/csum.h"
#include "esp/gso.h"
#include "esp/inner.h"
#include "lib/buf.h"
#include "lib/err.h"

#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_PSH 0x08
#define TCP_FLAG_CWR 0x80
#define TCP_OFF_SEQ  4

/* A writer over the n bytes of an existing packet, to patch its fields in place. */
static void patcher(struct buf_wr *w, uint8_t *p, size_t n)
{
	uint8_t *all;

	buf_wr_init(w, p, n);
	buf_reserve(w, n, &all);
}

static int seg_tcp(struct gso_seg *s, const struct tun_vnet_hdr *vh, const uint8_t *pkt, size_t len)
{
	unsigned type = vh->gso_type & (unsigned)~TUN_VNET_GSO_ECN;
	struct esp_inner in;
	struct buf_rd ip, tcp;
	uint8_t doff;
	size_t thl;
	int e;

	if ((e = esp_inner_parse(pkt, len, &in)) != 0)
		return e;
	s->v4 = in.src.family == AF_INET;
	if ((type == TUN_VNET_GSO_TCPV4) != s->v4 || in.proto != IPPROTO_NUM_TCP || in.fragment ||
	    vh->gso_size == 0)
		return IG_EINVAL;
	tcp = in.l4;
	if ((e = buf_skip(&tcp, TCP_OFF_SEQ)) != 0 || (e = buf_get_u32(&tcp, &s->seq)) != 0 ||
	    (e = buf_skip(&tcp, 4)) != 0 || (e = buf_get_u8(&tcp, &doff)) != 0 ||
	    (e = buf_get_u8(&tcp, &s->flags)) != 0)
		return e;
	thl = (size_t)(doff >> 4) * 4;
	if (thl < TCP_HDR_MIN || thl > in.l4_len)
		return IG_EINVAL;
	if (s->v4) {
		buf_rd_init(&ip, pkt, len);
		if ((e = buf_skip(&ip, 4)) != 0 || (e = buf_get_u16(&ip, &s->ip_id)) != 0)
			return e;
	}
	s->src = in.src;
	s->dst = in.dst;
	s->l4_off = in.l4_off;
	s->hlen = in.l4_off + thl;
	s->plen = in.l4_len - thl;
	s->mss = vh->gso_size;
	s->n = s->plen ? (unsigned)((s->plen + s->mss - 1) / s->mss) : 1;
	s->tcp = true;
	return 0;
}

int gso_seg_init(struct gso_seg *s, const struct tun_vnet_hdr *vh, const uint8_t *pkt, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->pkt = pkt;
	switch (vh->gso_type & ~TUN_VNET_GSO_ECN) {
	case TUN_VNET_GSO_NONE: break;
	case TUN_VNET_GSO_TCPV4:
	case TUN_VNET_GSO_TCPV6: return seg_tcp(s, vh, pkt, len);
	default: return IG_ENOTSUP; /* UDP: we never offer TUN_F_UFO / TUN_F_USO* */
	}
	/* One packet, taken as it is; the data path parses it. */
	s->n = 1;
	s->hlen = len;
	if (vh->flags & TUN_VNET_F_NEEDS_CSUM) {
		if ((size_t)vh->csum_start + vh->csum_offset + 2 > len || vh->csum_start == 0)
			return IG_EINVAL;
		s->csum_from = vh->csum_start;
		s->csum_at = (uint16_t)(vh->csum_start + vh->csum_offset);
	}
	return 0;
}

/* The non-GSO packet, its partial checksum completed. */
static int seg_copy(struct gso_seg *s, uint8_t *out, size_t cap, size_t *len)
{
	struct buf_wr w;
	uint16_t c;

	if (s->hlen > cap)
		return IG_ENOSPC;
	memcpy(out, s->pkt, s->hlen);
	*len = s->hlen;
	if (!s->csum_at)
		return 0;
	/* The field holds the pseudo-header sum the stack left there: sum over it. */
	c = (uint16_t)~esp_csum(out + s->csum_from, s->hlen - s->csum_from);
	patcher(&w, out, s->hlen);
	return buf_set_u16_at(&w, s->csum_at, c ? c : 0xffff);
}

int gso_seg_next(struct gso_seg *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t chunk, l4len, thl;
	uint8_t flags;
	uint32_t sum;
	struct buf_wr w;
	bool last;
	int e;

	if (s->i >= s->n)
		return IG_ENOENT;
	if (!s->tcp) {
		s->i++;
		return seg_copy(s, out, cap, len);
	}
	chunk = s->plen - s->done < s->mss ? s->plen - s->done : s->mss;
	last = s->i + 1 == s->n;
	flags = s->flags;
	if (!last)
		flags &= (uint8_t) ~(TCP_FLAG_FIN | TCP_FLAG_PSH);
	if (s->i)
		flags &= (uint8_t)~TCP_FLAG_CWR;
	if (s->hlen + chunk > cap) {
		s->done += chunk;
		s->i++;
		return IG_ENOSPC;
	}
	memcpy(out, s->pkt, s->hlen);
	memcpy(out + s->hlen, s->pkt + s->hlen + s->done, chunk);
	*len = s->hlen + chunk;
	l4len = *len - s->l4_off;
	thl = s->hlen - s->l4_off;
	patcher(&w, out, *len);
	if (s->v4) {
		if ((e = buf_set_u16_at(&w, 2, (uint16_t)*len)) != 0 ||
		    (e = buf_set_u16_at(&w, 4, (uint16_t)(s->ip_id + s->i))) != 0 ||
		    (e = buf_set_u16_at(&w, 10, 0)) != 0 ||
		    (e = buf_set_u16_at(&w, 10, (uint16_t)~esp_csum(out, s->l4_off))) != 0)
			return e;
	} else if ((e = buf_set_u16_at(&w, 4, (uint16_t)(*len - IP6_HDR_LEN))) != 0) {
		return e;
	}
	if ((e = buf_set_u32_at(&w, s->l4_off + TCP_OFF_SEQ, s->seq + (uint32_t)s->done)) != 0 ||
	    (e = buf_set_u8_at(&w, s->l4_off + TCP_OFF_FLAGS, flags)) != 0 ||
	    (e = buf_set_u16_at(&w, s->l4_off + TCP_OFF_CSUM, 0)) != 0)
		return e;
	sum = esp_csum_pseudo(&s->src, &s->dst, IPPROTO_NUM_TCP, (uint32_t)l4len) +
	      esp_csum(out + s->l4_off, thl) + esp_csum(out + s->hlen, chunk);
	if ((e = buf_set_u16_at(&w, s->l4_off + TCP_OFF_CSUM, (uint16_t)~esp_csum_fold(sum))) != 0)
		return e;
	s->done += chunk;
	s->i++;
	return 0;
}
