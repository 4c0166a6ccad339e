/* SPDX-License-Identifier: MIT */
/*
 * AES-CBC and the AEADs beyond the vectors: key sizes refused, in-place
 * round trips at many lengths with one object per direction reused for
 * every packet (only the IV changes), equality with a fresh object, and
 * IG_EAUTH for every flipped bit of ICV, ciphertext, AAD or IV.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "lib/err.h"

static uint8_t key[ALG_MAX_KEY];

static int setup(void **state)
{
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0x40 + i);
	return crypto_init();
}

static int teardown(void **state)
{
	crypto_cleanup();
	return 0;
}

static void fill(uint8_t *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 31 + i * 7);
}

static void test_cipher_keys(void **state)
{
	struct crypto_cipher *c = (void *)1;

	assert_int_equal(crypto_cipher_new(&c, ALG_ENCR_AES_CBC, 128, key, 15, true), IG_EINVAL);
	assert_null(c);
	assert_int_equal(crypto_cipher_new(&c, ALG_ENCR_AES_CBC, 128, key, 17, true), IG_EINVAL);
	assert_int_equal(crypto_cipher_new(&c, ALG_ENCR_AES_CBC, 128, key, 32, true), IG_EINVAL);
	assert_int_equal(crypto_cipher_new(&c, ALG_ENCR_AES_CBC, 256, key, 16, true), IG_EINVAL);
	assert_int_equal(crypto_cipher_new(&c, ALG_ENCR_AES_CBC, 0, key, 0, true), IG_EINVAL);
	assert_int_equal(crypto_cipher_new(&c, ALG_ENCR_AES_CBC, 100, key, 12, true), IG_EINVAL);
	/* AEADs and unknown transforms are not block ciphers */
	assert_int_equal(crypto_cipher_new(&c, ALG_ENCR_AES_GCM_16, 128, key, 20, true),
			 IG_ENOTSUP);
	assert_int_equal(crypto_cipher_new(&c, 3 /* 3DES */, 192, key, 24, true), IG_ENOTSUP);
	assert_null(c);
	for (unsigned kb = 128; kb <= 256; kb += 64) {
		assert_int_equal(crypto_cipher_new(&c, ALG_ENCR_AES_CBC, kb, key, kb / 8, true), 0);
		crypto_cipher_free(c);
	}
	crypto_cipher_free(NULL);
}

static void test_cipher_round_trips(void **state)
{
	static uint8_t pt[1500], buf[1500], ref[1500];

	for (unsigned kb = 128; kb <= 256; kb += 64) {
		struct crypto_cipher *enc, *dec;

		assert_int_equal(crypto_cipher_new(&enc, ALG_ENCR_AES_CBC, kb, key, kb / 8, true),
				 0);
		assert_int_equal(crypto_cipher_new(&dec, ALG_ENCR_AES_CBC, kb, key, kb / 8, false),
				 0);
		for (size_t len = 0; len <= sizeof(pt) - 12; len += 16) {
			struct crypto_cipher *fresh;
			uint8_t iv[16];

			fill(iv, 16, (unsigned)len);
			fill(pt, len, (unsigned)len + 1);
			memcpy(buf, pt, len);
			assert_int_equal(crypto_cipher_crypt(enc, iv, buf, len), 0);
			if (len)
				assert_memory_not_equal(buf, pt, len);
			/* a fresh object with the same key and IV agrees: no state carried over */
			assert_int_equal(
				crypto_cipher_new(&fresh, ALG_ENCR_AES_CBC, kb, key, kb / 8, true),
				0);
			memcpy(ref, pt, len);
			assert_int_equal(crypto_cipher_crypt(fresh, iv, ref, len), 0);
			assert_memory_equal(ref, buf, len);
			crypto_cipher_free(fresh);
			assert_int_equal(crypto_cipher_crypt(dec, iv, buf, len), 0);
			assert_memory_equal(buf, pt, len);
		}
		/* a wrong IV garbles exactly the first block */
		{
			uint8_t iv[16] = {1}, iv2[16] = {2};

			fill(pt, 64, 9);
			memcpy(buf, pt, 64);
			assert_int_equal(crypto_cipher_crypt(enc, iv, buf, 64), 0);
			assert_int_equal(crypto_cipher_crypt(dec, iv2, buf, 64), 0);
			assert_memory_not_equal(buf, pt, 16);
			assert_memory_equal(buf + 16, pt + 16, 48);
		}
		/* not a multiple of the block */
		for (size_t len = 1; len < 48; len++)
			if (len % 16)
				assert_int_equal(crypto_cipher_crypt(enc, key, buf, len),
						 IG_EINVAL);
		crypto_cipher_free(enc);
		crypto_cipher_free(dec);
	}
}

