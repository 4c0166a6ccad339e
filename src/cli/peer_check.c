/* SPDX-License-Identifier: MIT */
/*
 * Both ends of each tunnel, compared before the first packet. Their
 * tunnels are paired with ours by address (our peer = their address or
 * their local ID), then by ID, then by name; a single tunnel on each side
 * is a pair. The checks, in the order they are reported:
 *
 *   addresses   our peer vs their public address, their remote vs ours
 *   version     IKEv1 vs IKEv2
 *   ike         a common IKE proposal
 *   esp         a common ESP proposal, then PFS (one side only / other group)
 *   ids         what each side sends vs what the other expects (NAT: their
 *               private address as ID, guide section 2.2)
 *   selectors   route vs policy; subnets that do not cover each other
 *   ikev1       several subnets in one IKEv1 policy (guide section 6)
 *   vyos        IKEv2 route-based against VyOS 1.4 or older (guide section 6)
 *   start       nobody initiates
 *   mode        tunnel vs transport
 *   psk         the keys differ (constant time; never printed)
 *   lifetime    their ESP lifetime not below their IKE lifetime
 *   dpd         DPD on one side only
 *   mss         advice: inner MTU and TCP MSS for the ESP overhead
 */
#include "cli/peer_check.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "crypto/alg.h"
#include "lib/err.h"

struct pc {
	FILE *out;
	const struct cfg *c;
	const struct imp_peer *p;
	struct peer_check_result *res;
	const char *name;
};

enum sev { SEV_ERROR, SEV_WARNING, SEV_ADVICE };

__attribute__((format(printf, 3, 4))) static void finding(struct pc *x, enum sev s, const char *fmt,
							  ...)
{
	static const char *const names[] = {"error", "warning", "advice"};
	va_list ap;

	fprintf(x->out, "tunnel %s: %s: ", x->name, names[s]);
	va_start(ap, fmt);
	vfprintf(x->out, fmt, ap);
	va_end(ap);
	fputc('\n', x->out);
	if (s == SEV_ERROR)
		x->res->errors++;
	else if (s == SEV_WARNING)
		x->res->warnings++;
	else
		x->res->advice++;
}

/* ---- helpers ---- */

static const char *props_text(const struct proposal *p, size_t n, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 1 < len; i++) {
		char one[PROPOSAL_MAX_TEXT];

		if (proposal_format(&p[i], one, sizeof(one)) != 0)
			snprintf(one, sizeof(one), "?");
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "", one);
	}
	if (used >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
	return buf;
}

static bool u16_common(const uint16_t *a, size_t na, const uint16_t *b, size_t nb)
{
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (a[i] == b[j])
				return true;
	return false;
}

static bool encr_common(const struct proposal *a, const struct proposal *b)
{
	for (size_t i = 0; i < a->n_encr; i++)
		for (size_t j = 0; j < b->n_encr; j++)
			if (a->encr[i].id == b->encr[j].id &&
			    a->encr[i].keybits == b->encr[j].keybits)
				return true;
	return false;
}

static bool esn_common(const struct proposal *a, const struct proposal *b)
{
	static const uint16_t no[1] = {ALG_ESN_NO};
	const uint16_t *ea = a->n_esn ? a->esn : no, *eb = b->n_esn ? b->esn : no;

	return u16_common(ea, a->n_esn ? a->n_esn : 1, eb, b->n_esn ? b->n_esn : 1);
}

/* Same transforms apart from D-H (RFC 7296 2.7: one of each type in common). */
static bool match_no_dh(const struct proposal *a, const struct proposal *b, bool ike)
{
	if (!encr_common(a, b))
		return false;
	if ((a->n_integ || b->n_integ) && !u16_common(a->integ, a->n_integ, b->integ, b->n_integ))
		return false;
	if (ike && !u16_common(a->prf, a->n_prf, b->prf, b->n_prf))
		return false;
	return ike || esn_common(a, b);
}

static bool dh_match(const struct proposal *a, const struct proposal *b)
{
	if (!a->n_dh && !b->n_dh)
		return true;
	return u16_common(a->dh, a->n_dh, b->dh, b->n_dh);
}

