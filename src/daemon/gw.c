/* SPDX-License-Identifier: MIT */
#include "daemon/gw.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "esp/esp_dp.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "net/natt.h"

/* The largest IKE message we take (a UDP datagram). */
#define RX_BUF 65536
#define RX_BATCH 8

static uint8_t rx_bufs[RX_BATCH][RX_BUF];

uint64_t gw_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t io_now(void *ctx)
{
	(void)ctx;
	return gw_now_ms();
}

static struct udp_sock *sock_for(struct gw *g, int family, uint16_t port)
{
	return udp_set_find(&g->udp, family, port);
}

static void send_dgram(struct gw *g, const struct ike_endpoint *local,
		       const struct ike_endpoint *remote, const uint8_t *msg, size_t len)
{
	struct udp_sock *s = sock_for(g, local->addr.family ? local->addr.family : remote->addr.family,
				      local->port);
	struct net_dgram d = { 0 };
	char a[ADDR_STRLEN];

	if (!s) {
		log_warn(LS_NET, "no socket on port %u for %s", local->port,
			 addr_format(&remote->addr, a, sizeof(a)));
		return;
	}
	d.dst = remote->addr;
	d.dport = remote->port;
	if (!addr_is_any(&local->addr))
		d.src = local->addr;
	d.data = (uint8_t *)msg;
	d.len = len;
	if (udp_send_batch(s, &d, 1) != 1)
		log_warn(LS_NET, "sending %zu bytes to %s:%u failed: %s", len,
			 addr_format(&remote->addr, a, sizeof(a)), remote->port, strerror(errno));
}

static void io_send(void *ctx, const struct ike_endpoint *local, const struct ike_endpoint *remote,
		    const uint8_t *msg, size_t len)
{
	struct gw *g = ctx;
	static uint8_t buf[RX_BUF + NATT_MARKER_LEN];

	/* RFC 3948 2.2: IKE on 4500 carries the non-ESP marker. */
	if (local->port == NET_NATT_PORT) {
		if (len > RX_BUF)
			return;
		memset(buf, 0, NATT_MARKER_LEN);
		memcpy(buf + NATT_MARKER_LEN, msg, len);
		send_dgram(g, local, remote, buf, len + NATT_MARKER_LEN);
		return;
	}
	send_dgram(g, local, remote, msg, len);
}

static void io_keepalive(void *ctx, const struct ike_endpoint *local,
			 const struct ike_endpoint *remote)
{
	static const uint8_t ka = NATT_KEEPALIVE_BYTE;

	send_dgram(ctx, local, remote, &ka, 1);
}

