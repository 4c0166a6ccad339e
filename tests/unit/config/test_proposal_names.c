/* SPDX-License-Identifier: MIT */
/*
 * Proposals as the IKEv2 registry names strongSwan and VyOS print
 * (PRODUCT.md: "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024"),
 * through crypto/alg.c's name tables; and our implied PRFs agree with
 * crypto's alg_prf_for_integ().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config/proposal.h"
#include "crypto/alg.h"
#include "lib/err.h"

static void test_registry_names(void **state)
{
	static const struct {
		enum proposal_kind kind;
		const char *in;
		const char *names;
	} t[] = {
		{PROPOSAL_IKE, "aes256-sha256-modp1024",
		 "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024"},
		{PROPOSAL_ESP, "aes256-sha256-modp1024", "AES_CBC_256/HMAC_SHA2_256_128/MODP_1024"},
		{PROPOSAL_ESP, "aes256-sha256", "AES_CBC_256/HMAC_SHA2_256_128"},
		{PROPOSAL_IKE, "aes128-aes256-sha256-sha1-modp2048-modp1024",
		 "AES_CBC_128/AES_CBC_256/HMAC_SHA2_256_128/HMAC_SHA1_96/PRF_HMAC_SHA2_256/"
		 "PRF_HMAC_SHA1/MODP_2048/MODP_1024"},
		{PROPOSAL_IKE, "aes256gcm16-prfsha384-ecp384",
		 "AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384"},
		{PROPOSAL_IKE, "chacha20poly1305-prfsha512-curve25519",
		 "CHACHA20_POLY1305/PRF_HMAC_SHA2_512/CURVE_25519"},
		{PROPOSAL_ESP, "aes128gcm8-aes192gcm12-ecp521",
		 "AES_GCM_8_128/AES_GCM_12_192/ECP_521"},
		{PROPOSAL_ESP, "aes192gmac-esn-noesn", "NULL_AUTH_AES_GMAC_192/EXT_SEQ/NO_EXT_SEQ"},
		{PROPOSAL_ESP, "null-sha512-modp4096", "NULL/HMAC_SHA2_512_256/MODP_4096"},
		{PROPOSAL_ESP, "aes128-sha384-modp1536-modp3072",
		 "AES_CBC_128/HMAC_SHA2_384_192/MODP_1536/MODP_3072"},
	};
	char out[512];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct proposal p;

		assert_int_equal(proposal_parse(t[i].in, t[i].kind, &p, NULL, 0), 0);
		assert_int_equal(proposal_registry_names(&p, out, sizeof(out)), 0);
		assert_string_equal(out, t[i].names);
		assert_int_equal(proposal_registry_names(&p, out, 10), IG_ENOSPC);
	}
}

static void test_prf_pairing_matches_crypto(void **state)
{
	static const uint16_t integ[] = {ALG_INTEG_HMAC_SHA1_96, ALG_INTEG_HMAC_SHA2_256_128,
					 ALG_INTEG_HMAC_SHA2_384_192, ALG_INTEG_HMAC_SHA2_512_256};

	for (size_t i = 0; i < sizeof(integ) / sizeof(integ[0]); i++)
		assert_int_equal(proposal_prf_for_integ(integ[i]), alg_prf_for_integ(integ[i]));
}

/* Everything the parser accepts is an algorithm crypto/ knows. */
static void test_parsed_algorithms_known(void **state)
{
	static const char *const all[] = {
		"aes128-aes192-aes256-sha1-sha256-sha384-sha512-modp1024-modp1536-modp2048-"
		"modp3072-modp4096-ecp256-ecp384-ecp521-curve25519",
		"aes128gcm8-aes192gcm8-aes256gcm8-aes128gcm12-aes192gcm12-aes256gcm12-aes128gcm16-"
		"aes192gcm16-aes256gcm16-chacha20poly1305-prfsha1-prfsha256-prfsha384-prfsha512-"
		"ecp256",
	};
	struct proposal p;

	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(proposal_parse(all[i], PROPOSAL_IKE, &p, NULL, 0), 0);
		for (size_t j = 0; j < p.n_encr; j++) {
			assert_true(alg_encr_known(p.encr[j].id));
			assert_true(alg_encr_keybits_ok(p.encr[j].id, p.encr[j].keybits));
		}
		for (size_t j = 0; j < p.n_integ; j++)
			assert_true(alg_integ_known(p.integ[j]));
		for (size_t j = 0; j < p.n_prf; j++)
			assert_true(alg_prf_known(p.prf[j]));
		for (size_t j = 0; j < p.n_dh; j++)
			assert_true(alg_dh_known(p.dh[j]));
	}
	assert_int_equal(
		proposal_parse("aes128gmac-aes256gmac-null-sha1", PROPOSAL_ESP, &p, NULL, 0),
		IG_EINVAL); /* GMAC and NULL+integ cannot share a proposal */
	assert_int_equal(proposal_parse("aes128gmac-aes256gmac", PROPOSAL_ESP, &p, NULL, 0), 0);
	assert_true(alg_encr_known(p.encr[1].id));
	assert_true(alg_encr_keybits_ok(p.encr[1].id, p.encr[1].keybits));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_names),
		cmocka_unit_test(test_prf_pairing_matches_crypto),
		cmocka_unit_test(test_parsed_algorithms_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
