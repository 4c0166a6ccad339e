/* SPDX-License-Identifier: MIT */
/*
 * The gateway runtime of ipsecgwd: the control thread's libevent loop
 * wiring the IKE engine to the UDP sockets (500/4500, RFC 3948 demux), its
 * timers, the tunnel manager (config -> SAs, reload) and the control
 * requests.
 */
#ifndef IPSECGW_DAEMON_GW_H
#define IPSECGW_DAEMON_GW_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>
#include <jansson.h>

#include "config/config.h"
#include "ike/ike.h"
#include "net/rtnl.h"
#include "net/udp.h"

struct ctl_server;
struct esp_dp;
struct esp_dp_sa_stats;

#define GW_MAX_CHILD 256

/* A CHILD SA as handed to the data path, kept for status. */
struct gw_child {
	bool used;
	struct esp_sa_desc in, out;
};

struct gw;

/* What a socket's read event gets: the gateway and which socket. */
struct gw_sock_ref {
	struct gw *g;
	size_t idx;
};

struct gw {
	struct event_base *base;
	char *config_path;
	struct cfg *cfg;
	struct ike_engine *ike;
	struct udp_set udp;
	struct event *udp_ev[UDP_SET_MAX];
	struct gw_sock_ref udp_ref[UDP_SET_MAX];
	struct event *timer;
	struct event *sig_hup, *sig_term, *sig_int;
	struct ctl_server *ctl;
	uint64_t started_ms;
	bool stopping;
	uint64_t esp_on_4500; /* ESP datagrams seen when the data path is off */
	/* The data path (gw_dp.c). */
	struct esp_dp *dp;
	int handoff[2]; /* IKE from port 4500: the data path writes [1], we read [0] */
	struct event *handoff_ev, *reclaim_ev;
	struct rtnl rtnl;
	bool rtnl_ok;
	struct gw_child children[GW_MAX_CHILD];
};

/* Opens sockets on the config's local-address and starts initiate tunnels. */
int gw_start(struct gw *g, struct event_base *base, struct cfg *cfg, const char *config_path);
/* Re-reads the config file; keeps the running config when the new one is invalid. */
int gw_reload(struct gw *g, char *err, size_t errlen);
/* Deletes every SA (INFORMATIONAL Delete) and closes the sockets. */
void gw_stop(struct gw *g);
/* Re-arms the engine timer after anything changed. */
void gw_kick(struct gw *g);
uint64_t gw_now_ms(void);

/* The data path (gw_dp.c). */
int gw_dp_start(struct gw *g);
void gw_dp_stop(struct gw *g);
/* Sets up tunnel interfaces and routes for the current config (old: the previous one). */
void gw_dp_tunnels(struct gw *g, const struct cfg *old);
int gw_dp_install(struct gw *g, struct gw_child *ch);
void gw_dp_remove(struct gw *g, struct gw_child *ch);
bool gw_dp_stats(struct gw *g, uint32_t spi_in, uint32_t spi_out, struct esp_dp_sa_stats *st);
/* Selects the outbound SA of a CHILD SA installed on standby (esp_sa_activate). */
void gw_dp_activate(struct gw *g, struct gw_child *ch);
/* Packets that found no SA or policy so far (esp_dp_stats), for dpd.action hold. */
uint64_t gw_dp_blocked(struct gw *g);

/* Control requests (gw_ctl.c). */
int gw_ctl_register(struct gw *g, struct ctl_server *s);
/* show-ipsec-state, export-wireshark: key material (gw_keys.c). */
int gw_keys_register(struct gw *g, struct ctl_server *s);

/* "dropped", "ike_guard" and "privileges" of `status` (gw_harden.c). */
void gw_harden_status(struct gw *g, json_t *o);

/* Problems the daemon has with an otherwise valid config (IKEv1 not yet). */
void gw_config_supported(const struct cfg *c, struct cfg_diag *d);

#endif
