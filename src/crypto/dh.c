/* SPDX-License-Identifier: MIT */
/*
 * crypto_dh_*: one interface over the MODP, ECP and Curve25519 families
 * (dh_modp.c, dh_ec.c). Values are in IKEv2 KE payload format (RFC 7296
 * 3.4); the shared secret g^ir has a fixed length per group (RFC 7296 2.14).
 */
#include "crypto/evp.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "crypto/crypto.h"
#include "crypto/dh_impl.h"
#include "lib/err.h"

enum family { F_NONE, F_MODP, F_ECP, F_X25519 };

static enum family family(uint16_t group)
{
	switch (group) {
	case ALG_DH_MODP_1024:
	case ALG_DH_MODP_1536:
	case ALG_DH_MODP_2048:
	case ALG_DH_MODP_3072:
	case ALG_DH_MODP_4096: return F_MODP;
	case ALG_DH_ECP_256:
	case ALG_DH_ECP_384:
	case ALG_DH_ECP_521: return F_ECP;
	case ALG_DH_CURVE25519: return F_X25519;
	default: return F_NONE;
	}
}

static int make(struct crypto_dh **out, uint16_t group, const uint8_t *priv, size_t privlen)
{
	struct crypto_dh *dh;
	int r;

	*out = NULL;
	if (family(group) == F_NONE)
		return IG_ENOTSUP;
	if ((r = crypto_init()) != 0)
		return r;
	if (!(dh = calloc(1, sizeof(*dh))))
		return IG_ENOMEM;
	dh->group = group;
	switch (family(group)) {
	case F_MODP: r = crypto_dh_modp_key(&dh->key, group, priv, privlen); break;
	case F_ECP: r = crypto_dh_ecp_key(&dh->key, group, priv, privlen); break;
	default: r = crypto_dh_x25519_key(&dh->key, priv, privlen); break;
	}
	if (r != 0) {
		crypto_dh_free(dh);
		return r;
	}
	*out = dh;
	return 0;
}

int crypto_dh_new(struct crypto_dh **out, uint16_t group)
{
	return make(out, group, NULL, 0);
}

int crypto_dh_new_from_private(struct crypto_dh **out, uint16_t group, const uint8_t *priv,
			       size_t privlen)
{
	*out = NULL;
	if (!priv)
		return IG_EINVAL;
	return make(out, group, priv, privlen);
}

uint16_t crypto_dh_group(const struct crypto_dh *dh)
{
	return dh->group;
}

int crypto_dh_public(const struct crypto_dh *dh, uint8_t *out, size_t cap, size_t *outlen)
{
	size_t len = alg_dh_pub_len(dh->group);
	int r;

	*outlen = 0;
	if (cap < len)
		return IG_ENOSPC;
	switch (family(dh->group)) {
	case F_MODP: r = crypto_dh_modp_pub(dh->key, dh->group, out, len); break;
	case F_ECP: r = crypto_dh_ecp_pub(dh->key, dh->group, out, len); break;
	default: r = crypto_dh_x25519_pub(dh->key, out, len); break;
	}
	if (r == 0)
		*outlen = len;
	return r;
}

/* Constant time: whether a secret is all zero. */
static bool all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

static int derive(struct crypto_dh *dh, EVP_PKEY *peer, uint8_t *out, size_t len)
{
	/* RFC 7296 2.14: g^ir keeps its leading zeros, padded to the prime length. */
	unsigned int pad = 1;
	OSSL_PARAM params[2];
	EVP_PKEY_CTX *ctx;
	size_t outl = len;
	int r = IG_ECRYPTO;

	if (!(ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL)) ||
	    EVP_PKEY_derive_init(ctx) <= 0)
		goto out;
	if (family(dh->group) == F_MODP) {
		params[0] = OSSL_PARAM_construct_uint(OSSL_EXCHANGE_PARAM_PAD, &pad);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_PKEY_CTX_set_params(ctx, params) <= 0)
			goto out;
	}
	/*
	 * Validates the peer key again (range and subgroup for MODP where
	 * OpenSSL knows q, on-curve and order for ECP); a refusal is the peer's
	 * fault.
	 */
	if (EVP_PKEY_derive_set_peer_ex(ctx, peer, 1) <= 0) {
		r = IG_EINVAL;
		goto out;
	}
	/* X25519: OpenSSL refuses the all-zero result of a low-order point. */
	if (EVP_PKEY_derive(ctx, out, &outl) <= 0) {
		r = family(dh->group) == F_X25519 ? IG_EINVAL : IG_ECRYPTO;
		goto out;
	}
	if (outl != len)
		goto out;
	r = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	return r;
}

int crypto_dh_shared(struct crypto_dh *dh, const uint8_t *peer, size_t peerlen, uint8_t *out,
		     size_t cap, size_t *outlen)
{
	size_t len = alg_dh_secret_len(dh->group);
	EVP_PKEY *pkey = NULL;
	int r;

	*outlen = 0;
	if (cap < len)
		return IG_ENOSPC;
	if (!peer)
		return IG_EINVAL;
	switch (family(dh->group)) {
	case F_MODP: r = crypto_dh_modp_peer(&pkey, dh->group, peer, peerlen); break;
	case F_ECP: r = crypto_dh_ecp_peer(&pkey, dh->group, peer, peerlen); break;
	default: r = crypto_dh_x25519_peer(&pkey, peer, peerlen); break;
	}
	if (r != 0 || (r = derive(dh, pkey, out, len)) != 0)
		goto out;
	/* RFC 7748 6.1 / RFC 8031 2.1: an all-zero X25519 secret means a low-order peer value. */
	if (family(dh->group) == F_X25519 && all_zero(out, len)) {
		r = IG_EINVAL;
		goto out;
	}
	*outlen = len;
out:
	EVP_PKEY_free(pkey);
	if (r != 0)
		OPENSSL_cleanse(out, len);
	return r;
}

/* EVP_PKEY_free() clears the private key (BN_clear_free / cleansed buffers). */
void crypto_dh_free(struct crypto_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	OPENSSL_cleanse(dh, sizeof(*dh));
	free(dh);
}
