/* SPDX-License-Identifier: MIT */
/*
 * Two data paths end to end in one private network namespace (topology in
 * test_dp_harness.h): left has one worker, right two (so inbound packets
 * and TUN reads are steered to the SA's owner worker). Inner packets are
 * built by hand, injected into the routing and captured where the other
 * dp writes them into its TUN, byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "esp/esp_dp.h"
#include "esp/esp_dp_int.h" /* test_seq_exhausted moves a sequence counter */
#include "esp/mss.h"
#include "net/rtnl.h"
#include "lib/err.h"
#include "net/udp.h"
#include "test_dp_harness.h"
#include "unit/net/netns.h"

#define PATH_MTU 1400
#define BW_BPS	 8000000ull /* 1 MB/s: a 64 KiB burst, refilled in ~65 ms */

static struct dph X;

static int group_setup(void **state)
{
	const struct dph_opts o = {
		.lworkers = 1, .rworkers = 2, .lpath_mtu = PATH_MTU, .lbandwidth_bps = BW_BPS};

	return dph_setup(&X, &o);
}

static int group_teardown(void **state)
{
	dph_teardown(&X);
	return 0;
}

/* Let the bucket refill and stray packets settle between tests. */
static int test_setup(void **state)
{
	usleep(100000);
	dph_drain(X.cap_l);
	dph_drain(X.cap_r);
	dph_drain(X.cap_lo);
	return 0;
}

static void sa_stats(struct esp_dp *dp, uint32_t in, uint32_t out, struct esp_dp_sa_stats *st)
{
	assert_int_equal(esp_dp_sa_stats(dp, in, out, st), 0);
}

/* L -> R and R -> L, byte for byte, with counters on both ends. */
static void roundtrip(const struct dph_alg *a, uint32_t sl, uint32_t sr, bool encap)
{
	uint8_t p[256], q[256];
	size_t n, m;
	struct esp_dp_sa_stats ls, rs;

	assert_int_equal(dph_install(&X, a, sl, sr, encap), 0);
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 100, false, 0x4242);
	assert_int_equal(dph_inject(&X, p, n), 0);
	if (!dph_expect(X.cap_r, p, n, 2000))
		fail_msg("%s: L->R packet did not come out of igr0 unchanged", a->name);
	m = dph_udp4(q, sizeof(q), DPH_RIGHT_HOST, DPH_LEFT_HOST, 53, 5000, 60, true, 0x4343);
	assert_int_equal(dph_inject(&X, q, m), 0);
	if (!dph_expect(X.cap_l, q, m, 2000))
		fail_msg("%s: R->L packet did not come out of igl0 unchanged", a->name);

	sa_stats(X.l, sl, sr, &ls);
	sa_stats(X.r, sr, sl, &rs);
	assert_int_equal(ls.packets_out, 1);
	assert_int_equal(ls.bytes_out, n);
	assert_int_equal(ls.packets_in, 1);
	assert_int_equal(ls.bytes_in, m);
	assert_int_equal(rs.packets_in, 1);
	assert_int_equal(rs.bytes_in, n);
	assert_int_equal(rs.packets_out, 1);
	assert_true(ls.last_out_ms > 0 && ls.last_in_ms > 0);
	assert_true(rs.last_out_ms > 0 && rs.last_in_ms > 0);
	assert_int_equal(ls.replay_drops + ls.icv_fails + ls.policy_drops, 0);
	assert_int_equal(rs.replay_drops + rs.icv_fails + rs.policy_drops, 0);
	assert_int_equal(dph_remove(&X, sl, sr), 0);
	assert_int_equal(esp_dp_sa_stats(X.l, sl, sr, &ls), IG_ENOENT);
}

static void test_roundtrip_gcm(void **state)
{
	roundtrip(&dph_gcm256, 0x1001, 0x2001, true);
}

static void test_roundtrip_cbc_sha256(void **state)
{
	roundtrip(&dph_cbc256_sha256, 0x1002, 0x2002, true);
}

