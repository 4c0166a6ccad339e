/* SPDX-License-Identifier: MIT */
/*
 * esp_sa_install() / esp_sa_remove(): the stable interface between the IKE
 * engine and the data path (ARCHITECTURE.md). On the control thread: key
 * the two SAs, build new SAD, SPD and tunnel tables, publish them, and
 * retire what they replace through RCU.
 *
 * SPD handles: every installed CHILD SA gets the next id of an increasing
 * counter, and the SPD is built newest CHILD SA first. Its tie-break is
 * input order, so among equally specific selectors the newest outbound SA
 * wins: after a rekey (make-before-break) traffic moves to the new SA at
 * once, while the old inbound SA accepts what is still in flight until
 * the IKE side removes it.
 *
 * Steering: both SAs of a CHILD SA get one owner worker, round robin; the
 * owner alone advances the sequence counter and the replay window.
 */
#include <stdlib.h>
#include <string.h>

#include "esp/esp_dp_int.h"
#include "lib/err.h"
#include "lib/secret.h"

/* ---- traffic selector ranges to prefixes ---- */

/* How many low bits of a are zero (all of them for the zero address). */
static unsigned trailing_zeros(const struct addr *a)
{
	unsigned n = addr_bits(a), k = 0;

	while (k < n && !(a->b[(n - 1 - k) / 8] & (0x80 >> ((n - 1 - k) % 8))))
		k++;
	return k;
}

/* a with its low k bits set. */
static struct addr low_ones(const struct addr *a, unsigned k)
{
	struct addr r = *a;
	unsigned n = addr_bits(a);

	for (unsigned i = n - k; i < n; i++)
		r.b[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	return r;
}

/* a + 1; false on wrap-around. */
static bool incr(struct addr *a)
{
	for (size_t i = addr_len(a); i-- > 0;)
		if (++a->b[i] != 0)
			return true;
	return false;
}

int esp_range_to_cidrs(const struct addr *first, const struct addr *last, struct cidr *out,
		       size_t cap)
{
	struct addr cur = *first;
	size_t n = 0;
	unsigned bits = addr_bits(first);

	if (bits == 0 || first->family != last->family || addr_cmp(first, last) > 0)
		return IG_EINVAL;
	for (;;) {
		unsigned k = trailing_zeros(&cur);
		struct addr end;

		/* The largest aligned block at cur that ends at or before last. */
		for (; k > 0; k--) {
			end = low_ones(&cur, k);
			if (addr_cmp(&end, last) <= 0)
				break;
		}
		end = low_ones(&cur, k);
		if (n < cap)
			out[n] = (struct cidr){.a = cur, .plen = (uint8_t)(bits - k)};
		n++;
		if (addr_cmp(&end, last) >= 0 || !incr(&end))
			break;
		cur = end;
	}
	return (int)n;
}

/* The SPD selectors of n traffic selectors (ranges split into prefixes). */
static int ts_to_sels(const struct esp_ts *ts, size_t n, struct esp_spd_sel **out, size_t *nout)
{
	size_t total = 0, k = 0;
	struct esp_spd_sel *s;
	int r;

	*out = NULL;
	*nout = 0;
	for (size_t i = 0; i < n; i++) {
		if ((r = esp_range_to_cidrs(&ts[i].first, &ts[i].last, NULL, 0)) < 0)
			return r;
		total += (size_t)r;
	}
	if (!(s = calloc(total ? total : 1, sizeof(*s))))
		return IG_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct cidr c[2 * 128];
		int m = esp_range_to_cidrs(&ts[i].first, &ts[i].last, c, 2 * 128);

		for (int j = 0; j < m && k < total; j++, k++) {
			s[k].net = c[j];
			s[k].proto = ts[i].proto;
			/* OPAQUE (start > end, RFC 7296 3.13.1) is taken as any port. */
			s[k].port_lo = ts[i].port_lo <= ts[i].port_hi ? ts[i].port_lo : 0;
			s[k].port_hi = ts[i].port_lo <= ts[i].port_hi ? ts[i].port_hi : UINT16_MAX;
		}
	}
	*out = s;
	*nout = k;
	return 0;
}

/* ---- publication ---- */

/* The SPD of every CHILD SA, or only those of policy-based tunnels; newest first. */
static int spd_build(struct esp_dp *dp, bool routed_too, struct esp_spd **out)
{
	struct esp_spd_entry *e;
	size_t n = 0, i = 0;
	int r;

	for (const struct dp_child *c = dp->children; c; c = c->next)
		n++;
	if (!(e = calloc(n ? n : 1, sizeof(*e))))
		return IG_ENOMEM;
	/* Newest first: the SPD's tie-break prefers the earlier entry. */
	for (const struct dp_child *c = dp->children; c; c = c->next)
		if (routed_too || (!c->standby && !dp_tunnel_routed(dp, c->tunnel_id)))
			e[i++] = (struct esp_spd_entry){.local = c->local,
							.nlocal = c->nlocal,
							.remote = c->remote,
							.nremote = c->nremote,
							.sa_id = c->out->id};
	r = esp_spd_build(out, e, i);
	free(e);
	return r;
}

