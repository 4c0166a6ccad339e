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
#include <stdint.h>

#include "lib/log.h"
#include "net/dgram.h"

struct tun {
	int fd; /* -1 when closed */
	char name[IFNAMSIZ];
	bool vnet;    /* every read and write starts with a struct virtio_net_hdr */
	bool offload; /* TUNSETOFFLOAD took TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 */
	struct log_ratelimit rl;
};

/*
 * The virtio net header (include/uapi/linux/virtio_net.h, struct
 * virtio_net_hdr) that precedes every packet on a TUN opened with
 * IFF_VNET_HDR. 10 bytes; the 16-bit fields are little-endian (we set
 * TUNSETVNETLE; on little-endian hosts that is also the legacy default).
 */
#define TUN_VNET_HDR_LEN      10
#define TUN_VNET_F_NEEDS_CSUM 1 /* checksum from csum_start, stored at +csum_offset */
#define TUN_VNET_F_DATA_VALID 2 /* checksum already verified */
#define TUN_VNET_GSO_NONE     0
#define TUN_VNET_GSO_TCPV4    1
#define TUN_VNET_GSO_UDP      3
#define TUN_VNET_GSO_TCPV6    4
#define TUN_VNET_GSO_UDP_L4   5
#define TUN_VNET_GSO_ECN      0x80 /* the TCP sender set ECN CWR on the super-packet */

/* The header in host byte order. */
struct tun_vnet_hdr {
	uint8_t flags;	   /* TUN_VNET_F_* */
	uint8_t gso_type;  /* TUN_VNET_GSO_* */
	uint16_t hdr_len;  /* bytes of headers (IP + TCP) in front of the payload */
	uint16_t gso_size; /* payload bytes per segment */
	uint16_t csum_start, csum_offset;
};

/* Parses the first TUN_VNET_HDR_LEN bytes of p[0..len). 0 or IG_ETRUNC. */
int tun_vnet_parse(const uint8_t *p, size_t len, struct tun_vnet_hdr *h);
/* Writes h as the kernel wants it into out. */
void tun_vnet_put(uint8_t out[static TUN_VNET_HDR_LEN], const struct tun_vnet_hdr *h);

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
/*
 * The same with IFF_VNET_HDR when vnet: then every packet read or written
 * starts with a virtio net header (TUN_VNET_HDR_LEN bytes). All queues of
 * a device must agree. Offloads are asked for separately.
 */
int tun_open_vnet(struct tun *t, const char *name, bool vnet);
/*
 * Asks the kernel for checksum and TCP segmentation offload (TUNSETOFFLOAD
 * with TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6): it may then hand us TCP
 * super-packets of up to 64 KB with partial checksums, described by the
 * virtio net header. Needs a vnet queue. 0 (t->offload set), IG_ENOTSUP
 * (no vnet header) or IG_EIO (errno kept; the kernel refused: carry on
 * without offloads).
 */
int tun_set_offload(struct tun *t);
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

/*
 * Writes one packet gathered from iov[0..n) (a vnet header first on a vnet
 * queue). 1 written, 0 the queue is full, IG_EIO (errno kept) refused.
 */
struct iovec;
int tun_writev(struct tun *t, const struct iovec *iov, size_t n);

#endif