/* The data path sizes its TUN queues for TCP bursts (ESP_DP_TUN_TXQLEN), not the kernel's 500. */
static void test_tun_txqlen(void **state)
{
	struct rtnl_link l;

	(void)state;
	assert_int_equal(rtnl_link_get(&X.h, "igl0", &l), 0);
	assert_int_equal(l.txqlen, ESP_DP_TUN_TXQLEN);
	assert_int_equal(rtnl_link_get(&X.h, "igr0", &l), 0);
	assert_int_equal(l.txqlen, ESP_DP_TUN_TXQLEN);
}

/* RFC 4303 without UDP: IP protocol 50 on the wire. */
static void test_raw_esp(void **state)
{
	uint8_t buf[2048];
	ssize_t k;
	bool seen = false;

	roundtrip(&dph_gcm256, 0x1003, 0x2003, false);
	/* The lo capture saw protocol 50 packets and no UDP 4500 ones. */
	while ((k = dph_next(X.cap_lo, buf, sizeof(buf), 100)) > 0) {
		if (k >= 20 && buf[9] == 50)
			seen = true;
		if (k >= 28 && buf[9] == 17 && buf[22] == 0x11 && buf[23] == 0x94)
			fail_msg("ESP in UDP seen with encap off");
	}
	assert_true(seen);
}

/* A captured ESP datagram sent again is a replay (RFC 4303 3.4.3). */
static void test_replay(void **state)
{
	uint8_t p[256], buf[2048];
	size_t n;
	ssize_t k;
	struct esp_dp_sa_stats rs;
	struct udp_sock u;
	struct addr lo1;
	struct net_dgram d = {0};

	assert_int_equal(dph_install(&X, &dph_gcm256, 0x1004, 0x2004, true), 0);
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 40, false, 7);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_r, p, n, 2000));
	/* The ESP datagram to 127.0.0.2:4500, as it crossed lo. */
	for (;;) {
		k = dph_next(X.cap_lo, buf, sizeof(buf), 1000);
		assert_true(k > 0);
		if (k > 28 && buf[9] == 17 && buf[22] == 0x11 && buf[23] == 0x94 && buf[19] == 2)
			break;
	}
	addr_parse(DPH_LEFT_OUTER, &lo1);
	assert_int_equal(udp_open(&u, &lo1, 0), 0);
	addr_parse(DPH_RIGHT_OUTER, &d.dst);
	d.dport = NET_NATT_PORT;
	d.data = buf + 28;
	d.len = (size_t)k - 28;
	assert_int_equal(udp_send_batch(&u, &d, 1), 1);
	udp_close(&u);
	/* Dropped: nothing new in igr0, counted once. */
	assert_false(dph_expect(X.cap_r, p, n, 300));
	sa_stats(X.r, 0x2004, 0x1004, &rs);
	assert_int_equal(rs.packets_in, 1);
	assert_int_equal(rs.replay_drops, 1);
	assert_int_equal(dph_remove(&X, 0x1004, 0x2004), 0);
}

/* Outside every selector: dropped and counted, and nothing goes on the wire. */
static void test_no_policy(void **state)
{
	uint8_t p[256], buf[2048];
	struct esp_dp_stats before, after;
	struct esp_dp_sa_stats ls;
	ssize_t k;
	size_t n;

	assert_int_equal(dph_install(&X, &dph_gcm256, 0x1005, 0x2005, true), 0);
	esp_dp_stats(X.l, &before);
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, "192.0.2.77", 5000, 53, 40, false, 8);
	assert_int_equal(dph_inject(&X, p, n), 0);
	for (;;) {
		k = dph_next(X.cap_lo, buf, sizeof(buf), 400);
		if (k < 0)
			break;
		/* Neither ESP nor the clear packet crosses lo. */
		if (k >= 20 && (buf[9] == 50 || buf[9] == 17))
			fail_msg("a packet (protocol %u, %zd bytes) left on lo", buf[9], k);
	}
	esp_dp_stats(X.l, &after);
	assert_int_equal(after.no_policy_drops - before.no_policy_drops, 1);
	sa_stats(X.l, 0x1005, 0x2005, &ls);
	assert_int_equal(ls.packets_out, 0);
	assert_int_equal(dph_remove(&X, 0x1005, 0x2005), 0);
}

