/* SPDX-License-Identifier: MIT */
/*
 * IKEv2 payload bodies (RFC 7296 3.3-3.16) as plain structs, and their
 * parsers. Every parser takes the payload body (the bytes after the 4-byte
 * generic header), checks all of it through a struct buf_rd before
 * trusting any field, and fills the struct with values and bounded views
 * into the caller's buffer (nothing big is copied; the views live as long
 * as that buffer). The builders of ike_build.h take the same structs.
 *
 * Every parser returns 0 or a negative IG_E* code and, on failure, fills
 * *err (may be NULL) with a message naming the payload, the field and both
 * sizes, and the notify type to answer with.
 */
#ifndef IPSECGW_IKE_IKE_PL_H
#define IPSECGW_IKE_IKE_PL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/ikev2_wire.h"
#include "lib/addr.h"

struct ike_parse_err {
	char msg[160];
	uint16_t notify; /* IKEV2_N_* to answer with; 0 = nothing to say (drop) */
	uint8_t pl_type; /* UNSUPPORTED_CRITICAL_PAYLOAD: the type, its notify data (3.10.1) */
};

/* Records a failure in err (if not NULL) and returns code. */
int ike_parse_fail(struct ike_parse_err *err, int code, uint16_t notify, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A bounded view of bytes in the caller's datagram or decrypted buffer. */
struct ike_view {
	const uint8_t *p;
	size_t len;
};

/* SA payload (3.3). */
struct ike_xform {
	uint8_t type;	  /* IKEV2_XFORM_* (unknown types are kept: the engine rejects them) */
	uint16_t id;	  /* ALG_* of crypto/alg.h */
	uint16_t keylen;  /* Key Length attribute in bits, 0 if absent */
	bool unsupported; /* carried an attribute we do not know: never choose it (3.3.6) */
};

struct ike_proposal {
	uint8_t num;	  /* Proposal Num */
	uint8_t proto;	  /* IKEV2_PROTO_IKE, _AH or _ESP */
	uint8_t spi_size; /* 0 or 8 for IKE, 4 for AH/ESP */
	uint64_t spi;	  /* host order; an ESP SPI is in the low 32 bits */
	uint8_t nxf;
	struct ike_xform xf[IKE_MAX_TRANSFORMS];
};

struct ike_sa_pl {
	uint8_t nprop;
	struct ike_proposal prop[IKE_MAX_PROPOSALS];
};

/* KE (3.4). */
struct ike_ke {
	uint16_t group; /* ALG_DH_* */
	struct ike_view data;
};

/* Ni, Nr (3.9): 16..256 bytes (2.10). */
struct ike_nonce {
	struct ike_view data;
};

/* IDi, IDr (3.5). */
struct ike_id {
	uint8_t type; /* IKEV2_ID_* */
	struct ike_view data;
	/* The whole body (type, reserved, data): the AUTH octets hash it (2.15). */
	struct ike_view body;
};

/* AUTH (3.8). */
struct ike_auth {
	uint8_t method; /* IKEV2_AUTH_* */
	struct ike_view data;
};

/* CERT and CERTREQ (3.6, 3.7): only carried, not interpreted. */
struct ike_cert {
	uint8_t encoding;
	struct ike_view data;
};

/* N (3.10). */
struct ike_notify {
	uint8_t proto;	  /* IKEV2_PROTO_*; 0 when no SPI */
	uint8_t spi_size; /* 0, 4 or 8 */
	uint16_t type;	  /* IKEV2_N_* */
	uint64_t spi;	  /* host order, 0 if spi_size is 0 */
	struct ike_view data;
};

/* D (3.11). */
struct ike_delete {
	uint8_t proto; /* IKE: spi_size 0, no SPIs; AH/ESP: spi_size 4 */
	uint8_t spi_size;
	uint16_t nspi;
	struct ike_view spis; /* nspi * spi_size bytes; read with ike_delete_spi() */
};

/* TSi, TSr (3.13). */
struct ike_ts {
	uint8_t type;		       /* IKEV2_TS_IPV4_ADDR_RANGE or _IPV6_ADDR_RANGE */
	uint8_t proto;		       /* IP protocol, 0 = any */
	uint16_t start_port, end_port; /* 0-65535 any; 65535-0 OPAQUE (3.13.1) */
	struct addr start, end;	       /* start <= end, same family */
};

struct ike_ts_pl {
	uint8_t count;	 /* selectors we understood, in ts[] */
	uint8_t skipped; /* selectors of other types (FC, SECLABEL), skipped */
	struct ike_ts ts[IKE_MAX_TS];
};

/* V (3.12). */
struct ike_vendor {
	struct ike_view data;
};

/* CP (3.15). */
struct ike_cp_attr {
	uint16_t type; /* IKEV2_CFG_ATTR_* (15 bits) */
	struct ike_view value;
};

struct ike_cp {
	uint8_t type; /* IKEV2_CFG_REQUEST .. IKEV2_CFG_ACK */
	uint8_t nattr;
	struct ike_cp_attr attr[IKE_MAX_CP_ATTRS];
};

int ike_pl_sa_parse(struct ike_view body, struct ike_sa_pl *out, struct ike_parse_err *err);
int ike_pl_ke_parse(struct ike_view body, struct ike_ke *out, struct ike_parse_err *err);
int ike_pl_nonce_parse(struct ike_view body, struct ike_nonce *out, struct ike_parse_err *err);
int ike_pl_id_parse(struct ike_view body, struct ike_id *out, struct ike_parse_err *err);
int ike_pl_auth_parse(struct ike_view body, struct ike_auth *out, struct ike_parse_err *err);
int ike_pl_cert_parse(struct ike_view body, struct ike_cert *out, struct ike_parse_err *err);
int ike_pl_notify_parse(struct ike_view body, struct ike_notify *out, struct ike_parse_err *err);
int ike_pl_delete_parse(struct ike_view body, struct ike_delete *out, struct ike_parse_err *err);
int ike_pl_ts_parse(struct ike_view body, struct ike_ts_pl *out, struct ike_parse_err *err);
int ike_pl_vendor_parse(struct ike_view body, struct ike_vendor *out, struct ike_parse_err *err);
int ike_pl_cp_parse(struct ike_view body, struct ike_cp *out, struct ike_parse_err *err);

/*
 * Validates the body of a payload of the given type (IKEV2_PL_*) by parsing
 * it into a scratch struct. Types without a body format of their own (EAP,
 * SK, unknown) pass.
 */
int ike_pl_validate(uint8_t type, struct ike_view body, struct ike_parse_err *err);

/* The i-th SPI of an ESP/AH Delete payload (0 if i is out of range). */
uint32_t ike_delete_spi(const struct ike_delete *d, size_t i);

/*
 * Typed notify data. Each checks the type and the data format, returns 0 or
 * IG_EINVAL (wrong type) / IG_ETRUNC / IG_ERANGE with err filled.
 * ike_pl_notify_parse() already runs the matching check on these types.
 */
/* NAT_DETECTION_SOURCE_IP / _DESTINATION_IP: SHA-1 of SPIs, address, port (2.23). */
int ike_notify_nat_d(const struct ike_notify *n, const uint8_t **hash, struct ike_parse_err *err);
/* COOKIE: 1..64 bytes (2.6). */
int ike_notify_cookie(const struct ike_notify *n, struct ike_view *cookie,
		      struct ike_parse_err *err);
/* INVALID_KE_PAYLOAD: the 2-byte group the responder wants (1.2). */
int ike_notify_invalid_ke(const struct ike_notify *n, uint16_t *group, struct ike_parse_err *err);
/* REKEY_SA: protocol and 4-byte SPI of the Child SA being rekeyed (1.3.3). */
int ike_notify_rekey_sa(const struct ike_notify *n, uint8_t *proto, uint32_t *spi,
			struct ike_parse_err *err);
/* SIGNATURE_HASH_ALGORITHMS: list of 2-byte hash IDs (RFC 7427 4). */
int ike_notify_sig_hashes(const struct ike_notify *n, uint16_t out[static IKE_MAX_SIG_HASHES],
			  size_t *count, struct ike_parse_err *err);

#endif
