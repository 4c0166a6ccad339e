/* SPDX-License-Identifier: MIT */
/*
 * Two data paths in one private network namespace, "left" and "right":
 *
 *   raw socket --(203.0.113.0/24 dev igl0)--> igl0 --> left dp
 *       left dp --ESP, 127.0.0.1:4500 -> 127.0.0.2:4500 (lo)--> right dp
 *       right dp --> igr0 --> packet socket (what the dp wrote, byte for byte)
 *   and back: 198.51.100.0/24 dev igr0 --> right dp --> left dp --> igl0.
 *
 * Left protects 198.51.100.0/24 (its "local subnet"), right 203.0.113.0/24.
 * Forwarding stays off in the namespace, so what a dp writes into its TUN
 * is captured and then dropped by the kernel: nothing loops.
 */
#ifndef IPSECGW_TEST_DP_HARNESS_H
#define IPSECGW_TEST_DP_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "esp/esp_dp.h"
#include "net/rtnl.h"
#include "net/udp.h"

#define DPH_LEFT_NET	 "198.51.100.0/24"
#define DPH_RIGHT_NET	 "203.0.113.0/24"
#define DPH_OTHER_NET	 "192.0.2.0/24" /* routed into igl0, covered by no SA */
#define DPH_LEFT_HOST	 "198.51.100.5"
#define DPH_RIGHT_HOST	 "203.0.113.5"
#define DPH_LEFT_OUTER	 "127.0.0.1"
#define DPH_RIGHT_OUTER	 "127.0.0.2"
#define DPH_LEFT_NET6	 "2001:db8:1::/64"
#define DPH_RIGHT_NET6	 "2001:db8:2::/64"
#define DPH_LEFT_HOST6	 "2001:db8:1::5"
#define DPH_RIGHT_HOST6	 "2001:db8:2::5"
#define DPH_LEFT_OUTER6	 "2001:db8:ff::1" /* on lo */
#define DPH_RIGHT_OUTER6 "2001:db8:ff::2"

struct dph_opts {
	unsigned lworkers, rworkers;
	unsigned lpath_mtu;
	uint64_t lbandwidth_bps;
	int tun_offload; /* esp_dp_params.tun_offload of both (0: the default) */
};

struct dph {
	struct rtnl h;
	struct udp_sock ul, ur, ul6, ur6;
	int ike_l[2], ike_r[2]; /* [0] the dp's end, [1] the "daemon's" */
	struct esp_dp *l, *r;
	int inj, inj6;		  /* IPPROTO_RAW: hand-built packets into the routing */
	int cap_l, cap_r, cap_lo; /* packet sockets on igl0, igr0, lo */
};

struct dph_alg {
	const char *name;
	uint16_t encr, keybits, integ;
	size_t enc_len, int_len;
};

extern const struct dph_alg dph_gcm256, dph_cbc256_sha256;

/* Namespace, sockets, both data paths, routes and captures. 0 or -1 (printed). */
int dph_setup(struct dph *x, const struct dph_opts *o);
void dph_teardown(struct dph *x);

/*
 * Installs the CHILD SA on both sides: left receives on spi_l, right on
 * spi_r (left's outbound SPI); fresh random keys per call.
 */
int dph_install(struct dph *x, const struct dph_alg *a, uint32_t spi_l, uint32_t spi_r, bool encap);
/* The same for tunnel_id with left's and right's selectors lnet and rnet (CIDRs). */
int dph_install_ex(struct dph *x, const struct dph_alg *a, uint32_t spi_l, uint32_t spi_r,
		   bool encap, uint32_t tunnel_id, const char *lnet, const char *rnet);
/* The same with IPv6 outer addresses (ESP in UDP over lo) and IPv6 selectors. */
int dph_install6(struct dph *x, const struct dph_alg *a, uint32_t spi_l, uint32_t spi_r);
/* dph_install() of AES-256-GCM with an outer DF policy other than copy. */
int dph_install_df(struct dph *x, uint32_t spi_l, uint32_t spi_r, enum esp_df df);
int dph_remove(struct dph *x, uint32_t spi_l, uint32_t spi_r);
/* Set: the next installs put left's outbound SA on standby (a rekey responder). */
extern bool dph_left_standby;

/* An IPv4 packet with valid checksums: UDP, or TCP SYN with an MSS option. */
size_t dph_udp4(uint8_t *p, size_t cap, const char *src, const char *dst, uint16_t sport,
		uint16_t dport, size_t payload, bool df, uint16_t id);
size_t dph_syn4(uint8_t *p, size_t cap, const char *src, const char *dst, uint16_t mss);
bool dph_l4_csum_ok(const uint8_t *p, size_t len);
/* Sets the TOS byte of an IPv4 packet and fixes its header checksum. */
void dph_ip4_set_tos(uint8_t *p, uint8_t tos);
/* An IPv6 UDP packet; and whether an IPv6 packet's UDP/ICMPv6 checksum verifies. */
size_t dph_udp6(uint8_t *p, size_t cap, const char *src, const char *dst, size_t payload);
bool dph_l4_csum6_ok(const uint8_t *p, size_t len);
/* The Internet checksum (RFC 1071) of p[0..len) verifies (IPv4 header, ICMP). */
bool dph_csum_ok(const uint8_t *p, size_t len);

/* Sends a hand-built IPv4 packet through the routing (to its destination). */
int dph_inject(struct dph *x, const uint8_t *p, size_t len);
/* Waits up to ms for a packet a dp wrote into the TUN of fd equal to want. */
bool dph_expect(int fd, const uint8_t *want, size_t len, int ms);
/* The next packet arriving on fd (PACKET_HOST only) within ms; length or -1. */
ssize_t dph_next(int fd, uint8_t *buf, size_t cap, int ms);
/* A packet socket on ifname (incoming packets are what a dp wrote); -1 on error. */
int dph_cap_open(const char *ifname);
/* Discards everything queued on a capture socket. */
void dph_drain(int fd);

#endif
