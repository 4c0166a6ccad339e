/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/crypto: the OpenSSL algorithm objects fetched once by
 * crypto_init() (LAB.md: fetching or passing a cipher per packet costs more
 * than the encryption itself). Include this first in every .c of src/crypto so no
 * deprecated OpenSSL API can creep in.
 */
#ifndef IPSECGW_CRYPTO_EVP_H
#define IPSECGW_CRYPTO_EVP_H

#ifndef OPENSSL_NO_DEPRECATED
#define OPENSSL_NO_DEPRECATED
#endif
#ifndef OPENSSL_API_COMPAT
#define OPENSSL_API_COMPAT 30000
#endif

#include <stdint.h>

#include <openssl/evp.h>

/* The cipher for encr/keybits (AES-*-CBC, AES-*-GCM, ChaCha20-Poly1305), or NULL. */
const EVP_CIPHER *crypto_evp_cipher(uint16_t encr, unsigned keybits);
/* The HMAC EVP_MAC. */
EVP_MAC *crypto_evp_hmac(void);
/* The OSSL_MAC_PARAM_DIGEST name for a PRF id ("SHA2-256"), or NULL. */
const char *crypto_evp_prf_digest(uint16_t prf);

/*
 * A MAC context for HMAC with the digest of prf, keyed with key (any length,
 * also 0). Re-initialise per message with EVP_MAC_init(ctx, NULL, 0, NULL).
 */
int crypto_evp_hmac_new(EVP_MAC_CTX **out, uint16_t prf, const uint8_t *key, size_t keylen);

#endif
