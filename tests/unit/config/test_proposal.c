/* SPDX-License-Identifier: MIT */
/*
 * strongSwan proposal strings: a table of good strings with their canonical
 * form and transforms, a table of bad ones with the exact message, and the
 * parse -> format -> parse round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/proposal.h"
#include "crypto/alg.h"
#include "lib/err.h"

#define IKE PROPOSAL_IKE
#define ESP PROPOSAL_ESP

static void test_good(void **state)
{
	static const struct {
		enum proposal_kind kind;
		const char *in;
		const char *canon;
		size_t n_encr, n_integ, n_prf, n_dh;
		uint16_t encr0, keybits0, integ0, prf0, dh0;
		bool aead, strict, prf_implied;
	} t[] = {
		/* The guide's proposal, both kinds (section 2.2). */
		{IKE, "aes256-sha256-modp1024", "aes256-sha256-modp1024", 1, 1, 1, 1,
		 ALG_ENCR_AES_CBC, 256, ALG_INTEG_HMAC_SHA2_256_128, ALG_PRF_HMAC_SHA2_256,
		 ALG_DH_MODP_1024, false, false, true},
		{ESP, "aes256-sha256-modp1024", "aes256-sha256-modp1024", 1, 1, 0, 1,
		 ALG_ENCR_AES_CBC, 256, ALG_INTEG_HMAC_SHA2_256_128, 0, ALG_DH_MODP_1024, false,
		 false, false},
		{IKE, "aes256-sha256-modp1024!", "aes256-sha256-modp1024!", 1, 1, 1, 1,
		 ALG_ENCR_AES_CBC, 256, ALG_INTEG_HMAC_SHA2_256_128, ALG_PRF_HMAC_SHA2_256,
		 ALG_DH_MODP_1024, false, true, true},
		{IKE, "aes128-aes256-sha256-sha1-modp2048-modp1024",
		 "aes128-aes256-sha256-sha1-modp2048-modp1024", 2, 2, 2, 2, ALG_ENCR_AES_CBC, 128,
		 ALG_INTEG_HMAC_SHA2_256_128, ALG_PRF_HMAC_SHA2_256, ALG_DH_MODP_2048, false, false,
		 true},
		{IKE, "aes192-sha384-modp1536", "aes192-sha384-modp1536", 1, 1, 1, 1,
		 ALG_ENCR_AES_CBC, 192, ALG_INTEG_HMAC_SHA2_384_192, ALG_PRF_HMAC_SHA2_384,
		 ALG_DH_MODP_1536, false, false, true},
		{IKE, "aes128-sha1-prfsha256-modp3072", "aes128-sha1-prfsha256-modp3072", 1, 1, 1,
		 1, ALG_ENCR_AES_CBC, 128, ALG_INTEG_HMAC_SHA1_96, ALG_PRF_HMAC_SHA2_256,
		 ALG_DH_MODP_3072, false, false, false},
		{IKE, "aes256gcm16-prfsha384-ecp384", "aes256gcm16-prfsha384-ecp384", 1, 0, 1, 1,
		 ALG_ENCR_AES_GCM_16, 256, 0, ALG_PRF_HMAC_SHA2_384, ALG_DH_ECP_384, true, false,
		 false},
		{IKE, "aes128gcm-prfsha256-ecp256", "aes128gcm16-prfsha256-ecp256", 1, 0, 1, 1,
		 ALG_ENCR_AES_GCM_16, 128, 0, ALG_PRF_HMAC_SHA2_256, ALG_DH_ECP_256, true, false,
		 false},
		{IKE, "aes128gcm128-prfsha256-ecp521", "aes128gcm16-prfsha256-ecp521", 1, 0, 1, 1,
		 ALG_ENCR_AES_GCM_16, 128, 0, ALG_PRF_HMAC_SHA2_256, ALG_DH_ECP_521, true, false,
		 false},
		{IKE, "aes192gcm12-aes256gcm8-prfsha512-modp4096",
		 "aes192gcm12-aes256gcm8-prfsha512-modp4096", 2, 0, 1, 1, ALG_ENCR_AES_GCM_12, 192,
		 0, ALG_PRF_HMAC_SHA2_512, ALG_DH_MODP_4096, true, false, false},
		{IKE, "chacha20poly1305-prfsha256-x25519", "chacha20poly1305-prfsha256-curve25519",
		 1, 0, 1, 1, ALG_ENCR_CHACHA20_POLY1305, 0, 0, ALG_PRF_HMAC_SHA2_256,
		 ALG_DH_CURVE25519, true, false, false},
		{IKE, "AES256-SHA2_256-MODP2048", "aes256-sha256-modp2048", 1, 1, 1, 1,
		 ALG_ENCR_AES_CBC, 256, ALG_INTEG_HMAC_SHA2_256_128, ALG_PRF_HMAC_SHA2_256,
		 ALG_DH_MODP_2048, false, false, true},
		{IKE, "aes256-sha512-sha2_384-curve25519", "aes256-sha512-sha384-curve25519", 1, 2,
		 2, 1, ALG_ENCR_AES_CBC, 256, ALG_INTEG_HMAC_SHA2_512_256, ALG_PRF_HMAC_SHA2_512,
		 ALG_DH_CURVE25519, false, false, true},
		{ESP, "aes128-sha1", "aes128-sha1", 1, 1, 0, 0, ALG_ENCR_AES_CBC, 128,
		 ALG_INTEG_HMAC_SHA1_96, 0, 0, false, false, false},
		{ESP, "aes256gcm16", "aes256gcm16", 1, 0, 0, 0, ALG_ENCR_AES_GCM_16, 256, 0, 0, 0,
		 true, false, false},
		{ESP, "aes128gcm8-modp2048", "aes128gcm8-modp2048", 1, 0, 0, 1, ALG_ENCR_AES_GCM_8,
		 128, 0, 0, ALG_DH_MODP_2048, true, false, false},
		{ESP, "aes256gcm96-ecp256-esn", "aes256gcm12-ecp256-esn", 1, 0, 0, 1,
		 ALG_ENCR_AES_GCM_12, 256, 0, 0, ALG_DH_ECP_256, true, false, false},
		{ESP, "aes128gmac", "aes128gmac", 1, 0, 0, 0, ALG_ENCR_NULL_AUTH_AES_GMAC, 128, 0,
		 0, 0, true, false, false},
		{ESP, "aes192gmac-aes256gmac-noesn", "aes192gmac-aes256gmac-noesn", 2, 0, 0, 0,
		 ALG_ENCR_NULL_AUTH_AES_GMAC, 192, 0, 0, 0, true, false, false},
		{ESP, "null-sha256", "null-sha256", 1, 1, 0, 0, ALG_ENCR_NULL, 0,
		 ALG_INTEG_HMAC_SHA2_256_128, 0, 0, false, false, false},
		{ESP, "chacha20poly1305-x25519-esn-noesn!",
		 "chacha20poly1305-curve25519-esn-noesn!", 1, 0, 0, 1, ALG_ENCR_CHACHA20_POLY1305,
		 0, 0, 0, ALG_DH_CURVE25519, true, true, false},
		{ESP, "aes128-aes192-aes256-sha1-sha256-sha384-sha512-modp1024-modp1536-ecp384",
		 "aes128-aes192-aes256-sha1-sha256-sha384-sha512-modp1024-modp1536-ecp384", 3, 4, 0,
		 3, ALG_ENCR_AES_CBC, 128, ALG_INTEG_HMAC_SHA1_96, 0, ALG_DH_MODP_1024, false,
		 false, false},
		{ESP, "aes256-sha", "aes256-sha1", 1, 1, 0, 0, ALG_ENCR_AES_CBC, 256,
		 ALG_INTEG_HMAC_SHA1_96, 0, 0, false, false, false},
	};
	char out[PROPOSAL_MAX_TEXT], err[PROPOSAL_ERRLEN];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct proposal p, q;

		err[0] = '\0';
		if (proposal_parse(t[i].in, t[i].kind, &p, err, sizeof(err)) != 0)
			fail_msg("row %zu '%s': %s", i, t[i].in, err);
		assert_int_equal(p.n_encr, t[i].n_encr);
		assert_int_equal(p.n_integ, t[i].n_integ);
		assert_int_equal(p.n_prf, t[i].n_prf);
		assert_int_equal(p.n_dh, t[i].n_dh);
		assert_int_equal(p.encr[0].id, t[i].encr0);
		assert_int_equal(p.encr[0].keybits, t[i].keybits0);
		if (t[i].n_integ)
			assert_int_equal(p.integ[0], t[i].integ0);
		if (t[i].n_prf)
			assert_int_equal(p.prf[0], t[i].prf0);
		if (t[i].n_dh)
			assert_int_equal(p.dh[0], t[i].dh0);
		assert_int_equal(p.aead, t[i].aead);
		assert_int_equal(p.strict, t[i].strict);
		assert_int_equal(p.prf_implied, t[i].prf_implied);
		assert_int_equal(proposal_format(&p, out, sizeof(out)), 0);
		assert_string_equal(out, t[i].canon);
		/* The canonical text parses back to the same transforms. */
		assert_int_equal(proposal_parse(out, t[i].kind, &q, NULL, 0), 0);
		assert_true(proposal_equal(&p, &q));
	}
}

