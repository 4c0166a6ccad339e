/* SPDX-License-Identifier: MIT */
/*
 * Datagrams and packets exchanged with the net/ sockets in batches.
 *
 * The caller owns every buffer: it points data at cap bytes of its own
 * memory (with head- and tailroom as it likes) and the receive calls fill
 * len and the addresses in place, so the data path never allocates per
 * packet (STYLE.md 9).
 */
#ifndef IPSECGW_NET_DGRAM_H
#define IPSECGW_NET_DGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

/* At most this many datagrams move per batched call (recvmmsg/sendmmsg). */
#define NET_BATCH_MAX 64

/* Receive flags: a datagram with any flag set must be dropped by the caller. */
#define NET_DGRAM_TRUNC 0x1u /* longer than cap; data holds only the first cap bytes */
#define NET_DGRAM_BAD	0x2u /* the kernel handed us something malformed (raw IPv4 header) */

struct net_dgram {
	struct addr src, dst;  /* receive: peer and our local address (PKTINFO);
				  send: dst = peer, src = local source (family 0: kernel picks) */
	uint16_t sport, dport; /* host order; raw ESP: 0 */
	uint8_t *data;
	size_t len, cap;
	size_t off;	/* receive: where the payload starts in data (raw IPv4 ESP: after the
			   IP header the kernel includes; 0 otherwise) */
	unsigned flags; /* receive: NET_DGRAM_* */
};

/* A packet without addresses (TUN). */
struct net_pkt {
	uint8_t *data;
	size_t len, cap;
};

#endif
