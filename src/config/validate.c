/* SPDX-License-Identifier: MIT */
/*
 * The rules of the console (guide, section 3) and PRODUCT.md, checked on the
 * effective values. Every broken rule is reported with its key path; a value
 * the loader already rejected (origin.bad) is left out of the rules that use
 * it, so one mistake gives one message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config/internal.h"

struct vctx {
	const struct cfg *c;
	struct cfg_diag *d;
};

static bool ok(const struct cfg_origin *o)
{
	return !o->bad;
}

static void tpath(char *out, const struct cfg_tunnel *t, const char *key)
{
	snprintf(out, CFG_PATH_MAX, "tunnels[%zu].%s", t->index, key);
}

/* Reports on tunnel t's key (path "tunnels[i].key", line from origin[f]). */
__attribute__((format(printf, 5, 6))) static void tbad(struct vctx *v, const struct cfg_tunnel *t,
						       enum cfg_tunnel_field f, const char *key,
						       const char *fmt, ...)
{
	char path[CFG_PATH_MAX], reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	tpath(path, t, key);
	/* A missing key has no line: point at the tunnel (its name) instead. */
	cfg_diag_add(v->d, t->origin[f].line ? t->origin[f].line : t->origin[CFG_T_NAME].line, path,
		     "%s", reason);
}

/* Names of gateways and tunnels: the console's 1-20 letters, digits, '-', '_'. */
static void check_name(struct cfg_diag *d, const char *name, const char *path, uint32_t line)
{
	char shown[CFG_SHOW_MAX];
	size_t n = strlen(name);

	if (n < 1 || n > CFG_NAME_MAX) {
		cfg_diag_add(d, line, path, "must be 1-%d characters, got %zu", CFG_NAME_MAX, n);
		return;
	}
	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != n)
		cfg_diag_add(d, line, path, "may only hold letters, digits, '-' and '_', got '%s'",
			     cfg_show(name, shown, sizeof(shown)));
}

static void check_desc(struct cfg_diag *d, const char *desc, const char *path, uint32_t line)
{
	size_t n;

	if (desc && (n = cfg_utf8_len(desc)) > CFG_DESC_MAX)
		cfg_diag_add(d, line, path, "must be at most %d characters, got %zu", CFG_DESC_MAX,
			     n);
}

static void check_gateway(struct vctx *v)
{
	const struct cfg_gateway *g = &v->c->gateway;

	if (!g->origin[CFG_G_NAME].set)
		cfg_diag_add(v->d, 0, "gateway.name", "required");
	else if (ok(&g->origin[CFG_G_NAME]) && g->name)
		check_name(v->d, g->name, "gateway.name", g->origin[CFG_G_NAME].line);
	if (ok(&g->origin[CFG_G_DESCRIPTION]))
		check_desc(v->d, g->description, "gateway.description",
			   g->origin[CFG_G_DESCRIPTION].line);
	if (g->origin[CFG_G_BANDWIDTH].set && ok(&g->origin[CFG_G_BANDWIDTH]) &&
	    g->bandwidth_bps == 0)
		cfg_diag_add(v->d, g->origin[CFG_G_BANDWIDTH].line, "gateway.bandwidth",
			     "must be more than 0");
}

static void check_psk(struct vctx *v, const struct cfg_tunnel *t)
{
	bool inline_set = t->origin[CFG_T_PSK].set, file_set = t->origin[CFG_T_PSK_FILE].set;
	enum cfg_tunnel_field f = inline_set ? CFG_T_PSK : CFG_T_PSK_FILE;
	const char *key = inline_set ? "psk" : "psk-file";

	if (inline_set && file_set) {
		tbad(v, t, CFG_T_PSK_FILE, "psk-file", "give psk or psk-file, not both");
		return;
	}
	if (!inline_set && !file_set) {
		tbad(v, t, CFG_T_PSK, "psk", "required (or psk-file)");
		return;
	}
	if (!ok(&t->origin[f]) || !t->psk)
		return;
	if (t->psk->len < CFG_PSK_MIN || t->psk->len > CFG_PSK_MAX) {
		tbad(v, t, f, key, "must be %d-%d characters, got %zu", CFG_PSK_MIN, CFG_PSK_MAX,
		     t->psk->len);
		return;
	}
	/* The position only: a message must never show the key. */
	for (size_t i = 0; i < t->psk->len; i++) {
		if (t->psk->data[i] < 0x20 || t->psk->data[i] > 0x7e) {
			tbad(v, t, f, key, "must be printable ASCII; character %zu is not", i + 1);
			return;
		}
	}
}

