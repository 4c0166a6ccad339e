/* SPDX-License-Identifier: MIT */
/*
 * ike_engine_keys(): the key material `show ipsec-state` and `export
 * wireshark` hand out. Two engines (exchange_harness.c) bring up the
 * guide's tunnel; what the accessor reports must be what the data path got
 * (the harness records every esp_sa_install), A's outbound SA must be B's
 * inbound SA and back, and both sides must report the same IKE SPIs and
 * SK_e/SK_a keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "exchange_harness.h"

struct seen {
	size_t n_ike, n_child;
	struct ike_keys_sa ike;
	struct ike_keys_child child;
};

static void keys_cb(void *ctx, const struct ike_keys_sa *sa, const struct ike_keys_child *c)
{
	struct seen *s = ctx;

	if (c) {
		s->n_child++;
		s->child = *c;
		/* Children come after their IKE SA, with its values. */
		assert_int_equal(sa->spi_i, s->ike.spi_i);
	} else {
		s->n_ike++;
		s->ike = *sa;
	}
}

static char ya[2048], yb[2048];

static void bring_up(struct hx *h, const char *ike, const char *esp)
{
	char ea[256] = "", eb[256] = "";

	if (ike) {
		snprintf(ea, sizeof(ea), "    ike: {proposals: [%s]}\n    esp: {proposals: [%s]}\n",
			 ike, esp);
		snprintf(eb, sizeof(eb), "%s", ea);
	}
	snprintf(ya, sizeof(ya), HX_YAML_A, "192.168.0.123", "info", "203.0.113.7", ea);
	snprintf(yb, sizeof(yb), HX_YAML_B, "203.0.113.7", "198.51.100.57", eb);
	hx_init(h, ya, yb, true);
	assert_int_equal(ike_engine_initiate(h->a.e, "cloud"), 0);
	hx_run(h, 1000);
	assert_int_equal(hx_children(&h->a), 1);
	assert_int_equal(hx_children(&h->b), 1);
}

/* desc as the accessor reports it equals desc as the data path got it. */
static void assert_same_sa(const struct esp_sa_desc *got, const struct esp_sa_desc *want)
{
	assert_int_equal(got->spi, want->spi);
	assert_int_equal(got->inbound, want->inbound);
	assert_int_equal(got->reqid, want->reqid);
	assert_true(addr_eq(&got->src, &want->src));
	assert_true(addr_eq(&got->dst, &want->dst));
	assert_int_equal(got->sport, want->sport);
	assert_int_equal(got->dport, want->dport);
	assert_int_equal(got->encap, want->encap);
	assert_int_equal(got->mode, want->mode);
	assert_int_equal(got->encr, want->encr);
	assert_int_equal(got->encr_keybits, want->encr_keybits);
	assert_int_equal(got->integ, want->integ);
	assert_int_equal(got->enc_key_len, want->enc_key_len);
	assert_memory_equal(got->enc_key, want->enc_key, want->enc_key_len);
	assert_int_equal(got->int_key_len, want->int_key_len);
	assert_memory_equal(got->int_key, want->int_key, want->int_key_len);
	assert_int_equal(got->hard.seconds, want->hard.seconds);
}

/* One direction's sender and receiver agree on everything but the direction. */
static void assert_pair(const struct esp_sa_desc *out, const struct esp_sa_desc *in)
{
	assert_false(out->inbound);
	assert_true(in->inbound);
	assert_int_equal(out->spi, in->spi);
	assert_int_equal(out->encr, in->encr);
	assert_int_equal(out->integ, in->integ);
	assert_int_equal(out->enc_key_len, in->enc_key_len);
	assert_memory_equal(out->enc_key, in->enc_key, out->enc_key_len);
	assert_int_equal(out->int_key_len, in->int_key_len);
	assert_memory_equal(out->int_key, in->int_key, out->int_key_len);
}

