/* SPDX-License-Identifier: MIT */
/*
 * Pre-shared key authentication (RFC 7296 2.15):
 *   AUTH = prf( prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets> )
 *   SignedOctets = RealMessage | NonceData(peer) | prf(SK_p, RestOfIDPayload)
 * where RealMessage is this side's IKE_SA_INIT message as sent, and
 * RestOfIDPayload the ID payload body (ID type, 3 reserved bytes, data).
 */
#ifndef IPSECGW_IKE_AUTH_PSK_H
#define IPSECGW_IKE_AUTH_PSK_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/alg.h"

struct ike_auth_input {
	uint16_t prf;
	const uint8_t *real_msg; /* this side's IKE_SA_INIT message */
	size_t real_msg_len;
	const uint8_t *peer_nonce; /* the other side's nonce data */
	size_t peer_nonce_len;
	const uint8_t *sk_p; /* SK_pi for the initiator's AUTH, SK_pr for the responder's */
	size_t sk_p_len;
	const uint8_t *id_body; /* ID payload without its generic header */
	size_t id_body_len;
};

/* Computes AUTH into out (alg_prf_len(prf) bytes); *out_len gets the length. */
int ike_auth_psk_compute(const struct ike_auth_input *in, const uint8_t *psk, size_t psk_len,
			 uint8_t out[static ALG_MAX_PRF], size_t *out_len);
/* 0 if auth matches (constant time), IG_EAUTH otherwise. */
int ike_auth_psk_verify(const struct ike_auth_input *in, const uint8_t *psk, size_t psk_len,
			const uint8_t *auth, size_t auth_len);

#endif
