/* SPDX-License-Identifier: MIT */
/* The MODP group primes (RFC 2409 6.2, RFC 3526); the generator is 2 for all. */
#ifndef IPSECGW_CRYPTO_MODP_H
#define IPSECGW_CRYPTO_MODP_H

#include <stdint.h>

#define CRYPTO_MODP_GENERATOR 2

/* Big-endian hex of the prime of a MODP group id (2, 5, 14, 15, 16), or NULL. */
const char *crypto_modp_prime_hex(uint16_t group);

#endif
