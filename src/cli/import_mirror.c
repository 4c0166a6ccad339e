/* SPDX-License-Identifier: MIT */
/*
 * 'ipsecgw import': the peer's tunnels mirrored into our configuration.
 * Their local address/ID/subnets become our peer/remote-id/remote-subnets
 * and the other way round; if they initiate we respond and the other way
 * round. The YAML is written as text, loaded and validated by config/ like
 * any file (so what we print passes 'ipsecgw check'), and printed by the
 * config emitter (config/yaml_emit.c). Whatever had to be guessed is a
 * placeholder, listed with every note at the top, never silent.
 *
 * Our peer address is their PUBLIC address, which their file often does
 * not hold (behind a NAT their address is private): taken from their local
 * address if that is public, else from their local ID if that is a public
 * IP (the guide's VyOS: 'authentication id' is the NAT's address), else
 * '%any' when they initiate (we answer whoever authenticates with their
 * ID), else the placeholder 192.0.2.1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/import.h"
#include "config/config.h"
#include "lib/err.h"

#define PLACEHOLDER_PEER "192.0.2.1"
#define PLACEHOLDER_PSK	 "CHANGE-ME-placeholder-psk"
#define PLACEHOLDER_TIP	 "169.254.0.1/30"

struct mirror {
	const struct imp_peer *p;
	FILE *y;      /* the YAML text we build */
	char **extra; /* placeholders and notes of our own */
	size_t n_extra;
	bool oom;
};

__attribute__((format(printf, 2, 3))) static void extra(struct mirror *m, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL, **n;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s || !(n = realloc(m->extra, (m->n_extra + 1) * sizeof(*n)))) {
		free(s);
		m->oom = true;
		return;
	}
	m->extra = n;
	n[m->n_extra++] = s;
}

/* A YAML double-quoted scalar. */
static void yq(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch > 0x7e)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void ys(FILE *f, const char *s)
{
	yq(f, s, strlen(s));
}

static void our_name(const struct imp_peer *p, size_t i, char *out, size_t len)
{
	const char *s = p->t[i].name;
	size_t n = 0;

	for (; *s && n < CFG_NAME_MAX && n + 1 < len; s++) {
		char ch = *s;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			ch = '-';
		out[n++] = ch;
	}
	out[n] = '\0';
	if (!n)
		snprintf(out, len, "peer");
	/* Unique among the tunnels before it. */
	for (size_t j = 0; j < i; j++) {
		char other[CFG_NAME_MAX + 1];

		our_name(p, j, other, sizeof(other));
		if (!strcmp(other, out)) {
			char tail[8];

			snprintf(tail, sizeof(tail), "-%zu", i + 1);
			out[CFG_NAME_MAX - strlen(tail) < n ? CFG_NAME_MAX - strlen(tail) : n] =
				'\0';
			strncat(out, tail, len - strlen(out) - 1);
			break;
		}
	}
}

static void nets(FILE *f, const char *key, const struct cidr *c, size_t n)
{
	char b[CIDR_STRLEN];

	fprintf(f, "    %s: [", key);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", cidr_format(&c[i], b, sizeof(b)));
	fputs("]\n", f);
}

static void props(FILE *f, const struct proposal *p, size_t n)
{
	char b[PROPOSAL_MAX_TEXT];

	fputs("[", f);
	for (size_t i = 0; i < n; i++)
		if (proposal_format(&p[i], b, sizeof(b)) == 0)
			fprintf(f, "%s%s", i ? ", " : "", b);
	fputs("]", f);
}

static bool ip_literal(const char *s, struct addr *a)
{
	return s[0] && addr_parse(s, a) == 0;
}

