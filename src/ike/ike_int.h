/* SPDX-License-Identifier: MIT */
/*
 * Engine internals shared by the exchange files (ikev2_*.c). Not for use
 * outside src/ike.
 *
 * Every timer of the engine (each an absolute time in ms, 0 = off), named
 * after the event that fires it. Of an IKE SA (struct ike_sa):
 *   t_retransmit   our outstanding request got no response: send it again,
 *                  with exponential backoff; give up after retransmit_tries
 *                  or at req.deadline (dpd.timeout once the SA is up), then
 *                  apply dpd.action (ike_life.c)
 *   t_half_open    responder: IKE_AUTH did not arrive after IKE_SA_INIT
 *   t_keepalive    we are behind a NAT: send a NAT-keepalive (RFC 3948 4)
 *   t_dpd          dpd.interval passed: if nothing came from the peer (IKE
 *                  or ESP) since, send an empty INFORMATIONAL
 *   t_rekey        the IKE SA's soft lifetime (ike.lifetime less a margin
 *                  and jitter): rekey it, or reauthenticate (ike.reauth)
 *   t_expire       the IKE SA's hard lifetime (ike.lifetime): delete it
 * Queued requests (a Delete after a rekey, a Delete of an expired CHILD SA)
 * need no timer of their own: ike_life_kick() sends them when the window
 * frees (after every response) or on the next timer above.
 * Of a CHILD SA (struct ike_child):
 *   t_rekey        its soft lifetime (esp.lifetime less margin and jitter):
 *                  rekey it with CREATE_CHILD_SA
 *   t_expire       its hard lifetime (esp.lifetime): delete it
 * Of the engine (struct ike_engine):
 *   t_usage_check  poll the data path: CHILD SAs past their soft/hard
 *                  life-bytes/life-packets, and held tunnels (dpd.action
 *                  hold) that have traffic waiting
 */
#ifndef IPSECGW_IKE_IKE_INT_H
#define IPSECGW_IKE_IKE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "config/model.h"
#include "crypto/crypto.h"
#include "ike/ike.h"
#include "ike/ike_guard.h"
#include "ike/ike_keymat.h"
#include "ike/ike_msg.h"
#include "ike/ike_select.h"
#include "lib/buf.h"
#include "lib/log.h"

enum ike_state {
	IKE_S_INIT_SENT,  /* initiator: IKE_SA_INIT request out */
	IKE_S_HALF_OPEN,  /* responder: IKE_SA_INIT answered, waiting for IKE_AUTH */
	IKE_S_AUTH_SENT,  /* initiator: IKE_AUTH request out */
	IKE_S_ESTABLISHED,
	IKE_S_REKEYING,
	IKE_S_DELETING,   /* our Delete is out */
	IKE_S_DEAD,       /* to be freed at the end of the current event */
};

enum child_state {
	CHILD_S_INSTALLED,
	CHILD_S_REKEYING, /* our CREATE_CHILD_SA rekeying it is out */
	CHILD_S_REKEYED,  /* a new CHILD SA replaces it: waiting for its Delete */
	CHILD_S_DELETING, /* our Delete of it is out */
};

struct ike_child {
	struct ike_child *next;
	unsigned serial;
	enum child_state state;
	uint32_t spi_in, spi_out;
	uint32_t reqid;
	bool transport;
	struct ike_chosen esp;
	struct child_keymat keys;
	struct ike_ts_pl ts_local, ts_remote;
	uint64_t installed_at;
	bool installed; /* handed to the data path */
	bool initiator; /* we initiated the exchange that made it: KEYMAT order (2.17) */
	bool standby;	/* its outbound SA is not selected yet (rekey responder) */
	bool delete_wanted; /* we owe the peer a Delete for it */
	uint32_t replaces;  /* spi_in of the CHILD SA it rekeyed, 0 if none */
	uint64_t t_rekey, t_expire;
	uint64_t soft_bytes, soft_packets; /* 0: none */
};

