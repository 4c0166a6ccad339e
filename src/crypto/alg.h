/* SPDX-License-Identifier: MIT */
/*
 * Algorithm identifiers. We use the IANA "IKEv2 Transform Type" numbers
 * (RFC 7296 3.3.2 and the IANA registry) as the one identity of an algorithm
 * across config, IKE and ESP; IKEv1 maps to them at its edge.
 *
 * The alg_* functions describe algorithms (sizes, names); they allocate
 * nothing and touch no OpenSSL state.
 */
#ifndef IPSECGW_CRYPTO_ALG_H
#define IPSECGW_CRYPTO_ALG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Transform type 1: encryption (RFC 7296 3.3.2, RFC 5282, RFC 4543, RFC 7634). */
enum alg_encr {
	ALG_ENCR_NONE = 0,
	ALG_ENCR_AES_CBC = 12,
	ALG_ENCR_NULL = 11,
	ALG_ENCR_AES_GCM_8 = 18,
	ALG_ENCR_AES_GCM_12 = 19,
	ALG_ENCR_AES_GCM_16 = 20,
	ALG_ENCR_NULL_AUTH_AES_GMAC = 21,
	ALG_ENCR_CHACHA20_POLY1305 = 28,
};

/* Transform type 2: pseudo-random function (RFC 4868). */
enum alg_prf {
	ALG_PRF_NONE = 0,
	ALG_PRF_HMAC_SHA1 = 2,
	ALG_PRF_HMAC_SHA2_256 = 5,
	ALG_PRF_HMAC_SHA2_384 = 6,
	ALG_PRF_HMAC_SHA2_512 = 7,
};

/* Transform type 3: integrity (RFC 2404, RFC 4868). */
enum alg_integ {
	ALG_INTEG_NONE = 0,
	ALG_INTEG_HMAC_SHA1_96 = 2,
	ALG_INTEG_HMAC_SHA2_256_128 = 12,
	ALG_INTEG_HMAC_SHA2_384_192 = 13,
	ALG_INTEG_HMAC_SHA2_512_256 = 14,
};

/* Transform type 4: Diffie-Hellman group (RFC 2409, 3526, 5903, 8031). */
enum alg_dh {
	ALG_DH_NONE = 0,
	ALG_DH_MODP_1024 = 2,
	ALG_DH_MODP_1536 = 5,
	ALG_DH_MODP_2048 = 14,
	ALG_DH_MODP_3072 = 15,
	ALG_DH_MODP_4096 = 16,
	ALG_DH_ECP_256 = 19,
	ALG_DH_ECP_384 = 20,
	ALG_DH_ECP_521 = 21,
	ALG_DH_CURVE25519 = 31,
};

/* Transform type 5: extended sequence numbers. */
enum alg_esn {
	ALG_ESN_NO = 0,
	ALG_ESN_YES = 1,
};

/* Largest sizes, for stack buffers. */
#define ALG_MAX_KEY	  36 /* AES-256 key + 4-byte salt (GCM/GMAC/ChaCha) */
#define ALG_MAX_ICV	  32 /* HMAC-SHA2-512-256 */
#define ALG_MAX_IV	  16 /* AES-CBC */
#define ALG_MAX_BLOCK	  16
#define ALG_MAX_PRF	  64  /* HMAC-SHA2-512 */
#define ALG_MAX_DH_PUB	  512 /* MODP 4096 */
#define ALG_MAX_DH_SECRET 512

/*
 * Encryption descriptions. keybits is the Key Length attribute (0 = fixed).
 * Every *_name() returns a static string, never NULL: "NONE" for id 0,
 * "UNKNOWN" for an id we do not implement.
 */
bool alg_encr_known(uint16_t id);
bool alg_encr_is_aead(uint16_t id); /* GCM, ChaCha20-Poly1305, GMAC */
bool alg_encr_keybits_ok(uint16_t id, unsigned keybits);
/* Key bytes to derive from KEYMAT, including the salt of AEADs (RFC 4106 8.1, RFC 5282). */
size_t alg_encr_keymat_len(uint16_t id, unsigned keybits);
size_t alg_encr_salt_len(uint16_t id);	/* 4 for GCM/GMAC/ChaCha, else 0 */
size_t alg_encr_iv_len(uint16_t id);	/* bytes of IV on the wire */
size_t alg_encr_block_len(uint16_t id); /* padding alignment: 16 CBC, 4 AEAD (RFC 4303 2.4) */
size_t alg_encr_icv_len(uint16_t id);	/* AEAD ICV; 0 for non-AEAD */
/* "AES_CBC_256", "AES_GCM_16_128", "CHACHA20_POLY1305", "NULL_AUTH_AES_GMAC_256". */
const char *alg_encr_name(uint16_t id, unsigned keybits);

bool alg_integ_known(uint16_t id);
size_t alg_integ_key_len(uint16_t id);	 /* 20, 32, 48, 64 */
size_t alg_integ_icv_len(uint16_t id);	 /* truncated: 12, 16, 24, 32 */
const char *alg_integ_name(uint16_t id); /* "HMAC_SHA2_256_128" */

bool alg_prf_known(uint16_t id);
size_t alg_prf_len(uint16_t id);       /* output and preferred key size */
const char *alg_prf_name(uint16_t id); /* "PRF_HMAC_SHA2_256" */
/* The PRF strongSwan pairs with an integrity algorithm in "aes256-sha256". */
uint16_t alg_prf_for_integ(uint16_t integ);

bool alg_dh_known(uint16_t id);
size_t alg_dh_pub_len(uint16_t id);    /* KE payload data length */
size_t alg_dh_secret_len(uint16_t id); /* shared secret length (ECP: x only) */
const char *alg_dh_name(uint16_t id);  /* "MODP_1024", "ECP_256", "CURVE_25519" */

#endif
