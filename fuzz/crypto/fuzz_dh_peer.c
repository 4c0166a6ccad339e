/* SPDX-License-Identifier: MIT */
/*
 * Peer KE data validation (crypto_dh_shared): the first input byte picks a
 * group, the rest is the peer's public value as it would arrive in a KE
 * payload. Whatever it is, the call must fail cleanly or give a secret of
 * exactly the group's length; never crash, leak or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "lib/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t groups[] = {
	ALG_DH_MODP_1024, ALG_DH_MODP_1536, ALG_DH_MODP_2048, ALG_DH_MODP_3072,	 ALG_DH_MODP_4096,
	ALG_DH_ECP_256,	  ALG_DH_ECP_384,   ALG_DH_ECP_521,   ALG_DH_CURVE25519,
};

#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

/* One key pair per group for the whole run: key generation is not what is fuzzed. */
static struct crypto_dh *keys[NGROUPS];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t secret[ALG_MAX_DH_SECRET];
	size_t g, outlen = 0;
	int r;

	if (size < 1)
		return 0;
	g = data[0] % NGROUPS;
	if (!keys[g] && crypto_dh_new(&keys[g], groups[g]) != 0)
		abort();
	r = crypto_dh_shared(keys[g], data + 1, size - 1, secret, sizeof(secret), &outlen);
	if (r == 0) {
		/* only values of the exact KE length can be accepted */
		if (size - 1 != alg_dh_pub_len(groups[g]) || outlen != alg_dh_secret_len(groups[g]))
			abort();
	} else if (r != IG_EINVAL || outlen != 0) {
		/* a bad peer value is the peer's fault, never an internal error */
		abort();
	}
	return 0;
}
