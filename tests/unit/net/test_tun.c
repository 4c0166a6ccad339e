/* SPDX-License-Identifier: MIT */
/*
 * TUN devices in a private namespace: names, multi-queue attach,
 * persistence, and packets both ways through a route into the TUN.
 *
 *   UDP socket --(route 203.0.113.0/24 dev igt0)--> igt0 --> tun_read_batch
 *   tun_write_batch --> igt0 --(198.51.100.1 is local)--> UDP socket
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <sys/uio.h>

#include "lib/buf.h"
#include "lib/err.h"
#include "net/rtnl.h"
#include "net/tun.h"
#include "net/udp.h"
#include "netns.h"

#define DEV    "igt0"
#define PORT   45010
#define REMOTE "203.0.113.9"
#define LOCAL  "198.51.100.1"
#define RPORT  9999

static struct rtnl h;

static int group_setup(void **state)
{
	if (netns_enter() != 0 || rtnl_open(&h) != 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	rtnl_close(&h);
	return 0;
}

static void test_tun_name_check(void **state)
{
	static const struct {
		const char *name;
		int err;
	} t[] = {
		{"vti1", 0},
		{"a", 0},
		{"abcdefghijklmno", 0}, /* 15 = IFNAMSIZ - 1 */
		{"abcdefghijklmnop", IG_EINVAL},
		{"", IG_EINVAL},
		{NULL, IG_EINVAL},
		{".", IG_EINVAL},
		{"..", IG_EINVAL},
		{"...", 0},
		{"a/b", IG_EINVAL},
		{"a:1", IG_EINVAL},
		{"a b", IG_EINVAL},
		{"a\tb", IG_EINVAL},
		{"tun%d", 0},
		{"vti-1_x.y", 0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (tun_name_check(t[i].name) != t[i].err)
			fail_msg("\"%s\": want %d", t[i].name ? t[i].name : "(null)", t[i].err);
}

static void test_tun_queues(void **state)
{
	struct tun q1, q2, bad;
	struct rtnl_link l;

	assert_int_equal(tun_open(&bad, "a/b"), IG_EINVAL);
	assert_int_equal(bad.fd, -1);
	assert_int_equal(tun_open(&q1, DEV), 0);
	assert_string_equal(q1.name, DEV);
	/* Multi-queue: a second fd attaches to the same device. */
	assert_int_equal(tun_open(&q2, DEV), 0);
	assert_true(q2.fd >= 0 && q2.fd != q1.fd);
	assert_int_equal(rtnl_link_get(&h, DEV, &l), 0);
	assert_true(l.flags & IFF_POINTOPOINT);
	tun_close(&q1);
	assert_int_equal(q1.fd, -1);
	assert_int_equal(rtnl_link_get(&h, DEV, &l), 0);
	tun_close(&q2);
	/* The last queue gone: a non-persistent device is gone. */
	assert_int_equal(rtnl_link_get(&h, DEV, &l), IG_ENOENT);

	/* The kernel picks the number. */
	assert_int_equal(tun_open(&q1, "igq%d"), 0);
	assert_string_equal(q1.name, "igq0");
	tun_close(&q1);
}

static void test_tun_persist(void **state)
{
	struct tun t;
	struct rtnl_link l;

	assert_int_equal(tun_open(&t, "igp0"), 0);
	assert_int_equal(tun_set_persist(&t, true), 0);
	tun_close(&t);
	assert_int_equal(rtnl_link_get(&h, "igp0", &l), 0);
	assert_int_equal(tun_destroy("igp0"), 0);
	assert_int_equal(rtnl_link_get(&h, "igp0", &l), IG_ENOENT);
	/* On a closed queue the ioctl fails: IG_EIO with errno. */
	assert_int_equal(tun_set_persist(&t, true), IG_EIO);
	assert_int_equal(errno, EBADF);
}

/* Brings DEV up with LOCAL/30 and a route for 203.0.113.0/24 into it (vnet: IFF_VNET_HDR). */
static void tun_plumb_vnet(struct tun *t, bool vnet)
{
	struct cidr l = C(LOCAL "/30");
	struct rtnl_route r = {.dst = C("203.0.113.0/24"), .src = A(LOCAL)};
	struct rtnl_link lk;

	assert_int_equal(tun_open_vnet(t, DEV, vnet), 0);
	assert_int_equal(rtnl_link_set_mtu(&h, DEV, 1400), 0);
	assert_int_equal(rtnl_link_set_up(&h, DEV, true), 0);
	assert_int_equal(rtnl_addr_add(&h, DEV, &l, NULL, 0), 0);
	snprintf(r.dev, sizeof(r.dev), "%s", DEV);
	assert_int_equal(rtnl_route_add(&h, &r, 0), 0);
	assert_int_equal(rtnl_link_get(&h, DEV, &lk), 0);
	assert_int_equal(lk.mtu, 1400);
}

