/* SPDX-License-Identifier: MIT */
/*
 * Internal to net/: batched recvmmsg/sendmmsg with PKTINFO, shared by the
 * UDP and the raw ESP sockets (they differ only in how they are opened).
 */
#ifndef IPSECGW_NET_SOCK_H
#define IPSECGW_NET_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/log.h"
#include "net/dgram.h"

/* Asks the kernel to report each datagram's local address (IP(V6)_PKTINFO). */
int net_sock_want_pktinfo(int fd, int family, const char *what);

/*
 * Receives up to n (<= NET_BATCH_MAX) datagrams. lport is stored in each
 * dport. Returns the number received (0: nothing waiting) or IG_EIO.
 */
int net_sock_recv(int fd, int family, uint16_t lport, struct net_dgram *d, size_t n,
		  struct log_ratelimit *rl, const char *what);

/*
 * Sends up to n (<= NET_BATCH_MAX) datagrams, each from d[i].src when set.
 * use_port: put d[i].dport in the destination (UDP) or 0 (raw).
 * Returns the number sent (0: socket buffer full), IG_EINVAL when d[0] is
 * unusable (wrong family), IG_EIO when the kernel refused d[0].
 */
int net_sock_send(int fd, int family, bool use_port, const struct net_dgram *d, size_t n,
		  struct log_ratelimit *rl, const char *what);

#endif
