/* SPDX-License-Identifier: MIT */
/*
 * Finite-field Diffie-Hellman over the MODP groups (RFC 2409 6.2, RFC 3526)
 * as OpenSSL "DH" keys built from p and g = 2 with EVP_PKEY_fromdata().
 * KE data is g^x mod p, big-endian, left-padded with zeros to the length of
 * p (RFC 7296 3.4).
 */
#include "crypto/evp.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "crypto/alg.h"
#include "crypto/dh_impl.h"
#include "crypto/modp.h"
#include "lib/err.h"

/* p and g of a group. */
static int domain(uint16_t group, BIGNUM **p, BIGNUM **g)
{
	const char *hex = crypto_modp_prime_hex(group);

	*p = *g = NULL;
	if (!hex)
		return IG_ENOTSUP;
	if (!BN_hex2bn(p, hex) || !(*g = BN_new()) || !BN_set_word(*g, CRYPTO_MODP_GENERATOR)) {
		BN_free(*p);
		BN_free(*g);
		*p = *g = NULL;
		return IG_ENOMEM;
	}
	return 0;
}

/* Imports p, g and whichever of pub/priv are given as a "DH" key. */
static int import(EVP_PKEY **out, const BIGNUM *p, const BIGNUM *g, const BIGNUM *pub,
		  const BIGNUM *priv, int selection)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int r = IG_ECRYPTO;

	*out = NULL;
	if (!(bld = OSSL_PARAM_BLD_new()) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g) ||
	    (pub && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, pub)) ||
	    (priv && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv)) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) ||
	    !(ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL)) ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 || EVP_PKEY_fromdata(ctx, out, selection, params) <= 0)
		goto out;
	r = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	/* A secure BIGNUM (the private exponent) went to a block that this cleanses. */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

static int generate(EVP_PKEY **out, const BIGNUM *p, const BIGNUM *g)
{
	EVP_PKEY *dom = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int r;

	*out = NULL;
	if ((r = import(&dom, p, g, NULL, NULL, EVP_PKEY_KEY_PARAMETERS)) != 0)
		goto out;
	r = IG_ECRYPTO;
	if (!(ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dom, NULL)) ||
	    EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_generate(ctx, out) <= 0)
		goto out;
	r = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(dom);
	return r;
}

/* 1 < v < p - 1 (RFC 2631 2.1.5, NIST SP 800-56A 5.6.2.3.1): excludes 0, 1 and p - 1. */
static bool in_range(const BIGNUM *v, const BIGNUM *p, BIGNUM *tmp)
{
	if (!BN_copy(tmp, p) || !BN_sub_word(tmp, 1))
		return false;
	return BN_cmp(v, BN_value_one()) > 0 && BN_cmp(v, tmp) < 0;
}

/* For known-answer tests: our key from a fixed exponent x, with g^x mod p computed here. */
static int from_private(EVP_PKEY **out, const BIGNUM *p, const BIGNUM *g, const uint8_t *priv,
			size_t privlen)
{
	BIGNUM *x = NULL, *y = NULL, *tmp = NULL;
	BN_CTX *bnctx = NULL;
	int r = IG_ENOMEM;

	*out = NULL;
	if (privlen == 0 || privlen > (size_t)BN_num_bytes(p))
		return IG_EINVAL;
	if (!(x = BN_secure_new()) || !(y = BN_new()) || !(tmp = BN_new()) ||
	    !(bnctx = BN_CTX_secure_new()) || !BN_bin2bn(priv, (int)privlen, x))
		goto out;
	r = IG_EINVAL;
	if (!in_range(x, p, tmp))
		goto out;
	r = IG_ECRYPTO;
	BN_set_flags(x, BN_FLG_CONSTTIME);
	if (!BN_mod_exp(y, g, x, p, bnctx))
		goto out;
	r = import(out, p, g, y, x, EVP_PKEY_KEYPAIR);
out:
	BN_CTX_free(bnctx);
	BN_clear_free(x);
	BN_free(y);
	BN_free(tmp);
	return r;
}

int crypto_dh_modp_key(EVP_PKEY **out, uint16_t group, const uint8_t *priv, size_t privlen)
{
	BIGNUM *p, *g;
	int r;

	if ((r = domain(group, &p, &g)) != 0)
		return r;
	r = priv ? from_private(out, p, g, priv, privlen) : generate(out, p, g);
	BN_free(p);
	BN_free(g);
	return r;
}

int crypto_dh_modp_pub(EVP_PKEY *key, uint16_t group, uint8_t *out, size_t len)
{
	BIGNUM *y = NULL;
	int r = IG_ECRYPTO;

	if (len != alg_dh_pub_len(group))
		return IG_EINVAL;
	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PUB_KEY, &y) &&
	    BN_bn2binpad(y, out, (int)len) == (int)len)
		r = 0;
	BN_free(y);
	return r;
}

int crypto_dh_modp_peer(EVP_PKEY **out, uint16_t group, const uint8_t *pub, size_t len)
{
	BIGNUM *p, *g, *y = NULL, *tmp = NULL;
	int r;

	*out = NULL;
	if (len != alg_dh_pub_len(group))
		return IG_EINVAL;
	if ((r = domain(group, &p, &g)) != 0)
		return r;
	r = IG_ENOMEM;
	if (!(y = BN_bin2bn(pub, (int)len, NULL)) || !(tmp = BN_new()))
		goto out;
	/*
	 * 0, 1 and p - 1 would force the shared secret to 0, 1 or +-1 (small
	 * subgroup confinement); y >= p is not even an element of the group.
	 */
	r = IG_EINVAL;
	if (!in_range(y, p, tmp))
		goto out;
	r = import(out, p, g, y, NULL, EVP_PKEY_PUBLIC_KEY);
out:
	BN_free(tmp);
	BN_free(y);
	BN_free(p);
	BN_free(g);
	return r;
}
