/* SPDX-License-Identifier: MIT */
/*
 * Proposals between the config (struct proposal, strongSwan syntax) and the
 * wire (struct ike_sa_pl): building our offer, choosing from a peer's offer
 * as responder, and checking a responder's answer as initiator
 * (RFC 7296 2.7, 3.3).
 */
#ifndef IPSECGW_IKE_SELECT_H
#define IPSECGW_IKE_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/proposal.h"
#include "ike/ike_pl.h"

/* One algorithm of each transform type: what an SA runs with. */
struct ike_chosen {
	uint8_t num;   /* the peer's Proposal Num (echoed back in the answer) */
	uint8_t proto; /* IKEV2_PROTO_IKE or _ESP */
	uint16_t encr, encr_keybits, prf, integ, dh, esn;
	uint64_t spi; /* the peer's SPI from its proposal */
};

/*
 * Our offer: one wire proposal per config proposal, numbered from 1. spi
 * and spi_size go in every proposal (0/0 in IKE_SA_INIT, 8 for an IKE
 * rekey, 4 for ESP). Without with_dh the DH transforms are left out (the
 * CHILD SA of IKE_AUTH has no KE exchange, RFC 7296 1.2).
 */
int ike_offer_build(const struct proposal *props, size_t n, uint8_t proto, uint64_t spi,
		    uint8_t spi_size, bool with_dh, struct ike_sa_pl *out);

/*
 * Responder: the first of our proposals (our order of preference) that one
 * of the peer's proposals of protocol proto matches; within it, our first
 * algorithm of each type that the peer also offers. With ignore_dh the DH
 * transforms of both sides are ignored and out->dh is 0. IG_ENOENT if
 * nothing matches.
 */
int ike_select(const struct proposal *ours, size_t n, const struct ike_sa_pl *peer,
	       uint8_t proto, bool ignore_dh, struct ike_chosen *out);

/*
 * Initiator: the responder's answer must be one proposal with exactly one
 * algorithm of each type, all of them within one proposal we offered.
 * IG_EINVAL (with why) otherwise.
 */
int ike_check_answer(const struct proposal *ours, size_t n, const struct ike_sa_pl *answer,
		     uint8_t proto, bool ignore_dh, struct ike_chosen *out, char *why,
		     size_t whylen);

/* The answer: a one-proposal SA payload for chosen, carrying spi. */
void ike_answer_build(const struct ike_chosen *c, uint64_t spi, uint8_t spi_size,
		      struct ike_sa_pl *out);

/*
 * Registry names for logs: "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024".
 * ike_chosen_names for one SA; ike_offer_names for a peer's whole offer,
 * proposals separated by ", ".
 */
const char *ike_chosen_names(const struct ike_chosen *c, char *out, size_t outlen);
const char *ike_offer_names(const struct ike_sa_pl *sa, uint8_t proto, char *out, size_t outlen);
/* Our configured proposals the same way. */
const char *ike_config_names(const struct proposal *props, size_t n, char *out, size_t outlen);

#endif
