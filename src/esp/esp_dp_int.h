/* SPDX-License-Identifier: MIT */
/*
 * Internal to the esp_dp*.c and esp_install.c files: the data path's
 * structures, shared between the control thread (builds and publishes)
 * and the workers (read what is published, own their buffers).
 */
#ifndef IPSECGW_ESP_ESP_DP_INT_H
#define IPSECGW_ESP_ESP_DP_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "esp/esp.h"
#include "esp/esp_dp.h"
#include "esp/gso.h"
#include "esp/rcu.h"
#include "esp/sad.h"
#include "esp/spd.h"
#include "esp/tbf.h"
#include "lib/log.h"
#include "net/dgram.h"
#include "net/esp_raw.h"
#include "net/tun.h"
#include "net/udp.h"

#define DP_BATCH    NET_BATCH_MAX
#define DP_HEADROOM 128 /* outer IPv4 (20) + UDP (8) + ESP header and IV (<= 24) */
#define DP_TAILROOM 128 /* padding, trailer, ICV (<= 15 + 2 + 32) */
#define DP_BUF_SIZE (DP_HEADROOM + ESP_DP_MAX_MTU + DP_TAILROOM)
#define DP_ICMP_MAX 1280 /* an ICMPv6 error fits the IPv6 minimum MTU (RFC 4443 2.4 c) */
#define DP_EVENTS   16
/*
 * Packets a TUN queues for the worker that reads it. The kernel's 500 drops
 * a TCP sender's GSO burst (~45 segments per 64 KB super-packet, several in
 * flight) whenever the worker is off the CPU for a moment: measured with
 * `make bench` ig-ig, 3979 TUN tx drops = 3979 TCP fast retransmits in 8 s;
 * with 2048, 14 retransmits. 2048 x 1.4 KB is ~45 ms at 500 Mbit/s.
 */
#define ESP_DP_TUN_TXQLEN 2048

enum dp_kind { DP_SRC_TUN, DP_SRC_UDP, DP_SRC_RAW, DP_SRC_WAKE };

/* What an epoll event points at. */
struct dp_tag {
	enum dp_kind kind;
	unsigned idx;	    /* UDP/raw socket index */
	struct dp_tun *tun; /* TUN */
};

/* A TUN device with one queue per worker. Freed after a grace period. */
struct dp_tun {
	uint32_t tunnel_id; /* 0: the policy TUN */
	char name[IFNAMSIZ];
	unsigned nq;
	bool offload;	     /* vnet headers and TSO/checksum offloads (TUNSETOFFLOAD took them) */
	struct dp_tag *tags; /* [nworkers] */
	struct tun *q;	     /* [nworkers] */
};

/* Published per-tunnel state, indexed by tunnel_id. */
struct dp_tunnel_ent {
	bool cfg; /* esp_dp_tunnel_set() was called */
	bool mss_in, mss_out;
	uint16_t mss;
	struct dp_tun *tun; /* route-based: its TUN; NULL: the policy TUN */
	uint32_t out_id;    /* newest outbound SA of the tunnel (SPD handle); 0: none */
};

struct dp_tunnels {
	uint32_t n; /* entries: ids 0..n-1 */
	struct dp_tunnel_ent e[];
};

/* Control-thread records. */
struct dp_tunnel_cfg {
	struct esp_dp_tunnel t;
	char ifname[IFNAMSIZ];
	struct dp_tun *tun;
	struct dp_tunnel_cfg *next;
};

struct dp_child {
	struct esp_sa *in, *out;
	uint32_t tunnel_id;
	struct esp_spd_sel *local, *remote;
	size_t nlocal, nremote;
	bool standby;	       /* outbound SA not selected yet (esp_sa_activate) */
	struct dp_child *next; /* newest first */
};

/* Per-worker counters: one writer, relaxed atomics, own cache line. */
struct dp_wstats {
	_Alignas(64) _Atomic uint64_t no_sa, no_policy, malformed, tbf, icmp, ike, ike_drops,
		tx_errors, steered, steer_drops, gso_read, gso_written;
};

/*
 * Steering ring (single producer: worker src, single consumer: worker
 * dst): packets whose SA another worker owns are copied there.
 */
struct dp_slot {
	bool out;	    /* outbound (from a TUN) or inbound (ESP from a peer) */
	uint32_t tunnel_id; /* outbound: the TUN it came from (0 = policy TUN) */
	struct addr src, dst;
	uint16_t sport, dport, len;
	uint8_t data[ESP_DP_MAX_MTU];
};

