/* SPDX-License-Identifier: MIT */
/*
 * VyOS 'set' commands (configuration mode), as the guide's section 4.1
 * writes them (VyOS 1.3 syntax: peer named by its address,
 * 'ipsec-interfaces', 'authentication id' and 'authentication
 * pre-shared-secret') and as VyOS 1.4 documents them ('IPsec site-to-site':
 * peer NAME remote-address, 'authentication local-id/remote-id',
 * 'authentication psk NAME id/secret'). Also read: 'interfaces vti',
 * 'protocols static route ... next-hop' (route-based), 'firewall options
 * interface ... adjust-mss'. Defaults are VyOS's: key-exchange ikev1, IKE
 * lifetime 28800 s, ESP lifetime 3600 s, pfs enable (the IKE group), IKE
 * dh-group 2, no DPD, connection-type respond.
 *
 * The peer's VyOS version (guide section 6) comes from a comment line
 * '# vyos 1.3' (1.4, 1.5, ...) if there is one, else from the syntax.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/import.h"
#include "lib/err.h"

#define VY_WORDS   16
#define VY_NAME	   64
#define VY_GROUPS  16
#define VY_PEERS   IMP_MAX_TUNNELS
#define VY_TUNS	   8
#define VY_ROUTES  32
#define VY_VTIS	   16
#define VY_PSKS	   16
#define VY_PSK_IDS 4

struct vy_prop {
	bool used;
	char enc[32], hash[32], prf[32];
	unsigned dh;
	uint32_t line;
};

struct vy_group {
	char name[VY_NAME];
	bool esp;
	uint32_t line, lifetime;
	bool lifetime_set, transport, reauth, dpd, dpd_action_set;
	int pfs; /* -1 enable (the IKE group; VyOS's default), 0 disable, N the group */
	bool pfs_set;
	int kx; /* 0 unset, 1, 2 */
	uint32_t dpd_interval, dpd_timeout;
	enum cfg_dpd_action dpd_action;
	struct vy_prop prop[IMP_MAX_PROPS + 1]; /* by number, 1..IMP_MAX_PROPS */
};

struct vy_psk {
	char name[VY_NAME];
	char ids[VY_PSK_IDS][IMP_ID_MAX];
	size_t n_ids;
	struct secret *secret;
};

struct vy_tun {
	unsigned num;
	char esp[VY_NAME];
	struct cidr l[IMP_MAX_NETS], r[IMP_MAX_NETS];
	size_t nl, nr;
};

struct vy_peer {
	char name[VY_NAME];
	uint32_t line;
	char local_id[IMP_ID_MAX], remote_id[IMP_ID_MAX];
	char local_addr[VY_NAME], remote_addr[VY_NAME];
	struct secret *psk; /* 1.3: authentication pre-shared-secret */
	int conn;	    /* 0 unset, 1 initiate, 2 respond, 3 none */
	int reauth;	    /* -1 inherit, 0 no, 1 yes */
	char ike[VY_NAME], def_esp[VY_NAME], vti_esp[VY_NAME], vti_if[16];
	bool vti;
	struct vy_tun tun[VY_TUNS];
	size_t n_tun;
};

struct vy_route {
	struct cidr dst;
	struct addr nh;
	uint32_t line;
};

struct vy_vti {
	char name[16];
	struct cidr addr;
	uint16_t mss;
	uint32_t line; /* first line naming it */
	bool bound;    /* some peer's 'vti bind' */
};

struct vy {
	struct imp_peer *p;
	struct vy_group groups[VY_GROUPS];
	size_t n_groups;
	struct vy_peer peers[VY_PEERS];
	size_t n_peers;
	struct vy_psk psks[VY_PSKS];
	size_t n_psks;
	struct vy_route routes[VY_ROUTES];
	size_t n_routes;
	struct vy_vti vtis[VY_VTIS];
	size_t n_vtis;
	char marks13[96], marks14[96];
	int version_comment;
};

static void mark(char *buf, const char *what)
{
	if (strstr(buf, what))
		return;
	if (*buf)
		strncat(buf, ", ", 95 - strlen(buf));
	strncat(buf, what, 95 - strlen(buf));
}

