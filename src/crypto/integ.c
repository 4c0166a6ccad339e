/* SPDX-License-Identifier: MIT */
/*
 * Truncated HMAC integrity: HMAC-SHA1-96 (RFC 2404) and HMAC-SHA2-256-128,
 * -384-192, -512-256 (RFC 4868 2.1). The MAC context is keyed once; per
 * message it is re-initialised with the same key (LAB.md: cheaper than a dup).
 */
#include "crypto/evp.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/crypto.h"
#include "lib/err.h"

struct crypto_integ {
	EVP_MAC_CTX *ctx;
	uint16_t integ;
	size_t icv_len;
};

int crypto_integ_new(struct crypto_integ **out, uint16_t integ, const uint8_t *key, size_t keylen)
{
	struct crypto_integ *i;
	int r;

	*out = NULL;
	if (!alg_integ_known(integ))
		return IG_ENOTSUP;
	/* RFC 4868 2.1.1 / RFC 2404 3: the key is exactly the hash output length. */
	if (keylen != alg_integ_key_len(integ))
		return IG_EINVAL;
	if (!(i = calloc(1, sizeof(*i))))
		return IG_ENOMEM;
	if ((r = crypto_evp_hmac_new(&i->ctx, alg_prf_for_integ(integ), key, keylen)) != 0) {
		free(i);
		return r;
	}
	i->integ = integ;
	i->icv_len = alg_integ_icv_len(integ);
	*out = i;
	return 0;
}

size_t crypto_integ_icv_len(const struct crypto_integ *i)
{
	return i->icv_len;
}

/* The full HMAC; the callers keep the leading icv_len octets (RFC 4868 2.1.1). */
static int mac(struct crypto_integ *i, const struct crypto_iov *iov, int niov,
	       uint8_t full[static ALG_MAX_PRF])
{
	size_t outl = 0;

	if (niov < 0 || (niov > 0 && !iov))
		return IG_EINVAL;
	if (!EVP_MAC_init(i->ctx, NULL, 0, NULL))
		return IG_ECRYPTO;
	for (int k = 0; k < niov; k++)
		if (iov[k].len > 0 && !EVP_MAC_update(i->ctx, iov[k].p, iov[k].len))
			return IG_ECRYPTO;
	if (!EVP_MAC_final(i->ctx, full, &outl, ALG_MAX_PRF) || outl < i->icv_len)
		return IG_ECRYPTO;
	return 0;
}

int crypto_integ_compute(struct crypto_integ *i, const struct crypto_iov *iov, int niov,
			 uint8_t *icv)
{
	uint8_t full[ALG_MAX_PRF];
	int r;

	if ((r = mac(i, iov, niov, full)) == 0)
		memcpy(icv, full, i->icv_len);
	return r;
}

int crypto_integ_verify(struct crypto_integ *i, const struct crypto_iov *iov, int niov,
			const uint8_t *icv)
{
	uint8_t full[ALG_MAX_PRF];
	int r;

	if ((r = mac(i, iov, niov, full)) != 0)
		return r;
	/* Constant time: an early mismatch must not tell a forger how far it got. */
	return CRYPTO_memcmp(full, icv, i->icv_len) == 0 ? 0 : IG_EAUTH;
}

/* The HMAC provider wipes its copy of the key when the context is freed. */
void crypto_integ_free(struct crypto_integ *i)
{
	if (!i)
		return;
	EVP_MAC_CTX_free(i->ctx);
	OPENSSL_cleanse(i, sizeof(*i));
	free(i);
}
