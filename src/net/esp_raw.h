/* SPDX-License-Identifier: MIT */
/*
 * Raw ESP sockets (IP protocol 50), for ipsecgw <-> ipsecgw without NAT:
 * ESP straight in IP instead of in UDP 4500.
 *
 * IPv4 raw sockets receive the IP header in front of the ESP packet; the
 * receive call checks it and stores where ESP starts in d[i].off. IPv6 raw
 * sockets deliver the ESP packet alone (off 0). On send the kernel builds
 * the IP header in both families.
 *
 * A struct esp_raw_sock is used by one thread at a time.
 */
#ifndef IPSECGW_NET_ESP_RAW_H
#define IPSECGW_NET_ESP_RAW_H

#include <stddef.h>

#include "lib/addr.h"
#include "lib/log.h"
#include "net/dgram.h"

#define NET_IPPROTO_ESP 50 /* RFC 4303 */

struct esp_raw_sock {
	int fd; /* -1 when closed */
	int family;
	struct log_ratelimit rl;
};

/*
 * Opens a non-blocking raw ESP socket of local's family, bound to local
 * unless it is the any address (then it sees ESP to every local address).
 * Needs CAP_NET_RAW. IG_EINVAL for a bad address, IG_EIO (errno kept).
 */
int esp_raw_open(struct esp_raw_sock *s, const struct addr *local);
void esp_raw_close(struct esp_raw_sock *s);

/*
 * Receives up to n packets (at most NET_BATCH_MAX): src = peer, dst = our
 * address, ports 0, the ESP packet at d[i].data + d[i].off (length
 * d[i].len - d[i].off). NET_DGRAM_BAD marks an IPv4 header that does not
 * check out. Returns the count (0: none waiting) or IG_EIO.
 */
int esp_raw_recv_batch(struct esp_raw_sock *s, struct net_dgram *d, size_t n);

/*
 * Where the ESP packet starts behind the IPv4 header of a raw IPv4 receive
 * (RFC 791 3.1: IHL * 4). IG_ETRUNC if the header is cut, IG_EINVAL if it
 * is not IPv4 carrying ESP or its IHL is below 5.
 */
int esp_raw_ipv4_payload_off(const uint8_t *pkt, size_t len, size_t *off);

/*
 * Sends up to n ESP packets (d[i].data/len, no IP header) to d[i].dst,
 * from d[i].src when set. Same returns as udp_send_batch().
 */
int esp_raw_send_batch(struct esp_raw_sock *s, const struct net_dgram *d, size_t n);

#endif
