/* SPDX-License-Identifier: MIT */
/*
 * YAML text to the model, through libyaml's document API. Keys are looked up
 * in one table per mapping; every wrong key, type or value is reported with
 * its key path and line, and loading goes on so that all problems show at
 * once. Rules between values (ranges, uniqueness, overlaps) are
 * config/validate.c's job; defaults are config/defaults.c's.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "config/internal.h"
#include "lib/err.h"
#include "lib/secret.h"

/* Bounds that keep junk input from costing quadratic time. */
#define MAX_TUNNELS 1000
#define MAX_LIST    256

enum kind {
	K_STR,	     /* char * */
	K_ADDR,	     /* struct addr */
	K_PEER,	     /* struct addr + peer_any */
	K_LOCAL_ID,  /* struct cfg_id */
	K_REMOTE_ID, /* struct cfg_id, %any allowed */
	K_PSK,	     /* struct secret * */
	K_ENUM,	     /* int-sized enum, aux = names */
	K_CIDRS,     /* struct cidr * at off, size_t count at off2 */
	K_TUNNEL_IP, /* struct cidr with host bits */
	K_BOOL,
	K_SECONDS, /* uint32_t */
	K_U32,
	K_U64,
	K_BANDWIDTH, /* uint64_t */
	K_PROPS_IKE, /* struct proposal * at off, size_t count at off2 */
	K_PROPS_ESP,
	K_LEVEL, /* enum log_level */
	K_MAP,	 /* nested mapping, aux = struct table */
	K_MSS,	 /* uint16_t */
};

struct key {
	const char *name;
	uint8_t kind;
	uint8_t field; /* index into the origin[] array */
	size_t off;
	size_t off2;
	const void *aux;
};

struct table {
	const struct key *keys;
	size_t n;
};

struct ld {
	yaml_document_t *doc;
	struct cfg *c;
	struct cfg_diag *d;
	const char *basedir;
	uint8_t *taken; /* per node: already consumed (an alias) */
	size_t n_nodes;
};

#define T(f) offsetof(struct cfg_tunnel, f)
#define G(f) offsetof(struct cfg_gateway, f)
#define L(f) offsetof(struct cfg_log, f)
#define TABLE(k)                                                                                   \
	{                                                                                          \
		k, sizeof(k) / sizeof(k[0])                                                        \
	}

static const struct key ike_keys[] = {
	{"version", K_ENUM, CFG_T_IKE_VERSION, T(ike.version), 0, cfg_ike_version_names},
	{"proposals", K_PROPS_IKE, CFG_T_IKE_PROPOSALS, T(ike.proposals), T(ike.n_proposals), NULL},
	{"lifetime", K_SECONDS, CFG_T_IKE_LIFETIME, T(ike.lifetime_s), 0, NULL},
	{"reauth", K_BOOL, CFG_T_IKE_REAUTH, T(ike.reauth), 0, NULL},
};
static const struct table ike_table = TABLE(ike_keys);

static const struct key esp_keys[] = {
	{"proposals", K_PROPS_ESP, CFG_T_ESP_PROPOSALS, T(esp.proposals), T(esp.n_proposals), NULL},
	{"lifetime", K_SECONDS, CFG_T_ESP_LIFETIME, T(esp.lifetime_s), 0, NULL},
	{"life-bytes", K_U64, CFG_T_ESP_LIFE_BYTES, T(esp.life_bytes), 0, NULL},
	{"life-packets", K_U64, CFG_T_ESP_LIFE_PACKETS, T(esp.life_packets), 0, NULL},
	{"mode", K_ENUM, CFG_T_ESP_MODE, T(esp.mode), 0, cfg_esp_mode_names},
	{"df-bit", K_ENUM, CFG_T_ESP_DF_BIT, T(esp.df_bit), 0, cfg_df_bit_names},
	{"replay-window", K_U32, CFG_T_ESP_REPLAY_WINDOW, T(esp.replay_window), 0, NULL},
};
static const struct table esp_table = TABLE(esp_keys);