/*
 * Route-based tunnels negotiate 0.0.0.0/0 (::/0) selectors: in the
 * outbound SPD they would swallow every policy TUN packet. Their SAs are
 * found through their own TUN instead, and only the inbound check (every
 * CHILD SA's selectors) sees them.
 */
int dp_spd_rebuild(struct esp_dp *dp)
{
	struct esp_spd *all = NULL, *pol = NULL;
	int r;

	if ((r = spd_build(dp, true, &all)) != 0 || (r = spd_build(dp, false, &pol)) != 0) {
		esp_spd_free(all);
		return r;
	}
	esp_spd_publish(&dp->spd, all, &dp->rcu);
	esp_spd_publish(&dp->spd_out, pol, &dp->rcu);
	return 0;
}

static void child_free(struct dp_child *c)
{
	esp_sa_free(c->in);
	esp_sa_free(c->out);
	free(c->local);
	free(c->remote);
	free(c);
}

static int key_sa(struct esp_sa *sa, const struct esp_sa_desc *d, unsigned owner, uint32_t spd_id)
{
	const struct esp_sa_keys k = {
		.encr = d->encr,
		.keybits = d->encr_keybits,
		.enc_key = d->enc_key,
		.enc_keylen = d->enc_key_len,
		.integ = d->integ,
		.integ_key = d->int_key,
		.integ_keylen = d->int_key_len,
	};

	sa->dp.src = d->src;
	sa->dp.dst = d->dst;
	sa->dp.sport = d->sport;
	sa->dp.dport = d->dport;
	sa->dp.encap = d->encap;
	sa->dp.df = (uint8_t)d->df;
	sa->dp.tunnel_id = d->tunnel_id;
	sa->dp.spd_id = spd_id;
	sa->dp.owner = owner;
	return esp_sa_set_keys(sa, &k);
}

static int check_desc(const struct esp_sa_desc *in, const struct esp_sa_desc *out)
{
	if (!in || !out || !in->inbound || out->inbound || in->tunnel_id != out->tunnel_id ||
	    in->tunnel_id > ESP_DP_MAX_TUNNEL || out->n_local_ts == 0 || out->n_remote_ts == 0 ||
	    out->n_local_ts > ESP_SA_MAX_TS || out->n_remote_ts > ESP_SA_MAX_TS ||
	    in->enc_key_len > sizeof(in->enc_key) || out->enc_key_len > sizeof(out->enc_key) ||
	    in->int_key_len > sizeof(in->int_key) || out->int_key_len > sizeof(out->int_key) ||
	    (out->dst.family != AF_INET && out->dst.family != AF_INET6) ||
	    (out->src.family != 0 && out->src.family != out->dst.family)) {
		log_error(LS_ESP, "esp_sa_install: inconsistent SA descriptions");
		return IG_EINVAL;
	}
	if (in->mode != ESP_MODE_TUNNEL || out->mode != ESP_MODE_TUNNEL) {
		log_error(LS_ESP, "esp_sa_install: SPI %08x: transport mode is not supported",
			  in->spi);
		return IG_ENOTSUP;
	}
	return 0;
}

static struct dp_child *child_find(struct esp_dp *dp, uint32_t spi_in, uint32_t spi_out,
				   struct dp_child ***pp)
{
	struct dp_child **p;

	for (p = &dp->children; *p; p = &(*p)->next)
		if ((*p)->in->spi == spi_in && (*p)->out->spi == spi_out)
			break;
	if (pp)
		*pp = p;
	return *p;
}

