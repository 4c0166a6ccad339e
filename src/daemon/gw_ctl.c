/* SPDX-License-Identifier: MIT */
/*
 * The daemon's control requests: status, show-tunnels, show-ike-sa,
 * show-ipsec-sa, up, down, reload. Each answers with the JSON fields of
 * PRODUCT.md; the CLI renders them as VyOS-style tables.
 */
#include <stdio.h>
#include <string.h>

#include "config/proposal.h"
#include "daemon/ctl_server.h"
#include "daemon/gw.h"
#include "esp/esp_dp.h"
#include "ipsecgw_build.h"
#include "lib/err.h"

static json_t *cidrs_json(const struct cidr *c, size_t n)
{
	json_t *a = json_array();
	char buf[CIDR_STRLEN];

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(cidr_format(&c[i], buf, sizeof(buf))));
	return a;
}

static json_t *proposals_json(const struct proposal *p, size_t n)
{
	json_t *a = json_array();
	char buf[PROPOSAL_MAX_TEXT];

	for (size_t i = 0; i < n; i++)
		if (proposal_format(&p[i], buf, sizeof(buf)) == 0)
			json_array_append_new(a, json_string(buf));
	return a;
}

/* Space-separated selectors (engine status) to a JSON array. */
static json_t *words_json(const char *s)
{
	json_t *a = json_array();
	char buf[64];

	while (*s) {
		size_t n = strcspn(s, " ");

		if (n && n < sizeof(buf)) {
			memcpy(buf, s, n);
			buf[n] = '\0';
			json_array_append_new(a, json_string(buf));
		}
		s += n;
		s += strspn(s, " ");
	}
	return a;
}

static const char *hex64(uint64_t v, char *buf)
{
	snprintf(buf, 17, "%016llx", (unsigned long long)v);
	return buf;
}

static const char *hex32(uint32_t v, char *buf)
{
	snprintf(buf, 9, "%08x", v);
	return buf;
}

struct collect {
	struct gw *g;
	json_t *ike, *child;
	const char *tunnel; /* only this one (NULL: all) */
	bool nest;          /* put each IKE SA's CHILD SAs inside it ("child_sas") */
	size_t up, connecting, children;
};

static void collect_cb(void *ctx, const struct ike_sa_status *s, const struct ike_child_status *c,
		       size_t n)
{
	struct collect *cc = ctx;
	char a[ADDR_STRLEN], b[ADDR_STRLEN], h[20];

	if (cc->tunnel && strcmp(cc->tunnel, s->tunnel) != 0)
		return;
	if (strcmp(s->state, "established") == 0 || strcmp(s->state, "rekeying") == 0)
		cc->up++;
	else if (strcmp(s->state, "connecting") == 0)
		cc->connecting++;
	cc->children += n;
	if (cc->ike) {
		json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:i, s:s, s:s, s:i, s:s}", "tunnel",
				      s->tunnel, "state", s->state, "version", (int)s->version,
				      "local_addr", addr_format(&s->local.addr, a, sizeof(a)),
				      "local_port", (int)s->local.port, "local_id", s->local_id,
				      "remote_addr", addr_format(&s->remote.addr, b, sizeof(b)),
				      "remote_port", (int)s->remote.port, "remote_id", s->remote_id);

		json_object_set_new(o, "encryption", json_string(s->encryption));
		json_object_set_new(o, "integrity", json_string(s->integrity));
		json_object_set_new(o, "prf", json_string(s->prf));
		json_object_set_new(o, "dh_group", json_string(s->dh_group));
		json_object_set_new(o, "nat_t", json_boolean(s->nat_t));
		json_object_set_new(o, "nat_local", json_boolean(s->nat_local));
		json_object_set_new(o, "nat_remote", json_boolean(s->nat_remote));
		json_object_set_new(o, "initiator", json_boolean(s->initiator));
		json_object_set_new(o, "spi_i", json_string(hex64(s->spi_i, h)));
		json_object_set_new(o, "spi_r", json_string(hex64(s->spi_r, h)));
		json_object_set_new(o, "established_s", json_integer((json_int_t)s->established_s));
		json_object_set_new(o, "rekey_in_s", json_integer(s->rekey_in_s));
		json_object_set_new(o, "reauth_in_s", json_integer(s->reauth_in_s));
		json_object_set_new(o, "children", json_integer((json_int_t)n));
		json_object_set_new(o, "serial", json_integer(s->serial));
		json_array_append_new(cc->ike, o);
		if (cc->nest) {
			json_t *kids = json_array();

			json_object_set_new(o, "child_sas", kids);
			cc->child = kids;
		}
	}
	for (size_t i = 0; cc->child && i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "tunnel", json_string(c[i].tunnel));
		/* strongSwan's CHILD SA name: the connection and its serial. */
		json_object_set_new(o, "child", json_sprintf("%s{%u}", c[i].tunnel, c[i].child));
		json_object_set_new(o, "state", json_string(c[i].state));
		json_object_set_new(o, "mode", json_string(c[i].transport ? "transport" : "tunnel"));
		json_object_set_new(o, "encap", json_boolean(c[i].encap));
		json_object_set_new(o, "spi_in", json_string(hex32(c[i].spi_in, h)));
		json_object_set_new(o, "spi_out", json_string(hex32(c[i].spi_out, h)));
		json_object_set_new(o, "proposal", json_string(c[i].proposal));
		json_object_set_new(o, "local_ts", words_json(c[i].local_ts));
		json_object_set_new(o, "remote_ts", words_json(c[i].remote_ts));
		struct esp_dp_sa_stats st = { 0 };

		gw_dp_stats(cc->g, c[i].spi_in, c[i].spi_out, &st);
		json_object_set_new(o, "bytes_in", json_integer((json_int_t)st.bytes_in));
		json_object_set_new(o, "bytes_out", json_integer((json_int_t)st.bytes_out));
		json_object_set_new(o, "packets_in", json_integer((json_int_t)st.packets_in));
		json_object_set_new(o, "packets_out", json_integer((json_int_t)st.packets_out));
		json_object_set_new(o, "replay_drops", json_integer((json_int_t)st.replay_drops));
		json_object_set_new(o, "icv_fails", json_integer((json_int_t)st.icv_fails));
		json_object_set_new(o, "policy_drops", json_integer((json_int_t)st.policy_drops));
		json_object_set_new(o, "installed_s", json_integer((json_int_t)c[i].installed_s));
		json_object_set_new(o, "rekey_in_s", json_integer(c[i].rekey_in_s));
		json_object_set_new(o, "remote_addr",
				    json_string(addr_format(&s->remote.addr, a, sizeof(a))));
		json_object_set_new(o, "remote_id", json_string(s->remote_id));
		json_array_append_new(cc->child, o);
	}
}

