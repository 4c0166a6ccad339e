/* SPDX-License-Identifier: MIT */
/*
 * The SA lifecycle between two engines (exchange_harness.c): CHILD SA and
 * IKE SA rekeys in both roles with and without PFS, the data-path hand-over
 * at every step (hx.check_flow), reauthentication, lifetimes by time,
 * bytes and packets, DPD with each action, collisions (RFC 7296 2.8) with
 * and without loss, and both sides initiating at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exchange_harness.h"

static char ya[2048], yb[2048];

/* The guide through the NAT; extra tunnel keys for A and B. */
static void setup_nat(struct hx *h, const char *extra_a, const char *extra_b, bool nat)
{
	snprintf(ya, sizeof(ya), HX_YAML_A, nat ? "192.168.0.123" : "198.51.100.57", "info",
		 "203.0.113.7", extra_a ? extra_a : "");
	snprintf(yb, sizeof(yb), HX_YAML_B, "203.0.113.7", "198.51.100.57", extra_b ? extra_b : "");
	hx_init(h, ya, yb, nat);
}

static void setup(struct hx *h, const char *extra_a, const char *extra_b)
{
	setup_nat(h, extra_a, extra_b, true);
}

static void up(struct hx *h)
{
	assert_int_equal(ike_engine_initiate(h->a.e, "cloud"), 0);
	hx_run(h, 2000);
	assert_int_equal(hx_count(&h->a, "established"), 1);
	assert_int_equal(hx_count(&h->b, "established"), 1);
	assert_int_equal(hx_children(&h->a), 1);
	assert_int_equal(hx_children(&h->b), 1);
}

static void dump_cb(void *ctx, const struct ike_sa_status *sa, const struct ike_child_status *c,
		    size_t n)
{
	fprintf(stderr, "  %s [%u] %s %016llx_i %016llx_r children %zu\n", (const char *)ctx,
		sa->serial, sa->state, (unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r,
		n);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "    {%u} %s %08x_i %08x_o\n", c[i].child, c[i].state, c[i].spi_in,
			c[i].spi_out);
}

/* One IKE SA and one CHILD SA on each side, and they match. */
static void assert_one_each(struct hx *h)
{
	if (getenv("HX_VERBOSE")) {
		ike_engine_status(h->a.e, dump_cb, "A");
		ike_engine_status(h->b.e, dump_cb, "B");
	}
	assert_int_equal(hx_count(&h->a, "established"), 1);
	assert_int_equal(hx_count(&h->b, "established"), 1);
	assert_int_equal(hx_count(&h->a, "rekeying") + hx_count(&h->a, "deleting"), 0);
	assert_int_equal(hx_count(&h->b, "rekeying") + hx_count(&h->b, "deleting"), 0);
	assert_int_equal(hx_children(&h->a), 1);
	assert_int_equal(hx_children(&h->b), 1);
	hx_assert_traffic_flows(h);
}

struct sa_ids {
	uint64_t spi_i, spi_r;
	uint32_t child_in;
	int64_t rekey_in, reauth_in, child_rekey_in;
	size_t n;
};

static void ids_cb(void *ctx, const struct ike_sa_status *sa, const struct ike_child_status *c,
		   size_t n)
{
	struct sa_ids *ids = ctx;

	if (strcmp(sa->state, "established") != 0)
		return;
	ids->n++;
	ids->spi_i = sa->spi_i;
	ids->spi_r = sa->spi_r;
	ids->rekey_in = sa->rekey_in_s;
	ids->reauth_in = sa->reauth_in_s;
	if (n) {
		ids->child_in = c[0].spi_in;
		ids->child_rekey_in = c[0].rekey_in_s;
	}
}

static struct sa_ids ids(struct hx_side *s)
{
	struct sa_ids i = {0};

	ike_engine_status(s->e, ids_cb, &i);
	return i;
}

