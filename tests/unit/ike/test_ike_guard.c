/* SPDX-License-Identifier: MIT */
/*
 * ike_guard (src/ike/ike_guard.h): a responder engine for a %any tunnel
 * gets strongSwan's real IKE_SA_INIT (tests/data/ike/strongswan_sa_init.bin)
 * again and again with fresh SPIi from chosen addresses. Checked: the
 * per-source limit, the global half-open limit, cookies above the threshold
 * (RFC 7296 2.6), the class each kind of bad datagram is counted in, and
 * that refusals reach the log at a bounded rate whatever arrives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "crypto/crypto.h"
#include "ike/ike.h"
#include "ike/ike_guard.h"
#include "lib/log.h"

static uint8_t init_msg[2048];
static size_t init_len;
static uint64_t now = 1000;
static unsigned sent, cookies, log_lines;
static struct cfg *cfg;

static const char yaml[] =
	"gateway: {name: cloud, local-address: 203.0.113.7, local-subnets: [192.168.25.0/24]}\n"
	"tunnels:\n"
	"  - {name: anyone, peer: \"%any\", remote-id: \"%any\", psk: \"8 to 40 characters\",\n"
	"     remote-subnets: [10.0.2.0/24], start: respond}\n";

static void io_send(void *ctx, const struct ike_endpoint *l, const struct ike_endpoint *r,
		    const uint8_t *msg, size_t len)
{
	(void)ctx;
	(void)l;
	(void)r;
	sent++;
	/* A bare COOKIE notify answer: header + Notify(COOKIE = 16390). */
	if (len >= 36 && msg[16] == 41 && msg[34] == 0x40 && msg[35] == 0x06)
		cookies++;
}

static uint64_t io_now(void *ctx)
{
	(void)ctx;
	return now;
}

static void on_log(void *ctx, enum log_subsys s, enum log_level l, const char *line)
{
	(void)ctx;
	(void)s;
	(void)l;
	(void)line;
	log_lines++;
}

static int setup(void **state)
{
	const char *dir = getenv("IPSECGW_TEST_DATA");
	char path[512];
	struct cfg_diag d;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/ike/strongswan_sa_init.bin", dir ? dir : "tests/data");
	if (!(f = fopen(path, "rb")))
		return -1;
	init_len = fread(init_msg, 1, sizeof(init_msg), f);
	fclose(f);
	crypto_init();
	log_set_target(LOG_TO_NONE, NULL);
	log_set_all(LL_DEBUG);
	log_add_listener(on_log, NULL);
	cfg_diag_init(&d);
	if (cfg_load_string(yaml, strlen(yaml), "guard", &cfg, &d) != 0 || cfg_diag_count(&d))
		return -1;
	cfg_diag_free(&d);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_remove_listener(on_log, NULL);
	cfg_free(cfg);
	crypto_cleanup();
	return 0;
}

static struct ike_engine *engine(void)
{
	struct ike_io io = {.send = io_send, .now_ms = io_now};
	struct ike_engine *e;

	assert_int_equal(ike_engine_new(&e, &io), 0);
	assert_int_equal(ike_engine_set_config(e, cfg), 0);
	sent = cookies = 0;
	return e;
}

/* strongSwan's IKE_SA_INIT with SPIi = spi, from addr:port. */
static void send_init(struct ike_engine *e, const char *addr, uint16_t port, uint64_t spi)
{
	struct ike_endpoint from = {.port = port}, to = {.port = 500};
	uint8_t m[2048];

	memcpy(m, init_msg, init_len);
	for (int i = 0; i < 8; i++)
		m[i] = (uint8_t)(spi >> (56 - 8 * i));
	assert_int_equal(addr_parse(addr, &from.addr), 0);
	assert_int_equal(addr_parse("203.0.113.7", &to.addr), 0);
	ike_input(e, m, init_len, &from, &to);
}

static size_t half_open(struct ike_engine *e)
{
	struct ike_counts c;

	ike_engine_counts(e, &c);
	return c.ike_half_open;
}

static void test_per_source(void **state)
{
	struct ike_engine *e = engine();
	struct ike_guard *g = ike_engine_guard(e);

	(void)state;
	for (unsigned i = 0; i < 20; i++)
		send_init(e, "192.0.2.2", (uint16_t)(1000 + i), 0x1000 + i);
	assert_int_equal(half_open(e), IKE_GUARD_PER_SOURCE);
	assert_int_equal(sent, IKE_GUARD_PER_SOURCE);
	assert_int_equal(g->drops[IKE_DROP_PER_SOURCE], 20 - IKE_GUARD_PER_SOURCE);
	/* Another address still gets in. */
	send_init(e, "192.0.2.3", 500, 0x2000);
	assert_int_equal(half_open(e), IKE_GUARD_PER_SOURCE + 1);
	ike_engine_free(e);
}

static void test_cookies_above_threshold(void **state)
{
	struct ike_engine *e = engine();
	struct ike_guard *g = ike_engine_guard(e);
	char a[32];

	(void)state;
	ike_engine_params(e)->cookie_threshold = 4;
	for (unsigned i = 0; i < 10; i++) {
		snprintf(a, sizeof(a), "192.0.2.%u", 10 + i);
		send_init(e, a, 500, 0x3000 + i);
	}
	assert_int_equal(half_open(e), 4);
	assert_int_equal(cookies, 6);
	assert_int_equal(g->cookies_sent, 6);
	ike_engine_free(e);
}

