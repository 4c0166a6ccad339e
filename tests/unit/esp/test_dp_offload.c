/* SPDX-License-Identifier: MIT */
/*
 * TUN offloads end to end (topology in test_dp_harness.h), once with
 * offloads on and once off. A TCP super-packet is sent into igl0 through
 * a packet socket with PACKET_VNET_HDR, as a local TCP sender's GSO skb
 * would arrive: with offloads the left dp reads it whole and cuts it,
 * without them the kernel cuts it first. Either way one ESP packet per
 * segment crosses lo, and what comes out of igr0 (captured with its vnet
 * header) carries the same bytes with valid checksums; with offloads the
 * right dp merges segments into super-packets again. Also a UDP packet
 * with a partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM) arrives complete.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "esp/esp_dp.h"
#include "lib/addr.h"
#include "net/tun.h"
#include "test_dp_harness.h"
#include "ref_csum.h"

#define SEGS 8
#define MSS  1000
#define TOPT 12 /* TCP options: NOP NOP timestamps */

static struct dph X;
static bool offload_on;
static uint8_t pkt[16 + 65536], got[65536], rx[16 + 65536];

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) << 16 | rd16(p + 2);
}

static uint32_t pseudo(const uint8_t *p, bool v6, uint8_t proto, size_t l4len)
{
	return (v6 ? ref_sum16(0, p + 8, 32) : ref_sum16(0, p + 12, 8)) + proto + (uint32_t)l4len;
}

static void put_vnet(uint8_t *p, uint8_t flags, uint8_t type, uint16_t hl, uint16_t gso,
		     uint16_t start, uint16_t off)
{
	const struct tun_vnet_hdr h = {flags, type, hl, gso, start, off};

	tun_vnet_put(p, &h); /* little-endian: what the packet socket wants on this host */
}

/* A TCP super-packet behind its vnet header, the checksum field holding the pseudo sum. */
static size_t super_packet(uint8_t *p, bool v6, uint32_t seq, size_t payload)
{
	size_t iphl = v6 ? 40 : 20, hl = iphl + 20 + TOPT, len = hl + payload;
	uint8_t *ip = p + TUN_VNET_HDR_LEN, *t = ip + iphl;
	struct addr s, d;

	memset(ip, 0, hl);
	addr_parse(v6 ? DPH_LEFT_HOST6 : DPH_LEFT_HOST, &s);
	addr_parse(v6 ? DPH_RIGHT_HOST6 : DPH_RIGHT_HOST, &d);
	if (v6) {
		ip[0] = 0x60;
		wr16(ip + 4, (uint16_t)(len - 40));
		ip[6] = 6;
		ip[7] = 64;
		memcpy(ip + 8, s.b, 16);
		memcpy(ip + 24, d.b, 16);
	} else {
		ip[0] = 0x45;
		wr16(ip + 2, (uint16_t)len);
		wr16(ip + 4, 0x100);
		wr16(ip + 6, 0x4000);
		ip[8] = 64;
		ip[9] = 6;
		memcpy(ip + 12, s.b, 4);
		memcpy(ip + 16, d.b, 4);
		wr16(ip + 10, (uint16_t)~ref_fold(ref_sum16(0, ip, 20)));
	}
	wr16(t, 40000);
	wr16(t + 2, 5201);
	t[4] = (uint8_t)(seq >> 24), t[5] = (uint8_t)(seq >> 16), t[6] = (uint8_t)(seq >> 8);
	t[7] = (uint8_t)seq;
	t[11] = 1;					     /* ACK number */
	t[12] = (20 + TOPT) / 4 << 4;			     /* data offset */
	t[13] = 0x18;					     /* ACK | PSH */
	wr16(t + 14, 1000);				     /* window */
	t[20] = t[21] = 1, t[22] = 8, t[23] = 10, t[27] = 7; /* NOP NOP TS */
	for (size_t i = 0; i < payload; i++)
		ip[hl + i] = (uint8_t)(i * 7 + i / 251 + seq);
	wr16(t + 16, ref_fold(pseudo(ip, v6, 6, len - iphl)));
	put_vnet(p, TUN_VNET_F_NEEDS_CSUM, v6 ? TUN_VNET_GSO_TCPV6 : TUN_VNET_GSO_TCPV4,
		 (uint16_t)hl, MSS, (uint16_t)iphl, 16);
	return TUN_VNET_HDR_LEN + len;
}

/* SOCK_RAW: PACKET_VNET_HDR wants it; a TUN has no link-layer header anyway. */
static int vnet_sock(const char *ifname)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL)};
	int one = 1, fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));

	assert_true(fd >= 0);
	assert_int_equal(setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)), 0);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	return fd;
}