struct dp_ring {
	_Alignas(64) _Atomic uint32_t head; /* producer */
	_Alignas(64) _Atomic uint32_t tail; /* consumer */
	uint32_t mask;
	struct dp_slot slot[];
};

/* A queue of datagrams to send through one socket, flushed per batch. */
enum dp_txk { DP_TX_HDR4, DP_TX_UDP, DP_TX_RAW };
struct dp_txq {
	size_t n;
	struct net_dgram d[DP_BATCH];
};

struct dp_worker {
	struct esp_dp *dp;
	unsigned id;
	pthread_t th;
	bool started;
	int ep, wake_fd;
	int hdr4_fd; /* IPv4 IPPROTO_RAW (IP_HDRINCL): outer header and DF per packet */
	struct dp_tag wake_tag, udp_tag[ESP_DP_MAX_UDP], raw_tag[2];
	struct udp_sock udp[ESP_DP_MAX_UDP]; /* copies: shared fds, own rate limiters */
	struct esp_raw_sock raw[2];
	struct esp_tbf tbf;
	struct log_ratelimit rl;
	uint64_t now_ms;
	uint8_t *mem;		      /* DP_BATCH rx buffers, then DP_BATCH ICMP buffers */
	struct esp_buf b[DP_BATCH];   /* the batch being processed */
	struct net_dgram d[DP_BATCH]; /* its addresses */
	struct dp_txq tx_hdr4, tx_udp[ESP_DP_MAX_UDP], tx_raw[2];
	uint8_t *gso_rx;		  /* a vnet header and a super-packet read from a TUN */
	struct gso_seg seg;		  /* the super-packet being cut into w->b */
	bool seg_busy;			  /* seg has segments left */
	struct gso_coal coal;		  /* the TUN writes being merged */
	struct net_pkt tun_out[DP_BATCH]; /* packets for one TUN */
	size_t n_tun_out;
	struct dp_tun *tun_out_dev;
	size_t n_icmp;
	struct dp_wstats st;
};

struct esp_dp {
	unsigned nworkers;
	unsigned path_mtu;
	bool offload; /* open TUNs with vnet headers and ask for offloads */
	int ike_fd;
	struct udp_sock udp[ESP_DP_MAX_UDP];
	size_t n_udp;
	struct esp_raw_sock raw[2];
	size_t n_raw;
	struct dp_tun *policy;
	_Atomic bool stop;

	/* Published to the workers. */
	struct esp_rcu rcu;
	struct esp_sad_pub sad;
	struct esp_spd_pub spd;	    /* every CHILD SA: inbound selector checks */
	struct esp_spd_pub spd_out; /* policy-based tunnels only: policy TUN lookups */
	_Atomic(struct dp_tunnels *) tunnels;
	struct dp_ring **rings; /* [src * nworkers + dst], NULL with one worker */

	/* Control thread only. */
	struct dp_tunnel_cfg *tcfg;
	struct dp_child *children;
	uint32_t next_id; /* SPD handles: increasing, so newer SAs have larger ids */

	struct dp_worker *w; /* [nworkers] */
};

/* esp_dp.c */
struct dp_tun *dp_tun_open(struct esp_dp *dp, const char *name, uint32_t tunnel_id, unsigned mtu);
void dp_tun_retire(struct esp_dp *dp, struct dp_tun *t);
const struct dp_tunnels *dp_tunnels_current(struct esp_dp *dp);
int dp_tunnels_rebuild(struct esp_dp *dp);
bool dp_tunnel_routed(const struct esp_dp *dp, uint32_t tunnel_id);
/* esp_install.c: builds and publishes both SPDs. */
int dp_spd_rebuild(struct esp_dp *dp);
bool dp_steer(struct dp_worker *w, unsigned owner, bool out, uint32_t tunnel_id,
	      const struct net_dgram *d, const struct esp_buf *b);
void dp_tun_queue(struct dp_worker *w, struct dp_tun *t, uint8_t *data, size_t len);
void dp_tun_flush(struct dp_worker *w);
void dp_tx_flush(struct dp_worker *w);
static inline void dp_ctr(_Atomic uint64_t *c)
{
	esp_ctr_add(c, 1);
}

/* esp_dp_out.c: a batch read from TUN t (tunnel_id 0: the policy TUN). */
void dp_out_batch(struct dp_worker *w, struct dp_tun *t, size_t n, bool steered);
/* esp_dp_in.c: a batch of datagrams from socket kind/idx; b[i] holds the datagram. */
void dp_in_batch(struct dp_worker *w, enum dp_kind kind, size_t n, bool steered);

#endif
