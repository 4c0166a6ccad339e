/* SPDX-License-Identifier: MIT */
/*
 * strongSwan swanctl.conf (swanctl.conf(5)): 'connections { NAME { ... } }'
 * and 'secrets { ike-X { id = ..., secret = ... } }'. One tunnel per
 * connection, from its first child (further children are listed as not
 * mapped). Defaults are swanctl's: version 0 (either), rekey_time 4h,
 * reauth_time 0, dpd_delay 0 (off), child rekey_time 1h, start_action none,
 * local id = local address, remote id %any.
 *
 * The file is read line by line: "name {", "}", "key = value", '#'
 * comments. 'include' is not followed (listed as not mapped).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/import.h"
#include "lib/err.h"

#define SW_DEPTH 8
#define SW_PATH	 256

struct sw_kv {
	char *path; /* "connections.peer.children.net.local_ts" */
	char *val;
	uint32_t line;
	bool used;
};

struct sw {
	struct imp_peer *p;
	struct sw_kv *kv;
	size_t n, cap;
};

static void add_kv(struct sw *s, const char *path, const char *val, uint32_t line)
{
	struct sw_kv *kv;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;

		if (cap > 65536 || !(kv = realloc(s->kv, cap * sizeof(*kv)))) {
			s->p->oom = true;
			return;
		}
		s->kv = kv;
		s->cap = cap;
	}
	kv = &s->kv[s->n];
	kv->path = strdup(path);
	kv->val = strdup(val);
	kv->line = line;
	kv->used = false;
	if (!kv->path || !kv->val) {
		free(kv->path);
		free(kv->val);
		s->p->oom = true;
		return;
	}
	s->n++;
}

/* Strips a '#' comment outside double quotes. */
static void strip_comment(char *s)
{
	bool q = false;

	for (; *s; s++) {
		if (*s == '"')
			q = !q;
		else if (*s == '#' && !q) {
			*s = '\0';
			return;
		}
	}
}

static void unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		memmove(v, v + 1, n - 2);
		v[n - 2] = '\0';
	}
}

static bool good_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '=' || *s == '{' || *s == '}' || *s == '.')
			return false;
	return true;
}

static void parse_lines(struct sw *s, const char *text, size_t len)
{
	char stack[SW_DEPTH][IMP_NAME_MAX], path[SW_PATH], *line = malloc(IMP_LINE_MAX);
	int depth = 0, r;
	struct imp_lines l;

	if (!line) {
		s->p->oom = true;
		return;
	}
	imp_lines_init(&l, text, len);
	while ((r = imp_lines_read(&l, line, s->p)) != 0) {
		char *t, *eq;

		strip_comment(line);
		t = imp_trim(line);
		if (!*t)
			continue;
		if (!strcmp(t, "}")) {
			if (depth == 0)
				imp_error(s->p, l.lineno, "'}' without an open section");
			else
				depth--;
			continue;
		}
		if (!strncmp(t, "include ", 8)) {
			imp_note(s->p, l.lineno, "not mapped: '%s' (included files are not read)",
				 t);
			continue;
		}
		path[0] = '\0';
		for (int i = 0; i < depth; i++) {
			strncat(path, stack[i], sizeof(path) - strlen(path) - 1);
			strncat(path, ".", sizeof(path) - strlen(path) - 1);
		}
		if ((eq = strchr(t, '=')) != NULL) {
			char *k, *v;

			*eq = '\0';
			k = imp_trim(t);
			v = imp_trim(eq + 1);
			unquote(v);
			if (!good_name(k)) {
				imp_error(s->p, l.lineno, "'%.40s' is not a key name", k);
				continue;
			}
			strncat(path, k, sizeof(path) - strlen(path) - 1);
			add_kv(s, path, v, l.lineno);
			secret_wipe(line, IMP_LINE_MAX);
			continue;
		}
		if (t[strlen(t) - 1] == '{') {
			t[strlen(t) - 1] = '\0';
			t = imp_trim(t);
			if (!good_name(t) || strlen(t) >= IMP_NAME_MAX) {
				imp_error(s->p, l.lineno, "'%.40s' is not a section name", t);
				continue;
			}
			if (depth == SW_DEPTH) {
				imp_error(s->p, l.lineno, "sections nested more than %d deep",
					  SW_DEPTH);
				continue;
			}
			snprintf(stack[depth++], IMP_NAME_MAX, "%s", t);
			continue;
		}
		imp_error(s->p, l.lineno, "expected 'key = value', 'name {' or '}', got '%.40s'",
			  t);
	}
	if (depth)
		imp_error(s->p, l.lineno, "%d section%s not closed at the end of the file", depth,
			  depth == 1 ? "" : "s");
	secret_wipe(line, IMP_LINE_MAX);
	free(line);
}

/* The value of prefix+key, marked used; NULL if absent. */
static const char *get(struct sw *s, const char *prefix, const char *key, uint32_t *line)
{
	char path[SW_PATH];

	snprintf(path, sizeof(path), "%s%s", prefix, key);
	for (size_t i = s->n; i-- > 0;)
		if (!strcmp(s->kv[i].path, path)) {
			s->kv[i].used = true;
			if (line)
				*line = s->kv[i].line;
			return s->kv[i].val;
		}
	return NULL;
}