/* ESP with an SPI nobody installed: dropped, counted as no SA. */
static void test_unknown_spi(void **state)
{
	static const uint8_t esp[24] = {0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1};
	struct esp_dp_stats before, after;
	struct udp_sock u;
	struct addr lo1;
	struct net_dgram d = {0};

	esp_dp_stats(X.r, &before);
	addr_parse(DPH_LEFT_OUTER, &lo1);
	assert_int_equal(udp_open(&u, &lo1, 0), 0);
	addr_parse(DPH_RIGHT_OUTER, &d.dst);
	d.dport = NET_NATT_PORT;
	d.data = (uint8_t *)esp;
	d.len = sizeof(esp);
	assert_int_equal(udp_send_batch(&u, &d, 1), 1);
	udp_close(&u);
	usleep(200000);
	esp_dp_stats(X.r, &after);
	assert_int_equal(after.no_sa_drops - before.no_sa_drops, 1);
}

/* Route-like use of the policy TUN without any SA: nothing is sent in the clear. */
static void test_no_sa_at_all(void **state)
{
	uint8_t p[256], buf[2048];
	struct esp_dp_stats before, after;
	ssize_t k;
	size_t n;

	esp_dp_stats(X.l, &before);
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 40, false, 9);
	assert_int_equal(dph_inject(&X, p, n), 0);
	while ((k = dph_next(X.cap_lo, buf, sizeof(buf), 300)) >= 0)
		if (k >= 20 && (buf[9] == 50 || buf[9] == 17))
			fail_msg("a packet (protocol %u) left on lo", buf[9]);
	assert_false(dph_expect(X.cap_r, p, n, 100));
	esp_dp_stats(X.l, &after);
	assert_int_equal(after.no_policy_drops - before.no_policy_drops, 1);
}

/* tcp-mss out on left: the SYN that comes out of igr0 carries the lower MSS. */
static void test_mss_clamp(void **state)
{
	const struct esp_dp_tunnel t = {.tunnel_id = 1, .mss_out = true, .mss = 1300};
	uint8_t p[128], want[128];
	char name[IFNAMSIZ];
	size_t n;

	assert_int_equal(esp_dp_tunnel_set(X.l, &t, name), 0);
	assert_string_equal(name, "");
	assert_int_equal(dph_install(&X, &dph_cbc256_sha256, 0x1006, 0x2006, true), 0);
	n = dph_syn4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 1460);
	memcpy(want, p, n);
	assert_int_equal(esp_mss_clamp(want, n, 1300, NULL), ESP_MSS_CLAMPED);
	assert_int_equal(want[42] << 8 | want[43], 1300);
	assert_true(dph_l4_csum_ok(want, n));
	assert_int_equal(dph_inject(&X, p, n), 0);
	if (!dph_expect(X.cap_r, want, n, 2000))
		fail_msg("the clamped SYN did not come out of igr0");
	/* A SYN with a small MSS passes unchanged. */
	n = dph_syn4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 1200);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_r, p, n, 2000));
	assert_int_equal(esp_dp_tunnel_del(X.l, 1), 0);
	assert_int_equal(esp_dp_tunnel_del(X.l, 1), IG_ENOENT);
	assert_int_equal(dph_remove(&X, 0x1006, 0x2006), 0);
}

/*
 * Left's path MTU is 1400: with GCM over UDP an inner packet may have
 * 1400 - 20 - 8 - 8 - 8 - 16 = 1340 bytes of payload, trailer included,
 * so 1338. A bigger DF packet gets ICMP fragmentation needed (MTU 1338)
 * back into igl0; without DF it is sent and arrives whole.
 */