static const char *dh_text(const struct proposal *p)
{
	const char *n = p->n_dh ? imp_dh_name(p->dh[0]) : NULL;

	return n ? n : p->n_dh ? "?" : "none";
}

/* IDs: '@' ignored, addresses by value, text case-insensitively (FQDNs). */
static bool id_eq(const char *a, const char *b)
{
	struct addr x, y;

	if (*a == '@')
		a++;
	if (*b == '@')
		b++;
	if (addr_parse(a, &x) == 0 && addr_parse(b, &y) == 0)
		return addr_eq(&x, &y);
	return strcasecmp(a, b) == 0;
}

static bool psk_eq(const struct secret *a, const struct secret *b)
{
	uint8_t acc = 0;

	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		acc |= a->data[i] ^ b->data[i];
	return acc == 0;
}

static const char *our_addr(const struct cfg *c, char *b, size_t n)
{
	const struct cfg_gateway *g = &c->gateway;

	if (g->public_ip.family)
		return addr_format(&g->public_ip, b, n);
	if (g->local_address.family)
		return addr_format(&g->local_address, b, n);
	return NULL;
}

static const char *cidrs_text(const struct cidr *c, size_t n, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 1 < len; i++) {
		char one[CIDR_STRLEN];

		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "",
					 cidr_format(&c[i], one, sizeof(one)));
	}
	if (!n)
		snprintf(buf, len, "none");
	return buf;
}

/* The subnets of a that no subnet of b contains, as text; false if none. */
static bool uncovered(const struct cidr *a, size_t na, const struct cidr *b, size_t nb, char *buf,
		      size_t len)
{
	size_t used = 0;
	bool any = false;

	buf[0] = '\0';
	for (size_t i = 0; i < na; i++) {
		bool in = false;
		char one[CIDR_STRLEN];

		for (size_t j = 0; j < nb && !in; j++)
			in = cidr_contains(&b[j], &a[i]);
		if (in || used + 1 >= len)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", any ? "," : "",
					 cidr_format(&a[i], one, sizeof(one)));
		any = true;
	}
	return any;
}

static const char *tool_local_id(const struct imp_peer *p)
{
	switch (p->fmt) {
	case IMP_FMT_VYOS: return "'authentication local-id'";
	case IMP_FMT_SWANCTL: return "local.id";
	case IMP_FMT_IPSECCONF: return "leftid";
	}
	return "local ID";
}

static const char *tool_remote_id(const struct imp_peer *p)
{
	switch (p->fmt) {
	case IMP_FMT_VYOS: return "'authentication remote-id'";
	case IMP_FMT_SWANCTL: return "remote.id";
	case IMP_FMT_IPSECCONF: return "rightid";
	}
	return "remote ID";
}

/* ---- the checks ---- */

static void check_addresses(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	const char *ours;

	if (!u->peer_any && t->local_addr.family && !imp_addr_private(&t->local_addr) &&
	    !addr_eq(&u->peer, &t->local_addr))
		finding(x, SEV_ERROR, "peer is %s but their address is %s; fix: set peer: %s",
			addr_format(&u->peer, a, sizeof(a)),
			addr_format(&t->local_addr, b, sizeof(b)), b);
	ours = our_addr(x->c, b, sizeof(b));
	if (ours && t->remote_addr.family && !addr_eq(&t->remote_addr, &x->c->gateway.public_ip) &&
	    !addr_eq(&t->remote_addr, &x->c->gateway.local_address))
		finding(x, SEV_ERROR,
			"they connect to %s but this gateway is %s; fix: set their remote address "
			"to %s",
			addr_format(&t->remote_addr, a, sizeof(a)), ours, ours);
}

/* The version both will speak: 1 or 2, 0 if none. */
static int check_version(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	enum cfg_ike_version v = u->ike.version;

	if ((v == CFG_IKE_V2 && t->version == IMP_V1) ||
	    (v == CFG_IKE_V1 && t->version == IMP_V2)) {
		finding(x, SEV_ERROR,
			"IKE version mismatch: ours IKEv%d, theirs IKEv%d; fix: set ike.version: "
			"%d (or IKEv%d on their side)",
			v == CFG_IKE_V2 ? 2 : 1, t->version, t->version, v == CFG_IKE_V2 ? 2 : 1);
		return 0;
	}
	if (t->version == IMP_V1 || (v == CFG_IKE_V1 && t->version != IMP_V2))
		return 1;
	return 2;
}

