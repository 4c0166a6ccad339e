/* SPDX-License-Identifier: MIT */
#include "esp/spd.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/err.h"

/* One (local, remote) selector pair of an entry. */
struct pair {
	struct esp_spd_sel l, r;
	uint32_t sa_id;
	uint32_t order; /* position in the build input: the tie-break */
};

struct esp_spd {
	size_t n4, n6, n;
	struct pair *v4, *v6; /* by specificity, most specific first */
	struct pair *by_sa;   /* by sa_id, then order */
	struct pair mem[];    /* 2 * n */
};

static bool sel_valid(const struct esp_spd_sel *s)
{
	if (s->net.a.family != AF_INET && s->net.a.family != AF_INET6)
		return false;
	return s->net.plen <= addr_bits(&s->net.a) && s->port_lo <= s->port_hi;
}

static unsigned port_width(const struct esp_spd_sel *s)
{
	return (unsigned)s->port_hi - s->port_lo;
}

/* Negative if a is more specific than b (sorts first). */
static int by_specificity(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;

	if (a->r.net.plen != b->r.net.plen)
		return a->r.net.plen > b->r.net.plen ? -1 : 1;
	if (a->l.net.plen != b->l.net.plen)
		return a->l.net.plen > b->l.net.plen ? -1 : 1;
	if ((a->l.proto || a->r.proto) != (b->l.proto || b->r.proto))
		return (a->l.proto || a->r.proto) ? -1 : 1;
	if (port_width(&a->r) != port_width(&b->r))
		return port_width(&a->r) < port_width(&b->r) ? -1 : 1;
	if (port_width(&a->l) != port_width(&b->l))
		return port_width(&a->l) < port_width(&b->l) ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static int by_sa(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;

	if (a->sa_id != b->sa_id)
		return a->sa_id < b->sa_id ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

int esp_spd_build(struct esp_spd **out, const struct esp_spd_entry *e, size_t n)
{
	struct esp_spd *t;
	size_t np = 0, k = 0;
	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < e[i].nlocal; j++)
			if (!sel_valid(&e[i].local[j]))
				return IG_EINVAL;
		for (size_t j = 0; j < e[i].nremote; j++) {
			if (!sel_valid(&e[i].remote[j]))
				return IG_EINVAL;
			for (size_t l = 0; l < e[i].nlocal; l++)
				np += e[i].local[l].net.a.family == e[i].remote[j].net.a.family;
		}
	}
	if (np > (SIZE_MAX - sizeof(*t)) / (2 * sizeof(struct pair)))
		return IG_ENOMEM;
	t = calloc(1, sizeof(*t) + 2 * np * sizeof(struct pair));
	if (!t)
		return IG_ENOMEM;
	t->n = np;
	t->by_sa = t->mem + np;
	/* IPv4 pairs first, then IPv6, each in input order. */
	for (int pass = 0; pass < 2; pass++) {
		uint8_t fam = pass == 0 ? AF_INET : AF_INET6;

		for (size_t i = 0; i < n; i++)
			for (size_t l = 0; l < e[i].nlocal; l++)
				for (size_t r = 0; r < e[i].nremote; r++) {
					struct pair *p = &t->mem[k];

					if (e[i].local[l].net.a.family != fam ||
					    e[i].remote[r].net.a.family != fam)
						continue;
					p->l = e[i].local[l];
					p->r = e[i].remote[r];
					cidr_network(&e[i].local[l].net, &p->l.net);
					cidr_network(&e[i].remote[r].net, &p->r.net);
					p->sa_id = e[i].sa_id;
					/* input order: entry, then local, then remote selector */
					p->order = (uint32_t)k;
					k++;
				}
		if (pass == 0)
			t->n4 = k;
	}
	t->n6 = k - t->n4;
	t->v4 = t->mem;
	t->v6 = t->mem + t->n4;
	memcpy(t->by_sa, t->mem, np * sizeof(struct pair));
	qsort(t->v4, t->n4, sizeof(struct pair), by_specificity);
	qsort(t->v6, t->n6, sizeof(struct pair), by_specificity);
	qsort(t->by_sa, np, sizeof(struct pair), by_sa);
	*out = t;
	return 0;
}

void esp_spd_free(struct esp_spd *t)
{
	free(t);
}

size_t esp_spd_pairs(const struct esp_spd *t)
{
	return t ? t->n : 0;
}

static bool sel_match(const struct esp_spd_sel *s, const struct esp_inner *pkt,
		      const struct addr *a, uint16_t port)
{
	if (!cidr_contains_addr(&s->net, a))
		return false;
	if (s->proto && s->proto != pkt->proto)
		return false;
	if (s->port_lo == 0 && s->port_hi == UINT16_MAX)
		return true;
	/* RFC 4301 4.4.1.1: unknown ports (OPAQUE) match only ANY. */
	return pkt->ports_ok && port >= s->port_lo && port <= s->port_hi;
}

static bool out_match(const struct pair *p, const struct esp_inner *pkt)
{
	return sel_match(&p->l, pkt, &pkt->src, pkt->sport) &&
	       sel_match(&p->r, pkt, &pkt->dst, pkt->dport);
}

int esp_spd_lookup(const struct esp_spd *t, const struct esp_inner *pkt, uint32_t *sa_id)
{
	const struct pair *v;
	size_t n;

	if (!t)
		return IG_ENOENT;
	if (pkt->src.family == AF_INET) {
		v = t->v4;
		n = t->n4;
	} else {
		v = t->v6;
		n = t->n6;
	}
	for (size_t i = 0; i < n; i++)
		if (out_match(&v[i], pkt)) {
			*sa_id = v[i].sa_id;
			return 0;
		}
	return IG_ENOENT;
}

bool esp_spd_inbound_ok(const struct esp_spd *t, uint32_t sa_id, const struct esp_inner *pkt)
{
	size_t lo = 0, hi;

	if (!t)
		return false;
	/* First pair of sa_id. */
	hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->by_sa[mid].sa_id < sa_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n && t->by_sa[lo].sa_id == sa_id; lo++) {
		const struct pair *p = &t->by_sa[lo];

		if (sel_match(&p->r, pkt, &pkt->src, pkt->sport) &&
		    sel_match(&p->l, pkt, &pkt->dst, pkt->dport))
			return true;
	}
	return false;
}

void esp_spd_pub_init(struct esp_spd_pub *p)
{
	atomic_init(&p->cur, NULL);
}

const struct esp_spd *esp_spd_current(struct esp_spd_pub *p)
{
	return atomic_load_explicit(&p->cur, memory_order_acquire);
}

static void spd_free_cb(void *p)
{
	esp_spd_free(p);
}

void esp_spd_publish(struct esp_spd_pub *p, struct esp_spd *t, struct esp_rcu *rcu)
{
	/* Only the control thread stores, so a relaxed read of the old value is enough. */
	struct esp_spd *old = atomic_load_explicit(&p->cur, memory_order_relaxed);

	atomic_store_explicit(&p->cur, t, memory_order_release);
	if (old)
		esp_rcu_defer(rcu, spd_free_cb, old);
}