static void tun_plumb(struct tun *t)
{
	tun_plumb_vnet(t, false);
}

struct udp4 {
	struct addr src, dst;
	uint16_t sport, dport;
	const uint8_t *payload;
	size_t plen;
};

/* RFC 791 / RFC 768 headers through the bounded reader; 0 if IPv4 UDP. */
static int parse_udp4(const uint8_t *p, size_t len, struct udp4 *u)
{
	struct buf_rd r;
	uint8_t vihl, proto, b[4];
	uint16_t tot, ulen, csum;

	buf_rd_init(&r, p, len);
	if (buf_get_u8(&r, &vihl) != 0 || vihl != 0x45)
		return -1;
	assert_int_equal(buf_skip(&r, 1), 0);
	assert_int_equal(buf_get_u16(&r, &tot), 0);
	assert_int_equal(tot, len);
	assert_int_equal(buf_skip(&r, 5), 0);
	assert_int_equal(buf_get_u8(&r, &proto), 0);
	if (proto != 17)
		return -1;
	assert_int_equal(buf_skip(&r, 2), 0);
	assert_int_equal(buf_get_bytes(&r, b, 4), 0);
	addr_from_bytes(&u->src, AF_INET, b, 4);
	assert_int_equal(buf_get_bytes(&r, b, 4), 0);
	addr_from_bytes(&u->dst, AF_INET, b, 4);
	assert_int_equal(buf_get_u16(&r, &u->sport), 0);
	assert_int_equal(buf_get_u16(&r, &u->dport), 0);
	assert_int_equal(buf_get_u16(&r, &ulen), 0);
	assert_int_equal(buf_get_u16(&r, &csum), 0);
	assert_int_equal(ulen, len - 20);
	u->plen = buf_rd_left(&r);
	assert_int_equal(buf_get_ptr(&r, &u->payload, u->plen), 0);
	return 0;
}

static void test_tun_read_routed(void **state)
{
	struct tun t;
	struct udp_sock s;
	struct addr any = A("0.0.0.0"), remote = A(REMOTE), local = A(LOCAL);
	uint8_t out[3][64], in[8][1500];
	struct net_dgram d[3];
	struct net_pkt p[8];
	size_t seen = 0;

	tun_plumb(&t);
	assert_int_equal(udp_open(&s, &any, PORT), 0);
	for (int i = 0; i < 3; i++) {
		memset(out[i], 'x' + i, sizeof(out[i]));
		d[i] = (struct net_dgram){
			.dst = remote, .dport = RPORT, .data = out[i], .len = 20 + (size_t)i * 10};
	}
	assert_int_equal(udp_send_batch(&s, d, 3), 3);
	for (int i = 0; i < 8; i++)
		p[i] = (struct net_pkt){.data = in[i], .cap = sizeof(in[i])};
	/* Our three, in order; the kernel may slip in IPv6 chatter (MLD, RS): skip it. */
	while (seen < 3) {
		int k;

		assert_true(wait_readable(t.fd));
		k = tun_read_batch(&t, p, 8);
		assert_true(k > 0);
		for (int i = 0; i < k; i++) {
			struct udp4 u;

			if (parse_udp4(p[i].data, p[i].len, &u) != 0)
				continue;
			assert_true(addr_eq(&u.src, &local));
			assert_true(addr_eq(&u.dst, &remote));
			assert_int_equal(u.sport, PORT);
			assert_int_equal(u.dport, RPORT);
			assert_int_equal(u.plen, d[seen].len);
			assert_memory_equal(u.payload, out[seen], u.plen);
			seen++;
		}
	}
	udp_close(&s);
	tun_close(&t);
}

/* IPv6 + UDP headers (RFC 8200 3, RFC 768); 0 if it is UDP over IPv6. */
static int parse_udp6(const uint8_t *p, size_t len, struct udp4 *u)
{
	struct buf_rd r;
	uint8_t b[16], nh, v;
	uint16_t plen, ulen;

	buf_rd_init(&r, p, len);
	if (buf_peek_u8(&r, &v) != 0 || (v >> 4) != 6)
		return -1;
	assert_int_equal(buf_skip(&r, 4), 0);
	assert_int_equal(buf_get_u16(&r, &plen), 0);
	assert_int_equal(plen, len - 40);
	assert_int_equal(buf_get_u8(&r, &nh), 0);
	if (nh != 17)
		return -1; /* ICMPv6 chatter (MLD, router solicitations) */
	assert_int_equal(buf_skip(&r, 1), 0);
	assert_int_equal(buf_get_bytes(&r, b, 16), 0);
	addr_from_bytes(&u->src, AF_INET6, b, 16);
	assert_int_equal(buf_get_bytes(&r, b, 16), 0);
	addr_from_bytes(&u->dst, AF_INET6, b, 16);
	assert_int_equal(buf_get_u16(&r, &u->sport), 0);
	assert_int_equal(buf_get_u16(&r, &u->dport), 0);
	assert_int_equal(buf_get_u16(&r, &ulen), 0);
	assert_int_equal(ulen, plen);
	assert_int_equal(buf_skip(&r, 2), 0);
	u->plen = buf_rd_left(&r);
	assert_int_equal(buf_get_ptr(&r, &u->payload, u->plen), 0);
	return 0;
}