/* CHILD SA rekey; who = the side whose shorter esp.lifetime makes it rekey first. */
static void child_rekey(bool a_rekeys, bool pfs)
{
	char ea[256], eb[256];
	const char *esp = pfs ? "aes256-sha256-modp2048" : "aes256-sha256";
	struct hx h = {0};
	struct sa_ids before_a, before_b, after_a, after_b;

	snprintf(ea, sizeof(ea),
		 "    ike: {reauth: false}\n    esp: {proposals: [%s], lifetime: %u}\n", esp,
		 a_rekeys ? 60 : 120);
	snprintf(eb, sizeof(eb),
		 "    ike: {reauth: false}\n    esp: {proposals: [%s], lifetime: %u}\n", esp,
		 a_rekeys ? 120 : 60);
	setup(&h, ea, eb);
	up(&h);
	before_a = ids(&h.a);
	before_b = ids(&h.b);
	/* The soft lifetime lies within the last tenth and a half of 60 s. */
	assert_true(before_a.child_rekey_in >= (a_rekeys ? 47 : 98));
	assert_true(before_a.child_rekey_in <= (a_rekeys ? 54 : 108));
	h.check_flow = true;
	hx_run(&h, 56000);
	assert_one_each(&h);
	after_a = ids(&h.a);
	after_b = ids(&h.b);
	assert_int_not_equal(after_a.child_in, before_a.child_in);
	assert_int_not_equal(after_b.child_in, before_b.child_in);
	/* The IKE SA stays. */
	assert_true(after_a.spi_i == before_a.spi_i && after_a.spi_r == before_a.spi_r);
	assert_true(hx_logged(a_rekeys ? "cloud[1]: CHILD SA {1} rekeyed as {2}"
				       : "onprem[1]: CHILD SA {1} rekeyed as {2}"));
	assert_true(hx_logged(pfs ? "with PFS" : "rekeyed as"));
	if (!pfs)
		assert_false(hx_logged("with PFS"));
	/* The responder's outbound waited for the old CHILD SA's Delete. */
	assert_true(hx_logged("outbound on standby until the old CHILD SA is deleted"));
	assert_int_equal((a_rekeys ? h.b.activated : h.a.activated), 1);
	/* PFS: the new keys are not from SK_d and the nonces alone (2.17). */
	assert_int_equal(h.a.n_child, 2);
	hx_free(&h);
}

static void test_child_rekey_initiator_pfs(void **state)
{
	child_rekey(true, true);
}

static void test_child_rekey_responder_pfs(void **state)
{
	child_rekey(false, true);
}

static void test_child_rekey_initiator_no_pfs(void **state)
{
	child_rekey(true, false);
}

static void test_child_rekey_responder_no_pfs(void **state)
{
	child_rekey(false, false);
}

/* The same CHILD SA rekeyed with and without PFS gives different keys. */
static void test_pfs_changes_keys(void **state)
{
	struct hx h = {0};

	setup(&h, "    esp: {proposals: [aes128gcm16-ecp256]}\n",
	      "    esp: {proposals: [aes128gcm16-ecp256]}\n");
	up(&h);
	h.check_flow = true;
	assert_int_equal(ike_engine_rekey(h.a.e, "cloud", false), 0);
	hx_run(&h, 2000);
	assert_one_each(&h);
	assert_true(hx_logged("CHILD SA {1} rekeyed as {2} with PFS"));
	assert_int_equal(hx_active_out(&h.a)->encr, ALG_ENCR_AES_GCM_16);
	hx_free(&h);
}

