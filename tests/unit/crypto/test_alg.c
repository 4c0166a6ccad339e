/* SPDX-License-Identifier: MIT */
/*
 * The alg_* descriptions: every algorithm PRODUCT.md requires is known,
 * sized and named as strongSwan/VyOS print it; unknown ids are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/alg.h"

static void test_encr(void **state)
{
	static const struct {
		uint16_t id;
		unsigned keybits;
		const char *name;
		size_t keymat, salt, iv, block, icv;
		bool aead;
	} t[] = {
		{ALG_ENCR_AES_CBC, 128, "AES_CBC_128", 16, 0, 16, 16, 0, false},
		{ALG_ENCR_AES_CBC, 192, "AES_CBC_192", 24, 0, 16, 16, 0, false},
		{ALG_ENCR_AES_CBC, 256, "AES_CBC_256", 32, 0, 16, 16, 0, false},
		{ALG_ENCR_AES_GCM_8, 128, "AES_GCM_8_128", 20, 4, 8, 4, 8, true},
		{ALG_ENCR_AES_GCM_8, 192, "AES_GCM_8_192", 28, 4, 8, 4, 8, true},
		{ALG_ENCR_AES_GCM_8, 256, "AES_GCM_8_256", 36, 4, 8, 4, 8, true},
		{ALG_ENCR_AES_GCM_12, 128, "AES_GCM_12_128", 20, 4, 8, 4, 12, true},
		{ALG_ENCR_AES_GCM_12, 192, "AES_GCM_12_192", 28, 4, 8, 4, 12, true},
		{ALG_ENCR_AES_GCM_12, 256, "AES_GCM_12_256", 36, 4, 8, 4, 12, true},
		{ALG_ENCR_AES_GCM_16, 128, "AES_GCM_16_128", 20, 4, 8, 4, 16, true},
		{ALG_ENCR_AES_GCM_16, 192, "AES_GCM_16_192", 28, 4, 8, 4, 16, true},
		{ALG_ENCR_AES_GCM_16, 256, "AES_GCM_16_256", 36, 4, 8, 4, 16, true},
		{ALG_ENCR_NULL_AUTH_AES_GMAC, 128, "NULL_AUTH_AES_GMAC_128", 20, 4, 8, 4, 16, true},
		{ALG_ENCR_NULL_AUTH_AES_GMAC, 192, "NULL_AUTH_AES_GMAC_192", 28, 4, 8, 4, 16, true},
		{ALG_ENCR_NULL_AUTH_AES_GMAC, 256, "NULL_AUTH_AES_GMAC_256", 36, 4, 8, 4, 16, true},
		{ALG_ENCR_CHACHA20_POLY1305, 0, "CHACHA20_POLY1305", 36, 4, 8, 4, 16, true},
		{ALG_ENCR_CHACHA20_POLY1305, 256, "CHACHA20_POLY1305", 36, 4, 8, 4, 16, true},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_true(alg_encr_known(t[i].id));
		assert_true(alg_encr_keybits_ok(t[i].id, t[i].keybits));
		assert_int_equal(alg_encr_is_aead(t[i].id), t[i].aead);
		assert_string_equal(alg_encr_name(t[i].id, t[i].keybits), t[i].name);
		assert_int_equal(alg_encr_keymat_len(t[i].id, t[i].keybits), t[i].keymat);
		assert_int_equal(alg_encr_salt_len(t[i].id), t[i].salt);
		assert_int_equal(alg_encr_iv_len(t[i].id), t[i].iv);
		assert_int_equal(alg_encr_block_len(t[i].id), t[i].block);
		assert_int_equal(alg_encr_icv_len(t[i].id), t[i].icv);
		assert_true(alg_encr_keymat_len(t[i].id, t[i].keybits) <= ALG_MAX_KEY);
		assert_true(alg_encr_iv_len(t[i].id) <= ALG_MAX_IV);
		assert_true(alg_encr_block_len(t[i].id) <= ALG_MAX_BLOCK);
		assert_true(alg_encr_icv_len(t[i].id) <= ALG_MAX_ICV);
	}
}

static void test_encr_refused(void **state)
{
	static const struct {
		uint16_t id;
		unsigned keybits;
	} bad[] = {
		/* Key Length attribute mandatory for AES (RFC 3602 5.3, RFC 4106 8.4) */
		{ALG_ENCR_AES_CBC, 0},
		{ALG_ENCR_AES_CBC, 64},
		{ALG_ENCR_AES_CBC, 512},
		{ALG_ENCR_AES_GCM_16, 0},
		{ALG_ENCR_AES_GCM_8, 255},
		{ALG_ENCR_NULL_AUTH_AES_GMAC, 0},
		{ALG_ENCR_CHACHA20_POLY1305, 128},
		{ALG_ENCR_NONE, 0},
		{ALG_ENCR_NULL, 0},
		{3 /* 3DES */, 192},
		{13 /* AES-CTR */, 128},
		{0xffff, 128},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(alg_encr_keybits_ok(bad[i].id, bad[i].keybits));
		assert_int_equal(alg_encr_keymat_len(bad[i].id, bad[i].keybits), 0);
	}
	assert_false(alg_encr_known(ALG_ENCR_NONE));
	assert_false(alg_encr_known(ALG_ENCR_NULL));
	assert_false(alg_encr_known(3));
	assert_false(alg_encr_is_aead(ALG_ENCR_AES_CBC));
	assert_string_equal(alg_encr_name(ALG_ENCR_NONE, 0), "NONE");
	assert_string_equal(alg_encr_name(3, 192), "UNKNOWN");
	assert_string_equal(alg_encr_name(ALG_ENCR_AES_CBC, 100), "AES_CBC");
	assert_int_equal(alg_encr_iv_len(3), 0);
	assert_int_equal(alg_encr_icv_len(ALG_ENCR_AES_CBC), 0);
}

