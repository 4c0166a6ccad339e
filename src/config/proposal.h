/* SPDX-License-Identifier: MIT */
/*
 * Proposal strings in strongSwan syntax ("aes256-sha256-modp1024",
 * "aes128-aes256-sha256-sha1-modp2048-modp1024", "aes256gcm16-prfsha384-ecp384!")
 * to transform lists and back. One string is one proposal; several
 * algorithms of one transform type in it are alternatives (RFC 7296 3.3).
 *
 * Algorithms are the IANA transform IDs of crypto/alg.h.
 */
#ifndef IPSECGW_CONFIG_PROPOSAL_H
#define IPSECGW_CONFIG_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum proposal_kind {
	PROPOSAL_IKE,
	PROPOSAL_ESP,
};

/* Most algorithms of one transform type in one proposal. */
#define PROPOSAL_MAX_ALGS 16
/* Longest proposal text we accept (and the size of the error buffer we fill). */
#define PROPOSAL_MAX_TEXT 512
#define PROPOSAL_ERRLEN	  256

struct proposal_encr {
	uint16_t id;	  /* ALG_ENCR_* */
	uint16_t keybits; /* Key Length attribute: 128/192/256; 0 for fixed-size (ChaCha, NULL) */
};

struct proposal {
	enum proposal_kind kind;
	bool strict;	  /* written with a trailing '!' (strongSwan: offer only these) */
	bool prf_implied; /* IKE: the PRFs were derived from the integrity algorithms */
	bool aead;	  /* the encryption algorithms are AEADs (GCM, ChaCha20-Poly1305, GMAC) */
	size_t n_encr, n_integ, n_prf, n_dh, n_esn;
	struct proposal_encr encr[PROPOSAL_MAX_ALGS];
	uint16_t integ[PROPOSAL_MAX_ALGS]; /* ALG_INTEG_* */
	uint16_t prf[PROPOSAL_MAX_ALGS];   /* ALG_PRF_* (IKE only) */
	uint16_t dh[PROPOSAL_MAX_ALGS];	   /* ALG_DH_*; in ESP the PFS group(s) */
	uint16_t esn[2];		   /* ALG_ESN_* (ESP only); none listed = no ESN */
};

/*
 * Parses one proposal. On error returns IG_EINVAL and writes a sentence
 * into err ("unknown algorithm 'aes257' in proposal 'aes257-sha256-modp1024'").
 * err may be NULL.
 */
int proposal_parse(const char *s, enum proposal_kind kind, struct proposal *p, char *err,
		   size_t errlen);

/*
 * Canonical strongSwan text ("aes256-sha256-modp1024", aliases such as
 * "sha2_256" or "x25519" replaced, implied PRFs left out, '!' kept).
 * IG_ENOSPC if out is too small.
 */
int proposal_format(const struct proposal *p, char *out, size_t outlen);

/*
 * IKEv2 registry names as strongSwan and VyOS print them, '/'-separated:
 * "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024" (PRFs are
 * listed also when implied; ESN only when listed). In proposal_names.c
 * because it needs crypto/alg.c.
 */
int proposal_registry_names(const struct proposal *p, char *out, size_t outlen);

/* The PRF strongSwan pairs with an integrity algorithm ("sha256" -> prfsha256). */
uint16_t proposal_prf_for_integ(uint16_t integ);

bool proposal_equal(const struct proposal *a, const struct proposal *b);

#endif