/* IKE SA rekey: new SPIs, the CHILD SA moves, and later exchanges run on the new SA. */
static void ike_rekey(bool a_rekeys)
{
	struct hx h = {0};
	struct sa_ids before, after;

	setup(&h, "    ike: {reauth: false}\n", "    ike: {reauth: false}\n");
	up(&h);
	before = ids(&h.a);
	assert_true(before.reauth_in == -1);
	assert_true(before.rekey_in > 0);
	h.check_flow = true;
	assert_int_equal(
		ike_engine_rekey(a_rekeys ? h.a.e : h.b.e, a_rekeys ? "cloud" : "onprem", true), 0);
	hx_run(&h, 2000);
	assert_one_each(&h);
	after = ids(&h.a);
	assert_true(after.spi_i != before.spi_i && after.spi_r != before.spi_r);
	assert_true(after.spi_i == ids(&h.b).spi_i && after.spi_r == ids(&h.b).spi_r);
	/* The CHILD SA was not touched, only moved. */
	assert_int_equal(after.child_in, before.child_in);
	assert_int_equal(h.a.n_child, 1);
	assert_true(hx_logged(a_rekeys ? "cloud[1]: IKE SA rekeyed as [2]"
				       : "onprem[1]: IKE SA rekeyed as [2]"));
	/* CHILD SA rekeys over the new IKE SA (keys from the new SK_d), both ways. */
	assert_int_equal(ike_engine_rekey(h.a.e, "cloud", false), 0);
	hx_run(&h, 2000);
	assert_one_each(&h);
	assert_int_equal(ike_engine_rekey(h.b.e, "onprem", false), 0);
	hx_run(&h, 2000);
	assert_one_each(&h);
	assert_int_equal(h.a.n_child, 3);
	/* And the new IKE SA rekeys again. */
	assert_int_equal(
		ike_engine_rekey(a_rekeys ? h.b.e : h.a.e, a_rekeys ? "onprem" : "cloud", true), 0);
	hx_run(&h, 2000);
	assert_one_each(&h);
	assert_true(ids(&h.a).spi_i != after.spi_i);
	hx_free(&h);
}

/* The soft lifetime starts the IKE rekey by itself; CHILD SAs rekey too. */
static void test_ike_rekey_by_lifetime(void **state)
{
	struct hx h = {0};
	struct sa_ids before;

	setup(&h, "    ike: {reauth: false, lifetime: 100}\n    esp: {lifetime: 60}\n",
	      "    ike: {reauth: false, lifetime: 1000}\n    esp: {lifetime: 600}\n");
	up(&h);
	before = ids(&h.a);
	assert_true(before.rekey_in >= 82 && before.rekey_in <= 90);
	h.check_flow = true;
	hx_run(&h, 95000);
	assert_one_each(&h);
	assert_true(hx_logged("IKE SA soft lifetime reached (ike.lifetime 100 s): rekeying"));
	assert_true(ids(&h.a).spi_i != before.spi_i);
	assert_int_not_equal(ids(&h.a).child_in, before.child_in);
	hx_free(&h);
}

static void test_ike_rekey_initiator(void **state)
{
	ike_rekey(true);
}

static void test_ike_rekey_responder(void **state)
{
	ike_rekey(false);
}

/* Reauthentication: a new IKE SA and CHILD SA before the old ones go. */
static void test_reauth(void **state)
{
	struct hx h = {0};
	struct sa_ids before, after;

	setup(&h, "    ike: {reauth: true, lifetime: 100}\n    esp: {lifetime: 99}\n",
	      "    ike: {reauth: true, lifetime: 1000}\n    esp: {lifetime: 999}\n");
	up(&h);
	before = ids(&h.a);
	assert_true(before.rekey_in == -1);
	assert_true(before.reauth_in >= 82 && before.reauth_in <= 90);
	h.check_flow = true;
	hx_run(&h, 95000);
	assert_one_each(&h);
	after = ids(&h.a);
	assert_true(after.spi_i != before.spi_i);
	assert_int_not_equal(after.child_in, before.child_in);
	assert_true(hx_logged("reauthenticating IKE SA [1]"));
	assert_true(hx_logged("cloud[2]: reauthenticated: this IKE SA replaces [1]"));
	/* The peer kept its old SA until our Delete: no INITIAL_CONTACT. */
	assert_false(hx_logged("peer sent INITIAL_CONTACT"));
	hx_free(&h);
}