int esp_sa_install(struct esp_dp *dp, const struct esp_sa_desc *in, const struct esp_sa_desc *out)
{
	const struct esp_sad *cur = esp_sad_current(&dp->sad);
	struct esp_sad *t1 = NULL, *t2 = NULL;
	struct dp_child *c;
	unsigned owner;
	uint32_t id;
	int r;

	if ((r = check_desc(in, out)) != 0)
		return r;
	if (esp_sad_lookup_in(cur, in->spi)) {
		log_error(LS_ESP, "esp_sa_install: inbound SPI %08x already installed", in->spi);
		return IG_EEXIST;
	}
	if (!(c = calloc(1, sizeof(*c))))
		return IG_ENOMEM;
	id = dp->next_id++;
	owner = id % dp->nworkers;
	c->tunnel_id = out->tunnel_id;
	c->standby = out->standby;
	if ((r = esp_sa_new(&c->in, in->spi, id, ESP_DIR_IN, in->esn, in->replay_window,
			    dp->nworkers)) != 0 ||
	    (r = esp_sa_new(&c->out, out->spi, id, ESP_DIR_OUT, out->esn, 0, dp->nworkers)) != 0 ||
	    (r = key_sa(c->in, in, owner, id)) != 0 || (r = key_sa(c->out, out, owner, id)) != 0 ||
	    (r = ts_to_sels(out->local_ts, out->n_local_ts, &c->local, &c->nlocal)) != 0 ||
	    (r = ts_to_sels(out->remote_ts, out->n_remote_ts, &c->remote, &c->nremote)) != 0 ||
	    (r = esp_sad_add(&t1, cur, c->in)) != 0 || (r = esp_sad_add(&t2, t1, c->out)) != 0)
		goto out;
	c->next = dp->children;
	dp->children = c;
	/* SAD first, so that every SPD handle the workers can see has its SA. */
	esp_sad_publish(&dp->sad, t2, &dp->rcu);
	t2 = NULL;
	if ((r = dp_spd_rebuild(dp)) != 0 || (r = dp_tunnels_rebuild(dp)) != 0) {
		/* The SAs are published: take them out the regular way. */
		esp_sa_remove(dp, in, out);
		goto out_logged;
	}
	log_info(LS_ESP, "SA in %08x out %08x installed (tunnel %u, %s, worker %u%s)", in->spi,
		 out->spi, out->tunnel_id, out->encap ? "ESP in UDP" : "raw ESP", owner,
		 out->standby ? ", outbound on standby" : "");
	esp_sad_free(t1);
	esp_dp_reclaim(dp);
	return 0;
out:
	log_error(LS_ESP, "esp_sa_install: SA in %08x out %08x: %s", in->spi, out->spi,
		  ig_strerror(r));
	child_free(c);
out_logged:
	esp_sad_free(t1);
	esp_sad_free(t2);
	return r;
}

int esp_sa_remove(struct esp_dp *dp, const struct esp_sa_desc *in, const struct esp_sa_desc *out)
{
	struct esp_sad *t1 = NULL, *t2 = NULL;
	struct dp_child *c, **pp;
	int r;

	if (!in || !out || !(c = child_find(dp, in->spi, out->spi, &pp)))
		return IG_ENOENT;
	*pp = c->next;
	/* SPD and tunnels first: nothing may select the SAs once they leave the SAD. */
	if ((r = dp_spd_rebuild(dp)) != 0 || (r = dp_tunnels_rebuild(dp)) != 0 ||
	    (r = esp_sad_del(&t1, esp_sad_current(&dp->sad), c->in)) != 0 ||
	    (r = esp_sad_del(&t2, t1, c->out)) != 0) {
		/* Out of memory: keep the SAs published and try again later. */
		c->next = *pp;
		*pp = c;
		esp_sad_free(t1);
		log_error(LS_ESP, "esp_sa_remove: SA in %08x: %s", in->spi, ig_strerror(r));
		return r;
	}
	esp_sad_publish(&dp->sad, t2, &dp->rcu);
	esp_sad_free(t1);
	/* Freed (crypto contexts wiped) once no worker can still hold them. */
	esp_sa_retire(c->in, &dp->rcu);
	esp_sa_retire(c->out, &dp->rcu);
	c->in = c->out = NULL;
	child_free(c);
	log_info(LS_ESP, "SA in %08x out %08x removed", in->spi, out->spi);
	esp_dp_reclaim(dp);
	return 0;
}

int esp_sa_activate(struct esp_dp *dp, uint32_t spi_in, uint32_t spi_out)
{
	struct dp_child *c, **pp;
	int r;

	if (!(c = child_find(dp, spi_in, spi_out, &pp)))
		return IG_ENOENT;
	if (!c->standby)
		return 0;
	/* Newest first: the activated SA wins the SPD's tie-break from now on. */
	*pp = c->next;
	c->next = dp->children;
	dp->children = c;
	c->standby = false;
	if ((r = dp_spd_rebuild(dp)) != 0 || (r = dp_tunnels_rebuild(dp)) != 0) {
		log_error(LS_ESP, "esp_sa_activate: SA out %08x: %s", spi_out, ig_strerror(r));
		return r;
	}
	log_info(LS_ESP, "SA in %08x out %08x: outbound active", spi_in, spi_out);
	esp_dp_reclaim(dp);
	return 0;
}

int esp_dp_sa_stats(struct esp_dp *dp, uint32_t spi_in, uint32_t spi_out,
		    struct esp_dp_sa_stats *st)
{
	const struct dp_child *c = child_find(dp, spi_in, spi_out, NULL);
	struct esp_sa_stats i, o;

	memset(st, 0, sizeof(*st));
	if (!c)
		return IG_ENOENT;
	esp_sa_stats(c->in, &i);
	esp_sa_stats(c->out, &o);
	st->bytes_in = i.bytes;
	st->packets_in = i.packets;
	st->bytes_out = o.bytes;
	st->packets_out = o.packets;
	st->replay_drops = i.replay_drops;
	st->icv_fails = i.icv_fails;
	st->policy_drops = i.policy_drops;
	st->malformed_in = i.malformed;
	st->seq_exhausted = o.seq_exhausted;
	st->last_in_ms = atomic_load_explicit(&c->in->dp.last_ms, memory_order_relaxed);
	st->last_out_ms = atomic_load_explicit(&c->out->dp.last_ms, memory_order_relaxed);
	return 0;
}