static void check_ike(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	char a[600], b[600];

	if (t->ike_default) {
		finding(x, SEV_WARNING,
			"their IKE proposals are their tool's defaults and cannot be compared; "
			"fix: write them out on their side (ours: %s)",
			props_text(u->ike.proposals, u->ike.n_proposals, a, sizeof(a)));
		return;
	}
	for (size_t i = 0; i < u->ike.n_proposals; i++)
		for (size_t j = 0; j < t->n_ike; j++)
			if (match_no_dh(&u->ike.proposals[i], &t->ike[j], true) &&
			    dh_match(&u->ike.proposals[i], &t->ike[j]) && u->ike.proposals[i].n_dh)
				return;
	props_text(t->ike, t->n_ike, b, sizeof(b));
	finding(x, SEV_ERROR,
		"no common IKE proposal: ours %s, theirs %s; fix: add %s to ike.proposals",
		props_text(u->ike.proposals, u->ike.n_proposals, a, sizeof(a)), b, b);
}

static void check_esp(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	const struct proposal *pa = NULL, *pb = NULL;
	char a[600], b[600];

	if (t->esp_default) {
		finding(x, SEV_WARNING,
			"their ESP proposals are their tool's defaults and cannot be compared; "
			"fix: write them out on their side (ours: %s)",
			props_text(u->esp.proposals, u->esp.n_proposals, a, sizeof(a)));
		return;
	}
	for (size_t i = 0; i < u->esp.n_proposals; i++)
		for (size_t j = 0; j < t->n_esp; j++) {
			if (!match_no_dh(&u->esp.proposals[i], &t->esp[j], false))
				continue;
			if (dh_match(&u->esp.proposals[i], &t->esp[j]))
				return;
			if (!pa) {
				pa = &u->esp.proposals[i];
				pb = &t->esp[j];
			}
		}
	if (!pa) {
		props_text(t->esp, t->n_esp, b, sizeof(b));
		finding(x, SEV_ERROR,
			"no common ESP proposal: ours %s, theirs %s; fix: add %s to esp.proposals",
			props_text(u->esp.proposals, u->esp.n_proposals, a, sizeof(a)), b, b);
		return;
	}
	/* RFC 7296 1.3.1: the first CHILD SA has no D-H; the first rekey fails. */
	if (pa->n_dh && !pb->n_dh)
		finding(x, SEV_ERROR,
			"PFS on our side only (%s), not theirs: the first CHILD SA rekey fails; "
			"fix: remove -%s from esp.proposals, or turn PFS on at their side with "
			"group %s",
			dh_text(pa), dh_text(pa), dh_text(pa));
	else if (!pa->n_dh && pb->n_dh)
		finding(x, SEV_ERROR,
			"PFS on their side only (%s), not ours: the first CHILD SA rekey fails; "
			"fix: add -%s to esp.proposals",
			dh_text(pb), dh_text(pb));
	else
		finding(x, SEV_ERROR,
			"PFS group differs: ours %s, theirs %s: the first CHILD SA rekey fails; "
			"fix: use -%s in esp.proposals",
			dh_text(pa), dh_text(pb), dh_text(pb));
}

static void check_ids(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	char sent[IMP_ID_MAX] = "", a[ADDR_STRLEN];
	const char *ours_sent = u->local_id.text;

	/* What they send: their local ID, else their own address. */
	if (t->local_id[0])
		snprintf(sent, sizeof(sent), "%s", t->local_id);
	else if (t->local_addr.family)
		addr_format(&t->local_addr, sent, sizeof(sent));
	if (sent[0] && u->remote_id.type != CFG_ID_ANY && u->remote_id.text &&
	    !id_eq(sent, u->remote_id.text)) {
		if (!t->local_id[0] && imp_addr_private(&t->local_addr))
			finding(x, SEV_ERROR,
				"they send their private address %s as ID (no %s, they are "
				"behind a NAT) but remote-id is %s; fix: set %s %s on their side, "
				"or remote-id: %s",
				sent, tool_local_id(x->p), u->remote_id.text, tool_local_id(x->p),
				u->remote_id.text, sent);
		else
			finding(x, SEV_ERROR,
				"they send ID %s but remote-id is %s; fix: set remote-id: %s (or "
				"their %s to %s)",
				sent, u->remote_id.text, sent, tool_local_id(x->p),
				u->remote_id.text);
	}
	/* What they expect from us. */
	if (!ours_sent)
		ours_sent = our_addr(x->c, a, sizeof(a));
	if (ours_sent && t->remote_id[0] && !t->remote_id_any && !id_eq(ours_sent, t->remote_id))
		finding(x, SEV_ERROR,
			"we send ID %s but they expect %s; fix: set local-id: %s (or their %s to "
			"%s)",
			ours_sent, t->remote_id, t->remote_id, tool_remote_id(x->p), ours_sent);
}