static void test_frag_needed(void **state)
{
	uint8_t p[1500], buf[2048];
	struct esp_dp_stats before, after;
	struct esp_dp_sa_stats ls;
	ssize_t k;
	size_t n;

	assert_int_equal(dph_install(&X, &dph_gcm256, 0x1007, 0x2007, true), 0);
	esp_dp_stats(X.l, &before);
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 1339 - 28, true, 10);
	assert_int_equal(n, 1339);
	assert_int_equal(dph_inject(&X, p, n), 0);
	for (;;) {
		k = dph_next(X.cap_l, buf, sizeof(buf), 2000);
		assert_true(k > 0);
		if (k >= 56 && buf[9] == 1)
			break;
	}
	assert_int_equal(buf[20], 3);			/* destination unreachable */
	assert_int_equal(buf[21], 4);			/* fragmentation needed */
	assert_int_equal(buf[26] << 8 | buf[27], 1338); /* next-hop MTU */
	assert_memory_equal(buf + 16, p + 12, 4);	/* to the sender */
	assert_memory_equal(buf + 28, p, 28);		/* quoting its headers */
	assert_int_equal(k, 576);
	assert_true(dph_csum_ok(buf, 20));	 /* IPv4 header checksum */
	assert_true(dph_csum_ok(buf + 20, 556)); /* ICMP checksum */
	esp_dp_stats(X.l, &after);
	assert_int_equal(after.icmp_frag_needed - before.icmp_frag_needed, 1);
	assert_false(dph_expect(X.cap_r, p, n, 200));

	/* 1338 bytes fit exactly. */
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 1338 - 28, true, 11);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_r, p, n, 2000));
	/* Too big without DF: the outer packet may be fragmented, so it goes. */
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 1400 - 28, false, 12);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_r, p, n, 2000));
	sa_stats(X.l, 0x1007, 0x2007, &ls);
	assert_int_equal(ls.packets_out, 2);
	assert_int_equal(dph_remove(&X, 0x1007, 0x2007), 0);
}

/* Left is capped at 8 Mbit/s (64 KiB burst): 200 x 1000 bytes at once cannot all pass. */
static void test_bandwidth_cap(void **state)
{
	uint8_t p[1100];
	struct esp_dp_stats before, after, rst;
	struct esp_dp_sa_stats rs, ls;
	size_t n;

	assert_int_equal(dph_install(&X, &dph_gcm256, 0x1008, 0x2008, true), 0);
	usleep(150000); /* a full bucket */
	esp_dp_stats(X.l, &before);
	for (int i = 0; i < 200; i++) {
		n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 1000 - 28,
			     false, (uint16_t)(100 + i));
		assert_int_equal(dph_inject(&X, p, n), 0);
	}
	usleep(500000);
	esp_dp_stats(X.l, &after);
	sa_stats(X.r, 0x2008, 0x1008, &rs);
	esp_dp_stats(X.r, &rst);
	sa_stats(X.l, 0x1008, 0x2008, &ls);
	print_message("# bandwidth cap: %llu passed, %llu dropped; right: steered %llu, "
		      "steer drops %llu, tx errors %llu, replay drops %llu; left tx errors %llu\n",
		      (unsigned long long)rs.packets_in,
		      (unsigned long long)(after.tbf_drops - before.tbf_drops),
		      (unsigned long long)rst.steered, (unsigned long long)rst.steer_drops,
		      (unsigned long long)rst.tx_errors, (unsigned long long)rs.replay_drops,
		      (unsigned long long)after.tx_errors);
	/* ~65 fit the burst, the refill adds ~1 per ms of processing: allow a slow machine. */
	assert_true(after.tbf_drops - before.tbf_drops >= 50);
	assert_true(rs.packets_in >= 60 && rs.packets_in <= 150);
	/* Every packet either passed the cap and arrived, or was dropped by it. */
	assert_int_equal(ls.packets_out + after.tbf_drops - before.tbf_drops, 200);
	assert_int_equal(rs.packets_in, ls.packets_out);
	assert_int_equal(dph_remove(&X, 0x1008, 0x2008), 0);
}

