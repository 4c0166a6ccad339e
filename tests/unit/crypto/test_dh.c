/* SPDX-License-Identifier: MIT */
/*
 * Key exchange beyond the vectors: fresh key pairs agree for every group;
 * peer values are validated (length, on-curve, coordinate range, X25519
 * low-order points); private values and buffers are checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "lib/err.h"
#include "kat/kat_hex.h"

static const uint16_t groups[] = {ALG_DH_MODP_1024, ALG_DH_MODP_2048, ALG_DH_ECP_256,
				  ALG_DH_ECP_384,   ALG_DH_ECP_521,   ALG_DH_CURVE25519};

static void test_round_trips(void **state)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		uint8_t pa[ALG_MAX_DH_PUB], pb[ALG_MAX_DH_PUB], sa[ALG_MAX_DH_SECRET],
			sb[ALG_MAX_DH_SECRET];
		size_t la, lb, sla, slb;
		struct crypto_dh *a, *b;
		uint16_t g = groups[i];

		assert_int_equal(crypto_dh_new(&a, g), 0);
		assert_int_equal(crypto_dh_new(&b, g), 0);
		assert_int_equal(crypto_dh_group(a), g);
		assert_int_equal(crypto_dh_public(a, pa, sizeof(pa), &la), 0);
		assert_int_equal(crypto_dh_public(b, pb, sizeof(pb), &lb), 0);
		assert_int_equal(la, alg_dh_pub_len(g));
		assert_int_equal(lb, alg_dh_pub_len(g));
		assert_memory_not_equal(pa, pb, la);
		/* the shared secret can be asked for more than once */
		for (int k = 0; k < 2; k++) {
			assert_int_equal(crypto_dh_shared(a, pb, lb, sa, sizeof(sa), &sla), 0);
			assert_int_equal(crypto_dh_shared(b, pa, la, sb, sizeof(sb), &slb), 0);
			assert_int_equal(sla, alg_dh_secret_len(g));
			assert_int_equal(slb, sla);
			assert_memory_equal(sa, sb, sla);
		}
		/* output buffers too small */
		assert_int_equal(crypto_dh_public(a, pa, la - 1, &la), IG_ENOSPC);
		assert_int_equal(la, 0);
		assert_int_equal(crypto_dh_shared(a, pb, lb, sa, sla - 1, &sla), IG_ENOSPC);
		assert_int_equal(sla, 0);
		/* wrong lengths: one short, one long */
		assert_int_equal(crypto_dh_shared(a, pb, lb - 1, sa, sizeof(sa), &sla), IG_EINVAL);
		assert_int_equal(crypto_dh_shared(a, pb, lb + 1, sa, sizeof(sa), &sla), IG_EINVAL);
		assert_int_equal(crypto_dh_shared(a, NULL, lb, sa, sizeof(sa), &sla), IG_EINVAL);
		crypto_dh_free(a);
		crypto_dh_free(b);
	}
	crypto_dh_free(NULL);
}

static void test_unknown(void **state)
{
	struct crypto_dh *dh = (void *)1;
	uint8_t k[32] = {1};

	assert_int_equal(crypto_dh_new(&dh, ALG_DH_NONE), IG_ENOTSUP);
	assert_null(dh);
	assert_int_equal(crypto_dh_new(&dh, 1 /* MODP_768 */), IG_ENOTSUP);
	assert_int_equal(crypto_dh_new(&dh, 32 /* CURVE_448 */), IG_ENOTSUP);
	assert_int_equal(crypto_dh_new_from_private(&dh, 24, k, 32), IG_ENOTSUP);
	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_ECP_256, NULL, 32), IG_EINVAL);
	assert_null(dh);
}

/* Scalars must be 0 < d < n, of at most the field size; X25519 keys are 32 octets. */
static void test_private_values(void **state)
{
	static const char p256_n[] =
		"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
	uint8_t d[70] = {0};
	struct crypto_dh *dh;

	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_ECP_256, d, 32), IG_EINVAL);
	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_ECP_256, d, 0), IG_EINVAL);
	KAT_UNHEX(p256_n, d);
	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_ECP_256, d, 32), IG_EINVAL);
	d[31] -= 1; /* n - 1 is fine */
	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_ECP_256, d, 32), 0);
	crypto_dh_free(dh);
	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_ECP_256, d, 33), IG_EINVAL);
	d[0] = 1;
	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_ECP_521, d, 67), IG_EINVAL);
	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_CURVE25519, d, 31), IG_EINVAL);
	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_CURVE25519, d, 33), IG_EINVAL);
	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_MODP_1024, d, 0), IG_EINVAL);
	memset(d, 0, sizeof(d));
	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_MODP_1024, d, 1), IG_EINVAL);
}

