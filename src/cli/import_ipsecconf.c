/* SPDX-License-Identifier: MIT */
/*
 * strongSwan's legacy ipsec.conf (ipsec.conf(5)) and ipsec.secrets
 * (ipsec.secrets(5)), as the guide's section 4.2 writes them. 'left' is
 * taken as the local side (the guide's and the usual convention). 'conn
 * %default' applies to every conn; 'also=' and 'include' are not followed.
 * Defaults are the starter's: keyexchange=ike (IKEv2, answers both),
 * ikelifetime 3h, lifetime 1h, reauth=yes, dpdaction=none (dpddelay 30s,
 * dpdtimeout 150s), type=tunnel, auto=ignore, leftid=left, rightid=right.
 *
 * The PSK: the ipsec.secrets line whose selectors name this conn's IDs or
 * addresses; a line without selectors, or the only PSK line, otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/import.h"
#include "lib/err.h"

#define IC_KEYS	 64
#define IC_CONNS IMP_MAX_TUNNELS

struct ic_kv {
	char key[32];
	char *val;
	uint32_t line;
};

struct ic_conn {
	char name[IMP_NAME_MAX];
	uint32_t line;
	struct ic_kv kv[IC_KEYS];
	size_t n;
};

struct ic {
	struct imp_peer *p;
	struct ic_conn def; /* conn %default */
	struct ic_conn conns[IC_CONNS];
	size_t n;
};

static void kv_set(struct ic *c, struct ic_conn *cn, const char *k, const char *v, uint32_t line)
{
	struct ic_kv *kv = NULL;

	for (size_t i = 0; i < cn->n; i++)
		if (!strcmp(cn->kv[i].key, k))
			kv = &cn->kv[i];
	if (!kv) {
		if (cn->n == IC_KEYS) {
			imp_error(c->p, line, "conn %s: more than %d keys", cn->name, IC_KEYS);
			return;
		}
		kv = &cn->kv[cn->n++];
		snprintf(kv->key, sizeof(kv->key), "%s", k);
	} else {
		free(kv->val);
	}
	kv->line = line;
	if (!(kv->val = strdup(v)))
		c->p->oom = true;
}

static void parse_conf(struct ic *c, const char *text, size_t len)
{
	char *line = malloc(IMP_LINE_MAX);
	struct ic_conn *cur = NULL;
	bool in_setup = false;
	struct imp_lines l;
	int r;

	if (!line) {
		c->p->oom = true;
		return;
	}
	imp_lines_init(&l, text, len);
	while ((r = imp_lines_read(&l, line, c->p)) != 0) {
		bool indented = line[0] == ' ' || line[0] == '\t';
		char *t, *eq, *w[3];
		int n;

		t = imp_trim(line);
		if (!*t || *t == '#')
			continue;
		if (!indented) {
			cur = NULL;
			in_setup = false;
			if ((n = imp_split(t, w, 3)) < 0 || n != 2) {
				if (n == 3 || n == 1) {
					imp_error(c->p, l.lineno,
						  "expected 'conn NAME', 'config setup', 'ca NAME' "
						  "or 'include FILE'");
				} else {
					imp_error(c->p, l.lineno, "unterminated quote");
				}
				continue;
			}
			if (!strcmp(w[0], "config") && !strcmp(w[1], "setup")) {
				in_setup = true;
			} else if (!strcmp(w[0], "conn") && !strcmp(w[1], "%default")) {
				cur = &c->def;
				snprintf(cur->name, sizeof(cur->name), "%%default");
			} else if (!strcmp(w[0], "conn")) {
				if (c->n == IC_CONNS) {
					imp_error(c->p, l.lineno, "more than %d conns", IC_CONNS);
					continue;
				}
				cur = &c->conns[c->n++];
				snprintf(cur->name, sizeof(cur->name), "%s", w[1]);
				cur->line = l.lineno;
			} else if (!strcmp(w[0], "ca") || !strcmp(w[0], "include")) {
				imp_note(c->p, l.lineno, "not mapped: '%s %s'", w[0], w[1]);
			} else if (!strcmp(w[0], "version")) {
				continue;
			} else {
				imp_error(c->p, l.lineno,
					  "expected 'conn NAME', 'config setup', 'ca NAME' or "
					  "'include FILE', got '%.40s'",
					  w[0]);
			}
			continue;
		}
		if (!(eq = strchr(t, '='))) {
			imp_error(c->p, l.lineno, "expected 'key=value', got '%.40s'", t);
			continue;
		}
		*eq = '\0';
		{
			char *k = imp_trim(t), *v = imp_trim(eq + 1);
			size_t vl = strlen(v);

			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v[vl - 1] = '\0';
				v++;
			}
			if (in_setup)
				imp_note(c->p, l.lineno, "not mapped: config setup %s=%s", k, v);
			else if (!cur)
				imp_error(c->p, l.lineno, "'%s=' outside a conn or config section",
					  k);
			else
				kv_set(c, cur, k, v, l.lineno);
		}
	}
	free(line);
}

