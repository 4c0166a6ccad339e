/* SPDX-License-Identifier: MIT */
/*
 * Keeping SAs up: lifetimes (soft = rekey, hard = delete) by time, bytes
 * and packets, dead peer detection (RFC 7296 2.4), reauthentication
 * (make-before-break, 2.8.3), what happens when a peer is found dead
 * (dpd.action), and the queued requests that wait for the window (2.3).
 *
 * Rekey margin: like strongSwan, a rekey starts a margin (a tenth of the
 * lifetime) before the hard limit, earlier by a random jitter of up to half
 * the margin, so that two peers with the same lifetimes rarely start their
 * rekeys at the same instant (2.8.1 and 2.8.2 still handle it when they do).
 */
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "ike/ike_int.h"
#include "lib/err.h"

#define RETRY_BUSY_MS	    1000  /* a due rekey found our request window busy */
#define DUPLICATE_WINDOW_MS 10000 /* two IKE SAs up this close: both sides initiated */

static uint64_t jitter(uint64_t range)
{
	uint64_t r = 0;

	if (range == 0)
		return 0;
	crypto_random(&r, sizeof(r));
	return r % range;
}

/* When the soft limit of a hard limit life (ms, bytes or packets) falls. */
static uint64_t soft_of(uint64_t life)
{
	uint64_t margin = life / 10;

	return life - margin - jitter(margin / 2 + 1);
}

bool ike_life_will_reauth(const struct ike_sa *sa)
{
	/* Only who knows the peer's address can start a new IKE SA to it. */
	return sa->t && sa->t->ike.reauth && !sa->t->peer_any;
}

void ike_life_established(struct ike_sa *sa)
{
	const struct cfg_tunnel *t = sa->t;
	uint64_t now = ike_now(sa->e);

	if (!t)
		return;
	if (t->ike.lifetime_s) {
		uint64_t life = (uint64_t)t->ike.lifetime_s * 1000;

		sa->t_rekey = now + soft_of(life);
		sa->t_expire = now + life;
	}
	if (t->dpd.action != CFG_DPD_NONE && t->dpd.interval_s)
		sa->t_dpd = now + (uint64_t)t->dpd.interval_s * 1000;
}

static void usage_check_arm(struct ike_engine *e, uint64_t now)
{
	if (!e->t_usage_check && e->p.usage_check_ms)
		e->t_usage_check = now + e->p.usage_check_ms;
}

void ike_life_child_arm(struct ike_sa *sa, struct ike_child *c)
{
	const struct cfg_tunnel *t = sa->t;

	if (!t)
		return;
	if (t->esp.lifetime_s) {
		uint64_t life = (uint64_t)t->esp.lifetime_s * 1000;

		c->t_rekey = c->installed_at + soft_of(life);
		c->t_expire = c->installed_at + life;
	}
	c->soft_bytes = t->esp.life_bytes ? soft_of(t->esp.life_bytes) : 0;
	c->soft_packets = t->esp.life_packets ? soft_of(t->esp.life_packets) : 0;
	if ((c->soft_bytes || c->soft_packets) && sa->e->io.child_usage)
		usage_check_arm(sa->e, ike_now(sa->e));
}

void ike_life_kick(struct ike_sa *sa)
{
	if (sa->req.active || sa->state == IKE_S_DEAD || sa->state == IKE_S_DELETING)
		return;
	if (sa->delete_wanted) {
		sa->delete_wanted = false;
		ike_info_delete_ike(sa);
		return;
	}
	for (struct ike_child *c = sa->children; c; c = c->next)
		if (c->delete_wanted) {
			ike_info_delete_children(sa);
			return;
		}
}

static struct ike_sa *sa_by_serial(struct ike_engine *e, unsigned serial)
{
	for (struct ike_sa *s = e->sas; s; s = s->next)
		if (s->serial == serial && s->state != IKE_S_DEAD)
			return s;
	return NULL;
}

void ike_life_reauth_done(struct ike_sa *sa)
{
	struct ike_sa *old = sa_by_serial(sa->e, sa->reauth_of);

	sa->reauth_of = 0;
	if (!old || old->t != sa->t)
		return;
	sa_log(sa, LL_INFO, "reauthenticated: this IKE SA replaces [%u], which is deleted now",
	       old->serial);
	if (old->req.active)
		old->delete_wanted = true; /* after its outstanding request */
	else
		ike_info_delete_ike(old);
}