static const struct {
	uint16_t encr;
	unsigned keybits;
} aeads[] = {
	{ALG_ENCR_AES_GCM_8, 128},	    {ALG_ENCR_AES_GCM_12, 192},
	{ALG_ENCR_AES_GCM_16, 128},	    {ALG_ENCR_AES_GCM_16, 192},
	{ALG_ENCR_AES_GCM_16, 256},	    {ALG_ENCR_CHACHA20_POLY1305, 0},
	{ALG_ENCR_NULL_AUTH_AES_GMAC, 128}, {ALG_ENCR_NULL_AUTH_AES_GMAC, 256},
};

#define NAEADS (sizeof(aeads) / sizeof(aeads[0]))

static void test_aead_keys(void **state)
{
	struct crypto_aead *a = (void *)1;

	/* the KEYMAT slice includes the 4-octet salt */
	assert_int_equal(crypto_aead_new(&a, ALG_ENCR_AES_GCM_16, 128, key, 16, true), IG_EINVAL);
	assert_null(a);
	assert_int_equal(crypto_aead_new(&a, ALG_ENCR_AES_GCM_16, 128, key, 21, true), IG_EINVAL);
	assert_int_equal(crypto_aead_new(&a, ALG_ENCR_AES_GCM_16, 256, key, 20, true), IG_EINVAL);
	assert_int_equal(crypto_aead_new(&a, ALG_ENCR_AES_GCM_16, 0, key, 4, true), IG_EINVAL);
	assert_int_equal(crypto_aead_new(&a, ALG_ENCR_CHACHA20_POLY1305, 0, key, 32, true),
			 IG_EINVAL);
	assert_int_equal(crypto_aead_new(&a, ALG_ENCR_CHACHA20_POLY1305, 128, key, 20, true),
			 IG_EINVAL);
	assert_int_equal(crypto_aead_new(&a, ALG_ENCR_NULL_AUTH_AES_GMAC, 192, key, 24, true),
			 IG_EINVAL);
	assert_int_equal(crypto_aead_new(&a, ALG_ENCR_AES_CBC, 128, key, 16, true), IG_ENOTSUP);
	assert_null(a);
	for (size_t i = 0; i < NAEADS; i++) {
		size_t kl = alg_encr_keymat_len(aeads[i].encr, aeads[i].keybits);

		assert_int_equal(
			crypto_aead_new(&a, aeads[i].encr, aeads[i].keybits, key, kl, true), 0);
		assert_int_equal(crypto_aead_icv_len(a), alg_encr_icv_len(aeads[i].encr));
		crypto_aead_free(a);
	}
	crypto_aead_free(NULL);
}

