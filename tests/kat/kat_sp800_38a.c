/* SPDX-License-Identifier: MIT */
/*
 * AES-CBC with 128/192/256-bit keys: NIST SP 800-38A appendix F.2
 * (F.2.1/F.2.2 CBC-AES128, F.2.3/F.2.4 CBC-AES192, F.2.5/F.2.6 CBC-AES256).
 * RFC 3602 only has 128-bit vectors; these cover AES_CBC_192 and _256.
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

#define IV "000102030405060708090a0b0c0d0e0f"
#define PT                                                                                         \
	"6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"                        \
	"30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710"

struct vec {
	const char *name;
	unsigned keybits;
	const char *key, *ct;
};

static const struct vec t[] = {
	{"F.2.1/F.2.2 CBC-AES128", 128, "2b7e151628aed2a6abf7158809cf4f3c",
	 "7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2"
	 "73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7"},
	{"F.2.3/F.2.4 CBC-AES192", 192, "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
	 "4f021db243bc633d7178183a9fa071e8 b4d9ada9ad7dedf4e5e738763f69145a"
	 "571b242012fb7ae07fa9baac3df102e0 08b0e27988598881d920a9e64f5615cd"},
	{"F.2.5/F.2.6 CBC-AES256", 256,
	 "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	 "f58c4c04d6e5f1ba779eabfb5f7bfbd6 9cfc4e967edb808d679f777bc6702c7d"
	 "39f23369a9d9bacfa530e26304231461 b2eb05e2c39be9fcda6c19078c6a9d1b"},
};

static void test_vector(void **state)
{
	const struct vec *v = *state;
	uint8_t key[32], iv[16], pt[64], ct[64], buf[64];
	struct crypto_cipher *enc, *dec;
	size_t keylen;

	keylen = KAT_UNHEX(v->key, key);
	assert_int_equal(keylen, v->keybits / 8);
	KAT_UNHEX(IV, iv);
	assert_int_equal(KAT_UNHEX(PT, pt), 64);
	assert_int_equal(KAT_UNHEX(v->ct, ct), 64);
	assert_int_equal(crypto_cipher_new(&enc, ALG_ENCR_AES_CBC, v->keybits, key, keylen, true),
			 0);
	assert_int_equal(crypto_cipher_new(&dec, ALG_ENCR_AES_CBC, v->keybits, key, keylen, false),
			 0);
	memcpy(buf, pt, 64);
	assert_int_equal(crypto_cipher_crypt(enc, iv, buf, 64), 0);
	assert_memory_equal(buf, ct, 64);
	assert_int_equal(crypto_cipher_crypt(dec, iv, buf, 64), 0);
	assert_memory_equal(buf, pt, 64);
	crypto_cipher_free(enc);
	crypto_cipher_free(dec);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(t) / sizeof(t[0])];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		tests[i] = (struct CMUnitTest){t[i].name, test_vector, NULL, NULL, (void *)&t[i]};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
