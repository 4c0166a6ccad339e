/* SPDX-License-Identifier: MIT */
/*
 * What every importer shares: the peer list and its messages, a bounded
 * line reader, word splitting with quotes, times, DH group names,
 * proposal and CIDR lists, and the PSK (a struct secret, wiped on free).
 */
#include "cli/import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/err.h"

static const char *const fmt_names[] = {
	[IMP_FMT_VYOS] = "vyos",
	[IMP_FMT_SWANCTL] = "swanctl",
	[IMP_FMT_IPSECCONF] = "ipsec.conf",
};

int imp_fmt_parse(const char *s, enum imp_fmt *out)
{
	if (!strcmp(s, "vyos"))
		*out = IMP_FMT_VYOS;
	else if (!strcmp(s, "swanctl"))
		*out = IMP_FMT_SWANCTL;
	else if (!strcmp(s, "ipsec.conf") || !strcmp(s, "ipsecconf") || !strcmp(s, "strongswan"))
		*out = IMP_FMT_IPSECCONF;
	else
		return IG_EINVAL;
	return 0;
}

const char *imp_fmt_name(enum imp_fmt f)
{
	return (unsigned)f < 3 ? fmt_names[f] : "?";
}

enum imp_fmt imp_fmt_detect(const char *text, size_t len)
{
	struct imp_lines l;
	char line[IMP_LINE_MAX];
	int r;

	imp_lines_init(&l, text, len);
	while ((r = imp_lines_next(&l, line)) != 0) {
		char *s = imp_trim(line);

		if (r < 0 || !*s || *s == '#')
			continue;
		if (!strncmp(s, "set ", 4))
			return IMP_FMT_VYOS;
		if (!strncmp(s, "connections", 11) || !strncmp(s, "secrets", 7))
			return IMP_FMT_SWANCTL;
		if (!strncmp(s, "conn ", 5) || !strncmp(s, "config ", 7))
			return IMP_FMT_IPSECCONF;
	}
	return IMP_FMT_IPSECCONF;
}

void imp_peer_init(struct imp_peer *p, enum imp_fmt fmt, const char *source)
{
	memset(p, 0, sizeof(*p));
	p->fmt = fmt;
	p->source = source ? source : "-";
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

void imp_peer_free(struct imp_peer *p)
{
	for (size_t i = 0; i < p->n; i++)
		secret_free(p->t[i].psk);
	if (p->t)
		secret_wipe(p->t, p->n * sizeof(*p->t));
	free(p->t);
	free_list(p->notes, p->n_notes);
	free_list(p->errors, p->n_errors);
	memset(p, 0, sizeof(*p));
}

struct imp_tunnel *imp_tunnel_add(struct imp_peer *p, const char *name, uint32_t line)
{
	struct imp_tunnel *n, *t;

	if (p->n >= IMP_MAX_TUNNELS) {
		imp_error(p, line, "more than %d connections", IMP_MAX_TUNNELS);
		return NULL;
	}
	if (!(n = realloc(p->t, (p->n + 1) * sizeof(*n)))) {
		p->oom = true;
		return NULL;
	}
	p->t = n;
	t = &p->t[p->n++];
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->line = line;
	return t;
}

__attribute__((format(printf, 5, 0))) static void push(struct imp_peer *p, char ***list, size_t *n,
						       uint32_t line, const char *fmt, va_list ap)
{
	char *msg = NULL, *full = NULL, **nl;

	if (*n >= IMP_MAX_MESSAGES)
		return;
	if (vasprintf(&msg, fmt, ap) < 0) {
		p->oom = true;
		return;
	}
	if ((line ? asprintf(&full, "%s:%u: %s", p->source, line, msg)
		  : asprintf(&full, "%s: %s", p->source, msg)) < 0) {
		free(msg);
		p->oom = true;
		return;
	}
	free(msg);
	if (!(nl = realloc(*list, (*n + 1) * sizeof(*nl)))) {
		free(full);
		p->oom = true;
		return;
	}
	*list = nl;
	nl[(*n)++] = full;
}

void imp_note(struct imp_peer *p, uint32_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	push(p, &p->notes, &p->n_notes, line, fmt, ap);
	va_end(ap);
}

void imp_error(struct imp_peer *p, uint32_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	push(p, &p->errors, &p->n_errors, line, fmt, ap);
	va_end(ap);
}

void imp_lines_init(struct imp_lines *l, const char *p, size_t len)
{
	l->p = p;
	l->len = len;
	l->pos = 0;
	l->lineno = 0;
}

int imp_lines_next(struct imp_lines *l, char line[static IMP_LINE_MAX])
{
	size_t n = 0;
	bool bad = false;

	if (l->pos >= l->len)
		return 0;
	l->lineno++;
	while (l->pos < l->len) {
		char ch = l->p[l->pos++];

		if (ch == '\n')
			break;
		if (ch == '\0')
			bad = true;
		if (n < IMP_LINE_MAX - 1)
			line[n++] = ch;
		else
			bad = true;
	}
	if (n && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	return bad ? IG_EINVAL : 1;
}

int imp_lines_read(struct imp_lines *l, char line[static IMP_LINE_MAX], struct imp_peer *p)
{
	int r;

	while ((r = imp_lines_next(l, line)) < 0)
		imp_error(p, l->lineno, "line too long or holds a NUL byte");
	return r;
}

char *imp_trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

int imp_split(char *s, char **words, int max)
{
	int n = 0;
	char *w = s;

	while (*s) {
		char *start;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		start = w;
		while (*s && *s != ' ' && *s != '\t') {
			if (*s == '\'' || *s == '"') {
				char q = *s++;

				while (*s && *s != q)
					*w++ = *s++;
				if (*s != q)
					return IG_EINVAL;
				s++;
			} else {
				*w++ = *s++;
			}
		}
		if (*s)
			s++;
		*w++ = '\0';
		if (n < max)
			words[n++] = start;
	}
	return n;
}

int imp_seconds(const char *s, uint32_t *out)
{
	unsigned long long v = 0, mul = 1;
	const char *p = s;

	if (!*p)
		return IG_EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > UINT32_MAX)
			return IG_EINVAL;
	}
	if (p == s)
		return IG_EINVAL;
	if (*p == 's')
		p++;
	else if (*p == 'm')
		mul = 60, p++;
	else if (*p == 'h')
		mul = 3600, p++;
	else if (*p == 'd')
		mul = 86400, p++;
	if (*p || v * mul > UINT32_MAX)
		return IG_EINVAL;
	*out = (uint32_t)(v * mul);
	return 0;
}