static void test_integ(void **state)
{
	static const struct {
		uint16_t id;
		const char *name;
		size_t key, icv;
		uint16_t prf;
	} t[] = {
		{ALG_INTEG_HMAC_SHA1_96, "HMAC_SHA1_96", 20, 12, ALG_PRF_HMAC_SHA1},
		{ALG_INTEG_HMAC_SHA2_256_128, "HMAC_SHA2_256_128", 32, 16, ALG_PRF_HMAC_SHA2_256},
		{ALG_INTEG_HMAC_SHA2_384_192, "HMAC_SHA2_384_192", 48, 24, ALG_PRF_HMAC_SHA2_384},
		{ALG_INTEG_HMAC_SHA2_512_256, "HMAC_SHA2_512_256", 64, 32, ALG_PRF_HMAC_SHA2_512},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_true(alg_integ_known(t[i].id));
		assert_string_equal(alg_integ_name(t[i].id), t[i].name);
		assert_int_equal(alg_integ_key_len(t[i].id), t[i].key);
		assert_int_equal(alg_integ_icv_len(t[i].id), t[i].icv);
		assert_true(t[i].icv <= ALG_MAX_ICV);
		assert_int_equal(alg_prf_for_integ(t[i].id), t[i].prf);
	}
	assert_false(alg_integ_known(ALG_INTEG_NONE));
	assert_false(alg_integ_known(1 /* HMAC-MD5-96 */));
	assert_string_equal(alg_integ_name(ALG_INTEG_NONE), "NONE");
	assert_string_equal(alg_integ_name(5), "UNKNOWN");
	assert_int_equal(alg_integ_key_len(5), 0);
	assert_int_equal(alg_integ_icv_len(5), 0);
	assert_int_equal(alg_prf_for_integ(ALG_INTEG_NONE), ALG_PRF_NONE);
	assert_int_equal(alg_prf_for_integ(5), ALG_PRF_NONE);
}

static void test_prf(void **state)
{
	static const struct {
		uint16_t id;
		const char *name;
		size_t len;
	} t[] = {
		{ALG_PRF_HMAC_SHA1, "PRF_HMAC_SHA1", 20},
		{ALG_PRF_HMAC_SHA2_256, "PRF_HMAC_SHA2_256", 32},
		{ALG_PRF_HMAC_SHA2_384, "PRF_HMAC_SHA2_384", 48},
		{ALG_PRF_HMAC_SHA2_512, "PRF_HMAC_SHA2_512", 64},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_true(alg_prf_known(t[i].id));
		assert_string_equal(alg_prf_name(t[i].id), t[i].name);
		assert_int_equal(alg_prf_len(t[i].id), t[i].len);
		assert_true(t[i].len <= ALG_MAX_PRF);
	}
	assert_false(alg_prf_known(ALG_PRF_NONE));
	assert_false(alg_prf_known(1 /* PRF_HMAC_MD5 */));
	assert_false(alg_prf_known(4 /* PRF_AES128_XCBC */));
	assert_int_equal(alg_prf_len(4), 0);
	assert_string_equal(alg_prf_name(ALG_PRF_NONE), "NONE");
	assert_string_equal(alg_prf_name(4), "UNKNOWN");
}

static void test_dh(void **state)
{
	static const struct {
		uint16_t id;
		const char *name;
		size_t pub, secret;
	} t[] = {
		{2, "MODP_1024", 128, 128},  {5, "MODP_1536", 192, 192},
		{14, "MODP_2048", 256, 256}, {15, "MODP_3072", 384, 384},
		{16, "MODP_4096", 512, 512}, {19, "ECP_256", 64, 32},
		{20, "ECP_384", 96, 48},     {21, "ECP_521", 132, 66},
		{31, "CURVE_25519", 32, 32},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_true(alg_dh_known(t[i].id));
		assert_string_equal(alg_dh_name(t[i].id), t[i].name);
		assert_int_equal(alg_dh_pub_len(t[i].id), t[i].pub);
		assert_int_equal(alg_dh_secret_len(t[i].id), t[i].secret);
		assert_true(t[i].pub <= ALG_MAX_DH_PUB);
		assert_true(t[i].secret <= ALG_MAX_DH_SECRET);
	}
	assert_false(alg_dh_known(ALG_DH_NONE));
	assert_false(alg_dh_known(1 /* MODP_768 */));
	assert_false(alg_dh_known(24 /* MODP_2048_256, RFC 5114 */));
	assert_false(alg_dh_known(32 /* CURVE_448 */));
	assert_int_equal(alg_dh_pub_len(1), 0);
	assert_string_equal(alg_dh_name(ALG_DH_NONE), "NONE");
	assert_string_equal(alg_dh_name(1), "UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encr),  cmocka_unit_test(test_encr_refused),
		cmocka_unit_test(test_integ), cmocka_unit_test(test_prf),
		cmocka_unit_test(test_dh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
