/* SPDX-License-Identifier: MIT */
/*
 * ChaCha20-Poly1305 known answer: RFC 8439 section 2.8.2 (the AEAD example).
 * Its nonce is 07 00 00 00 || 40 41 ... 47, exactly the RFC 7634 layout of
 * salt (last four KEYMAT octets) || 8-octet IV, so the vector runs through
 * ENCR_CHACHA20_POLY1305 unchanged.
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

static const char key_hex[] = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
static const char salt_hex[] = "07000000";
static const char iv_hex[] = "4041424344454647";
static const char aad_hex[] = "50515253c0c1c2c3c4c5c6c7";
static const char plaintext[] = "Ladies and Gentlemen of the class of '99: If I could offer you "
				"only one tip for the future, sunscreen would be it.";
static const char ct_hex[] = "d31a8d34648e60db7b86afbc53ef7ec2 a4aded51296e08fea9e2b5a736ee62d6"
			     "3dbea45e8ca9671282fafb69da92728b 1a71de0a9e060b2905d6a5b67ecd3b36"
			     "92ddbd7f2d778b8c9803aee328091b58 fab324e4fad675945585808b4831d7bc"
			     "3ff4def08e4b7a9de576d26586cec64b 6116";
static const char tag_hex[] = "1ae10b594f09e26a7e902ecbd0600691";

struct fixture {
	uint8_t keymat[36], iv[8], aad[12], ct[114], tag[16], buf[114];
	size_t ptlen;
};

static void load(struct fixture *f)
{
	assert_int_equal(kat_unhex(key_hex, f->keymat, 32), 32);
	assert_int_equal(kat_unhex(salt_hex, f->keymat + 32, 4), 4);
	assert_int_equal(KAT_UNHEX(iv_hex, f->iv), 8);
	assert_int_equal(KAT_UNHEX(aad_hex, f->aad), 12);
	assert_int_equal(KAT_UNHEX(ct_hex, f->ct), 114);
	assert_int_equal(KAT_UNHEX(tag_hex, f->tag), 16);
	f->ptlen = strlen(plaintext);
	assert_int_equal(f->ptlen, 114);
}

static void test_seal(void **state)
{
	struct crypto_iov aad;
	struct crypto_aead *a;
	struct fixture f;
	uint8_t icv[16];

	load(&f);
	aad = (struct crypto_iov){f.aad, sizeof(f.aad)};
	/* keybits 0: RFC 7634 forbids the Key Length attribute. */
	assert_int_equal(crypto_aead_new(&a, ALG_ENCR_CHACHA20_POLY1305, 0, f.keymat, 36, true), 0);
	assert_int_equal(crypto_aead_icv_len(a), 16);
	memcpy(f.buf, plaintext, f.ptlen);
	assert_int_equal(crypto_aead_seal(a, f.iv, &aad, 1, f.buf, f.ptlen, icv), 0);
	assert_memory_equal(f.buf, f.ct, f.ptlen);
	assert_memory_equal(icv, f.tag, 16);
	crypto_aead_free(a);
}

/* The AAD in two pieces (as ESP passes SPI/seq and ESN high bits) gives the same tag. */
static void test_open_split_aad(void **state)
{
	struct crypto_iov aad[2];
	struct crypto_aead *a;
	struct fixture f;

	load(&f);
	aad[0] = (struct crypto_iov){f.aad, 5};
	aad[1] = (struct crypto_iov){f.aad + 5, 7};
	assert_int_equal(crypto_aead_new(&a, ALG_ENCR_CHACHA20_POLY1305, 256, f.keymat, 36, false),
			 0);
	memcpy(f.buf, f.ct, f.ptlen);
	assert_int_equal(crypto_aead_open(a, f.iv, aad, 2, f.buf, f.ptlen, f.tag), 0);
	assert_memory_equal(f.buf, plaintext, f.ptlen);
	/* Same object, corrupted tag: refused. */
	memcpy(f.buf, f.ct, f.ptlen);
	f.tag[15] ^= 0x80;
	assert_int_equal(crypto_aead_open(a, f.iv, aad, 2, f.buf, f.ptlen, f.tag), IG_EAUTH);
	crypto_aead_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal),
		cmocka_unit_test(test_open_split_aad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
