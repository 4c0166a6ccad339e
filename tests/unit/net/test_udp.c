/* SPDX-License-Identifier: MIT */
/*
 * UDP sockets over loopback in a private namespace: batched send/receive,
 * PKTINFO destination and source addresses, v4 and v6, the socket set,
 * error paths, and NAT-T demux of what arrives on a "4500" socket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "lib/err.h"
#include "net/natt.h"
#include "net/rtnl.h"
#include "net/udp.h"
#include "netns.h"

#define PORT_A 45000
#define PORT_B 45001
#define NB     16

static int setup(void **state)
{
	struct rtnl h;
	struct cidr c;
	int r = netns_enter();

	if (r != 0)
		return r;
	/* A second IPv6 address on lo to send from and to (documentation range). */
	if (rtnl_open(&h) != 0 || cidr_parse("2001:db8::1/128", &c, 0) != 0 ||
	    rtnl_addr_add(&h, "lo", &c, NULL, 0) != 0 || netns_wait_local(&h, &c.a) != 0)
		r = -1;
	rtnl_close(&h);
	return r;
}

struct bufs {
	uint8_t b[NB][256];
	struct net_dgram d[NB];
};

static void bufs_init(struct bufs *b)
{
	memset(b, 0, sizeof(*b));
	for (int i = 0; i < NB; i++) {
		b->d[i].data = b->b[i];
		b->d[i].cap = sizeof(b->b[i]);
	}
}

/* Receives exactly want datagrams (in as many batches as it takes). */
static size_t recv_all(struct udp_sock *s, struct net_dgram *d, size_t want)
{
	size_t got = 0;

	while (got < want && wait_readable(s->fd)) {
		int k = udp_recv_batch(s, d + got, want - got);

		assert_true(k >= 0);
		got += (size_t)k;
	}
	return got;
}

/*
 * Sender on src_bind sends NB datagrams to dst[i % 2] from src (PKTINFO); a
 * receiver bound to "any" must see each one's destination and source.
 */
static void roundtrip(const char *any, const char *src_bind, const char *src, const char *dst0,
		      const char *dst1)
{
	struct udp_sock tx, rx;
	struct addr a_any = A(any), a_txb = A(src_bind), a_src = A(src);
	struct addr dsts[2] = {A(dst0), A(dst1)};
	struct bufs out, in;
	char s1[ADDR_STRLEN], s2[ADDR_STRLEN];
	size_t got;

	assert_int_equal(udp_open(&rx, &a_any, PORT_B), 0);
	assert_int_equal(rx.port, PORT_B);
	assert_int_equal(udp_open(&tx, &a_txb, 0), 0);
	assert_true(tx.port >= 1024);

	bufs_init(&out);
	bufs_init(&in);
	for (int i = 0; i < NB; i++) {
		out.d[i].dst = dsts[i % 2];
		out.d[i].dport = PORT_B;
		out.d[i].src = a_src;
		out.d[i].len = 10 + (size_t)i;
		memset(out.b[i], 'a' + i, out.d[i].len);
	}
	assert_int_equal(udp_send_batch(&tx, out.d, NB), NB);
	got = recv_all(&rx, in.d, NB);
	if (got != NB) {
		for (size_t i = 0; i < got; i++)
			print_error("got %zu: %s -> %s len %zu\n", i,
				    addr_format(&in.d[i].src, s1, sizeof(s1)),
				    addr_format(&in.d[i].dst, s2, sizeof(s2)), in.d[i].len);
		fail_msg("%s -> %s/%s: received %zu of %d", src, dst0, dst1, got, NB);
	}
	for (int i = 0; i < NB; i++) {
		const struct net_dgram *d = &in.d[i];

		assert_int_equal(d->flags, 0);
		assert_int_equal(d->len, 10 + i);
		assert_memory_equal(d->data, out.b[i], d->len);
		if (!addr_eq(&d->dst, &dsts[i % 2]))
			fail_msg("datagram %d: dst %s, want %s", i,
				 addr_format(&d->dst, s1, sizeof(s1)),
				 addr_format(&dsts[i % 2], s2, sizeof(s2)));
		if (!addr_eq(&d->src, &a_src))
			fail_msg("datagram %d: src %s, want %s", i,
				 addr_format(&d->src, s1, sizeof(s1)), src);
		assert_int_equal(d->sport, tx.port);
		assert_int_equal(d->dport, PORT_B);
		assert_int_equal(d->off, 0);
	}
	/* Nothing left: an empty receive is 0, not an error. */
	assert_int_equal(udp_recv_batch(&rx, in.d, NB), 0);
	udp_close(&tx);
	udp_close(&rx);
	assert_int_equal(tx.fd, -1);
}

