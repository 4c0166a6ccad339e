/* SPDX-License-Identifier: MIT */
/*
 * The inner (plaintext) IP packet: one validating parser shared by the SPD
 * lookup (addresses, protocol, ports) and the MSS clamp (where the TCP
 * header is). Inner packets are outside bytes (from the TUN device or a
 * peer's decrypted ESP payload), so it reads them through struct buf_rd.
 *
 * Wire constants of IPv4 (RFC 791), IPv6 (RFC 8200) and TCP (RFC 9293)
 * that the ESP layer needs live here too.
 */
#ifndef IPSECGW_ESP_INNER_H
#define IPSECGW_ESP_INNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/buf.h"

#define IP4_HDR_MIN	  20 /* RFC 791: IHL >= 5 */
#define IP6_HDR_LEN	  40 /* RFC 8200 3 */
#define IP6_FRAG_LEN	  8  /* RFC 8200 4.5 */
#define IP4_FRAG_OFF_MASK 0x1fff
#define IP6_FRAG_OFF_MASK 0xfff8

/* IPv6 extension headers we walk through (RFC 8200 4.1). */
#define IP6_NH_HOPOPTS	   0
#define IP6_NH_ROUTING	   43
#define IP6_NH_FRAGMENT	   44
#define IP6_NH_DSTOPTS	   60
#define IP6_NH_NONE	   59
#define INNER_MAX_EXT_HDRS 8 /* more is an attack, not traffic */

#define IPPROTO_NUM_ICMP    1
#define IPPROTO_NUM_TCP	    6
#define IPPROTO_NUM_UDP	    17
#define IPPROTO_NUM_ICMPV6  58
#define IPPROTO_NUM_SCTP    132
#define IPPROTO_NUM_UDPLITE 136

#define TCP_HDR_MIN	20 /* RFC 9293 3.1: data offset >= 5 */
#define TCP_OFF_FLAGS	13
#define TCP_OFF_CSUM	16
#define TCP_FLAG_SYN	0x02
#define TCP_FLAG_ACK	0x10
#define TCP_OPT_EOL	0
#define TCP_OPT_NOP	1
#define TCP_OPT_MSS	2
#define TCP_OPT_MSS_LEN 4

struct esp_inner {
	struct addr src, dst;
	uint8_t proto;	    /* upper-layer protocol after IPv6 extension headers */
	bool fragment;	    /* part of a fragmented datagram */
	bool nonfirst_frag; /* fragment offset != 0: no upper-layer header here */
	bool ports_ok;	    /* sport/dport below are known */
	uint16_t sport, dport;
	size_t l4_off;	  /* where the upper-layer header starts in the packet */
	size_t l4_len;	  /* bytes from l4_off to the end of the IP datagram */
	struct buf_rd l4; /* reader over those l4_len bytes */
};

/*
 * Parses the IP header(s) of pkt[0..len). The IP length field must fit in
 * len (bytes after it, e.g. TUN padding, are ignored). Ports are those of
 * TCP, UDP, SCTP and UDP-Lite; for ICMP and ICMPv6 both hold type << 8 |
 * code (RFC 4301 4.4.1.1); ports_ok is false for other protocols and for
 * non-first fragments (RFC 4301 7: OPAQUE). Returns 0, IG_ETRUNC or
 * IG_EINVAL (malformed), IG_ENOTSUP (IP version other than 4/6, IPv6
 * jumbogram, too many extension headers).
 */
int esp_inner_parse(const uint8_t *pkt, size_t len, struct esp_inner *out);

#endif
