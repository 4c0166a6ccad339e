/* SPDX-License-Identifier: MIT */
/*
 * IKE_SA_INIT + IKE_AUTH + INFORMATIONAL between two engines in one
 * process (exchange_harness.c): the guide's setup through a NAT, every
 * IKE suite of the interop plan, loss, duplication, reordering, cookies,
 * INVALID_KE, and every error notify with the log line the operator sees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "exchange_harness.h"

static char ya[2048], yb[2048];

/* A behind the NAT (the guide), or A on a public address. */
static void setup(struct hx *h, const char *extra_a, const char *extra_b, bool nat)
{
	const char *a_addr = h->v6 ? "2001:db8:0:57::57" : nat ? "192.168.0.123" : "198.51.100.57";
	const char *b_addr = h->v6 ? "2001:db8:c::7" : "203.0.113.7";
	const char *a_peer = h->v6 ? "2001:db8:0:57::57" : "198.51.100.57";

	snprintf(ya, sizeof(ya), HX_YAML_A, a_addr, "info", b_addr, extra_a ? extra_a : "");
	snprintf(yb, sizeof(yb), HX_YAML_B, b_addr, a_peer, extra_b ? extra_b : "");
	hx_init(h, ya, yb, nat);
}

/* Both sides have one IKE SA and one CHILD SA, and the keys cross over. */
static void assert_up(struct hx *h)
{
	assert_int_equal(hx_count(&h->a, "established"), 1);
	assert_int_equal(hx_count(&h->b, "established"), 1);
	assert_int_equal(hx_children(&h->a), 1);
	assert_int_equal(hx_children(&h->b), 1);
	const struct esp_sa_desc *ai = &h->a.in[h->a.n_child - 1], *ao = &h->a.out[h->a.n_child - 1];
	const struct esp_sa_desc *bi = &h->b.in[h->b.n_child - 1], *bo = &h->b.out[h->b.n_child - 1];
	assert_int_equal(ao->spi, bi->spi);
	assert_int_equal(bo->spi, ai->spi);
	assert_int_equal(ao->enc_key_len, bi->enc_key_len);
	assert_memory_equal(ao->enc_key, bi->enc_key, ao->enc_key_len);
	assert_memory_equal(bo->enc_key, ai->enc_key, bo->enc_key_len);
	assert_int_equal(ao->int_key_len, bi->int_key_len);
	assert_memory_equal(ao->int_key, bi->int_key, ao->int_key_len);
	assert_memory_equal(bo->int_key, ai->int_key, bo->int_key_len);
	assert_int_equal(ao->encr, bi->encr);
	assert_int_equal(ao->integ, bi->integ);
	/* Encryption keys of the two directions differ (2.17). */
	assert_memory_not_equal(ao->enc_key, ai->enc_key, ao->enc_key_len);
}

static void test_guide_through_nat(void **state)
{
	struct hx h = { 0 };

	setup(&h, NULL, NULL, true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 1000);
	assert_up(&h);
	/* The guide's selectors: two on-prem subnets in one CHILD SA. */
	assert_int_equal(h.b.in[0].n_remote_ts, 2);
	assert_int_equal(h.b.in[0].n_local_ts, 1);
	assert_int_equal(h.a.out[0].n_local_ts, 2);
	/* NAT detected: both moved to 4500, ESP in UDP, A keeps the NAT open. */
	assert_true(h.a.out[0].encap);
	assert_true(h.b.out[0].encap);
	assert_int_equal(h.a.out[0].dport, 4500);
	assert_int_equal(h.b.out[0].dport, 14500);
	assert_int_equal(h.a.out[0].encr, ALG_ENCR_AES_CBC);
	assert_int_equal(h.a.out[0].encr_keybits, 256);
	assert_int_equal(h.a.out[0].integ, ALG_INTEG_HMAC_SHA2_256_128);
	assert_true(hx_logged("IKE SA established with 203.0.113.7[203.0.113.7] "
			      "(AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024)"));
	hx_run(&h, 45000);
	assert_true(h.a.keepalives >= 2);
	assert_int_equal(h.b.keepalives, 0);
	hx_free(&h);
}

static void test_no_nat_stays_on_500(void **state)
{
	struct hx h = { 0 };

	setup(&h, NULL, NULL, false);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 1000);
	assert_up(&h);
	assert_false(h.a.out[0].encap);
	assert_int_equal(h.a.out[0].dport, 500);
	hx_free(&h);
}