static void test_tun_read_routed_v6(void **state)
{
	struct tun t;
	struct udp_sock s;
	struct cidr l = C("2001:db8:4::1/64");
	struct rtnl_route rt = {.dst = C("2001:db8:5::/48")};
	struct addr any = A("::"), remote = A("2001:db8:5::9");
	uint8_t out[16] = "ipv6 via tun", in[4][1500];
	struct net_dgram d = {.dst = remote, .dport = RPORT, .data = out, .len = sizeof(out)};
	struct net_pkt p[4];
	int found = 0;

	assert_int_equal(tun_open(&t, DEV), 0);
	assert_int_equal(rtnl_link_set_up(&h, DEV, true), 0);
	assert_int_equal(rtnl_addr_add(&h, DEV, &l, NULL, 0), 0);
	assert_int_equal(netns_wait_local(&h, &l.a), 0);
	snprintf(rt.dev, sizeof(rt.dev), "%s", DEV);
	assert_int_equal(rtnl_route_add(&h, &rt, 0), 0);
	assert_int_equal(udp_open(&s, &any, PORT), 0);
	assert_int_equal(udp_send_batch(&s, &d, 1), 1);
	for (int i = 0; i < 4; i++)
		p[i] = (struct net_pkt){.data = in[i], .cap = sizeof(in[i])};
	while (!found) {
		int k;

		assert_true(wait_readable(t.fd));
		k = tun_read_batch(&t, p, 4);
		assert_true(k > 0);
		for (int i = 0; i < k && !found; i++) {
			struct udp4 u;

			if (parse_udp6(p[i].data, p[i].len, &u) != 0)
				continue;
			assert_true(addr_eq(&u.src, &l.a));
			assert_true(addr_eq(&u.dst, &remote));
			assert_int_equal(u.sport, PORT);
			assert_int_equal(u.dport, RPORT);
			assert_int_equal(u.plen, sizeof(out));
			assert_memory_equal(u.payload, out, sizeof(out));
			found = 1;
		}
	}
	udp_close(&s);
	tun_close(&t);
}

static uint16_t ip_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An IPv4/UDP packet REMOTE:7777 -> LOCAL:PORT (UDP checksum 0: none, RFC 768). */
static size_t build_udp4(uint8_t *buf, size_t cap, const char *payload)
{
	struct buf_wr w;
	size_t plen = strlen(payload);
	struct addr src = A(REMOTE), dst = A(LOCAL);

	buf_wr_init(&w, buf, cap);
	assert_int_equal(buf_put_u8(&w, 0x45), 0);
	assert_int_equal(buf_put_u8(&w, 0), 0);
	assert_int_equal(buf_put_u16(&w, (uint16_t)(28 + plen)), 0);
	assert_int_equal(buf_put_u32(&w, 0), 0); /* id, flags, fragment offset */
	assert_int_equal(buf_put_u8(&w, 64), 0); /* TTL */
	assert_int_equal(buf_put_u8(&w, 17), 0); /* UDP */
	assert_int_equal(buf_put_u16(&w, 0), 0); /* checksum, patched below */
	assert_int_equal(buf_put_bytes(&w, src.b, 4), 0);
	assert_int_equal(buf_put_bytes(&w, dst.b, 4), 0);
	assert_int_equal(buf_set_u16_at(&w, 10, ip_csum(buf, 20)), 0);
	assert_int_equal(buf_put_u16(&w, 7777), 0);
	assert_int_equal(buf_put_u16(&w, PORT), 0);
	assert_int_equal(buf_put_u16(&w, (uint16_t)(8 + plen)), 0);
	assert_int_equal(buf_put_u16(&w, 0), 0);
	assert_int_equal(buf_put_bytes(&w, payload, plen), 0);
	return buf_wr_len(&w);
}

