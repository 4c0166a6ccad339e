/* SPDX-License-Identifier: MIT */
/*
 * OpenSSL 3 wrappers. Algorithms are fetched once in crypto_init(); per-SA
 * objects hold a prepared context with the key already set, so per packet
 * only the IV/nonce is set (LAB.md measurements). Nothing here allocates
 * per packet. Every object holding a key wipes it on free.
 */
#ifndef IPSECGW_CRYPTO_CRYPTO_H
#define IPSECGW_CRYPTO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/alg.h"

/* Fetch every algorithm once; idempotent. 0 or IG_ECRYPTO. */
int crypto_init(void);
void crypto_cleanup(void);

/* A piece of a non-contiguous input (ESN high bits, IKE header + body). */
struct crypto_iov {
	const void *p;
	size_t len;
};

/* CSPRNG (OpenSSL's RAND_priv_bytes for keys, RAND_bytes otherwise). */
int crypto_random(void *buf, size_t n);
int crypto_random_priv(void *buf, size_t n);

/*
 * Block cipher for AES-CBC (RFC 3602), in place, len a multiple of 16.
 */
struct crypto_cipher;
int crypto_cipher_new(struct crypto_cipher **out, uint16_t encr, unsigned keybits,
		      const uint8_t *key, size_t keylen, bool encrypt);
int crypto_cipher_crypt(struct crypto_cipher *c, const uint8_t iv[static 16], uint8_t *data,
			size_t len);
void crypto_cipher_free(struct crypto_cipher *c);

/*
 * AEAD: AES-GCM with 8/12/16-octet ICV (RFC 4106, RFC 5282), ChaCha20-
 * Poly1305 (RFC 7634), AES-GMAC (RFC 4543: everything is AAD, len 0).
 * key is the KEYMAT slice: cipher key followed by the 4-byte salt; the
 * nonce is salt || iv (8 bytes, sent on the wire).
 */
struct crypto_aead;
int crypto_aead_new(struct crypto_aead **out, uint16_t encr, unsigned keybits, const uint8_t *key,
		    size_t keylen, bool encrypt);
size_t crypto_aead_icv_len(const struct crypto_aead *a);
/* Encrypts data[0..len) in place and writes the ICV to icv. */
int crypto_aead_seal(struct crypto_aead *a, const uint8_t iv[static 8],
		     const struct crypto_iov *aad, int naad, uint8_t *data, size_t len,
		     uint8_t *icv);
/* Verifies and decrypts in place; IG_EAUTH if the ICV does not match. */
int crypto_aead_open(struct crypto_aead *a, const uint8_t iv[static 8],
		     const struct crypto_iov *aad, int naad, uint8_t *data, size_t len,
		     const uint8_t *icv);
void crypto_aead_free(struct crypto_aead *a);

/*
 * Truncated HMAC integrity (RFC 2404, RFC 4868): HMAC-SHA1-96,
 * HMAC-SHA2-256-128, -384-192, -512-256. The MAC context is keyed once and
 * re-initialised per message.
 */
struct crypto_integ;
int crypto_integ_new(struct crypto_integ **out, uint16_t integ, const uint8_t *key, size_t keylen);
size_t crypto_integ_icv_len(const struct crypto_integ *i);
int crypto_integ_compute(struct crypto_integ *i, const struct crypto_iov *iov, int niov,
			 uint8_t *icv);
/* Constant-time compare; 0 if equal, IG_EAUTH otherwise. */
int crypto_integ_verify(struct crypto_integ *i, const struct crypto_iov *iov, int niov,
			const uint8_t *icv);
void crypto_integ_free(struct crypto_integ *i);

/* PRF (RFC 7296 2.13): out gets alg_prf_len(prf) bytes. Any key length. */
int crypto_prf(uint16_t prf, const uint8_t *key, size_t keylen, const struct crypto_iov *iov,
	       int niov, uint8_t *out);
/* prf+ (RFC 7296 2.13): T1 | T2 | ... truncated to outlen (<= 255 * prf len). */
int crypto_prf_plus(uint16_t prf, const uint8_t *key, size_t keylen, const uint8_t *seed,
		    size_t seedlen, uint8_t *out, size_t outlen);

/*
 * Diffie-Hellman / key exchange. Public values in IKEv2 KE payload format:
 * MODP big-endian left-padded to the prime length (RFC 7296 3.4), ECP x||y
 * each padded to the field size (RFC 5903 7), X25519 32 bytes (RFC 8031).
 * crypto_dh_shared() validates the peer value (length, range, on-curve) and
 * returns the shared secret in the same fixed-length format.
 */
struct crypto_dh;
int crypto_dh_new(struct crypto_dh **out, uint16_t group);
/* For known-answer tests: a fixed private value (MODP exponent, EC scalar, X25519 key). */
int crypto_dh_new_from_private(struct crypto_dh **out, uint16_t group, const uint8_t *priv,
			       size_t privlen);
uint16_t crypto_dh_group(const struct crypto_dh *dh);
int crypto_dh_public(const struct crypto_dh *dh, uint8_t *out, size_t cap, size_t *outlen);
int crypto_dh_shared(struct crypto_dh *dh, const uint8_t *peer, size_t peerlen, uint8_t *out,
		     size_t cap, size_t *outlen);
void crypto_dh_free(struct crypto_dh *dh);

#endif