static int h_show_ike_sa(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	struct collect cc = { .g = ctx, .ike = json_array() };

	(void)args;
	(void)err;
	(void)errlen;
	ike_engine_status(cc.g->ike, collect_cb, &cc);
	*result = cc.ike;
	return 0;
}

static int h_show_ipsec_sa(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	struct collect cc = { .g = ctx, .child = json_array() };

	(void)args;
	(void)err;
	(void)errlen;
	ike_engine_status(cc.g->ike, collect_cb, &cc);
	*result = cc.child;
	return 0;
}

static int h_show_tunnels(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	struct gw *g = ctx;
	json_t *arr = json_array();
	char a[ADDR_STRLEN];

	(void)args;
	(void)err;
	(void)errlen;
	for (size_t i = 0; i < g->cfg->n_tunnels; i++) {
		const struct cfg_tunnel *t = &g->cfg->tunnels[i];
		struct collect cc = { .g = g, .tunnel = t->name };
		json_t *o = json_object();

		ike_engine_status(g->ike, collect_cb, &cc);
		json_object_set_new(o, "name", json_string(t->name));
		json_object_set_new(o, "type", json_string(cfg_tunnel_type_name(t->type)));
		json_object_set_new(o, "peer", json_string(t->peer_any ? "%any"
								       : addr_format(&t->peer, a, sizeof(a))));
		json_object_set_new(o, "local_id", json_string(t->local_id.text ? t->local_id.text : ""));
		json_object_set_new(o, "remote_id",
				    json_string(t->remote_id.text ? t->remote_id.text : ""));
		json_object_set_new(o, "local_subnets", cidrs_json(t->local_subnets, t->n_local_subnets));
		json_object_set_new(o, "remote_subnets",
				    cidrs_json(t->remote_subnets, t->n_remote_subnets));
		json_object_set_new(o, "ike_version",
				    json_string(cfg_ike_version_name(t->ike.version)));
		json_object_set_new(o, "ike_proposals",
				    proposals_json(t->ike.proposals, t->ike.n_proposals));
		json_object_set_new(o, "esp_proposals",
				    proposals_json(t->esp.proposals, t->esp.n_proposals));
		json_object_set_new(o, "start", json_string(cfg_start_name(t->start)));
		json_object_set_new(o, "state", json_string(cc.up ? "up" : cc.connecting ? "connecting"
											 : "down"));
		json_array_append_new(arr, o);
	}
	*result = arr;
	return 0;
}