static struct ic_kv *find(struct ic_conn *cn, const char *k)
{
	for (size_t i = 0; i < cn->n; i++)
		if (!strcmp(cn->kv[i].key, k))
			return &cn->kv[i];
	return NULL;
}

/* The conn's value, else %default's; marks the key as used by clearing its name. */
static const char *get(struct ic *c, struct ic_conn *cn, const char *k, uint32_t *line)
{
	struct ic_kv *kv = find(cn, k);

	if (!kv)
		kv = find(&c->def, k);
	if (!kv)
		return NULL;
	if (line)
		*line = kv->line;
	return kv->val;
}

static void get_secs(struct ic *c, struct ic_conn *cn, const char *k, uint32_t *out)
{
	uint32_t line = 0;
	const char *v = get(c, cn, k, &line);

	if (v && imp_seconds(v, out) != 0)
		imp_error(c->p, line, "%s=%s is not a time (seconds, or with s/m/h/d)", k, v);
}

static const char *const known[] = {
	"left",	       "right",	   "leftid",  "rightid",     "leftsubnet",
	"rightsubnet", "ike",	   "esp",     "keyexchange", "reauth",
	"ikelifetime", "lifetime", "keylife", "dpddelay",    "dpdtimeout",
	"dpdaction",   "type",	   "authby",  "auto",	     NULL,
};

static bool is_known(const char *k)
{
	if (!strcmp(k, "leftauth") || !strcmp(k, "rightauth"))
		return true;
	for (size_t i = 0; known[i]; i++)
		if (!strcmp(known[i], k))
			return true;
	return false;
}

static void strip_at(char *dst, size_t n, const char *id)
{
	snprintf(dst, n, "%s", id[0] == '@' ? id + 1 : id);
}

