/* SPDX-License-Identifier: MIT */
/*
 * Curve25519 (group 31, RFC 8031): RFC 7748 known answers through the
 * crypto_dh API. Section 5.2's X25519 function vectors run as "our private
 * scalar, peer u-coordinate -> shared secret" (the second one has the top
 * bit of u set, which must be masked); the iterated vector runs 1 and 1000
 * rounds (k, u <- X25519(k, u), k); section 6.1 checks Alice's and Bob's
 * public values and their shared secret.
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

struct vec {
	const char *name, *scalar, *u, *out;
};

static const struct vec fn[] = {
	{"5.2 vector 1", "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
	 "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
	 "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
	{"5.2 vector 2", "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
	 "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
	 "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
};

static void x25519(const uint8_t k[32], const uint8_t u[32], uint8_t out[32])
{
	struct crypto_dh *dh;
	size_t len;

	assert_int_equal(crypto_dh_new_from_private(&dh, ALG_DH_CURVE25519, k, 32), 0);
	assert_int_equal(crypto_dh_shared(dh, u, 32, out, 32, &len), 0);
	assert_int_equal(len, 32);
	crypto_dh_free(dh);
}

static void test_function(void **state)
{
	const struct vec *v = *state;
	uint8_t k[32], u[32], want[32], out[32];

	KAT_UNHEX(v->scalar, k);
	KAT_UNHEX(v->u, u);
	KAT_UNHEX(v->out, want);
	x25519(k, u, out);
	assert_memory_equal(out, want, 32);
}

/* 5.2: k = u = 9 (little-endian); each round k, u = X25519(k, u), k. */
static void iterate(int rounds, const char *want_hex)
{
	uint8_t k[32] = {9}, u[32] = {9}, out[32], want[32];

	KAT_UNHEX(want_hex, want);
	for (int i = 0; i < rounds; i++) {
		x25519(k, u, out);
		memcpy(u, k, 32);
		memcpy(k, out, 32);
	}
	assert_memory_equal(k, want, 32);
}

static void test_iterated_1(void **state)
{
	iterate(1, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
}

static void test_iterated_1000(void **state)
{
	iterate(1000, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
}

/* 6.1: Alice and Bob. */
static void test_alice_bob(void **state)
{
	uint8_t a[32], a_pub[32], b[32], b_pub[32], k[32], pub[32], sec[32];
	struct crypto_dh *alice, *bob;
	size_t len;

	KAT_UNHEX("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a);
	KAT_UNHEX("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", a_pub);
	KAT_UNHEX("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", b);
	KAT_UNHEX("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", b_pub);
	KAT_UNHEX("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", k);

	assert_int_equal(crypto_dh_new_from_private(&alice, ALG_DH_CURVE25519, a, 32), 0);
	assert_int_equal(crypto_dh_new_from_private(&bob, ALG_DH_CURVE25519, b, 32), 0);
	assert_int_equal(crypto_dh_public(alice, pub, sizeof(pub), &len), 0);
	assert_int_equal(len, 32);
	assert_memory_equal(pub, a_pub, 32);
	assert_int_equal(crypto_dh_public(bob, pub, sizeof(pub), &len), 0);
	assert_memory_equal(pub, b_pub, 32);
	assert_int_equal(crypto_dh_shared(alice, b_pub, 32, sec, sizeof(sec), &len), 0);
	assert_memory_equal(sec, k, 32);
	assert_int_equal(crypto_dh_shared(bob, a_pub, 32, sec, sizeof(sec), &len), 0);
	assert_memory_equal(sec, k, 32);
	crypto_dh_free(alice);
	crypto_dh_free(bob);
}

int main(void)
{
	struct CMUnitTest tests[] = {
		{fn[0].name, test_function, NULL, NULL, (void *)&fn[0]},
		{fn[1].name, test_function, NULL, NULL, (void *)&fn[1]},
		cmocka_unit_test(test_iterated_1),
		cmocka_unit_test(test_iterated_1000),
		cmocka_unit_test(test_alice_bob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