static void test_ipv6_outer(void **state)
{
	struct hx h = { .v6 = true };

	/* The default local-id (public-ip) is IPv4; the peer expects its address. */
	setup(&h, "    local-id: 2001:db8:0:57::57\n", NULL, false);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 1000);
	assert_up(&h);
	assert_int_equal(h.a.out[0].dst.family, AF_INET6);
	hx_free(&h);
}

/* The interop plan's suites, IKE and ESP, both sides configured alike. */
static void test_suites(void **state)
{
	static const struct {
		const char *ike, *esp, *want;
	} t[] = {
		{ "aes128-sha1-modp2048", "aes128-sha1-modp2048",
		  "AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048" },
		{ "aes256gcm16-prfsha384-ecp384", "aes256gcm16-ecp384",
		  "AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384" },
		{ "aes256-sha512-curve25519", "aes256-sha512-curve25519",
		  "AES_CBC_256/HMAC_SHA2_512_256/PRF_HMAC_SHA2_512/CURVE_25519" },
		{ "chacha20poly1305-prfsha256-ecp256", "chacha20poly1305",
		  "CHACHA20_POLY1305/PRF_HMAC_SHA2_256/ECP_256" },
		{ "aes128gcm16-prfsha256-ecp521", "aes128gmac", "AES_GCM_16_128/PRF_HMAC_SHA2_256/ECP_521" },
		{ "aes192-sha384-modp3072", "aes192gcm12", "AES_CBC_192/HMAC_SHA2_384_192/PRF_HMAC_SHA2_384/MODP_3072" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char ea[256], eb[256], want[256];
		struct hx h = { 0 };

		snprintf(ea, sizeof(ea), "    ike: {proposals: [%s]}\n    esp: {proposals: [%s]}\n",
			 t[i].ike, t[i].esp);
		snprintf(eb, sizeof(eb), "    ike: {proposals: [%s]}\n    esp: {proposals: [%s]}\n",
			 t[i].ike, t[i].esp);
		setup(&h, ea, eb, true);
		assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
		hx_run(&h, 2000);
		snprintf(want, sizeof(want), "(%s)", t[i].want);
		if (!hx_logged(want))
			fail_msg("suite %zu: no '%s' in the log", i, want);
		assert_up(&h);
		hx_free(&h);
	}
}

static void test_route_based_any_selectors(void **state)
{
	static const char *route =
		"    type: route\n    local-tunnel-ip: 169.254.200.6/30\n";
	static const char *route_b =
		"    type: route\n    local-tunnel-ip: 169.254.200.5/30\n";
	struct hx h = { 0 };

	setup(&h, route, route_b, true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 1000);
	assert_up(&h);
	/* 0.0.0.0/0 and ::/0 on both sides, as VyOS' VTI negotiates. */
	assert_int_equal(h.a.out[0].n_local_ts, 2);
	assert_int_equal(h.a.out[0].n_remote_ts, 2);
	assert_true(addr_is_any(&h.a.out[0].local_ts[0].first));
	hx_free(&h);
}

/* Loss, duplication and reordering: still exactly one SA on each side. */
static void test_lossy_network(void **state)
{
	static const struct {
		unsigned loss, dup;
		bool reorder;
		uint32_t seed;
	} t[] = {
		{ 30, 0, false, 1 }, { 30, 0, false, 7 }, { 0, 100, false, 3 },
		{ 20, 50, true, 5 }, { 40, 30, true, 11 }, { 0, 50, true, 13 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct hx h = { 0 };

		setup(&h, NULL, NULL, true);
		h.loss = t[i].loss;
		h.dup = t[i].dup;
		h.reorder = t[i].reorder;
		h.rng = t[i].seed;
		assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
		hx_run(&h, 60000);
		if (hx_count(&h.a, "established") != 1 || hx_count(&h.b, "established") != 1)
			fail_msg("row %zu: A %zu B %zu established (sent %u, dropped %u)", i,
				 hx_count(&h.a, "established"), hx_count(&h.b, "established"), h.sent,
				 h.dropped);
		assert_up(&h);
		assert_int_equal(hx_count(&h.b, "connecting"), 0);
		hx_free(&h);
	}
}

static void test_wrong_psk(void **state)
{
	struct hx h = { 0 };

	setup(&h, NULL, NULL, true);
	/* Same length, one character off. */
	char *p = strstr(yb, "8 to 40 characters");
	p[0] = '9';
	hx_free(&h);
	hx_init(&h, ya, yb, true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 5000);
	assert_int_equal(hx_count(&h.a, "established"), 0);
	assert_int_equal(hx_count(&h.b, "established"), 0);
	assert_int_equal(hx_children(&h.a), 0);
	assert_true(hx_logged("onprem[1]: IKE_AUTH from 198.51.100.57[198.51.100.57]: authentication "
			      "failed: the peer's AUTH does not match our pre-shared key"));
	assert_true(hx_logged("cloud[1]: peer rejected our authentication (AUTHENTICATION_FAILED)"));
	hx_free(&h);
}

static void test_no_common_proposal(void **state)
{
	struct hx h = { 0 };

	setup(&h, "    ike: {proposals: [aes128-sha1-modp2048]}\n",
	      "    ike: {proposals: [aes256-sha512-ecp384]}\n", true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 5000);
	assert_int_equal(hx_count(&h.a, "established") + hx_count(&h.a, "connecting"), 0);
	assert_true(hx_logged("onprem: IKE_SA_INIT from 198.51.100.57: no common IKE proposal "
			      "(NO_PROPOSAL_CHOSEN); peer offered "
			      "AES_CBC_128/PRF_HMAC_SHA1/HMAC_SHA1_96/MODP_2048; we accept "
			      "AES_CBC_256/HMAC_SHA2_512_256/PRF_HMAC_SHA2_512/ECP_384"));
	assert_true(hx_logged("cloud[1]: peer rejected our proposals (NO_PROPOSAL_CHOSEN) in "
			      "IKE_SA_INIT; we offered AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048"));
	hx_free(&h);
}

static void test_no_common_esp_proposal(void **state)
{
	struct hx h = { 0 };

	setup(&h, "    esp: {proposals: [aes128-sha1]}\n", "    esp: {proposals: [aes256gcm16]}\n",
	      true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 5000);
	assert_true(hx_logged("peer rejected our ESP proposals (NO_PROPOSAL_CHOSEN) in IKE_AUTH"));
	assert_true(hx_logged("IKE_AUTH: no common ESP proposal (NO_PROPOSAL_CHOSEN)"));
	/* A deletes the IKE SA that carries nothing; B follows the Delete. */
	assert_int_equal(hx_count(&h.a, "established"), 0);
	assert_int_equal(hx_count(&h.b, "established"), 0);
	hx_free(&h);
}

static void test_ts_unacceptable(void **state)
{
	struct hx h = { 0 };

	/* A wants 172.16.0.0/24 at the cloud, which B does not have. */
	setup(&h, NULL, NULL, true);
	char *p = strstr(ya, "remote-subnets: [192.168.25.0/24]");
	memcpy(p, "remote-subnets: [172.16.99.0/24] ", strlen("remote-subnets: [172.16.99.0/24] "));
	hx_free(&h);
	hx_init(&h, ya, yb, true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 5000);
	assert_true(hx_logged("traffic selectors do not match (TS_UNACCEPTABLE)"));
	assert_true(hx_logged("peer rejected our traffic selectors (TS_UNACCEPTABLE) in IKE_AUTH"));
	assert_int_equal(hx_children(&h.a), 0);
	assert_int_equal(hx_children(&h.b), 0);
	hx_free(&h);
}

/* KEi with the wrong group: INVALID_KE_PAYLOAD, then a retry that works (1.2). */
static void test_invalid_ke_retry(void **state)
{
	struct hx h = { 0 };

	setup(&h, "    ike: {proposals: [aes256-sha256-ecp256, aes256-sha256-modp2048]}\n",
	      "    ike: {proposals: [aes256-sha256-modp2048]}\n", true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 2000);
	assert_true(hx_logged("asking for MODP_2048 (INVALID_KE_PAYLOAD)"));
	assert_true(hx_logged("peer asked for DH group MODP_2048 instead of ECP_256"));
	assert_up(&h);
	hx_free(&h);
}

/* Above the half-open threshold the responder wants a cookie (2.6). */
static void test_cookie(void **state)
{
	struct hx h = { 0 };

	setup(&h, NULL, NULL, true);
	ike_engine_params(h.b.e)->cookie_threshold = 0;
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 2000);
	assert_true(hx_logged("responder asked for a cookie"));
	assert_up(&h);
	hx_free(&h);
}

/* The operator takes the tunnel down: Delete reaches the peer (1.4.1). */
static void test_delete(void **state)
{
	struct hx h = { 0 };

	setup(&h, NULL, NULL, true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 1000);
	assert_up(&h);
	assert_int_equal(ike_engine_terminate(h.b.e, "onprem"), 0);
	hx_run(&h, 1000);
	assert_int_equal(hx_count(&h.a, "established"), 0);
	assert_int_equal(hx_count(&h.b, "established") + hx_count(&h.b, "deleting"), 0);
	assert_int_equal(hx_children(&h.a), 0);
	assert_int_equal(hx_children(&h.b), 0);
	assert_true(hx_logged("peer deleted it"));
	hx_free(&h);
}

/* Nobody answers: retransmit with backoff, then give up and say so. */
static void test_give_up(void **state)
{
	struct hx h = { 0 };

	setup(&h, NULL, NULL, true);
	h.loss = 100;
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 300000);
	assert_int_equal(h.sent, 6); /* 1 + 5 retransmissions */
	assert_int_equal(hx_count(&h.a, "connecting"), 0);
	assert_true(hx_logged("peer 203.0.113.7 did not answer our IKE_SA_INIT request after 5 "
			      "retransmissions: giving up"));
	hx_free(&h);
}