static const struct key dpd_keys[] = {
	{"interval", K_SECONDS, CFG_T_DPD_INTERVAL, T(dpd.interval_s), 0, NULL},
	{"timeout", K_SECONDS, CFG_T_DPD_TIMEOUT, T(dpd.timeout_s), 0, NULL},
	{"action", K_ENUM, CFG_T_DPD_ACTION, T(dpd.action), 0, cfg_dpd_action_names},
};
static const struct table dpd_table = TABLE(dpd_keys);

static const struct key mss_keys[] = {
	{"direction", K_ENUM, CFG_T_TCP_MSS_DIRECTION, T(tcp_mss.direction), 0, cfg_mss_dir_names},
	{"value", K_MSS, CFG_T_TCP_MSS_VALUE, T(tcp_mss.value), 0, NULL},
};
static const struct table mss_table = TABLE(mss_keys);

static const struct key tunnel_keys[] = {
	{"name", K_STR, CFG_T_NAME, T(name), 0, NULL},
	{"description", K_STR, CFG_T_DESCRIPTION, T(description), 0, NULL},
	{"peer", K_PEER, CFG_T_PEER, T(peer), 0, NULL},
	{"local-id", K_LOCAL_ID, CFG_T_LOCAL_ID, T(local_id), 0, NULL},
	{"remote-id", K_REMOTE_ID, CFG_T_REMOTE_ID, T(remote_id), 0, NULL},
	{"psk", K_PSK, CFG_T_PSK, T(psk), 0, NULL},
	{"psk-file", K_STR, CFG_T_PSK_FILE, T(psk_file), 0, NULL},
	{"type", K_ENUM, CFG_T_TYPE, T(type), 0, cfg_tunnel_type_names},
	{"local-subnets", K_CIDRS, CFG_T_LOCAL_SUBNETS, T(local_subnets), T(n_local_subnets), NULL},
	{"remote-subnets", K_CIDRS, CFG_T_REMOTE_SUBNETS, T(remote_subnets), T(n_remote_subnets),
	 NULL},
	{"interface", K_STR, CFG_T_INTERFACE, T(interface), 0, NULL},
	{"local-tunnel-ip", K_TUNNEL_IP, CFG_T_LOCAL_TUNNEL_IP, T(local_tunnel_ip), 0, NULL},
	{"ike", K_MAP, CFG_T_IKE, 0, 0, &ike_table},
	{"esp", K_MAP, CFG_T_ESP, 0, 0, &esp_table},
	{"dpd", K_MAP, CFG_T_DPD, 0, 0, &dpd_table},
	{"start", K_ENUM, CFG_T_START, T(start), 0, cfg_start_names},
	{"tcp-mss", K_MAP, CFG_T_TCP_MSS, 0, 0, &mss_table},
};
static const struct table tunnel_table = TABLE(tunnel_keys);

static const struct key gateway_keys[] = {
	{"name", K_STR, CFG_G_NAME, G(name), 0, NULL},
	{"local-address", K_ADDR, CFG_G_LOCAL_ADDRESS, G(local_address), 0, NULL},
	{"public-ip", K_ADDR, CFG_G_PUBLIC_IP, G(public_ip), 0, NULL},
	{"local-subnets", K_CIDRS, CFG_G_LOCAL_SUBNETS, G(local_subnets), G(n_local_subnets), NULL},
	{"bandwidth", K_BANDWIDTH, CFG_G_BANDWIDTH, G(bandwidth_bps), 0, NULL},
	{"description", K_STR, CFG_G_DESCRIPTION, G(description), 0, NULL},
};
static const struct table gateway_table = TABLE(gateway_keys);

