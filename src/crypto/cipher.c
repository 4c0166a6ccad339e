/* SPDX-License-Identifier: MIT */
/*
 * AES-CBC (RFC 3602) in place. The context is keyed once; per packet only
 * the IV is set, which also resets the chaining state.
 */
#include "crypto/evp.h"

#include <limits.h>
#include <stdlib.h>

#include "crypto/crypto.h"
#include "lib/err.h"

struct crypto_cipher {
	EVP_CIPHER_CTX *ctx;
	uint16_t encr;
};

int crypto_cipher_new(struct crypto_cipher **out, uint16_t encr, unsigned keybits,
		      const uint8_t *key, size_t keylen, bool encrypt)
{
	struct crypto_cipher *c = NULL;
	const EVP_CIPHER *cipher;
	int r;

	*out = NULL;
	if (encr != ALG_ENCR_AES_CBC)
		return IG_ENOTSUP;
	if (!alg_encr_keybits_ok(encr, keybits) || keylen != alg_encr_keymat_len(encr, keybits))
		return IG_EINVAL;
	if ((r = crypto_init()) != 0)
		return r;
	cipher = crypto_evp_cipher(encr, keybits);
	if (!(c = calloc(1, sizeof(*c))) || !(c->ctx = EVP_CIPHER_CTX_new())) {
		r = IG_ENOMEM;
		goto out;
	}
	c->encr = encr;
	/* ESP does its own padding (RFC 4303 2.4); OpenSSL must add none. */
	if (!EVP_CipherInit_ex2(c->ctx, cipher, key, NULL, encrypt ? 1 : 0, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(c->ctx, 0)) {
		r = IG_ECRYPTO;
		goto out;
	}
	*out = c;
	c = NULL;
out:
	crypto_cipher_free(c);
	return r;
}

int crypto_cipher_crypt(struct crypto_cipher *c, const uint8_t iv[static 16], uint8_t *data,
			size_t len)
{
	uint8_t fin[16];
	int outl = 0, finl = 0;

	if (len % 16 != 0 || len > INT_MAX)
		return IG_EINVAL;
	if (len == 0)
		return 0;
	/* enc = -1: keep the direction and key, take the new IV. */
	if (!EVP_CipherInit_ex2(c->ctx, NULL, NULL, iv, -1, NULL) ||
	    !EVP_CipherUpdate(c->ctx, data, &outl, data, (int)len) ||
	    !EVP_CipherFinal_ex(c->ctx, fin, &finl) || (size_t)outl != len || finl != 0)
		return IG_ECRYPTO;
	return 0;
}

/* EVP_CIPHER_CTX_free() wipes the key schedule. */
void crypto_cipher_free(struct crypto_cipher *c)
{
	if (!c)
		return;
	EVP_CIPHER_CTX_free(c->ctx);
	free(c);
}
