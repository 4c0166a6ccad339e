/* SPDX-License-Identifier: MIT */
/*
 * The userspace ESP data path (docs/datapath.md): worker threads that move
 * packets between TUN devices and the ESP sockets, driven by the daemon's
 * control thread through the calls below.
 *
 *   TUN --> worker: parse, SPD / tunnel SA, MSS clamp, rate cap, PMTU check,
 *                   esp_encap, outer IPv4/UDP header --> peer (UDP 4500 or raw ESP)
 *   peer --> worker: RFC 3948 demux (IKE --> ike_handoff_fd), SPI --> SA,
 *                   esp_decap, inner selector check, MSS clamp --> TUN
 *
 * Threads: every function here is for the control thread only (one thread
 * at a time). The workers read tables the control thread publishes (SAD,
 * SPD, tunnels) without locks and keep their own counters; the control
 * thread frees retired tables and SAs after an RCU grace period, in each
 * call below and in esp_dp_reclaim().
 *
 * Errors: 0 or a negative IG_E* code (lib/err.h), logged under LS_ESP.
 */
#ifndef IPSECGW_ESP_ESP_DP_H
#define IPSECGW_ESP_ESP_DP_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp/esp_sa_desc.h"
#include "lib/addr.h"

#define ESP_DP_MAX_WORKERS 32	  /* steering rings grow with the square of this */
#define ESP_DP_MAX_UDP	   4	  /* UDP 4500 sockets handed in */
#define ESP_DP_MAX_MTU	   2048	  /* largest inner packet (TUN MTU) */
#define ESP_DP_MAX_TUNNEL  65535u /* largest tunnel_id */
#define ESP_DP_POLICY_TUN  "ipsecgw0"

struct esp_dp;

/*
 * Start-up parameters. Sockets stay the caller's (the dp never closes
 * them). ike_handoff_fd 0 is a valid descriptor: set -1 when unused.
 * Needs CAP_NET_RAW (raw sockets) and CAP_NET_ADMIN (TUNs, socket buffers).
 */
struct esp_dp_params {
	unsigned nworkers;	    /* worker threads, 1..ESP_DP_MAX_WORKERS (0 = 1) */
	int udp_fd[ESP_DP_MAX_UDP]; /* bound UDP 4500 sockets (net/udp.h), v4 and/or v6; */
	size_t n_udp;		    /*   the workers read them; the caller closes them */
	bool raw_esp;		    /* also open raw ESP sockets (IP protocol 50) */
	struct addr raw_local;	    /* their bind address (family 0: v4 and v6 any) */
	const char *policy_tun;	    /* TUN of the policy-based tunnels (NULL: "ipsecgw0") */
	unsigned policy_mtu;	    /* its MTU (0: the kernel's default) */
	unsigned path_mtu;	    /* MTU towards the peers (0: 1500): PMTU check and DF */
	uint64_t bandwidth_bps;	    /* gateway cap on tunnel traffic out (0: none) */
	int ike_handoff_fd;	    /* SOCK_SEQPACKET; IKE datagrams from port 4500 (-1: drop) */
	int tun_offload;	    /* TUN segmentation/coalescing offloads: 1 on, -1 off,
				       0 on unless the environment has IPSECGW_TUN_OFFLOAD=0 */
};

/*
 * One message on ike_handoff_fd: this header, then len bytes of the IKE
 * message with the non-ESP marker already stripped (RFC 3948 2.2).
 * src/sport: the peer; dst/dport: our address and port it arrived on.
 */
struct esp_dp_ike_hdr {
	struct addr src, dst;
	uint16_t sport, dport;
	uint32_t len;
};

/*
 * Opens and brings up the policy TUN (a queue per worker), the raw ESP
 * sockets if asked, one IPv4 send socket per worker, and starts the
 * workers. IG_EINVAL for bad parameters, IG_EIO/IG_ENOMEM; on failure
 * nothing is left open.
 */
int esp_dp_new(struct esp_dp **out, const struct esp_dp_params *p);
/* Stops and joins the workers, closes the TUNs and raw sockets, frees every SA (wiping keys). */
void esp_dp_free(struct esp_dp *dp);
/* Frees what retired tables and SAs whose grace period is over; the daemon calls it
 * on a timer (e.g. every second). Returns how many were freed. */
unsigned esp_dp_reclaim(struct esp_dp *dp);