/*
 * Both peers initiated the tunnel at once and both IKE SAs came up. Like
 * the rekey collisions of 2.8, the IKE SA whose IKE_SA_INIT holds the
 * lowest of the four nonces is redundant, and its initiator deletes it:
 * both sides reach the same verdict, and only one of them acts.
 */
void ike_life_duplicate_check(struct ike_sa *sa)
{
	for (struct ike_sa *o = sa->e->sas; o; o = o->next) {
		struct ike_sa *redundant;

		/* Only two SAs that came up together: an older one is being
		 * reauthenticated by the peer, not duplicated. */
		if (o == sa || o->t != sa->t || o->state != IKE_S_ESTABLISHED || o->rekeyed ||
		    o->reauth_of || o->reauth_started || !o->established_at ||
		    o->established_at + DUPLICATE_WINDOW_MS < ike_now(sa->e))
			continue;
		redundant = ike_nonce_cmp(sa->ni, sa->ni_len, sa->nr, sa->nr_len, o->ni, o->ni_len,
					  o->nr, o->nr_len) < 0
				    ? sa
				    : o;
		sa_log(sa, LL_INFO,
		       "both sides initiated the tunnel: IKE SA [%u] is redundant "
		       "(lowest nonce)%s",
		       redundant->serial,
		       redundant->initiator ? ", deleting it" : ", the peer deletes it");
		if (!redundant->initiator)
			continue;
		if (redundant->req.active)
			redundant->delete_wanted = true;
		else
			ike_info_delete_ike(redundant);
		return;
	}
}

/*
 * An IKE SA of t goes: CHILD SAs of its other IKE SAs whose outbound
 * waited on standby (the responder's side of a reauthentication) take
 * over now.
 */
void ike_life_sa_closing(struct ike_sa *sa)
{
	for (struct ike_sa *o = sa->e->sas; o; o = o->next) {
		if (o == sa || o->t != sa->t || o->closing || o->state == IKE_S_DEAD)
			continue;
		for (struct ike_child *c = o->children; c; c = c->next)
			if (c->standby && !c->replaces && !c->delete_wanted) {
				c->replaces = c->spi_in; /* a unique key to name it by */
				ike_child_activate_successor(o, c->spi_in);
				c->replaces = 0;
			}
	}
}

/* A tunnel held by dpd.action hold: initiate when traffic for it shows up. */
static void hold_add(struct ike_engine *e, const struct cfg_tunnel *t)
{
	struct ike_hold *h;

	for (size_t i = 0; i < e->n_holds; i++)
		if (strcmp(e->holds[i].name, t->name) == 0)
			return;
	if (e->n_holds >= sizeof(e->holds) / sizeof(e->holds[0]) || !e->io.tunnel_blocked)
		return;
	h = &e->holds[e->n_holds++];
	snprintf(h->name, sizeof(h->name), "%s", t->name);
	h->tunnel_id = (uint32_t)t->index + 1;
	h->blocked = e->io.tunnel_blocked(e->io.ctx, h->tunnel_id);
	usage_check_arm(e, ike_now(e));
}

static bool tunnel_has_other_sa(struct ike_sa *sa)
{
	for (struct ike_sa *o = sa->e->sas; o; o = o->next)
		if (o != sa && o->t == sa->t && o->state != IKE_S_DEAD &&
		    o->state != IKE_S_DELETING && !o->rekeyed)
			return true;
	return false;
}

void ike_life_dead_peer(struct ike_sa *sa, const char *why)
{
	const struct cfg_tunnel *t = sa->t;
	struct ike_engine *e = sa->e;
	struct ike_sa *old;

	ike_sa_destroy(sa, why);
	if (!t)
		return;
	/* Its reauthentication, still connecting, goes with it: the action
	 * below starts afresh (with INITIAL_CONTACT). */
	for (struct ike_sa *o = e->sas; o; o = o->next)
		if (o->reauth_of == sa->serial && o->t == t && !o->established_at &&
		    o->state != IKE_S_DEAD)
			ike_sa_destroy(o, "the IKE SA it reauthenticates is gone");
	/* A reauthentication that failed: the old IKE SA stays and tries again. */
	if (sa->reauth_of && (old = sa_by_serial(e, sa->reauth_of)) != NULL) {
		old->reauth_started = false;
		old->t_rekey = ike_now(e) + e->p.rekey_retry_ms;
		return;
	}
	/* A first attempt that never came up is not a dead peer (strongSwan's
	 * keyingtries 1); an SA that was up, or a restart of one, is. */
	if (sa->rekeyed || tunnel_has_other_sa(sa) || (!sa->established_at && !sa->restart))
		return;
	switch (t->dpd.action) {
	case CFG_DPD_RESTART:
		if (t->peer_any) {
			sa_log(sa, LL_INFO,
			       "dpd.action restart: the peer is %%any, waiting for it");
			break;
		}
		sa_log(sa, LL_INFO, "dpd.action restart: initiating a new IKE SA");
		if (ike_init_start(e, t) == 0 && e->sas && e->sas->t == t)
			e->sas->restart = true; /* ike_sa_new() puts it first */
		break;
	case CFG_DPD_HOLD:
		sa_log(sa, LL_INFO,
		       "dpd.action hold: a new IKE SA when traffic for the tunnel appears");
		hold_add(e, t);
		break;
	case CFG_DPD_CLEAR: sa_log(sa, LL_INFO, "dpd.action clear: the tunnel stays down"); break;
	case CFG_DPD_NONE: break;
	}
}