static int h_status(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	struct gw *g = ctx;
	struct collect cc = { .g = g, .ike = json_array(), .nest = true };
	struct ike_counts k;
	json_t *o = json_object(), *l = json_array();
	size_t up_tunnels = 0;
	char a[ADDR_STRLEN];

	(void)args;
	(void)err;
	(void)errlen;
	ike_engine_status(g->ike, collect_cb, &cc);
	ike_engine_counts(g->ike, &k);
	for (size_t i = 0; i < g->cfg->n_tunnels; i++) {
		struct collect t = { .g = g, .tunnel = g->cfg->tunnels[i].name };

		ike_engine_status(g->ike, collect_cb, &t);
		up_tunnels += t.up > 0;
	}
	for (size_t i = 0; i < g->udp.n; i++)
		json_array_append_new(l, json_pack("{s:s, s:i}", "addr",
						   addr_format(&g->udp.sock[i].local, a, sizeof(a)),
						   "port", (int)g->udp.sock[i].port));
	json_object_set_new(o, "version", json_string(IPSECGW_VERSION));
	json_object_set_new(o, "uptime_s", json_integer((json_int_t)((gw_now_ms() - g->started_ms) / 1000)));
	json_object_set_new(o, "config", json_string(g->config_path));
	json_object_set_new(o, "listening", l);
	json_object_set_new(o, "tunnels_configured", json_integer((json_int_t)g->cfg->n_tunnels));
	json_object_set_new(o, "tunnels_up", json_integer((json_int_t)up_tunnels));
	json_object_set_new(o, "ike_sas", json_integer((json_int_t)k.ike_established));
	json_object_set_new(o, "ike_sas_connecting", json_integer((json_int_t)cc.connecting));
	json_object_set_new(o, "child_sas", json_integer((json_int_t)k.child_sas));
	/* Per-SA lines, like strongSwan's statusall. */
	json_object_set_new(o, "sas", cc.ike);
	json_object_set_new(o, "ike_rx_invalid", json_integer((json_int_t)k.rx_invalid));
	json_object_set_new(o, "ike_rx_dropped", json_integer((json_int_t)k.rx_dropped));
	if (g->dp) {
		struct esp_dp_stats d;

		esp_dp_stats(g->dp, &d);
		json_object_set_new(
			o, "datapath",
			json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "no_sa_drops",
				  (json_int_t)d.no_sa_drops, "no_policy_drops",
				  (json_int_t)d.no_policy_drops, "malformed", (json_int_t)d.malformed,
				  "bandwidth_drops", (json_int_t)d.tbf_drops, "icmp_frag_needed",
				  (json_int_t)d.icmp_frag_needed, "ike_handed_off",
				  (json_int_t)d.ike_handed_off, "tx_errors", (json_int_t)d.tx_errors,
				  "workers", (json_int_t)esp_dp_nworkers(g->dp)));
	}
	gw_harden_status(g, o);
	*result = o;
	return 0;
}

static const char *tunnel_arg(json_t *args)
{
	json_t *t = args ? json_object_get(args, "tunnel") : NULL;

	return json_is_string(t) ? json_string_value(t) : NULL;
}

static int h_up(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	struct gw *g = ctx;
	const char *name = tunnel_arg(args);
	int r;

	if (!name) {
		snprintf(err, errlen, "up: which tunnel? (args: {\"tunnel\": NAME})");
		return IG_EINVAL;
	}
	r = ike_engine_initiate(g->ike, name);
	gw_kick(g);
	if (r == IG_ENOENT)
		snprintf(err, errlen, "no tunnel named '%s'", name);
	else if (r == IG_ENOTSUP)
		snprintf(err, errlen, "tunnel %s uses IKEv1, which is not supported yet", name);
	else if (r == IG_EINVAL)
		snprintf(err, errlen, "tunnel %s has peer %%any: it can only respond", name);
	else if (r != 0)
		snprintf(err, errlen, "tunnel %s: %s", name, ig_strerror(r));
	if (r != 0)
		return r;
	*result = json_sprintf("initiating tunnel %s", name);
	return 0;
}

static int h_down(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	struct gw *g = ctx;
	const char *name = tunnel_arg(args);
	int r;

	if (!name) {
		snprintf(err, errlen, "down: which tunnel? (args: {\"tunnel\": NAME})");
		return IG_EINVAL;
	}
	if ((r = ike_engine_terminate(g->ike, name)) != 0) {
		snprintf(err, errlen, "no tunnel named '%s'", name);
		return r;
	}
	gw_kick(g);
	*result = json_sprintf("tunnel %s: SAs deleted", name);
	return 0;
}

static int h_reload(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	char msg[4096];
	int r;

	(void)args;
	r = gw_reload(ctx, msg, sizeof(msg));
	if (r != 0) {
		snprintf(err, errlen, "%s", msg);
		return r;
	}
	*result = json_string(msg);
	return 0;
}

int gw_ctl_register(struct gw *g, struct ctl_server *s)
{
	int r;

	if ((r = ctl_server_register(s, "status", h_status, g)) != 0 ||
	    (r = ctl_server_register(s, "show-tunnels", h_show_tunnels, g)) != 0 ||
	    (r = ctl_server_register(s, "show-ike-sa", h_show_ike_sa, g)) != 0 ||
	    (r = ctl_server_register(s, "show-ipsec-sa", h_show_ipsec_sa, g)) != 0 ||
	    (r = ctl_server_register(s, "up", h_up, g)) != 0 ||
	    (r = ctl_server_register(s, "down", h_down, g)) != 0 ||
	    (r = ctl_server_register(s, "reload", h_reload, g)) != 0 ||
	    (r = gw_keys_register(g, s)) != 0)
		return r;
	return 0;
}