static void get_secs(struct sw *s, const char *prefix, const char *key, uint32_t *out)
{
	uint32_t line = 0;
	const char *v = get(s, prefix, key, &line);

	if (v && imp_seconds(v, out) != 0)
		imp_error(s->p, line, "%s = '%s' is not a time (seconds, or with s/m/h/d)", key, v);
}

/* First address of a comma list ("192.0.2.1,%any"). */
static void first_addr(const char *list, struct addr *a)
{
	char buf[IMP_ID_MAX];
	size_t n = strcspn(list, ", \t");

	snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) ? n : sizeof(buf) - 1), list);
	imp_addr(buf, a);
}

static void ts(struct sw *s, const char *prefix, const char *key, struct cidr *out, size_t *n,
	       bool *multi)
{
	uint32_t line = 0;
	const char *v = get(s, prefix, key, &line);

	if (!v)
		return;
	if (strstr(v, "dynamic")) {
		imp_note(s->p, line, "%s = %s: 'dynamic' (the own address) taken as not set", key,
			 v);
		return;
	}
	imp_cidrs(s->p, line, v, out, n, IMP_MAX_NETS);
	if (*n > 1)
		*multi = true;
}

static void child(struct sw *s, struct imp_tunnel *t, const char *cp)
{
	uint32_t line = 0;
	const char *v;

	ts(s, cp, "local_ts", t->local_nets, &t->n_local_nets, &t->multi_subnet_policy);
	ts(s, cp, "remote_ts", t->remote_nets, &t->n_remote_nets, &t->multi_subnet_policy);
	if ((v = get(s, cp, "esp_proposals", &line)) && strcmp(v, "default"))
		t->n_esp = imp_proposals(s->p, line, v, PROPOSAL_ESP, t->esp, IMP_MAX_PROPS);
	t->esp_default = t->n_esp == 0;
	t->esp_lifetime = 3600;
	get_secs(s, cp, "rekey_time", &t->esp_lifetime);
	if ((v = get(s, cp, "mode", &line)) && !strcmp(v, "transport"))
		t->transport = true;
	else if (v && strcmp(v, "tunnel"))
		imp_note(s->p, line, "mode = %s not mapped (tunnel used)", v);
	t->dpd_action = CFG_DPD_CLEAR;
	if ((v = get(s, cp, "dpd_action", &line))) {
		if (!strcmp(v, "restart"))
			t->dpd_action = CFG_DPD_RESTART;
		else if (!strcmp(v, "trap") || !strcmp(v, "hold"))
			t->dpd_action = CFG_DPD_HOLD;
		else if (!strcmp(v, "none"))
			t->dpd_action = CFG_DPD_NONE;
		else if (strcmp(v, "clear"))
			imp_error(s->p, line, "dpd_action = %s: clear, trap, restart or none", v);
	}
	if ((v = get(s, cp, "start_action", &line)))
		t->initiate = strstr(v, "start") || strstr(v, "trap");
	if (get(s, cp, "if_id_in", NULL) || get(s, cp, "if_id_out", NULL))
		t->route = true;
}

static bool is_any(const struct cidr *c, size_t n)
{
	return n == 1 && c[0].plen == 0;
}

