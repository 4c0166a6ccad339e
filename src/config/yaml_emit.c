/* SPDX-License-Identifier: MIT */
/*
 * The model back to YAML through libyaml's emitter (which does the quoting),
 * in the layout of PRODUCT.md. Only keys the operator set are written, unless
 * CFG_EMIT_DEFAULTS asks for every effective value; either way the output
 * loads back to the same configuration.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "config/internal.h"
#include "lib/err.h"
#include "lib/secret.h"

struct em {
	yaml_emitter_t y;
	unsigned flags;
	bool failed;
};

static void ev(struct em *e, yaml_event_t *event, int made)
{
	if (e->failed || !made || !yaml_emitter_emit(&e->y, event))
		e->failed = true;
}

/* Text our loader would read as null must be quoted to stay text. */
static bool looks_null(const char *s)
{
	return !*s || !strcmp(s, "~") || !strcasecmp(s, "null");
}

static void str_style(struct em *e, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t event;

	if (looks_null(s))
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	ev(e, &event,
	   yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
					style));
}

static void str(struct em *e, const char *s)
{
	str_style(e, s, YAML_ANY_SCALAR_STYLE);
}

static void map_start(struct em *e, bool flow)
{
	yaml_event_t event;

	ev(e, &event,
	   yaml_mapping_start_event_initialize(&event, NULL, NULL, 1,
					       flow ? YAML_FLOW_MAPPING_STYLE
						    : YAML_BLOCK_MAPPING_STYLE));
}

static void map_end(struct em *e)
{
	yaml_event_t event;

	ev(e, &event, yaml_mapping_end_event_initialize(&event));
}

static void seq_start(struct em *e, bool flow)
{
	yaml_event_t event;

	ev(e, &event,
	   yaml_sequence_start_event_initialize(&event, NULL, NULL, 1,
						flow ? YAML_FLOW_SEQUENCE_STYLE
						     : YAML_BLOCK_SEQUENCE_STYLE));
}

static void seq_end(struct em *e)
{
	yaml_event_t event;

	ev(e, &event, yaml_sequence_end_event_initialize(&event));
}

static void kv(struct em *e, const char *k, const char *v)
{
	str(e, k);
	str(e, v);
}

static void kv_u64(struct em *e, const char *k, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	kv(e, k, buf);
}

static void kv_cidrs(struct em *e, const char *k, const struct cidr *c, size_t n)
{
	char buf[CIDR_STRLEN];

	str(e, k);
	seq_start(e, true);
	for (size_t i = 0; i < n; i++)
		str(e, cidr_format(&c[i], buf, sizeof(buf)));
	seq_end(e);
}

static void kv_props(struct em *e, const char *k, const struct proposal *p, size_t n)
{
	char buf[PROPOSAL_MAX_TEXT];

	str(e, k);
	seq_start(e, true);
	for (size_t i = 0; i < n; i++) {
		if (proposal_format(&p[i], buf, sizeof(buf)) != 0)
			e->failed = true;
		str(e, buf);
	}
	seq_end(e);
}

static const char *bandwidth(uint64_t bps, char *buf, size_t n)
{
	if (bps % 1000000000u == 0)
		snprintf(buf, n, "%" PRIu64 "gbps", bps / 1000000000u);
	else if (bps % 1000000u == 0)
		snprintf(buf, n, "%" PRIu64 "mbps", bps / 1000000u);
	else
		snprintf(buf, n, "%" PRIu64 "kbps", bps / 1000u);
	return buf;
}

static bool want(const struct em *e, const struct cfg_origin *o)
{
	return o->set || (e->flags & CFG_EMIT_DEFAULTS);
}

static void emit_gateway(struct em *e, const struct cfg_gateway *g)
{
	char buf[ADDR_STRLEN + 16];

	str(e, "gateway");
	map_start(e, false);
	if (g->name)
		kv(e, "name", g->name);
	if (g->local_address.family)
		kv(e, "local-address", addr_format(&g->local_address, buf, sizeof(buf)));
	if (g->public_ip.family)
		kv(e, "public-ip", addr_format(&g->public_ip, buf, sizeof(buf)));
	if (g->origin[CFG_G_LOCAL_SUBNETS].set)
		kv_cidrs(e, "local-subnets", g->local_subnets, g->n_local_subnets);
	if (g->bandwidth_bps)
		kv(e, "bandwidth", bandwidth(g->bandwidth_bps, buf, sizeof(buf)));
	if (g->description)
		kv(e, "description", g->description);
	map_end(e);
}

