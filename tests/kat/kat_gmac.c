/* SPDX-License-Identifier: MIT */
/*
 * AES-GMAC (ENCR_NULL_AUTH_AES_GMAC, RFC 4543). RFC 4543 has no vectors of
 * its own; GMAC is GCM with nothing encrypted and everything authenticated
 * as AAD (RFC 4543 3), so:
 * - McGrew-Viega test cases 1, 7 and 13 (empty plaintext and AAD) give the
 *   GMAC of nothing for 128/192/256-bit keys;
 * - GMAC over the AAD of test case 4 (20 octets) and over the plaintext of
 *   test case 3 used as AAD (64 octets), with the test case 3/4 key and
 *   IV, computed with Python's "cryptography" package (AESGCM.encrypt with
 *   an empty plaintext: an independent implementation) and cross-checked
 *   here against our own AES-GCM-16 with an empty plaintext.
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

#define K1  "feffe9928665731c6d6a8f9467308308"
#define IV1 "cafebabefacedbaddecaf888"
#define A20 "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define P64                                                                                        \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"                         \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define Z16 "00000000000000000000000000000000"
#define ZIV "000000000000000000000000"

struct vec {
	const char *name;
	unsigned keybits;
	const char *key, *iv, *aad, *tag;
};

static const struct vec t[] = {
	{"MV Test Case 1", 128, Z16, ZIV, "", "58e2fccefa7e3061367f1d57a4e7455a"},
	{"MV Test Case 7", 192, Z16 "0000000000000000", ZIV, "",
	 "cd33b28ac773f74ba00ed1f312572435"},
	{"MV Test Case 13", 256, Z16 Z16, ZIV, "", "530f8afbc74536b9a963b4f1c4cb738b"},
	{"128, AAD of case 4", 128, K1, IV1, A20, "346434fd51d5cd0c5887ec63e39b907a"},
	{"128, 64 octets", 128, K1, IV1, P64, "ac19cf682a8b6671d20a674b01aef144"},
	{"192, AAD of case 4", 192, K1 "feffe9928665731c", IV1, A20,
	 "c8253387e5f78673d538a60d50527a92"},
	{"192, 64 octets", 192, K1 "feffe9928665731c", IV1, P64,
	 "3f97716b27aadcfc34aa769a334ae2fd"},
	{"256, AAD of case 4", 256, K1 K1, IV1, A20, "9f6be07603c0b0bd1272854063e9c9ba"},
	{"256, 64 octets", 256, K1 K1, IV1, P64, "ff14f1b400fb1104dfe828af496594bf"},
};

static void test_vector(void **state)
{
	const struct vec *v = *state;
	uint8_t keymat[36], nonce[12], aad[64], tag[16], icv[16], gcm_icv[16];
	struct crypto_aead *enc, *dec, *gcm;
	struct crypto_iov iov;
	size_t keylen;

	keylen = kat_unhex(v->key, keymat, 32);
	assert_int_equal(keylen, v->keybits / 8);
	assert_int_equal(KAT_UNHEX(v->iv, nonce), 12);
	memcpy(keymat + keylen, nonce, 4);
	iov = (struct crypto_iov){aad, KAT_UNHEX(v->aad, aad)};
	assert_int_equal(KAT_UNHEX(v->tag, tag), 16);

	assert_int_equal(crypto_aead_new(&enc, ALG_ENCR_NULL_AUTH_AES_GMAC, v->keybits, keymat,
					 keylen + 4, true),
			 0);
	assert_int_equal(crypto_aead_new(&dec, ALG_ENCR_NULL_AUTH_AES_GMAC, v->keybits, keymat,
					 keylen + 4, false),
			 0);
	assert_int_equal(crypto_aead_icv_len(enc), 16);
	assert_int_equal(crypto_aead_seal(enc, nonce + 4, &iov, 1, NULL, 0, icv), 0);
	assert_memory_equal(icv, tag, 16);
	assert_int_equal(crypto_aead_open(dec, nonce + 4, &iov, 1, NULL, 0, tag), 0);
	/* GMAC encrypts nothing: a payload length is a caller error (RFC 4543 3). */
	assert_int_equal(crypto_aead_seal(enc, nonce + 4, &iov, 1, aad, 16, icv), IG_EINVAL);

	/* Cross-check: AES-GCM-16 with an empty plaintext gives the same tag. */
	assert_int_equal(
		crypto_aead_new(&gcm, ALG_ENCR_AES_GCM_16, v->keybits, keymat, keylen + 4, true),
		0);
	assert_int_equal(crypto_aead_seal(gcm, nonce + 4, &iov, 1, NULL, 0, gcm_icv), 0);
	assert_memory_equal(gcm_icv, tag, 16);
	crypto_aead_free(gcm);
	crypto_aead_free(enc);
	crypto_aead_free(dec);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(t) / sizeof(t[0])];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		tests[i] = (struct CMUnitTest){t[i].name, test_vector, NULL, NULL, (void *)&t[i]};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