/* The source address the kernel would pick toward dst (connect + getsockname). */
static int io_source_for(void *ctx, const struct addr *dst, struct addr *src)
{
	struct sockaddr_storage ss, me;
	socklen_t len, mlen = sizeof(me);
	int fd, r = IG_EIO;

	(void)ctx;
	if (addr_to_sockaddr(dst, NET_IKE_PORT, &ss, &len) != 0)
		return IG_EINVAL;
	if ((fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return IG_EIO;
	if (connect(fd, (struct sockaddr *)&ss, len) == 0 &&
	    getsockname(fd, (struct sockaddr *)&me, &mlen) == 0 &&
	    addr_from_sockaddr(src, NULL, (struct sockaddr *)&me, mlen) == 0)
		r = 0;
	close(fd);
	return r;
}

static int io_install(void *ctx, const struct esp_sa_desc *in, const struct esp_sa_desc *out)
{
	struct gw *g = ctx;

	for (size_t i = 0; i < GW_MAX_CHILD; i++)
		if (!g->children[i].used) {
			struct gw_child *ch = &g->children[i];
			int r;

			ch->in = *in;
			ch->out = *out;
			/* The keys stay with the data path, not here. */
			secret_wipe(ch->in.enc_key, sizeof(ch->in.enc_key));
			secret_wipe(ch->in.int_key, sizeof(ch->in.int_key));
			secret_wipe(ch->out.enc_key, sizeof(ch->out.enc_key));
			secret_wipe(ch->out.int_key, sizeof(ch->out.int_key));
			if ((r = gw_dp_install(g, &(struct gw_child){ .in = *in, .out = *out })) != 0)
				return r;
			ch->used = true;
			return 0;
		}
	return IG_ENOSPC;
}

static void io_remove(void *ctx, const struct esp_sa_desc *in, const struct esp_sa_desc *out)
{
	struct gw *g = ctx;

	for (size_t i = 0; i < GW_MAX_CHILD; i++)
		if (g->children[i].used && g->children[i].in.spi == in->spi &&
		    g->children[i].out.spi == out->spi) {
			gw_dp_remove(g, &g->children[i]);
			memset(&g->children[i], 0, sizeof(g->children[i]));
			g->children[i].used = false;
		}
}

static void io_activate(void *ctx, const struct esp_sa_desc *in, const struct esp_sa_desc *out)
{
	struct gw *g = ctx;

	for (size_t i = 0; i < GW_MAX_CHILD; i++)
		if (g->children[i].used && g->children[i].in.spi == in->spi &&
		    g->children[i].out.spi == out->spi) {
			g->children[i].out.standby = false;
			gw_dp_activate(g, &g->children[i]);
		}
}

static int io_usage(void *ctx, uint32_t spi_in, uint32_t spi_out, struct ike_child_usage *u)
{
	struct esp_dp_sa_stats st;

	if (!gw_dp_stats(ctx, spi_in, spi_out, &st))
		return IG_ENOENT;
	u->bytes = st.bytes_in + st.bytes_out;
	u->packets = st.packets_in + st.packets_out;
	u->last_in_ms = st.last_in_ms;
	return 0;
}

static uint64_t io_blocked(void *ctx, uint32_t tunnel_id)
{
	(void)tunnel_id;
	/* The data path counts these per gateway, not per tunnel: any packet
	 * that found no SA wakes every held tunnel (dpd.action hold). */
	return gw_dp_blocked(ctx);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct gw *g = arg;

	(void)fd;
	(void)what;
	ike_engine_run_timers(g->ike);
	gw_kick(g);
}

void gw_kick(struct gw *g)
{
	uint64_t next = ike_engine_next_timer(g->ike), now = gw_now_ms();
	struct timeval tv = { 0, 0 };

	if (next == UINT64_MAX) {
		evtimer_del(g->timer);
		return;
	}
	if (next > now) {
		uint64_t d = next - now;

		tv.tv_sec = (time_t)(d / 1000);
		tv.tv_usec = (suseconds_t)((d % 1000) * 1000);
	}
	evtimer_add(g->timer, &tv);
}

static void on_udp(evutil_socket_t fd, short what, void *arg)
{
	struct gw_sock_ref *ref = arg;
	struct gw *g = ref->g;
	struct udp_sock *s = &g->udp.sock[ref->idx];
	struct net_dgram d[RX_BATCH];
	int n;

	(void)fd;
	(void)what;
	for (int round = 0; round < 8; round++) {
		for (size_t i = 0; i < RX_BATCH; i++) {
			memset(&d[i], 0, sizeof(d[i]));
			d[i].data = rx_bufs[i];
			d[i].cap = RX_BUF;
		}
		if ((n = udp_recv_batch(s, d, RX_BATCH)) <= 0)
			break;
		for (int i = 0; i < n; i++) {
			struct ike_endpoint from = { d[i].src, d[i].sport }, to = { d[i].dst, d[i].dport };
			const uint8_t *p = d[i].data + d[i].off;
			size_t len = d[i].len - d[i].off;
			struct buf_rd payload;

			if (d[i].flags)
				continue;
			if (s->port != NET_NATT_PORT) {
				ike_input(g->ike, p, len, &from, &to);
				continue;
			}
			switch (natt_demux(p, len, &payload)) {
			case NATT_IKE:
				ike_input(g->ike, buf_rd_cur(&payload), buf_rd_left(&payload), &from,
					  &to);
				break;
			case NATT_ESP:
				/* The ESP data path is not wired in yet: count it. */
				g->esp_on_4500++;
				break;
			default: /* keepalives and runts */
				break;
			}
		}
		if (n < RX_BATCH)
			break;
	}
	gw_kick(g);
}

static void start_tunnels(struct gw *g, const struct cfg *old)
{
	for (size_t i = 0; i < g->cfg->n_tunnels; i++) {
		const struct cfg_tunnel *t = &g->cfg->tunnels[i];
		const struct cfg_tunnel *was = old ? cfg_tunnel_find(old, t->name) : NULL;
		int r;

		if (t->start != CFG_START_INITIATE || t->peer_any)
			continue;
		if (was && cfg_tunnel_equal(was, t))
			continue;
		if ((r = ike_engine_initiate(g->ike, t->name)) != 0)
			log_error(LS_DAEMON, "tunnel %s: cannot initiate: %s", t->name, ig_strerror(r));
	}
}

int gw_start(struct gw *g, struct event_base *base, struct cfg *cfg, const char *config_path)
{
	struct ike_io io = {
		.ctx = g,
		.send = io_send,
		.send_keepalive = io_keepalive,
		.source_for = io_source_for,
		.now_ms = io_now,
		.child_install = io_install,
		.child_remove = io_remove,
		.child_activate = io_activate,
		.child_usage = io_usage,
		.tunnel_blocked = io_blocked,
	};
	const struct addr *local = cfg->gateway.local_address.family ? &cfg->gateway.local_address
								      : NULL;
	int r;

	memset(g, 0, sizeof(*g));
	g->base = base;
	g->cfg = cfg;
	g->started_ms = gw_now_ms();
	if (!(g->config_path = strdup(config_path)))
		return IG_ENOMEM;
	if ((r = ike_engine_new(&g->ike, &io)) != 0 ||
	    (r = ike_engine_set_config(g->ike, cfg)) != 0)
		return r;
	if ((r = udp_set_open(&g->udp, local, NULL, 0)) != 0) {
		log_error(LS_DAEMON, "cannot open the IKE sockets (UDP 500/4500): %s", ig_strerror(r));
		return r;
	}
	g->handoff[0] = g->handoff[1] = -1;
	if ((r = gw_dp_start(g)) != 0)
		return r;
	for (size_t i = 0; i < g->udp.n; i++) {
		/* The data path's workers read 4500 and hand IKE back to us. */
		if (g->dp && g->udp.sock[i].port == NET_NATT_PORT)
			continue;
		g->udp_ref[i] = (struct gw_sock_ref){ g, i };
		g->udp_ev[i] = event_new(base, g->udp.sock[i].fd, EV_READ | EV_PERSIST, on_udp,
					 &g->udp_ref[i]);
		if (!g->udp_ev[i] || event_add(g->udp_ev[i], NULL) != 0)
			return IG_ENOMEM;
	}
	if (!(g->timer = evtimer_new(base, on_timer, g)))
		return IG_ENOMEM;
	start_tunnels(g, NULL);
	gw_kick(g);
	return 0;
}

int gw_reload(struct gw *g, char *err, size_t errlen)
{
	struct cfg *old = g->cfg, *c = NULL;
	struct cfg_diag d;
	int r;

	cfg_diag_init(&d);
	r = cfg_load_file(g->config_path, &c, &d);
	if (r == 0)
		gw_config_supported(c, &d);
	if (r != 0 || cfg_diag_count(&d)) {
		size_t n = cfg_diag_count(&d), o = 0;

		log_error(LS_CFG, "reload of %s refused, the running config stays (%zu problem%s):",
			  g->config_path, n, n == 1 ? "" : "s");
		o = (size_t)snprintf(err, errlen, "%s: invalid, the running config stays:",
				     g->config_path);
		for (size_t i = 0; i < n; i++) {
			log_error(LS_CFG, "  %s", cfg_diag_msg(&d, i));
			if (o < errlen)
				o += (size_t)snprintf(err + o, errlen - o, "\n  %s", cfg_diag_msg(&d, i));
		}
		cfg_free(c);
		cfg_diag_free(&d);
		return IG_EINVAL;
	}
	cfg_diag_free(&d);

	/* Tunnels removed or changed go down (Delete to the peer) under the old config. */
	for (size_t i = 0; i < old->n_tunnels; i++) {
		const struct cfg_tunnel *t = &old->tunnels[i], *n = cfg_tunnel_find(c, t->name);

		if (!n || !cfg_tunnel_equal(t, n)) {
			log_info(LS_DAEMON, "tunnel %s %s", t->name, n ? "changed: re-establishing" : "removed");
			ike_engine_terminate(g->ike, t->name);
		}
	}
	g->cfg = c;
	ike_engine_set_config(g->ike, c);
	gw_dp_tunnels(g, old);
	start_tunnels(g, old);
	for (size_t i = 0; i < c->n_tunnels; i++)
		if (!cfg_tunnel_find(old, c->tunnels[i].name))
			log_info(LS_DAEMON, "tunnel %s added", c->tunnels[i].name);
	cfg_free(old);
	gw_kick(g);
	snprintf(err, errlen, "reloaded %s: %zu tunnel%s", g->config_path, c->n_tunnels,
		 c->n_tunnels == 1 ? "" : "s");
	log_info(LS_DAEMON, "%s", err);
	return 0;
}

void gw_stop(struct gw *g)
{
	if (g->ike)
		ike_engine_terminate_all(g->ike);
	gw_dp_stop(g);
	for (size_t i = 0; i < g->udp.n; i++)
		if (g->udp_ev[i])
			event_free(g->udp_ev[i]);
	if (g->timer)
		event_free(g->timer);
	ike_engine_free(g->ike);
	udp_set_close(&g->udp);
	cfg_free(g->cfg);
	free(g->config_path);
	memset(g->children, 0, sizeof(g->children));
	g->ike = NULL;
	g->cfg = NULL;
}

void gw_config_supported(const struct cfg *c, struct cfg_diag *d)
{
	for (size_t i = 0; i < c->n_tunnels; i++)
		if (c->tunnels[i].ike.version != CFG_IKE_V2)
			cfg_diag_add(d, 0, "", "tunnels[%zu].ike.version: IKEv1 is not supported yet "
				     "(%s); use version: 2", i,
				     cfg_ike_version_name(c->tunnels[i].ike.version));
}