/* The peer's last sign of life: IKE, or ESP on any of its CHILD SAs. */
static uint64_t last_heard(struct ike_sa *sa)
{
	uint64_t last = sa->last_rx_at;

	if (!sa->e->io.child_usage)
		return last;
	for (struct ike_child *c = sa->children; c; c = c->next) {
		struct ike_child_usage u = {0};

		if (c->installed &&
		    sa->e->io.child_usage(sa->e->io.ctx, c->spi_in, c->spi_out, &u) == 0 &&
		    u.last_in_ms > last)
			last = u.last_in_ms;
	}
	return last;
}

static void dpd_timer(struct ike_sa *sa, uint64_t now)
{
	const struct cfg_tunnel *t = sa->t;
	uint64_t interval = (uint64_t)t->dpd.interval_s * 1000, last = last_heard(sa);

	sa->t_dpd = 0;
	if (t->dpd.action == CFG_DPD_NONE || !interval)
		return;
	if (last + interval > now) {
		sa->t_dpd = last + interval;
		return;
	}
	sa->t_dpd = now + interval;
	if (sa->req.active)
		return; /* an exchange is out: its answer or give-up tells */
	log_debug(LS_IKE, "%s[%u]: nothing from the peer for %llu s: DPD", sa->tname, sa->serial,
		  (unsigned long long)((now - last) / 1000));
	ike_info_dpd(sa, (uint64_t)t->dpd.timeout_s * 1000);
}

static void ike_rekey_due(struct ike_sa *sa, uint64_t now)
{
	if (sa->req.active) {
		sa->t_rekey = now + RETRY_BUSY_MS;
		return;
	}
	sa->t_rekey = 0;
	if (ike_life_will_reauth(sa)) {
		if (sa->reauth_started)
			return;
		sa->reauth_started = true;
		sa_log(sa, LL_INFO,
		       "IKE SA soft lifetime reached (ike.lifetime %u s): "
		       "reauthenticating (ike.reauth)",
		       sa->t->ike.lifetime_s);
		if (ike_init_start_reauth(sa->e, sa) != 0) {
			sa->reauth_started = false;
			sa->t_rekey = now + sa->e->p.rekey_retry_ms;
		}
		return;
	}
	sa_log(sa, LL_INFO, "IKE SA soft lifetime reached (ike.lifetime %u s): rekeying",
	       sa->t->ike.lifetime_s);
	if (ike_rekey_ike_start(sa) != 0)
		sa->t_rekey = now + sa->e->p.rekey_retry_ms;
}

static void child_timers(struct ike_sa *sa, uint64_t now)
{
	for (struct ike_child *c = sa->children; c; c = c->next) {
		if (c->t_expire && now >= c->t_expire && c->state != CHILD_S_DELETING) {
			c->t_expire = c->t_rekey = 0;
			sa_log(sa, LL_INFO,
			       "CHILD SA {%u} (SPIs %08x_i %08x_o) expired (hard lifetime, "
			       "esp.lifetime %u s): deleting",
			       c->serial, c->spi_in, c->spi_out, sa->t->esp.lifetime_s);
			c->delete_wanted = true;
			continue;
		}
		if (!c->t_rekey || now < c->t_rekey)
			continue;
		if (c->state != CHILD_S_INSTALLED || c->delete_wanted) {
			c->t_rekey = 0;
			continue;
		}
		if (sa->req.active || sa->state != IKE_S_ESTABLISHED) {
			c->t_rekey = now + RETRY_BUSY_MS;
			continue;
		}
		c->t_rekey = 0;
		sa_log(sa, LL_INFO, "CHILD SA {%u} soft lifetime reached: rekeying", c->serial);
		if (ike_child_rekey_start(sa, c) != 0)
			c->t_rekey = now + sa->e->p.rekey_retry_ms;
	}
}

