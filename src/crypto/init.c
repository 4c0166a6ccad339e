/* SPDX-License-Identifier: MIT */
/*
 * Algorithm objects fetched once (LAB.md: a fetch or an EVP_aes_*() call per
 * packet doubles the cost of AES-GCM), and the CSPRNG.
 */
#include "crypto/evp.h"

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>

#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "crypto/crypto.h"
#include "lib/err.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum { K128, K192, K256, NKEYS };

static const char *const cbc_names[NKEYS] = {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"};
static const char *const gcm_names[NKEYS] = {"AES-128-GCM", "AES-192-GCM", "AES-256-GCM"};

/* OSSL_MAC_PARAM_DIGEST names of the PRFs (and, via alg_prf_for_integ(), of the integs). */
static const struct {
	uint16_t prf;
	const char *digest;
} digests[] = {
	{ALG_PRF_HMAC_SHA1, "SHA1"},
	{ALG_PRF_HMAC_SHA2_256, "SHA2-256"},
	{ALG_PRF_HMAC_SHA2_384, "SHA2-384"},
	{ALG_PRF_HMAC_SHA2_512, "SHA2-512"},
};

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static bool ready;
static EVP_CIPHER *cbc[NKEYS], *gcm[NKEYS], *chacha;
static EVP_MAC *hmac;
/* Fetched so that a missing digest fails crypto_init(), not the first SA. */
static EVP_MD *md[N(digests)];

static int key_slot(unsigned keybits)
{
	switch (keybits) {
	case 128: return K128;
	case 192: return K192;
	case 256: return K256;
	default: return -1;
	}
}

static void release(void)
{
	for (int i = 0; i < NKEYS; i++) {
		EVP_CIPHER_free(cbc[i]);
		EVP_CIPHER_free(gcm[i]);
		cbc[i] = gcm[i] = NULL;
	}
	EVP_CIPHER_free(chacha);
	chacha = NULL;
	EVP_MAC_free(hmac);
	hmac = NULL;
	for (size_t i = 0; i < N(md); i++) {
		EVP_MD_free(md[i]);
		md[i] = NULL;
	}
}

static int fetch_all(void)
{
	for (int i = 0; i < NKEYS; i++) {
		if (!(cbc[i] = EVP_CIPHER_fetch(NULL, cbc_names[i], NULL)) ||
		    !(gcm[i] = EVP_CIPHER_fetch(NULL, gcm_names[i], NULL)))
			return IG_ECRYPTO;
	}
	if (!(chacha = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL)) ||
	    !(hmac = EVP_MAC_fetch(NULL, "HMAC", NULL)))
		return IG_ECRYPTO;
	for (size_t i = 0; i < N(md); i++)
		if (!(md[i] = EVP_MD_fetch(NULL, digests[i].digest, NULL)))
			return IG_ECRYPTO;
	return 0;
}

int crypto_init(void)
{
	int r = 0;

	pthread_mutex_lock(&init_lock);
	if (!ready) {
		if ((r = fetch_all()) != 0)
			release();
		else
			ready = true;
	}
	pthread_mutex_unlock(&init_lock);
	return r;
}

/* Objects still alive keep their own references to the algorithms. */
void crypto_cleanup(void)
{
	pthread_mutex_lock(&init_lock);
	release();
	ready = false;
	pthread_mutex_unlock(&init_lock);
}

const EVP_CIPHER *crypto_evp_cipher(uint16_t encr, unsigned keybits)
{
	int k = key_slot(keybits);

	switch (encr) {
	case ALG_ENCR_AES_CBC: return k < 0 ? NULL : cbc[k];
	case ALG_ENCR_AES_GCM_8:
	case ALG_ENCR_AES_GCM_12:
	case ALG_ENCR_AES_GCM_16:
	case ALG_ENCR_NULL_AUTH_AES_GMAC: return k < 0 ? NULL : gcm[k]; /* RFC 4543: GCM, no text */
	case ALG_ENCR_CHACHA20_POLY1305: return keybits == 0 || keybits == 256 ? chacha : NULL;
	default: return NULL;
	}
}

EVP_MAC *crypto_evp_hmac(void)
{
	return hmac;
}

const char *crypto_evp_prf_digest(uint16_t prf)
{
	for (size_t i = 0; i < N(digests); i++)
		if (digests[i].prf == prf)
			return digests[i].digest;
	return NULL;
}

int crypto_evp_hmac_new(EVP_MAC_CTX **out, uint16_t prf, const uint8_t *key, size_t keylen)
{
	/* OpenSSL reads key == NULL as "keep the old key"; an empty key needs a pointer. */
	static const uint8_t empty[1];
	const char *digest = crypto_evp_prf_digest(prf);
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx;
	int r;

	*out = NULL;
	if (!digest)
		return IG_ENOTSUP;
	if ((r = crypto_init()) != 0)
		return r;
	if (!(ctx = EVP_MAC_CTX_new(hmac)))
		return IG_ENOMEM;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_init(ctx, keylen ? key : empty, keylen, params)) {
		EVP_MAC_CTX_free(ctx);
		return IG_ECRYPTO;
	}
	*out = ctx;
	return 0;
}

/* RAND_bytes() takes an int; larger requests are served in pieces. */
static int rand_fill(void *buf, size_t n, int (*fn)(unsigned char *, int))
{
	unsigned char *p = buf;

	while (n > 0) {
		int chunk = n > INT_MAX ? INT_MAX : (int)n;

		if (fn(p, chunk) != 1)
			return IG_ECRYPTO;
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

int crypto_random(void *buf, size_t n)
{
	return rand_fill(buf, n, RAND_bytes);
}

int crypto_random_priv(void *buf, size_t n)
{
	return rand_fill(buf, n, RAND_priv_bytes);
}
