/* SPDX-License-Identifier: MIT */
/*
 * The daemon's side of the ESP data path (esp/esp_dp.h): starting it on the
 * UDP 4500 sockets, the IKE messages it hands back from port 4500, the
 * tunnel interfaces and routes of each tunnel (what VyOS does with `vti
 * bind` and `protocols static route`), and the CHILD SAs the engine
 * installs.
 *
 * Routes:
 *   policy-based  each remote subnet is routed into the policy TUN
 *                 (ipsecgw0) for as long as the tunnel is configured, with
 *                 the gateway's own address inside the tunnel's local
 *                 subnets as source when it has one. Without a CHILD SA the
 *                 data path drops and counts what the route brings (RFC 4301
 *                 5.1): traffic for the remote subnets never leaves in the
 *                 clear, not before the SA, not between two SAs.
 *   route-based   the tunnel's TUN (interface:, default vti<N>) carries
 *                 local-tunnel-ip with the peer tunnel IP as its peer, and
 *                 every remote-subnet is routed via the peer tunnel IP for
 *                 as long as the tunnel is configured.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "crypto/alg.h"
#include "daemon/gw.h"
#include "esp/esp_dp.h"
#include "lib/err.h"
#include "lib/log.h"

#define HANDOFF_BUF (sizeof(struct esp_dp_ike_hdr) + 65536)

static uint8_t handoff_buf[HANDOFF_BUF];

static void on_handoff(evutil_socket_t fd, short what, void *arg)
{
	struct gw *g = arg;

	(void)what;
	for (int i = 0; i < 64; i++) {
		struct esp_dp_ike_hdr h;
		ssize_t n = recv(fd, handoff_buf, sizeof(handoff_buf), MSG_DONTWAIT);
		struct ike_endpoint from, to;

		if (n < 0)
			break;
		if ((size_t)n < sizeof(h))
			continue;
		memcpy(&h, handoff_buf, sizeof(h));
		if (h.len != (size_t)n - sizeof(h))
			continue;
		from = (struct ike_endpoint){ h.src, h.sport };
		to = (struct ike_endpoint){ h.dst, h.dport };
		ike_input(g->ike, handoff_buf + sizeof(h), h.len, &from, &to);
	}
	gw_kick(g);
}

static void on_reclaim(evutil_socket_t fd, short what, void *arg)
{
	struct gw *g = arg;

	(void)fd;
	(void)what;
	if (g->dp)
		esp_dp_reclaim(g->dp);
}

/*
 * The largest inner packet that fits a 1500-byte outer packet with the
 * tunnel's ESP proposals (the worst of them): outer IP (20, or 40 for an
 * IPv6 peer) + UDP 8 (ESP in UDP; raw ESP has 8 bytes more room) + ESP
 * header 8 + IV + padding to the cipher's block + 2 trailer bytes + ICV
 * (RFC 4303 2, RFC 3948 2.1). AES-256-CBC/HMAC-SHA2-256 over IPv4 gives 1430.
 */
static unsigned tunnel_mtu(const struct cfg_tunnel *t)
{
	unsigned outer = (t->peer.family == AF_INET6 ? 40 : 20) + 8 + 8, best = 1500;

	for (size_t i = 0; i < t->esp.n_proposals; i++) {
		const struct proposal *p = &t->esp.proposals[i];

		for (size_t e = 0; e < p->n_encr; e++) {
			uint16_t id = p->encr[e].id;
			size_t icv = alg_encr_is_aead(id) ? alg_encr_icv_len(id) : 0;
			size_t block = alg_encr_block_len(id) < 4 ? 4 : alg_encr_block_len(id);
			size_t room;

			for (size_t k = 0; k < p->n_integ; k++)
				if (alg_integ_icv_len(p->integ[k]) > icv)
					icv = alg_integ_icv_len(p->integ[k]);
			if (outer + alg_encr_iv_len(id) + icv + block + 2 > 1500)
				continue;
			room = 1500 - outer - alg_encr_iv_len(id) - icv;
			room -= room % block;
			if (room - 2 < best)
				best = (unsigned)(room - 2);
		}
	}
	return best < 576 ? 576 : best;
}

/* The policy TUN is shared: the smallest of the policy tunnels' MTUs. */
static unsigned policy_mtu(const struct cfg *c)
{
	unsigned m = 1500;

	for (size_t i = 0; i < c->n_tunnels; i++)
		if (c->tunnels[i].type == CFG_TYPE_POLICY && tunnel_mtu(&c->tunnels[i]) < m)
			m = tunnel_mtu(&c->tunnels[i]);
	return m == 1500 ? 1400 : m;
}

/* Our own address inside one of the tunnel's local subnets, if we have one. */
static bool local_source(struct gw *g, const struct cfg_tunnel *t, int family, struct addr *src)
{
	struct rtnl_addr a[64];
	size_t n = 0;

	if (!g->rtnl_ok)
		return false;
	if (rtnl_addr_dump(&g->rtnl, family, 0, a, 64, &n) != 0 && n <= 64)
		return false;
	for (size_t i = 0; i < n && i < 64; i++)
		for (size_t k = 0; k < t->n_local_subnets; k++)
			if (cidr_contains_addr(&t->local_subnets[k], &a[i].local.a)) {
				*src = a[i].local.a;
				return true;
			}
	return false;
}