/* What our outstanding request is, for its response and its give-up. */
enum ike_req_kind {
	REQ_OTHER,
	REQ_DPD,	  /* empty INFORMATIONAL: liveness check */
	REQ_DELETE_IKE,	  /* Delete of this IKE SA */
	REQ_DELETE_CHILD, /* Delete of CHILD SAs */
	REQ_REKEY_CHILD,  /* CREATE_CHILD_SA with REKEY_SA */
	REQ_NEW_CHILD,	  /* CREATE_CHILD_SA for more selectors */
	REQ_REKEY_IKE,	  /* CREATE_CHILD_SA for a new IKE SA */
};

/* Our CREATE_CHILD_SA in flight (1.3): what its response completes. */
struct ike_ccsa {
	uint32_t old_spi_in;  /* CHILD rekey: our inbound SPI of the CHILD SA rekeyed */
	uint32_t new_spi;     /* CHILD: our new inbound SPI */
	uint64_t new_ike_spi; /* IKE rekey: our SPI of the new IKE SA */
	struct crypto_dh *dh; /* KEi: PFS or the IKE rekey's DH */
	uint8_t n[IKEV2_NONCE_MAX];
	size_t n_len;
	struct ike_ts_pl ts_i, ts_r;
	unsigned ke_retries;
	/* 2.8.1: the peer rekeyed the same CHILD SA meanwhile: the CHILD SA its
	 * exchange made (our spi_in) and the lower nonce of that exchange. */
	uint32_t coll_spi_in;
	uint8_t coll_nonce[IKEV2_NONCE_MAX];
	size_t coll_nonce_len;
};

/* Our request waiting for its response. */
struct ike_request {
	uint8_t *buf;
	size_t len;
	uint32_t msg_id;
	uint8_t exchange;
	unsigned tries;
	bool active;
	bool is_delete; /* an IKE SA Delete: the SA dies with the answer or give-up */
	enum ike_req_kind kind;
	uint64_t deadline; /* give up at this time even with tries left (0: none) */
};

struct ike_sa {
	struct ike_sa *next;
	struct ike_engine *e;
	unsigned serial;
	enum ike_state state;
	bool initiator; /* we are the original initiator (I flag) */
	uint64_t spi_i, spi_r;

	const struct cfg_tunnel *t; /* NULL for a responder until IDi picks one */
	char tname[CFG_NAME_MAX + 1];

	struct ike_endpoint local, remote;
	bool nat_here, nat_there, natt;

	struct ike_chosen prop;
	struct ike_suite suite;
	struct ike_keymat km;
	bool keys_ready;
	struct crypto_aead *aead_out, *aead_in;
	struct crypto_cipher *enc_out, *enc_in;
	struct crypto_integ *integ_out, *integ_in;
	uint64_t iv_counter; /* AEAD IVs: a counter never repeats under one key */

	struct crypto_dh *dh;
	uint16_t dh_group;
	uint8_t ni[IKEV2_NONCE_MAX], nr[IKEV2_NONCE_MAX];
	size_t ni_len, nr_len;
	/* Both IKE_SA_INIT messages: the AUTH payloads sign them (2.15). */
	uint8_t *init_i, *init_r;
	size_t init_i_len, init_r_len;
	uint8_t *cookie; /* initiator: COOKIE the responder asked us to return */
	size_t cookie_len;
	unsigned ke_retries;

	/* Message IDs (2.3), window size 1. */
	uint32_t next_msg_id; /* of our next request */
	uint32_t peer_msg_id; /* the peer's next request */
	struct ike_request req;
	uint8_t *resp_buf; /* our last response, resent for a retransmitted request */
	size_t resp_len;
	bool resp_valid;

	/* Initiator: the CHILD SA proposed in IKE_AUTH. */
	uint32_t child_spi;
	struct ike_ts_pl ts_i, ts_r;