/* Subsystem keys are log_subsys_name()'s names (lib/log.c). */
static const struct key log_keys[] = {
	{"level", K_LEVEL, CFG_L_LEVEL, L(level), 0, NULL},
	{"cfg", K_LEVEL, CFG_L_SUBSYS + LS_CFG, L(subsys[LS_CFG]), 0, NULL},
	{"ike", K_LEVEL, CFG_L_SUBSYS + LS_IKE, L(subsys[LS_IKE]), 0, NULL},
	{"esp", K_LEVEL, CFG_L_SUBSYS + LS_ESP, L(subsys[LS_ESP]), 0, NULL},
	{"net", K_LEVEL, CFG_L_SUBSYS + LS_NET, L(subsys[LS_NET]), 0, NULL},
	{"ctl", K_LEVEL, CFG_L_SUBSYS + LS_CTL, L(subsys[LS_CTL]), 0, NULL},
	{"daemon", K_LEVEL, CFG_L_SUBSYS + LS_DAEMON, L(subsys[LS_DAEMON]), 0, NULL},
	{"keys", K_BOOL, CFG_L_KEYS, L(keys), 0, NULL},
};
static const struct table log_table = TABLE(log_keys);

static const char *const top_names[] = {"gateway", "log", "tunnels"};

static uint32_t line_of(const yaml_node_t *n)
{
	return n ? (uint32_t)n->start_mark.line + 1 : 0;
}

static bool is_null(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;

	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
		!strcmp(s, "NULL"));
}

static const char *type_of(const yaml_node_t *n)
{
	if (is_null(n))
		return "nothing";
	switch (n->type) {
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "a string";
	}
}

/* The node at idx, consumed once: a second visit means an alias. */
static yaml_node_t *take(struct ld *ld, int idx, const char *path)
{
	yaml_node_t *n = yaml_document_get_node(ld->doc, idx);

	if (!n)
		return NULL;
	if (ld->taken[idx - 1]) {
		cfg_diag_add(ld->d, line_of(n), path, "YAML aliases are not supported");
		return NULL;
	}
	ld->taken[idx - 1] = 1;
	return n;
}

/* A non-null scalar's text, or NULL after reporting what was found instead. */
static const char *scalar(struct ld *ld, const yaml_node_t *n, const char *path, const char *what)
{
	if (n->type == YAML_SCALAR_NODE && !is_null(n)) {
		/* libyaml allows NUL via "\0"; text with one would be cut short silently. */
		if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
			cfg_diag_add(ld->d, line_of(n), path, "contains a NUL character");
			return NULL;
		}
		return (const char *)n->data.scalar.value;
	}
	cfg_diag_add(ld->d, line_of(n), path, "expected %s, got %s", what,
		     n->type == YAML_SCALAR_NODE ? "nothing" : type_of(n));
	return NULL;
}

/* Levenshtein distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[33];

	if (la > 32 || lb > 32)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static void unknown_key(struct ld *ld, const yaml_node_t *k, const char *key, const char *path,
			const char *const *names, size_t n_names, size_t stride)
{
	char shown[CFG_SHOW_MAX];
	const char *best = NULL;
	size_t bestd = 3;

	for (size_t i = 0; i < n_names; i++) {
		const char *name = *(const char *const *)((const char *)names + i * stride);
		size_t dist = distance(key, name);

		if (dist < bestd && dist < strlen(name)) {
			bestd = dist;
			best = name;
		}
	}
	cfg_show(key, shown, sizeof(shown));
	if (best)
		cfg_diag_add(ld->d, line_of(k), path, "unknown key '%s' (did you mean '%s'?)",
			     shown, best);
	else
		cfg_diag_add(ld->d, line_of(k), path, "unknown key '%s'", shown);
}

/* Paths are built from our own key names and indexes; a cut one is still useful. */
static void sub(char *out, const char *path, const char *key)
{
	if (snprintf(out, CFG_PATH_MAX, "%s%s%s", path, *path ? "." : "", key) >= CFG_PATH_MAX)
		out[CFG_PATH_MAX - 1] = '\0';
}

static void idx(char *out, const char *path, size_t i)
{
	if (snprintf(out, CFG_PATH_MAX, "%s[%zu]", path, i) >= CFG_PATH_MAX)
		out[CFG_PATH_MAX - 1] = '\0';
}

/* "a, b or c" from a NULL-terminated name list. */
static const char *choices(const char *const *names, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; names[i] && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%s",
				      i == 0	     ? ""
				      : names[i + 1] ? ", "
						     : " or ",
				      names[i]);
	return buf;
}

