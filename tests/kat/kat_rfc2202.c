/* SPDX-License-Identifier: MIT */
/*
 * HMAC-SHA-1 known answers: RFC 2202 section 3, test cases 1-7. The full
 * 160-bit digests go through crypto_prf(PRF_HMAC_SHA1) (any key length);
 * cases with a 20-octet key also go through crypto_integ(HMAC_SHA1_96)
 * (RFC 2404), whose ICV is the first 96 bits ("digest-96" of case 5).
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
	const char *name;
	uint8_t key_byte; /* key = key_len octets of key_byte, unless key_hex */
	size_t key_len;
	const char *key_hex, *key_ascii;
	uint8_t data_byte; /* data = data_len octets of data_byte, unless data_ascii */
	size_t data_len;
	const char *data_ascii, *digest;
};

static const struct vec t[] = {
	{"test_case 1", 0x0b, 20, NULL, NULL, 0, 0, "Hi There",
	 "b617318655057264e28bc0b6fb378c8ef146be00"},
	{"test_case 2", 0, 0, NULL, "Jefe", 0, 0, "what do ya want for nothing?",
	 "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
	{"test_case 3", 0xaa, 20, NULL, NULL, 0xdd, 50, NULL,
	 "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
	{"test_case 4", 0, 0, "0102030405060708090a0b0c0d0e0f10111213141516171819", NULL, 0xcd, 50,
	 NULL, "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
	{"test_case 5", 0x0c, 20, NULL, NULL, 0, 0, "Test With Truncation",
	 "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
	{"test_case 6", 0xaa, 80, NULL, NULL, 0, 0,
	 "Test Using Larger Than Block-Size Key - Hash Key First",
	 "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
	{"test_case 7", 0xaa, 80, NULL, NULL, 0, 0,
	 "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
	 "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
};

static void test_vector(void **state)
{
	const struct vec *v = *state;
	uint8_t key[80], data[80], want[20], out[20], icv[12];
	struct crypto_iov iov;
	struct crypto_integ *in;
	size_t keylen, datalen;

	if (v->key_hex)
		keylen = KAT_UNHEX(v->key_hex, key);
	else if (v->key_ascii)
		memcpy(key, v->key_ascii, keylen = strlen(v->key_ascii));
	else
		keylen = kat_fill(key, v->key_byte, v->key_len);
	if (v->data_ascii)
		memcpy(data, v->data_ascii, datalen = strlen(v->data_ascii));
	else
		datalen = kat_fill(data, v->data_byte, v->data_len);
	assert_int_equal(KAT_UNHEX(v->digest, want), 20);
	iov = (struct crypto_iov){data, datalen};

	assert_int_equal(crypto_prf(ALG_PRF_HMAC_SHA1, key, keylen, &iov, 1, out), 0);
	assert_memory_equal(out, want, 20);
	if (keylen != 20)
		return;
	assert_int_equal(crypto_integ_new(&in, ALG_INTEG_HMAC_SHA1_96, key, keylen), 0);
	assert_int_equal(crypto_integ_icv_len(in), 12);
	assert_int_equal(crypto_integ_compute(in, &iov, 1, icv), 0);
	assert_memory_equal(icv, want, 12);
	assert_int_equal(crypto_integ_verify(in, &iov, 1, want), 0);
	crypto_integ_free(in);
}

/* RFC 2202 case 5 prints the truncated value itself: digest-96. */
static void test_case5_digest96(void **state)
{
	uint8_t key[20], want[12], icv[12];
	const char *data = "Test With Truncation";
	struct crypto_iov iov = {data, strlen(data)};
	struct crypto_integ *in;

	kat_fill(key, 0x0c, 20);
	KAT_UNHEX("4c1a03424b55e07fe7f27be1", want);
	assert_int_equal(crypto_integ_new(&in, ALG_INTEG_HMAC_SHA1_96, key, 20), 0);
	assert_int_equal(crypto_integ_compute(in, &iov, 1, icv), 0);
	assert_memory_equal(icv, want, 12);
	crypto_integ_free(in);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(t) / sizeof(t[0]) + 1] = {
		cmocka_unit_test(test_case5_digest96),
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		tests[i + 1] =
			(struct CMUnitTest){t[i].name, test_vector, NULL, NULL, (void *)&t[i]};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