static void check_subnets(struct vctx *v, const struct cfg_tunnel *t)
{
	bool lok = ok(&t->origin[CFG_T_LOCAL_SUBNETS]), rok = ok(&t->origin[CFG_T_REMOTE_SUBNETS]);
	char a[CIDR_STRLEN], b[CIDR_STRLEN], key[CFG_PATH_MAX];

	if (t->type == CFG_TYPE_POLICY) {
		if (rok && t->n_remote_subnets == 0)
			tbad(v, t, CFG_T_REMOTE_SUBNETS, "remote-subnets",
			     "required for a policy-based tunnel (type: policy)");
		if (lok && t->n_local_subnets == 0)
			tbad(v, t, CFG_T_LOCAL_SUBNETS, "local-subnets",
			     "required for a policy-based tunnel; set it here or in "
			     "gateway.local-subnets");
		/* Guide section 6: IKEv1 carries one subnet per side in Quick Mode. */
		if (t->ike.version == CFG_IKE_V1 && ok(&t->origin[CFG_T_IKE_VERSION])) {
			if (lok && t->n_local_subnets > 1)
				tbad(v, t, CFG_T_LOCAL_SUBNETS, "local-subnets",
				     "an IKEv1 policy-based tunnel carries one local subnet, got "
				     "%zu; use ike version 2 or one tunnel per subnet pair",
				     t->n_local_subnets);
			if (rok && t->n_remote_subnets > 1)
				tbad(v, t, CFG_T_REMOTE_SUBNETS, "remote-subnets",
				     "an IKEv1 policy-based tunnel carries one remote subnet, got "
				     "%zu; use ike version 2 or one tunnel per subnet pair",
				     t->n_remote_subnets);
		}
	}
	if (!lok || !rok)
		return;
	for (size_t i = 0; i < t->n_remote_subnets; i++) {
		for (size_t j = 0; j < t->n_local_subnets; j++) {
			if (!cidr_overlap(&t->remote_subnets[i], &t->local_subnets[j]))
				continue;
			snprintf(key, sizeof(key), "remote-subnets[%zu]", i);
			tbad(v, t, CFG_T_REMOTE_SUBNETS, key, "%s overlaps local subnet %s",
			     cidr_format(&t->remote_subnets[i], a, sizeof(a)),
			     cidr_format(&t->local_subnets[j], b, sizeof(b)));
			break;
		}
	}
}

/* The console's Local Tunnel IP: a usable host of a /30 in 169.254.0.0/16. */
static bool check_tunnel_ip(struct vctx *v, const struct cfg_tunnel *t)
{
	static const struct cidr link_local = {{AF_INET, {169, 254}}, 16};
	const struct cidr *c = &t->local_tunnel_ip;
	char s[CIDR_STRLEN];
	unsigned host;

	cidr_format(c, s, sizeof(s));
	if (c->a.family != AF_INET) {
		tbad(v, t, CFG_T_LOCAL_TUNNEL_IP, "local-tunnel-ip",
		     "must be an IPv4 address in 169.254.0.0/16, got %s", s);
		return false;
	}
	if (c->plen != 30) {
		tbad(v, t, CFG_T_LOCAL_TUNNEL_IP, "local-tunnel-ip", "must be a /30, got /%u",
		     c->plen);
		return false;
	}
	if (!cidr_contains_addr(&link_local, &c->a)) {
		tbad(v, t, CFG_T_LOCAL_TUNNEL_IP, "local-tunnel-ip",
		     "%s is not inside 169.254.0.0/16", s);
		return false;
	}
	host = c->a.b[3] & 3;
	if (host == 0 || host == 3) {
		tbad(v, t, CFG_T_LOCAL_TUNNEL_IP, "local-tunnel-ip",
		     "%s is the %s address of the /30", s, host ? "broadcast" : "network");
		return false;
	}
	return true;
}

