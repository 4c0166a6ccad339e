/* SPDX-License-Identifier: MIT */
/*
 * Traffic selectors (RFC 7296 2.9): our proposal from the config, narrowing
 * as responder, and checking the responder's narrowing as initiator.
 */
#ifndef IPSECGW_IKE_TSEL_H
#define IPSECGW_IKE_TSEL_H

#include <stdbool.h>
#include <stddef.h>

#include "ike/ike_pl.h"
#include "lib/addr.h"

/* Selectors for a list of subnets: any protocol, all ports. */
int ike_tsel_from_cidrs(const struct cidr *c, size_t n, struct ike_ts_pl *out);
/* 0.0.0.0/0 and ::/0 (route-based tunnels, like VyOS' VTI). */
void ike_tsel_any(struct ike_ts_pl *out);

/*
 * Responder narrowing: every non-empty intersection of a peer selector with
 * one of our subnets, keeping the peer's protocol and ports (our config
 * does not restrict them). IG_ENOENT if nothing is left (TS_UNACCEPTABLE).
 */
int ike_tsel_narrow(const struct ike_ts_pl *peer, const struct cidr *ours, size_t n,
		    struct ike_ts_pl *out);

/* Initiator check: every selector of got lies inside one of offered. */
bool ike_tsel_within(const struct ike_ts_pl *got, const struct ike_ts_pl *offered);

/* "192.168.0.0/24 10.0.2.0/24" (ranges that are no prefix as "a-b"). */
const char *ike_tsel_format(const struct ike_ts_pl *ts, char *out, size_t outlen);
/* One selector as text, as above. */
const char *ike_ts_format(const struct ike_ts *t, char *out, size_t outlen);

#endif
