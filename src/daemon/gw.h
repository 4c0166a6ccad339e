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
#include "net/udp.h"

struct ctl_server;

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
	uint64_t esp_on_4500; /* ESP datagrams seen before the data path exists */
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

/* Control requests (gw_ctl.c). */
int gw_ctl_register(struct gw *g, struct ctl_server *s);

/* Problems the daemon has with an otherwise valid config (IKEv1 not yet). */
void gw_config_supported(const struct cfg *c, struct cfg_diag *d);

#endif
