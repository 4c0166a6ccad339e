/* SPDX-License-Identifier: MIT */
/*
 * HMAC-SHA-256/384/512 known answers from RFC 4868 section 2.7:
 * 2.7.1, the PRF test vectors (full output, keys of any length, through
 * crypto_prf), and 2.7.2, the authenticator test vectors (keys of exactly
 * the hash length, ICV truncated to half, through crypto_integ).
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

static const char large_key_data[] = "Test Using Larger Than Block-Size Key - Hash Key First";
static const char large_both_data[] =
	"This is a test using a larger than block-size key and a larger than block-size data. "
	"The key needs to be hashed before being used by the HMAC algorithm.";

/* 2.7.1: keys and data shared by the three PRFs. */
enum key_kind { K_BYTE, K_JEFE, K_SEQ, K_HEX };

struct input {
	enum key_kind key_kind;
	uint8_t key_byte;
	size_t key_len; /* for K_BYTE / K_SEQ (0x01, 0x02, ...); K_JEFE repeats "Jefe" */
	const char *data_ascii;
	uint8_t data_byte;
	size_t data_len;
	const char *key_hex; /* K_HEX */
};

static const struct input prf_in[] = {
	{K_BYTE, 0x0b, 20, "Hi There", 0, 0, NULL},
	{K_JEFE, 0, 4, "what do ya want for nothing?", 0, 0, NULL},
	{K_BYTE, 0xaa, 20, NULL, 0xdd, 50, NULL},
	{K_SEQ, 0, 25, NULL, 0xcd, 50, NULL},
	{K_BYTE, 0xaa, 131, large_key_data, 0, 0, NULL},
	{K_BYTE, 0xaa, 131, large_both_data, 0, 0, NULL},
};

struct vec {
	const char *name;
	uint16_t alg; /* PRF id (2.7.1) or integrity id (2.7.2) */
	int input;    /* index into prf_in, or 0-3 for AUTH-1..4 */
	const char *out;
};

