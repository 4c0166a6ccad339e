/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "test_dp_harness.h"
#include "unit/net/netns.h"
#include "ref_csum.h"

const struct dph_alg dph_gcm256 = {"aes256gcm16", ALG_ENCR_AES_GCM_16, 256, ALG_INTEG_NONE, 36, 0};
const struct dph_alg dph_cbc256_sha256 = {
	"aes256-sha256", ALG_ENCR_AES_CBC, 256, ALG_INTEG_HMAC_SHA2_256_128, 32, 32};

int dph_cap_open(const char *ifname)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL)};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));

	if (fd < 0)
		return -1;
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (sll.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int setup_fail(const char *what)
{
	print_error("dph_setup: %s: %s\n", what, strerror(errno));
	return -1;
}

int dph_setup(struct dph *x, const struct dph_opts *o)
{
	struct esp_dp_params pl = {0}, pr = {0};
	struct addr lo1, lo2, lo61, lo62;
	static const char *const routes[][2] = {{DPH_RIGHT_NET, "igl0"},
						{DPH_OTHER_NET, "igl0"},
						{DPH_LEFT_NET, "igr0"},
						{DPH_RIGHT_NET6, "igl0"},
						{DPH_LEFT_NET6, "igr0"}};

	memset(x, 0, sizeof(*x));
	x->ul.fd = x->ur.fd = x->ul6.fd = x->ur6.fd = -1;
	x->inj = x->inj6 = x->cap_l = x->cap_r = x->cap_lo = -1;
	x->ike_l[0] = x->ike_l[1] = x->ike_r[0] = x->ike_r[1] = -1;
	if (!getenv("DPH_LOG"))
		log_set_target(LOG_TO_NONE, NULL);
	else
		log_set_all(LL_DEBUG);
	if (netns_enter() != 0 || rtnl_open(&x->h) != 0)
		return -1;
	addr_parse(DPH_LEFT_OUTER, &lo1);
	addr_parse(DPH_RIGHT_OUTER, &lo2);
	addr_parse(DPH_LEFT_OUTER6, &lo61);
	addr_parse(DPH_RIGHT_OUTER6, &lo62);
	for (int i = 0; i < 2; i++) {
		struct cidr c = {.a = i ? lo62 : lo61, .plen = 128};

		if (rtnl_addr_add(&x->h, "lo", &c, NULL, 0) != 0 ||
		    netns_wait_local(&x->h, &c.a) != 0) {
			print_error("dph_setup: %s\n", rtnl_error(&x->h));
			return -1;
		}
	}
	if (udp_open(&x->ul, &lo1, NET_NATT_PORT) != 0 ||
	    udp_open(&x->ur, &lo2, NET_NATT_PORT) != 0 ||
	    udp_open(&x->ul6, &lo61, NET_NATT_PORT) != 0 ||
	    udp_open(&x->ur6, &lo62, NET_NATT_PORT) != 0)
		return setup_fail("udp_open");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, x->ike_l) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, x->ike_r) < 0)
		return setup_fail("socketpair");
	pl = (struct esp_dp_params){.nworkers = o->lworkers,
				    .udp_fd = {x->ul.fd, x->ul6.fd},
				    .n_udp = 2,
				    .raw_esp = true,
				    .raw_local = lo1,
				    .policy_tun = "igl0",
				    .path_mtu = o->lpath_mtu,
				    .bandwidth_bps = o->lbandwidth_bps,
				    .ike_handoff_fd = x->ike_l[0],
				    .tun_offload = o->tun_offload};
	pr = (struct esp_dp_params){.nworkers = o->rworkers,
				    .udp_fd = {x->ur.fd, x->ur6.fd},
				    .n_udp = 2,
				    .raw_esp = true,
				    .raw_local = lo2,
				    .policy_tun = "igr0",
				    .ike_handoff_fd = x->ike_r[0],
				    .tun_offload = o->tun_offload};
	if (esp_dp_new(&x->l, &pl) != 0 || esp_dp_new(&x->r, &pr) != 0) {
		print_error("dph_setup: esp_dp_new failed\n");
		return -1;
	}
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		struct rtnl_route rt = {0};

		if (cidr_parse(routes[i][0], &rt.dst, 0) != 0)
			return -1;
		snprintf(rt.dev, sizeof(rt.dev), "%s", routes[i][1]);
		if (rtnl_route_add(&x->h, &rt, 0) != 0) {
			print_error("dph_setup: %s\n", rtnl_error(&x->h));
			return -1;
		}
	}
	x->inj = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	x->inj6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	x->cap_l = dph_cap_open("igl0");
	x->cap_r = dph_cap_open("igr0");
	x->cap_lo = dph_cap_open("lo");
	if (x->inj < 0 || x->inj6 < 0 || x->cap_l < 0 || x->cap_r < 0 || x->cap_lo < 0)
		return setup_fail("raw/packet socket");
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void dph_teardown(struct dph *x)
{
	esp_dp_free(x->l);
	esp_dp_free(x->r);
	x->l = x->r = NULL;
	udp_close(&x->ul);
	udp_close(&x->ur);
	udp_close(&x->ul6);
	udp_close(&x->ur6);
	for (int i = 0; i < 2; i++) {
		close_fd(&x->ike_l[i]);
		close_fd(&x->ike_r[i]);
	}
	close_fd(&x->inj);
	close_fd(&x->inj6);
	close_fd(&x->cap_l);
	close_fd(&x->cap_r);
	close_fd(&x->cap_lo);
	rtnl_close(&x->h);
}