/* An IKE message on 4500 (non-ESP marker) comes out of ike_handoff_fd, marker stripped. */
static void test_ike_handoff(void **state)
{
	uint8_t msg[4 + 28] = {0}, buf[256];
	struct esp_dp_ike_hdr h;
	struct esp_dp_stats before, after;
	struct udp_sock u;
	struct addr lo1, lo2;
	struct net_dgram d = {0};
	static const uint8_t keepalive = 0xff;
	ssize_t k;

	for (size_t i = 4; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	esp_dp_stats(X.r, &before);
	addr_parse(DPH_LEFT_OUTER, &lo1);
	addr_parse(DPH_RIGHT_OUTER, &lo2);
	assert_int_equal(udp_open(&u, &lo1, 0), 0);
	d.dst = lo2;
	d.dport = NET_NATT_PORT;
	d.data = (uint8_t *)&keepalive;
	d.len = 1;
	assert_int_equal(udp_send_batch(&u, &d, 1), 1);
	d.data = msg;
	d.len = sizeof(msg);
	assert_int_equal(udp_send_batch(&u, &d, 1), 1);
	assert_true(wait_readable(X.ike_r[1]));
	k = recv(X.ike_r[1], buf, sizeof(buf), 0);
	assert_int_equal(k, sizeof(h) + 28);
	memcpy(&h, buf, sizeof(h));
	assert_true(addr_eq(&h.src, &lo1));
	assert_true(addr_eq(&h.dst, &lo2));
	assert_int_equal(h.sport, u.port);
	assert_int_equal(h.dport, NET_NATT_PORT);
	assert_int_equal(h.len, 28);
	assert_memory_equal(buf + sizeof(h), msg + 4, 28);
	udp_close(&u);
	/* The worker counts after its write: give it a moment. */
	for (int i = 0; i < 100; i++) {
		esp_dp_stats(X.r, &after);
		if (after.ike_handed_off != before.ike_handed_off)
			break;
		usleep(10000);
	}
	assert_int_equal(after.ike_handed_off - before.ike_handed_off, 1);
	assert_int_equal(after.malformed - before.malformed, 0); /* the keepalive is no error */
}

/* Rekey, make-before-break: the new pair takes the traffic, the old inbound SA still works. */
static void test_rekey(void **state)
{
	uint8_t p[256];
	struct esp_dp_sa_stats o, nw;
	size_t n;

	assert_int_equal(dph_install(&X, &dph_gcm256, 0x1009, 0x2009, true), 0);
	assert_int_equal(dph_install(&X, &dph_cbc256_sha256, 0x100a, 0x200a, true), 0);
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 30, false, 13);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_r, p, n, 2000));
	sa_stats(X.l, 0x100a, 0x200a, &nw);
	sa_stats(X.l, 0x1009, 0x2009, &o);
	assert_int_equal(nw.packets_out, 1);
	assert_int_equal(o.packets_out, 0);
	assert_int_equal(dph_remove(&X, 0x1009, 0x2009), 0);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_r, p, n, 2000));
	assert_int_equal(dph_remove(&X, 0x100a, 0x200a), 0);
	assert_int_equal(dph_remove(&X, 0x100a, 0x200a), IG_ENOENT);
}

/*
 * Rekey responder: the new pair's outbound SA waits on standby (the old one
 * keeps the traffic) until esp_sa_activate(); then the new one takes it.
 */
static void test_rekey_standby(void **state)
{
	uint8_t p[256];
	struct esp_dp_sa_stats o, nw;
	size_t n;

	assert_int_equal(dph_install(&X, &dph_gcm256, 0x100b, 0x200b, true), 0);
	dph_left_standby = true;
	assert_int_equal(dph_install(&X, &dph_gcm256, 0x100c, 0x200c, true), 0);
	dph_left_standby = false;
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 30, false, 14);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_r, p, n, 2000));
	sa_stats(X.l, 0x100c, 0x200c, &nw);
	sa_stats(X.l, 0x100b, 0x200b, &o);
	assert_int_equal(nw.packets_out, 0);
	assert_int_equal(o.packets_out, 1);
	assert_int_equal(esp_sa_activate(X.l, 0x100c, 0x200c), 0);
	assert_int_equal(esp_sa_activate(X.l, 0x100c, 0x200c), 0); /* already active */
	assert_int_equal(esp_sa_activate(X.l, 0x100d, 0x200d), IG_ENOENT);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_r, p, n, 2000));
	sa_stats(X.l, 0x100c, 0x200c, &nw);
	sa_stats(X.l, 0x100b, 0x200b, &o);
	assert_int_equal(nw.packets_out, 1);
	assert_int_equal(o.packets_out, 1);
	assert_int_equal(dph_remove(&X, 0x100b, 0x200b), 0);
	assert_int_equal(dph_remove(&X, 0x100c, 0x200c), 0);
}