static struct vy_group *group(struct vy *v, const char *name, bool esp, uint32_t line)
{
	for (size_t i = 0; i < v->n_groups; i++)
		if (v->groups[i].esp == esp && !strcmp(v->groups[i].name, name))
			return &v->groups[i];
	if (v->n_groups == VY_GROUPS) {
		imp_error(v->p, line, "more than %d ike/esp groups", VY_GROUPS);
		return NULL;
	}
	struct vy_group *g = &v->groups[v->n_groups++];
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->esp = esp;
	g->line = line;
	g->pfs = -1;
	return g;
}

static const struct vy_group *group_find(const struct vy *v, const char *name, bool esp)
{
	for (size_t i = 0; i < v->n_groups; i++)
		if (v->groups[i].esp == esp && !strcmp(v->groups[i].name, name))
			return &v->groups[i];
	return NULL;
}

static struct vy_peer *peer(struct vy *v, const char *name, uint32_t line)
{
	for (size_t i = 0; i < v->n_peers; i++)
		if (!strcmp(v->peers[i].name, name))
			return &v->peers[i];
	if (v->n_peers == VY_PEERS) {
		imp_error(v->p, line, "more than %d site-to-site peers", VY_PEERS);
		return NULL;
	}
	struct vy_peer *pr = &v->peers[v->n_peers++];
	snprintf(pr->name, sizeof(pr->name), "%s", name);
	pr->line = line;
	pr->reauth = -1;
	return pr;
}

static struct vy_vti *vti(struct vy *v, const char *name, uint32_t line)
{
	for (size_t i = 0; i < v->n_vtis; i++)
		if (!strcmp(v->vtis[i].name, name))
			return &v->vtis[i];
	if (v->n_vtis == VY_VTIS) {
		imp_error(v->p, line, "more than %d vti interfaces", VY_VTIS);
		return NULL;
	}
	struct vy_vti *x = &v->vtis[v->n_vtis++];
	snprintf(x->name, sizeof(x->name), "%s", name);
	x->line = line;
	return x;
}

