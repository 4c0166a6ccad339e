/* SPDX-License-Identifier: MIT */
/*
 * IKEv2 key derivation, PSK AUTH and NAT-D against an independent Python
 * implementation of RFC 7296 2.14-2.18, 2.15, 2.23 (kdf_vectors.h, made by
 * tests/data/ike/gen_kdf_vectors.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "ike/ike_auth_psk.h"
#include "ike/ike_keymat.h"
#include "ike/ike_natd.h"
#include "kdf_vectors.h"
#include "lib/err.h"

#define NV (sizeof(kdf_vectors) / sizeof(kdf_vectors[0]))

static int setup(void **state)
{
	return crypto_init();
}

static struct ike_suite suite_of(const struct kdf_vector *v)
{
	struct ike_suite s = {
		.encr = v->encr, .encr_keybits = v->encr_keybits, .integ = v->integ,
		.prf = v->prf, .dh = ALG_DH_MODP_1024,
	};
	return s;
}

/* The seven keys must be exactly consecutive slices of the reference prf+. */
static void check_split(const struct ike_keymat *k, const uint8_t *km, size_t km_len)
{
	size_t off = 0;

	assert_int_equal(km_len, 3 * k->prf_len + 2 * k->a_len + 2 * k->e_len);
	assert_memory_equal(k->sk_d, km + off, k->prf_len), off += k->prf_len;
	if (k->a_len) {
		assert_memory_equal(k->sk_ai, km + off, k->a_len), off += k->a_len;
		assert_memory_equal(k->sk_ar, km + off, k->a_len), off += k->a_len;
	}
	assert_memory_equal(k->sk_ei, km + off, k->e_len), off += k->e_len;
	assert_memory_equal(k->sk_er, km + off, k->e_len), off += k->e_len;
	assert_memory_equal(k->sk_pi, km + off, k->prf_len), off += k->prf_len;
	assert_memory_equal(k->sk_pr, km + off, k->prf_len);
}

static void test_ike_sa_keys(void **state)
{
	for (size_t i = 0; i < NV; i++) {
		const struct kdf_vector *v = &kdf_vectors[i];
		struct ike_suite s = suite_of(v);
		struct ike_keymat k;

		assert_int_equal(ike_keymat_derive(&k, &s, v->ni, v->ni_len, v->nr, v->nr_len,
						   v->gir, v->gir_len, v->spii, v->spir),
				 0);
		check_split(&k, v->km, v->km_len);
		ike_keymat_wipe(&k);
	}
}

static void test_ike_rekey_keys(void **state)
{
	for (size_t i = 0; i < NV; i++) {
		const struct kdf_vector *v = &kdf_vectors[i];
		struct ike_suite s = suite_of(v);
		struct ike_keymat old, k;

		assert_int_equal(ike_keymat_derive(&old, &s, v->ni, v->ni_len, v->nr, v->nr_len,
						   v->gir, v->gir_len, v->spii, v->spir),
				 0);
		assert_int_equal(ike_keymat_derive_rekey(&k, &s, s.prf, old.sk_d, old.prf_len,
							 v->ni2, v->ni2_len, v->nr2, v->nr2_len,
							 v->gir2, v->gir2_len, v->spii2, v->spir2),
				 0);
		check_split(&k, v->km2, v->km2_len);
	}
}

static void test_child_keys(void **state)
{
	for (size_t i = 0; i < NV; i++) {
		const struct kdf_vector *v = &kdf_vectors[i];
		struct ike_suite s = suite_of(v);
		struct child_keymat ck;
		struct ike_keymat k;

		assert_int_equal(ike_keymat_derive(&k, &s, v->ni, v->ni_len, v->nr, v->nr_len,
						   v->gir, v->gir_len, v->spii, v->spir),
				 0);
		for (int pfs = 0; pfs < 2; pfs++) {
			const uint8_t *want = pfs ? v->child_pfs : v->child;
			size_t off = 0;

			assert_int_equal(ike_keymat_child(&ck, s.prf, k.sk_d, k.prf_len,
							  v->child_encr, v->child_keybits,
							  v->child_integ, pfs ? v->gir2 : NULL,
							  pfs ? v->gir2_len : 0, v->ni, v->ni_len,
							  v->nr, v->nr_len),
					 0);
			assert_int_equal(2 * (ck.e_len + ck.a_len),
					 pfs ? v->child_pfs_len : v->child_len);
			assert_memory_equal(ck.ei, want + off, ck.e_len), off += ck.e_len;
			if (ck.a_len)
				assert_memory_equal(ck.ai, want + off, ck.a_len), off += ck.a_len;
			assert_memory_equal(ck.er, want + off, ck.e_len), off += ck.e_len;
			if (ck.a_len)
				assert_memory_equal(ck.ar, want + off, ck.a_len);
		}
	}
}