/*
 * Route-based (VTI-like): tunnel 2 has its own TUN on both sides and
 * 0.0.0.0/0 selectors. Traffic routed into igvl comes out of igvr; its
 * catch-all selectors do not capture the policy TUN's traffic.
 */
static void test_route_based(void **state)
{
	const struct esp_dp_tunnel tl = {.tunnel_id = 2, .ifname = "igvl", .mtu = 1400},
				   tr = {.tunnel_id = 2, .ifname = "igvr"};
	struct rtnl_route rt = {.dst = C("192.0.2.128/25")};
	struct esp_dp_stats before, after;
	struct esp_dp_sa_stats ls;
	struct rtnl_link link;
	char name[IFNAMSIZ];
	uint8_t p[256];
	int cap;
	size_t n;

	assert_int_equal(esp_dp_tunnel_set(X.l, &tl, name), 0);
	assert_string_equal(name, "igvl");
	assert_int_equal(rtnl_link_get(&X.h, "igvl", &link), 0);
	assert_int_equal(link.mtu, 1400);
	assert_true(link.flags & IFF_UP);
	assert_int_equal(esp_dp_tunnel_set(X.r, &tr, name), 0);
	assert_string_equal(name, "igvr");
	snprintf(rt.dev, sizeof(rt.dev), "igvl");
	assert_int_equal(rtnl_route_add(&X.h, &rt, 0), 0);
	cap = dph_cap_open("igvr");
	assert_true(cap >= 0);

	/* No SA yet: dropped as no SA, nothing sent. */
	esp_dp_stats(X.l, &before);
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, "192.0.2.130", 5000, 53, 50, false, 20);
	assert_int_equal(dph_inject(&X, p, n), 0);
	usleep(200000);
	esp_dp_stats(X.l, &after);
	assert_int_equal(after.no_sa_drops - before.no_sa_drops, 1);

	assert_int_equal(
		dph_install_ex(&X, &dph_gcm256, 0x100c, 0x200c, true, 2, "0.0.0.0/0", "0.0.0.0/0"),
		0);
	assert_int_equal(dph_inject(&X, p, n), 0);
	if (!dph_expect(cap, p, n, 2000))
		fail_msg("packet routed into igvl did not come out of igvr");
	/* The policy TUN still drops what its SPD does not cover. */
	esp_dp_stats(X.l, &before);
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, "192.0.2.77", 5000, 53, 50, false, 21);
	assert_int_equal(dph_inject(&X, p, n), 0);
	usleep(200000);
	esp_dp_stats(X.l, &after);
	assert_int_equal(after.no_policy_drops - before.no_policy_drops, 1);
	sa_stats(X.l, 0x100c, 0x200c, &ls);
	assert_int_equal(ls.packets_out, 1);

	assert_int_equal(dph_remove(&X, 0x100c, 0x200c), 0);
	close(cap);
	assert_int_equal(rtnl_route_del(&X.h, &rt, 0), 0);
	assert_int_equal(esp_dp_tunnel_del(X.l, 2), 0);
	assert_int_equal(esp_dp_tunnel_del(X.r, 2), 0);
	esp_dp_reclaim(X.l);
	esp_dp_reclaim(X.r);
}

/*
 * IPv6 inside and outside: ESP in UDP between 2001:db8:ff::1 and ::2 on lo
 * (the daemon's IPv6 sockets), IPv6 packets both ways; a packet too big for
 * left's path MTU 1400 gets ICMPv6 packet too big: 1400 - 40 - 8 - 8 - 8 -
 * 16 = 1320 bytes of ESP payload, trailer included, so 1318.
 */
