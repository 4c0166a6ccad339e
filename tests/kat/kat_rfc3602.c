/* SPDX-License-Identifier: MIT */
/*
 * AES-CBC known answers: RFC 3602 section 4, cases 1-4 (128-bit keys). The
 * ASCII plaintexts of cases 1 and 3 are given as strings without the NUL.
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
	const char *name, *key, *iv, *pt_ascii, *pt_hex, *ct;
};

static const struct vec t[] = {
	{"case 1: 16 bytes, 1 block", "06a9214036b8a15b512e03d534120006",
	 "3dafba429d9eb430b422da802c9fac41", "Single block msg", NULL,
	 "e353779c1079aeb82708942dbe77181a"},
	{"case 2: 32 bytes, 2 blocks", "c286696d887c9aa0611bbb3e2025a45a",
	 "562e17996d093d28ddb3ba695a2e6f58", NULL,
	 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	 "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"},
	{"case 3: 48 bytes, 3 blocks", "6c3ea0477630ce21a2ce334aa746c2cd",
	 "c782dc4c098c66cbd9cd27d825682c81", "This is a 48-byte message (exactly 3 AES blocks)",
	 NULL,
	 "d0a02b3836451753d493665d33f0e886"
	 "2dea54cdb293abc7506939276772f8d5"
	 "021c19216bad525c8579695d83ba2684"},
	{"case 4: 64 bytes, 4 blocks", "56e47a38c5598974bc46903dba290349",
	 "8ce82eefbea0da3c44699ed7db51b7d9", NULL,
	 "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	 "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
	 "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e"
	 "35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55"},
};

/* One cmocka test per vector, so every vector shows up in the TAP count. */
static void test_vector(void **state)
{
	const struct vec *v = *state;
	uint8_t key[16], iv[16], pt[64], ct[64], buf[64];
	struct crypto_cipher *enc, *dec;
	size_t keylen, ptlen, ctlen;

	keylen = KAT_UNHEX(v->key, key);
	assert_int_equal(KAT_UNHEX(v->iv, iv), 16);
	if (v->pt_ascii) {
		ptlen = strlen(v->pt_ascii);
		memcpy(pt, v->pt_ascii, ptlen);
	} else {
		ptlen = KAT_UNHEX(v->pt_hex, pt);
	}
	ctlen = KAT_UNHEX(v->ct, ct);
	assert_int_equal(ptlen, ctlen);
	assert_int_equal(crypto_cipher_new(&enc, ALG_ENCR_AES_CBC, 128, key, keylen, true), 0);
	assert_int_equal(crypto_cipher_new(&dec, ALG_ENCR_AES_CBC, 128, key, keylen, false), 0);
	memcpy(buf, pt, ptlen);
	assert_int_equal(crypto_cipher_crypt(enc, iv, buf, ptlen), 0);
	assert_memory_equal(buf, ct, ctlen);
	assert_int_equal(crypto_cipher_crypt(dec, iv, buf, ctlen), 0);
	assert_memory_equal(buf, pt, ptlen);
	/* Again with the same objects: the IV must reset the chaining. */
	assert_int_equal(crypto_cipher_crypt(enc, iv, buf, ptlen), 0);
	assert_memory_equal(buf, ct, ctlen);
	assert_int_equal(crypto_cipher_crypt(dec, iv, buf, ctlen), 0);
	assert_memory_equal(buf, pt, ptlen);
	crypto_cipher_free(enc);
	crypto_cipher_free(dec);
}

/* Case 4 in two calls of 32 octets: the second IV is the last ciphertext block. */
static void test_chained_calls(void **state)
{
	uint8_t key[16], iv[16], pt[64], ct[64];
	struct crypto_cipher *enc;

	KAT_UNHEX(t[3].key, key);
	KAT_UNHEX(t[3].iv, iv);
	KAT_UNHEX(t[3].pt_hex, pt);
	KAT_UNHEX(t[3].ct, ct);
	assert_int_equal(crypto_cipher_new(&enc, ALG_ENCR_AES_CBC, 128, key, 16, true), 0);
	assert_int_equal(crypto_cipher_crypt(enc, iv, pt, 32), 0);
	assert_int_equal(crypto_cipher_crypt(enc, pt + 16, pt + 32, 32), 0);
	assert_memory_equal(pt, ct, 64);
	crypto_cipher_free(enc);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(t) / sizeof(t[0]) + 1] = {
		cmocka_unit_test(test_chained_calls),
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		tests[i + 1] =
			(struct CMUnitTest){t[i].name, test_vector, NULL, NULL, (void *)&t[i]};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
