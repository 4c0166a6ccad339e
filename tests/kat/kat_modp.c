/* SPDX-License-Identifier: MIT */
/*
 * MODP groups 2, 5, 14, 15, 16 (RFC 2409 6.2, RFC 3526). The RFCs give no
 * exchange vectors, so:
 * - our prime constants must equal OpenSSL's independent copies
 *   (BN_get_rfc2409_prime_1024, BN_get_rfc3526_prime_*), and be 2^N - 2^(N-64)
 *   - 1 + 2^64 * k in shape (top and bottom 64 bits all ones);
 * - two fresh keys per group agree on g^ir, with KE data and secret of the
 *   prime length;
 * - a fixed exponent x = 1 gives g^x = 2 (checks the KE data padding), and
 *   x = 2 with peer 2 gives 2^2 = 4;
 * - peer values 0, 1, p - 1, p, 2^N - 1 and wrong lengths are refused,
 *   4 = g^2 is accepted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>

#include "crypto/crypto.h"
#include "crypto/modp.h"
#include "lib/err.h"

struct group {
	const char *name;
	uint16_t id;
	BIGNUM *(*openssl_prime)(BIGNUM *);
};

static const struct group t[] = {
	{"MODP_1024 (group 2)", ALG_DH_MODP_1024, BN_get_rfc2409_prime_1024},
	{"MODP_1536 (group 5)", ALG_DH_MODP_1536, BN_get_rfc3526_prime_1536},
	{"MODP_2048 (group 14)", ALG_DH_MODP_2048, BN_get_rfc3526_prime_2048},
	{"MODP_3072 (group 15)", ALG_DH_MODP_3072, BN_get_rfc3526_prime_3072},
	{"MODP_4096 (group 16)", ALG_DH_MODP_4096, BN_get_rfc3526_prime_4096},
};

/* Our prime as KE-format bytes (big-endian, the full prime length). */
static size_t prime_bytes(uint16_t group, uint8_t *out)
{
	BIGNUM *p = NULL;
	size_t len = alg_dh_pub_len(group);

	assert_non_null(crypto_modp_prime_hex(group));
	assert_true(BN_hex2bn(&p, crypto_modp_prime_hex(group)) > 0);
	assert_int_equal(BN_bn2binpad(p, out, (int)len), (int)len);
	BN_free(p);
	return len;
}

static void test_prime(void **state)
{
	const struct group *g = *state;
	BIGNUM *ours = NULL, *theirs = g->openssl_prime(NULL);
	size_t len = alg_dh_pub_len(g->id);

	assert_non_null(theirs);
	assert_true(BN_hex2bn(&ours, crypto_modp_prime_hex(g->id)) > 0);
	assert_int_equal(BN_cmp(ours, theirs), 0);
	assert_int_equal(BN_num_bits(ours), (int)len * 8);
	for (int i = 0; i < 64; i++) {
		assert_true(BN_is_bit_set(ours, i));
		assert_true(BN_is_bit_set(ours, (int)len * 8 - 1 - i));
	}
	BN_free(ours);
	BN_free(theirs);
}

static void test_round_trip(void **state)
{
	const struct group *g = *state;
	uint8_t pa[ALG_MAX_DH_PUB], pb[ALG_MAX_DH_PUB], sa[ALG_MAX_DH_SECRET],
		sb[ALG_MAX_DH_SECRET];
	size_t len = alg_dh_pub_len(g->id), la, lb, sla, slb;
	struct crypto_dh *a, *b;

	assert_int_equal(crypto_dh_new(&a, g->id), 0);
	assert_int_equal(crypto_dh_new(&b, g->id), 0);
	assert_int_equal(crypto_dh_public(a, pa, sizeof(pa), &la), 0);
	assert_int_equal(crypto_dh_public(b, pb, sizeof(pb), &lb), 0);
	assert_int_equal(la, len);
	assert_int_equal(lb, len);
	assert_memory_not_equal(pa, pb, len);
	assert_int_equal(crypto_dh_shared(a, pb, lb, sa, sizeof(sa), &sla), 0);
	assert_int_equal(crypto_dh_shared(b, pa, la, sb, sizeof(sb), &slb), 0);
	assert_int_equal(sla, len);
	assert_int_equal(slb, len);
	assert_int_equal(alg_dh_secret_len(g->id), len);
	assert_memory_equal(sa, sb, len);
	crypto_dh_free(a);
	crypto_dh_free(b);
}

