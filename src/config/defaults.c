/* SPDX-License-Identifier: MIT */
/*
 * Fills in every value the operator left out. The defaults are the guide's
 * main parameters (section 2.2, see model.h); values derived from other keys
 * (local-id, remote-id, local-subnets, interface, peer tunnel IP) are
 * computed here too. Runs again safely (importers call cfg_finish()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/internal.h"
#include "lib/err.h"

static bool unset(const struct cfg_origin *o)
{
	return !o->set && !o->bad;
}

static int default_props(struct proposal **arr, size_t *n, enum proposal_kind kind)
{
	free(*arr);
	*n = 0;
	if (!(*arr = calloc(1, sizeof(**arr))))
		return IG_ENOMEM;
	if (proposal_parse(CFG_DEFAULT_PROPOSAL, kind, *arr, NULL, 0) != 0)
		return IG_EINVAL; /* cannot happen: the default is a good proposal */
	*n = 1;
	return 0;
}

static int copy_cidrs(struct cidr **dst, size_t *nd, const struct cidr *src, size_t ns)
{
	free(*dst);
	*dst = NULL;
	*nd = 0;
	if (ns == 0)
		return 0;
	if (!(*dst = malloc(ns * sizeof(*src))))
		return IG_ENOMEM;
	memcpy(*dst, src, ns * sizeof(*src));
	*nd = ns;
	return 0;
}

static bool ifname_taken(const struct cfg *c, const char *name, const struct cfg_tunnel *self)
{
	for (size_t i = 0; i < c->n_tunnels; i++) {
		const struct cfg_tunnel *t = &c->tunnels[i];

		if (t != self && t->interface && t->type == CFG_TYPE_ROUTE &&
		    strcmp(t->interface, name) == 0)
			return true;
	}
	return false;
}

/*
 * Route-based tunnels without an interface get vti1, vti2, ... in file
 * order (the guide's VyOS side binds vti1), skipping names that other
 * tunnels set explicitly.
 */
static int default_interfaces(struct cfg *c)
{
	unsigned next = 1;

	for (size_t i = 0; i < c->n_tunnels; i++) {
		struct cfg_tunnel *t = &c->tunnels[i];

		if (!t->origin[CFG_T_INTERFACE].set) {
			free(t->interface);
			t->interface = NULL;
		}
	}
	for (size_t i = 0; i < c->n_tunnels; i++) {
		struct cfg_tunnel *t = &c->tunnels[i];
		char name[CFG_IFNAME_MAX + 1];

		if (t->type != CFG_TYPE_ROUTE || t->origin[CFG_T_INTERFACE].set)
			continue;
		do
			snprintf(name, sizeof(name), CFG_DEFAULT_IFNAME_PREFIX "%u", next++);
		while (ifname_taken(c, name, t));
		if (!(t->interface = strdup(name)))
			return IG_ENOMEM;
	}
	return 0;
}

static int tunnel_defaults(const struct cfg *c, struct cfg_tunnel *t)
{
	struct cfg_origin *o = t->origin;
	const struct cfg_gateway *g = &c->gateway;
	int r = 0;

	if (unset(&o[CFG_T_IKE_PROPOSALS]) &&
	    (r = default_props(&t->ike.proposals, &t->ike.n_proposals, PROPOSAL_IKE)) != 0)
		return r;
	if (unset(&o[CFG_T_ESP_PROPOSALS]) &&
	    (r = default_props(&t->esp.proposals, &t->esp.n_proposals, PROPOSAL_ESP)) != 0)
		return r;
	if (unset(&o[CFG_T_IKE_VERSION]))
		t->ike.version = CFG_IKE_V2;
	if (unset(&o[CFG_T_IKE_LIFETIME]))
		t->ike.lifetime_s = CFG_DEFAULT_IKE_LIFETIME;
	if (unset(&o[CFG_T_IKE_REAUTH]))
		t->ike.reauth = true;
	if (unset(&o[CFG_T_ESP_LIFETIME]))
		t->esp.lifetime_s = CFG_DEFAULT_ESP_LIFETIME;
	if (unset(&o[CFG_T_ESP_MODE]))
		t->esp.mode = CFG_MODE_TUNNEL;
	if (unset(&o[CFG_T_ESP_DF_BIT]))
		t->esp.df_bit = CFG_DF_COPY;
	if (unset(&o[CFG_T_ESP_REPLAY_WINDOW]))
		t->esp.replay_window = CFG_DEFAULT_REPLAY_WINDOW;
	if (unset(&o[CFG_T_DPD_INTERVAL]))
		t->dpd.interval_s = CFG_DEFAULT_DPD_INTERVAL;
	if (unset(&o[CFG_T_DPD_TIMEOUT]))
		t->dpd.timeout_s = CFG_DEFAULT_DPD_TIMEOUT;
	if (unset(&o[CFG_T_DPD_ACTION]))
		t->dpd.action = CFG_DPD_RESTART;
	if (unset(&o[CFG_T_TYPE]))
		t->type = CFG_TYPE_POLICY;
	/* Nobody to initiate to when the peer is %any. */
	if (unset(&o[CFG_T_START]))
		t->start = t->peer_any ? CFG_START_RESPOND : CFG_START_INITIATE;
	t->tcp_mss.enabled = o[CFG_T_TCP_MSS].set;
	if (unset(&o[CFG_T_TCP_MSS_DIRECTION]))
		t->tcp_mss.direction = CFG_MSS_BOTH;

	if (unset(&o[CFG_T_LOCAL_SUBNETS]) &&
	    (r = copy_cidrs(&t->local_subnets, &t->n_local_subnets, g->local_subnets,
			    g->n_local_subnets)) != 0)
		return r;
	if (unset(&o[CFG_T_LOCAL_ID])) {
		cfg_id_clear(&t->local_id);
		if (g->public_ip.family && !g->origin[CFG_G_PUBLIC_IP].bad)
			r = cfg_id_from_addr(&t->local_id, &g->public_ip);
		else if (g->local_address.family && !g->origin[CFG_G_LOCAL_ADDRESS].bad)
			r = cfg_id_from_addr(&t->local_id, &g->local_address);
		if (r != 0)
			return r;
	}
	if (unset(&o[CFG_T_REMOTE_ID])) {
		cfg_id_clear(&t->remote_id);
		if (t->peer_any)
			r = cfg_id_parse("%any", true, &t->remote_id, NULL, 0);
		else if (t->peer.family)
			r = cfg_id_from_addr(&t->remote_id, &t->peer);
		if (r != 0)
			return r;
	}
	memset(&t->peer_tunnel_ip, 0, sizeof(t->peer_tunnel_ip));
	if (t->local_tunnel_ip.a.family && cidr_p2p_peer(&t->local_tunnel_ip, &t->peer_tunnel_ip))
		memset(&t->peer_tunnel_ip, 0, sizeof(t->peer_tunnel_ip));
	return 0;
}

int cfg_defaults_apply(struct cfg *c)
{
	int r;

	if (!c->log.origin[CFG_L_LEVEL].set)
		c->log.level = LL_INFO;
	for (int s = 0; s < LS_COUNT; s++)
		if (!c->log.origin[CFG_L_SUBSYS + s].set || c->log.origin[CFG_L_SUBSYS + s].bad)
			c->log.subsys[s] = c->log.level;
	for (size_t i = 0; i < c->n_tunnels; i++) {
		c->tunnels[i].index = i;
		if ((r = tunnel_defaults(c, &c->tunnels[i])) != 0)
			return r;
	}
	return default_interfaces(c);
}
