/* SPDX-License-Identifier: MIT */
/*
 * AES-GCM known answers from McGrew and Viega, "The Galois/Counter Mode of
 * Operation (GCM)", appendix B: the test cases with 96-bit IVs (2-4 for
 * 128-bit keys, 7-10 for 192, 14-16 for 256). Their 12-octet IV is split
 * into our 4-octet salt (the last four KEYMAT octets, RFC 4106 8.1) and the
 * 8-octet ESP IV. The 8- and 12-octet ICVs of ENCR_AES_GCM_8/_12 are the
 * leading octets of the same tags (RFC 4106 6).
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
#define P64                                                                                        \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"                         \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define P60                                                                                        \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"                         \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define A20 "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define Z16 "00000000000000000000000000000000"
#define Z24 Z16 "0000000000000000"
#define Z32 Z16 Z16
#define ZIV "000000000000000000000000"

struct vec {
	const char *name;
	unsigned keybits;
	const char *key, *iv, *pt, *aad, *ct, *tag;
};

static const struct vec t[] = {
	{"Test Case 2", 128, Z16, ZIV, Z16, "", "0388dace60b6a392f328c2b971b2fe78",
	 "ab6e47d42cec13bdf53a67b21257bddf"},
	{"Test Case 3", 128, K1, IV1, P64, "",
	 "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	 "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	 "4d5c2af327cd64a62cf35abd2ba6fab4"},
	{"Test Case 4", 128, K1, IV1, P60, A20,
	 "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	 "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	 "5bc94fbc3221a5db94fae95ae7121a47"},
	{"Test Case 7", 192, Z24, ZIV, "", "", "", "cd33b28ac773f74ba00ed1f312572435"},
	{"Test Case 8", 192, Z24, ZIV, Z16, "", "98e7247c07f0fe411c267e4384b0f600",
	 "2ff58d80033927ab8ef4d4587514f0fb"},
	{"Test Case 9", 192, K1 "feffe9928665731c", IV1, P64, "",
	 "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
	 "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256",
	 "9924a7c8587336bfb118024db8674a14"},
	{"Test Case 10", 192, K1 "feffe9928665731c", IV1, P60, A20,
	 "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
	 "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
	 "2519498e80f1478f37ba55bd6d27618c"},
	{"Test Case 14", 256, Z32, ZIV, Z16, "", "cea7403d4d606b6e074ec5d3baf39d18",
	 "d0d1c8a799996bf0265b98b5d48ab919"},
	{"Test Case 15", 256, K1 K1, IV1, P64, "",
	 "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	 "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	 "b094dac5d93471bdec1a502270e3cc6c"},
	{"Test Case 16", 256, K1 K1, IV1, P60, A20,
	 "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	 "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	 "76fc6ece0f4e1768cddf8853bb2d551b"},
};

static const uint16_t icv_algs[] = {ALG_ENCR_AES_GCM_16, ALG_ENCR_AES_GCM_12, ALG_ENCR_AES_GCM_8};

static void test_vector(void **state)
{
	const struct vec *v = *state;
	uint8_t keymat[36], nonce[12], pt[64], aad[20], ct[64], tag[16], buf[64], icv[16];
	size_t keylen, ptlen, aadlen, ctlen;
	struct crypto_iov iov;

	keylen = kat_unhex(v->key, keymat, 32);
	assert_int_equal(keylen, v->keybits / 8);
	assert_int_equal(KAT_UNHEX(v->iv, nonce), 12);
	memcpy(keymat + keylen, nonce, 4); /* salt: first 4 nonce octets */
	ptlen = KAT_UNHEX(v->pt, pt);
	aadlen = KAT_UNHEX(v->aad, aad);
	ctlen = KAT_UNHEX(v->ct, ct);
	assert_int_equal(KAT_UNHEX(v->tag, tag), 16);
	assert_int_equal(ptlen, ctlen);
	iov = (struct crypto_iov){aad, aadlen};

	for (size_t k = 0; k < sizeof(icv_algs) / sizeof(icv_algs[0]); k++) {
		uint16_t alg = icv_algs[k];
		size_t icvlen = alg_encr_icv_len(alg);
		struct crypto_aead *enc, *dec;

		assert_int_equal(crypto_aead_new(&enc, alg, v->keybits, keymat, keylen + 4, true),
				 0);
		assert_int_equal(crypto_aead_new(&dec, alg, v->keybits, keymat, keylen + 4, false),
				 0);
		assert_int_equal(crypto_aead_icv_len(enc), icvlen);
		memcpy(buf, pt, ptlen);
		assert_int_equal(crypto_aead_seal(enc, nonce + 4, &iov, 1, buf, ptlen, icv), 0);
		assert_memory_equal(buf, ct, ctlen);
		assert_memory_equal(icv, tag, icvlen);
		assert_int_equal(crypto_aead_open(dec, nonce + 4, &iov, 1, buf, ctlen, tag), 0);
		assert_memory_equal(buf, pt, ptlen);
		crypto_aead_free(enc);
		crypto_aead_free(dec);
	}
}

int main(void)
{
	struct CMUnitTest tests[sizeof(t) / sizeof(t[0])];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		tests[i] = (struct CMUnitTest){t[i].name, test_vector, NULL, NULL, (void *)&t[i]};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