static void check_selectors(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	char a[400], b[400], c[400];

	if ((u->type == CFG_TYPE_ROUTE) != t->route) {
		if (t->route)
			finding(x, SEV_ERROR,
				"route-based on their side (0.0.0.0/0 selectors), policy-based on "
				"ours (%s === %s): traffic outside the narrowed selectors is "
				"dropped; fix: set type: route with a local-tunnel-ip, or make "
				"theirs policy-based",
				cidrs_text(u->local_subnets, u->n_local_subnets, a, sizeof(a)),
				cidrs_text(u->remote_subnets, u->n_remote_subnets, b, sizeof(b)));
		else
			finding(x, SEV_ERROR,
				"route-based on our side (0.0.0.0/0 selectors), policy-based on "
				"theirs (%s === %s): traffic outside the narrowed selectors is "
				"dropped; fix: set type: policy with local-subnets %s and "
				"remote-subnets %s",
				cidrs_text(t->local_nets, t->n_local_nets, a, sizeof(a)),
				cidrs_text(t->remote_nets, t->n_remote_nets, b, sizeof(b)), b, a);
		return;
	}
	if (u->type == CFG_TYPE_ROUTE)
		return;
	if (uncovered(t->local_nets, t->n_local_nets, u->remote_subnets, u->n_remote_subnets, c,
		      sizeof(c)))
		finding(x, SEV_ERROR,
			"their local subnet %s is not in remote-subnets (%s): its traffic is not "
			"carried; fix: add %s to remote-subnets",
			c, cidrs_text(u->remote_subnets, u->n_remote_subnets, a, sizeof(a)), c);
	if (uncovered(u->remote_subnets, u->n_remote_subnets, t->local_nets, t->n_local_nets, c,
		      sizeof(c)))
		finding(x, SEV_ERROR,
			"remote-subnets %s is not among their local subnets (%s): one-way "
			"traffic; fix: remove it from remote-subnets, or add it to their local "
			"subnets",
			c, cidrs_text(t->local_nets, t->n_local_nets, a, sizeof(a)));
	if (uncovered(t->remote_nets, t->n_remote_nets, u->local_subnets, u->n_local_subnets, c,
		      sizeof(c)))
		finding(x, SEV_ERROR,
			"their remote subnet %s is not in local-subnets (%s): its traffic is not "
			"carried; fix: add %s to local-subnets",
			c, cidrs_text(u->local_subnets, u->n_local_subnets, a, sizeof(a)), c);
	if (uncovered(u->local_subnets, u->n_local_subnets, t->remote_nets, t->n_remote_nets, c,
		      sizeof(c)))
		finding(x, SEV_ERROR,
			"local-subnets %s is not among their remote subnets (%s): one-way "
			"traffic; fix: remove it from local-subnets, or add it to their remote "
			"subnets",
			c, cidrs_text(t->remote_nets, t->n_remote_nets, a, sizeof(a)));
}

static void check_ikev1_nets(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	if (u->type == CFG_TYPE_ROUTE || t->route)
		return;
	if (t->multi_subnet_policy || u->n_local_subnets > 1 || u->n_remote_subnets > 1)
		finding(x, SEV_ERROR,
			"IKEv1 carries one subnet pair per policy (guide section 6), this tunnel "
			"has %zu local and %zu remote subnets; fix: use ike.version: 2 on both "
			"sides, or one tunnel per subnet pair",
			u->n_local_subnets, u->n_remote_subnets);
}