const char *imp_dh_name(unsigned group)
{
	switch (group) {
	case 2: return "modp1024";
	case 5: return "modp1536";
	case 14: return "modp2048";
	case 15: return "modp3072";
	case 16: return "modp4096";
	case 19: return "ecp256";
	case 20: return "ecp384";
	case 21: return "ecp521";
	case 31: return "curve25519";
	default: return NULL;
	}
}

size_t imp_proposals(struct imp_peer *p, uint32_t line, const char *list, enum proposal_kind kind,
		     struct proposal *out, size_t max)
{
	char buf[IMP_LINE_MAX], err[PROPOSAL_ERRLEN];
	size_t n = 0;
	char *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		if (n == max) {
			imp_note(p, line, "proposal '%s' not mapped: more than %zu proposals", tok,
				 max);
			continue;
		}
		if (proposal_parse(tok, kind, &out[n], err, sizeof(err)) != 0) {
			imp_note(p, line, "%s proposal not mapped: %s",
				 kind == PROPOSAL_IKE ? "IKE" : "ESP", err);
			continue;
		}
		/* strongSwan's '!' (no default proposals added) has no meaning for us. */
		out[n++].strict = false;
	}
	return n;
}

void imp_cidrs(struct imp_peer *p, uint32_t line, const char *list, struct cidr *out, size_t *n,
	       size_t max)
{
	char buf[IMP_LINE_MAX];
	char *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		struct cidr c;
		int r = cidr_parse(tok, &c, 0);

		if (r == IG_EHOSTBITS) {
			imp_note(p, line, "'%s' has host bits set; taken as its network", tok);
			cidr_network(&c, &c);
		} else if (r != 0) {
			imp_error(p, line, "'%s' is not a subnet (address/prefix)", tok);
			continue;
		}
		if (*n == max) {
			imp_note(p, line, "subnet %s not mapped: more than %zu subnets", tok, max);
			continue;
		}
		out[(*n)++] = c;
	}
}

int imp_set_psk(struct imp_tunnel *t, const char *s, size_t len)
{
	struct secret *n = secret_dup(s, len);

	if (!n)
		return IG_ENOMEM;
	secret_free(t->psk);
	t->psk = n;
	return 0;
}

void imp_addr(const char *s, struct addr *a)
{
	if (addr_parse(s, a) != 0)
		memset(a, 0, sizeof(*a));
}

bool imp_addr_private(const struct addr *a)
{
	static const struct {
		const char *net;
	} nets[] = {{"10.0.0.0/8"},  {"172.16.0.0/12"},	 {"192.168.0.0/16"}, {"100.64.0.0/10"},
		    {"127.0.0.0/8"}, {"169.254.0.0/16"}, {"0.0.0.0/8"},	     {"fc00::/7"},
		    {"fe80::/10"},   {"::1/128"}};

	if (!a->family)
		return true;
	for (size_t i = 0; i < sizeof(nets) / sizeof(nets[0]); i++) {
		struct cidr c;

		if (cidr_parse(nets[i].net, &c, 0) == 0 && c.a.family == a->family &&
		    cidr_contains_addr(&c, a))
			return true;
	}
	return false;
}

int imp_read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int r = 0;

	*out = NULL;
	*len = 0;
	if (!f)
		return IG_EIO;
	for (;;) {
		size_t got;

		if (cap - n < 4097) {
			char *nb;

			if (cap >= (1u << 20)) {
				r = IG_ERANGE;
				goto out;
			}
			cap = cap ? cap * 2 : 8192;
			if (!(nb = realloc(buf, cap + 1))) {
				r = IG_ENOMEM;
				goto out;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		r = IG_EIO;
out:
	fclose(f);
	if (r != 0) {
		/* The file may hold a PSK. */
		if (buf)
			secret_wipe(buf, n);
		free(buf);
		return r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int imp_parse(struct imp_peer *p, const char *text, size_t len, const char *secrets,
	      size_t secrets_len, const char *secrets_name)
{
	int r;

	switch (p->fmt) {
	case IMP_FMT_VYOS: r = imp_parse_vyos(p, text, len); break;
	case IMP_FMT_SWANCTL: r = imp_parse_swanctl(p, text, len); break;
	case IMP_FMT_IPSECCONF:
		r = imp_parse_ipsecconf(p, text, len, secrets, secrets_len, secrets_name);
		break;
	default: r = IG_EINVAL;
	}
	if (p->oom)
		return IG_ENOMEM;
	if (r == 0 && p->n == 0)
		imp_error(p, 0, "no %s connection found", imp_fmt_name(p->fmt));
	return p->n_errors ? IG_EINVAL : r;
}
