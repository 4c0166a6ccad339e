/* SPDX-License-Identifier: MIT */
/*
 * TUN offloads for the data path (docs/datapath.md "TUN offloads"): the
 * userspace side of the kernel's TCP segmentation offload, as wireguard-go
 * does on Linux.
 *
 * Outbound, a TUN queue with TUN_F_TSO4/6 may hand us a TCP super-packet
 * of up to 64 KB: one IP and TCP header, gso_size bytes of payload per
 * segment (virtio net header, include/uapi/linux/virtio_net.h). The
 * segmenter (gso_seg.c) cuts it into the packets the sender's TCP would
 * have sent, each with complete headers and checksums, so that the rest of
 * the data path (SPD, MSS clamp, rate cap, PMTU, encap) sees ordinary
 * packets.
 *
 * Inbound, the coalescer (gso_coal.c) does the reverse for the decrypted
 * packets of one batch: consecutive TCP segments of one flow become one
 * super-packet written with one write, so the kernel forwards and
 * receives them as one (as GRO would).
 *
 * Neither allocates: they work on caller-owned buffers.
 */
#ifndef IPSECGW_ESP_GSO_H
#define IPSECGW_ESP_GSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/dgram.h"
#include "net/tun.h"

/* Largest packet a TUN reads or takes with offloads: 64 KB IP (IPv6: plus its header). */
#define GSO_MAX_PKT (65535 + 40)

/* ---- segmentation (gso_seg.c) ---- */

struct gso_seg {
	const uint8_t *pkt; /* the super-packet (after the vnet header) */
	size_t hlen;	    /* IP header(s) + TCP header: copied in front of every segment */
	size_t l4_off;	    /* where TCP (or the partial checksum's region) starts */
	size_t plen;	    /* payload bytes after hlen */
	size_t mss;	    /* payload per segment */
	size_t done;	    /* payload bytes already cut */
	unsigned i, n;	    /* next segment, segments in all */
	bool v4, tcp;	    /* tcp: a GSO super-packet; else one packet copied */
	uint16_t csum_at;   /* !tcp: offset of a checksum to complete; 0: none */
	uint16_t csum_from; /* ... summed from here */
	uint16_t ip_id;
	uint32_t seq;
	uint8_t flags; /* TCP flags of the super-packet */
	struct addr src, dst;
};

/*
 * Validates pkt[0..len) as described by its vnet header vh and prepares
 * the segments: a GSO TCPV4/TCPV6 super-packet (the IP version, protocol
 * and gso_size must agree; no fragments), or one non-GSO packet, whose
 * partial checksum is completed when vh asks for it (NEEDS_CSUM, range
 * checked). 0, IG_ETRUNC/IG_EINVAL (malformed), IG_ENOTSUP (UDP GSO,
 * unknown GSO type).
 */
int gso_seg_init(struct gso_seg *s, const struct tun_vnet_hdr *vh, const uint8_t *pkt, size_t len);
/*
 * Writes the next segment into out[0..cap) and its length into *len: the
 * headers with IPv4 total length, identification (+1 per segment) and
 * header checksum, IPv6 payload length, TCP sequence number, flags (FIN and
 * PSH on the last segment only, CWR on the first only) and the full TCP
 * checksum. 0, IG_ENOENT (no segment left), IG_ENOSPC (cap too small:
 * the segment is skipped).
 */
int gso_seg_next(struct gso_seg *s, uint8_t *out, size_t cap, size_t *len);

/* ---- coalescing (gso_coal.c) ---- */

#define GSO_COAL_MAX NET_BATCH_MAX

struct gso_coal {
	size_t n;
	int16_t next[GSO_COAL_MAX];	      /* next packet of the same super-packet; -1: end */
	bool head[GSO_COAL_MAX];	      /* starts a packet to write (others are merged) */
	uint16_t hlen[GSO_COAL_MAX];	      /* header bytes (dropped from merged packets) */
	struct tun_vnet_hdr vh[GSO_COAL_MAX]; /* of a head: zero, or the GSO description */
	/* Internal: runs (super-packets being built), searched newest first per flow. */
	struct gso_run {
		struct addr src, dst;
		uint16_t sport, dport;
		uint16_t head, last, segs;
		uint16_t mss;	/* payload of the first: the others must match */
		uint32_t total; /* TCP header + payload bytes so far */
		uint32_t next_seq, ack;
		uint32_t tcfl;	      /* IPv4 TOS and DF; IPv6 traffic class and flow label */
		uint16_t win, id, hl; /* id: IPv4 identification of the last; hl: IP + TCP header */
		uint8_t thl, flags, ttl;
		const uint8_t *opt; /* TCP options of the head (thl - 20 bytes) */
		bool open, v4, df;
	} run[GSO_COAL_MAX];
	size_t nrun;
};

/*
 * Groups the IP packets p[0..n) (n <= GSO_COAL_MAX), in this order, into
 * packets to write: c->head[i] marks each, c->next[] chains what is merged
 * behind it (write p[head] whole, then p[j].data + hlen[j] of every j on
 * the chain), c->vh[head] is its vnet header. TCP segments merge when they
 * follow each other in one flow: same addresses, ports, IPv4 TOS, TTL and
 * DF (IDs +1 when DF is clear) or IPv6 traffic class, flow label and hop
 * limit, no IPv4 options or IPv6 extension headers, contiguous sequence
 * numbers, same ACK number, window and TCP options, only ACK/ECE/PSH flags
 * (PSH ends a super-packet), equal payload sizes but for a shorter last
 * one, valid IPv4 header and TCP checksums, at most 65535 bytes of IP. The head's
 * headers are rewritten in place for a merged packet (lengths, IPv4
 * header checksum, PSH of the last, and the pseudo-header sum in the TCP
 * checksum as NEEDS_CSUM wants it); everything else is left as it is.
 */
void gso_coalesce(struct gso_coal *c, const struct net_pkt *p, size_t n);

#endif
