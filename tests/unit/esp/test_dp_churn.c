/* SPDX-License-Identifier: MIT */
/*
 * Install, rekey, remove and re-install CHILD SAs, and create and delete a
 * route-based TUN, while traffic flows both ways through two data paths
 * with two workers each (topology in test_dp_harness.h). Meant for the
 * sanitizer build: no crash, no use after free, no leak; and afterwards
 * the data path still carries traffic byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "esp/esp_dp.h"
#include "lib/err.h"
#include "test_dp_harness.h"
#include "unit/net/netns.h"

#define ROUNDS 120

static struct dph X;
static atomic_bool stop;
static atomic_ulong sent;

static int group_setup(void **state)
{
	const struct dph_opts o = {.lworkers = 2, .rworkers = 2};

	return dph_setup(&X, &o);
}

static int group_teardown(void **state)
{
	dph_teardown(&X);
	return 0;
}

/* Many flows both ways, so the TUN spreads them over both workers' queues. */
static void *traffic(void *arg)
{
	uint8_t p[512];
	uint16_t port = 1000;

	while (!atomic_load(&stop)) {
		for (int i = 0; i < 16; i++, port++) {
			size_t n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, port, 53,
					    200 + (port % 200), false, port);

			if (dph_inject(&X, p, n) == 0)
				atomic_fetch_add(&sent, 1);
			n = dph_udp4(p, sizeof(p), DPH_RIGHT_HOST, DPH_LEFT_HOST, 53, port, 100,
				     true, port);
			if (dph_inject(&X, p, n) == 0)
				atomic_fetch_add(&sent, 1);
		}
		usleep(500);
	}
	return NULL;
}

static void test_churn(void **state)
{
	const struct dph_alg *algs[2] = {&dph_gcm256, &dph_cbc256_sha256};
	const struct esp_dp_tunnel vt = {
		.tunnel_id = 3, .ifname = "igc%d", .mss_in = true, .mss_out = true, .mss = 1200};
	struct esp_dp_stats ls, rs;
	struct esp_dp_sa_stats st;
	uint64_t carried = 0;
	pthread_t th;
	uint8_t p[256];
	size_t n;

	atomic_store(&stop, false);
	assert_int_equal(pthread_create(&th, NULL, traffic, NULL), 0);
	for (uint32_t i = 0; i < ROUNDS; i++) {
		uint32_t sl = 0x10000 + i, sr = 0x20000 + i;

		/* Make-before-break: the new pair first, then the old one goes. */
		assert_int_equal(dph_install(&X, algs[i % 2], sl, sr, true), 0);
		usleep(2000);
		if (i > 0) {
			assert_int_equal(esp_dp_sa_stats(X.l, sl - 1, sr - 1, &st), 0);
			carried += st.packets_out;
			assert_int_equal(dph_remove(&X, sl - 1, sr - 1), 0);
		}
		if (i % 10 == 0) {
			char name[IFNAMSIZ];

			assert_int_equal(esp_dp_tunnel_set(X.l, &vt, name), 0);
			assert_int_equal(esp_dp_tunnel_del(X.l, 3), 0);
		}
		if (i % 7 == 0) {
			esp_dp_reclaim(X.l);
			esp_dp_reclaim(X.r);
		}
	}
	atomic_store(&stop, true);
	pthread_join(th, NULL);
	esp_dp_stats(X.l, &ls);
	esp_dp_stats(X.r, &rs);
	print_message("# %lu packets injected, %llu carried by retired SAs, steered %llu/%llu, "
		      "steer drops %llu/%llu\n",
		      (unsigned long)atomic_load(&sent), (unsigned long long)carried,
		      (unsigned long long)ls.steered, (unsigned long long)rs.steered,
		      (unsigned long long)ls.steer_drops, (unsigned long long)rs.steer_drops);
	assert_true(carried > 0);
	/* Many flows over two workers: some packets had to change workers. */
	assert_true(ls.steered + rs.steered > 0);

	/* The last pair is still installed and carries a packet both ways. */
	usleep(100000);
	dph_drain(X.cap_r);
	dph_drain(X.cap_l);
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 7, 7, 77, false, 7);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_r, p, n, 2000));
	n = dph_udp4(p, sizeof(p), DPH_RIGHT_HOST, DPH_LEFT_HOST, 8, 8, 88, false, 8);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_l, p, n, 2000));
	/* Left as installed: esp_dp_free() must free it (the leak checker watches). */
}

/* Freeing a data path while traffic flows into it. */
static void test_free_under_traffic(void **state)
{
	pthread_t th;

	atomic_store(&stop, false);
	assert_int_equal(pthread_create(&th, NULL, traffic, NULL), 0);
	usleep(50000);
	esp_dp_free(X.l);
	X.l = NULL;
	usleep(20000);
	atomic_store(&stop, true);
	pthread_join(th, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_churn),
		cmocka_unit_test(test_free_under_traffic),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