static void test_psk_auth(void **state)
{
	static const char psk[] = "8 to 40 characters";

	for (size_t i = 0; i < NV; i++) {
		const struct kdf_vector *v = &kdf_vectors[i];
		struct ike_suite s = suite_of(v);
		uint8_t auth[ALG_MAX_PRF];
		struct ike_keymat k;
		size_t n = 0;

		assert_int_equal(ike_keymat_derive(&k, &s, v->ni, v->ni_len, v->nr, v->nr_len,
						   v->gir, v->gir_len, v->spii, v->spir),
				 0);
		struct ike_auth_input in = {
			.prf = s.prf, .real_msg = v->real_msg, .real_msg_len = v->real_msg_len,
			.peer_nonce = v->nr, .peer_nonce_len = v->nr_len, .sk_p = k.sk_pi,
			.sk_p_len = k.prf_len, .id_body = v->id_body, .id_body_len = v->id_body_len,
		};
		assert_int_equal(ike_auth_psk_compute(&in, (const uint8_t *)psk, strlen(psk),
						      auth, &n),
				 0);
		assert_int_equal(n, v->auth_len);
		assert_memory_equal(auth, v->auth, n);
		assert_int_equal(ike_auth_psk_verify(&in, (const uint8_t *)psk, strlen(psk),
						     v->auth, v->auth_len),
				 0);
		/* A wrong PSK, a truncated AUTH, a flipped bit: all refused. */
		assert_int_equal(ike_auth_psk_verify(&in, (const uint8_t *)"wrong-psk!", 10,
						     v->auth, v->auth_len),
				 IG_EAUTH);
		assert_int_equal(ike_auth_psk_verify(&in, (const uint8_t *)psk, strlen(psk),
						     v->auth, v->auth_len - 1),
				 IG_EAUTH);
		auth[0] ^= 1;
		assert_int_equal(ike_auth_psk_verify(&in, (const uint8_t *)psk, strlen(psk), auth,
						     n),
				 IG_EAUTH);
	}
}

static void test_natd(void **state)
{
	const struct kdf_vector *v = &kdf_vectors[0];
	static const uint8_t zero[IKE_SPI_LEN];
	uint8_t h[IKE_NATD_LEN];
	struct addr a;

	assert_int_equal(addr_parse("198.51.100.57", &a), 0);
	assert_int_equal(ike_natd_hash(v->spii, zero, &a, 500, h), 0);
	assert_memory_equal(h, natd_v4, sizeof(h));
	assert_int_equal(addr_parse("2001:db8::7", &a), 0);
	assert_int_equal(ike_natd_hash(v->spii, v->spir, &a, 4500, h), 0);
	assert_memory_equal(h, natd_v6, sizeof(h));
	memset(&a, 0, sizeof(a));
	assert_int_equal(ike_natd_hash(v->spii, v->spir, &a, 4500, h), IG_EINVAL);
}

static void test_bad_suites(void **state)
{
	const struct kdf_vector *v = &kdf_vectors[0];
	struct ike_keymat k;
	struct ike_suite s = suite_of(v);

	/* An AEAD with an integrity transform, CBC without one, short nonces. */
	s.encr = ALG_ENCR_AES_GCM_16;
	assert_int_equal(ike_keymat_derive(&k, &s, v->ni, v->ni_len, v->nr, v->nr_len, v->gir,
					   v->gir_len, v->spii, v->spir),
			 IG_EINVAL);
	s = suite_of(v);
	s.integ = ALG_INTEG_NONE;
	assert_int_equal(ike_keymat_derive(&k, &s, v->ni, v->ni_len, v->nr, v->nr_len, v->gir,
					   v->gir_len, v->spii, v->spir),
			 IG_EINVAL);
	s = suite_of(v);
	assert_int_equal(ike_keymat_derive(&k, &s, v->ni, 15, v->nr, v->nr_len, v->gir,
					   v->gir_len, v->spii, v->spir),
			 IG_EINVAL);
	s.encr_keybits = 100;
	assert_int_equal(ike_keymat_derive(&k, &s, v->ni, v->ni_len, v->nr, v->nr_len, v->gir,
					   v->gir_len, v->spii, v->spir),
			 IG_ENOTSUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ike_sa_keys),  cmocka_unit_test(test_ike_rekey_keys),
		cmocka_unit_test(test_child_keys),   cmocka_unit_test(test_psk_auth),
		cmocka_unit_test(test_natd),         cmocka_unit_test(test_bad_suites),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