static void peer_and_ids(struct mirror *m, const struct imp_tunnel *t, const char *name,
			 bool *we_respond)
{
	FILE *f = m->y;
	char their_id[IMP_ID_MAX] = "", b[ADDR_STRLEN], c[ADDR_STRLEN];
	struct addr id_ip;

	if (t->local_id[0])
		snprintf(their_id, sizeof(their_id), "%s", t->local_id);
	else if (t->local_addr.family)
		addr_format(&t->local_addr, their_id, sizeof(their_id));
	if (t->local_addr.family && !imp_addr_private(&t->local_addr)) {
		fprintf(f, "    peer: %s\n", addr_format(&t->local_addr, b, sizeof(b)));
	} else if (ip_literal(t->local_id, &id_ip) && !imp_addr_private(&id_ip)) {
		fprintf(f, "    peer: %s\n", addr_format(&id_ip, b, sizeof(b)));
		extra(m,
		      "tunnel %s: peer %s is their local ID; their own address (%s) is private: "
		      "they are behind a NAT",
		      name, b,
		      t->local_addr.family ? addr_format(&t->local_addr, c, sizeof(c)) : "unknown");
	} else if (t->initiate) {
		fprintf(f, "    peer: \"%%any\"\n");
		*we_respond = true;
		extra(m,
		      "tunnel %s: PLACEHOLDER peer %%any: their public address is not in their "
		      "configuration; ipsecgw answers whoever authenticates as the remote-id (set "
		      "peer to their public address to let ipsecgw initiate too)",
		      name);
	} else {
		fprintf(f, "    peer: %s\n", PLACEHOLDER_PEER);
		extra(m,
		      "tunnel %s: PLACEHOLDER peer %s: their public address is not in their "
		      "configuration and they do not initiate; set it",
		      name, PLACEHOLDER_PEER);
	}
	if (their_id[0]) {
		fputs("    remote-id: ", f);
		ys(f, their_id);
		fputc('\n', f);
	} else {
		fputs("    remote-id: \"%any\"\n", f);
		extra(m,
		      "tunnel %s: remote-id %%any: their ID and address are not in their "
		      "configuration",
		      name);
	}
	if (t->remote_id[0] && !t->remote_id_any) {
		fputs("    local-id: ", f);
		ys(f, t->remote_id);
		fputc('\n', f);
	}
}

static void psk(struct mirror *m, const struct imp_tunnel *t, const char *name)
{
	bool ok = t->psk && t->psk->len >= CFG_PSK_MIN && t->psk->len <= CFG_PSK_MAX;

	for (size_t i = 0; ok && i < t->psk->len; i++)
		ok = t->psk->data[i] >= 0x20 && t->psk->data[i] <= 0x7e;
	fputs("    psk: ", m->y);
	if (ok) {
		yq(m->y, (const char *)t->psk->data, t->psk->len);
	} else {
		ys(m->y, PLACEHOLDER_PSK);
		extra(m, "tunnel %s: PLACEHOLDER psk: %s", name,
		      !t->psk ? "their PSK is not in the files read"
			      : "their PSK is not 8-40 printable characters, as ipsecgw requires");
	}
	fputc('\n', m->y);
}

static void selectors(struct mirror *m, const struct imp_tunnel *t, const char *name)
{
	FILE *f = m->y;
	char b[CIDR_STRLEN];

	if (!t->route) {
		fputs("    type: policy\n", f);
		nets(f, "local-subnets", t->remote_nets, t->n_remote_nets);
		nets(f, "remote-subnets", t->local_nets, t->n_local_nets);
		return;
	}
	fputs("    type: route\n", f);
	fprintf(f, "    interface: %s\n", t->vti_if[0] ? t->vti_if : "vti1");
	if (t->vti_addr.a.family == AF_INET && t->vti_addr.plen == 30) {
		struct cidr ours = {.plen = 30};

		if (cidr_p2p_peer(&t->vti_addr, &ours.a) == 0) {
			fprintf(f, "    local-tunnel-ip: %s\n", cidr_format(&ours, b, sizeof(b)));
			goto routes;
		}
	}
	if (t->vti_next_hop.family == AF_INET) {
		struct cidr ours = {t->vti_next_hop, 30};

		fprintf(f, "    local-tunnel-ip: %s\n", cidr_format(&ours, b, sizeof(b)));
		extra(m, "tunnel %s: local-tunnel-ip from their static route's next hop", name);
		goto routes;
	}
	fprintf(f, "    local-tunnel-ip: %s\n", PLACEHOLDER_TIP);
	extra(m,
	      "tunnel %s: PLACEHOLDER local-tunnel-ip %s: their VTI address is not in their "
	      "configuration",
	      name, PLACEHOLDER_TIP);
routes:
	if (t->n_remote_nets)
		nets(f, "local-subnets", t->remote_nets, t->n_remote_nets);
	extra(m,
	      "tunnel %s: route-based: the networks behind them are not in their VPN "
	      "configuration; add them as remote-subnets",
	      name);
}