static void test_implied_prfs(void **state)
{
	struct proposal p;

	assert_int_equal(
		proposal_parse("aes128-aes256-sha256-sha1-modp2048-modp1024", IKE, &p, NULL, 0), 0);
	assert_int_equal(p.integ[1], ALG_INTEG_HMAC_SHA1_96);
	assert_int_equal(p.prf[0], ALG_PRF_HMAC_SHA2_256);
	assert_int_equal(p.prf[1], ALG_PRF_HMAC_SHA1);
	assert_int_equal(p.dh[1], ALG_DH_MODP_1024);
	assert_int_equal(p.encr[1].keybits, 256);
	assert_int_equal(proposal_parse("aes256-sha256-modp1024-esn", ESP, &p, NULL, 0), 0);
	assert_int_equal(p.n_esn, 1);
	assert_int_equal(p.esn[0], ALG_ESN_YES);
	assert_int_equal(proposal_prf_for_integ(ALG_INTEG_HMAC_SHA2_512_256),
			 ALG_PRF_HMAC_SHA2_512);
	assert_int_equal(proposal_prf_for_integ(999), ALG_PRF_NONE);
}

static void test_bad(void **state)
{
	static const struct {
		enum proposal_kind kind;
		const char *in;
		const char *msg;
	} t[] = {
		{IKE, "aes257-sha256-modp1024",
		 "unknown algorithm 'aes257' in proposal 'aes257-sha256-modp1024'"},
		{ESP, "aes256-sha256-modp1023",
		 "unknown algorithm 'modp1023' in proposal 'aes256-sha256-modp1023'"},
		{IKE, "aes256!-sha256-modp1024",
		 "unknown algorithm 'aes256!' in proposal 'aes256!-sha256-modp1024'"},
		{IKE, "", "empty proposal"},
		{IKE, "!", "empty algorithm name in proposal '!'"},
		{IKE, "aes256--sha256-modp1024",
		 "empty algorithm name in proposal 'aes256--sha256-modp1024'"},
		{ESP, "-aes256-sha256", "empty algorithm name in proposal '-aes256-sha256'"},
		{IKE, "aes256-sha256",
		 "IKE proposal 'aes256-sha256' has no Diffie-Hellman group, "
		 "add e.g. 'modp2048'"},
		{IKE, "sha256-modp1024", "no encryption algorithm in proposal 'sha256-modp1024'"},
		{ESP, "sha256", "no encryption algorithm in proposal 'sha256'"},
		{IKE, "aes256gcm16-ecp256",
		 "aes256gcm16 in an IKE proposal needs a PRF, add e.g. 'prfsha256'"},
		{IKE, "aes256gcm16-sha256-prfsha256-ecp256",
		 "aes256gcm16 is an AEAD and takes no integrity algorithm, drop 'sha256'"},
		{ESP, "aes256gcm16-sha256",
		 "aes256gcm16 is an AEAD and takes no integrity algorithm, drop 'sha256'"},
		{ESP, "aes128gmac-sha1",
		 "aes128gmac is an AEAD and takes no integrity algorithm, drop 'sha1'"},
		{ESP, "aes256-modp1024",
		 "aes256 is not an AEAD and needs an integrity algorithm, e.g. 'aes256-sha256'"},
		{ESP, "null",
		 "null is not an AEAD and needs an integrity algorithm, e.g. "
		 "'null-sha256'"},
		{IKE, "aes128-prfsha256-modp2048",
		 "aes128 is not an AEAD and needs an integrity algorithm, e.g. 'aes128-sha256'"},
		{IKE, "null-sha256-modp1024", "'null' is only allowed in ESP proposals"},
		{IKE, "aes128gmac-prfsha256-modp1024",
		 "'aes128gmac' is only allowed in ESP "
		 "proposals"},
		{IKE, "aes256-sha256-modp1024-esn", "'esn' is only allowed in ESP proposals"},
		{ESP, "aes256-sha256-prfsha256", "'prfsha256' is only allowed in IKE proposals"},
		{ESP, "aes256-sha256-sha256", "'sha256' is listed twice"},
		{ESP, "aes256-sha2_256-sha256", "'sha256' is listed twice"},
		{IKE, "aes256-aes256gcm16-sha256-prfsha256-modp2048",
		 "cannot mix AEAD 'aes256gcm16' and non-AEAD 'aes256' in one proposal; write two "
		 "proposals"},
		{ESP, "aes256-sha256 ", "unknown algorithm 'sha256 ' in proposal 'aes256-sha256 '"},
	};
	char err[PROPOSAL_ERRLEN];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct proposal p;

		err[0] = '\0';
		assert_int_equal(proposal_parse(t[i].in, t[i].kind, &p, err, sizeof(err)),
				 IG_EINVAL);
		if (strcmp(err, t[i].msg) != 0)
			fail_msg("row %zu '%s':\n got  %s\n want %s", i, t[i].in, err, t[i].msg);
	}
}

static void test_limits(void **state)
{
	char big[PROPOSAL_MAX_TEXT + 2], err[PROPOSAL_ERRLEN], out[8];
	struct proposal p;
	size_t n = 0;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(proposal_parse(big, IKE, &p, err, sizeof(err)), IG_EINVAL);
	assert_string_equal(err, "proposal is 513 characters long, at most 512 allowed");
	/* 17 DH groups: more than one proposal may carry. */
	n = (size_t)snprintf(big, sizeof(big), "aes256-sha256");
	for (int i = 0; i < 17; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "-%s",
				      i % 2 ? "modp2048" : "ecp256");
	assert_int_equal(proposal_parse(big, IKE, &p, err, sizeof(err)), IG_EINVAL);
	assert_string_equal(err, "'ecp256' is listed twice");
	assert_int_equal(proposal_parse(NULL, IKE, &p, NULL, 0), IG_EINVAL);
	assert_int_equal(proposal_parse("aes256-sha256-modp1024", IKE, &p, NULL, 0), 0);
	assert_int_equal(proposal_format(&p, out, sizeof(out)), IG_ENOSPC);
	assert_int_equal(proposal_format(&p, out, 0), IG_ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_implied_prfs),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