/* Seals with one reused object; opens with another; many lengths and IVs. */
static void test_aead_round_trips(void **state)
{
	static uint8_t pt[1600], buf[1600], ref[1600];
	uint8_t hdr[8], esn[4], icv[16], ref_icv[16];

	for (size_t i = 0; i < NAEADS; i++) {
		uint16_t encr = aeads[i].encr;
		unsigned kb = aeads[i].keybits;
		size_t kl = alg_encr_keymat_len(encr, kb), icvlen = alg_encr_icv_len(encr);
		bool gmac = encr == ALG_ENCR_NULL_AUTH_AES_GMAC;
		struct crypto_aead *enc, *dec, *fresh;

		assert_int_equal(crypto_aead_new(&enc, encr, kb, key, kl, true), 0);
		assert_int_equal(crypto_aead_new(&dec, encr, kb, key, kl, false), 0);
		for (size_t len = 0; len <= sizeof(pt); len += len < 40 ? 1 : 97) {
			struct crypto_iov aad[3];
			uint64_t seq = len * 1000003u;
			uint8_t iv[8];

			memcpy(iv, &seq, 8);
			fill(hdr, sizeof(hdr), (unsigned)len);
			fill(esn, sizeof(esn), (unsigned)len + 2);
			fill(pt, len, (unsigned)len + 1);
			memcpy(buf, pt, len);
			aad[0] = (struct crypto_iov){hdr, sizeof(hdr)};
			aad[1] = (struct crypto_iov){esn, sizeof(esn)};
			/* GMAC: the payload is authenticated, not encrypted (RFC 4543 3) */
			aad[2] = (struct crypto_iov){buf, gmac ? len : 0};
			assert_int_equal(crypto_aead_seal(enc, iv, aad, 3, gmac ? NULL : buf,
							  gmac ? 0 : len, icv),
					 0);
			if (len && !gmac)
				assert_memory_not_equal(buf, pt, len);
			if (gmac)
				assert_memory_equal(buf, pt, len);

			/* a fresh object gives the same output: the reused one kept no state */
			assert_int_equal(crypto_aead_new(&fresh, encr, kb, key, kl, true), 0);
			memcpy(ref, pt, len);
			aad[2].p = ref;
			assert_int_equal(crypto_aead_seal(fresh, iv, aad, 3, gmac ? NULL : ref,
							  gmac ? 0 : len, ref_icv),
					 0);
			assert_memory_equal(ref, buf, len);
			assert_memory_equal(ref_icv, icv, icvlen);
			crypto_aead_free(fresh);

			aad[2].p = buf;
			assert_int_equal(crypto_aead_open(dec, iv, aad, 3, gmac ? NULL : buf,
							  gmac ? 0 : len, icv),
					 0);
			assert_memory_equal(buf, pt, len);
		}
		crypto_aead_free(enc);
		crypto_aead_free(dec);
	}
}