static void send_vnet(int fd, const uint8_t *p, size_t len, bool v6)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(v6 ? ETH_P_IPV6 : ETH_P_IP),
				  .sll_ifindex = (int)if_nametoindex("igl0")};

	assert_int_equal(sendto(fd, p, len, 0, (struct sockaddr *)&sll, sizeof(sll)), (ssize_t)len);
}

/*
 * The next packet the right dp wrote into igr0, behind its vnet header,
 * with a partial checksum completed as the kernel would. Length or -1.
 */
static ssize_t next_out(int fd, struct tun_vnet_hdr *vh, int ms)
{
	for (;;) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		ssize_t k;
		uint8_t *p = rx + TUN_VNET_HDR_LEN;

		if (poll(&pf, 1, ms) <= 0)
			return -1;
		k = recvfrom(fd, rx, sizeof(rx), 0, (struct sockaddr *)&sll, &sl);
		if (k < TUN_VNET_HDR_LEN || sll.sll_pkttype != PACKET_HOST)
			continue;
		assert_int_equal(tun_vnet_parse(rx, (size_t)k, vh), 0);
		k -= TUN_VNET_HDR_LEN;
		if (vh->flags & TUN_VNET_F_NEEDS_CSUM) {
			size_t at = (size_t)vh->csum_start + vh->csum_offset;

			assert_true(at + 2 <= (size_t)k);
			wr16(p + at, (uint16_t)~ref_fold(ref_sum16(0, p + vh->csum_start,
								   (size_t)k - vh->csum_start)));
		}
		return k;
	}
}

static void sa_counts(uint32_t sl, uint32_t sr, uint64_t *out_l, uint64_t *in_r)
{
	struct esp_dp_sa_stats ls, rs;

	assert_int_equal(esp_dp_sa_stats(X.l, sl, sr, &ls), 0);
	assert_int_equal(esp_dp_sa_stats(X.r, sr, sl, &rs), 0);
	*out_l = ls.packets_out;
	*in_r = rs.packets_in;
}

/* One super-packet of SEGS segments through the tunnel; returns the writes seen at igr0. */
static unsigned one_super(int tx, int cap, bool v6, uint32_t seq, unsigned *merged)
{
	size_t iphl = v6 ? 40 : 20, hl = iphl + 20 + TOPT, n, have = 0;
	unsigned writes = 0;
	struct tun_vnet_hdr vh;
	const uint8_t *ip = pkt + TUN_VNET_HDR_LEN;
	ssize_t k;

	n = super_packet(pkt, v6, seq, SEGS * MSS - 123);
	send_vnet(tx, pkt, n, v6);
	memset(got, 0, sizeof(got));
	while (have < SEGS * MSS - 123 && (k = next_out(cap, &vh, 2000)) > 0) {
		const uint8_t *p = rx + TUN_VNET_HDR_LEN, *t = p + iphl;
		size_t pl = (size_t)k - hl;

		if ((size_t)k < hl || t[-(int)iphl] >> 4 != (v6 ? 6 : 4) || rd16(t + 2) != 5201)
			continue;
		writes++;
		/* Headers as sent, but for what segmentation changes. */
		assert_memory_equal(t + 20, ip + iphl + 20, TOPT);
		assert_int_equal(rd32(t + 8), 1);
		assert_int_equal(ref_fold(ref_sum16(pseudo(p, v6, 6, (size_t)k - iphl), t,
						    (size_t)k - iphl)),
				 0xffff);
		if (!v6) {
			assert_int_equal(rd16(p + 2), k);
			assert_int_equal(ref_fold(ref_sum16(0, p, 20)), 0xffff);
		} else {
			assert_int_equal(rd16(p + 4), k - 40);
		}
		if (vh.gso_type != TUN_VNET_GSO_NONE) {
			assert_int_equal(vh.gso_size, MSS);
			assert_true(pl > MSS);
			(*merged)++;
		}
		assert_true(rd32(t + 4) - seq + pl <= sizeof(got));
		memcpy(got + (rd32(t + 4) - seq), p + hl, pl);
		have += pl;
	}
	assert_int_equal(have, SEGS * MSS - 123);
	assert_memory_equal(got, ip + hl, have);
	return writes;
}