static void check_suite(const char *ike, const char *esp, size_t ike_e_len, size_t ike_a_len,
			size_t esp_e_len, size_t esp_a_len)
{
	struct hx h = {0};
	struct seen a = {0}, b = {0};

	bring_up(&h, ike, esp);
	ike_engine_keys(h.a.e, keys_cb, &a);
	ike_engine_keys(h.b.e, keys_cb, &b);
	assert_int_equal(a.n_ike, 1);
	assert_int_equal(b.n_ike, 1);
	assert_int_equal(a.n_child, 1);
	assert_int_equal(b.n_child, 1);

	/* IKE SA: same SPIs and the same SK_ei/er/ai/ar on both sides (2.14). */
	assert_true(a.ike.initiator);
	assert_false(b.ike.initiator);
	assert_string_equal(a.ike.tunnel, "cloud");
	assert_string_equal(b.ike.tunnel, "onprem");
	assert_int_equal(a.ike.spi_i, b.ike.spi_i);
	assert_int_equal(a.ike.spi_r, b.ike.spi_r);
	assert_int_not_equal(a.ike.spi_i, 0);
	assert_int_not_equal(a.ike.spi_r, 0);
	assert_int_equal(a.ike.encr, b.ike.encr);
	assert_int_equal(a.ike.integ, b.ike.integ);
	assert_int_equal(a.ike.e_len, ike_e_len);
	assert_int_equal(a.ike.a_len, ike_a_len);
	assert_int_equal(b.ike.e_len, ike_e_len);
	assert_memory_equal(a.ike.sk_ei, b.ike.sk_ei, ike_e_len);
	assert_memory_equal(a.ike.sk_er, b.ike.sk_er, ike_e_len);
	assert_memory_not_equal(a.ike.sk_ei, a.ike.sk_er, ike_e_len);
	if (ike_a_len) {
		assert_memory_equal(a.ike.sk_ai, b.ike.sk_ai, ike_a_len);
		assert_memory_equal(a.ike.sk_ar, b.ike.sk_ar, ike_a_len);
		assert_memory_not_equal(a.ike.sk_ai, a.ike.sk_ar, ike_a_len);
	}

	/* CHILD SA: what the data path got, and A's out is B's in and back. */
	assert_same_sa(&a.child.in, &h.a.in[0]);
	assert_same_sa(&a.child.out, &h.a.out[0]);
	assert_same_sa(&b.child.in, &h.b.in[0]);
	assert_same_sa(&b.child.out, &h.b.out[0]);
	assert_pair(&a.child.out, &b.child.in);
	assert_pair(&b.child.out, &a.child.in);
	assert_int_equal(a.child.out.enc_key_len, esp_e_len);
	assert_int_equal(a.child.out.int_key_len, esp_a_len);
	assert_memory_not_equal(a.child.out.enc_key, a.child.in.enc_key, esp_e_len);
	/* Behind the NAT (the guide): ESP in UDP, the peers' outer ports. */
	assert_true(a.child.out.encap);
	assert_int_equal(a.child.out.dport, 4500);
	assert_int_equal(b.child.out.dport, 14500);
	assert_int_equal(a.child.in.replay_window, 1024);
	assert_int_equal(a.child.out.replay_window, 0);
	assert_int_equal(a.child.in.mode, ESP_MODE_TUNNEL);
	hx_free(&h);
}

static void test_guide_cbc_sha256(void **state)
{
	(void)state;
	/* The guide's aes256-sha256-modp1024: 32-byte keys both layers. */
	check_suite(NULL, NULL, 32, 32, 32, 32);
}

static void test_gcm(void **state)
{
	(void)state;
	/* AEAD: no SK_a / integrity key; the key carries the 4-byte salt. */
	check_suite("aes256gcm16-prfsha384-ecp384", "aes256gcm16-ecp384", 36, 0, 36, 0);
}

static void test_sha1_aes128(void **state)
{
	(void)state;
	check_suite("aes128-sha1-modp2048", "aes128-sha1-modp2048", 16, 20, 16, 20);
}

static void test_no_sa_no_call(void **state)
{
	struct hx h = {0};
	struct seen s = {0};

	(void)state;
	snprintf(ya, sizeof(ya), HX_YAML_A, "192.168.0.123", "info", "203.0.113.7", "");
	snprintf(yb, sizeof(yb), HX_YAML_B, "203.0.113.7", "198.51.100.57", "");
	hx_init(&h, ya, yb, true);
	ike_engine_keys(h.a.e, keys_cb, &s);
	assert_int_equal(s.n_ike + s.n_child, 0);
	/* After the tunnel went down again the accessor reports nothing. */
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 1000);
	assert_int_equal(ike_engine_terminate(h.a.e, "cloud"), 0);
	hx_run(&h, 1000);
	ike_engine_keys(h.a.e, keys_cb, &s);
	ike_engine_keys(h.b.e, keys_cb, &s);
	assert_int_equal(s.n_ike + s.n_child, 0);
	hx_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guide_cbc_sha256),
		cmocka_unit_test(test_gcm),
		cmocka_unit_test(test_sha1_aes128),
		cmocka_unit_test(test_no_sa_no_call),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