/* The peer claims another identity than the tunnel expects. */
static void test_wrong_identity(void **state)
{
	struct hx h = { 0 };

	setup(&h, "    local-id: onprem.example.com\n", NULL, true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 5000);
	assert_true(hx_logged("identifies as 'onprem.example.com' (FQDN), but the tunnel expects "
			      "remote-id '198.51.100.57'"));
	assert_int_equal(hx_count(&h.b, "established"), 0);
	hx_free(&h);
}

/* A responder with no tunnel for the peer answers NO_PROPOSAL_CHOSEN. */
static void test_unknown_peer(void **state)
{
	struct hx h = { 0 };

	setup(&h, NULL, NULL, true);
	char *p = strstr(yb, "peer: 198.51.100.57");
	memcpy(p, "peer: 198.51.100.99", strlen("peer: 198.51.100.99"));
	hx_free(&h);
	hx_init(&h, ya, yb, true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 5000);
	assert_true(hx_logged("no tunnel is configured for this peer"));
	assert_int_equal(hx_count(&h.a, "established"), 0);
	hx_free(&h);
}

/* Garbage and truncated datagrams are counted and dropped; the SA is unharmed. */
static void test_garbage_input(void **state)
{
	struct hx h = { 0 };
	uint8_t junk[300];
	struct ike_endpoint from = { .port = 500 }, to = { .port = 500 };
	struct ike_counts c;

	setup(&h, NULL, NULL, true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 1000);
	assert_up(&h);
	addr_parse("198.51.100.57", &from.addr);
	to.addr = h.b.addr;
	for (size_t n = 0; n < sizeof(junk); n += 7) {
		for (size_t i = 0; i < n; i++)
			junk[i] = (uint8_t)(i * 31 + n);
		ike_input(h.b.e, junk, n, &from, &to);
	}
	ike_engine_counts(h.b.e, &c);
	assert_true(c.rx_invalid + c.rx_dropped > 0);
	assert_int_equal(hx_count(&h.b, "established"), 1);
	hx_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guide_through_nat),
		cmocka_unit_test(test_no_nat_stays_on_500),
		cmocka_unit_test(test_ipv6_outer),
		cmocka_unit_test(test_suites),
		cmocka_unit_test(test_route_based_any_selectors),
		cmocka_unit_test(test_lossy_network),
		cmocka_unit_test(test_wrong_psk),
		cmocka_unit_test(test_no_common_proposal),
		cmocka_unit_test(test_no_common_esp_proposal),
		cmocka_unit_test(test_ts_unacceptable),
		cmocka_unit_test(test_invalid_ke_retry),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_give_up),
		cmocka_unit_test(test_wrong_identity),
		cmocka_unit_test(test_unknown_peer),
		cmocka_unit_test(test_garbage_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