static void check_vyos(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	if (x->p->fmt != IMP_FMT_VYOS || x->p->vyos_version > 14 ||
	    (u->type != CFG_TYPE_ROUTE && !t->route))
		return;
	finding(x, SEV_ERROR,
		"IKEv2 route-based (VTI) does not come up with VyOS 1.4 or older (guide section "
		"6; their version: %s); fix: make the tunnel policy-based (type: policy, VyOS "
		"'tunnel N' prefixes), or use IKEv1",
		x->p->vyos_how);
}

static void check_start(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	if (u->start == CFG_START_RESPOND && !t->initiate)
		finding(x, SEV_ERROR,
			"neither side initiates (ours start: respond, theirs only responds); fix: "
			"set start: initiate, or make them initiate");
	if (u->esp.mode == CFG_MODE_TRANSPORT && !t->transport)
		finding(x, SEV_ERROR,
			"ESP mode differs: ours transport, theirs tunnel; fix: set "
			"esp.mode: tunnel");
	else if (u->esp.mode == CFG_MODE_TUNNEL && t->transport)
		finding(x, SEV_ERROR,
			"ESP mode differs: ours tunnel, theirs transport; fix: use "
			"tunnel mode on their side");
}

static void check_psk(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	if (!t->psk)
		finding(x, SEV_WARNING,
			"their pre-shared key is not in the files read and cannot be compared; "
			"fix: give their secrets file (--secrets FILE) or compare by hand");
	else if (u->psk && !psk_eq(u->psk, t->psk))
		finding(x, SEV_ERROR,
			"the pre-shared keys differ; fix: set the same psk on both "
			"sides");
}

static void check_timers(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	bool ours = u->dpd.action != CFG_DPD_NONE;

	if (t->esp_lifetime >= t->ike_lifetime)
		finding(x, SEV_WARNING,
			"their ESP lifetime %u s is not below their IKE lifetime %u s: the CHILD "
			"SA outlives the IKE SA that must rekey it; fix: set their ESP lifetime "
			"below %u s (ours: %u s)",
			t->esp_lifetime, t->ike_lifetime, t->ike_lifetime, u->esp.lifetime_s);
	if (ours && !t->dpd)
		finding(x, SEV_WARNING,
			"DPD on our side only (every %u s): they do not notice when we are gone; "
			"fix: turn on dead peer detection at their side (interval %u s)",
			u->dpd.interval_s, u->dpd.interval_s);
	else if (!ours && t->dpd)
		finding(x, SEV_WARNING,
			"DPD on their side only (every %u s): we do not notice when they are "
			"gone; fix: set dpd: { interval: %u, timeout: %u, action: restart }",
			t->dpd_interval, t->dpd_interval, t->dpd_timeout);
}

/* ESP overhead (RFC 4303 2, RFC 3948 2.2) for our first ESP proposal's first algorithms. */
static void check_mss(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	const struct proposal *p = u->esp.n_proposals ? &u->esp.proposals[0] : NULL;
	unsigned outer, iv = 8, icv = 16, block = 4, mtu, mss;
	bool natt = true;
	char a[PROPOSAL_MAX_TEXT];

	if (!p || !p->n_encr)
		return;
	/* ipsecgw's peers (strongSwan's libipsec, VyOS behind NAT) use UDP 4500. */
	if (t->local_addr.family && !imp_addr_private(&t->local_addr) && !u->peer_any &&
	    addr_eq(&u->peer, &t->local_addr))
		natt = false;
	outer = (u->peer.family == AF_INET6 ? 40 : 20) + (natt ? 8 : 0) + 8;
	switch (p->encr[0].id) {
	case ALG_ENCR_AES_CBC: iv = 16, block = 16; break;
	case ALG_ENCR_AES_GCM_8: icv = 8; break;
	case ALG_ENCR_AES_GCM_12: icv = 12; break;
	default: break;
	}
	if (p->n_integ) {
		switch (p->integ[0]) {
		case ALG_INTEG_HMAC_SHA1_96: icv = 12; break;
		case ALG_INTEG_HMAC_SHA2_384_192: icv = 24; break;
		case ALG_INTEG_HMAC_SHA2_512_256: icv = 32; break;
		default: icv = 16; break;
		}
	}
	mtu = (1500 - outer - iv - icv) / block * block - 2;
	mss = mtu - (u->peer.family == AF_INET6 ? 60 : 40);
	if (u->tcp_mss.enabled && u->tcp_mss.value <= mss)
		return;
	if (proposal_format(p, a, sizeof(a)) != 0)
		snprintf(a, sizeof(a), "?");
	finding(x, SEV_ADVICE,
		"%s%s leaves an inner MTU of %u bytes on a 1500-byte path, TCP MSS %u%s; fix: "
		"set tcp-mss: { direction: both, value: %u } (and MTU %u on their tunnel "
		"interface)",
		a, natt ? " in UDP 4500" : "", mtu, mss,
		u->tcp_mss.enabled ? " (tcp-mss is higher)" : "", mss, mtu);
}