static void test_half_open_limit(void **state)
{
	struct ike_engine *e = engine();
	struct ike_guard *g = ike_engine_guard(e);
	char a[32];

	(void)state;
	ike_engine_params(e)->cookie_threshold = 1000;
	g->max_half_open = 5;
	for (unsigned i = 0; i < 12; i++) {
		snprintf(a, sizeof(a), "192.0.2.%u", 30 + i);
		send_init(e, a, 500, 0x4000 + i);
	}
	assert_int_equal(half_open(e), 5);
	assert_int_equal(g->drops[IKE_DROP_HALF_OPEN], 7);
	/* They expire with the half-open timer; then there is room again. */
	now += 31000;
	ike_engine_run_timers(e);
	assert_int_equal(half_open(e), 0);
	send_init(e, "192.0.2.99", 500, 0x5000);
	assert_int_equal(half_open(e), 1);
	ike_engine_free(e);
}

/* A half-open SA keeps the IKE_SA_INIT: one larger than 10000 bytes is refused. */
static void test_init_size(void **state)
{
	struct ike_engine *e = engine();
	struct ike_endpoint from = {.port = 500}, to = {.port = 500};
	static uint8_t m[IKE_GUARD_MAX_INIT_LEN + 64];
	size_t off = 28, n = init_len, pad = IKE_GUARD_MAX_INIT_LEN + 8 - init_len;

	(void)state;
	addr_parse("192.0.2.70", &from.addr);
	addr_parse("203.0.113.7", &to.addr);
	memcpy(m, init_msg, init_len);
	/* A non-critical unknown payload (type 201) at the end makes it large. */
	while (m[off] != 0)
		off += (size_t)m[off + 2] << 8 | m[off + 3];
	m[off] = 201;
	m[n] = 0;
	m[n + 1] = 0;
	m[n + 2] = (uint8_t)(pad >> 8);
	m[n + 3] = (uint8_t)pad;
	memset(m + n + 4, 0x11, pad - 4);
	n += pad;
	m[24] = (uint8_t)(n >> 24);
	m[25] = (uint8_t)(n >> 16);
	m[26] = (uint8_t)(n >> 8);
	m[27] = (uint8_t)n;
	ike_input(e, m, n, &from, &to);
	assert_int_equal(half_open(e), 0);
	assert_int_equal(ike_engine_guard(e)->drops[IKE_DROP_INIT_INVALID], 1);
	/* The same message without the padding gets in. */
	send_init(e, "192.0.2.70", 500, 0x6000);
	assert_int_equal(half_open(e), 1);
	ike_engine_free(e);
}

static void test_drop_classes(void **state)
{
	struct ike_engine *e = engine();
	struct ike_guard *g = ike_engine_guard(e);
	struct ike_endpoint from = {.port = 500}, to = {.port = 500};
	uint8_t m[2048];

	(void)state;
	addr_parse("192.0.2.50", &from.addr);
	addr_parse("203.0.113.7", &to.addr);
	/* Truncated: shorter than the header. */
	ike_input(e, init_msg, 20, &from, &to);
	assert_int_equal(g->drops[IKE_DROP_HEADER], 1);
	/* The Length field disagrees with the datagram. */
	memcpy(m, init_msg, init_len);
	m[27] ^= 1;
	ike_input(e, m, init_len, &from, &to);
	assert_int_equal(g->drops[IKE_DROP_HEADER], 2);
	/* The first payload's length runs past the end. */
	memcpy(m, init_msg, init_len);
	m[30] = 0xff;
	ike_input(e, m, init_len, &from, &to);
	assert_int_equal(g->drops[IKE_DROP_MALFORMED], 1);
	/* An unknown payload type with the critical bit, appended to the chain. */
	{
		size_t off = 28, n = init_len;

		memcpy(m, init_msg, init_len);
		/* The last payload of the chain now names type 200 as the next. */
		while (m[off] != 0)
			off += (size_t)m[off + 2] << 8 | m[off + 3];
		m[off] = 200;
		memcpy(m + n, (const uint8_t[]){0, 0x80, 0, 8, 1, 2, 3, 4}, 8);
		n += 8;
		m[24] = (uint8_t)(n >> 24);
		m[25] = (uint8_t)(n >> 16);
		m[26] = (uint8_t)(n >> 8);
		m[27] = (uint8_t)n;
		ike_input(e, m, n, &from, &to);
		assert_int_equal(g->drops[IKE_DROP_CRITICAL], 1);
	}
	/* IKE_AUTH for SPIs nobody has, with an SK of garbage. */
	memcpy(m, init_msg, 28);
	memset(m + 8, 0x77, 8);
	m[16] = 46;
	m[18] = 35;
	m[19] = 0x08;
	m[23] = 1;
	memcpy(m + 28, (const uint8_t[]){35, 0, 0, 32}, 4);
	memset(m + 32, 0xab, 28);
	m[24] = m[25] = m[26] = 0;
	m[27] = 60;
	ike_input(e, m, 60, &from, &to);
	assert_int_equal(g->drops[IKE_DROP_UNKNOWN_SA], 1);
	ike_engine_free(e);
}

static void test_log_rate_bounded(void **state)
{
	struct ike_engine *e = engine();
	struct ike_endpoint from = {.port = 500}, to = {.port = 500};

	(void)state;
	addr_parse("192.0.2.60", &from.addr);
	addr_parse("203.0.113.7", &to.addr);
	log_lines = 0;
	for (int i = 0; i < 5000; i++)
		ike_input(e, init_msg, 10, &from, &to);
	assert_int_equal(ike_engine_guard(e)->drops[IKE_DROP_HEADER], 5000);
	/* One burst of the limiter (20 lines per 10 s), plus a suppressed summary at most. */
	assert_true(log_lines <= 21);
	assert_true(log_lines >= 1);
	ike_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_source),
		cmocka_unit_test(test_cookies_above_threshold),
		cmocka_unit_test(test_half_open_limit),
		cmocka_unit_test(test_init_size),
		cmocka_unit_test(test_drop_classes),
		cmocka_unit_test(test_log_rate_bounded),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