static void test_tun_write_delivered(void **state)
{
	static const char *const msg[2] = {"first packet", "second, longer packet"};
	struct tun t;
	struct udp_sock s;
	struct addr any = A("0.0.0.0"), remote = A(REMOTE), local = A(LOCAL);
	uint8_t pk[2][128], in[2][128];
	struct net_pkt p[2];
	struct net_dgram d[2];
	size_t got = 0;

	tun_plumb(&t);
	assert_int_equal(udp_open(&s, &any, PORT), 0);
	for (int i = 0; i < 2; i++) {
		p[i] = (struct net_pkt){.data = pk[i], .cap = sizeof(pk[i])};
		p[i].len = build_udp4(pk[i], sizeof(pk[i]), msg[i]);
		d[i] = (struct net_dgram){.data = in[i], .cap = sizeof(in[i])};
	}
	assert_int_equal(tun_write_batch(&t, p, 2), 2);
	while (got < 2 && wait_readable(s.fd)) {
		int k = udp_recv_batch(&s, d + got, 2 - got);

		assert_true(k >= 0);
		got += (size_t)k;
	}
	assert_int_equal(got, 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(d[i].len, strlen(msg[i]));
		assert_memory_equal(d[i].data, msg[i], d[i].len);
		assert_true(addr_eq(&d[i].src, &remote));
		assert_true(addr_eq(&d[i].dst, &local));
		assert_int_equal(d[i].sport, 7777);
		assert_int_equal(d[i].dport, PORT);
	}
	udp_close(&s);
	tun_close(&t);
}

/*
 * IFF_VNET_HDR and offloads: the kernel takes them on a vnet queue only,
 * the header round-trips (little-endian), and a packet written behind a
 * zero header with writev is delivered like any other.
 */
static void test_tun_vnet(void **state)
{
	const struct tun_vnet_hdr vh = {
		TUN_VNET_F_NEEDS_CSUM, TUN_VNET_GSO_TCPV6, 0x1234, 1448, 40, 16};
	struct tun_vnet_hdr back;
	uint8_t raw[TUN_VNET_HDR_LEN], zero[TUN_VNET_HDR_LEN] = {0}, pk[128], in[128];
	struct addr any = A("0.0.0.0");
	struct net_dgram d = {.data = in, .cap = sizeof(in)};
	struct udp_sock s;
	struct iovec iov[2];
	struct tun t;
	size_t len;

	tun_vnet_put(raw, &vh);
	assert_int_equal(raw[2], 0x34); /* little-endian */
	assert_int_equal(raw[3], 0x12);
	assert_int_equal(tun_vnet_parse(raw, sizeof(raw), &back), 0);
	assert_memory_equal(&back, &vh, sizeof(vh));
	assert_int_equal(tun_vnet_parse(raw, sizeof(raw) - 1, &back), IG_ETRUNC);

	assert_int_equal(tun_open(&t, DEV), 0);
	assert_int_equal(tun_set_offload(&t), IG_ENOTSUP);
	tun_close(&t);
	tun_plumb_vnet(&t, true);
	assert_true(t.vnet);
	assert_int_equal(tun_set_offload(&t), 0);
	assert_true(t.offload);
	assert_int_equal(udp_open(&s, &any, PORT), 0);
	len = build_udp4(pk, sizeof(pk), "behind a vnet header");
	iov[0] = (struct iovec){.iov_base = zero, .iov_len = sizeof(zero)};
	iov[1] = (struct iovec){.iov_base = pk, .iov_len = len};
	assert_int_equal(tun_writev(&t, iov, 2), 1);
	assert_true(wait_readable(s.fd));
	assert_int_equal(udp_recv_batch(&s, &d, 1), 1);
	assert_int_equal(d.len, strlen("behind a vnet header"));
	assert_memory_equal(d.data, "behind a vnet header", d.len);
	udp_close(&s);
	tun_close(&t);
}

static void test_tun_empty_and_errors(void **state)
{
	struct tun t;
	uint8_t buf[64];
	struct net_pkt p = {.data = buf, .cap = sizeof(buf)};

	/* Down: nothing arrives; an empty read is 0. */
	assert_int_equal(tun_open(&t, DEV), 0);
	assert_int_equal(tun_read_batch(&t, &p, 1), 0);
	assert_int_equal(tun_read_batch(&t, &p, 0), 0);
	assert_int_equal(tun_write_batch(&t, &p, 0), 0);
	tun_close(&t);
	/* A closed queue: IG_EIO, errno kept. */
	assert_int_equal(tun_read_batch(&t, &p, 1), IG_EIO);
	assert_int_equal(errno, EBADF);
	p.len = 20;
	assert_int_equal(tun_write_batch(&t, &p, 1), IG_EIO);
	assert_int_equal(errno, EBADF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tun_name_check),
		cmocka_unit_test(test_tun_queues),
		cmocka_unit_test(test_tun_persist),
		cmocka_unit_test(test_tun_read_routed),
		cmocka_unit_test(test_tun_read_routed_v6),
		cmocka_unit_test(test_tun_write_delivered),
		cmocka_unit_test(test_tun_vnet),
		cmocka_unit_test(test_tun_empty_and_errors),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