/* DPD: A's peer goes silent. */
static void dpd(const char *action, struct hx *h)
{
	char ea[256];

	snprintf(ea, sizeof(ea), "    dpd: {interval: 10, timeout: 30, action: %s}\n", action);
	setup(h, ea, "    dpd: {interval: 10, timeout: 30, action: none}\n");
	up(h);
	h->loss = 100;
	hx_run(h, 9000);
	assert_false(hx_logged("did not answer DPD"));
	hx_run(h, 35000);
	if (strcmp(action, "none") != 0)
		assert_true(
			hx_logged("peer 203.0.113.7 did not answer DPD for 30 s (dpd.timeout): it "
				  "is dead"));
}

static void test_dpd_restart(void **state)
{
	struct hx h = {0};

	dpd("restart", &h);
	assert_true(hx_logged("dpd.action restart: initiating a new IKE SA"));
	assert_int_equal(hx_count(&h.a, "connecting"), 1);
	assert_int_equal(hx_children(&h.a), 0);
	/* The peer is back: the new IKE SA replaces its stale one (INITIAL_CONTACT). */
	h.loss = 0;
	hx_run(&h, 70000);
	assert_one_each(&h);
	assert_true(hx_logged("peer sent INITIAL_CONTACT: it lost this SA"));
	hx_free(&h);
}

static void test_dpd_clear(void **state)
{
	struct hx h = {0};

	dpd("clear", &h);
	assert_true(hx_logged("dpd.action clear: the tunnel stays down"));
	h.loss = 0;
	hx_run(&h, 100000);
	assert_int_equal(hx_count(&h.a, "established") + hx_count(&h.a, "connecting"), 0);
	assert_int_equal(hx_children(&h.a), 0);
	hx_free(&h);
}

static void test_dpd_hold(void **state)
{
	struct hx h = {0};

	dpd("hold", &h);
	assert_true(hx_logged("dpd.action hold"));
	h.loss = 0;
	hx_run(&h, 30000);
	assert_int_equal(hx_count(&h.a, "established") + hx_count(&h.a, "connecting"), 0);
	/* Traffic for the tunnel shows up in the data path's drop counter. */
	h.a.blocked += 3;
	hx_run(&h, 5000);
	assert_true(hx_logged("traffic for the held tunnel (dpd.action hold): initiating"));
	assert_one_each(&h);
	hx_free(&h);
}

static void test_dpd_none(void **state)
{
	struct hx h = {0};
	unsigned sent;

	setup(&h, "    dpd: {interval: 10, timeout: 30, action: none}\n",
	      "    dpd: {interval: 10, timeout: 30, action: none}\n");
	up(&h);
	h.loss = 100;
	sent = h.sent;
	hx_run(&h, 120000);
	assert_int_equal(h.sent, sent);
	assert_int_equal(hx_count(&h.a, "established"), 1);
	hx_free(&h);
}

/* ESP from the peer counts as life: no DPD probe while it flows. */
static void test_dpd_esp_traffic(void **state)
{
	struct hx h = {0};
	unsigned sent;

	setup(&h, "    dpd: {interval: 10, timeout: 30, action: clear}\n",
	      "    dpd: {interval: 10, timeout: 30, action: none}\n");
	up(&h);
	sent = h.sent;
	for (int i = 0; i < 20; i++) {
		h.a.last_in_ms = h.now;
		hx_run(&h, 3000);
	}
	assert_int_equal(h.sent, sent);
	/* Traffic stops: a probe goes out after the interval; the peer answers. */
	hx_run(&h, 12000);
	assert_int_equal(h.sent, sent + 2);
	assert_int_equal(hx_count(&h.a, "established"), 1);
	hx_free(&h);
}