/* One side's pair: in (we receive with k_in on spi_in), out (k_out, spi_out). */
struct side {
	uint32_t tunnel_id;
	const char *lnet, *rnet; /* left's local and remote selectors */
	bool outer6;
	enum esp_df df;
};

static void descs(struct esp_sa_desc *in, struct esp_sa_desc *out, const struct dph_alg *a,
		  bool left, uint32_t spi_in, uint32_t spi_out, const uint8_t *k_in,
		  const uint8_t *k_out, bool encap, const struct side *sd)
{
	const char *me = sd->outer6 ? (left ? DPH_LEFT_OUTER6 : DPH_RIGHT_OUTER6)
				    : (left ? DPH_LEFT_OUTER : DPH_RIGHT_OUTER);
	const char *peer = sd->outer6 ? (left ? DPH_RIGHT_OUTER6 : DPH_LEFT_OUTER6)
				      : (left ? DPH_RIGHT_OUTER : DPH_LEFT_OUTER);
	const char *lnet = left ? sd->lnet : sd->rnet;
	const char *rnet = left ? sd->rnet : sd->lnet;
	struct cidr l, r;

	memset(out, 0, sizeof(*out));
	cidr_parse(lnet, &l, 0);
	cidr_parse(rnet, &r, 0);
	out->reqid = 1;
	out->tunnel_id = sd->tunnel_id;
	out->encap = encap;
	out->mode = ESP_MODE_TUNNEL;
	out->df = sd->df;
	out->encr = a->encr;
	out->encr_keybits = a->keybits;
	out->integ = a->integ;
	out->enc_key_len = a->enc_len;
	out->int_key_len = a->int_len;
	out->replay_window = 1024; /* steering may reorder by a batch or two */
	out->n_local_ts = out->n_remote_ts = 1;
	cidr_range(&l, &out->local_ts[0].first, &out->local_ts[0].last);
	out->local_ts[0].port_hi = UINT16_MAX;
	cidr_range(&r, &out->remote_ts[0].first, &out->remote_ts[0].last);
	out->remote_ts[0].port_hi = UINT16_MAX;
	*in = *out;
	in->inbound = true;
	in->spi = spi_in;
	addr_parse(peer, &in->src);
	addr_parse(me, &in->dst);
	in->sport = in->dport = NET_NATT_PORT;
	memcpy(in->enc_key, k_in, a->enc_len);
	memcpy(in->int_key, k_in + 64, a->int_len);
	out->spi = spi_out;
	addr_parse(me, &out->src);
	addr_parse(peer, &out->dst);
	out->sport = out->dport = NET_NATT_PORT;
	memcpy(out->enc_key, k_out, a->enc_len);
	memcpy(out->int_key, k_out + 64, a->int_len);
}

static int install(struct dph *x, const struct dph_alg *a, uint32_t spi_l, uint32_t spi_r,
		   bool encap, const struct side *sd);