static void policy_routes(struct gw *g, const struct cfg_tunnel *t, bool add);

static void tunnel_setup(struct gw *g, const struct cfg_tunnel *t)
{
	struct esp_dp_tunnel dt = {
		.tunnel_id = (uint32_t)t->index + 1,
		.ifname = t->type == CFG_TYPE_ROUTE ? t->interface : NULL,
		.mtu = tunnel_mtu(t),
		.mss_in = t->tcp_mss.enabled && t->tcp_mss.direction != CFG_MSS_OUTBOUND,
		.mss_out = t->tcp_mss.enabled && t->tcp_mss.direction != CFG_MSS_INBOUND,
		.mss = t->tcp_mss.value,
	};
	char name[IFNAMSIZ] = "";
	int r;

	if ((r = esp_dp_tunnel_set(g->dp, &dt, name)) != 0) {
		log_error(LS_DAEMON, "tunnel %s: cannot set up its data path: %s", t->name,
			  ig_strerror(r));
		return;
	}
	if (t->type != CFG_TYPE_ROUTE) {
		policy_routes(g, t, true);
		return;
	}
	if (!g->rtnl_ok)
		return;
	if ((r = rtnl_addr_add(&g->rtnl, name, &t->local_tunnel_ip, &t->peer_tunnel_ip,
			       RTNL_EXIST_OK)) != 0)
		log_error(LS_DAEMON, "tunnel %s: %s", t->name, rtnl_error(&g->rtnl));
	for (size_t i = 0; i < t->n_remote_subnets; i++) {
		struct rtnl_route rt = { .dst = t->remote_subnets[i] };

		if (t->remote_subnets[i].a.family != t->peer_tunnel_ip.family) {
			snprintf(rt.dev, sizeof(rt.dev), "%s", name);
		} else {
			rt.gw = t->peer_tunnel_ip;
		}
		if (rtnl_route_add(&g->rtnl, &rt, RTNL_EXIST_OK) != 0)
			log_error(LS_DAEMON, "tunnel %s: %s", t->name, rtnl_error(&g->rtnl));
	}
	log_info(LS_DAEMON, "tunnel %s: interface %s, %zu route%s via the peer tunnel IP", t->name,
		 name, t->n_remote_subnets, t->n_remote_subnets == 1 ? "" : "s");
}

void gw_dp_tunnels(struct gw *g, const struct cfg *old)
{
	if (!g->dp)
		return;
	if (old)
		for (size_t i = 0; i < old->n_tunnels; i++) {
			const struct cfg_tunnel *t = &old->tunnels[i];
			const struct cfg_tunnel *n = cfg_tunnel_find(g->cfg, t->name);

			if (!n || !cfg_tunnel_equal(t, n) || n->index != t->index) {
				policy_routes(g, t, false);
				esp_dp_tunnel_del(g->dp, (uint32_t)t->index + 1);
			}
		}
	for (size_t i = 0; i < g->cfg->n_tunnels; i++) {
		const struct cfg_tunnel *t = &g->cfg->tunnels[i];
		const struct cfg_tunnel *was = old ? cfg_tunnel_find(old, t->name) : NULL;

		if (!was || !cfg_tunnel_equal(was, t) || was->index != t->index)
			tunnel_setup(g, t);
	}
}

int gw_dp_start(struct gw *g)
{
	struct esp_dp_params p = {
		.nworkers = 1,
		.raw_esp = true,
		.policy_tun = ESP_DP_POLICY_TUN,
		.policy_mtu = policy_mtu(g->cfg),
		.bandwidth_bps = g->cfg->gateway.bandwidth_bps,
		.ike_handoff_fd = -1,
	};
	int r;

	if (g->cfg->gateway.local_address.family)
		p.raw_local = g->cfg->gateway.local_address;
	for (size_t i = 0; i < g->udp.n && p.n_udp < ESP_DP_MAX_UDP; i++)
		if (g->udp.sock[i].port == NET_NATT_PORT)
			p.udp_fd[p.n_udp++] = g->udp.sock[i].fd;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, g->handoff) != 0)
		return IG_EIO;
	p.ike_handoff_fd = g->handoff[1];
	if ((r = esp_dp_new(&g->dp, &p)) != 0) {
		log_error(LS_DAEMON, "cannot start the ESP data path: %s", ig_strerror(r));
		return r;
	}
	g->handoff_ev = event_new(g->base, g->handoff[0], EV_READ | EV_PERSIST, on_handoff, g);
	g->reclaim_ev = event_new(g->base, -1, EV_PERSIST, on_reclaim, g);
	if (!g->handoff_ev || !g->reclaim_ev || event_add(g->handoff_ev, NULL) != 0 ||
	    event_add(g->reclaim_ev, &(struct timeval){ 1, 0 }) != 0)
		return IG_ENOMEM;
	g->rtnl_ok = rtnl_open(&g->rtnl) == 0;
	if (!g->rtnl_ok)
		log_error(LS_DAEMON, "rtnetlink: %s: no routes will be installed", rtnl_error(&g->rtnl));
	gw_dp_tunnels(g, NULL);
	return 0;
}

