/* SPDX-License-Identifier: MIT */
/*
 * The IKEv2 engine (RFC 7296). It does no I/O of its own: the owner feeds it
 * datagrams with ike_input(), runs its timers when ike_engine_next_timer()
 * says, and gets datagrams to send and CHILD SAs to install through the
 * callbacks of struct ike_io. All state is owned by one thread (the control
 * thread of ipsecgwd), so nothing here locks. The exchange tests run two
 * engines in one process over a fake network with a fake clock.
 */
#ifndef IPSECGW_IKE_IKE_H
#define IPSECGW_IKE_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp/esp_sa_desc.h"
#include "lib/addr.h"

struct cfg;
struct ike_engine;

#define IKE_PORT 500
#define IKE_NATT_PORT 4500

struct ike_endpoint {
	struct addr addr;
	uint16_t port;
};

/* What the data path counted for one CHILD SA (both directions). */
struct ike_child_usage {
	uint64_t bytes, packets;
	uint64_t last_in_ms; /* now_ms clock of the last inbound packet; 0 = none */
};

struct ike_io {
	void *ctx;
	/*
	 * Sends one IKE message from local to remote. For port 4500 the
	 * owner prepends the non-ESP marker (RFC 3948 2.2).
	 */
	void (*send)(void *ctx, const struct ike_endpoint *local, const struct ike_endpoint *remote,
		     const uint8_t *msg, size_t len);
	/* Sends a NAT-keepalive (one 0xFF byte, RFC 3948 2.3) to remote:4500. */
	void (*send_keepalive)(void *ctx, const struct ike_endpoint *local,
			       const struct ike_endpoint *remote);
	/* The local address the kernel would send from to reach dst (0 or IG_E*). */
	int (*source_for)(void *ctx, const struct addr *dst, struct addr *src);
	/* Milliseconds of a monotonic clock. */
	uint64_t (*now_ms)(void *ctx);
	/* Installs both SAs of a CHILD SA (esp_sa_install); 0 or IG_E*. May be NULL. */
	int (*child_install)(void *ctx, const struct esp_sa_desc *in, const struct esp_sa_desc *out);
	/* Removes them (esp_sa_remove). May be NULL. */
	void (*child_remove)(void *ctx, const struct esp_sa_desc *in, const struct esp_sa_desc *out);
	/*
	 * Selects the outbound SA of a CHILD SA installed with out->standby
	 * (esp_sa_activate). May be NULL.
	 */
	void (*child_activate)(void *ctx, const struct esp_sa_desc *in,
			       const struct esp_sa_desc *out);
	/* Traffic of a CHILD SA so far (esp_dp_sa_stats); 0 or IG_E*. May be NULL. */
	int (*child_usage)(void *ctx, uint32_t spi_in, uint32_t spi_out, struct ike_child_usage *u);
	/*
	 * Packets for the tunnel (config index + 1) that found no SA so far, a
	 * counter that only grows: dpd.action hold re-initiates when it moves.
	 * May be NULL.
	 */
	uint64_t (*tunnel_blocked)(void *ctx, uint32_t tunnel_id);
};

/* Tunables; ike_engine_new() takes the defaults, tests shorten them. */
struct ike_params {
	uint32_t retransmit_ms;     /* first retransmission timeout (default 2000) */
	uint32_t retransmit_tries;  /* retransmissions before giving up (default 5) */
	uint32_t half_open_ms;      /* responder: IKE_AUTH must come within (default 30000) */
	uint32_t cookie_threshold;  /* half-open SAs before cookies are required (default 64) */
	uint32_t keepalive_ms;      /* NAT keepalive interval (default 20000) */
	uint32_t max_sas;           /* IKE SAs in all, half-open included (default 10000) */
	uint32_t usage_check_ms;    /* how often byte/packet lifetimes and hold are polled (1000) */
	uint32_t rekey_retry_ms;    /* a failed rekey is tried again after (default 10000) */
};

int ike_engine_new(struct ike_engine **out, const struct ike_io *io);
void ike_engine_free(struct ike_engine *e);
struct ike_params *ike_engine_params(struct ike_engine *e);

/*
 * Uses cfg (owned by the caller, kept until the next call or free) for
 * every tunnel lookup. SAs of tunnels that no longer exist are deleted.
 */
int ike_engine_set_config(struct ike_engine *e, const struct cfg *cfg);

/* A datagram (non-ESP marker already stripped) that arrived from -> to. */
void ike_input(struct ike_engine *e, const uint8_t *pkt, size_t len,
	       const struct ike_endpoint *from, const struct ike_endpoint *to);