static bool num(const char *s, unsigned max, unsigned *out)
{
	unsigned long v;
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool secs(struct vy *v, uint32_t line, const char *s, uint32_t *out)
{
	if (imp_seconds(s, out) == 0)
		return true;
	imp_error(v->p, line, "'%s' is not a number of seconds", s);
	return false;
}

static void unknown(struct vy *v, uint32_t line, char **w, int n)
{
	char buf[512] = "";

	for (int i = 0; i < n; i++) {
		strncat(buf, i ? " " : "", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, w[i], sizeof(buf) - strlen(buf) - 1);
	}
	imp_note(v->p, line, "not mapped: '%s'", buf);
}

/* ike-group / esp-group G ... (w[0] is after "esp-group"/"ike-group"). */
static void do_group(struct vy *v, uint32_t line, bool esp, char **w, int n, char **all, int nall)
{
	struct vy_group *g;
	unsigned pn;

	if (n < 2)
		return unknown(v, line, all, nall);
	if (!(g = group(v, w[0], esp, line)))
		return;
	if (!strcmp(w[1], "lifetime") && n == 3) {
		if (secs(v, line, w[2], &g->lifetime))
			g->lifetime_set = true;
	} else if (esp && !strcmp(w[1], "mode") && n == 3) {
		if (!strcmp(w[2], "transport"))
			g->transport = true;
		else if (strcmp(w[2], "tunnel"))
			imp_error(v->p, line, "esp-group mode '%s': tunnel or transport", w[2]);
	} else if (esp && !strcmp(w[1], "pfs") && n == 3) {
		unsigned d;

		g->pfs_set = true;
		if (!strcmp(w[2], "enable"))
			g->pfs = -1;
		else if (!strcmp(w[2], "disable"))
			g->pfs = 0;
		else if (!strncmp(w[2], "dh-group", 8) && num(w[2] + 8, 64, &d))
			g->pfs = (int)d;
		else
			imp_error(v->p, line, "pfs '%s': enable, disable or dh-groupN", w[2]);
	} else if (!esp && !strcmp(w[1], "key-exchange") && n == 3) {
		if (!strcmp(w[2], "ikev1"))
			g->kx = 1;
		else if (!strcmp(w[2], "ikev2"))
			g->kx = 2;
		else
			imp_error(v->p, line, "key-exchange '%s': ikev1 or ikev2", w[2]);
	} else if (!esp && !strcmp(w[1], "ikev2-reauth")) {
		/* 1.4: a flag; 1.3: yes|no. */
		g->reauth = n == 2 || !strcmp(w[2], "yes");
		if (n == 3)
			mark(v->marks13, "ikev2-reauth yes|no");
	} else if (!esp && !strcmp(w[1], "dead-peer-detection") && n == 4) {
		g->dpd = true;
		if (!strcmp(w[2], "action")) {
			g->dpd_action_set = true;
			if (!strcmp(w[3], "restart"))
				g->dpd_action = CFG_DPD_RESTART;
			else if (!strcmp(w[3], "clear"))
				g->dpd_action = CFG_DPD_CLEAR;
			else if (!strcmp(w[3], "hold") || !strcmp(w[3], "trap"))
				g->dpd_action = CFG_DPD_HOLD;
			else
				imp_error(v->p, line, "dead-peer-detection action '%s'", w[3]);
		} else if (!strcmp(w[2], "interval")) {
			secs(v, line, w[3], &g->dpd_interval);
		} else if (!strcmp(w[2], "timeout")) {
			secs(v, line, w[3], &g->dpd_timeout);
		} else {
			unknown(v, line, all, nall);
		}
	} else if (!strcmp(w[1], "proposal") && n == 4 && !esp && !strcmp(w[2], "dh-group")) {
		/* The guide writes 'proposal dh-group 2' without a number. */
		imp_note(v->p, line,
			 "'proposal dh-group %s' has no proposal number; taken as proposal 1",
			 w[3]);
		if (!num(w[3], 64, &g->prop[1].dh))
			imp_error(v->p, line, "dh-group '%s' is not a number", w[3]);
		g->prop[1].used = true;
	} else if (!strcmp(w[1], "proposal") && n == 5 && num(w[2], IMP_MAX_PROPS, &pn) && pn) {
		struct vy_prop *pp = &g->prop[pn];

		pp->used = true;
		if (!pp->line)
			pp->line = line;
		if (!strcmp(w[3], "encryption"))
			snprintf(pp->enc, sizeof(pp->enc), "%s", w[4]);
		else if (!strcmp(w[3], "hash"))
			snprintf(pp->hash, sizeof(pp->hash), "%s", w[4]);
		else if (!esp && !strcmp(w[3], "prf"))
			snprintf(pp->prf, sizeof(pp->prf), "%s", w[4]);
		else if (!esp && !strcmp(w[3], "dh-group")) {
			if (!num(w[4], 64, &pp->dh))
				imp_error(v->p, line, "dh-group '%s' is not a number", w[4]);
		} else
			unknown(v, line, all, nall);
	} else if (!strcmp(w[1], "proposal")) {
		imp_error(v->p, line, "proposal: expected 'proposal N encryption|hash|%s VALUE'",
			  esp ? "" : "dh-group|prf");
	} else {
		unknown(v, line, all, nall);
	}
}

static void do_psk(struct vy *v, uint32_t line, char **w, int n, char **all, int nall)
{
	struct vy_psk *k = NULL;

	if (n != 3)
		return unknown(v, line, all, nall);
	mark(v->marks14, "authentication psk");
	for (size_t i = 0; i < v->n_psks; i++)
		if (!strcmp(v->psks[i].name, w[0]))
			k = &v->psks[i];
	if (!k) {
		if (v->n_psks == VY_PSKS) {
			imp_error(v->p, line, "more than %d authentication psk entries", VY_PSKS);
			return;
		}
		k = &v->psks[v->n_psks++];
		snprintf(k->name, sizeof(k->name), "%s", w[0]);
	}
	if (!strcmp(w[1], "id")) {
		if (k->n_ids < VY_PSK_IDS)
			snprintf(k->ids[k->n_ids++], IMP_ID_MAX, "%s", w[2]);
		else
			imp_note(v->p, line, "authentication psk %s: more than %d ids", w[0],
				 VY_PSK_IDS);
	} else if (!strcmp(w[1], "secret")) {
		secret_free(k->secret);
		if (!(k->secret = secret_dup(w[2], strlen(w[2]))))
			v->p->oom = true;
	} else {
		unknown(v, line, all, nall);
	}
}

static struct vy_tun *tun(struct vy *v, struct vy_peer *pr, const char *s, uint32_t line)
{
	unsigned n;

	if (!num(s, 1u << 16, &n)) {
		imp_error(v->p, line, "tunnel '%s' is not a number", s);
		return NULL;
	}
	for (size_t i = 0; i < pr->n_tun; i++)
		if (pr->tun[i].num == n)
			return &pr->tun[i];
	if (pr->n_tun == VY_TUNS) {
		imp_error(v->p, line, "more than %d tunnels for peer %s", VY_TUNS, pr->name);
		return NULL;
	}
	pr->tun[pr->n_tun].num = n;
	return &pr->tun[pr->n_tun++];
}

/* Joins words w[from..n) with spaces (the guide's "prefix a/b, c/d"). */
static void join(char *buf, size_t len, char **w, int from, int n)
{
	buf[0] = '\0';
	for (int i = from; i < n; i++) {
		strncat(buf, i > from ? " " : "", len - strlen(buf) - 1);
		strncat(buf, w[i], len - strlen(buf) - 1);
	}
}

static void do_peer(struct vy *v, uint32_t line, char **w, int n, char **all, int nall)
{
	struct vy_peer *pr;
	char buf[IMP_LINE_MAX];

	if (n < 3)
		return unknown(v, line, all, nall);
	if (!(pr = peer(v, w[0], line)))
		return;
	if (!strcmp(w[1], "authentication") && n == 4) {
		if (!strcmp(w[2], "id") || !strcmp(w[2], "local-id")) {
			snprintf(pr->local_id, sizeof(pr->local_id), "%s", w[3]);
			mark(w[2][0] == 'i' ? v->marks13 : v->marks14,
			     w[2][0] == 'i' ? "authentication id" : "authentication local-id");
		} else if (!strcmp(w[2], "remote-id")) {
			snprintf(pr->remote_id, sizeof(pr->remote_id), "%s", w[3]);
		} else if (!strcmp(w[2], "mode")) {
			if (strcmp(w[3], "pre-shared-secret"))
				imp_note(v->p, line,
					 "authentication mode '%s' not mapped: ipsecgw uses "
					 "pre-shared keys",
					 w[3]);
		} else if (!strcmp(w[2], "pre-shared-secret")) {
			mark(v->marks13, "authentication pre-shared-secret");
			secret_free(pr->psk);
			if (!(pr->psk = secret_dup(w[3], strlen(w[3]))))
				v->p->oom = true;
		} else {
			unknown(v, line, all, nall);
		}
	} else if (!strcmp(w[1], "connection-type") && n == 3) {
		pr->conn = !strcmp(w[2], "initiate") ? 1 : !strcmp(w[2], "respond") ? 2 : 3;
		if (pr->conn == 3 && strcmp(w[2], "none"))
			imp_error(v->p, line, "connection-type '%s': initiate, respond or none",
				  w[2]);
	} else if (!strcmp(w[1], "ike-group") && n == 3) {
		snprintf(pr->ike, sizeof(pr->ike), "%s", w[2]);
	} else if (!strcmp(w[1], "default-esp-group") && n == 3) {
		snprintf(pr->def_esp, sizeof(pr->def_esp), "%s", w[2]);
	} else if (!strcmp(w[1], "ikev2-reauth") && n == 3) {
		pr->reauth = !strcmp(w[2], "yes") ? 1 : !strcmp(w[2], "no") ? 0 : -1;
	} else if (!strcmp(w[1], "local-address") && n == 3) {
		snprintf(pr->local_addr, sizeof(pr->local_addr), "%s", w[2]);
	} else if (!strcmp(w[1], "remote-address") && n == 3) {
		mark(v->marks14, "remote-address");
		snprintf(pr->remote_addr, sizeof(pr->remote_addr), "%s", w[2]);
	} else if (!strcmp(w[1], "vti") && n == 4 && !strcmp(w[2], "bind")) {
		pr->vti = true;
		snprintf(pr->vti_if, sizeof(pr->vti_if), "%s", w[3]);
	} else if (!strcmp(w[1], "vti") && n == 4 && !strcmp(w[2], "esp-group")) {
		snprintf(pr->vti_esp, sizeof(pr->vti_esp), "%s", w[3]);
	} else if (!strcmp(w[1], "tunnel") && n >= 5) {
		struct vy_tun *t = tun(v, pr, w[2], line);

		if (!t)
			return;
		if (!strcmp(w[3], "esp-group") && n == 5) {
			snprintf(t->esp, sizeof(t->esp), "%s", w[4]);
		} else if ((!strcmp(w[3], "local") || !strcmp(w[3], "remote")) && n >= 6 &&
			   !strcmp(w[4], "prefix")) {
			join(buf, sizeof(buf), w, 5, n);
			if (w[3][0] == 'l')
				imp_cidrs(v->p, line, buf, t->l, &t->nl, IMP_MAX_NETS);
			else
				imp_cidrs(v->p, line, buf, t->r, &t->nr, IMP_MAX_NETS);
		} else {
			unknown(v, line, all, nall);
		}
	} else {
		unknown(v, line, all, nall);
	}
}

static void do_line(struct vy *v, uint32_t line, char **w, int n)
{
	if (n >= 3 && !strcmp(w[1], "vpn") && !strcmp(w[2], "ipsec")) {
		char **r = w + 3;
		int m = n - 3;

		if (m >= 1 && (!strcmp(r[0], "esp-group") || !strcmp(r[0], "ike-group")))
			return do_group(v, line, r[0][0] == 'e', r + 1, m - 1, w, n);
		if (m >= 2 && !strcmp(r[0], "authentication") && !strcmp(r[1], "psk"))
			return do_psk(v, line, r + 2, m - 2, w, n);
		if (m >= 2 && !strcmp(r[0], "site-to-site") && !strcmp(r[1], "peer"))
			return do_peer(v, line, r + 2, m - 2, w, n);
		if (m >= 1 && !strcmp(r[0], "ipsec-interfaces")) {
			mark(v->marks13, "ipsec-interfaces");
			imp_note(v->p, line,
				 "not mapped: ipsec-interfaces (VyOS 1.3 only; ipsecgw binds to "
				 "gateway.local-address)");
			return;
		}
		return unknown(v, line, w, n);
	}
	if (n == 6 && !strcmp(w[1], "interfaces") && !strcmp(w[2], "vti") &&
	    !strcmp(w[4], "address")) {
		struct vy_vti *x = vti(v, w[3], line);

		if (x && cidr_parse(w[5], &x->addr, CIDR_ALLOW_HOST) != 0)
			imp_error(v->p, line, "vti address '%s' is not address/prefix", w[5]);
		return;
	}
	if (n == 7 && !strcmp(w[1], "protocols") && !strcmp(w[2], "static") &&
	    !strcmp(w[3], "route") && !strcmp(w[5], "next-hop")) {
		struct vy_route *rt;

		if (v->n_routes == VY_ROUTES) {
			imp_note(v->p, line, "not mapped: more than %d static routes", VY_ROUTES);
			return;
		}
		rt = &v->routes[v->n_routes];
		rt->line = line;
		if (cidr_parse(w[4], &rt->dst, 0) != 0 || addr_parse(w[6], &rt->nh) != 0) {
			imp_error(v->p, line, "static route '%s next-hop %s' is not subnet/address",
				  w[4], w[6]);
			return;
		}
		v->n_routes++;
		return;
	}
	if (n == 7 && !strcmp(w[1], "firewall") && !strcmp(w[2], "options") &&
	    !strcmp(w[3], "interface") && !strcmp(w[5], "adjust-mss")) {
		struct vy_vti *x = vti(v, w[4], line);
		unsigned mss;

		if (x && num(w[6], 65535, &mss))
			x->mss = (uint16_t)mss;
		else if (x)
			imp_error(v->p, line, "adjust-mss '%s' is not a number", w[6]);
		return;
	}
	unknown(v, line, w, n);
}

static const char *vy_encr(const char *e, char *buf, size_t len)
{
	static const char *const cbc[] = {"aes128", "aes192", "aes256", "chacha20poly1305"};
	static const struct {
		const char *vy, *sw;
	} gcm[] = {{"gcm128", "gcm16"}, {"gcm96", "gcm12"}, {"gcm64", "gcm8"}};

	for (size_t i = 0; i < 4; i++)
		if (!strcmp(e, cbc[i]))
			return e;
	for (size_t i = 0; i < 3; i++) {
		size_t l = strlen(e), s = strlen(gcm[i].vy);

		if (l == 6 + s && !strncmp(e, "aes", 3) && !strcmp(e + 6, gcm[i].vy)) {
			snprintf(buf, len, "%.6s%s", e, gcm[i].sw);
			return buf;
		}
	}
	return NULL;
}

/* One VyOS proposal to strongSwan text; false (with a note) if not mappable. */
static bool vy_prop_text(struct vy *v, const struct vy_group *g, unsigned i, unsigned dh, char *out,
			 size_t len)
{
	const struct vy_prop *pp = &g->prop[i];
	const char *enc = pp->enc[0] ? pp->enc : "aes128", *hash = pp->hash[0] ? pp->hash : "sha1";
	char eb[32];
	const char *e = vy_encr(enc, eb, sizeof(eb));
	bool aead = e && (strstr(e, "gcm") || strstr(e, "chacha"));
	const char *d = dh ? imp_dh_name(dh) : NULL;

	if (!e || (dh && !d)) {
		imp_note(v->p, pp->line ? pp->line : g->line,
			 "%s-group %s proposal %u not mapped: %s '%s' is not supported by ipsecgw",
			 g->esp ? "esp" : "ike", g->name, i, !e ? "encryption" : "dh-group",
			 !e ? enc : (snprintf(eb, sizeof(eb), "%u", dh), eb));
		return false;
	}
	if (g->esp)
		snprintf(out, len, "%s%s%s%s%s", e, aead ? "" : "-", aead ? "" : hash, d ? "-" : "",
			 d ? d : "");
	else if (aead)
		snprintf(out, len, "%s-prf%s-%s", e,
			 !pp->prf[0]		      ? hash
			 : strncmp(pp->prf, "prf", 3) ? pp->prf
						      : pp->prf + 3,
			 d);
	else
		snprintf(out, len, "%s-%s%s%s-%s", e, hash, pp->prf[0] ? "-" : "", pp->prf, d);
	return true;
}

static size_t vy_props(struct vy *v, const struct vy_group *g, unsigned ike_dh,
		       struct proposal *out)
{
	char text[PROPOSAL_MAX_TEXT];
	size_t n = 0;

	for (unsigned i = 1; i <= IMP_MAX_PROPS; i++) {
		unsigned dh;

		if (!g->prop[i].used)
			continue;
		dh = g->esp ? (g->pfs < 0 ? ike_dh : (unsigned)g->pfs)
			    : (g->prop[i].dh ? g->prop[i].dh : 2);
		if (vy_prop_text(v, g, i, dh, text, sizeof(text)))
			n += imp_proposals(v->p, g->prop[i].line ? g->prop[i].line : g->line, text,
					   g->esp ? PROPOSAL_ESP : PROPOSAL_IKE, &out[n], 1);
	}
	return n;
}

static const struct vy_group *need_group(struct vy *v, const struct vy_peer *pr, const char *name,
					 bool esp)
{
	const struct vy_group *g = name[0] ? group_find(v, name, esp) : NULL;

	if (!g)
		imp_error(v->p, pr->line, "peer %s: %s-group '%s' is not defined", pr->name,
			  esp ? "esp" : "ike", name);
	return g;
}

static void vy_psk_for(struct vy *v, const struct vy_peer *pr, struct imp_tunnel *t)
{
	const struct vy_psk *k = NULL;

	if (pr->psk) {
		if (imp_set_psk(t, (const char *)pr->psk->data, pr->psk->len) != 0)
			v->p->oom = true;
		return;
	}
	for (size_t i = 0; i < v->n_psks && !k; i++)
		for (size_t j = 0; j < v->psks[i].n_ids && !k; j++)
			if (!strcmp(v->psks[i].ids[j], pr->remote_addr) ||
			    (pr->remote_id[0] && !strcmp(v->psks[i].ids[j], pr->remote_id)) ||
			    (pr->local_id[0] && !strcmp(v->psks[i].ids[j], pr->local_id)))
				k = &v->psks[i];
	if (!k && v->n_psks == 1)
		k = &v->psks[0];
	if (k && k->secret && imp_set_psk(t, (const char *)k->secret->data, k->secret->len) != 0)
		v->p->oom = true;
}

static void vy_route(struct vy *v, const struct vy_peer *pr, struct imp_tunnel *t)
{
	struct vy_vti *x = NULL;

	t->route = true;
	snprintf(t->vti_if, sizeof(t->vti_if), "%s", pr->vti_if);
	for (size_t i = 0; i < v->n_vtis; i++)
		if (!strcmp(v->vtis[i].name, pr->vti_if))
			x = &v->vtis[i];
	if (x) {
		t->vti_addr = x->addr;
		t->mss = x->mss;
		x->bound = true;
	}
	for (size_t i = 0; i < v->n_routes; i++) {
		const struct vy_route *rt = &v->routes[i];
		struct cidr p30 = {rt->nh, 30};
		bool via = x && x->addr.a.family ? cidr_contains_addr(&x->addr, &rt->nh)
						 : cidr_parse("169.254.0.0/16", &p30, 0) == 0 &&
							   cidr_contains_addr(&p30, &rt->nh);

		if (!via || t->n_remote_nets == IMP_MAX_NETS)
			continue;
		t->remote_nets[t->n_remote_nets++] = rt->dst;
		t->vti_next_hop = rt->nh;
	}
}

static void vy_policy(struct vy *v, const struct vy_peer *pr, struct imp_tunnel *t)
{
	for (size_t i = 0; i < pr->n_tun; i++) {
		const struct vy_tun *x = &pr->tun[i];

		if (x->nl > 1 || x->nr > 1)
			t->multi_subnet_policy = true;
		for (size_t j = 0; j < x->nl; j++)
			if (t->n_local_nets < IMP_MAX_NETS)
				t->local_nets[t->n_local_nets++] = x->l[j];
		for (size_t j = 0; j < x->nr; j++)
			if (t->n_remote_nets < IMP_MAX_NETS)
				t->remote_nets[t->n_remote_nets++] = x->r[j];
	}
}

static void vy_build(struct vy *v, const struct vy_peer *pr)
{
	const struct vy_group *ike = need_group(v, pr, pr->ike, false), *esp;
	const char *esp_name = pr->vti ? pr->vti_esp : pr->n_tun ? pr->tun[0].esp : "";
	struct imp_tunnel *t;
	unsigned ike_dh = 2;

	if (!esp_name[0])
		esp_name = pr->def_esp;
	esp = need_group(v, pr, esp_name, true);
	if (!ike || !esp || !(t = imp_tunnel_add(v->p, pr->name, pr->line)))
		return;
	for (size_t i = 1; i < pr->n_tun; i++)
		if (pr->tun[i].esp[0] && strcmp(pr->tun[i].esp, esp_name))
			imp_note(v->p, pr->line,
				 "peer %s tunnel %u: esp-group %s not mapped (tunnel %u's %s used)",
				 pr->name, pr->tun[i].num, pr->tun[i].esp, pr->tun[0].num,
				 esp_name);
	snprintf(t->local_id, sizeof(t->local_id), "%s", pr->local_id);
	snprintf(t->remote_id, sizeof(t->remote_id), "%s", pr->remote_id);
	imp_addr(pr->local_addr, &t->local_addr);
	imp_addr(pr->remote_addr[0] ? pr->remote_addr : pr->name, &t->remote_addr);
	if (!t->remote_id[0] && t->remote_addr.family)
		addr_format(&t->remote_addr, t->remote_id, sizeof(t->remote_id));
	t->version = ike->kx == 2 ? IMP_V2 : IMP_V1;
	for (unsigned i = 1; i <= IMP_MAX_PROPS; i++)
		if (ike->prop[i].used) {
			ike_dh = ike->prop[i].dh ? ike->prop[i].dh : 2;
			break;
		}
	t->n_ike = vy_props(v, ike, 0, t->ike);
	t->n_esp = vy_props(v, esp, ike_dh, t->esp);
	t->ike_default = t->n_ike == 0;
	t->esp_default = t->n_esp == 0;
	t->ike_lifetime = ike->lifetime_set ? ike->lifetime : 28800;
	t->esp_lifetime = esp->lifetime_set ? esp->lifetime : 3600;
	t->reauth = pr->reauth < 0 ? ike->reauth : pr->reauth == 1;
	t->dpd = ike->dpd;
	t->dpd_interval = ike->dpd_interval ? ike->dpd_interval : 30;
	t->dpd_timeout = ike->dpd_timeout ? ike->dpd_timeout : 120;
	t->dpd_action = ike->dpd_action_set ? ike->dpd_action : CFG_DPD_CLEAR;
	t->transport = esp->transport;
	t->initiate = pr->conn == 1;
	vy_psk_for(v, pr, t);
	if (pr->vti) {
		if (pr->n_tun)
			imp_note(v->p, pr->line,
				 "peer %s has both 'vti bind' and 'tunnel': taken as route-based, "
				 "the tunnels' prefixes are not mapped",
				 pr->name);
		vy_route(v, pr, t);
	} else {
		vy_policy(v, pr, t);
	}
}

static void vy_version(struct vy *v)
{
	struct imp_peer *p = v->p;

	if (v->version_comment) {
		p->vyos_version = v->version_comment;
		snprintf(p->vyos_how, sizeof(p->vyos_how), "from the file's '# vyos 1.%d' comment",
			 v->version_comment - 10);
	} else if (v->marks13[0]) {
		p->vyos_version = 13;
		size_t n = strcspn(v->marks13, ",");

		snprintf(p->vyos_how, sizeof(p->vyos_how), "1.3 from its 1.3 syntax, '%.*s'",
			 (int)(n < 60 ? n : 60), v->marks13);
	} else {
		p->vyos_version = 14;
		snprintf(p->vyos_how, sizeof(p->vyos_how),
			 "assumed 1.4, the guide's; add '# vyos 1.5' to the file if newer");
	}
}

/* "# vyos 1.3" (any case, "1.3.x" too). */
static void version_comment(struct vy *v, const char *s)
{
	unsigned minor;

	while (*s == '#' || *s == ' ' || *s == '\t')
		s++;
	if (strncasecmp(s, "vyos ", 5) || strncmp(s + 5, "1.", 2))
		return;
	s += 7;
	if (*s < '0' || *s > '9')
		return;
	minor = (unsigned)(*s - '0');
	if (s[1] >= '0' && s[1] <= '9')
		minor = minor * 10 + (unsigned)(s[1] - '0');
	v->version_comment = 10 + (int)(minor > 50 ? 50 : minor);
}

int imp_parse_vyos(struct imp_peer *p, const char *text, size_t len)
{
	struct vy *v = calloc(1, sizeof(*v));
	char *line = malloc(IMP_LINE_MAX);
	struct imp_lines l;
	int r, rc = 0;

	if (!v || !line) {
		rc = IG_ENOMEM;
		goto out;
	}
	v->p = p;
	imp_lines_init(&l, text, len);
	while ((r = imp_lines_read(&l, line, p)) != 0) {
		char *w[VY_WORDS], *s;
		int n;

		s = imp_trim(line);
		if (!*s)
			continue;
		if (*s == '#') {
			version_comment(v, s);
			continue;
		}
		if ((n = imp_split(s, w, VY_WORDS)) < 0) {
			imp_error(p, l.lineno, "unterminated quote");
			continue;
		}
		if (n == 1 && (!strcmp(w[0], "commit") || !strcmp(w[0], "save") ||
			       !strcmp(w[0], "configure") || !strcmp(w[0], "exit")))
			continue;
		if (strcmp(w[0], "set")) {
			imp_error(p, l.lineno, "not a VyOS 'set' command: '%.40s'", w[0]);
			continue;
		}
		if (n == VY_WORDS) {
			imp_error(p, l.lineno, "more than %d words", VY_WORDS - 1);
			continue;
		}
		do_line(v, l.lineno, w, n);
	}
	for (size_t i = 0; i < v->n_peers; i++)
		vy_build(v, &v->peers[i]);
	for (size_t i = 0; i < v->n_vtis; i++)
		if (!v->vtis[i].bound)
			imp_note(p, v->vtis[i].line,
				 "not mapped: interface %s (address, adjust-mss) is bound to no "
				 "peer",
				 v->vtis[i].name);
	vy_version(v);
out:
	if (v) {
		for (size_t i = 0; i < v->n_peers; i++)
			secret_free(v->peers[i].psk);
		for (size_t i = 0; i < v->n_psks; i++)
			secret_free(v->psks[i].secret);
		secret_wipe(v, sizeof(*v));
	}
	if (line)
		secret_wipe(line, IMP_LINE_MAX);
	free(v);
	free(line);
	return rc;
}
