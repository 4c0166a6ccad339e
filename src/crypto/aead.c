/* SPDX-License-Identifier: MIT */
/*
 * AEAD transforms in place: AES-GCM with 8/12/16-octet ICV (RFC 4106 for
 * ESP, RFC 5282 for IKEv2), ChaCha20-Poly1305 (RFC 7634) and AES-GMAC
 * (RFC 4543: GCM over AAD only). The context is keyed once and the nonce
 * length set once; per packet only the nonce salt || IV is set.
 */
#include "crypto/evp.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "crypto/crypto.h"
#include "lib/err.h"

#define SALT_LEN  4
#define IV_LEN	  8
#define NONCE_LEN (SALT_LEN + IV_LEN)

struct crypto_aead {
	EVP_CIPHER_CTX *ctx;
	uint16_t encr;
	bool encrypt;
	size_t icv_len;
	/* RFC 4106 4, RFC 4543 3.2, RFC 7634 2: nonce = salt (from KEYMAT) || IV. */
	uint8_t nonce[NONCE_LEN];
};

int crypto_aead_new(struct crypto_aead **out, uint16_t encr, unsigned keybits, const uint8_t *key,
		    size_t keylen, bool encrypt)
{
	struct crypto_aead *a = NULL;
	const EVP_CIPHER *cipher;
	OSSL_PARAM params[2];
	size_t ivlen = NONCE_LEN;
	int r;

	*out = NULL;
	if (!alg_encr_is_aead(encr))
		return IG_ENOTSUP;
	if (!alg_encr_keybits_ok(encr, keybits) || keylen != alg_encr_keymat_len(encr, keybits))
		return IG_EINVAL;
	if ((r = crypto_init()) != 0)
		return r;
	cipher = crypto_evp_cipher(encr, keybits);
	if (!(a = calloc(1, sizeof(*a))) || !(a->ctx = EVP_CIPHER_CTX_new())) {
		r = IG_ENOMEM;
		goto out;
	}
	a->encr = encr;
	a->encrypt = encrypt;
	a->icv_len = alg_encr_icv_len(encr);
	/* KEYMAT order: cipher key, then the salt (RFC 4106 8.1, RFC 7634 2). */
	memcpy(a->nonce, key + keylen - SALT_LEN, SALT_LEN);
	params[0] = OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &ivlen);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_CipherInit_ex2(a->ctx, cipher, key, NULL, encrypt ? 1 : 0, params)) {
		r = IG_ECRYPTO;
		goto out;
	}
	*out = a;
	a = NULL;
out:
	crypto_aead_free(a);
	return r;
}

size_t crypto_aead_icv_len(const struct crypto_aead *a)
{
	return a->icv_len;
}

/* Sets the nonce and feeds the AAD pieces: the common start of seal and open. */
static int start(struct crypto_aead *a, const uint8_t iv[static IV_LEN],
		 const struct crypto_iov *aad, int naad, size_t len)
{
	int outl;

	if (naad < 0 || (naad > 0 && !aad) || len > INT_MAX)
		return IG_EINVAL;
	/* RFC 4543 3: GMAC encrypts nothing; the caller passes the whole packet as AAD. */
	if (a->encr == ALG_ENCR_NULL_AUTH_AES_GMAC && len != 0)
		return IG_EINVAL;
	memcpy(a->nonce + SALT_LEN, iv, IV_LEN);
	if (!EVP_CipherInit_ex2(a->ctx, NULL, NULL, a->nonce, -1, NULL))
		return IG_ECRYPTO;
	for (int i = 0; i < naad; i++) {
		if (aad[i].len == 0)
			continue;
		if (aad[i].len > INT_MAX)
			return IG_EINVAL;
		if (!EVP_CipherUpdate(a->ctx, NULL, &outl, aad[i].p, (int)aad[i].len))
			return IG_ECRYPTO;
	}
	return 0;
}

int crypto_aead_seal(struct crypto_aead *a, const uint8_t iv[static 8],
		     const struct crypto_iov *aad, int naad, uint8_t *data, size_t len,
		     uint8_t *icv)
{
	OSSL_PARAM params[2];
	uint8_t fin[16];
	int outl = 0, finl = 0, r;

	if (!a->encrypt)
		return IG_EINVAL;
	if ((r = start(a, iv, aad, naad, len)) != 0)
		return r;
	if (len > 0 && !EVP_CipherUpdate(a->ctx, data, &outl, data, (int)len))
		return IG_ECRYPTO;
	/* Stream modes: Final writes nothing (and data may be NULL when len is 0). */
	if (!EVP_CipherFinal_ex(a->ctx, fin, &finl) || (size_t)outl != len || finl != 0)
		return IG_ECRYPTO;
	/* A truncated GCM ICV is the leading octets of the tag (RFC 4106 6). */
	params[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, icv, a->icv_len);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_CIPHER_CTX_get_params(a->ctx, params))
		return IG_ECRYPTO;
	return 0;
}

int crypto_aead_open(struct crypto_aead *a, const uint8_t iv[static 8],
		     const struct crypto_iov *aad, int naad, uint8_t *data, size_t len,
		     const uint8_t *icv)
{
	OSSL_PARAM params[2];
	uint8_t tag[16], fin[16];
	int outl = 0, finl = 0, r;

	if (a->encrypt)
		return IG_EINVAL;
	if ((r = start(a, iv, aad, naad, len)) != 0)
		return r;
	if (len > 0 && !EVP_CipherUpdate(a->ctx, data, &outl, data, (int)len))
		return IG_ECRYPTO;
	memcpy(tag, icv, a->icv_len);
	params[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, a->icv_len);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_CIPHER_CTX_set_params(a->ctx, params))
		return IG_ECRYPTO;
	if (!EVP_CipherFinal_ex(a->ctx, fin, &finl) || (size_t)outl != len || finl != 0) {
		/* Never leave unauthenticated plaintext behind for a careless caller. */
		if (len > 0)
			OPENSSL_cleanse(data, len);
		return IG_EAUTH;
	}
	return 0;
}

/* EVP_CIPHER_CTX_free() wipes the key; the salt is ours to wipe. */
void crypto_aead_free(struct crypto_aead *a)
{
	if (!a)
		return;
	EVP_CIPHER_CTX_free(a->ctx);
	OPENSSL_cleanse(a, sizeof(*a));
	free(a);
}