static void ike_esp(struct mirror *m, const struct imp_tunnel *t, const char *name)
{
	FILE *f = m->y;

	fputs("    ike:\n", f);
	if (t->version == IMP_V_ANY)
		extra(m, "tunnel %s: they accept IKEv1 and IKEv2 and initiate IKEv2: version 2",
		      name);
	fprintf(f, "      version: %s\n", t->version == IMP_V1 ? "1" : "2");
	if (t->n_ike) {
		fputs("      proposals: ", f);
		props(f, t->ike, t->n_ike);
		fputc('\n', f);
	} else {
		extra(m,
		      "tunnel %s: they list no IKE proposal (their tool's defaults): ipsecgw's "
		      "default aes256-sha256-modp1024 is used",
		      name);
	}
	fprintf(f, "      lifetime: %u\n", t->ike_lifetime);
	if (t->version != IMP_V1)
		fprintf(f, "      reauth: %s\n", t->reauth ? "true" : "false");
	fputs("    esp:\n", f);
	if (t->n_esp) {
		fputs("      proposals: ", f);
		props(f, t->esp, t->n_esp);
		fputc('\n', f);
	} else {
		extra(m,
		      "tunnel %s: they list no ESP proposal (their tool's defaults): ipsecgw's "
		      "default aes256-sha256-modp1024 is used",
		      name);
	}
	if (t->esp_lifetime && t->esp_lifetime < t->ike_lifetime)
		fprintf(f, "      lifetime: %u\n", t->esp_lifetime);
	else
		extra(m,
		      "tunnel %s: their ESP lifetime %u s is not below their IKE lifetime %u s; "
		      "ipsecgw keeps its default esp.lifetime 3600",
		      name, t->esp_lifetime, t->ike_lifetime);
	if (t->transport)
		fputs("      mode: transport\n", f);
}

static void dpd_start(struct mirror *m, const struct imp_tunnel *t, const char *name,
		      bool we_respond)
{
	FILE *f = m->y;

	if (!t->dpd || t->dpd_action == CFG_DPD_NONE) {
		fputs("    dpd: { action: none }\n", f);
		extra(m,
		      "tunnel %s: they have no dead peer detection: dpd action none (turn it "
		      "on at both ends)",
		      name);
	} else {
		uint32_t timeout =
			t->dpd_timeout > t->dpd_interval ? t->dpd_timeout : t->dpd_interval * 4;

		if (timeout != t->dpd_timeout)
			extra(m, "tunnel %s: their DPD timeout %u s is not above the interval: %u",
			      name, t->dpd_timeout, timeout);
		fprintf(f, "    dpd: { interval: %u, timeout: %u, action: %s }\n",
			t->dpd_interval ? t->dpd_interval : 1, timeout,
			cfg_dpd_action_name(t->dpd_action));
	}
	fprintf(f, "    start: %s\n", we_respond || t->initiate ? "respond" : "initiate");
	if (t->mss >= CFG_MSS_MIN && t->mss <= CFG_MSS_MAX)
		fprintf(f, "    tcp-mss: { direction: both, value: %u }\n", t->mss);
	else if (t->mss)
		extra(m, "tunnel %s: their adjust-mss %u is outside %d-%d: not mapped", name,
		      t->mss, CFG_MSS_MIN, CFG_MSS_MAX);
}