static void check_numbers(struct vctx *v, const struct cfg_tunnel *t)
{
	const struct cfg_origin *o = t->origin;

	if (ok(&o[CFG_T_IKE_LIFETIME]) && t->ike.lifetime_s == 0)
		tbad(v, t, CFG_T_IKE_LIFETIME, "ike.lifetime", "must be more than 0");
	if (ok(&o[CFG_T_ESP_LIFETIME]) && t->esp.lifetime_s == 0)
		tbad(v, t, CFG_T_ESP_LIFETIME, "esp.lifetime", "must be more than 0");
	/* A CHILD SA must be rekeyed before the IKE SA that made it goes. */
	if (ok(&o[CFG_T_ESP_LIFETIME]) && ok(&o[CFG_T_IKE_LIFETIME]) && t->esp.lifetime_s &&
	    t->ike.lifetime_s && t->esp.lifetime_s >= t->ike.lifetime_s)
		tbad(v, t, o[CFG_T_ESP_LIFETIME].set ? CFG_T_ESP_LIFETIME : CFG_T_IKE_LIFETIME,
		     "esp.lifetime", "%u must be less than ike.lifetime %u", t->esp.lifetime_s,
		     t->ike.lifetime_s);
	if (ok(&o[CFG_T_ESP_REPLAY_WINDOW]) && t->esp.replay_window > CFG_REPLAY_MAX)
		tbad(v, t, CFG_T_ESP_REPLAY_WINDOW, "esp.replay-window",
		     "must be 0-%d (0 turns replay protection off), got %u", CFG_REPLAY_MAX,
		     t->esp.replay_window);
	if (ok(&o[CFG_T_DPD_INTERVAL]) && t->dpd.interval_s == 0)
		tbad(v, t, CFG_T_DPD_INTERVAL, "dpd.interval",
		     "must be more than 0 (action: none turns DPD off)");
	else if (ok(&o[CFG_T_DPD_INTERVAL]) && ok(&o[CFG_T_DPD_TIMEOUT]) &&
		 t->dpd.timeout_s <= t->dpd.interval_s)
		tbad(v, t, o[CFG_T_DPD_TIMEOUT].set ? CFG_T_DPD_TIMEOUT : CFG_T_DPD_INTERVAL,
		     "dpd.timeout", "%u must be more than dpd.interval %u", t->dpd.timeout_s,
		     t->dpd.interval_s);
	if (t->tcp_mss.enabled && ok(&o[CFG_T_TCP_MSS_VALUE])) {
		if (!o[CFG_T_TCP_MSS_VALUE].set)
			tbad(v, t, CFG_T_TCP_MSS, "tcp-mss.value",
			     "required when tcp-mss is given");
		else if (t->tcp_mss.value < CFG_MSS_MIN || t->tcp_mss.value > CFG_MSS_MAX)
			tbad(v, t, CFG_T_TCP_MSS_VALUE, "tcp-mss.value", "must be %d-%d, got %u",
			     CFG_MSS_MIN, CFG_MSS_MAX, t->tcp_mss.value);
	}
}

static void check_ifname(struct vctx *v, const struct cfg_tunnel *t)
{
	char shown[CFG_SHOW_MAX];
	size_t n;

	if (!t->interface || !ok(&t->origin[CFG_T_INTERFACE]))
		return;
	n = strlen(t->interface);
	/* Linux: IFNAMSIZ, and no '/', ':' or white space (dev_valid_name()). */
	if (n < 1 || n > CFG_IFNAME_MAX || strpbrk(t->interface, "/: \t\n") ||
	    !strcmp(t->interface, ".") || !strcmp(t->interface, ".."))
		tbad(v, t, CFG_T_INTERFACE, "interface",
		     "'%s' is not an interface name (1-%d characters, no '/', ':' or spaces)",
		     cfg_show(t->interface, shown, sizeof(shown)), CFG_IFNAME_MAX);
}

static void check_tunnel(struct vctx *v, const struct cfg_tunnel *t)
{
	const struct cfg_origin *o = t->origin;

	if (!o[CFG_T_NAME].set)
		tbad(v, t, CFG_T_NAME, "name", "required");
	else if (ok(&o[CFG_T_NAME]) && t->name) {
		char path[CFG_PATH_MAX];

		tpath(path, t, "name");
		check_name(v->d, t->name, path, o[CFG_T_NAME].line);
	}
	if (ok(&o[CFG_T_DESCRIPTION])) {
		char path[CFG_PATH_MAX];

		tpath(path, t, "description");
		check_desc(v->d, t->description, path, o[CFG_T_DESCRIPTION].line);
	}
	if (!o[CFG_T_PEER].set)
		tbad(v, t, CFG_T_PEER, "peer", "required (the peer's IP address, or %%any)");
	if (t->peer_any && o[CFG_T_START].set && t->start == CFG_START_INITIATE)
		tbad(v, t, CFG_T_START, "start", "cannot initiate to peer %%any; use respond");
	check_psk(v, t);
	check_subnets(v, t);
	if (t->type == CFG_TYPE_ROUTE && !o[CFG_T_LOCAL_TUNNEL_IP].set && ok(&o[CFG_T_TYPE]))
		tbad(v, t, CFG_T_LOCAL_TUNNEL_IP, "local-tunnel-ip",
		     "required for a route-based tunnel (type: route)");
	if (o[CFG_T_LOCAL_TUNNEL_IP].set && ok(&o[CFG_T_LOCAL_TUNNEL_IP]))
		check_tunnel_ip(v, t);
	if (t->type == CFG_TYPE_ROUTE)
		check_ifname(v, t);
	check_numbers(v, t);
}

static bool good_tunnel_ip(const struct cfg_tunnel *t)
{
	const struct cidr *c = &t->local_tunnel_ip;

	return t->origin[CFG_T_LOCAL_TUNNEL_IP].set && ok(&t->origin[CFG_T_LOCAL_TUNNEL_IP]) &&
	       c->a.family == AF_INET && c->plen == 30;
}