/* RFC 5903 7 KE data is x || y; anything not a point of the curve is refused. */
static void test_ecp_peer(void **state)
{
	static const uint16_t ecp[] = {ALG_DH_ECP_256, ALG_DH_ECP_384, ALG_DH_ECP_521};
	static const char p256_p[] =
		"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";

	for (size_t i = 0; i < sizeof(ecp) / sizeof(ecp[0]); i++) {
		uint8_t pub[ALG_MAX_DH_PUB], bad[ALG_MAX_DH_PUB + 1], sec[ALG_MAX_DH_SECRET];
		struct crypto_dh *a, *b;
		size_t len, slen;

		assert_int_equal(crypto_dh_new(&a, ecp[i]), 0);
		assert_int_equal(crypto_dh_new(&b, ecp[i]), 0);
		assert_int_equal(crypto_dh_public(b, pub, sizeof(pub), &len), 0);
		/* y off by one bit: not on the curve */
		memcpy(bad, pub, len);
		bad[len - 1] ^= 1;
		assert_int_equal(crypto_dh_shared(a, bad, len, sec, sizeof(sec), &slen), IG_EINVAL);
		assert_int_equal(slen, 0);
		/* x changed */
		memcpy(bad, pub, len);
		bad[3] ^= 0x10;
		assert_int_equal(crypto_dh_shared(a, bad, len, sec, sizeof(sec), &slen), IG_EINVAL);
		/* (0, 0), the usual stand-in for the point at infinity */
		memset(bad, 0, len);
		assert_int_equal(crypto_dh_shared(a, bad, len, sec, sizeof(sec), &slen), IG_EINVAL);
		/* all ones: coordinates beyond the field */
		memset(bad, 0xff, len);
		assert_int_equal(crypto_dh_shared(a, bad, len, sec, sizeof(sec), &slen), IG_EINVAL);
		/* the SEC1 form with 0x04 (what some implementations send by mistake) */
		bad[0] = 0x04;
		memcpy(bad + 1, pub, len);
		assert_int_equal(crypto_dh_shared(a, bad, len + 1, sec, sizeof(sec), &slen),
				 IG_EINVAL);
		/* the genuine value still works after the failures */
		assert_int_equal(crypto_dh_shared(a, pub, len, sec, sizeof(sec), &slen), 0);
		crypto_dh_free(a);
		crypto_dh_free(b);
	}

	/* P-256: x = p (out of range), y taken from a valid point */
	{
		uint8_t pub[64], sec[32];
		struct crypto_dh *a;
		size_t len;

		assert_int_equal(crypto_dh_new(&a, ALG_DH_ECP_256), 0);
		assert_int_equal(crypto_dh_public(a, pub, sizeof(pub), &len), 0);
		KAT_UNHEX(p256_p, pub);
		assert_int_equal(crypto_dh_shared(a, pub, 64, sec, sizeof(sec), &len), IG_EINVAL);
		crypto_dh_free(a);
	}
	/* a P-256 point offered to a P-384 key, zero-padded: not on P-384 */
	{
		uint8_t p256[64], p384[96] = {0}, sec[48];
		struct crypto_dh *a, *b;
		size_t len;

		assert_int_equal(crypto_dh_new(&a, ALG_DH_ECP_256), 0);
		assert_int_equal(crypto_dh_new(&b, ALG_DH_ECP_384), 0);
		assert_int_equal(crypto_dh_public(a, p256, sizeof(p256), &len), 0);
		memcpy(p384 + 16, p256, 32);
		memcpy(p384 + 48 + 16, p256 + 32, 32);
		assert_int_equal(crypto_dh_shared(b, p384, 96, sec, sizeof(sec), &len), IG_EINVAL);
		crypto_dh_free(a);
		crypto_dh_free(b);
	}
}

/*
 * X25519 points of small order make the shared secret all zero; RFC 7748 6.1
 * and RFC 8031 2.1 say to check for that and abort.
 */
static void test_x25519_low_order(void **state)
{
	static const char *const low[] = {
		"0000000000000000000000000000000000000000000000000000000000000000", /* 0 */
		"0100000000000000000000000000000000000000000000000000000000000000", /* 1 */
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p - 1 */
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p */
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p + 1 */
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", /* order 8 */
	};
	uint8_t u[32], sec[32], pub[32], canary[32];
	struct crypto_dh *a, *b;
	size_t len = 99;

	memset(canary, 0x5a, sizeof(canary));
	assert_int_equal(crypto_dh_new(&a, ALG_DH_CURVE25519), 0);
	for (size_t i = 0; i < sizeof(low) / sizeof(low[0]); i++) {
		KAT_UNHEX(low[i], u);
		memcpy(sec, canary, sizeof(sec));
		assert_int_equal(crypto_dh_shared(a, u, 32, sec, sizeof(sec), &len), IG_EINVAL);
		assert_int_equal(len, 0);
		/* nothing usable left in the output */
		assert_memory_not_equal(sec, canary, 32);
	}
	/* a genuine peer still works */
	assert_int_equal(crypto_dh_new(&b, ALG_DH_CURVE25519), 0);
	assert_int_equal(crypto_dh_public(b, pub, sizeof(pub), &len), 0);
	assert_int_equal(crypto_dh_shared(a, pub, 32, sec, sizeof(sec), &len), 0);
	assert_int_equal(len, 32);
	crypto_dh_free(a);
	crypto_dh_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),	 cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_private_values),	 cmocka_unit_test(test_ecp_peer),
		cmocka_unit_test(test_x25519_low_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