static void check_pair(struct pc *x, const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	int v;

	x->name = u->name;
	check_addresses(x, u, t);
	v = check_version(x, u, t);
	check_ike(x, u, t);
	check_esp(x, u, t);
	check_ids(x, u, t);
	check_selectors(x, u, t);
	if (v == 1)
		check_ikev1_nets(x, u, t);
	if (v == 2)
		check_vyos(x, u, t);
	check_start(x, u, t);
	check_psk(x, u, t);
	check_timers(x, u, t);
	check_mss(x, u, t);
}

/* ---- pairing ---- */

static bool same_peer(const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	struct addr id;

	if (u->peer_any)
		return false;
	if (t->local_addr.family && addr_eq(&u->peer, &t->local_addr))
		return true;
	return addr_parse(t->local_id, &id) == 0 && addr_eq(&u->peer, &id);
}

static bool same_id(const struct cfg_tunnel *u, const struct imp_tunnel *t)
{
	return t->local_id[0] && u->remote_id.text && id_eq(u->remote_id.text, t->local_id);
}

int peer_check(const struct cfg *ours, const struct imp_peer *theirs, FILE *out,
	       struct peer_check_result *res)
{
	struct pc x = {out, ours, theirs, res, NULL};
	bool used[IMP_MAX_TUNNELS] = {false};
	const struct cfg_tunnel *pair[IMP_MAX_TUNNELS] = {NULL};

	memset(res, 0, sizeof(*res));
	for (int pass = 0; pass < 4; pass++) {
		for (size_t i = 0; i < theirs->n && i < IMP_MAX_TUNNELS; i++) {
			for (size_t j = 0; j < ours->n_tunnels && !pair[i]; j++) {
				const struct cfg_tunnel *u = &ours->tunnels[j];
				bool hit = false, taken = false;

				for (size_t k = 0; k < theirs->n && k < IMP_MAX_TUNNELS; k++)
					taken |= pair[k] == u;
				if (taken)
					continue;
				if (pass == 0)
					hit = same_peer(u, &theirs->t[i]);
				else if (pass == 1)
					hit = same_id(u, &theirs->t[i]);
				else if (pass == 2)
					hit = !strcmp(u->name, theirs->t[i].name);
				else
					hit = ours->n_tunnels == 1 && theirs->n == 1;
				if (hit)
					pair[i] = u;
			}
		}
	}
	for (size_t i = 0; i < theirs->n && i < IMP_MAX_TUNNELS; i++) {
		if (!pair[i])
			continue;
		used[i] = true;
		res->pairs++;
		check_pair(&x, pair[i], &theirs->t[i]);
	}
	for (size_t i = 0; i < theirs->n && i < IMP_MAX_TUNNELS; i++) {
		char a[ADDR_STRLEN];

		if (used[i])
			continue;
		x.name = theirs->t[i].name;
		finding(&x, res->pairs ? SEV_WARNING : SEV_ERROR,
			"their connection %s (address %s, ID %s) matches none of our tunnels; fix: "
			"add one ('ipsecgw import --from %s %s' prints it)",
			theirs->t[i].name,
			theirs->t[i].local_addr.family
				? addr_format(&theirs->t[i].local_addr, a, sizeof(a))
				: "unknown",
			theirs->t[i].local_id[0] ? theirs->t[i].local_id : "not set",
			imp_fmt_name(theirs->fmt), theirs->source);
	}
	return ferror(out) ? IG_EIO : 0;
}