/* Per-tunnel settings; tunnel_id = config index + 1, as in esp_sa_desc.tunnel_id. */
struct esp_dp_tunnel {
	uint32_t tunnel_id; /* 1..ESP_DP_MAX_TUNNEL */
	const char *ifname; /* route-based: its own TUN ("vti1", "%d" allowed); NULL: policy TUN */
	unsigned mtu;	    /* TUN MTU of a route-based tunnel (0: kernel default) */
	bool mss_in, mss_out; /* clamp TCP MSS of SYNs arriving from / sent to the peer */
	uint16_t mss;
};

/*
 * Adds or changes a tunnel. Route-based: creates the TUN (a queue per
 * worker), sets its MTU and brings it up; addresses and routes are the
 * caller's (net/rtnl.h). name (IFNAMSIZ, may be NULL) receives the TUN's
 * real name ("" for policy-based). Changing ifname re-creates the TUN.
 */
int esp_dp_tunnel_set(struct esp_dp *dp, const struct esp_dp_tunnel *t, char *name);
/* Removes a tunnel's settings and closes its TUN. IG_ENOENT if unknown. */
int esp_dp_tunnel_del(struct esp_dp *dp, uint32_t tunnel_id);

/*
 * Installs a CHILD SA: in (inbound, our SPI) and out (the peer's SPI),
 * keyed from the descriptions (which the caller wipes). The SPD is rebuilt
 * from every outbound SA's selectors, newest SA first, so a rekeyed CHILD
 * SA takes over outbound traffic at once while the old inbound SA keeps
 * accepting until esp_sa_remove() (make-before-break). Tunnel mode only:
 * IG_ENOTSUP for transport mode. IG_EEXIST for an SPI already installed,
 * IG_EINVAL for inconsistent descriptions, errors of esp_sa_set_keys().
 */
int esp_sa_install(struct esp_dp *dp, const struct esp_sa_desc *in, const struct esp_sa_desc *out);
/* Unpublishes the CHILD SA of (in->spi, out->spi) and retires both SAs. IG_ENOENT if unknown. */
int esp_sa_remove(struct esp_dp *dp, const struct esp_sa_desc *in, const struct esp_sa_desc *out);
/*
 * Selects the outbound SA of a CHILD SA installed with out->standby for
 * traffic, ahead of older SAs with the same selectors. 0 if it already
 * was; IG_ENOENT if no such CHILD SA is installed.
 */
int esp_sa_activate(struct esp_dp *dp, uint32_t spi_in, uint32_t spi_out);

struct esp_dp_sa_stats {
	uint64_t bytes_in, bytes_out, packets_in, packets_out; /* inner bytes */
	uint64_t replay_drops, icv_fails, policy_drops;	       /* inbound */
	uint64_t malformed_in, seq_exhausted;
	uint64_t last_in_ms, last_out_ms; /* CLOCK_MONOTONIC ms of the last packet; 0 = none */
};
/* Counters of the CHILD SA (spi_in, spi_out), summed over workers. IG_ENOENT if unknown. */
int esp_dp_sa_stats(struct esp_dp *dp, uint32_t spi_in, uint32_t spi_out,
		    struct esp_dp_sa_stats *st);

struct esp_dp_stats {
	uint64_t no_sa_drops; /* ESP with an unknown SPI; route TUN without an SA */
	uint64_t
		no_policy_drops; /* policy TUN packet that no SPD entry covers (never sent clear) */
	uint64_t malformed;	 /* unparsable inner packet or datagram */
	uint64_t tbf_drops;	 /* over the bandwidth cap */
	uint64_t icmp_frag_needed; /* ICMP frag-needed / ICMPv6 packet-too-big sent into a TUN */
	uint64_t ike_handed_off;   /* IKE datagrams written to ike_handoff_fd */
	uint64_t ike_drops;	   /* IKE datagrams the handoff socket refused */
	uint64_t tx_errors;	   /* packets the kernel refused to send or to take into a TUN */
	uint64_t steered;	   /* packets passed to their SA's owner worker */
	uint64_t steer_drops;	   /* ... dropped because its ring was full */
	uint64_t gso_read;	   /* TCP super-packets read from a TUN and cut (offloads) */
	uint64_t gso_written;	   /* super-packets merged from segments, written to a TUN */
};
/* Gateway-wide counters, summed over workers. */
void esp_dp_stats(struct esp_dp *dp, struct esp_dp_stats *st);

/* Number of workers. */
unsigned esp_dp_nworkers(const struct esp_dp *dp);

/*
 * Converts an address range (traffic selector, RFC 7296 3.13.1) into the
 * fewest CIDR prefixes covering exactly [first, last]: writes up to cap,
 * returns how many are needed (> cap: not all written), or IG_EINVAL for
 * mixed families or first > last.
 */
int esp_range_to_cidrs(const struct addr *first, const struct addr *last, struct cidr *out,
		       size_t cap);

#endif