/* x = 1: g^x = 2, left-padded to the prime length (RFC 7296 3.4). x = 2, y = 2: 4. */
static void test_fixed_exponents(void **state)
{
	const struct group *g = *state;
	uint8_t pub[ALG_MAX_DH_PUB], want[ALG_MAX_DH_PUB], sec[ALG_MAX_DH_SECRET];
	size_t len = alg_dh_pub_len(g->id), outlen;
	uint8_t two = 2, one = 1;
	struct crypto_dh *dh;

	/* 1 is outside 1 < x < p - 1, refused as a private value. */
	assert_int_equal(crypto_dh_new_from_private(&dh, g->id, &one, 1), IG_EINVAL);
	assert_int_equal(crypto_dh_new_from_private(&dh, g->id, &two, 1), 0);
	assert_int_equal(crypto_dh_public(dh, pub, sizeof(pub), &outlen), 0);
	memset(want, 0, len);
	want[len - 1] = 4;
	assert_int_equal(outlen, len);
	assert_memory_equal(pub, want, len);
	/* Peer 2 (= g): the shared secret is g^2 = 4, padded. */
	memset(pub, 0, len);
	pub[len - 1] = 2;
	assert_int_equal(crypto_dh_shared(dh, pub, len, sec, sizeof(sec), &outlen), 0);
	assert_int_equal(outlen, len);
	assert_memory_equal(sec, want, len);
	crypto_dh_free(dh);
}

static void test_reject(void **state)
{
	const struct group *g = *state;
	uint8_t p[ALG_MAX_DH_PUB], v[ALG_MAX_DH_PUB + 1], sec[ALG_MAX_DH_SECRET];
	size_t len = prime_bytes(g->id, p), outlen = 99;
	struct crypto_dh *dh;

	assert_int_equal(crypto_dh_new(&dh, g->id), 0);
	/* 0 and 1 */
	memset(v, 0, len);
	assert_int_equal(crypto_dh_shared(dh, v, len, sec, sizeof(sec), &outlen), IG_EINVAL);
	assert_int_equal(outlen, 0);
	v[len - 1] = 1;
	assert_int_equal(crypto_dh_shared(dh, v, len, sec, sizeof(sec), &outlen), IG_EINVAL);
	/* p - 1 (p is odd: clear the low bit), p, and all ones (> p) */
	memcpy(v, p, len);
	v[len - 1] ^= 1;
	assert_int_equal(crypto_dh_shared(dh, v, len, sec, sizeof(sec), &outlen), IG_EINVAL);
	assert_int_equal(crypto_dh_shared(dh, p, len, sec, sizeof(sec), &outlen), IG_EINVAL);
	memset(v, 0xff, len);
	assert_int_equal(crypto_dh_shared(dh, v, len, sec, sizeof(sec), &outlen), IG_EINVAL);
	/* 4 = g^2 is in range (and in the prime-order subgroup OpenSSL checks where it knows q) */
	memset(v, 0, len);
	v[len - 1] = 4;
	assert_int_equal(crypto_dh_shared(dh, v, len, sec, sizeof(sec), &outlen), 0);
	assert_int_equal(outlen, len);
	/* a good value with a wrong length: one short, one long, another group's */
	assert_int_equal(crypto_dh_shared(dh, v + 1, len - 1, sec, sizeof(sec), &outlen),
			 IG_EINVAL);
	memmove(v + 1, v, len);
	v[0] = 0;
	assert_int_equal(crypto_dh_shared(dh, v, len + 1, sec, sizeof(sec), &outlen), IG_EINVAL);
	assert_int_equal(crypto_dh_shared(dh, v, 32, sec, sizeof(sec), &outlen), IG_EINVAL);
	/* too little room for the secret */
	assert_int_equal(crypto_dh_shared(dh, p, len, sec, len - 1, &outlen), IG_ENOSPC);
	crypto_dh_free(dh);
}

#define N (sizeof(t) / sizeof(t[0]))

static const struct {
	const char *what;
	void (*fn)(void **);
} kinds[] = {
	{"prime", test_prime},
	{"round trip", test_round_trip},
	{"fixed exponents", test_fixed_exponents},
	{"peer value rejection", test_reject},
};

#define NK (sizeof(kinds) / sizeof(kinds[0]))

int main(void)
{
	static char names[N * NK][64];
	struct CMUnitTest tests[N * NK];

	for (size_t i = 0; i < N; i++) {
		for (size_t k = 0; k < NK; k++) {
			snprintf(names[i * NK + k], sizeof(names[0]), "%s: %s", t[i].name,
				 kinds[k].what);
			tests[i * NK + k] = (struct CMUnitTest){names[i * NK + k], kinds[k].fn,
								NULL, NULL, (void *)&t[i]};
		}
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