static void test_udp_v4_batch_pktinfo(void **state)
{
	/* 127.0.0.0/8 is all local on lo: two destinations, a third source. */
	roundtrip("0.0.0.0", "0.0.0.0", "127.0.0.3", "127.0.0.1", "127.0.0.2");
}

static void test_udp_v6_batch_pktinfo(void **state)
{
	roundtrip("::", "::", "2001:db8::1", "::1", "2001:db8::1");
	roundtrip("::", "::", "::1", "2001:db8::1", "::1");
}

static void test_udp_specific_bind(void **state)
{
	struct udp_sock tx, rx;
	struct addr lo1 = A("127.0.0.1"), lo2 = A("127.0.0.2");
	struct bufs b;

	assert_int_equal(udp_open(&rx, &lo1, PORT_A), 0);
	assert_true(addr_eq(&rx.local, &lo1));
	assert_int_equal(udp_open(&tx, &lo2, 0), 0);
	bufs_init(&b);
	b.d[0].dst = lo1;
	b.d[0].dport = PORT_A;
	b.d[0].len = 3;
	memcpy(b.b[0], "abc", 3);
	/* No source given: the bound address is used. */
	assert_int_equal(udp_send_batch(&tx, b.d, 1), 1);
	assert_int_equal(recv_all(&rx, b.d + 1, 1), 1);
	assert_true(addr_eq(&b.d[1].src, &lo2));
	assert_true(addr_eq(&b.d[1].dst, &lo1));
	assert_int_equal(b.d[1].sport, tx.port);
	udp_close(&tx);
	udp_close(&rx);
}

static void test_udp_truncated(void **state)
{
	struct udp_sock tx, rx;
	struct addr lo = A("127.0.0.1");
	uint8_t big[100], small[10];
	struct net_dgram d = {.dst = lo, .dport = PORT_A, .data = big, .len = sizeof(big)};
	struct net_dgram r = {.data = small, .cap = sizeof(small)};

	memset(big, 7, sizeof(big));
	assert_int_equal(udp_open(&rx, &lo, PORT_A), 0);
	assert_int_equal(udp_open(&tx, &lo, 0), 0);
	assert_int_equal(udp_send_batch(&tx, &d, 1), 1);
	assert_true(wait_readable(rx.fd));
	assert_int_equal(udp_recv_batch(&rx, &r, 1), 1);
	assert_int_equal(r.flags, NET_DGRAM_TRUNC);
	assert_int_equal(r.len, sizeof(small));
	udp_close(&tx);
	udp_close(&rx);
}

static void test_udp_send_errors(void **state)
{
	struct udp_sock s;
	struct addr lo = A("127.0.0.1"), lo6 = A("::1");
	uint8_t *huge = calloc(1, 70000), x = 0;
	struct net_dgram d[2] = {
		{.dst = lo6, .dport = PORT_A, .data = &x, .len = 1},
		{.dst = lo, .dport = PORT_A, .data = &x, .len = 1},
	};

	assert_non_null(huge);
	assert_int_equal(udp_open(&s, &lo, 0), 0);
	/* Wrong family first: nothing sent. */
	assert_int_equal(udp_send_batch(&s, d, 2), IG_EINVAL);
	/* A good one followed by a wrong one: the good prefix goes. */
	d[0] = d[1];
	d[1].dst = lo6;
	assert_int_equal(udp_send_batch(&s, d, 2), 1);
	/* Source of the wrong family. */
	d[0].src = lo6;
	assert_int_equal(udp_send_batch(&s, d, 1), IG_EINVAL);
	/* Bigger than any UDP datagram: the kernel refuses, errno kept. */
	d[0].src = lo;
	d[0].data = huge;
	d[0].len = 70000;
	errno = 0;
	assert_int_equal(udp_send_batch(&s, d, 1), IG_EIO);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(udp_send_batch(&s, d, 0), 0);
	udp_close(&s);
	udp_close(&s); /* twice is harmless */
	free(huge);
}

static void test_udp_open_errors(void **state)
{
	struct udp_sock a, b;
	struct addr lo = A("127.0.0.1"), none = {0}, foreign = A("192.0.2.1");

	assert_int_equal(udp_open(&a, &none, 0), IG_EINVAL);
	assert_int_equal(a.fd, -1);
	assert_int_equal(udp_open(&a, &lo, PORT_A), 0);
	errno = 0;
	assert_int_equal(udp_open(&b, &lo, PORT_A), IG_EIO);
	assert_int_equal(errno, EADDRINUSE);
	assert_int_equal(b.fd, -1);
	/* An address this host does not have. */
	assert_int_equal(udp_open(&b, &foreign, PORT_B), IG_EIO);
	assert_int_equal(errno, EADDRNOTAVAIL);
	udp_close(&a);
}