static void conn(struct ic *c, struct ic_conn *cn)
{
	struct imp_tunnel *t = imp_tunnel_add(c->p, cn->name, cn->line);
	uint32_t line = 0;
	const char *v;

	if (!t)
		return;
	if ((v = get(c, cn, "left", NULL)))
		imp_addr(v, &t->local_addr);
	if ((v = get(c, cn, "right", NULL)))
		imp_addr(v, &t->remote_addr);
	if ((v = get(c, cn, "leftid", NULL)))
		strip_at(t->local_id, sizeof(t->local_id), v);
	if ((v = get(c, cn, "rightid", NULL)) && strcmp(v, "%any"))
		strip_at(t->remote_id, sizeof(t->remote_id), v);
	else if (v)
		t->remote_id_any = true;
	else if (t->remote_addr.family)
		addr_format(&t->remote_addr, t->remote_id, sizeof(t->remote_id));
	if ((v = get(c, cn, "leftsubnet", &line))) {
		imp_cidrs(c->p, line, v, t->local_nets, &t->n_local_nets, IMP_MAX_NETS);
		t->multi_subnet_policy |= t->n_local_nets > 1;
	} else if (t->local_addr.family) {
		t->local_nets[t->n_local_nets++] =
			(struct cidr){t->local_addr, (uint8_t)addr_bits(&t->local_addr)};
	}
	if ((v = get(c, cn, "rightsubnet", &line))) {
		imp_cidrs(c->p, line, v, t->remote_nets, &t->n_remote_nets, IMP_MAX_NETS);
		t->multi_subnet_policy |= t->n_remote_nets > 1;
	} else if (t->remote_addr.family) {
		t->remote_nets[t->n_remote_nets++] =
			(struct cidr){t->remote_addr, (uint8_t)addr_bits(&t->remote_addr)};
	}
	if (t->n_local_nets == 1 && t->n_remote_nets == 1 && t->local_nets[0].plen == 0 &&
	    t->remote_nets[0].plen == 0) {
		t->route = true;
		t->n_local_nets = t->n_remote_nets = 0;
	}
	if ((v = get(c, cn, "ike", &line)))
		t->n_ike = imp_proposals(c->p, line, v, PROPOSAL_IKE, t->ike, IMP_MAX_PROPS);
	t->ike_default = t->n_ike == 0;
	if ((v = get(c, cn, "esp", &line)))
		t->n_esp = imp_proposals(c->p, line, v, PROPOSAL_ESP, t->esp, IMP_MAX_PROPS);
	t->esp_default = t->n_esp == 0;
	t->version = IMP_V_ANY;
	if ((v = get(c, cn, "keyexchange", &line))) {
		if (!strcmp(v, "ikev1"))
			t->version = IMP_V1;
		else if (!strcmp(v, "ikev2"))
			t->version = IMP_V2;
		else if (strcmp(v, "ike"))
			imp_error(c->p, line, "keyexchange=%s: ike, ikev1 or ikev2", v);
	}
	t->reauth = !(v = get(c, cn, "reauth", NULL)) || !strcmp(v, "yes");
	t->ike_lifetime = 10800;
	get_secs(c, cn, "ikelifetime", &t->ike_lifetime);
	t->esp_lifetime = 3600;
	get_secs(c, cn, find(cn, "lifetime") || find(&c->def, "lifetime") ? "lifetime" : "keylife",
		 &t->esp_lifetime);
	t->dpd_interval = 30;
	t->dpd_timeout = 150;
	get_secs(c, cn, "dpddelay", &t->dpd_interval);
	get_secs(c, cn, "dpdtimeout", &t->dpd_timeout);
	t->dpd_action = CFG_DPD_NONE;
	if ((v = get(c, cn, "dpdaction", &line))) {
		if (!strcmp(v, "restart"))
			t->dpd_action = CFG_DPD_RESTART;
		else if (!strcmp(v, "clear"))
			t->dpd_action = CFG_DPD_CLEAR;
		else if (!strcmp(v, "hold"))
			t->dpd_action = CFG_DPD_HOLD;
		else if (strcmp(v, "none"))
			imp_error(c->p, line, "dpdaction=%s: none, clear, hold or restart", v);
	}
	t->dpd = t->dpd_action != CFG_DPD_NONE;
	if ((v = get(c, cn, "type", &line)) && !strcmp(v, "transport"))
		t->transport = true;
	else if (v && strcmp(v, "tunnel"))
		imp_note(c->p, line, "type=%s not mapped (tunnel used)", v);
	if ((v = get(c, cn, "authby", &line)) && strcmp(v, "secret") && strcmp(v, "psk"))
		imp_note(c->p, line, "authby=%s not mapped: ipsecgw uses pre-shared keys", v);
	for (int side = 0; side < 2; side++) {
		const char *k = side ? "rightauth" : "leftauth";

		if ((v = get(c, cn, k, &line)) && strcmp(v, "psk") && strcmp(v, "secret"))
			imp_note(c->p, line, "%s=%s not mapped: ipsecgw uses pre-shared keys", k,
				 v);
	}
	v = get(c, cn, "auto", &line);
	t->initiate = v && (!strcmp(v, "start") || !strcmp(v, "route"));
	if (!v || !strcmp(v, "ignore"))
		imp_note(c->p, v ? line : cn->line,
			 "conn %s: auto=ignore: the starter does not load it (taken as auto=add)",
			 cn->name);
	for (int d = 0; d < 2; d++) {
		struct ic_conn *src = d ? &c->def : cn;

		for (size_t i = 0; i < src->n; i++)
			if (!is_known(src->kv[i].key) && (!d || !find(cn, src->kv[i].key)))
				imp_note(c->p, src->kv[i].line, "not mapped: %s=%s", src->kv[i].key,
					 src->kv[i].val);
	}
}

/* ---- ipsec.secrets ---- */

struct psk_line {
	char sel[8][IMP_ID_MAX];
	int n_sel;
	uint32_t line;
};

static bool sel_has(const struct psk_line *pl, const char *s)
{
	char b[IMP_ID_MAX];

	if (!s[0])
		return false;
	for (int i = 0; i < pl->n_sel; i++) {
		strip_at(b, sizeof(b), pl->sel[i]);
		if (!strcmp(b, s))
			return true;
	}
	return false;
}