/*
 * Items of a list value: a YAML list of strings, or one string; each string
 * may hold several comma-separated items (strongSwan's and the console's
 * "192.168.0.0/24,10.0.2.0/24"). Calls fn for each with its flat index.
 */
typedef int (*item_fn)(struct ld *ld, void *base, const struct key *k, size_t i, const char *text,
		       const char *path, uint32_t line);

static void trim(char **s)
{
	char *e;

	while (**s == ' ')
		(*s)++;
	e = *s + strlen(*s);
	while (e > *s && e[-1] == ' ')
		*--e = '\0';
}

static int split(struct ld *ld, void *base, const struct key *k, const char *text, const char *path,
		 uint32_t line, size_t *count, item_fn fn)
{
	char *copy = strdup(text), *p, *save = NULL, *tok;
	int r = 0, bad = 0;

	if (!copy) {
		ld->d->oom = true;
		return IG_ENOMEM;
	}
	for (p = copy; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		char ip[CFG_PATH_MAX];

		trim(&tok);
		idx(ip, path, *count);
		if (*count >= MAX_LIST) {
			if (*count == MAX_LIST) /* once per list */
				cfg_diag_add(ld->d, line, path, "more than %d entries", MAX_LIST);
			(*count)++;
			bad = 1;
			break;
		}
		if ((r = fn(ld, base, k, (*count)++, tok, ip, line)) != 0)
			bad = 1;
		if (r == IG_ENOMEM)
			ld->d->oom = true;
	}
	free(copy);
	return bad ? IG_EINVAL : 0;
}

static int items(struct ld *ld, void *base, const struct key *k, const yaml_node_t *n,
		 const char *path, const char *what, item_fn fn)
{
	size_t count = 0;
	int bad = 0;

	if (n->type == YAML_SCALAR_NODE) {
		const char *s = scalar(ld, n, path, what);

		return s ? split(ld, base, k, s, path, line_of(n), &count, fn) : IG_EINVAL;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		cfg_diag_add(ld->d, line_of(n), path, "expected %s, got %s", what, type_of(n));
		return IG_EINVAL;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		char ip[CFG_PATH_MAX];
		const yaml_node_t *e;
		const char *s;

		idx(ip, path, count);
		if (!(e = take(ld, *it, ip)) || !(s = scalar(ld, e, ip, "a string"))) {
			count++;
			bad = 1;
			continue;
		}
		if (split(ld, base, k, s, path, line_of(e), &count, fn) != 0)
			bad = 1;
	}
	return bad ? IG_EINVAL : 0;
}