static void build(struct mirror *m)
{
	const struct imp_peer *p = m->p;
	FILE *f = m->y;
	char b[ADDR_STRLEN];
	const struct addr *ours = NULL;

	for (size_t i = 0; i < p->n && !ours; i++)
		if (p->t[i].remote_addr.family)
			ours = &p->t[i].remote_addr;
	fputs("gateway:\n  name: imported\n", f);
	if (ours) {
		addr_format(ours, b, sizeof(b));
		fprintf(f, "  local-address: %s\n  public-ip: %s\n", b, b);
	} else {
		extra(m, "gateway: their configuration does not name our address: set "
			 "gateway.local-address and public-ip");
	}
	fputs("tunnels:\n", f);
	for (size_t i = 0; i < p->n; i++) {
		const struct imp_tunnel *t = &p->t[i];
		char name[CFG_NAME_MAX + 1];
		bool we_respond = false;

		our_name(p, i, name, sizeof(name));
		fprintf(f, "  - name: %s\n", name);
		fputs("    description: ", f);
		{
			char d[IMP_NAME_MAX + 64];

			snprintf(d, sizeof(d), "imported from %s %s", imp_fmt_name(p->fmt),
				 t->name);
			ys(f, d);
		}
		fputc('\n', f);
		if (ours && t->remote_addr.family && !addr_eq(ours, &t->remote_addr))
			extra(m, "tunnel %s: they reach us at %s, not at gateway.local-address",
			      name, addr_format(&t->remote_addr, b, sizeof(b)));
		peer_and_ids(m, t, name, &we_respond);
		psk(m, t, name);
		selectors(m, t, name);
		ike_esp(m, t, name);
		dpd_start(m, t, name, we_respond);
	}
}

static void list(FILE *out, FILE *errf, const char *prefix, char *const *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "#   %s\n", l[i]);
		if (errf)
			fprintf(errf, "ipsecgw import: %s%s\n", prefix, l[i]);
	}
}

int imp_write_yaml(const struct imp_peer *p, FILE *out, FILE *errf)
{
	struct mirror m = {.p = p};
	struct cfg *c = NULL;
	struct cfg_diag d;
	char *text = NULL;
	size_t len = 0;
	int r;

	cfg_diag_init(&d);
	if (!(m.y = open_memstream(&text, &len)))
		return IG_ENOMEM;
	build(&m);
	if (fclose(m.y) != 0 || m.oom) {
		r = IG_ENOMEM;
		goto out;
	}
	if (cfg_load_string(text, len, "imported.yaml", &c, &d) != 0) {
		if (errf) {
			for (size_t i = 0; i < cfg_diag_count(&d); i++)
				fprintf(errf,
					"ipsecgw import: the mirrored configuration is not valid: "
					"%s\n",
					cfg_diag_msg(&d, i));
			for (size_t i = 0; i < m.n_extra; i++)
				fprintf(errf, "ipsecgw import: %s\n", m.extra[i]);
			for (size_t i = 0; i < p->n_notes; i++)
				fprintf(errf, "ipsecgw import: %s\n", p->notes[i]);
		}
		r = IG_EINVAL;
		goto out;
	}
	fprintf(out,
		"# ipsecgw configuration imported by 'ipsecgw import --from %s %s':\n"
		"# the peer's tunnels mirrored (their local side is our remote side).\n"
		"# Verify it with 'ipsecgw check' and 'ipsecgw check --peer %s'.\n",
		imp_fmt_name(p->fmt), p->source, p->source);
	if (m.n_extra) {
		fputs("#\n# Placeholders and choices (replace every PLACEHOLDER):\n", out);
		list(out, errf, "", m.extra, m.n_extra);
	}
	if (p->n_notes) {
		fputs("#\n# Not mapped from their configuration:\n", out);
		list(out, errf, "", p->notes, p->n_notes);
	}
	r = cfg_emit_yaml_flags(c, out, CFG_EMIT_SECRETS);
	if (r == 0 && ferror(out))
		r = IG_EIO;
out:
	if (text) {
		secret_wipe(text, len);
		free(text);
	}
	for (size_t i = 0; i < m.n_extra; i++)
		free(m.extra[i]);
	free(m.extra);
	cfg_free(c);
	cfg_diag_free(&d);
	return r;
}