int dph_install(struct dph *x, const struct dph_alg *a, uint32_t spi_l, uint32_t spi_r, bool encap)
{
	return dph_install_ex(x, a, spi_l, spi_r, encap, 1, DPH_LEFT_NET, DPH_RIGHT_NET);
}

int dph_install_ex(struct dph *x, const struct dph_alg *a, uint32_t spi_l, uint32_t spi_r,
		   bool encap, uint32_t tunnel_id, const char *lnet, const char *rnet)
{
	const struct side sd = {tunnel_id, lnet, rnet, false, ESP_DF_COPY};

	return install(x, a, spi_l, spi_r, encap, &sd);
}

int dph_install6(struct dph *x, const struct dph_alg *a, uint32_t spi_l, uint32_t spi_r)
{
	const struct side sd = {1, DPH_LEFT_NET6, DPH_RIGHT_NET6, true, ESP_DF_COPY};

	return install(x, a, spi_l, spi_r, true, &sd);
}

int dph_install_df(struct dph *x, uint32_t spi_l, uint32_t spi_r, enum esp_df df)
{
	const struct side sd = {1, DPH_LEFT_NET, DPH_RIGHT_NET, false, df};

	return install(x, &dph_gcm256, spi_l, spi_r, true, &sd);
}

static int install(struct dph *x, const struct dph_alg *a, uint32_t spi_l, uint32_t spi_r,
		   bool encap, const struct side *sd)
{
	uint8_t k_lr[128], k_rl[128];
	struct esp_sa_desc in, out;
	int r;

	if (crypto_random(k_lr, sizeof(k_lr)) != 0 || crypto_random(k_rl, sizeof(k_rl)) != 0)
		return IG_ECRYPTO;
	descs(&in, &out, a, true, spi_l, spi_r, k_rl, k_lr, encap, sd);
	out.standby = dph_left_standby;
	r = esp_sa_install(x->l, &in, &out);
	if (r == 0) {
		descs(&in, &out, a, false, spi_r, spi_l, k_lr, k_rl, encap, sd);
		r = esp_sa_install(x->r, &in, &out);
	}
	secret_wipe(&in, sizeof(in));
	secret_wipe(&out, sizeof(out));
	secret_wipe(k_lr, sizeof(k_lr));
	secret_wipe(k_rl, sizeof(k_rl));
	return r;
}

bool dph_left_standby;

int dph_remove(struct dph *x, uint32_t spi_l, uint32_t spi_r)
{
	struct esp_sa_desc in = {.spi = spi_l, .inbound = true}, out = {.spi = spi_r};
	int r1 = esp_sa_remove(x->l, &in, &out), r2;

	in.spi = spi_r;
	out.spi = spi_l;
	r2 = esp_sa_remove(x->r, &in, &out);
	return r1 ? r1 : r2;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t ip4(uint8_t *p, const char *src, const char *dst, uint8_t proto, size_t l4len,
		  bool df, uint16_t id)
{
	struct addr s, d;

	addr_parse(src, &s);
	addr_parse(dst, &d);
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)(20 + l4len));
	put16(p + 4, id);
	put16(p + 6, df ? 0x4000 : 0);
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, s.b, 4);
	memcpy(p + 16, d.b, 4);
	put16(p + 10, ref_csum(ref_sum16(0, p, 20)));
	return 20 + l4len;
}

/* TCP/UDP checksum over the IPv4 pseudo-header (RFC 9293 3.1, RFC 768). */
static uint16_t l4_csum(const uint8_t *p, size_t len)
{
	size_t l4 = len - 20;
	uint32_t s = ref_sum16(0, p + 12, 8) + p[9] + (uint32_t)l4;

	return ref_csum(ref_sum16(s, p + 20, l4));
}

bool dph_l4_csum_ok(const uint8_t *p, size_t len)
{
	return len > 20 && l4_csum(p, len) == 0;
}

void dph_ip4_set_tos(uint8_t *p, uint8_t tos)
{
	p[1] = tos;
	put16(p + 10, 0);
	put16(p + 10, ref_csum(ref_sum16(0, p, 20)));
}

bool dph_csum_ok(const uint8_t *p, size_t len)
{
	return ref_csum(ref_sum16(0, p, len)) == 0;
}