/* The peer never answers a rekey: the hard lifetime deletes the CHILD SA. */
static void test_child_hard_expiry(void **state)
{
	struct hx h = {0};

	/* B has no PFS group in common: every rekey is refused; the first CHILD
	 * SA (IKE_AUTH, no DH) comes up regardless. */
	setup(&h, "    esp: {proposals: [aes256-sha256-modp1024], lifetime: 30}\n",
	      "    esp: {proposals: [aes256-sha256-modp2048], lifetime: 3000}\n");
	up(&h);
	hx_run(&h, 31000);
	assert_true(hx_logged("peer refused its rekey with NO_PROPOSAL_CHOSEN"));
	assert_true(hx_logged("CHILD SA {1} (SPIs"));
	assert_true(hx_logged("expired (hard lifetime, esp.lifetime 30 s): deleting"));
	assert_int_equal(hx_children(&h.a), 0);
	assert_int_equal(hx_children(&h.b), 0);
	assert_int_equal(hx_count(&h.a, "established"), 1);
	hx_free(&h);
}

/* The IKE SA's hard lifetime when its rekeys fail. */
static void test_ike_hard_expiry(void **state)
{
	struct hx h = {0};

	setup(&h,
	      "    ike: {reauth: false, lifetime: 40}\n    esp: {lifetime: 30}\n"
	      "    dpd: {action: none}\n",
	      "    ike: {reauth: false, lifetime: 4000}\n    dpd: {action: none}\n");
	up(&h);
	/* The peer is gone: the rekey goes unanswered until the hard limit. */
	h.loss = 100;
	hx_run(&h, 45000);
	assert_true(hx_logged("IKE SA expired (hard lifetime, ike.lifetime 40 s) while the peer "
			      "does not answer"));
	assert_int_equal(hx_count(&h.a, "established") + hx_count(&h.a, "rekeying"), 0);
	assert_int_equal(hx_children(&h.a), 0);
	hx_free(&h);
}

/* life-bytes and life-packets: soft rekeys, hard deletes. */
static void usage_limits(const char *key, bool bytes)
{
	char ea[256];
	struct hx h = {0};
	uint32_t first;

	snprintf(ea, sizeof(ea), "    esp: {%s: 1000000}\n", key);
	setup(&h, ea, NULL);
	up(&h);
	first = ids(&h.a).child_in;
	h.check_flow = true;
	hx_run(&h, 5000);
	assert_int_equal(ids(&h.a).child_in, first);
	if (bytes)
		h.a.usage_bytes = 950000;
	else
		h.a.usage_packets = 950000;
	hx_run(&h, 3000);
	assert_true(hx_logged("CHILD SA {1} soft lifetime reached ("));
	assert_one_each(&h);
	assert_int_not_equal(ids(&h.a).child_in, first);
	/* The new CHILD SA counts from zero; then it passes the hard limit. */
	h.a.usage_bytes = h.a.usage_packets = 0;
	hx_run(&h, 3000);
	h.check_flow = false;
	if (bytes)
		h.a.usage_bytes = 1000001;
	else
		h.a.usage_packets = 1000001;
	hx_run(&h, 3000);
	assert_true(hx_logged("expired (hard lifetime: "));
	assert_int_equal(hx_children(&h.a), 0);
	assert_int_equal(hx_children(&h.b), 0);
	/* `ipsecgw up`: a new CHILD SA on the IKE SA that is still up (1.3.1). */
	h.a.usage_bytes = h.a.usage_packets = 0;
	h.check_flow = true;
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 2000);
	assert_true(hx_logged("peer added CHILD SA {"));
	assert_true(hx_logged("peer accepted a new CHILD SA {"));
	assert_one_each(&h);
	hx_free(&h);
}

static void test_life_bytes(void **state)
{
	usage_limits("life-bytes", true);
}

static void test_life_packets(void **state)
{
	usage_limits("life-packets", false);
}

/* Both sides rekey the CHILD SA at once (2.8.1), with some loss. */
static void child_collision(unsigned loss, uint32_t seed)
{
	struct hx h = {0};

	setup(&h, NULL, NULL);
	up(&h);
	h.rng = seed;
	h.loss = loss;
	h.check_flow = loss == 0;
	assert_int_equal(ike_engine_rekey(h.a.e, "cloud", false), 0);
	assert_int_equal(ike_engine_rekey(h.b.e, "onprem", false), 0);
	hx_run(&h, 100000);
	h.loss = 0;
	hx_run(&h, 100000);
	assert_one_each(&h);
	if (loss == 0) {
		assert_true(hx_logged("both sides rekeyed it at once"));
		assert_true(hx_logged("rekey collision won"));
		assert_true(hx_logged("rekey collision lost"));
	}
	hx_free(&h);
}