static void conn(struct sw *s, const char *name, uint32_t line)
{
	char cp[SW_PATH], pre[SW_PATH], first[IMP_NAME_MAX] = "";
	struct imp_tunnel *t;
	const char *v;
	uint32_t vl = 0, rekey = 14400, reauth = 0;

	if (!(t = imp_tunnel_add(s->p, name, line)))
		return;
	snprintf(pre, sizeof(pre), "connections.%s.", name);
	if ((v = get(s, pre, "version", &vl)))
		t->version = !strcmp(v, "1") ? IMP_V1 : !strcmp(v, "2") ? IMP_V2 : IMP_V_ANY;
	if ((v = get(s, pre, "local_addrs", NULL)))
		first_addr(v, &t->local_addr);
	if ((v = get(s, pre, "remote_addrs", NULL)))
		first_addr(v, &t->remote_addr);
	if ((v = get(s, pre, "proposals", &vl)) && strcmp(v, "default"))
		t->n_ike = imp_proposals(s->p, vl, v, PROPOSAL_IKE, t->ike, IMP_MAX_PROPS);
	t->ike_default = t->n_ike == 0;
	get_secs(s, pre, "rekey_time", &rekey);
	get_secs(s, pre, "reauth_time", &reauth);
	t->reauth = reauth != 0;
	t->ike_lifetime = reauth ? reauth : rekey;
	get_secs(s, pre, "dpd_delay", &t->dpd_interval);
	t->dpd = t->dpd_interval != 0;
	t->dpd_timeout = 150;
	get_secs(s, pre, "dpd_timeout", &t->dpd_timeout);
	if ((v = get(s, pre, "local.id", NULL)))
		snprintf(t->local_id, sizeof(t->local_id), "%s", v);
	if ((v = get(s, pre, "remote.id", NULL)) && strcmp(v, "%any"))
		snprintf(t->remote_id, sizeof(t->remote_id), "%s", v);
	else
		t->remote_id_any = true;
	for (int side = 0; side < 2; side++) {
		const char *key = side ? "remote.auth" : "local.auth";

		if ((v = get(s, pre, key, &vl)) && strcmp(v, "psk"))
			imp_note(s->p, vl, "%s = %s not mapped: ipsecgw uses pre-shared keys", key,
				 v);
	}
	/* The first child by position in the file. */
	for (size_t i = 0; i < s->n; i++) {
		const char *k = s->kv[i].path;
		size_t pl = strlen(pre);

		if (strncmp(k, pre, pl) || strncmp(k + pl, "children.", 9))
			continue;
		k += pl + 9;
		size_t cl = strcspn(k, ".");
		char c[IMP_NAME_MAX];

		snprintf(c, sizeof(c), "%.*s", (int)(cl < sizeof(c) ? cl : sizeof(c) - 1), k);
		if (!first[0]) {
			snprintf(first, sizeof(first), "%s", c);
			snprintf(cp, sizeof(cp), "%schildren.%s.", pre, c);
			child(s, t, cp);
		} else if (strcmp(first, c) && !s->kv[i].used) {
			imp_note(s->p, s->kv[i].line,
				 "child %s of connection %s not mapped: one child per tunnel (%s "
				 "used)",
				 c, name, first);
			/* Mark the whole child so it is reported once. */
			snprintf(cp, sizeof(cp), "%schildren.%s.", pre, c);
			for (size_t j = 0; j < s->n; j++)
				if (!strncmp(s->kv[j].path, cp, strlen(cp)))
					s->kv[j].used = true;
		}
	}
	if (!first[0])
		imp_error(s->p, line, "connection %s has no children (no traffic selectors)", name);
	if (is_any(t->local_nets, t->n_local_nets) && is_any(t->remote_nets, t->n_remote_nets))
		t->route = true;
	if (t->route) {
		t->n_local_nets = 0;
		t->n_remote_nets = 0;
	}
}

static void secrets(struct sw *s)
{
	for (size_t ti = 0; ti < s->p->n; ti++) {
		struct imp_tunnel *t = &s->p->t[ti];
		char want[2][IMP_ID_MAX];
		const struct sw_kv *best = NULL, *only = NULL;
		size_t n_secrets = 0;

		snprintf(want[0], IMP_ID_MAX, "%s", t->local_id);
		if (t->remote_id[0])
			snprintf(want[1], IMP_ID_MAX, "%s", t->remote_id);
		else if (t->remote_addr.family)
			addr_format(&t->remote_addr, want[1], IMP_ID_MAX);
		else
			want[1][0] = '\0';
		for (size_t i = 0; i < s->n; i++) {
			const char *k = s->kv[i].path, *dot;

			if (strncmp(k, "secrets.ike", 11) || !(dot = strrchr(k, '.')) ||
			    strcmp(dot, ".secret"))
				continue;
			n_secrets++;
			for (size_t j = 0; j < s->n; j++) {
				const char *jk = s->kv[j].path;
				size_t pl = (size_t)(dot - k) + 1;

				if (strncmp(jk, k, pl) || strncmp(jk + pl, "id", 2))
					continue;
				s->kv[j].used = true;
				if (!best && ((want[0][0] && !strcmp(s->kv[j].val, want[0])) ||
					      (want[1][0] && !strcmp(s->kv[j].val, want[1]))))
					best = &s->kv[i];
			}
			only = &s->kv[i];
			s->kv[i].used = true;
		}
		/* The only secret in the file applies to the only connection. */
		if (!best && n_secrets == 1 && s->p->n == 1)
			best = only;
		if (best && imp_set_psk(t, best->val, strlen(best->val)) != 0)
			s->p->oom = true;
	}
}

int imp_parse_swanctl(struct imp_peer *p, const char *text, size_t len)
{
	struct sw s = {.p = p};

	parse_lines(&s, text, len);
	for (size_t i = 0; i < s.n && !p->oom; i++) {
		const char *k = s.kv[i].path;
		char name[IMP_NAME_MAX];
		size_t nl;
		bool seen = false;

		if (strncmp(k, "connections.", 12))
			continue;
		k += 12;
		nl = strcspn(k, ".");
		if (!k[nl] || nl >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)nl, k);
		for (size_t j = 0; j < p->n; j++)
			seen |= !strcmp(p->t[j].name, name);
		if (!seen)
			conn(&s, name, s.kv[i].line);
	}
	secrets(&s);
	for (size_t i = 0; i < s.n; i++) {
		if (!s.kv[i].used)
			imp_note(p, s.kv[i].line, "not mapped: %s", s.kv[i].path);
		secret_wipe(s.kv[i].val, strlen(s.kv[i].val));
		free(s.kv[i].path);
		free(s.kv[i].val);
	}
	free(s.kv);
	return 0;
}