/* Grows the array at base+off (count at base+off2) by one zeroed element. */
static void *grow(void *base, const struct key *k, size_t size)
{
	void **arr = (void **)((char *)base + k->off);
	size_t *n = (size_t *)((char *)base + k->off2);
	char *p = realloc(*arr, (*n + 1) * size);

	if (!p)
		return NULL;
	*arr = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

static int cidr_item(struct ld *ld, void *base, const struct key *k, size_t i, const char *text,
		     const char *path, uint32_t line)
{
	char shown[CFG_SHOW_MAX], want[CIDR_STRLEN], got[CIDR_STRLEN];
	struct cidr c, net, *slot;
	int r = cidr_parse(text, &c, 0);

	cfg_show(text, shown, sizeof(shown));
	if (r == IG_EHOSTBITS) {
		cidr_network(&c, &net);
		cfg_diag_add(ld->d, line, path, "%s has host bits set; did you mean %s?",
			     cidr_format(&c, got, sizeof(got)),
			     cidr_format(&net, want, sizeof(want)));
		return r;
	}
	if (r == IG_ERANGE) {
		cfg_diag_add(ld->d, line, path, "'%s' has a prefix length longer than the address",
			     shown);
		return r;
	}
	if (r != 0) {
		cfg_diag_add(ld->d, line, path, "'%s' is not a CIDR prefix (address/length)",
			     shown);
		return r;
	}
	if (!(slot = grow(base, k, sizeof(*slot))))
		return IG_ENOMEM;
	*slot = c;
	return 0;
}

static int prop_item(struct ld *ld, void *base, const struct key *k, size_t i, const char *text,
		     const char *path, uint32_t line)
{
	char err[PROPOSAL_ERRLEN];
	struct proposal p, *slot;

	if (proposal_parse(text, k->kind == K_PROPS_IKE ? PROPOSAL_IKE : PROPOSAL_ESP, &p, err,
			   sizeof(err)) != 0) {
		char shown[PROPOSAL_ERRLEN * 4];

		/* err may echo the operator's text: keep it printable. */
		cfg_diag_add(ld->d, line, path, "%s", cfg_show(err, shown, sizeof(shown)));
		return IG_EINVAL;
	}
	if (!(slot = grow(base, k, sizeof(*slot))))
		return IG_ENOMEM;
	*slot = p;
	return 0;
}

static const char *what(enum kind k)
{
	switch (k) {
	case K_STR:
	case K_PSK: return "a string";
	case K_ADDR: return "an IP address";
	case K_PEER: return "an IP address or %any";
	case K_LOCAL_ID:
	case K_REMOTE_ID: return "an identity";
	case K_TUNNEL_IP: return "an address/prefix";
	case K_BOOL: return "true or false";
	case K_SECONDS: return "a number of seconds";
	case K_BANDWIDTH: return "a rate";
	case K_LEVEL: return "a log level";
	case K_ENUM: return "one of the listed words";
	default: return "a number";
	}
}

/* One value: converts and stores it; reports and returns nonzero if it is wrong. */
static int value(struct ld *ld, void *base, const struct key *k, yaml_node_t *n, const char *path,
		 struct cfg_origin *origin);

static void walk_map(struct ld *ld, yaml_node_t *n, const char *path, void *base,
		     struct cfg_origin *origin, const struct table *tab)
{
	uint32_t seen[24] = {0};

	if (is_null(n))
		return; /* "ike:" with nothing under it: all defaults */
	if (n->type != YAML_MAPPING_NODE) {
		cfg_diag_add(ld->d, line_of(n), path, "expected a mapping, got %s", type_of(n));
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = take(ld, p->key, path), *vn;
		const struct key *k = NULL;
		const char *key;
		char kp[CFG_PATH_MAX];
		size_t i;
		int r = 0;

		if (!kn)
			continue;
		if (kn->type != YAML_SCALAR_NODE) {
			cfg_diag_add(ld->d, line_of(kn), path, "keys must be strings, got %s",
				     type_of(kn));
			continue;
		}
		key = (const char *)kn->data.scalar.value;
		for (i = 0; i < tab->n && !k; i++)
			if (strcmp(tab->keys[i].name, key) == 0)
				k = &tab->keys[i];
		if (!k) {
			unknown_key(ld, kn, key, path, &tab->keys[0].name, tab->n, sizeof(*k));
			continue;
		}
		sub(kp, path, key);
		if (seen[i - 1]) {
			cfg_diag_add(ld->d, line_of(kn), kp, "given twice (lines %u and %u)",
				     seen[i - 1], line_of(kn));
			continue;
		}
		seen[i - 1] = line_of(kn);
		origin[k->field].set = true;
		origin[k->field].line = line_of(kn);
		if (!(vn = take(ld, p->value, kp)) || (r = value(ld, base, k, vn, kp, origin)) != 0)
			origin[k->field].bad = true;
		if (vn && r == IG_ENOMEM)
			ld->d->oom = true; /* the load fails even without a message */
	}
}

static int value(struct ld *ld, void *base, const struct key *k, yaml_node_t *n, const char *path,
		 struct cfg_origin *origin)
{
	void *dst = (char *)base + k->off;
	char shown[CFG_SHOW_MAX], err[256];
	const char *s = NULL;
	uint64_t u64;
	int r, e;

	switch (k->kind) {
	case K_MAP: walk_map(ld, n, path, base, origin, k->aux); return 0;
	case K_CIDRS: return items(ld, base, k, n, path, "a list of CIDR prefixes", cidr_item);
	case K_PROPS_IKE:
	case K_PROPS_ESP:
		if ((r = items(ld, base, k, n, path, "a list of proposals", prop_item)) == 0 &&
		    *(size_t *)((char *)base + k->off2) == 0) {
			cfg_diag_add(ld->d, line_of(n), path, "must list at least one proposal");
			return IG_EINVAL;
		}
		return r;
	default: break;
	}
	if (!(s = scalar(ld, n, path, what(k->kind))))
		return IG_EINVAL;
	cfg_show(s, shown, sizeof(shown));
	switch (k->kind) {
	case K_STR: free(*(char **)dst); return (*(char **)dst = strdup(s)) ? 0 : IG_ENOMEM;
	case K_PSK:
		secret_free(*(struct secret **)dst);
		*(struct secret **)dst = secret_dup(s, strlen(s));
		/* Don't leave the key in libyaml's document after we have our copy. */
		secret_wipe(n->data.scalar.value, n->data.scalar.length);
		ld->c->has_inline_psk = true;
		return *(struct secret **)dst ? 0 : IG_ENOMEM;
	case K_PEER:
		if (strcmp(s, "%any") == 0) {
			((struct cfg_tunnel *)base)->peer_any = true;
			return 0;
		}
		/* fall through */
	case K_ADDR:
		if (addr_parse(s, dst) == 0)
			return 0;
		cfg_diag_add(ld->d, line_of(n), path, "'%s' is not an IPv4 or IPv6 address%s",
			     shown, k->kind == K_PEER ? " (or %any)" : "");
		return IG_EINVAL;
	case K_LOCAL_ID:
	case K_REMOTE_ID:
		if ((r = cfg_id_parse(s, k->kind == K_REMOTE_ID, dst, err, sizeof(err))) == 0)
			return 0;
		if (r == IG_EINVAL)
			cfg_diag_add(ld->d, line_of(n), path, "%s", err);
		return r;
	case K_ENUM:
		e = cfg_enum_parse(k->aux, s);
		/* VyOS writes the IKE version as "ikev1" / "ikev2". */
		if (e < 0 && k->aux == cfg_ike_version_names && !strncasecmp(s, "ikev", 4))
			e = cfg_enum_parse(k->aux, s + 4);
		if (e >= 0) {
			*(int *)dst = e;
			return 0;
		}
		cfg_diag_add(ld->d, line_of(n), path, "must be %s, got '%s'",
			     choices(k->aux, err, sizeof(err)), shown);
		return IG_EINVAL;
	case K_LEVEL:
		if (log_level_parse(s, dst) == 0)
			return 0;
		cfg_diag_add(ld->d, line_of(n), path,
			     "must be error, warn, info or debug, got '%s'", shown);
		return IG_EINVAL;
	case K_TUNNEL_IP:
		if (cidr_parse(s, dst, CIDR_ALLOW_HOST) == 0)
			return 0;
		cfg_diag_add(ld->d, line_of(n), path,
			     "'%s' is not an address with prefix length (e.g. 169.254.200.5/30)",
			     shown);
		return IG_EINVAL;
	case K_BOOL:
		if (cfg_parse_bool(s, dst) == 0)
			return 0;
		cfg_diag_add(ld->d, line_of(n), path, "must be true or false, got '%s'", shown);
		return IG_EINVAL;
	case K_SECONDS:
		if ((r = cfg_parse_seconds(s, dst)) == 0)
			return 0;
		cfg_diag_add(ld->d, line_of(n), path,
			     r == IG_ERANGE ? "'%s' is too large"
					    : "expected seconds (e.g. 3600, 60m, 1h, 1d), got '%s'",
			     shown);
		return IG_EINVAL;
	case K_U32:
	case K_U64:
	case K_MSS:
		r = cfg_parse_u64(s, &u64);
		if (r == 0 && k->kind == K_U32 && u64 > UINT32_MAX)
			r = IG_ERANGE;
		if (r == 0 && k->kind == K_MSS && u64 > UINT16_MAX)
			r = IG_ERANGE;
		if (r != 0) {
			cfg_diag_add(ld->d, line_of(n), path,
				     r == IG_ERANGE ? "'%s' is too large"
						    : "expected a whole number, got '%s'",
				     shown);
			return IG_EINVAL;
		}
		if (k->kind == K_U32)
			*(uint32_t *)dst = (uint32_t)u64;
		else if (k->kind == K_MSS)
			*(uint16_t *)dst = (uint16_t)u64;
		else
			*(uint64_t *)dst = u64;
		return 0;
	case K_BANDWIDTH:
		if ((r = cfg_parse_bandwidth(s, dst)) == 0)
			return 0;
		cfg_diag_add(ld->d, line_of(n), path,
			     r == IG_ERANGE
				     ? "'%s' is too large"
				     : "expected a rate in kbps, mbps or gbps (e.g. 10mbps), got "
				       "'%s'",
			     shown);
		return IG_EINVAL;
	default: return IG_EINVAL;
	}
}

static void load_tunnel(struct ld *ld, yaml_node_t *n, const char *path, struct cfg_tunnel *t)
{
	char err[512], fp[CFG_PATH_MAX];
	int r;

	walk_map(ld, n, path, t, t->origin, &tunnel_table);
	if (!t->psk_file || t->origin[CFG_T_PSK].set)
		return; /* both at once is validate.c's to report */
	err[0] = '\0';
	if ((r = cfg_read_psk_file(t->psk_file, ld->basedir, &t->psk, err, sizeof(err))) != 0) {
		if (r == IG_ENOMEM)
			ld->d->oom = true;
		sub(fp, path, "psk-file");
		cfg_diag_add(ld->d, t->origin[CFG_T_PSK_FILE].line, fp, "%s", err);
		t->origin[CFG_T_PSK_FILE].bad = true;
	}
}

static void load_tunnels(struct ld *ld, yaml_node_t *n)
{
	size_t count;

	if (is_null(n))
		return;
	if (n->type != YAML_SEQUENCE_NODE) {
		cfg_diag_add(ld->d, line_of(n), "tunnels", "expected a list of tunnels, got %s",
			     type_of(n));
		return;
	}
	count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count > MAX_TUNNELS) {
		cfg_diag_add(ld->d, line_of(n), "tunnels", "%zu tunnels, at most %d allowed", count,
			     MAX_TUNNELS);
		return;
	}
	if (count == 0)
		return;
	if (!(ld->c->tunnels = calloc(count, sizeof(struct cfg_tunnel)))) {
		ld->d->oom = true;
		return;
	}
	for (size_t i = 0; i < count; i++) {
		struct cfg_tunnel *t = &ld->c->tunnels[i];
		char path[CFG_PATH_MAX];
		yaml_node_t *tn;

		idx(path, "tunnels", i);
		t->index = i;
		ld->c->n_tunnels++;
		tn = take(ld, n->data.sequence.items.start[i], path);
		if (tn && tn->type != YAML_MAPPING_NODE)
			cfg_diag_add(ld->d, line_of(tn), path, "expected a mapping, got %s",
				     type_of(tn));
		if (tn && tn->type == YAML_MAPPING_NODE)
			load_tunnel(ld, tn, path, t);
		else
			t->unusable = true;
	}
}