	bool initial_contact; /* the peer sent INITIAL_CONTACT */
	struct ike_child *children;
	unsigned next_child;

	struct ike_ccsa ccsa; /* our CREATE_CHILD_SA in flight */
	bool rekeyed;	      /* a new IKE SA replaced this one: it only waits for its Delete */
	bool delete_wanted;   /* we owe the peer a Delete of this IKE SA (after our rekey) */
	unsigned reauth_of;   /* serial of the IKE SA this one reauthenticates, 0 if none */
	bool reauth_started;  /* a reauthentication of this SA is under way */
	bool closing;	      /* its CHILD SAs are being torn down with it */
	bool restart;	      /* started by dpd.action restart: keeps trying */
	/* 2.8.2: the peer rekeyed this IKE SA while we did: the SA it made, its nonce. */
	unsigned coll_serial;
	uint8_t coll_nonce[IKEV2_NONCE_MAX];
	size_t coll_nonce_len;

	uint64_t created_at, established_at, last_rx_at;
	uint64_t t_retransmit, t_half_open, t_keepalive, t_dpd, t_rekey, t_expire;
};

/* A tunnel whose SAs went down with dpd.action hold: up again on traffic. */
struct ike_hold {
	char name[CFG_NAME_MAX + 1];
	uint32_t tunnel_id;
	uint64_t blocked; /* io.tunnel_blocked when the hold began */
};

struct ike_engine {
	struct ike_io io;
	struct ike_params p;
	const struct cfg *cfg;
	struct ike_sa *sas;
	unsigned next_serial, next_child_serial;
	uint8_t cookie_secret[32];
	uint64_t cookie_secret_at;
	uint64_t rx_invalid, rx_dropped;
	uint64_t t_usage_check;
	struct ike_hold holds[32];
	size_t n_holds;
	struct ike_guard guard; /* ike_guard.c: drop counters, admission limits */
};

