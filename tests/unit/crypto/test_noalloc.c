/* SPDX-License-Identifier: MIT */
/*
 * The per-packet calls allocate nothing (ARCHITECTURE.md: crypto/ must not
 * allocate per packet), also inside OpenSSL: its allocator is replaced by a
 * counting one before anything else runs, and the counter must not move
 * across many crypt/seal/open calls on prepared objects.
 *
 * HMAC is the exception we cannot remove: OpenSSL 3.0 re-creates the digest
 * context inside EVP_MAC_init(ctx, NULL, 0, NULL) (EVP_MD_CTX_copy_ex dups
 * the provider context), two allocations per message; EVP_DigestInit_ex2 and
 * EVP_MD_CTX_copy_ex on prepared ipad/opad states do the same. The test pins
 * that bound so that nothing of ours is added on top of it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/crypto.h>

#include "crypto/crypto.h"
#include "lib/err.h"

static unsigned long allocs;

static void *count_malloc(size_t n, const char *file, int line)
{
	allocs++;
	return malloc(n);
}

static void *count_realloc(void *p, size_t n, const char *file, int line)
{
	allocs++;
	return realloc(p, n);
}

static void count_free(void *p, const char *file, int line)
{
	free(p);
}

#define PACKETS 200

static uint8_t key[ALG_MAX_KEY + 64], buf[1500];

static void test_cipher(void **state)
{
	struct crypto_cipher *enc, *dec;
	uint8_t iv[16] = {0};
	unsigned long before;

	assert_int_equal(crypto_cipher_new(&enc, ALG_ENCR_AES_CBC, 256, key, 32, true), 0);
	assert_int_equal(crypto_cipher_new(&dec, ALG_ENCR_AES_CBC, 256, key, 32, false), 0);
	before = allocs;
	for (int i = 0; i < PACKETS; i++) {
		iv[0] = (uint8_t)i;
		assert_int_equal(crypto_cipher_crypt(enc, iv, buf, 1408), 0);
		assert_int_equal(crypto_cipher_crypt(dec, iv, buf, 1408), 0);
	}
	assert_int_equal(allocs - before, 0);
	crypto_cipher_free(enc);
	crypto_cipher_free(dec);
}

static void test_aead(void **state)
{
	static const struct {
		uint16_t encr;
		unsigned keybits;
	} t[] = {{ALG_ENCR_AES_GCM_16, 256},
		 {ALG_ENCR_AES_GCM_8, 128},
		 {ALG_ENCR_CHACHA20_POLY1305, 0},
		 {ALG_ENCR_NULL_AUTH_AES_GMAC, 128}};

	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		size_t kl = alg_encr_keymat_len(t[k].encr, t[k].keybits);
		bool gmac = t[k].encr == ALG_ENCR_NULL_AUTH_AES_GMAC;
		uint8_t iv[8] = {0}, hdr[8] = {1}, icv[16];
		struct crypto_iov aad[2] = {{hdr, 8}, {buf, gmac ? 1400 : 0}};
		struct crypto_aead *enc, *dec;
		unsigned long before;

		assert_int_equal(crypto_aead_new(&enc, t[k].encr, t[k].keybits, key, kl, true), 0);
		assert_int_equal(crypto_aead_new(&dec, t[k].encr, t[k].keybits, key, kl, false), 0);
		before = allocs;
		for (int i = 0; i < PACKETS; i++) {
			iv[7] = (uint8_t)i;
			assert_int_equal(
				crypto_aead_seal(enc, iv, aad, 2, buf, gmac ? 0 : 1400, icv), 0);
			assert_int_equal(
				crypto_aead_open(dec, iv, aad, 2, buf, gmac ? 0 : 1400, icv), 0);
		}
		/* failures allocate nothing either (a flood of forgeries) */
		icv[0] ^= 1;
		for (int i = 0; i < PACKETS; i++)
			assert_int_equal(
				crypto_aead_open(dec, iv, aad, 2, buf, gmac ? 0 : 1400, icv),
				IG_EAUTH);
		assert_int_equal(allocs - before, 0);
		crypto_aead_free(enc);
		crypto_aead_free(dec);
	}
}

static void test_integ(void **state)
{
	static const uint16_t t[] = {ALG_INTEG_HMAC_SHA1_96, ALG_INTEG_HMAC_SHA2_256_128,
				     ALG_INTEG_HMAC_SHA2_384_192, ALG_INTEG_HMAC_SHA2_512_256};

	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		struct crypto_iov iov[2] = {{buf, 8}, {buf + 8, 1400}};
		uint8_t icv[ALG_MAX_ICV];
		struct crypto_integ *in;
		unsigned long before;

		assert_int_equal(crypto_integ_new(&in, t[k], key, alg_integ_key_len(t[k])), 0);
		before = allocs;
		for (int i = 0; i < PACKETS; i++) {
			buf[0] = (uint8_t)i;
			assert_int_equal(crypto_integ_compute(in, iov, 2, icv), 0);
			assert_int_equal(crypto_integ_verify(in, iov, 2, icv), 0);
		}
		/* 2 messages per round, at most 2 OpenSSL-internal allocations each */
		assert_true(allocs - before <= 2 * 2 * PACKETS);
		crypto_integ_free(in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cipher),
		cmocka_unit_test(test_aead),
		cmocka_unit_test(test_integ),
	};

	/* Before OpenSSL allocates anything, or it refuses the swap. */
	if (!CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free))
		return 1;
	memset(key, 0x42, sizeof(key));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
