/* SPDX-License-Identifier: MIT */
/*
 * Security Policy Database (RFC 4301 4.4.1): which CHILD SA protects an
 * outbound inner packet, and whether an inbound inner packet, after decap,
 * matches the selectors of the SA it arrived on (RFC 4301 5.2).
 *
 * An entry maps a set of local selectors and a set of remote selectors
 * (each {CIDR, IP protocol or 0 = any, port range}) to an opaque SA handle.
 * A packet matches an entry through one (local, remote) pair of the same
 * family: local holds the source on the way out, remote the destination.
 *
 * Most specific match, in this order: longer remote (destination) prefix,
 * then longer local prefix, then a specific protocol over "any", then the
 * narrower remote port range, then the narrower local port range. A tie
 * goes to the entry given first to esp_spd_build() (config order), and
 * within an entry to the earlier selector. Route-based tunnels use
 * 0.0.0.0/0 (::/0) on both sides as their catch-all.
 *
 * Tables are immutable: the control thread builds a new one and publishes
 * it (esp_spd_publish); workers read the current one without a lock.
 * Lookup is a scan of the pairs pre-sorted by specificity, first match.
 */
#ifndef IPSECGW_ESP_SPD_H
#define IPSECGW_ESP_SPD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp/inner.h"
#include "esp/rcu.h"
#include "lib/addr.h"

struct esp_spd_sel {
	struct cidr net;	   /* host bits are ignored */
	uint8_t proto;		   /* 0 = any */
	uint16_t port_lo, port_hi; /* 0..65535 = any; ICMP: type << 8 | code */
};

struct esp_spd_entry {
	const struct esp_spd_sel *local;
	size_t nlocal;
	const struct esp_spd_sel *remote;
	size_t nremote;
	uint32_t sa_id;
};

struct esp_spd;

/*
 * A table holding copies of the n entries. IG_EINVAL for a selector with
 * no family, a prefix longer than its family, or port_lo > port_hi;
 * IG_ENOMEM. n may be 0 (nothing matches).
 */
int esp_spd_build(struct esp_spd **out, const struct esp_spd_entry *e, size_t n);
void esp_spd_free(struct esp_spd *t);
/* (local, remote) pairs in the table, for status output and tests. */
size_t esp_spd_pairs(const struct esp_spd *t);

/*
 * The SA for an outbound packet (src = local, dst = remote). 0 and *sa_id,
 * or IG_ENOENT when no policy matches (the packet is dropped). t may be NULL.
 */
int esp_spd_lookup(const struct esp_spd *t, const struct esp_inner *pkt, uint32_t *sa_id);

/*
 * RFC 4301 5.2 step 4: does a decapsulated packet (src = remote, dst =
 * local) match a selector pair of sa_id? false means drop and count.
 */
bool esp_spd_inbound_ok(const struct esp_spd *t, uint32_t sa_id, const struct esp_inner *pkt);

/* Publication: one pointer, swapped by the control thread. */
struct esp_spd_pub {
	_Atomic(struct esp_spd *) cur;
};

void esp_spd_pub_init(struct esp_spd_pub *p);
/* Worker: the current table (acquire); valid until its next quiescent state. */
const struct esp_spd *esp_spd_current(struct esp_spd_pub *p);
/*
 * Control thread: makes t current (release) and frees the previous table
 * after a grace period of rcu. t may be NULL (no policies).
 */
void esp_spd_publish(struct esp_spd_pub *p, struct esp_spd *t, struct esp_rcu *rcu);

#endif
