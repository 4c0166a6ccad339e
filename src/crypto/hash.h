/* SPDX-License-Identifier: MIT */
/*
 * Plain message digests (NAT detection hashes, RFC 7296 2.23, use SHA-1).
 */
#ifndef IPSECGW_CRYPTO_HASH_H
#define IPSECGW_CRYPTO_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

#define CRYPTO_SHA1_LEN 20

/* SHA-1 over the concatenation of iov[0..niov). */
int crypto_sha1(const struct crypto_iov *iov, int niov, uint8_t out[static CRYPTO_SHA1_LEN]);

#endif