void ike_life_sa_timers(struct ike_sa *sa, uint64_t now)
{
	if (!sa->t || (sa->state != IKE_S_ESTABLISHED && sa->state != IKE_S_REKEYING))
		return;
	if (sa->t_expire && now >= sa->t_expire) {
		sa->t_expire = 0;
		if (sa->rekeyed) {
			sa_log(sa, LL_INFO, "replaced IKE SA not deleted by the peer: deleting it");
		} else if (sa->req.active) {
			/* Our request is still unanswered: the peer is gone. */
			sa_log(sa, LL_INFO,
			       "IKE SA expired (hard lifetime, ike.lifetime %u s) while the peer "
			       "does "
			       "not answer",
			       sa->t->ike.lifetime_s);
			ike_life_dead_peer(sa, "hard lifetime reached, peer not answering");
			return;
		} else {
			sa_log(sa, LL_INFO,
			       "IKE SA expired (hard lifetime, ike.lifetime %u s): deleting",
			       sa->t->ike.lifetime_s);
		}
		ike_info_delete_ike(sa);
		return;
	}
	child_timers(sa, now);
	if (sa->t_rekey && now >= sa->t_rekey && !sa->rekeyed && sa->state == IKE_S_ESTABLISHED)
		ike_rekey_due(sa, now);
	if (sa->t_dpd && now >= sa->t_dpd)
		dpd_timer(sa, now);
	ike_life_kick(sa);
}

/* Byte and packet lifetimes of one CHILD SA against what the data path counted. */
static void usage_child(struct ike_sa *sa, struct ike_child *c, uint64_t now)
{
	const struct cfg_tunnel *t = sa->t;
	struct ike_child_usage u = {0};

	if (!c->installed || c->state == CHILD_S_DELETING || c->delete_wanted ||
	    (!c->soft_bytes && !c->soft_packets) ||
	    sa->e->io.child_usage(sa->e->io.ctx, c->spi_in, c->spi_out, &u) != 0)
		return;
	if ((t->esp.life_bytes && u.bytes >= t->esp.life_bytes) ||
	    (t->esp.life_packets && u.packets >= t->esp.life_packets)) {
		sa_log(sa, LL_INFO,
		       "CHILD SA {%u} expired (hard lifetime: %llu bytes, %llu packets): "
		       "deleting",
		       c->serial, (unsigned long long)u.bytes, (unsigned long long)u.packets);
		c->delete_wanted = true;
		return;
	}
	if (c->state == CHILD_S_INSTALLED && c->t_rekey != now &&
	    ((c->soft_bytes && u.bytes >= c->soft_bytes) ||
	     (c->soft_packets && u.packets >= c->soft_packets))) {
		sa_log(sa, LL_INFO,
		       "CHILD SA {%u} soft lifetime reached (%llu bytes, %llu packets)", c->serial,
		       (unsigned long long)u.bytes, (unsigned long long)u.packets);
		c->soft_bytes = c->soft_packets = 0;
		c->t_rekey = now; /* child_timers rekeys it */
	}
}

void ike_life_engine_timers(struct ike_engine *e, uint64_t now)
{
	bool again = false;

	if (!e->t_usage_check || now < e->t_usage_check)
		return;
	e->t_usage_check = 0;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_DEAD || !sa->t || !e->io.child_usage)
			continue;
		for (struct ike_child *c = sa->children; c; c = c->next) {
			usage_child(sa, c, now);
			again |= c->soft_bytes || c->soft_packets || sa->t->esp.life_bytes ||
				 sa->t->esp.life_packets;
		}
		if (sa->state == IKE_S_ESTABLISHED || sa->state == IKE_S_REKEYING) {
			child_timers(sa, now);
			ike_life_kick(sa);
		}
	}
	for (size_t i = 0; i < e->n_holds;) {
		struct ike_hold *h = &e->holds[i];
		const struct cfg_tunnel *t = ike_cfg_tunnel(e, h->name);
		uint64_t b = t ? e->io.tunnel_blocked(e->io.ctx, h->tunnel_id) : 0;

		if (t && b == h->blocked) {
			i++;
			continue;
		}
		if (t) {
			log_info(LS_IKE,
				 "%s: traffic for the held tunnel (dpd.action hold): initiating",
				 t->name);
			ike_init_start(e, t);
		}
		e->holds[i] = e->holds[--e->n_holds];
	}
	if (again || e->n_holds)
		usage_check_arm(e, now);
}
