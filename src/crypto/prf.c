/* SPDX-License-Identifier: MIT */
/*
 * The IKEv2 PRFs (RFC 7296 2.13, RFC 4868 2.1.2: HMAC with the full hash
 * output, any key length) and prf+. Used per exchange, not per packet, so a
 * fresh MAC context per call is fine.
 */
#include "crypto/evp.h"

#include <string.h>

#include <openssl/crypto.h>

#include "crypto/crypto.h"
#include "lib/err.h"

static int update_iov(EVP_MAC_CTX *ctx, const struct crypto_iov *iov, int niov)
{
	for (int i = 0; i < niov; i++)
		if (iov[i].len > 0 && !EVP_MAC_update(ctx, iov[i].p, iov[i].len))
			return IG_ECRYPTO;
	return 0;
}

static int final(EVP_MAC_CTX *ctx, uint8_t *out, size_t want)
{
	size_t outl = 0;

	if (!EVP_MAC_final(ctx, out, &outl, want) || outl != want)
		return IG_ECRYPTO;
	return 0;
}

int crypto_prf(uint16_t prf, const uint8_t *key, size_t keylen, const struct crypto_iov *iov,
	       int niov, uint8_t *out)
{
	EVP_MAC_CTX *ctx = NULL;
	int r;

	if (!alg_prf_known(prf))
		return IG_ENOTSUP;
	if (niov < 0 || (niov > 0 && !iov) || (keylen > 0 && !key))
		return IG_EINVAL;
	if ((r = crypto_evp_hmac_new(&ctx, prf, key, keylen)) != 0 ||
	    (r = update_iov(ctx, iov, niov)) != 0 || (r = final(ctx, out, alg_prf_len(prf))) != 0)
		goto out;
out:
	EVP_MAC_CTX_free(ctx);
	return r;
}

/*
 * RFC 7296 2.13: prf+ (K, S) = T1 | T2 | T3 | ... with
 *   T1 = prf (K, S | 0x01),  Tn = prf (K, Tn-1 | S | n),
 * n a single octet, so at most 255 blocks.
 */
int crypto_prf_plus(uint16_t prf, const uint8_t *key, size_t keylen, const uint8_t *seed,
		    size_t seedlen, uint8_t *out, size_t outlen)
{
	size_t plen = alg_prf_len(prf), done = 0;
	uint8_t t[ALG_MAX_PRF];
	EVP_MAC_CTX *ctx = NULL;
	int r;

	if (!alg_prf_known(prf))
		return IG_ENOTSUP;
	if ((keylen > 0 && !key) || (seedlen > 0 && !seed))
		return IG_EINVAL;
	if (outlen > 255 * plen)
		return IG_ERANGE;
	if ((r = crypto_evp_hmac_new(&ctx, prf, key, keylen)) != 0)
		goto out;
	for (unsigned n = 1; done < outlen; n++) {
		uint8_t counter = (uint8_t)n;
		size_t take = outlen - done < plen ? outlen - done : plen;

		/* Re-initialise with the same key; T(n-1) is empty for n = 1. */
		if ((n > 1 && !EVP_MAC_init(ctx, NULL, 0, NULL)) ||
		    (n > 1 && !EVP_MAC_update(ctx, t, plen)) ||
		    (seedlen > 0 && !EVP_MAC_update(ctx, seed, seedlen)) ||
		    !EVP_MAC_update(ctx, &counter, 1)) {
			r = IG_ECRYPTO;
			goto out;
		}
		if ((r = final(ctx, t, plen)) != 0)
			goto out;
		memcpy(out + done, t, take);
		done += take;
	}
out:
	OPENSSL_cleanse(t, sizeof(t));
	EVP_MAC_CTX_free(ctx);
	if (r != 0 && outlen > 0)
		OPENSSL_cleanse(out, outlen);
	return r;
}