static void test_child_collision(void **state)
{
	child_collision(0, 42);
}

static void test_child_collision_loss(void **state)
{
	for (uint32_t seed = 1; seed <= 40; seed++) {
		if (getenv("HX_SEED") && (uint32_t)atoi(getenv("HX_SEED")) != seed)
			continue;
		child_collision(30, seed);
	}
}

/* Both sides rekey the IKE SA at once (2.8.2). */
static void ike_collision(unsigned loss, uint32_t seed)
{
	struct hx h = {0};

	setup(&h, NULL, NULL);
	up(&h);
	h.rng = seed;
	h.loss = loss;
	h.check_flow = loss == 0;
	assert_int_equal(ike_engine_rekey(h.a.e, "cloud", true), 0);
	assert_int_equal(ike_engine_rekey(h.b.e, "onprem", true), 0);
	hx_run(&h, 100000);
	h.loss = 0;
	hx_run(&h, 100000);
	assert_one_each(&h);
	assert_true(ids(&h.a).spi_i == ids(&h.b).spi_i && ids(&h.a).spi_r == ids(&h.b).spi_r);
	if (loss == 0) {
		assert_true(hx_logged("both sides rekeyed this IKE SA at once"));
		assert_true(hx_logged("IKE SA rekey collision won"));
		assert_true(hx_logged("IKE SA rekey collision lost"));
	}
	hx_free(&h);
}

static void test_ike_collision(void **state)
{
	ike_collision(0, 42);
}

static void test_ike_collision_loss(void **state)
{
	for (uint32_t seed = 1; seed <= 40; seed++) {
		if (getenv("HX_SEED") && (uint32_t)atoi(getenv("HX_SEED")) != seed)
			continue;
		ike_collision(30, seed);
	}
}

/* One side rekeys the IKE SA while the other rekeys the CHILD SA. */
static void test_ike_child_collision(void **state)
{
	for (int who = 0; who < 2; who++) {
		struct hx h = {0};

		setup(&h, "    ike: {reauth: false}\n", "    ike: {reauth: false}\n");
		up(&h);
		h.check_flow = true;
		assert_int_equal(ike_engine_rekey(h.a.e, "cloud", who == 0), 0);
		assert_int_equal(ike_engine_rekey(h.b.e, "onprem", who != 0), 0);
		hx_run(&h, 60000);
		assert_one_each(&h);
		assert_true(hx_logged("TEMPORARY_FAILURE"));
		hx_free(&h);
	}
}

/* A CHILD rekey crossing a Delete of the IKE SA (2.25). */
static void test_rekey_crossing_delete(void **state)
{
	struct hx h = {0};

	setup(&h, NULL, NULL);
	up(&h);
	assert_int_equal(ike_engine_rekey(h.b.e, "onprem", false), 0);
	assert_int_equal(ike_engine_terminate(h.a.e, "cloud"), 0);
	hx_run(&h, 60000);
	assert_int_equal(hx_count(&h.a, "established"), 0);
	assert_int_equal(hx_count(&h.b, "established"), 0);
	assert_int_equal(hx_children(&h.a), 0);
	assert_int_equal(hx_children(&h.b), 0);
	hx_free(&h);
}

/*
 * The collision matrix: each pair of {CHILD rekey, IKE rekey, IKE Delete}
 * started by both sides at once, without loss and with 30% loss (several
 * seeds; nonces differ per run). Afterwards: one matching pair of SAs with
 * traffic flowing, or, when one side deleted, nothing on either side.
 */
enum op { OP_CHILD, OP_IKE, OP_DELETE };

