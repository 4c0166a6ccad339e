/* SPDX-License-Identifier: MIT */
#include "esp/inner.h"

#include <string.h>
#include <sys/socket.h>

#include "lib/buf.h"
#include "lib/err.h"

/* RFC 791 3.1. */
static int parse_v4(struct buf_rd *r, struct buf_rd *l4, struct esp_inner *in)
{
	uint8_t vihl, tos, ttl, proto;
	uint16_t tot, id, frag, csum;
	const uint8_t *src, *dst;
	size_t hlen;
	int e;

	if ((e = buf_get_u8(r, &vihl)) != 0 || (e = buf_get_u8(r, &tos)) != 0 ||
	    (e = buf_get_u16(r, &tot)) != 0 || (e = buf_get_u16(r, &id)) != 0 ||
	    (e = buf_get_u16(r, &frag)) != 0 || (e = buf_get_u8(r, &ttl)) != 0 ||
	    (e = buf_get_u8(r, &proto)) != 0 || (e = buf_get_u16(r, &csum)) != 0 ||
	    (e = buf_get_ptr(r, &src, 4)) != 0 || (e = buf_get_ptr(r, &dst, 4)) != 0)
		return e;
	hlen = (size_t)(vihl & 0x0f) * 4;
	if (hlen < IP4_HDR_MIN || tot < hlen)
		return IG_EINVAL;
	if ((e = buf_skip(r, hlen - IP4_HDR_MIN)) != 0 || (e = buf_get_sub(r, l4, tot - hlen)) != 0)
		return e;
	addr_from_bytes(&in->src, AF_INET, src, 4);
	addr_from_bytes(&in->dst, AF_INET, dst, 4);
	in->proto = proto;
	in->fragment = (frag & (0x2000 | IP4_FRAG_OFF_MASK)) != 0; /* MF or offset */
	in->nonfirst_frag = (frag & IP4_FRAG_OFF_MASK) != 0;
	in->l4_off = hlen;
	in->l4_len = tot - hlen;
	return 0;
}

/* RFC 8200 3 and 4: the fixed header, then the extension header chain. */
static int parse_v6(struct buf_rd *r, struct buf_rd *l4, struct esp_inner *in)
{
	const uint8_t *src, *dst;
	struct buf_rd pl;
	uint32_t first;
	uint16_t plen;
	uint8_t nh, hops;
	int e, i;

	if ((e = buf_get_u32(r, &first)) != 0 || (e = buf_get_u16(r, &plen)) != 0 ||
	    (e = buf_get_u8(r, &nh)) != 0 || (e = buf_get_u8(r, &hops)) != 0 ||
	    (e = buf_get_ptr(r, &src, 16)) != 0 || (e = buf_get_ptr(r, &dst, 16)) != 0)
		return e;
	if (plen == 0)
		return IG_ENOTSUP; /* jumbogram (RFC 2675): never on a TUN */
	if ((e = buf_get_sub(r, &pl, plen)) != 0)
		return e;
	addr_from_bytes(&in->src, AF_INET6, src, 16);
	addr_from_bytes(&in->dst, AF_INET6, dst, 16);
	for (i = 0; i < INNER_MAX_EXT_HDRS; i++) {
		uint8_t next, hl;
		uint16_t offm;

		if (nh == IP6_NH_HOPOPTS || nh == IP6_NH_ROUTING || nh == IP6_NH_DSTOPTS) {
			/* RFC 8200 4.3-4.6: Hdr Ext Len in 8-octet units, minus the first. */
			if ((e = buf_get_u8(&pl, &next)) != 0 || (e = buf_get_u8(&pl, &hl)) != 0 ||
			    (e = buf_skip(&pl, (size_t)(hl + 1) * 8 - 2)) != 0)
				return e;
			nh = next;
		} else if (nh == IP6_NH_FRAGMENT) {
			/* RFC 8200 4.5: next, reserved, offset|M, identification. */
			if ((e = buf_get_u8(&pl, &next)) != 0 || (e = buf_skip(&pl, 1)) != 0 ||
			    (e = buf_get_u16(&pl, &offm)) != 0 || (e = buf_skip(&pl, 4)) != 0)
				return e;
			in->fragment = true;
			nh = next;
			if (offm & IP6_FRAG_OFF_MASK) {
				in->nonfirst_frag = true;
				break;
			}
		} else {
			break;
		}
	}
	if (i == INNER_MAX_EXT_HDRS)
		return IG_ENOTSUP;
	in->proto = nh;
	in->l4_off = IP6_HDR_LEN + buf_rd_pos(&pl);
	in->l4_len = buf_rd_left(&pl);
	*l4 = pl;
	return 0;
}

/* Ports (or ICMP type/code) of the first bytes of the upper-layer header. */
static int parse_ports(struct buf_rd l4, struct esp_inner *in)
{
	uint8_t type, code;
	int e;

	if (in->nonfirst_frag)
		return 0;
	switch (in->proto) {
	case IPPROTO_NUM_TCP:
	case IPPROTO_NUM_UDP:
	case IPPROTO_NUM_SCTP:
	case IPPROTO_NUM_UDPLITE:
		e = buf_get_u16(&l4, &in->sport);
		if (!e)
			e = buf_get_u16(&l4, &in->dport);
		break;
	case IPPROTO_NUM_ICMP:
	case IPPROTO_NUM_ICMPV6:
		if (in->proto !=
		    (in->src.family == AF_INET ? IPPROTO_NUM_ICMP : IPPROTO_NUM_ICMPV6))
			return 0;
		e = buf_get_u8(&l4, &type);
		if (!e)
			e = buf_get_u8(&l4, &code);
		if (!e)
			in->sport = in->dport = (uint16_t)(type << 8 | code);
		break;
	default: return 0;
	}
	if (e)
		/* A first fragment too short for the ports is odd but legal. */
		return in->fragment ? 0 : e;
	in->ports_ok = true;
	return 0;
}

int esp_inner_parse(const uint8_t *pkt, size_t len, struct esp_inner *out)
{
	struct esp_inner in;
	struct buf_rd r, l4;
	uint8_t v;
	int e;

	memset(&in, 0, sizeof(in));
	buf_rd_init(&r, pkt, len);
	if ((e = buf_peek_u8(&r, &v)) != 0)
		return e;
	switch (v >> 4) {
	case 4: e = parse_v4(&r, &l4, &in); break;
	case 6: e = parse_v6(&r, &l4, &in); break;
	default: return IG_ENOTSUP;
	}
	if (e || (e = parse_ports(l4, &in)) != 0)
		return e;
	in.l4 = l4;
	*out = in;
	return 0;
}
