/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/crypto: the key exchange families behind crypto_dh_*.
 * Each family makes our key pair (priv NULL = fresh random key), writes our
 * public value in KE payload format, and turns a peer's KE data into a key
 * after checking it (wrong length or value: IG_EINVAL).
 */
#ifndef IPSECGW_CRYPTO_DH_IMPL_H
#define IPSECGW_CRYPTO_DH_IMPL_H

#include "crypto/evp.h"

#include <stddef.h>
#include <stdint.h>

struct crypto_dh {
	uint16_t group;
	EVP_PKEY *key; /* our key pair; EVP_PKEY_free() clears the private part */
};

/* MODP groups 2, 5, 14, 15, 16 (dh_modp.c). */
int crypto_dh_modp_key(EVP_PKEY **out, uint16_t group, const uint8_t *priv, size_t privlen);
int crypto_dh_modp_pub(EVP_PKEY *key, uint16_t group, uint8_t *out, size_t len);
int crypto_dh_modp_peer(EVP_PKEY **out, uint16_t group, const uint8_t *pub, size_t len);

/* ECP groups 19, 20, 21 (dh_ec.c). */
int crypto_dh_ecp_key(EVP_PKEY **out, uint16_t group, const uint8_t *priv, size_t privlen);
int crypto_dh_ecp_pub(EVP_PKEY *key, uint16_t group, uint8_t *out, size_t len);
int crypto_dh_ecp_peer(EVP_PKEY **out, uint16_t group, const uint8_t *pub, size_t len);

/* Curve25519, group 31 (dh_ec.c). */
int crypto_dh_x25519_key(EVP_PKEY **out, const uint8_t *priv, size_t privlen);
int crypto_dh_x25519_pub(EVP_PKEY *key, uint8_t *out, size_t len);
int crypto_dh_x25519_peer(EVP_PKEY **out, const uint8_t *pub, size_t len);

#endif