/* Logging about one IKE SA: "ike: onprem[3]: ...". */
#define sa_log(sa, lvl, fmt, ...)                                                             \
	log_msg(LS_IKE, (lvl), "%s[%u]: " fmt, (sa)->tname[0] ? (sa)->tname : "?", (sa)->serial, \
		##__VA_ARGS__)

static inline uint64_t ike_now(const struct ike_engine *e)
{
	return e->io.now_ms(e->io.ctx);
}

/* ike_sa.c */
struct ike_sa *ike_sa_new(struct ike_engine *e, bool initiator, const struct ike_endpoint *local,
			  const struct ike_endpoint *remote);
void ike_sa_state(struct ike_sa *sa, enum ike_state s);
const char *ike_state_name(enum ike_state s);
struct ike_sa *ike_sa_find(struct ike_engine *e, uint64_t spi_i, uint64_t spi_r);
struct ike_sa *ike_sa_find_half(struct ike_engine *e, uint64_t spi_i, const struct ike_endpoint *remote,
				bool initiator);
void ike_sa_bind_tunnel(struct ike_sa *sa, const struct cfg_tunnel *t);
/* Removes the CHILD SAs from the data path and marks the SA dead. */
void ike_sa_destroy(struct ike_sa *sa, const char *why);
void ike_sa_reap(struct ike_engine *e);
size_t ike_sa_count_half_open(struct ike_engine *e);
size_t ike_engine_sa_total(struct ike_engine *e);
int ike_sa_set_keys(struct ike_sa *sa); /* crypto objects from sa->km */
uint32_t ike_new_child_spi(struct ike_engine *e);
struct ike_child *ike_child_new(struct ike_sa *sa);
/* A new CHILD SA with what its exchange agreed: ESP transforms (and the peer's SPI), our SPI, selectors. */
struct ike_child *ike_child_make(struct ike_sa *sa, const struct ike_chosen *esp, uint32_t spi_in,
				 const struct ike_ts_pl *ts_local, const struct ike_ts_pl *ts_remote,
				 bool transport);
int ike_child_install(struct ike_sa *sa, struct ike_child *c);
/* What the data path gets for a CHILD SA (keys included: wipe after use). */
void ike_child_descs(const struct ike_sa *sa, const struct ike_child *c, struct esp_sa_desc *in,
		     struct esp_sa_desc *out);
void ike_child_free(struct ike_sa *sa, struct ike_child *c, bool remove);
struct ike_child *ike_child_find_out(struct ike_sa *sa, uint32_t spi_out);

/* ike_sk.c: the SK payload (3.14, RFC 5282). */
int ike_sk_seal(struct ike_sa *sa, uint8_t exchange, bool response, uint32_t msg_id,
		const uint8_t *inner, size_t inner_len, uint8_t inner_first, struct buf_wr *w);
int ike_sk_open(struct ike_sa *sa, struct ike_msg *m, uint8_t *plain, size_t cap,
		struct ike_parse_err *err);
#ifdef IPSECGW_FUZZING
/* Fuzzing builds: all 0x5a stands for a valid ICV / AUTH (ike_sk.c). */
bool ike_fuzz_marker(const uint8_t *p, size_t len);
#endif

/* ike_xmit.c */
/* Seals inner as a request of exchange, sends it, arms retransmission. */
int ike_send_request(struct ike_sa *sa, uint8_t exchange, const uint8_t *inner, size_t len,
		     uint8_t first);
/* Sends a cleartext message as our request (IKE_SA_INIT). */
int ike_send_request_raw(struct ike_sa *sa, uint8_t exchange, const uint8_t *msg, size_t len);
/* Seals inner as the response to msg_id, sends and caches it. */
int ike_send_response(struct ike_sa *sa, uint8_t exchange, uint32_t msg_id,
		      const uint8_t *inner, size_t len, uint8_t first);
/* A cleartext response cached the same way (IKE_SA_INIT). */
int ike_send_response_raw(struct ike_sa *sa, const uint8_t *msg, size_t len);
void ike_request_done(struct ike_sa *sa);
void ike_xmit_timer(struct ike_sa *sa, uint64_t now);
void ike_sendto(struct ike_engine *e, const struct ike_endpoint *local,
		const struct ike_endpoint *remote, const uint8_t *msg, size_t len);

/* ikev2_sa_init.c */
int ike_init_start(struct ike_engine *e, const struct cfg_tunnel *t);
/* The same, making a new IKE SA that replaces (reauthenticates) old. */
int ike_init_start_reauth(struct ike_engine *e, struct ike_sa *old);
void ike_spi_bytes(uint64_t spi, uint8_t out[IKE_SPI_LEN]);
void ike_init_on_request(struct ike_engine *e, struct ike_msg *m, const struct ike_endpoint *from,
			 const struct ike_endpoint *to);
void ike_init_on_response(struct ike_sa *sa, struct ike_msg *m);

/* ikev2_auth.c */
int ike_auth_start(struct ike_sa *sa);
void ike_auth_on_request(struct ike_sa *sa, struct ike_msg *m);
void ike_auth_on_response(struct ike_sa *sa, struct ike_msg *m);

/* ikev2_info.c */
void ike_info_on_request(struct ike_sa *sa, struct ike_msg *m);
void ike_info_on_response(struct ike_sa *sa, struct ike_msg *m);
int ike_info_delete_ike(struct ike_sa *sa);
/* Sends a Delete for the CHILD SAs marked delete_wanted (one request). */
int ike_info_delete_children(struct ike_sa *sa);
/* Sends an empty INFORMATIONAL (DPD), given up after timeout_ms. */
int ike_info_dpd(struct ike_sa *sa, uint64_t timeout_ms);
/* Responds to msg_id of exchange with one notify (and nothing else). */
int ike_respond_notify(struct ike_sa *sa, uint8_t exchange, uint32_t msg_id, uint16_t type,
		       const uint8_t *data, size_t len);

/* ikev2_child.c: CREATE_CHILD_SA for CHILD SAs (1.3.1, 1.3.3), both roles. */
void ike_ccsa_on_request(struct ike_sa *sa, struct ike_msg *m);
void ike_ccsa_on_response(struct ike_sa *sa, struct ike_msg *m);
int ike_child_rekey_start(struct ike_sa *sa, struct ike_child *c);
/* A CHILD SA for the tunnel's selectors on an IKE SA that has none (1.3.1). */
int ike_child_add_start(struct ike_sa *sa);
/* Installs the CHILD SA and arms its lifetimes; logs. */
int ike_child_up(struct ike_sa *sa, struct ike_child *c);
/* The peer deleted (or we removed) old: its successor's outbound goes live. */
void ike_child_activate_successor(struct ike_sa *sa, uint32_t old_spi_in);
void ike_ccsa_clear(struct ike_sa *sa);
/* Which of two exchanges has the lowest nonce (2.8): <0 if (a1,a2) does. */
int ike_nonce_cmp(const uint8_t *a1, size_t a1_len, const uint8_t *a2, size_t a2_len,
		  const uint8_t *b1, size_t b1_len, const uint8_t *b2, size_t b2_len);

/* ikev2_rekey_ike.c: CREATE_CHILD_SA for the IKE SA (1.3.2, 2.18), both roles. */
int ike_rekey_ike_start(struct ike_sa *sa);
void ike_rekey_ike_on_request(struct ike_sa *sa, struct ike_msg *m);
void ike_rekey_ike_on_response(struct ike_sa *sa, struct ike_msg *m);
/* The peer deletes sa: after a rekey collision its CHILD SAs live on. */
void ike_rekey_ike_old_deleted(struct ike_sa *sa);

/* ike_life.c: lifetimes, DPD, reauthentication, queued work. */
void ike_life_established(struct ike_sa *sa); /* arm the IKE SA's timers */
void ike_life_child_arm(struct ike_sa *sa, struct ike_child *c);
void ike_life_sa_timers(struct ike_sa *sa, uint64_t now);
void ike_life_engine_timers(struct ike_engine *e, uint64_t now);
/* Starts whatever queued request may go now (window 1). */
void ike_life_kick(struct ike_sa *sa);
/* The SA is gone for good (give-up, DPD): apply dpd.action to its tunnel. */
void ike_life_dead_peer(struct ike_sa *sa, const char *why);
bool ike_life_will_reauth(const struct ike_sa *sa);
/* A reauthentication SA is up: the old one goes. */
void ike_life_reauth_done(struct ike_sa *sa);
/* sa goes: standby CHILD SAs of the tunnel's other IKE SAs take over. */
void ike_life_sa_closing(struct ike_sa *sa);
/* Both sides initiated at once: one of the two IKE SAs goes (2.8-style nonce rule). */
void ike_life_duplicate_check(struct ike_sa *sa);

/* Tunnels of the current config. */
const struct cfg_tunnel *ike_cfg_tunnel(const struct ike_engine *e, const char *name);
/* Tunnels whose peer is addr (or %any), in config order; returns how many. */
size_t ike_cfg_tunnels_for_peer(const struct ike_engine *e, const struct addr *addr,
				const struct cfg_tunnel **out, size_t max);
/* The ID we send for t / the ID t expects, as ID payload type and data. */
void ike_local_id(const struct ike_sa *sa, uint8_t *type, const uint8_t **data, size_t *len,
		  uint8_t *buf, size_t cap);
bool ike_remote_id_matches(const struct cfg_tunnel *t, uint8_t type, const uint8_t *data,
			   size_t len);
const char *ike_id_format(uint8_t type, const uint8_t *data, size_t len, char *out, size_t outlen);

#endif
