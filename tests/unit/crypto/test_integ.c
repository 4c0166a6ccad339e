/* SPDX-License-Identifier: MIT */
/*
 * Integrity and PRF beyond the vectors: key sizes refused, verify refuses
 * any flipped bit, split input equals contiguous input, and one keyed
 * context reused for many messages gives what a fresh one gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "lib/err.h"

static const uint16_t integs[] = {ALG_INTEG_HMAC_SHA1_96, ALG_INTEG_HMAC_SHA2_256_128,
				  ALG_INTEG_HMAC_SHA2_384_192, ALG_INTEG_HMAC_SHA2_512_256};
static const uint16_t prfs[] = {ALG_PRF_HMAC_SHA1, ALG_PRF_HMAC_SHA2_256, ALG_PRF_HMAC_SHA2_384,
				ALG_PRF_HMAC_SHA2_512};

static uint8_t key[200], msg[1500];

static int setup(void **state)
{
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 13 + 1);
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	return 0;
}

static void test_integ_keys(void **state)
{
	struct crypto_integ *in = (void *)1;

	for (size_t i = 0; i < sizeof(integs) / sizeof(integs[0]); i++) {
		size_t kl = alg_integ_key_len(integs[i]);

		assert_int_equal(crypto_integ_new(&in, integs[i], key, kl - 1), IG_EINVAL);
		assert_null(in);
		assert_int_equal(crypto_integ_new(&in, integs[i], key, kl + 1), IG_EINVAL);
		assert_int_equal(crypto_integ_new(&in, integs[i], key, 0), IG_EINVAL);
		assert_int_equal(crypto_integ_new(&in, integs[i], key, kl), 0);
		assert_int_equal(crypto_integ_icv_len(in), alg_integ_icv_len(integs[i]));
		crypto_integ_free(in);
	}
	assert_int_equal(crypto_integ_new(&in, ALG_INTEG_NONE, key, 0), IG_ENOTSUP);
	assert_int_equal(crypto_integ_new(&in, 1 /* HMAC-MD5-96 */, key, 16), IG_ENOTSUP);
	assert_int_equal(crypto_integ_new(&in, 5 /* AES-XCBC-96 */, key, 16), IG_ENOTSUP);
	crypto_integ_free(NULL);
}