static void test_ipv6(void **state)
{
	uint8_t p[1500], q[256], buf[2048];
	struct esp_dp_sa_stats ls, rs;
	size_t n, m;
	ssize_t k;

	assert_int_equal(dph_install6(&X, &dph_gcm256, 0x100d, 0x200d), 0);
	n = dph_udp6(p, sizeof(p), DPH_LEFT_HOST6, DPH_RIGHT_HOST6, 100);
	assert_int_equal(dph_inject(&X, p, n), 0);
	if (!dph_expect(X.cap_r, p, n, 2000))
		fail_msg("IPv6 L->R packet did not come out of igr0 unchanged");
	m = dph_udp6(q, sizeof(q), DPH_RIGHT_HOST6, DPH_LEFT_HOST6, 50);
	assert_int_equal(dph_inject(&X, q, m), 0);
	if (!dph_expect(X.cap_l, q, m, 2000))
		fail_msg("IPv6 R->L packet did not come out of igl0 unchanged");
	sa_stats(X.l, 0x100d, 0x200d, &ls);
	sa_stats(X.r, 0x200d, 0x100d, &rs);
	assert_int_equal(ls.packets_out, 1);
	assert_int_equal(ls.packets_in, 1);
	assert_int_equal(rs.packets_in, 1);

	dph_drain(X.cap_l);
	n = dph_udp6(p, sizeof(p), DPH_LEFT_HOST6, DPH_RIGHT_HOST6, 1319 - 48);
	assert_int_equal(dph_inject(&X, p, n), 0);
	for (;;) {
		k = dph_next(X.cap_l, buf, sizeof(buf), 2000);
		assert_true(k > 0);
		if (k >= 48 && buf[0] >> 4 == 6 && buf[6] == 58 && buf[40] == 2)
			break;
	}
	assert_int_equal(buf[41], 0);
	assert_int_equal((uint32_t)buf[44] << 24 | buf[45] << 16 | buf[46] << 8 | buf[47], 1318);
	assert_memory_equal(buf + 24, p + 8, 16); /* to the sender */
	assert_memory_equal(buf + 48, p, 48);	  /* quoting the packet */
	assert_int_equal(k, 1280);
	assert_true(dph_l4_csum6_ok(buf, (size_t)k));
	n = dph_udp6(p, sizeof(p), DPH_LEFT_HOST6, DPH_RIGHT_HOST6, 1318 - 48);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_r, p, n, 2000));
	assert_int_equal(dph_remove(&X, 0x100d, 0x200d), 0);
}

/*
 * RFC 4303 3.3.3: without ESN the counter must not cycle. With the counter
 * moved to 2^32 - 2, one more packet goes (sequence number 2^32 - 1), the
 * next is dropped and counted, and nothing is sent for it.
 */
static void test_seq_exhausted(void **state)
{
	struct esp_dp_sa_stats ls, rs;
	uint8_t p[256];
	size_t n;

	assert_int_equal(dph_install(&X, &dph_gcm256, 0x100e, 0x200e, true), 0);
	/* Left's newest CHILD SA; its worker is idle, so the write cannot race. */
	assert_int_equal(X.l->children->out->spi, 0x200e);
	X.l->children->out->seq.last = UINT32_MAX - 1;
	/* Right's window must accept the jump: move it with one real packet first. */
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 20, false, 30);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_true(dph_expect(X.cap_r, p, n, 2000));
	n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 20, false, 31);
	assert_int_equal(dph_inject(&X, p, n), 0);
	assert_false(dph_expect(X.cap_r, p, n, 300));
	sa_stats(X.l, 0x100e, 0x200e, &ls);
	sa_stats(X.r, 0x200e, 0x100e, &rs);
	assert_int_equal(ls.packets_out, 1);
	assert_int_equal(ls.seq_exhausted, 1);
	assert_int_equal(rs.packets_in, 1);
	assert_int_equal(dph_remove(&X, 0x100e, 0x200e), 0);
}

/* The next ESP-in-UDP datagram to 127.0.0.2:4500 seen on lo (its outer IPv4 header). */
static ssize_t next_outer(uint8_t *buf, size_t cap)
{
	for (;;) {
		ssize_t k = dph_next(X.cap_lo, buf, cap, 1000);

		if (k < 0)
			return k;
		if (k > 28 && buf[9] == 17 && buf[22] == 0x11 && buf[23] == 0x94 && buf[19] == 2)
			return k;
	}
}

/*
 * The outer header left writes itself (IP_HDRINCL): DF copied from the
 * inner header (df-bit: copy) or set or cleared, DSCP/ECN copied, TTL 64, UDP 4500 -> 4500
 * with a zero checksum (RFC 3948 2.1).
 */