static void emit_log(struct em *e, const struct cfg_log *l)
{
	bool any = e->flags & CFG_EMIT_DEFAULTS;

	for (int i = 0; i < CFG_L_COUNT; i++)
		any |= l->origin[i].set;
	if (!any)
		return;
	str(e, "log");
	map_start(e, true);
	if (want(e, &l->origin[CFG_L_LEVEL]))
		kv(e, "level", log_level_name(l->level));
	for (int s = 0; s < LS_COUNT; s++)
		if (l->origin[CFG_L_SUBSYS + s].set)
			kv(e, log_subsys_name(s), log_level_name(l->subsys[s]));
	if (want(e, &l->origin[CFG_L_KEYS]))
		kv(e, "keys", l->keys ? "true" : "false");
	map_end(e);
}

static bool any_set(const struct em *e, const struct cfg_tunnel *t, int from, int to)
{
	for (int f = from; f <= to; f++)
		if (want(e, &t->origin[f]))
			return true;
	return false;
}

static void emit_ike(struct em *e, const struct cfg_tunnel *t)
{
	const struct cfg_origin *o = t->origin;

	if (!any_set(e, t, CFG_T_IKE_VERSION, CFG_T_IKE_REAUTH))
		return;
	str(e, "ike");
	map_start(e, false);
	if (want(e, &o[CFG_T_IKE_VERSION]))
		kv(e, "version", cfg_ike_version_name(t->ike.version));
	if (want(e, &o[CFG_T_IKE_PROPOSALS]))
		kv_props(e, "proposals", t->ike.proposals, t->ike.n_proposals);
	if (want(e, &o[CFG_T_IKE_LIFETIME]))
		kv_u64(e, "lifetime", t->ike.lifetime_s);
	if (want(e, &o[CFG_T_IKE_REAUTH]))
		kv(e, "reauth", t->ike.reauth ? "true" : "false");
	map_end(e);
}

static void emit_esp(struct em *e, const struct cfg_tunnel *t)
{
	const struct cfg_origin *o = t->origin;

	if (!any_set(e, t, CFG_T_ESP_PROPOSALS, CFG_T_ESP_REPLAY_WINDOW))
		return;
	str(e, "esp");
	map_start(e, false);
	if (want(e, &o[CFG_T_ESP_PROPOSALS]))
		kv_props(e, "proposals", t->esp.proposals, t->esp.n_proposals);
	if (want(e, &o[CFG_T_ESP_LIFETIME]))
		kv_u64(e, "lifetime", t->esp.lifetime_s);
	if (o[CFG_T_ESP_LIFE_BYTES].set || t->esp.life_bytes)
		kv_u64(e, "life-bytes", t->esp.life_bytes);
	if (o[CFG_T_ESP_LIFE_PACKETS].set || t->esp.life_packets)
		kv_u64(e, "life-packets", t->esp.life_packets);
	if (want(e, &o[CFG_T_ESP_MODE]))
		kv(e, "mode", cfg_esp_mode_name(t->esp.mode));
	if (want(e, &o[CFG_T_ESP_DF_BIT]))
		kv(e, "df-bit", cfg_df_bit_name(t->esp.df_bit));
	if (want(e, &o[CFG_T_ESP_REPLAY_WINDOW]))
		kv_u64(e, "replay-window", t->esp.replay_window);
	map_end(e);
}

static void emit_dpd_mss(struct em *e, const struct cfg_tunnel *t)
{
	const struct cfg_origin *o = t->origin;

	if (any_set(e, t, CFG_T_DPD_INTERVAL, CFG_T_DPD_ACTION)) {
		str(e, "dpd");
		map_start(e, true);
		if (want(e, &o[CFG_T_DPD_INTERVAL]))
			kv_u64(e, "interval", t->dpd.interval_s);
		if (want(e, &o[CFG_T_DPD_TIMEOUT]))
			kv_u64(e, "timeout", t->dpd.timeout_s);
		if (want(e, &o[CFG_T_DPD_ACTION]))
			kv(e, "action", cfg_dpd_action_name(t->dpd.action));
		map_end(e);
	}
	if (want(e, &o[CFG_T_START]))
		kv(e, "start", cfg_start_name(t->start));
	if (t->tcp_mss.enabled) {
		str(e, "tcp-mss");
		map_start(e, true);
		if (want(e, &o[CFG_T_TCP_MSS_DIRECTION]))
			kv(e, "direction", cfg_mss_dir_name(t->tcp_mss.direction));
		if (o[CFG_T_TCP_MSS_VALUE].set)
			kv_u64(e, "value", t->tcp_mss.value);
		map_end(e);
	}
}

