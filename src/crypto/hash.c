/* SPDX-License-Identifier: MIT */
#include "crypto/hash.h"

#include <openssl/evp.h>

#include "lib/err.h"

/*
 * Not on the data path (a few per IKE_SA_INIT), so the implicit fetch of
 * EVP_sha1() is acceptable here.
 */
int crypto_sha1(const struct crypto_iov *iov, int niov, uint8_t out[static CRYPTO_SHA1_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	int r = IG_ECRYPTO;

	if (!ctx)
		return IG_ENOMEM;
	if (EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) != 1)
		goto out;
	for (int i = 0; i < niov; i++)
		if (iov[i].len && EVP_DigestUpdate(ctx, iov[i].p, iov[i].len) != 1)
			goto out;
	if (EVP_DigestFinal_ex(ctx, out, &len) != 1 || len != CRYPTO_SHA1_LEN)
		goto out;
	r = 0;
out:
	EVP_MD_CTX_free(ctx);
	return r;
}