/* Every single-bit change to ICV, ciphertext, AAD or IV fails with IG_EAUTH. */
static void test_aead_tamper(void **state)
{
	uint8_t pt[64], ct[64], buf[64], aad_b[12], iv[8] = {1, 2, 3, 4, 5, 6, 7, 8}, icv[16],
						    bad[16];

	fill(pt, sizeof(pt), 5);
	fill(aad_b, sizeof(aad_b), 6);
	for (size_t i = 0; i < NAEADS; i++) {
		uint16_t encr = aeads[i].encr;
		unsigned kb = aeads[i].keybits;
		size_t kl = alg_encr_keymat_len(encr, kb), icvlen = alg_encr_icv_len(encr);
		bool gmac = encr == ALG_ENCR_NULL_AUTH_AES_GMAC;
		struct crypto_iov aad[2] = {{aad_b, sizeof(aad_b)}, {ct, gmac ? sizeof(ct) : 0}};
		size_t len = gmac ? 0 : sizeof(pt);
		struct crypto_aead *enc, *dec;

		assert_int_equal(crypto_aead_new(&enc, encr, kb, key, kl, true), 0);
		assert_int_equal(crypto_aead_new(&dec, encr, kb, key, kl, false), 0);
		memcpy(ct, pt, sizeof(pt));
		assert_int_equal(crypto_aead_seal(enc, iv, aad, 2, gmac ? NULL : ct, len, icv), 0);
		/* wrong direction */
		assert_int_equal(crypto_aead_open(enc, iv, aad, 2, gmac ? NULL : ct, len, icv),
				 IG_EINVAL);
		assert_int_equal(crypto_aead_seal(dec, iv, aad, 2, gmac ? NULL : ct, len, icv),
				 IG_EINVAL);

		for (size_t bit = 0; bit < icvlen * 8; bit += 3) {
			memcpy(bad, icv, icvlen);
			bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			memcpy(buf, ct, sizeof(ct));
			aad[1].p = buf;
			assert_int_equal(
				crypto_aead_open(dec, iv, aad, 2, gmac ? NULL : buf, len, bad),
				IG_EAUTH);
			/* the unauthenticated plaintext is not left behind */
			if (!gmac)
				assert_memory_not_equal(buf, pt, 16);
		}
		for (size_t bit = 0; bit < sizeof(ct) * 8; bit += 5) {
			memcpy(buf, ct, sizeof(ct));
			buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			aad[1].p = buf;
			assert_int_equal(
				crypto_aead_open(dec, iv, aad, 2, gmac ? NULL : buf, len, icv),
				IG_EAUTH);
		}
		aad[1].p = buf;
		for (size_t bit = 0; bit < sizeof(aad_b) * 8; bit += 7) {
			memcpy(buf, ct, sizeof(ct));
			aad_b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			assert_int_equal(
				crypto_aead_open(dec, iv, aad, 2, gmac ? NULL : buf, len, icv),
				IG_EAUTH);
			aad_b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		for (size_t bit = 0; bit < 64; bit += 9) {
			uint8_t iv2[8];

			memcpy(iv2, iv, 8);
			iv2[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			memcpy(buf, ct, sizeof(ct));
			assert_int_equal(
				crypto_aead_open(dec, iv2, aad, 2, gmac ? NULL : buf, len, icv),
				IG_EAUTH);
		}
		/* the same object still opens the genuine packet after all those failures */
		memcpy(buf, ct, sizeof(ct));
		assert_int_equal(crypto_aead_open(dec, iv, aad, 2, gmac ? NULL : buf, len, icv), 0);
		if (!gmac)
			assert_memory_equal(buf, pt, sizeof(pt));
		/* a different key (another SA) refuses it */
		{
			struct crypto_aead *other;
			uint8_t k2[ALG_MAX_KEY];

			memcpy(k2, key, kl);
			k2[0] ^= 1;
			assert_int_equal(crypto_aead_new(&other, encr, kb, k2, kl, false), 0);
			memcpy(buf, ct, sizeof(ct));
			assert_int_equal(
				crypto_aead_open(other, iv, aad, 2, gmac ? NULL : buf, len, icv),
				IG_EAUTH);
			crypto_aead_free(other);
		}
		crypto_aead_free(enc);
		crypto_aead_free(dec);
	}
}

/* The salt is the last four KEYMAT octets: changing it changes the output. */
static void test_aead_salt(void **state)
{
	uint8_t k2[ALG_MAX_KEY], a[32] = {0}, b[32] = {0}, ia[16], ib[16], iv[8] = {0};
	struct crypto_aead *x, *y;

	memcpy(k2, key, 20);
	k2[19] ^= 0x80;
	assert_int_equal(crypto_aead_new(&x, ALG_ENCR_AES_GCM_16, 128, key, 20, true), 0);
	assert_int_equal(crypto_aead_new(&y, ALG_ENCR_AES_GCM_16, 128, k2, 20, true), 0);
	assert_int_equal(crypto_aead_seal(x, iv, NULL, 0, a, sizeof(a), ia), 0);
	assert_int_equal(crypto_aead_seal(y, iv, NULL, 0, b, sizeof(b), ib), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(crypto_aead_seal(x, iv, NULL, -1, a, sizeof(a), ia), IG_EINVAL);
	crypto_aead_free(x);
	crypto_aead_free(y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cipher_keys), cmocka_unit_test(test_cipher_round_trips),
		cmocka_unit_test(test_aead_keys),   cmocka_unit_test(test_aead_round_trips),
		cmocka_unit_test(test_aead_tamper), cmocka_unit_test(test_aead_salt),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