void gw_dp_stop(struct gw *g)
{
	if (g->handoff_ev)
		event_free(g->handoff_ev);
	if (g->reclaim_ev)
		event_free(g->reclaim_ev);
	g->handoff_ev = g->reclaim_ev = NULL;
	if (g->dp) {
		/* Route-based tunnels' routes go with their interfaces. */
		esp_dp_free(g->dp);
		g->dp = NULL;
	}
	if (g->handoff[0] > 0) {
		close(g->handoff[0]);
		close(g->handoff[1]);
		g->handoff[0] = g->handoff[1] = -1;
	}
	if (g->rtnl_ok)
		rtnl_close(&g->rtnl);
	g->rtnl_ok = false;
}

/*
 * A peer whose address lies inside its own remote subnets (no NAT, the
 * gateway is part of the protected network) must stay reachable outside
 * the tunnel: pin a host route to it through the route it has now.
 */
static void pin_peer(struct gw *g, const struct addr *peer)
{
	struct rtnl_route rt[256], best = { 0 };
	size_t n = 0;
	int tun = 0;
	bool found = false;

	rtnl_link_index(&g->rtnl, ESP_DP_POLICY_TUN, &tun);
	if (rtnl_route_dump(&g->rtnl, peer->family, 254, rt, 256, &n) != 0 && n <= 256)
		return;
	for (size_t i = 0; i < n && i < 256; i++)
		if (rt[i].ifindex != tun && cidr_contains_addr(&rt[i].dst, peer) &&
		    rt[i].dst.plen < addr_bits(peer) && (!found || rt[i].dst.plen > best.dst.plen)) {
			best = rt[i];
			found = true;
		}
	if (!found)
		return;
	best.dst.a = *peer;
	best.dst.plen = (uint8_t)addr_bits(peer);
	best.dev[0] = '\0';
	best.src.family = 0;
	best.table = 0;
	best.metric = 0;
	if (rtnl_route_add(&g->rtnl, &best, RTNL_EXIST_OK) != 0)
		log_error(LS_DAEMON, "pinning a route to the peer: %s", rtnl_error(&g->rtnl));
}

/* Adds (or removes) the routes of a policy tunnel's remote subnets into the policy TUN. */
static void policy_routes(struct gw *g, const struct cfg_tunnel *t, bool add)
{
	if (!g->rtnl_ok || t->type == CFG_TYPE_ROUTE)
		return;
	for (size_t k = 0; k < t->n_remote_subnets; k++) {
		struct rtnl_route rt = { .dst = t->remote_subnets[k] };
		char c[CIDR_STRLEN];

		/* Never route everything into the tunnel: IKE itself must pass. */
		if (rt.dst.plen == 0)
			continue;
		snprintf(rt.dev, sizeof(rt.dev), "%s", ESP_DP_POLICY_TUN);
		if (!add) {
			rtnl_route_del(&g->rtnl, &rt, RTNL_MISSING_OK);
			continue;
		}
		if (!t->peer_any && cidr_contains_addr(&rt.dst, &t->peer))
			pin_peer(g, &t->peer);
		local_source(g, t, rt.dst.a.family, &rt.src);
		if (rtnl_route_add(&g->rtnl, &rt, RTNL_EXIST_OK) != 0)
			log_error(LS_DAEMON, "tunnel %s: %s", t->name, rtnl_error(&g->rtnl));
		else
			log_debug(LS_DAEMON, "tunnel %s: route %s dev %s", t->name,
				  cidr_format(&rt.dst, c, sizeof(c)), ESP_DP_POLICY_TUN);
	}
}

int gw_dp_install(struct gw *g, struct gw_child *ch)
{
	if (!g->dp)
		return 0;
	return esp_sa_install(g->dp, &ch->in, &ch->out);
}

void gw_dp_remove(struct gw *g, struct gw_child *ch)
{
	if (!g->dp)
		return;
	esp_sa_remove(g->dp, &ch->in, &ch->out);
}

bool gw_dp_stats(struct gw *g, uint32_t spi_in, uint32_t spi_out, struct esp_dp_sa_stats *st)
{
	return g->dp && esp_dp_sa_stats(g->dp, spi_in, spi_out, st) == 0;
}

void gw_dp_activate(struct gw *g, struct gw_child *ch)
{
	if (g->dp)
		esp_sa_activate(g->dp, ch->in.spi, ch->out.spi);
}

uint64_t gw_dp_blocked(struct gw *g)
{
	struct esp_dp_stats st;

	if (!g->dp)
		return 0;
	esp_dp_stats(g->dp, &st);
	return st.no_sa_drops + st.no_policy_drops;
}