static int load_root(struct ld *ld, yaml_node_t *root)
{
	struct cfg_origin ignore[CFG_L_COUNT];
	uint32_t seen[3] = {0};

	if (root->type != YAML_MAPPING_NODE) {
		cfg_diag_add(ld->d, line_of(root), "",
			     "the file must be a mapping with gateway, log and tunnels, got %s",
			     type_of(root));
		return IG_EINVAL;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = take(ld, p->key, ""), *vn;
		const char *key;
		size_t i;

		if (!kn)
			continue;
		if (kn->type != YAML_SCALAR_NODE) {
			cfg_diag_add(ld->d, line_of(kn), "", "keys must be strings, got %s",
				     type_of(kn));
			continue;
		}
		key = (const char *)kn->data.scalar.value;
		for (i = 0; i < 3 && strcmp(key, top_names[i]) != 0; i++)
			;
		if (i == 3) {
			unknown_key(ld, kn, key, "", top_names, 3, sizeof(top_names[0]));
			continue;
		}
		if (seen[i]) {
			cfg_diag_add(ld->d, line_of(kn), key, "given twice (lines %u and %u)",
				     seen[i], line_of(kn));
			continue;
		}
		seen[i] = line_of(kn);
		if (!(vn = take(ld, p->value, key)))
			continue;
		if (i == 0) {
			walk_map(ld, vn, "gateway", &ld->c->gateway, ld->c->gateway.origin,
				 &gateway_table);
		} else if (i == 1 && vn->type == YAML_SCALAR_NODE && !is_null(vn)) {
			/* "log: debug" is short for "log: { level: debug }". */
			value(ld, &ld->c->log, &log_keys[0], vn, "log", ignore);
			ld->c->log.origin[CFG_L_LEVEL].set = true;
			ld->c->log.origin[CFG_L_LEVEL].line = line_of(vn);
		} else if (i == 1) {
			walk_map(ld, vn, "log", &ld->c->log, ld->c->log.origin, &log_table);
		} else {
			load_tunnels(ld, vn);
		}
	}
	return 0;
}

