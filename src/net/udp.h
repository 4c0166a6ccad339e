/* SPDX-License-Identifier: MIT */
/*
 * IKE and NAT-T UDP sockets (RFC 7296 2.11: port 500; RFC 3948: port 4500).
 *
 * Non-blocking, batched (recvmmsg/sendmmsg into caller-owned buffers), and
 * PKTINFO on both ways: every received datagram reports the local address
 * it was sent to, and every sent one may name its local source, so a
 * gateway listening on "any" answers from the address the peer used.
 *
 * There is no kernel ESP here (no UDP_ENCAP): datagrams on 4500 are
 * demultiplexed in userspace with natt_demux() (net/natt.h).
 *
 * A struct udp_sock is used by one thread at a time.
 */
#ifndef IPSECGW_NET_UDP_H
#define IPSECGW_NET_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/log.h"
#include "net/dgram.h"

#define NET_IKE_PORT  500  /* RFC 7296 2.11 */
#define NET_NATT_PORT 4500 /* RFC 3948 2 */

struct udp_sock {
	int fd; /* -1 when closed */
	int family;
	struct addr local; /* bound address; all zero = any */
	uint16_t port;	   /* bound port, host order (the real one when opened with 0) */
	struct log_ratelimit rl;
};

/*
 * Opens a non-blocking UDP socket bound to local:port. local may be the
 * any address (0.0.0.0 or ::); IPv6 sockets are always IPV6_V6ONLY so a
 * v4 and a v6 socket can share a port. port 0 picks a free one.
 * IG_EINVAL for a bad address, IG_EIO (errno kept) when a syscall fails.
 */
int udp_open(struct udp_sock *s, const struct addr *local, uint16_t port);
void udp_close(struct udp_sock *s);

/*
 * Receives up to n datagrams (at most NET_BATCH_MAX per call) into d[i].data
 * (d[i].cap bytes each). Fills src/sport (the peer), dst (our address, from
 * PKTINFO), dport (s->port), len and flags. Returns the count (0: none
 * waiting) or IG_EIO.
 */
int udp_recv_batch(struct udp_sock *s, struct net_dgram *d, size_t n);

/*
 * Sends up to n datagrams (at most NET_BATCH_MAX): d[i].data/len to
 * d[i].dst:d[i].dport, from d[i].src when it is set (else the kernel picks).
 * sport is ignored (it is s->port). Returns the count sent, which may be
 * short: 0 when the socket buffer is full; IG_EINVAL when d[0] has the
 * wrong family; IG_EIO (errno kept) when the kernel refused d[0] — drop
 * it and go on with d[1].
 */
int udp_send_batch(struct udp_sock *s, const struct net_dgram *d, size_t n);

/* The sockets of a gateway: each port, on one address or on v4 and v6 "any". */
#define UDP_SET_MAX 8

struct udp_set {
	struct udp_sock sock[UDP_SET_MAX];
	size_t n;
};

/*
 * Opens a socket per port on local, or (local NULL or family 0) an IPv4 and
 * an IPv6 any socket per port. No ports (NULL or 0) means 500 and 4500.
 * IPv6 is skipped with a warning when the
 * host has none. On failure everything opened is closed again.
 */
int udp_set_open(struct udp_set *set, const struct addr *local, const uint16_t *ports,
		 size_t nports);
void udp_set_close(struct udp_set *set);
/* The socket for sending to a peer of this family from this port; NULL if none. */
struct udp_sock *udp_set_find(struct udp_set *set, int family, uint16_t port);

#endif