static bool any_overlap(const struct cidr *a, size_t na, const struct cidr *b, size_t nb)
{
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (cidr_overlap(&a[i], &b[j]))
				return true;
	return false;
}

static bool subnets_ok(const struct cfg_tunnel *t)
{
	return t->type == CFG_TYPE_POLICY && ok(&t->origin[CFG_T_TYPE]) &&
	       ok(&t->origin[CFG_T_LOCAL_SUBNETS]) && ok(&t->origin[CFG_T_REMOTE_SUBNETS]);
}

/*
 * Two policy tunnels whose selectors overlap on both sides would both claim
 * the same packets (RFC 4301 4.4.1: the SPD must be unambiguous). Route
 * tunnels may overlap on purpose (primary and backup, guide section 1.4).
 */
static void check_policy_overlap(struct vctx *v, const struct cfg_tunnel *t,
				 const struct cfg_tunnel *u)
{
	char a[CIDR_STRLEN], b[CIDR_STRLEN], key[CFG_PATH_MAX];

	if (!subnets_ok(t) || !subnets_ok(u) ||
	    !any_overlap(t->local_subnets, t->n_local_subnets, u->local_subnets,
			 u->n_local_subnets))
		return;
	for (size_t i = 0; i < t->n_remote_subnets; i++) {
		for (size_t j = 0; j < u->n_remote_subnets; j++) {
			if (!cidr_overlap(&t->remote_subnets[i], &u->remote_subnets[j]))
				continue;
			snprintf(key, sizeof(key), "remote-subnets[%zu]", i);
			tbad(v, t, CFG_T_REMOTE_SUBNETS, key,
			     "%s overlaps tunnels[%zu].remote-subnets[%zu] %s and the local "
			     "subnets "
			     "overlap too; traffic could match either tunnel",
			     cidr_format(&t->remote_subnets[i], a, sizeof(a)), u->index, j,
			     cidr_format(&u->remote_subnets[j], b, sizeof(b)));
			return;
		}
	}
}

/* Uniqueness across tunnels: names, peers, tunnel IPs and their /30s, interfaces. */
static void check_unique(struct vctx *v, const struct cfg_tunnel *t, const struct cfg_tunnel *u)
{
	char s[CIDR_STRLEN], o[CIDR_STRLEN];

	if (t->name && u->name && ok(&t->origin[CFG_T_NAME]) && ok(&u->origin[CFG_T_NAME]) &&
	    strcmp(t->name, u->name) == 0)
		tbad(v, t, CFG_T_NAME, "name", "\"%s\" is used by tunnels[%zu]",
		     cfg_show(t->name, s, sizeof(s)), u->index);
	if (t->peer.family && !t->peer_any && !u->peer_any && ok(&t->origin[CFG_T_PEER]) &&
	    ok(&u->origin[CFG_T_PEER]) && addr_eq(&t->peer, &u->peer))
		tbad(v, t, CFG_T_PEER, "peer", "%s is used by tunnels[%zu]",
		     addr_format(&t->peer, s, sizeof(s)), u->index);
	if (good_tunnel_ip(t) && good_tunnel_ip(u)) {
		cidr_format(&t->local_tunnel_ip, s, sizeof(s));
		cidr_format(&u->local_tunnel_ip, o, sizeof(o));
		if (addr_eq(&t->local_tunnel_ip.a, &u->local_tunnel_ip.a))
			tbad(v, t, CFG_T_LOCAL_TUNNEL_IP, "local-tunnel-ip",
			     "%s is used by tunnels[%zu]", s, u->index);
		else if (cidr_contains_addr(&u->local_tunnel_ip, &t->local_tunnel_ip.a))
			tbad(v, t, CFG_T_LOCAL_TUNNEL_IP, "local-tunnel-ip",
			     "%s is in the same /30 as tunnels[%zu] (%s)", s, u->index, o);
	}
	if (t->type == CFG_TYPE_ROUTE && u->type == CFG_TYPE_ROUTE && t->interface &&
	    u->interface && strcmp(t->interface, u->interface) == 0)
		tbad(v, t, CFG_T_INTERFACE, "interface", "\"%s\" is used by tunnels[%zu]",
		     cfg_show(t->interface, s, sizeof(s)), u->index);
}

void cfg_validate(const struct cfg *c, struct cfg_diag *d)
{
	struct vctx v = {c, d};

	check_gateway(&v);
	for (size_t i = 0; i < c->n_tunnels; i++) {
		if (c->tunnels[i].unusable)
			continue;
		check_tunnel(&v, &c->tunnels[i]);
		for (size_t j = 0; j < i; j++)
			if (!c->tunnels[j].unusable) {
				check_unique(&v, &c->tunnels[i], &c->tunnels[j]);
				check_policy_overlap(&v, &c->tunnels[i], &c->tunnels[j]);
			}
	}
}