static void test_integ_verify(void **state)
{
	for (size_t i = 0; i < sizeof(integs) / sizeof(integs[0]); i++) {
		size_t kl = alg_integ_key_len(integs[i]), il = alg_integ_icv_len(integs[i]);
		struct crypto_iov iov = {msg, 100};
		uint8_t icv[ALG_MAX_ICV], bad[ALG_MAX_ICV];
		struct crypto_integ *in;

		assert_int_equal(crypto_integ_new(&in, integs[i], key, kl), 0);
		assert_int_equal(crypto_integ_compute(in, &iov, 1, icv), 0);
		assert_int_equal(crypto_integ_verify(in, &iov, 1, icv), 0);
		for (size_t bit = 0; bit < il * 8; bit++) {
			memcpy(bad, icv, il);
			bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			assert_int_equal(crypto_integ_verify(in, &iov, 1, bad), IG_EAUTH);
		}
		for (size_t bit = 0; bit < 100 * 8; bit += 11) {
			msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			assert_int_equal(crypto_integ_verify(in, &iov, 1, icv), IG_EAUTH);
			msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		/* one octet more or less */
		iov.len = 101;
		assert_int_equal(crypto_integ_verify(in, &iov, 1, icv), IG_EAUTH);
		iov.len = 99;
		assert_int_equal(crypto_integ_verify(in, &iov, 1, icv), IG_EAUTH);
		/* and the genuine one still passes on the same context */
		iov.len = 100;
		assert_int_equal(crypto_integ_verify(in, &iov, 1, icv), 0);
		assert_int_equal(crypto_integ_compute(in, &iov, -1, icv), IG_EINVAL);
		crypto_integ_free(in);
	}
}

/* Many messages on one context == a fresh context each; split == contiguous. */
static void test_integ_reuse(void **state)
{
	for (size_t i = 0; i < sizeof(integs) / sizeof(integs[0]); i++) {
		size_t kl = alg_integ_key_len(integs[i]), il = alg_integ_icv_len(integs[i]);
		struct crypto_integ *in;

		assert_int_equal(crypto_integ_new(&in, integs[i], key, kl), 0);
		for (size_t len = 0; len <= sizeof(msg); len += 37) {
			uint8_t a[ALG_MAX_ICV], b[ALG_MAX_ICV], c[ALG_MAX_ICV];
			struct crypto_iov whole = {msg, len};
			struct crypto_iov parts[3] = {
				{msg, len / 3}, {msg + len / 3, 0}, {msg + len / 3, len - len / 3}};
			struct crypto_integ *fresh;

			assert_int_equal(crypto_integ_compute(in, &whole, 1, a), 0);
			assert_int_equal(crypto_integ_compute(in, parts, 3, b), 0);
			assert_memory_equal(a, b, il);
			assert_int_equal(crypto_integ_new(&fresh, integs[i], key, kl), 0);
			assert_int_equal(crypto_integ_compute(fresh, &whole, 1, c), 0);
			assert_memory_equal(a, c, il);
			crypto_integ_free(fresh);
		}
		crypto_integ_free(in);
	}
}

/* The integrity ICV is the leading part of the PRF with the same key. */
static void test_integ_is_truncated_prf(void **state)
{
	for (size_t i = 0; i < sizeof(integs) / sizeof(integs[0]); i++) {
		size_t kl = alg_integ_key_len(integs[i]), il = alg_integ_icv_len(integs[i]);
		uint8_t icv[ALG_MAX_ICV], full[ALG_MAX_PRF];
		struct crypto_iov iov = {msg, 333};
		struct crypto_integ *in;

		assert_int_equal(crypto_integ_new(&in, integs[i], key, kl), 0);
		assert_int_equal(crypto_integ_compute(in, &iov, 1, icv), 0);
		assert_int_equal(crypto_prf(alg_prf_for_integ(integs[i]), key, kl, &iov, 1, full),
				 0);
		assert_memory_equal(icv, full, il);
		crypto_integ_free(in);
	}
}

static void test_prf(void **state)
{
	for (size_t i = 0; i < sizeof(prfs) / sizeof(prfs[0]); i++) {
		uint8_t a[ALG_MAX_PRF], b[ALG_MAX_PRF], c[ALG_MAX_PRF];
		size_t pl = alg_prf_len(prfs[i]);
		struct crypto_iov whole = {msg, 500};
		struct crypto_iov parts[2] = {{msg, 1}, {msg + 1, 499}};

		/* any key length, also empty and longer than the hash block */
		for (size_t kl = 0; kl <= sizeof(key); kl += 50) {
			assert_int_equal(crypto_prf(prfs[i], key, kl, &whole, 1, a), 0);
			assert_int_equal(crypto_prf(prfs[i], key, kl, parts, 2, b), 0);
			assert_memory_equal(a, b, pl);
		}
		/* the key matters */
		assert_int_equal(crypto_prf(prfs[i], key, 32, &whole, 1, a), 0);
		assert_int_equal(crypto_prf(prfs[i], key + 1, 32, &whole, 1, c), 0);
		assert_memory_not_equal(a, c, pl);
		/* no input at all */
		assert_int_equal(crypto_prf(prfs[i], key, 32, NULL, 0, a), 0);
		assert_int_equal(crypto_prf(prfs[i], key, 32, NULL, -1, a), IG_EINVAL);
	}
	assert_int_equal(crypto_prf(ALG_PRF_NONE, key, 32, NULL, 0, key), IG_ENOTSUP);
	assert_int_equal(crypto_prf(4 /* AES128-XCBC */, key, 16, NULL, 0, key), IG_ENOTSUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integ_keys),  cmocka_unit_test(test_integ_verify),
		cmocka_unit_test(test_integ_reuse), cmocka_unit_test(test_integ_is_truncated_prf),
		cmocka_unit_test(test_prf),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
