/* SPDX-License-Identifier: MIT */
/*
 * TUN devices: the userspace data path's side of the kernel's routing.
 * Plain IP packets (IFF_TUN | IFF_NO_PI), multi-queue so every datapath
 * worker attaches its own fd to the same device (IFF_MULTI_QUEUE), non-
 * blocking, read and written in batches into caller-owned buffers.
 *
 * A device lives as long as one of its queues is open, unless it was made
 * persistent. Addresses, MTU and routes are set with net/rtnl.h.
 */
#ifndef IPSECGW_NET_TUN_H
#define IPSECGW_NET_TUN_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/log.h"
#include "net/dgram.h"

struct tun {
	int fd; /* -1 when closed */
	char name[IFNAMSIZ];
	struct log_ratelimit rl;
};

/*
 * The kernel's rule for interface names: 1..IFNAMSIZ-1 bytes, not "." or
 * "..", no '/', ':' or white space. 0 or IG_EINVAL (logged).
 */
int tun_name_check(const char *name);

/*
 * Creates the TUN device name, or attaches one more queue to it when it
 * exists (multi-queue). A name with "%d" lets the kernel pick the number;
 * t->name holds the real name. IG_EINVAL (bad name), IG_EIO (errno kept).
 */
int tun_open(struct tun *t, const char *name);
/* Closes this queue; the last close removes a non-persistent device. */
void tun_close(struct tun *t);
/* Makes the device outlive its queues (or not). */
int tun_set_persist(struct tun *t, bool persist);
/* Removes a persistent device by name (attach, clear persist, close). */
int tun_destroy(const char *name);

/*
 * Reads up to n packets (at most NET_BATCH_MAX), one read() each, into p[i].data (p[i].cap bytes:
 * at least the MTU, longer packets are cut). Returns the count (0: none
 * waiting) or IG_EIO when the first read fails.
 */
int tun_read_batch(struct tun *t, struct net_pkt *p, size_t n);

/*
 * Writes up to n packets (at most NET_BATCH_MAX), one write() each. Returns the count written
 * (short when the queue is full), or IG_EIO (errno kept) when the kernel
 * refused p[0] — drop it and go on with p[1].
 */
int tun_write_batch(struct tun *t, const struct net_pkt *p, size_t n);

#endif
