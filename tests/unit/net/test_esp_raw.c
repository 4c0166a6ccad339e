/* SPDX-License-Identifier: MIT */
/*
 * Raw ESP (IP protocol 50) over loopback in a private namespace, and the
 * IPv4 header skip as a table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>

#include "lib/err.h"
#include "net/esp_raw.h"
#include "netns.h"

#define NB 4

static int setup(void **state)
{
	return netns_enter();
}

static void test_esp_raw_ipv4_off(void **state)
{
	static const struct {
		const char *name;
		uint8_t in[28];
		size_t len;
		int err;
		size_t off;
	} t[] = {
		{"ihl 5", {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 50}, 28, 0, 20},
		{"ihl 5 exact", {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 50}, 20, 0, 20},
		{"ihl 6", {0x46, 0, 0, 28, 0, 0, 0, 0, 64, 50}, 28, 0, 24},
		{"ihl 7 cut", {0x47, 0, 0, 28, 0, 0, 0, 0, 64, 50}, 27, IG_ETRUNC, 0},
		{"ihl 4", {0x44, 0, 0, 28, 0, 0, 0, 0, 64, 50}, 28, IG_EINVAL, 0},
		{"ihl 0", {0x40, 0, 0, 28, 0, 0, 0, 0, 64, 50}, 28, IG_EINVAL, 0},
		{"version 6", {0x65, 0, 0, 28, 0, 0, 0, 0, 64, 50}, 28, IG_EINVAL, 0},
		{"udp", {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17}, 28, IG_EINVAL, 0},
		{"no protocol byte", {0x45, 0, 0, 28, 0, 0, 0, 0, 64}, 9, IG_ETRUNC, 0},
		{"header cut", {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 50}, 19, IG_ETRUNC, 0},
		{"empty", {0}, 0, IG_ETRUNC, 0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t off = 999;
		int e = esp_raw_ipv4_payload_off(t[i].in, t[i].len, &off);

		if (e != t[i].err)
			fail_msg("%s: got %d, want %d", t[i].name, e, t[i].err);
		if (e == 0)
			assert_int_equal(off, t[i].off);
	}
}

struct pkts {
	uint8_t b[NB][512];
	struct net_dgram d[NB];
};

static void pkts_init(struct pkts *p)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < NB; i++) {
		p->d[i].data = p->b[i];
		p->d[i].cap = sizeof(p->b[i]);
	}
}

static size_t recv_all(struct esp_raw_sock *s, struct net_dgram *d, size_t want)
{
	size_t got = 0;

	while (got < want && wait_readable(s->fd)) {
		int k = esp_raw_recv_batch(s, d + got, want - got);

		assert_true(k >= 0);
		got += (size_t)k;
	}
	return got;
}

/* NB ESP packets (SPI 0x1000+i, seq i+1, a body) from src to dst. */
static void send_esp(struct esp_raw_sock *s, const struct addr *src, const struct addr *dst,
		     struct pkts *out)
{
	pkts_init(out);
	for (int i = 0; i < NB; i++) {
		uint8_t *b = out->b[i];

		memset(b, 0, 8);
		b[2] = 0x10;
		b[3] = (uint8_t)i;
		b[7] = (uint8_t)(i + 1);
		memset(b + 8, 0xa0 + i, 32 + (size_t)i);
		out->d[i].len = 40 + (size_t)i;
		out->d[i].dst = *dst;
		out->d[i].src = *src;
	}
	assert_int_equal(esp_raw_send_batch(s, out->d, NB), NB);
}

static void check_esp(const struct pkts *in, const struct pkts *out, const struct addr *src,
		      const struct addr *dst, size_t off)
{
	for (int i = 0; i < NB; i++) {
		const struct net_dgram *d = &in->d[i];

		assert_int_equal(d->flags, 0);
		assert_int_equal(d->off, off);
		assert_int_equal(d->len - d->off, out->d[i].len);
		assert_memory_equal(d->data + d->off, out->b[i], out->d[i].len);
		assert_true(addr_eq(&d->src, src));
		assert_true(addr_eq(&d->dst, dst));
		assert_int_equal(d->sport, 0);
		assert_int_equal(d->dport, 0);
	}
}

static void test_esp_raw_v4(void **state)
{
	struct esp_raw_sock any, bound;
	struct addr a_any = A("0.0.0.0"), lo1 = A("127.0.0.1"), lo2 = A("127.0.0.2");
	struct addr lo5 = A("127.0.0.5");
	struct pkts out, in;

	assert_int_equal(esp_raw_open(&any, &a_any), 0);
	assert_int_equal(esp_raw_open(&bound, &lo1), 0);
	/* 127.0.0.2 -> 127.0.0.1: both see it, with the IPv4 header in front. */
	send_esp(&any, &lo2, &lo1, &out);
	pkts_init(&in);
	assert_int_equal(recv_all(&any, in.d, NB), NB);
	check_esp(&in, &out, &lo2, &lo1, 20);
	pkts_init(&in);
	assert_int_equal(recv_all(&bound, in.d, NB), NB);
	check_esp(&in, &out, &lo2, &lo1, 20);
	/* To 127.0.0.5: only the unbound socket; delivery to both is one step. */
	send_esp(&bound, &lo1, &lo5, &out);
	pkts_init(&in);
	assert_int_equal(recv_all(&any, in.d, NB), NB);
	check_esp(&in, &out, &lo1, &lo5, 20);
	assert_int_equal(esp_raw_recv_batch(&bound, in.d, NB), 0);
	esp_raw_close(&any);
	esp_raw_close(&bound);
	assert_int_equal(any.fd, -1);
}

static void test_esp_raw_v6(void **state)
{
	struct esp_raw_sock s;
	struct addr a_any = A("::"), lo = A("::1");
	struct pkts out, in;

	assert_int_equal(esp_raw_open(&s, &a_any), 0);
	send_esp(&s, &lo, &lo, &out);
	pkts_init(&in);
	assert_int_equal(recv_all(&s, in.d, NB), NB);
	/* IPv6 raw sockets: no header, ESP from byte 0. */
	check_esp(&in, &out, &lo, &lo, 0);
	esp_raw_close(&s);
}

static void test_esp_raw_errors(void **state)
{
	struct esp_raw_sock s;
	struct addr none = {0}, lo = A("127.0.0.1"), lo6 = A("::1"), foreign = A("192.0.2.1");
	uint8_t b[16] = {0, 0, 1, 0};
	struct net_dgram d = {.dst = lo6, .data = b, .len = sizeof(b)};

	assert_int_equal(esp_raw_open(&s, &none), IG_EINVAL);
	assert_int_equal(esp_raw_open(&s, &foreign), IG_EIO);
	assert_int_equal(errno, EADDRNOTAVAIL);
	assert_int_equal(s.fd, -1);
	assert_int_equal(esp_raw_open(&s, &lo), 0);
	assert_int_equal(esp_raw_send_batch(&s, &d, 1), IG_EINVAL);
	/* Sending from an address we do not have. */
	d.dst = lo;
	d.src = foreign;
	errno = 0;
	assert_int_equal(esp_raw_send_batch(&s, &d, 1), IG_EIO);
	/* The kernel finds no route from a source that is not ours. */
	assert_int_equal(errno, ENETUNREACH);
	esp_raw_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esp_raw_ipv4_off),
		cmocka_unit_test(test_esp_raw_v4),
		cmocka_unit_test(test_esp_raw_v6),
		cmocka_unit_test(test_esp_raw_errors),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