/* Absolute time (now_ms clock) of the next timer, or UINT64_MAX. */
uint64_t ike_engine_next_timer(struct ike_engine *e);
/* Runs every timer that is due. */
void ike_engine_run_timers(struct ike_engine *e);

/*
 * Starts an IKE SA for the tunnel (no-op if one is up or connecting); with
 * an IKE SA up but no CHILD SA, asks for one with CREATE_CHILD_SA.
 */
int ike_engine_initiate(struct ike_engine *e, const char *tunnel);
/* Deletes the tunnel's SAs, telling the peer (INFORMATIONAL Delete). */
int ike_engine_terminate(struct ike_engine *e, const char *tunnel);
/*
 * Rekeys the tunnel's IKE SA (ike true: CREATE_CHILD_SA for the IKE SA,
 * never reauthentication) or its newest CHILD SA now, as its soft
 * lifetime would. IG_ENOENT without an established SA, IG_EAGAIN while an
 * exchange is out.
 */
int ike_engine_rekey(struct ike_engine *e, const char *tunnel, bool ike);
/* Deletes every SA, telling each peer; for shutdown. */
void ike_engine_terminate_all(struct ike_engine *e);

/* Status, with the fields of PRODUCT.md's `show ike-sa` / `show ipsec-sa`. */
struct ike_child_status {
	const char *tunnel;
	unsigned child; /* CHILD SA serial, like strongSwan's {N} */
	const char *state; /* "installed", "rekeying", "deleting" */
	bool transport;
	bool encap;
	uint32_t spi_in, spi_out;
	char proposal[128]; /* "AES_CBC_256/HMAC_SHA2_256_128/MODP_1024" */
	char local_ts[512], remote_ts[512]; /* space-separated CIDRs */
	uint64_t installed_s;
	int64_t rekey_in_s; /* -1: no rekey scheduled */
};

struct ike_sa_status {
	const char *tunnel;
	unsigned serial;
	const char *state; /* "established", "connecting", "rekeying", "deleting" */
	unsigned version;
	bool initiator;
	struct ike_endpoint local, remote;
	char local_id[256], remote_id[256];
	char encryption[32], integrity[32], prf[32], dh_group[32];
	bool nat_t, nat_local, nat_remote;
	uint64_t spi_i, spi_r;
	uint64_t established_s;
	int64_t rekey_in_s, reauth_in_s; /* -1: none */
	size_t n_children;
};

typedef void (*ike_sa_status_fn)(void *ctx, const struct ike_sa_status *sa,
				 const struct ike_child_status *children, size_t n);
/* Calls fn for every IKE SA, with its CHILD SAs. */
void ike_engine_status(struct ike_engine *e, ike_sa_status_fn fn, void *ctx);

/* Counts for `ipsecgw status`. */
struct ike_counts {
	size_t ike_sas, ike_established, ike_half_open, child_sas;
	uint64_t rx_invalid, rx_dropped;
};
void ike_engine_counts(struct ike_engine *e, struct ike_counts *c);

/*
 * Key material of the current SAs, for `ipsecgw show ipsec-state` and
 * `export wireshark` (ike_keys.c). The callback gets each established IKE
 * SA once with child == NULL, then once per CHILD SA with both directions
 * as the data path has them (keys included). Everything lives on the
 * stack of ike_engine_keys() and is wiped after the call: copy what you
 * keep, and never log it.
 */
struct ike_keys_sa {
	const char *tunnel;
	unsigned serial;
	bool initiator;
	uint64_t spi_i, spi_r;
	struct ike_endpoint local, remote;
	uint16_t encr, encr_keybits, integ, prf, dh;
	size_t e_len, a_len; /* SK_e (salt included) and SK_a lengths; a_len 0 with an AEAD */
	uint8_t sk_ei[ALG_MAX_KEY], sk_er[ALG_MAX_KEY];
	uint8_t sk_ai[ALG_MAX_PRF], sk_ar[ALG_MAX_PRF];
};

struct ike_keys_child {
	unsigned child;        /* CHILD SA serial */
	uint64_t installed_s;  /* seconds since it was installed */
	struct esp_sa_desc in, out;
};

typedef void (*ike_keys_fn)(void *ctx, const struct ike_keys_sa *sa,
			    const struct ike_keys_child *child);
/* Calls fn for every IKE SA with keys (and each of its CHILD SAs). */
void ike_engine_keys(struct ike_engine *e, ike_keys_fn fn, void *ctx);

#endif