static void gso_through(bool v6, uint32_t sl, uint32_t sr)
{
	int tx = vnet_sock("igl0"), cap = vnet_sock("igr0");
	unsigned merged = 0, writes = 0;
	uint64_t out0, in0, out1, in1;
	struct esp_dp_stats l0, l1, r0, r1;

	if (v6)
		assert_int_equal(dph_install6(&X, &dph_gcm256, sl, sr), 0);
	else
		assert_int_equal(dph_install(&X, &dph_gcm256, sl, sr, false), 0);
	usleep(50000);
	/* Several tries: segments merge only when the right dp reads them in one batch. */
	for (int i = 0; i < 5 && (!offload_on || !merged); i++) {
		unsigned m0 = merged;

		sa_counts(sl, sr, &out0, &in0);
		esp_dp_stats(X.l, &l0);
		esp_dp_stats(X.r, &r0);
		writes = one_super(tx, cap, v6, 1000u + (uint32_t)i * 100000u, &merged);
		usleep(20000); /* a dp counts a write after the capture saw it */
		sa_counts(sl, sr, &out1, &in1);
		esp_dp_stats(X.l, &l1);
		esp_dp_stats(X.r, &r1);
		/* With offloads the left dp itself read the super-packet whole and cut it. */
		assert_int_equal(l1.gso_read - l0.gso_read, offload_on ? 1 : 0);
		assert_int_equal(r1.gso_written - r0.gso_written, merged - m0);
		/* One ESP packet per segment on the wire, whoever cut it. */
		assert_int_equal(out1 - out0, SEGS);
		assert_int_equal(in1 - in0, SEGS);
		if (!offload_on)
			assert_int_equal(writes, SEGS);
	}
	if (offload_on && !merged)
		fail_msg("offloads on, but no segments were merged in 5 tries");
	if (!offload_on)
		assert_int_equal(merged, 0);
	close(tx);
	close(cap);
	assert_int_equal(dph_remove(&X, sl, sr), 0);
}

static void test_gso_v4(void **state)
{
	(void)state;
	gso_through(false, 0x3001, 0x4001);
}

static void test_gso_v6(void **state)
{
	(void)state;
	gso_through(true, 0x3002, 0x4002);
}

/* A UDP packet with only a partial checksum (NEEDS_CSUM) arrives with a complete one. */
static void test_partial_csum(void **state)
{
	int tx = vnet_sock("igl0"), cap = vnet_sock("igr0");
	size_t n, len;
	struct tun_vnet_hdr vh;
	uint8_t *ip = pkt + TUN_VNET_HDR_LEN;
	ssize_t k;

	(void)state;
	assert_int_equal(dph_install(&X, &dph_gcm256, 0x3003, 0x4003, true), 0);
	len = dph_udp4(ip, sizeof(pkt) - TUN_VNET_HDR_LEN, DPH_LEFT_HOST, DPH_RIGHT_HOST, 5000, 53,
		       333, true, 77);
	wr16(ip + 26, ref_fold(pseudo(ip, false, 17, len - 20)));
	put_vnet(pkt, TUN_VNET_F_NEEDS_CSUM, TUN_VNET_GSO_NONE, 0, 0, 20, 6);
	n = TUN_VNET_HDR_LEN + len;
	send_vnet(tx, pkt, n, false);
	for (;;) {
		k = next_out(cap, &vh, 2000);
		assert_true(k > 0);
		if ((size_t)k == len && rx[TUN_VNET_HDR_LEN + 9] == 17)
			break;
	}
	/* Either it was completed by the left dp (offloads) or by the kernel (none). */
	assert_int_equal(vh.gso_type, TUN_VNET_GSO_NONE);
	assert_true(dph_l4_csum_ok(rx + TUN_VNET_HDR_LEN, len));
	assert_memory_equal(rx + TUN_VNET_HDR_LEN + 28, ip + 28, len - 28);
	close(tx);
	close(cap);
	assert_int_equal(dph_remove(&X, 0x3003, 0x4003), 0);
}

static int setup_on(void **state)
{
	const struct dph_opts o = {.lworkers = 1, .rworkers = 2, .tun_offload = 1};

	(void)state;
	offload_on = true;
	return dph_setup(&X, &o);
}

static int setup_off(void **state)
{
	const struct dph_opts o = {.lworkers = 1, .rworkers = 2, .tun_offload = -1};

	(void)state;
	offload_on = false;
	return dph_setup(&X, &o);
}

static int teardown(void **state)
{
	(void)state;
	dph_teardown(&X);
	return 0;
}

/* One TAP plan: each test sets up its own pair of data paths, offloads on or off. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gso_v4, setup_on, teardown),
		cmocka_unit_test_setup_teardown(test_gso_v6, setup_on, teardown),
		cmocka_unit_test_setup_teardown(test_partial_csum, setup_on, teardown),
		cmocka_unit_test_setup_teardown(test_gso_v4, setup_off, teardown),
		cmocka_unit_test_setup_teardown(test_gso_v6, setup_off, teardown),
		cmocka_unit_test_setup_teardown(test_partial_csum, setup_off, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
