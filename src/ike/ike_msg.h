/* SPDX-License-Identifier: MIT */
/*
 * IKEv2 message parsing (RFC 7296 3.1-3.2): the fixed header and the
 * generic payload chain, in the clear and, after the engine has decrypted
 * the SK payload, inside it.
 *
 * ike_msg_parse() checks the header, walks the chain (next payload, critical
 * bit, lengths), validates the body of every known payload (ike_pl_validate)
 * and records each as a bounded view, in order. It copies nothing: the views
 * point into the caller's datagram (and, after ike_msg_parse_inner(), into
 * the caller's plaintext buffer), which must outlive the struct ike_msg.
 * Decode a payload into its struct with the ike_pl_*_parse() of ike_pl.h.
 */
#ifndef IPSECGW_IKE_IKE_MSG_H
#define IPSECGW_IKE_IKE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/ike_pl.h"
#include "ike/ikev2_wire.h"

/* Fixed header (3.1), integers in host order. */
struct ike_hdr {
	uint64_t spi_i, spi_r;
	uint8_t next; /* first payload type */
	uint8_t major, minor;
	uint8_t exchange; /* IKEV2_EXCH_* */
	uint8_t flags;	  /* IKEV2_FLAG_*, unknown bits cleared */
	uint32_t msg_id;
	uint32_t length;
};

/* One payload of the chain. */
struct ike_pl {
	uint8_t type;	      /* IKEV2_PL_* (never an unknown type: those are skipped) */
	bool critical;	      /* the C bit as received */
	bool inner;	      /* from the decrypted SK chain */
	uint16_t notify;      /* for IKEV2_PL_NOTIFY: its type, for ike_msg_find_notify() */
	struct ike_view body; /* after the generic header */
};

struct ike_msg {
	struct ike_hdr hdr;
	struct ike_view raw; /* the whole datagram */
	uint8_t npl;
	uint8_t nnotify;
	uint8_t nskipped; /* unknown non-critical payloads skipped (2.5) */
	struct ike_pl pl[IKE_MAX_PAYLOADS];

	/*
	 * SK (3.14) or SKF (RFC 7383 2.5), always the last payload. sk covers
	 * IV | ciphertext | ICV. raw[0 .. sk_iv_off) is the AEAD associated data
	 * (RFC 5282 5.1); integrity covers raw[0 .. raw.len - ICV length).
	 */
	bool has_sk;
	bool frag;	 /* it is an SKF */
	bool decrypted;	 /* ike_msg_parse_inner() has run */
	uint8_t sk_next; /* first payload type of the encrypted chain (0 in SKF > 1) */
	uint16_t frag_num, frag_total; /* SKF only */
	struct ike_view sk;
	size_t sk_iv_off;
};

/*
 * Checks the fixed header of a datagram: at least 28 bytes, length field ==
 * len (<= IKE_MAX_MSG_LEN), major version 2 (else IG_ENOTSUP, notify
 * INVALID_MAJOR_VERSION, *h still filled so an IKEv1 engine can take it),
 * exchange IKE_SA_INIT..INFORMATIONAL (else IG_ENOTSUP), SPIi not zero.
 */
int ike_hdr_parse(const uint8_t *pkt, size_t len, struct ike_hdr *h, struct ike_parse_err *err);

/*
 * Parses a whole datagram: header, then the clear payload chain. Unknown
 * payload types are skipped unless critical (IG_ENOTSUP, notify
 * UNSUPPORTED_CRITICAL_PAYLOAD, err->pl_type = the type; 2.5). In
 * IKE_SA_INIT no payload that is only legal inside SK may appear, nor SK;
 * every other exchange must carry exactly its SK/SKF and nothing else in
 * the clear (3.14). SK must be the last payload.
 */
int ike_msg_parse(const uint8_t *pkt, size_t len, struct ike_msg *m, struct ike_parse_err *err);

/*
 * Parses the decrypted chain of the SK payload (first = m->sk_next,
 * plain/len = the plaintext without IV, padding, pad length and ICV) the
 * same way, appending its payloads to m with inner = true. No SK/SKF may
 * appear inside.
 */
int ike_msg_parse_inner(uint8_t first, const uint8_t *plain, size_t len, struct ike_msg *m,
			struct ike_parse_err *err);

/* The first payload of type after `after` (NULL: from the start), or NULL. */
const struct ike_pl *ike_msg_find(const struct ike_msg *m, uint8_t type,
				  const struct ike_pl *after);
/* The first Notify payload of the given notify type, or NULL. */
const struct ike_pl *ike_msg_find_notify(const struct ike_msg *m, uint16_t type);
size_t ike_msg_count(const struct ike_msg *m, uint8_t type);

static inline bool ike_hdr_is_response(const struct ike_hdr *h)
{
	return (h->flags & IKEV2_FLAG_RESPONSE) != 0;
}
static inline bool ike_hdr_from_initiator(const struct ike_hdr *h)
{
	return (h->flags & IKEV2_FLAG_INITIATOR) != 0;
}

#endif