static void start_op(struct hx_side *s, const char *tunnel, enum op op)
{
	int r = op == OP_DELETE ? ike_engine_terminate(s->e, tunnel)
				: ike_engine_rekey(s->e, tunnel, op == OP_IKE);

	assert_int_equal(r, 0);
}

static void test_collision_matrix(void **state)
{
	static const char *const names[] = {"CHILD rekey", "IKE rekey", "Delete"};

	for (int a = OP_CHILD; a <= OP_DELETE; a++)
		for (int b = OP_CHILD; b <= OP_DELETE; b++)
			for (unsigned loss = 0; loss <= 30; loss += 30)
				for (uint32_t seed = 1; seed <= (loss ? 6u : 1u); seed++) {
					struct hx h = {0};

					setup(&h, "    ike: {reauth: false}\n",
					      "    ike: {reauth: false}\n    dpd: {action: "
					      "clear}\n");
					up(&h);
					h.rng = seed;
					h.loss = loss;
					start_op(&h.a, "cloud", (enum op)a);
					start_op(&h.b, "onprem", (enum op)b);
					hx_run(&h, 150000);
					h.loss = 0;
					hx_run(&h, 150000);
					if (getenv("HX_VERBOSE"))
						fprintf(stderr,
							"matrix: A %s, B %s, loss %u%%, seed %u\n",
							names[a], names[b], loss, seed);
					if (a == OP_DELETE || b == OP_DELETE) {
						assert_int_equal(hx_count(&h.a, "established"), 0);
						assert_int_equal(hx_count(&h.b, "established"), 0);
						assert_int_equal(hx_children(&h.a), 0);
						assert_int_equal(hx_children(&h.b), 0);
					} else {
						assert_one_each(&h);
						assert_true(ids(&h.a).spi_i == ids(&h.b).spi_i);
					}
					hx_free(&h);
				}
}

/*
 * The matrix's fourth operation, a new CHILD SA on an IKE SA that has none
 * (`ipsecgw up` after the CHILD SA expired, 1.3.1), against each of {new
 * CHILD, IKE rekey, Delete} from the other side at once, with and without
 * loss. Two new CHILD SAs started at once are both made (RFC 7296 2.8
 * has a collision rule for rekeys only): both sides must hold the same
 * ones, and traffic flows.
 */
static void start_new_or(struct hx_side *s, const char *tunnel, int op)
{
	if (op < 0)
		assert_int_equal(ike_engine_initiate(s->e, tunnel), 0);
	else
		start_op(s, tunnel, (enum op)op);
}

static void test_collision_matrix_new_child(void **state)
{
	static const int others[] = {-1, OP_IKE, OP_DELETE};

	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		for (int a_first = 0; a_first <= 1; a_first++)
			for (unsigned loss = 0; loss <= 30; loss += 30)
				for (uint32_t seed = 1; seed <= (loss ? 6u : 1u); seed++) {
					struct hx h = {0};
					int other = others[i];

					setup(&h,
					      "    ike: {reauth: false}\n    esp: {life-bytes: "
					      "1000000}\n",
					      "    ike: {reauth: false}\n    dpd: {action: "
					      "clear}\n");
					up(&h);
					/* The CHILD SA passes its hard limit: an IKE SA without
					 * one. */
					h.a.usage_bytes = 1000001;
					hx_run(&h, 3000);
					h.a.usage_bytes = 0;
					assert_int_equal(hx_children(&h.a), 0);
					assert_int_equal(hx_children(&h.b), 0);
					h.rng = seed;
					h.loss = loss;
					if (a_first) {
						start_new_or(&h.a, "cloud", -1);
						start_new_or(&h.b, "onprem", other);
					} else {
						start_new_or(&h.a, "cloud", other);
						start_new_or(&h.b, "onprem", -1);
					}
					hx_run(&h, 150000);
					h.loss = 0;
					hx_run(&h, 150000);
					if (getenv("HX_VERBOSE"))
						fprintf(stderr,
							"matrix: new CHILD vs %d, a_first %d, loss "
							"%u%%, seed %u\n",
							other, a_first, loss, seed);
					if (other == OP_DELETE) {
						assert_int_equal(hx_count(&h.a, "established"), 0);
						assert_int_equal(hx_count(&h.b, "established"), 0);
						assert_int_equal(hx_children(&h.a), 0);
						assert_int_equal(hx_children(&h.b), 0);
					} else if (other < 0) {
						assert_int_equal(hx_count(&h.a, "established"), 1);
						assert_int_equal(hx_count(&h.b, "established"), 1);
						assert_true(hx_children(&h.a) >= 1 &&
							    hx_children(&h.a) <= 2);
						assert_int_equal(hx_children(&h.a),
								 hx_children(&h.b));
						hx_assert_traffic_flows(&h);
					} else {
						assert_one_each(&h);
					}
					hx_free(&h);
				}
}

