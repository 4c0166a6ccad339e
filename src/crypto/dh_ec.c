/* SPDX-License-Identifier: MIT */
/*
 * Elliptic-curve key exchange: the NIST prime curves as ECP groups 19, 20,
 * 21 (RFC 5903) and Curve25519 as group 31 (RFC 8031, RFC 7748).
 *
 * ECP KE data is x || y, each left-padded to the field size, with no SEC1
 * 0x04 prefix (RFC 5903 7); OpenSSL wants the prefixed form, so it is added
 * on import and stripped on export. X25519 KE data is the 32-octet
 * u-coordinate (RFC 8031 3.1).
 */
#include "crypto/evp.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "crypto/alg.h"
#include "crypto/dh_impl.h"
#include "lib/err.h"

#define SEC1_UNCOMPRESSED 0x04
#define ECP_MAX_FIELD	  66 /* P-521 */
#define X25519_LEN	  32

static const struct {
	uint16_t group;
	const char *name; /* OSSL_PKEY_PARAM_GROUP_NAME */
	int nid;
	size_t field;
} curves[] = {
	{ALG_DH_ECP_256, "P-256", NID_X9_62_prime256v1, 32},
	{ALG_DH_ECP_384, "P-384", NID_secp384r1, 48},
	{ALG_DH_ECP_521, "P-521", NID_secp521r1, 66},
};

static int curve(uint16_t group)
{
	for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (curves[i].group == group)
			return (int)i;
	return -1;
}

/* Imports a point (SEC1 uncompressed octets) and, for our own key, the scalar. */
static int ec_import(EVP_PKEY **out, int c, const uint8_t *point, size_t pointlen,
		     const BIGNUM *priv)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int r = IG_ECRYPTO;

	*out = NULL;
	if (!(bld = OSSL_PARAM_BLD_new()) ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curves[c].name, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, pointlen) ||
	    (priv && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv)) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) ||
	    !(ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) ||
	    EVP_PKEY_fromdata_init(ctx) <= 0)
		goto out;
	/* The import decodes the point and refuses one that is not on the curve. */
	r = IG_EINVAL;
	if (EVP_PKEY_fromdata(ctx, out, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) <= 0)
		goto out;
	r = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

/* For known-answer tests: the key pair (d, d * G) from a fixed scalar d. */
static int ec_from_private(EVP_PKEY **out, int c, const uint8_t *priv, size_t privlen)
{
	uint8_t point[1 + 2 * ECP_MAX_FIELD];
	size_t pointlen = 1 + 2 * curves[c].field;
	EC_GROUP *grp = NULL;
	EC_POINT *pt = NULL;
	BIGNUM *d = NULL;
	int r = IG_EINVAL;

	*out = NULL;
	if (privlen == 0 || privlen > curves[c].field)
		return IG_EINVAL;
	r = IG_ENOMEM;
	if (!(grp = EC_GROUP_new_by_curve_name(curves[c].nid)) || !(pt = EC_POINT_new(grp)) ||
	    !(d = BN_secure_new()) || !BN_bin2bn(priv, (int)privlen, d))
		goto out;
	r = IG_EINVAL;
	if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(grp)) >= 0)
		goto out;
	r = IG_ECRYPTO;
	if (!EC_POINT_mul(grp, pt, d, NULL, NULL, NULL) ||
	    EC_POINT_point2oct(grp, pt, POINT_CONVERSION_UNCOMPRESSED, point, sizeof(point),
			       NULL) != pointlen)
		goto out;
	r = ec_import(out, c, point, pointlen, d);
out:
	BN_clear_free(d);
	EC_POINT_free(pt);
	EC_GROUP_free(grp);
	return r;
}

int crypto_dh_ecp_key(EVP_PKEY **out, uint16_t group, const uint8_t *priv, size_t privlen)
{
	int c = curve(group);
	OSSL_PARAM params[2];
	EVP_PKEY_CTX *ctx;
	int r = IG_ECRYPTO;

	*out = NULL;
	if (c < 0)
		return IG_ENOTSUP;
	if (priv)
		return ec_from_private(out, c, priv, privlen);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     (char *)curves[c].name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) && EVP_PKEY_keygen_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_params(ctx, params) > 0 && EVP_PKEY_generate(ctx, out) > 0)
		r = 0;
	EVP_PKEY_CTX_free(ctx);
	return r;
}

int crypto_dh_ecp_pub(EVP_PKEY *key, uint16_t group, uint8_t *out, size_t len)
{
	uint8_t point[1 + 2 * ECP_MAX_FIELD];
	int c = curve(group);
	size_t pointlen = 0;

	if (c < 0 || len != 2 * curves[c].field)
		return IG_EINVAL;
	if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point),
					     &pointlen) ||
	    pointlen != 1 + len || point[0] != SEC1_UNCOMPRESSED)
		return IG_ECRYPTO;
	memcpy(out, point + 1, len);
	return 0;
}

int crypto_dh_ecp_peer(EVP_PKEY **out, uint16_t group, const uint8_t *pub, size_t len)
{
	uint8_t point[1 + 2 * ECP_MAX_FIELD];
	int c = curve(group);

	*out = NULL;
	if (c < 0)
		return IG_ENOTSUP;
	if (len != 2 * curves[c].field)
		return IG_EINVAL;
	point[0] = SEC1_UNCOMPRESSED;
	memcpy(point + 1, pub, len);
	return ec_import(out, c, point, 1 + len, NULL);
}

int crypto_dh_x25519_key(EVP_PKEY **out, const uint8_t *priv, size_t privlen)
{
	EVP_PKEY_CTX *ctx;
	int r = IG_ECRYPTO;

	*out = NULL;
	if (priv) {
		/* RFC 7748 5: any 32 octets are a scalar; X25519 clamps them itself. */
		if (privlen != X25519_LEN)
			return IG_EINVAL;
		*out = EVP_PKEY_new_raw_private_key_ex(NULL, "X25519", NULL, priv, privlen);
		return *out ? 0 : IG_ECRYPTO;
	}
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL)) &&
	    EVP_PKEY_keygen_init(ctx) > 0 && EVP_PKEY_generate(ctx, out) > 0)
		r = 0;
	EVP_PKEY_CTX_free(ctx);
	return r;
}

int crypto_dh_x25519_pub(EVP_PKEY *key, uint8_t *out, size_t len)
{
	size_t outl = len;

	if (len != X25519_LEN)
		return IG_EINVAL;
	if (!EVP_PKEY_get_raw_public_key(key, out, &outl) || outl != X25519_LEN)
		return IG_ECRYPTO;
	return 0;
}

/*
 * Any 32 octets are a valid u-coordinate (RFC 7748 5: the top bit is
 * masked); low-order points show up as an all-zero shared secret, which
 * crypto_dh_shared() rejects (RFC 7748 6.1, RFC 8031 2.1).
 */
int crypto_dh_x25519_peer(EVP_PKEY **out, const uint8_t *pub, size_t len)
{
	*out = NULL;
	if (len != X25519_LEN)
		return IG_EINVAL;
	*out = EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, pub, len);
	return *out ? 0 : IG_ECRYPTO;
}