static void syntax_error(struct cfg_diag *d, const yaml_parser_t *p, const char *name,
			 const char *yaml, size_t len)
{
	char where[CFG_PATH_MAX + 32];
	size_t at = p->problem_mark.index;
	bool tab = false;

	/* A tab near the problem is the usual cause; say so. */
	for (size_t i = at > 2 ? at - 2 : 0; i < len && i <= at + 1; i++)
		tab |= yaml[i] == '\t';
	snprintf(where, sizeof(where), "%.*s:%zu:%zu", CFG_PATH_MAX, name, p->problem_mark.line + 1,
		 p->problem_mark.column + 1);
	cfg_diag_add(d, (uint32_t)p->problem_mark.line + 1, where, "%s%s%s%s",
		     p->problem ? p->problem : "syntax error", p->context ? " " : "",
		     p->context ? p->context : "",
		     tab ? " (tabs are not allowed for indentation; use spaces)" : "");
}

/* libyaml copies the input into its own buffers; wipe them, they may hold PSKs. */
static void parser_wipe(yaml_parser_t *p)
{
	if (p->buffer.start)
		secret_wipe(p->buffer.start, (size_t)(p->buffer.end - p->buffer.start));
	if (p->raw_buffer.start)
		secret_wipe(p->raw_buffer.start, (size_t)(p->raw_buffer.end - p->raw_buffer.start));
}