/* Both sides start the tunnel at once: one IKE SA survives, on both sides. */
static void test_both_initiate(void **state)
{
	struct hx h = {0};

	setup_nat(&h, NULL, NULL, false);
	/* B may initiate too: it is told to, like `ipsecgw up`. */
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	assert_int_equal(ike_engine_initiate(h.b.e, "onprem"), 0);
	hx_run(&h, 60000);
	assert_one_each(&h);
	assert_true(ids(&h.a).spi_i == ids(&h.b).spi_i && ids(&h.a).spi_r == ids(&h.b).spi_r);
	assert_true(hx_logged("both sides initiated the tunnel"));
	hx_free(&h);
}

/* A long run with both lifetimes short: many rekeys by both sides, always one pair. */
static void test_long_run(void **state)
{
	struct hx h = {0};

	setup(&h, "    ike: {reauth: false, lifetime: 45}\n    esp: {lifetime: 20}\n",
	      "    ike: {reauth: false, lifetime: 45}\n    esp: {lifetime: 20}\n");
	up(&h);
	h.check_flow = true;
	for (int i = 0; i < 8; i++) {
		hx_run(&h, 15000);
		assert_int_equal(hx_count(&h.a, "established"), 1);
	}
	hx_run(&h, 5000);
	assert_one_each(&h);
	hx_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_child_rekey_initiator_pfs),
		cmocka_unit_test(test_child_rekey_responder_pfs),
		cmocka_unit_test(test_child_rekey_initiator_no_pfs),
		cmocka_unit_test(test_child_rekey_responder_no_pfs),
		cmocka_unit_test(test_pfs_changes_keys),
		cmocka_unit_test(test_ike_rekey_initiator),
		cmocka_unit_test(test_ike_rekey_responder),
		cmocka_unit_test(test_ike_rekey_by_lifetime),
		cmocka_unit_test(test_reauth),
		cmocka_unit_test(test_dpd_restart),
		cmocka_unit_test(test_dpd_clear),
		cmocka_unit_test(test_dpd_hold),
		cmocka_unit_test(test_dpd_none),
		cmocka_unit_test(test_dpd_esp_traffic),
		cmocka_unit_test(test_child_hard_expiry),
		cmocka_unit_test(test_ike_hard_expiry),
		cmocka_unit_test(test_life_bytes),
		cmocka_unit_test(test_life_packets),
		cmocka_unit_test(test_child_collision),
		cmocka_unit_test(test_child_collision_loss),
		cmocka_unit_test(test_ike_collision),
		cmocka_unit_test(test_ike_collision_loss),
		cmocka_unit_test(test_ike_child_collision),
		cmocka_unit_test(test_rekey_crossing_delete),
		cmocka_unit_test(test_collision_matrix),
		cmocka_unit_test(test_collision_matrix_new_child),
		cmocka_unit_test(test_both_initiate),
		cmocka_unit_test(test_long_run),
	};

	/* HX_ONLY=test_name runs one test (with HX_VERBOSE=1 to see the log). */
	if (getenv("HX_ONLY"))
		cmocka_set_test_filter(getenv("HX_ONLY"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