size_t dph_udp4(uint8_t *p, size_t cap, const char *src, const char *dst, uint16_t sport,
		uint16_t dport, size_t payload, bool df, uint16_t id)
{
	size_t len = 28 + payload;

	assert_true(len <= cap);
	ip4(p, src, dst, 17, 8 + payload, df, id);
	put16(p + 20, sport);
	put16(p + 22, dport);
	put16(p + 24, (uint16_t)(8 + payload));
	put16(p + 26, 0);
	for (size_t i = 0; i < payload; i++)
		p[28 + i] = (uint8_t)(i * 7 + id);
	put16(p + 26, l4_csum(p, len));
	return len;
}

size_t dph_syn4(uint8_t *p, size_t cap, const char *src, const char *dst, uint16_t mss)
{
	size_t len = 20 + 24;

	assert_true(len <= cap);
	ip4(p, src, dst, 6, 24, true, 0x1234);
	memset(p + 20, 0, 24);
	put16(p + 20, 40000);
	put16(p + 22, 80);
	p[24] = 0x11;	/* sequence number */
	p[32] = 6 << 4; /* data offset: 24 bytes */
	p[33] = 0x02;	/* SYN */
	put16(p + 34, 65535);
	p[40] = 2; /* MSS option */
	p[41] = 4;
	put16(p + 42, mss);
	put16(p + 36, l4_csum(p, len));
	return len;
}

int dph_inject(struct dph *x, const uint8_t *p, size_t len)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};
	ssize_t k;

	if (p[0] >> 4 == 6) {
		memcpy(&sin6.sin6_addr, p + 24, 16);
		k = sendto(x->inj6, p, len, 0, (struct sockaddr *)&sin6, sizeof(sin6));
	} else {
		memcpy(&sin.sin_addr, p + 16, 4);
		k = sendto(x->inj, p, len, 0, (struct sockaddr *)&sin, sizeof(sin));
	}
	return k == (ssize_t)len ? 0 : -1;
}

/* UDP/ICMPv6 checksum over the IPv6 pseudo-header (RFC 8200 8.1); no extension headers. */
static uint16_t l4_csum6(const uint8_t *p, size_t len)
{
	uint32_t s = ref_sum16(0, p + 8, 32) + (uint32_t)(len - 40) + p[6];

	return ref_csum(ref_sum16(s, p + 40, len - 40));
}

bool dph_l4_csum6_ok(const uint8_t *p, size_t len)
{
	return len > 40 && l4_csum6(p, len) == 0;
}

size_t dph_udp6(uint8_t *p, size_t cap, const char *src, const char *dst, size_t payload)
{
	size_t len = 48 + payload;
	struct addr s, d;

	assert_true(len <= cap);
	addr_parse(src, &s);
	addr_parse(dst, &d);
	memset(p, 0, 48);
	p[0] = 0x60;
	put16(p + 4, (uint16_t)(8 + payload));
	p[6] = 17;
	p[7] = 64;
	memcpy(p + 8, s.b, 16);
	memcpy(p + 24, d.b, 16);
	put16(p + 40, 6000);
	put16(p + 42, 53);
	put16(p + 44, (uint16_t)(8 + payload));
	for (size_t i = 0; i < payload; i++)
		p[48 + i] = (uint8_t)(i * 3);
	put16(p + 46, l4_csum6(p, len));
	return len;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ssize_t dph_next(int fd, uint8_t *buf, size_t cap, int ms)
{
	long end = now_ms() + ms;

	for (;;) {
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		long left = end - now_ms();
		ssize_t k;

		if (left <= 0 || poll(&pf, 1, (int)left) <= 0)
			return -1;
		k = recvfrom(fd, buf, cap, MSG_DONTWAIT, (struct sockaddr *)&sll, &sl);
		/* PACKET_HOST: written by the dp (TUN) or received (lo); not our own output. */
		if (k > 0 && sll.sll_pkttype == PACKET_HOST)
			return k;
	}
}

bool dph_expect(int fd, const uint8_t *want, size_t len, int ms)
{
	uint8_t buf[4096];
	long end = now_ms() + ms;

	for (;;) {
		long left = end - now_ms();
		ssize_t k = left > 0 ? dph_next(fd, buf, sizeof(buf), (int)left) : -1;

		if (k < 0)
			return false;
		if ((size_t)k == len && memcmp(buf, want, len) == 0)
			return true;
	}
}

void dph_drain(int fd)
{
	uint8_t buf[4096];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}