static const struct vec prf[] = {
	{"PRF-1 SHA-256", ALG_PRF_HMAC_SHA2_256, 0,
	 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
	{"PRF-2 SHA-256", ALG_PRF_HMAC_SHA2_256, 1,
	 "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
	{"PRF-3 SHA-256", ALG_PRF_HMAC_SHA2_256, 2,
	 "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
	{"PRF-4 SHA-256", ALG_PRF_HMAC_SHA2_256, 3,
	 "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
	{"PRF-5 SHA-256", ALG_PRF_HMAC_SHA2_256, 4,
	 "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
	{"PRF-6 SHA-256", ALG_PRF_HMAC_SHA2_256, 5,
	 "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
	{"PRF-1 SHA-384", ALG_PRF_HMAC_SHA2_384, 0,
	 "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	 "faea9ea9076ede7f4af152e8b2fa9cb6"},
	{"PRF-2 SHA-384", ALG_PRF_HMAC_SHA2_384, 1,
	 "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	 "8e2240ca5e69e2c78b3239ecfab21649"},
	{"PRF-3 SHA-384", ALG_PRF_HMAC_SHA2_384, 2,
	 "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
	 "2a5ab39dc13814b94e3ab6e101a34f27"},
	{"PRF-4 SHA-384", ALG_PRF_HMAC_SHA2_384, 3,
	 "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
	 "6801dd23c4a7d679ccf8a386c674cffb"},
	{"PRF-5 SHA-384", ALG_PRF_HMAC_SHA2_384, 4,
	 "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	 "0c2ef6ab4030fe8296248df163f44952"},
	{"PRF-6 SHA-384", ALG_PRF_HMAC_SHA2_384, 5,
	 "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
	 "a678cc31e799176d3860e6110c46523e"},
	{"PRF-1 SHA-512", ALG_PRF_HMAC_SHA2_512, 0,
	 "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	 "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
	{"PRF-2 SHA-512", ALG_PRF_HMAC_SHA2_512, 1,
	 "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	 "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
	{"PRF-3 SHA-512", ALG_PRF_HMAC_SHA2_512, 2,
	 "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	 "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
	{"PRF-4 SHA-512", ALG_PRF_HMAC_SHA2_512, 3,
	 "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	 "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
	{"PRF-5 SHA-512", ALG_PRF_HMAC_SHA2_512, 4,
	 "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	 "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
	{"PRF-6 SHA-512", ALG_PRF_HMAC_SHA2_512, 5,
	 "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
	 "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
};

/*
 * 2.7.2: AUTH-1 key 0x0b..., data "Hi There"; AUTH-2 key "JefeJefe...",
 * data "what do ya want for nothing?"; AUTH-3 key 0xaa..., data 0xdd x 50;
 * AUTH-4 key 0x01 0x02 ..., data 0xcd x 50. Keys are the hash length. The
 * vectors print the full HMAC; the ICV is its first half.
 */
static const struct input auth_in[] = {
	{K_BYTE, 0x0b, 0, "Hi There", 0, 0, NULL},
	{K_JEFE, 0, 0, "what do ya want for nothing?", 0, 0, NULL},
	{K_BYTE, 0xaa, 0, NULL, 0xdd, 50, NULL},
	{K_SEQ, 0, 0, NULL, 0xcd, 50, NULL},
	/*
	 * AUTH384-4 as printed: the third key row repeats 0x0a..0x19 instead of
	 * continuing 0x21..0x30. Erratum 5507 proposes the latter, but the
	 * printed HMAC belongs to the printed key. (AUTH512-4 uses the plain
	 * sequence, as corrected by erratum 1785.)
	 */
	{K_HEX, 0, 0, NULL, 0xcd, 50,
	 "0102030405060708090a0b0c0d0e0f10 1112131415161718191a1b1c1d1e1f20"
	 "0a0b0c0d0e0f10111213141516171819"},
};

static const struct vec auth[] = {
	{"AUTH256-1", ALG_INTEG_HMAC_SHA2_256_128, 0,
	 "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7"},
	{"AUTH256-2", ALG_INTEG_HMAC_SHA2_256_128, 1,
	 "167f928588c5cc2eef8e3093caa0e87c9ff566a14794aa61648d81621a2a40c6"},
	{"AUTH256-3", ALG_INTEG_HMAC_SHA2_256_128, 2,
	 "cdcb1220d1ecccea91e53aba3092f962e549fe6ce9ed7fdc43191fbde45c30b0"},
	{"AUTH256-4", ALG_INTEG_HMAC_SHA2_256_128, 3,
	 "372efcf9b40b35c2115b1346903d2ef42fced46f0846e7257bb156d3d7b30d3f"},
	{"AUTH384-1", ALG_INTEG_HMAC_SHA2_384_192, 0,
	 "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee9737a959796489bddbc"
	 "4c5df61d5b3297b4fb68dab9f1b582c2"},
	{"AUTH384-2", ALG_INTEG_HMAC_SHA2_384_192, 1,
	 "2c7353974f1842fd66d53c452ca42122b28c0b594cfb184da86a368e9b8e16f5"
	 "349524ca4e82400cbde0686d403371c9"},
	{"AUTH384-3", ALG_INTEG_HMAC_SHA2_384_192, 2,
	 "809f439be00274321d4a538652164b53554a508184a0c3160353e3428597003d"
	 "35914a18770f9443987054944b7c4b4a"},
	{"AUTH384-4", ALG_INTEG_HMAC_SHA2_384_192, 4,
	 "5b540085c6e6358096532b2493609ed1cb298f774f87bb5c2ebf182c83cc7428"
	 "707fb92eab2536a5812258228bc96687"},
	{"AUTH512-1", ALG_INTEG_HMAC_SHA2_512_256, 0,
	 "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8"
	 "ac2878ebd5803f6f0b61dbce5e251ff8789a4722c1be65aea45fd464e89f8f5b"},
	{"AUTH512-2", ALG_INTEG_HMAC_SHA2_512_256, 1,
	 "cb370917ae8a7ce28cfd1d8f4705d6141c173b2a9362c15df235dfb251b15454"
	 "6aa334ae9fb9afc2184932d8695e397bfa0ffb93466cfcceaae38c833b7dba38"},
	{"AUTH512-3", ALG_INTEG_HMAC_SHA2_512_256, 2,
	 "2ee7acd783624ca9398710f3ee05ae41b9f9b0510c87e49e586cc9bf961733d8"
	 "623c7b55cebefccf02d5581acc1c9d5fb1ff68a1de45509fbe4da9a433922655"},
	{"AUTH512-4", ALG_INTEG_HMAC_SHA2_512_256, 3,
	 "5e6688e5a3daec826ca32eaea224eff5e700628947470e13ad01302561bab108"
	 "b8c48cbc6b807dcfbd850521a685babc7eae4a2a2e660dc0e86b931d65503fd2"},
};

static size_t make_key(const struct input *in, size_t len, uint8_t *key)
{
	if (in->key_kind == K_HEX) {
		assert_int_equal(kat_unhex(in->key_hex, key, len), len);
		return len;
	}
	for (size_t i = 0; i < len; i++) {
		switch (in->key_kind) {
		case K_BYTE: key[i] = in->key_byte; break;
		case K_JEFE: key[i] = (uint8_t) "Jefe"[i % 4]; break;
		case K_SEQ: key[i] = (uint8_t)(i + 1); break;
		case K_HEX: break;
		}
	}
	return len;
}

static size_t make_data(const struct input *in, uint8_t *data, size_t cap)
{
	if (!in->data_ascii)
		return kat_fill(data, in->data_byte, in->data_len);
	assert_true(strlen(in->data_ascii) <= cap);
	memcpy(data, in->data_ascii, strlen(in->data_ascii));
	return strlen(in->data_ascii);
}

static void test_prf(void **state)
{
	const struct vec *v = *state;
	const struct input *in = &prf_in[v->input];
	uint8_t key[131], data[160], want[64], out[64];
	size_t keylen = make_key(in, in->key_len, key);
	struct crypto_iov iov = {data, make_data(in, data, sizeof(data))};

	assert_int_equal(KAT_UNHEX(v->out, want), alg_prf_len(v->alg));
	assert_int_equal(crypto_prf(v->alg, key, keylen, &iov, 1, out), 0);
	assert_memory_equal(out, want, alg_prf_len(v->alg));
}

static void test_auth(void **state)
{
	const struct vec *v = *state;
	const struct input *in = &auth_in[v->input];
	uint8_t key[64], data[64], want[64], icv[32];
	size_t keylen = make_key(in, alg_integ_key_len(v->alg), key);
	struct crypto_iov iov = {data, make_data(in, data, sizeof(data))};
	struct crypto_integ *i;

	assert_int_equal(KAT_UNHEX(v->out, want), keylen);
	assert_int_equal(crypto_integ_new(&i, v->alg, key, keylen), 0);
	assert_int_equal(crypto_integ_icv_len(i), keylen / 2);
	assert_int_equal(crypto_integ_compute(i, &iov, 1, icv), 0);
	assert_memory_equal(icv, want, keylen / 2);
	assert_int_equal(crypto_integ_verify(i, &iov, 1, want), 0);
	want[keylen / 2 - 1] ^= 1;
	assert_int_equal(crypto_integ_verify(i, &iov, 1, want), IG_EAUTH);
	crypto_integ_free(i);
}

#define NPRF  (sizeof(prf) / sizeof(prf[0]))
#define NAUTH (sizeof(auth) / sizeof(auth[0]))

int main(void)
{
	struct CMUnitTest tests[NPRF + NAUTH];

	for (size_t i = 0; i < NPRF; i++)
		tests[i] = (struct CMUnitTest){prf[i].name, test_prf, NULL, NULL, (void *)&prf[i]};
	for (size_t i = 0; i < NAUTH; i++)
		tests[NPRF + i] =
			(struct CMUnitTest){auth[i].name, test_auth, NULL, NULL, (void *)&auth[i]};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