static void test_udp_set(void **state)
{
	static const uint16_t ports[] = {PORT_A, PORT_B};
	struct udp_set set, other;
	struct addr lo = A("127.0.0.1");

	/* "any": an IPv4 and an IPv6 socket per port, sharing the port (V6ONLY). */
	assert_int_equal(udp_set_open(&set, NULL, ports, 2), 0);
	assert_int_equal(set.n, 4);
	assert_non_null(udp_set_find(&set, AF_INET, PORT_A));
	assert_non_null(udp_set_find(&set, AF_INET6, PORT_A));
	assert_non_null(udp_set_find(&set, AF_INET, PORT_B));
	assert_int_equal(udp_set_find(&set, AF_INET6, PORT_B)->family, AF_INET6);
	assert_null(udp_set_find(&set, AF_INET, 4500));
	/* Ports taken: a second set fails and leaves nothing open. */
	assert_int_equal(udp_set_open(&other, &lo, ports, 2), IG_EIO);
	assert_int_equal(errno, EADDRINUSE);
	assert_int_equal(other.n, 0);
	udp_set_close(&set);
	assert_int_equal(set.n, 0);

	/* One address: one socket per port. */
	assert_int_equal(udp_set_open(&set, &lo, ports, 2), 0);
	assert_int_equal(set.n, 2);
	assert_null(udp_set_find(&set, AF_INET6, PORT_A));
	udp_set_close(&set);

	/* Default ports: 500 and 4500 (we are root in our own namespace). */
	assert_int_equal(udp_set_open(&set, NULL, NULL, 0), 0);
	assert_int_equal(set.n, 4);
	assert_non_null(udp_set_find(&set, AF_INET, NET_IKE_PORT));
	assert_non_null(udp_set_find(&set, AF_INET6, NET_NATT_PORT));
	udp_set_close(&set);

	/* Too many sockets for the set. */
	{
		uint16_t many[UDP_SET_MAX] = {0};

		assert_int_equal(udp_set_open(&set, NULL, many, UDP_SET_MAX), IG_ERANGE);
	}
}

/* What a "4500" socket receives, demultiplexed (RFC 3948). */
static void test_udp_natt_demux(void **state)
{
	struct udp_sock tx, rx;
	struct addr lo = A("127.0.0.1");
	uint8_t ike[64], esp[16] = {0x00, 0x00, 0x12, 0x34, 0, 0, 0, 1}, ka = NATT_KEEPALIVE_BYTE;
	struct buf_wr w;
	struct bufs in;
	struct net_dgram d[3] = {
		{.dst = lo, .dport = PORT_B, .data = ike},
		{.dst = lo, .dport = PORT_B, .data = esp, .len = sizeof(esp)},
		{.dst = lo, .dport = PORT_B, .data = &ka, .len = 1},
	};
	static const enum natt_kind want[3] = {NATT_IKE, NATT_ESP, NATT_KEEPALIVE};

	buf_wr_init(&w, ike, sizeof(ike));
	assert_int_equal(natt_put_marker(&w), 0);
	assert_int_equal(buf_put_bytes(&w, "IKE!", 4), 0);
	d[0].len = buf_wr_len(&w);
	assert_int_equal(udp_open(&rx, &lo, PORT_B), 0);
	assert_int_equal(udp_open(&tx, &lo, PORT_A), 0);
	assert_int_equal(udp_send_batch(&tx, d, 3), 3);
	bufs_init(&in);
	assert_int_equal(recv_all(&rx, in.d, 3), 3);
	for (int i = 0; i < 3; i++) {
		struct buf_rd p;

		assert_int_equal(natt_demux(in.d[i].data, in.d[i].len, &p), want[i]);
		if (i == 0)
			assert_memory_equal(buf_rd_cur(&p), "IKE!", 4);
	}
	udp_close(&tx);
	udp_close(&rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_v4_batch_pktinfo),
		cmocka_unit_test(test_udp_v6_batch_pktinfo),
		cmocka_unit_test(test_udp_specific_bind),
		cmocka_unit_test(test_udp_truncated),
		cmocka_unit_test(test_udp_send_errors),
		cmocka_unit_test(test_udp_open_errors),
		cmocka_unit_test(test_udp_set),
		cmocka_unit_test(test_udp_natt_demux),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
