/* SPDX-License-Identifier: MIT */
/*
 * The IKE engine's defences against hostile input (docs/security.md): one
 * counter per class of datagram it refuses, logging of those refusals at a
 * bounded rate, and the admission limits for new responder SAs on top of
 * the cookie threshold (RFC 7296 2.6):
 *   per source    half-open SAs one address may hold (default 8)
 *   half-open     half-open SAs in all, cookie or not (default 1024)
 *   INIT size     an IKE_SA_INIT request a half-open SA keeps a copy of
 *                 (for AUTH, 2.15): at most 10000 bytes, strongSwan's
 *                 max_packet (real ones are 300-3000 bytes)
 * The counters are what `ipsecgw status --json` shows under "dropped".
 */
#ifndef IPSECGW_IKE_IKE_GUARD_H
#define IPSECGW_IKE_IKE_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/log.h"

struct ike_engine;
struct ike_endpoint;
struct ike_parse_err;

enum ike_drop {
	IKE_DROP_HEADER,       /* shorter than a header, Length field wrong, version, exchange */
	IKE_DROP_MALFORMED,    /* payload chain: lengths, chaining, payloads out of place */
	IKE_DROP_CRITICAL,     /* an unknown payload with the critical bit (2.5) */
	IKE_DROP_DECRYPT,      /* SK payload fails its ICV or does not decrypt (3.14) */
	IKE_DROP_UNKNOWN_SA,   /* SPIs of no IKE SA of ours */
	IKE_DROP_WINDOW,       /* request outside the window, unexpected response (2.3) */
	IKE_DROP_INIT_INVALID, /* IKE_SA_INIT without SA, KE or Nonce, or wrong IDs */
	IKE_DROP_NO_TUNNEL,    /* IKE_SA_INIT from an address no tunnel accepts */
	IKE_DROP_PER_SOURCE,   /* that address holds its share of half-open SAs already */
	IKE_DROP_HALF_OPEN,    /* the half-open limit is reached */
	IKE_DROP_SA_LIMIT,     /* max_sas reached */
	IKE_DROP_COUNT
};

struct ike_guard {
	uint32_t per_source_half_open;
	uint32_t max_half_open;
	uint64_t drops[IKE_DROP_COUNT];
	uint64_t cookies_sent;	       /* COOKIE notifies we answered with (2.6) */
	uint64_t retransmits_answered; /* a request again: our cached response again (2.3) */
	struct log_ratelimit rl;
};

#define IKE_GUARD_PER_SOURCE	8
#define IKE_GUARD_MAX_HALF_OPEN 1024
#define IKE_GUARD_MAX_INIT_LEN	10000

void ike_guard_init(struct ike_guard *g);
struct ike_guard *ike_engine_guard(struct ike_engine *e);
/* "ike_header", "ike_malformed", ...: the JSON names of the classes. */
const char *ike_drop_name(enum ike_drop d);

/* Counts a refused datagram and logs why, at most a burst per interval. */
void ike_guard_drop(struct ike_engine *e, enum ike_drop d, const struct ike_endpoint *from,
		    const char *why, const struct ike_parse_err *err);
/* The class of a failed ike_hdr_parse()/ike_msg_parse(). */
enum ike_drop ike_guard_parse_class(int r, const struct ike_parse_err *err, bool header);
/*
 * A new responder SA for from, whose IKE_SA_INIT has init_len bytes: false
 * (counted and logged) when the message is too large, from holds its share
 * of half-open SAs or the half-open limit is reached.
 */
bool ike_guard_admit(struct ike_engine *e, const struct ike_endpoint *from, size_t init_len);
/* A debug line about a refusal, under the same rate limit. */
bool ike_guard_log_ok(struct ike_engine *e);

#endif
