/* SPDX-License-Identifier: MIT */
/*
 * IKEv2 message builder (RFC 7296 3.1-3.16) into a caller's struct buf_wr.
 *
 * ike_bld_init() writes the fixed header; every ike_bld_*() payload call
 * appends one payload and patches the previous payload's Next Payload field
 * (or the header's) with its type, so the chain links itself;
 * ike_bld_end() patches the header's Length. ike_bld_init_inner() builds a
 * bare chain to be encrypted into SK: ike_bld_end() then returns its first
 * payload type for the SK header.
 *
 * The payload calls take the structs of ike_pl.h. All return 0 or IG_ENOSPC
 * (buffer full), IG_EINVAL (a value the wire cannot carry, e.g. a nonce of
 * 8 bytes or a payload over 65535 bytes) or IG_ESTATE (a payload after SK).
 * A payload call that fails leaves the message as it was before the call.
 */
#ifndef IPSECGW_IKE_IKE_BUILD_H
#define IPSECGW_IKE_IKE_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/ike_msg.h"
#include "ike/ike_pl.h"
#include "lib/buf.h"

struct ike_bld {
	struct buf_wr *w;
	size_t start;	 /* offset of the IKE header (or of the bare chain) in w */
	size_t next_off; /* offset of the Next Payload byte to patch with the next type */
	uint8_t first;	 /* first payload type (IKEV2_PL_NONE while empty) */
	bool inner;	 /* bare chain, no header */
	bool sealed;	 /* SK/SKF written: it must stay last (3.14) */
	/* The payload being written, and the chain before it (to take it out on failure). */
	size_t open;
	size_t undo_next_off;
	uint8_t undo_first;
};

/*
 * Writes the header: SPIs, exchange, flags, message ID from h; version 2.0;
 * next payload and length are filled in later (h->next, h->length unused).
 */
int ike_bld_init(struct ike_bld *b, struct buf_wr *w, const struct ike_hdr *h);
/* Starts a bare payload chain (the plaintext of an SK payload). */
int ike_bld_init_inner(struct ike_bld *b, struct buf_wr *w);
/*
 * Finishes: patches the header Length. *len (optional) = bytes from the
 * header (or chain) start; *first (optional) = first payload type.
 */
int ike_bld_end(struct ike_bld *b, size_t *len, uint8_t *first);

/* Any payload from its body bytes (also for types we do not model, e.g. EAP). */
int ike_bld_raw(struct ike_bld *b, uint8_t type, bool critical, const uint8_t *body, size_t len);

int ike_bld_sa(struct ike_bld *b, const struct ike_sa_pl *sa);
int ike_bld_ke(struct ike_bld *b, const struct ike_ke *ke);
int ike_bld_nonce(struct ike_bld *b, const uint8_t *nonce, size_t len);
/* pl_type: IKEV2_PL_IDI or IKEV2_PL_IDR; uses id->type and id->data. */
int ike_bld_id(struct ike_bld *b, uint8_t pl_type, const struct ike_id *id);
int ike_bld_auth(struct ike_bld *b, const struct ike_auth *auth);
/* pl_type: IKEV2_PL_CERT or IKEV2_PL_CERTREQ. */
int ike_bld_cert(struct ike_bld *b, uint8_t pl_type, const struct ike_cert *cert);
/* Uses n->proto, n->spi_size (0, 4, 8), n->spi, n->type, n->data. */
int ike_bld_notify(struct ike_bld *b, const struct ike_notify *n);
/* A notify about the IKE SA (no SPI) with optional data. */
int ike_bld_notify_simple(struct ike_bld *b, uint16_t type, const uint8_t *data, size_t len);
/* type: NAT_DETECTION_SOURCE_IP or NAT_DETECTION_DESTINATION_IP. */
int ike_bld_notify_nat_d(struct ike_bld *b, uint16_t type,
			 const uint8_t hash[static IKEV2_NAT_DETECTION_LEN]);
int ike_bld_notify_cookie(struct ike_bld *b, const uint8_t *cookie, size_t len);
int ike_bld_notify_invalid_ke(struct ike_bld *b, uint16_t group);
int ike_bld_notify_rekey_sa(struct ike_bld *b, uint8_t proto, uint32_t spi);
int ike_bld_notify_sig_hashes(struct ike_bld *b, const uint16_t *hashes, size_t n);
/* proto IKEV2_PROTO_IKE with n = 0, or ESP/AH with 1..IKE_MAX_DELETE_SPIS SPIs. */
int ike_bld_delete(struct ike_bld *b, uint8_t proto, const uint32_t *spis, size_t n);
/* pl_type: IKEV2_PL_TSI or IKEV2_PL_TSR; the TS type follows each start address family. */
int ike_bld_ts(struct ike_bld *b, uint8_t pl_type, const struct ike_ts *ts, size_t n);
int ike_bld_vendor(struct ike_bld *b, const uint8_t *vid, size_t len);
int ike_bld_cp(struct ike_bld *b, const struct ike_cp *cp);

/*
 * Appends the SK payload (3.14) with inner_first in its Next Payload field
 * and body_len bytes reserved for IV | ciphertext | ICV, returned in *body
 * for the engine to fill after ike_bld_end(). *iv_off (optional) is the
 * offset of the IV from the message start: the AEAD associated data is
 * the message up to there (RFC 5282 5.1).
 */
int ike_bld_sk(struct ike_bld *b, uint8_t inner_first, size_t body_len, uint8_t **body,
	       size_t *iv_off);
/* Same for one SKF fragment (RFC 7383 2.5); inner_first only in fragment 1. */
int ike_bld_skf(struct ike_bld *b, uint8_t inner_first, uint16_t frag_num, uint16_t frag_total,
		size_t body_len, uint8_t **body, size_t *iv_off);

#endif