static void secrets(struct ic *c, const char *text, size_t len, const char *name)
{
	const char *conf_name = c->p->source;
	char *line = malloc(IMP_LINE_MAX);
	struct imp_lines l;
	int r;
	/* Best score per tunnel: 3 both sides named, 2 one side, 1 no selectors / only line. */
	int score[IC_CONNS] = {0};

	if (!line) {
		c->p->oom = true;
		return;
	}
	/* Messages about this file name it. */
	c->p->source = name;
	imp_lines_init(&l, text, len);
	while ((r = imp_lines_read(&l, line, c->p)) != 0) {
		struct psk_line pl = {.line = l.lineno};
		char *t, *colon, *w[10], *secret;
		int n;

		t = imp_trim(line);
		if (!*t || *t == '#')
			continue;
		if (!(colon = strstr(t, ": ")) && !(colon = strstr(t, ":\t")) &&
		    !(t[0] == ':' && (colon = t))) {
			imp_error(c->p, l.lineno, "expected 'SELECTORS : PSK \"secret\"'");
			continue;
		}
		*colon = '\0';
		n = imp_split(t, w, 9);
		for (int i = 0; i < n && i < 8; i++)
			snprintf(pl.sel[pl.n_sel++], IMP_ID_MAX, "%s", w[i]);
		t = imp_trim(colon + 1);
		if (strncmp(t, "PSK", 3) || (t[3] != ' ' && t[3] != '\t')) {
			imp_note(c->p, l.lineno, "not mapped: a secret other than PSK");
			continue;
		}
		t = imp_trim(t + 4);
		if (imp_split(t, &secret, 1) != 1) {
			imp_error(c->p, l.lineno, "PSK without a secret");
			continue;
		}
		for (size_t i = 0; i < c->p->n && i < IC_CONNS; i++) {
			struct imp_tunnel *tn = &c->p->t[i];
			char la[ADDR_STRLEN] = "", ra[ADDR_STRLEN] = "";
			int s;

			if (tn->local_addr.family)
				addr_format(&tn->local_addr, la, sizeof(la));
			if (tn->remote_addr.family)
				addr_format(&tn->remote_addr, ra, sizeof(ra));
			bool ls = sel_has(&pl, tn->local_id) || sel_has(&pl, la);
			bool rs = sel_has(&pl, tn->remote_id) || sel_has(&pl, ra);

			s = ls && rs ? 3 : ls || rs ? 2 : pl.n_sel == 0 ? 1 : 0;
			if (s > score[i] && imp_set_psk(tn, secret, strlen(secret)) == 0)
				score[i] = s;
		}
		secret_wipe(line, IMP_LINE_MAX);
	}
	c->p->source = conf_name;
	secret_wipe(line, IMP_LINE_MAX);
	free(line);
}

static void only_psk(struct ic *c, const char *text, size_t len, const char *name)
{
	/* A second pass: with exactly one PSK line, every conn without a PSK takes it. */
	bool missing = false;

	for (size_t i = 0; i < c->p->n; i++)
		missing |= !c->p->t[i].psk;
	if (!missing)
		return;
	char *line = malloc(IMP_LINE_MAX), *only = NULL;
	struct imp_lines l;
	size_t n = 0;
	int r;

	if (!line) {
		c->p->oom = true;
		return;
	}
	imp_lines_init(&l, text, len);
	while ((r = imp_lines_next(&l, line)) > 0) {
		char *t = imp_trim(line), *p = strstr(t, ": PSK"), *secret;

		if (*t == '#' || !p)
			continue;
		n++;
		free(only);
		only = NULL;
		if (imp_split(imp_trim(p + 5), &secret, 1) == 1 && !(only = strdup(secret)))
			c->p->oom = true;
		secret_wipe(line, IMP_LINE_MAX);
	}
	for (size_t i = 0; n == 1 && only && i < c->p->n; i++)
		if (!c->p->t[i].psk && imp_set_psk(&c->p->t[i], only, strlen(only)) != 0)
			c->p->oom = true;
	if (n != 1)
		for (size_t i = 0; i < c->p->n; i++)
			if (!c->p->t[i].psk)
				imp_note(c->p, c->p->t[i].line,
					 "conn %s: no PSK line in %s names its IDs or addresses",
					 c->p->t[i].name, name);
	if (only)
		secret_wipe(only, strlen(only));
	free(only);
	secret_wipe(line, IMP_LINE_MAX);
	free(line);
}

int imp_parse_ipsecconf(struct imp_peer *p, const char *text, size_t len, const char *secrets_text,
			size_t secrets_len, const char *secrets_name)
{
	struct ic *c = calloc(1, sizeof(*c));

	if (!c)
		return IG_ENOMEM;
	c->p = p;
	parse_conf(c, text, len);
	for (size_t i = 0; i < c->n && !p->oom; i++)
		conn(c, &c->conns[i]);
	if (secrets_text) {
		secrets(c, secrets_text, secrets_len,
			secrets_name ? secrets_name : "ipsec.secrets");
		only_psk(c, secrets_text, secrets_len,
			 secrets_name ? secrets_name : "ipsec.secrets");
	} else {
		for (size_t i = 0; i < p->n; i++)
			imp_note(p, p->t[i].line,
				 "conn %s: no ipsec.secrets read: the PSK is unknown",
				 p->t[i].name);
	}
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->conns[i].n; j++)
			free(c->conns[i].kv[j].val);
	for (size_t j = 0; j < c->def.n; j++)
		free(c->def.kv[j].val);
	free(c);
	return 0;
}