static void emit_tunnel(struct em *e, const struct cfg_tunnel *t)
{
	const struct cfg_origin *o = t->origin;
	char buf[CIDR_STRLEN];

	map_start(e, false);
	if (t->name)
		kv(e, "name", t->name);
	if (t->description)
		kv(e, "description", t->description);
	if (t->peer_any)
		kv(e, "peer", "%any");
	else if (t->peer.family)
		kv(e, "peer", addr_format(&t->peer, buf, sizeof(buf)));
	if (want(e, &o[CFG_T_LOCAL_ID]) && t->local_id.type != CFG_ID_NONE)
		kv(e, "local-id", t->local_id.text);
	if (want(e, &o[CFG_T_REMOTE_ID]) && t->remote_id.type != CFG_ID_NONE)
		kv(e, "remote-id", t->remote_id.text);
	if (o[CFG_T_PSK].set && t->psk && (e->flags & CFG_EMIT_SECRETS)) {
		/* The key is text we checked to be printable ASCII. */
		char psk[CFG_PSK_MAX + 1];
		size_t n = t->psk->len < CFG_PSK_MAX ? t->psk->len : CFG_PSK_MAX;

		memcpy(psk, t->psk->data, n);
		psk[n] = '\0';
		str(e, "psk");
		str_style(e, psk, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
		secret_wipe(psk, sizeof(psk));
	}
	if (t->psk_file)
		kv(e, "psk-file", t->psk_file);
	if (want(e, &o[CFG_T_TYPE]))
		kv(e, "type", cfg_tunnel_type_name(t->type));
	if (want(e, &o[CFG_T_LOCAL_SUBNETS]))
		kv_cidrs(e, "local-subnets", t->local_subnets, t->n_local_subnets);
	if (o[CFG_T_REMOTE_SUBNETS].set || t->n_remote_subnets)
		kv_cidrs(e, "remote-subnets", t->remote_subnets, t->n_remote_subnets);
	if (t->interface && want(e, &o[CFG_T_INTERFACE]))
		kv(e, "interface", t->interface);
	if (t->local_tunnel_ip.a.family)
		kv(e, "local-tunnel-ip", cidr_format(&t->local_tunnel_ip, buf, sizeof(buf)));
	emit_ike(e, t);
	emit_esp(e, t);
	emit_dpd_mss(e, t);
	map_end(e);
}

int cfg_emit_yaml_flags(const struct cfg *c, FILE *f, unsigned flags)
{
	struct em e = {.flags = flags};
	yaml_event_t event;

	if (!yaml_emitter_initialize(&e.y))
		return IG_ENOMEM;
	yaml_emitter_set_output_file(&e.y, f);
	yaml_emitter_set_unicode(&e.y, 1);
	yaml_emitter_set_width(&e.y, 100);
	ev(&e, &event, yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING));
	ev(&e, &event, yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1));
	map_start(&e, false);
	emit_gateway(&e, &c->gateway);
	emit_log(&e, &c->log);
	if (c->n_tunnels) {
		str(&e, "tunnels");
		seq_start(&e, false);
		for (size_t i = 0; i < c->n_tunnels; i++)
			emit_tunnel(&e, &c->tunnels[i]);
		seq_end(&e);
	}
	map_end(&e);
	ev(&e, &event, yaml_document_end_event_initialize(&event, 1));
	ev(&e, &event, yaml_stream_end_event_initialize(&event));
	if (!e.failed && !yaml_emitter_flush(&e.y))
		e.failed = true;
	/* The emitter's buffers held the PSKs we wrote. */
	if (e.y.buffer.start)
		secret_wipe(e.y.buffer.start, (size_t)(e.y.buffer.end - e.y.buffer.start));
	if (e.y.raw_buffer.start)
		secret_wipe(e.y.raw_buffer.start,
			    (size_t)(e.y.raw_buffer.end - e.y.raw_buffer.start));
	yaml_emitter_delete(&e.y);
	return e.failed ? IG_EIO : 0;
}

int cfg_emit_yaml(const struct cfg *c, FILE *f, bool with_secrets)
{
	return cfg_emit_yaml_flags(c, f, with_secrets ? CFG_EMIT_SECRETS : 0);
}