int cfg_parse_yaml(const char *yaml, size_t len, const char *name, const char *basedir,
		   struct cfg *c, struct cfg_diag *d)
{
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	struct ld ld = {.doc = &doc, .c = c, .d = d, .basedir = basedir};
	yaml_node_t *root;
	int r = IG_EINVAL;

	if (!yaml_parser_initialize(&parser))
		return IG_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		syntax_error(d, &parser, name, yaml, len);
		goto out_parser;
	}
	if (!(root = yaml_document_get_root_node(&doc))) {
		cfg_diag_add(d, 0, name, "empty configuration (no YAML document)");
		goto out_doc;
	}
	/* A second document would be ignored silently; refuse it. */
	if (!yaml_parser_load(&parser, &extra)) {
		syntax_error(d, &parser, name, yaml, len);
	} else {
		if (yaml_document_get_root_node(&extra))
			cfg_diag_add(
				d, line_of(yaml_document_get_root_node(&extra)), name,
				"holds more than one YAML document (another starts at line %u)",
				line_of(yaml_document_get_root_node(&extra)));
		yaml_document_delete(&extra);
	}
	ld.n_nodes = (size_t)(doc.nodes.top - doc.nodes.start);
	if (!(ld.taken = calloc(ld.n_nodes + 1, 1))) {
		r = IG_ENOMEM;
		goto out_doc;
	}
	ld.taken[0] = 1; /* the root */
	r = load_root(&ld, root);
	free(ld.taken);
out_doc:
	yaml_document_delete(&doc);
out_parser:
	parser_wipe(&parser);
	yaml_parser_delete(&parser);
	return r;
}