static void test_outer_header(void **state)
{
	uint8_t p[256], buf[2048];
	ssize_t k;
	size_t n;

	assert_int_equal(dph_install(&X, &dph_gcm256, 0x100f, 0x200f, true), 0);
	for (int df = 0; df < 2; df++) {
		n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 40, df,
			     (uint16_t)(40 + df));
		dph_ip4_set_tos(p, 0xb9); /* DSCP EF, ECN ECT(1) */
		assert_int_equal(dph_inject(&X, p, n), 0);
		assert_true(dph_expect(X.cap_r, p, n, 2000));
		k = next_outer(buf, sizeof(buf));
		assert_true(k > 0);
		assert_int_equal(buf[0], 0x45);
		assert_int_equal(buf[1], 0xb9);
		assert_int_equal((buf[6] & 0x40) != 0, df);
		assert_int_equal(buf[8], 64);
		assert_true(dph_csum_ok(buf, 20));
		assert_int_equal(buf[20] << 8 | buf[21], 4500);
		assert_int_equal(buf[24] << 8 | buf[25], k - 20);
		assert_int_equal(buf[26] << 8 | buf[27], 0);
		assert_int_equal(buf[28] << 24 | buf[29] << 16 | buf[30] << 8 | buf[31], 0x200f);
	}
	assert_int_equal(dph_remove(&X, 0x100f, 0x200f), 0);

	/* df-bit: set and clear override the inner DF (RFC 4301 8.1). */
	for (int df = 0; df < 2; df++) {
		assert_int_equal(dph_install_df(&X, 0x1010, 0x2010, df ? ESP_DF_SET : ESP_DF_CLEAR),
				 0);
		n = dph_udp4(p, sizeof(p), DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53, 40, !df,
			     (uint16_t)(42 + df));
		assert_int_equal(dph_inject(&X, p, n), 0);
		assert_true(dph_expect(X.cap_r, p, n, 2000));
		k = next_outer(buf, sizeof(buf));
		assert_true(k > 0);
		assert_int_equal((buf[6] & 0x40) != 0, df);
		assert_int_equal(dph_remove(&X, 0x1010, 0x2010), 0);
	}
}

static void test_install_errors(void **state)
{
	struct esp_sa_desc in = {0}, out = {0};

	assert_int_equal(esp_sa_install(X.l, &in, &out), IG_EINVAL);
	assert_int_equal(dph_install(&X, &dph_gcm256, 0x100b, 0x200b, true), 0);
	/* The same inbound SPI again. */
	assert_int_equal(dph_install(&X, &dph_gcm256, 0x100b, 0x200c, true), IG_EEXIST);
	assert_int_equal(dph_remove(&X, 0x100b, 0x200b), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_roundtrip_gcm, test_setup),
		cmocka_unit_test_setup(test_roundtrip_cbc_sha256, test_setup),
		cmocka_unit_test_setup(test_tun_txqlen, test_setup),
		cmocka_unit_test_setup(test_raw_esp, test_setup),
		cmocka_unit_test_setup(test_replay, test_setup),
		cmocka_unit_test_setup(test_no_policy, test_setup),
		cmocka_unit_test_setup(test_no_sa_at_all, test_setup),
		cmocka_unit_test_setup(test_unknown_spi, test_setup),
		cmocka_unit_test_setup(test_mss_clamp, test_setup),
		cmocka_unit_test_setup(test_frag_needed, test_setup),
		cmocka_unit_test_setup(test_ike_handoff, test_setup),
		cmocka_unit_test_setup(test_rekey, test_setup),
		cmocka_unit_test_setup(test_rekey_standby, test_setup),
		cmocka_unit_test_setup(test_route_based, test_setup),
		cmocka_unit_test_setup(test_ipv6, test_setup),
		cmocka_unit_test_setup(test_seq_exhausted, test_setup),
		cmocka_unit_test_setup(test_outer_header, test_setup),
		cmocka_unit_test_setup(test_install_errors, test_setup),
		cmocka_unit_test_setup(test_bandwidth_cap, test_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
