/* SPDX-License-Identifier: MIT */
/*
 * The engine: input dispatch (header, SA lookup, message IDs, SK), timers,
 * operator actions and status. Exchanges live in ikev2_*.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "ike/ike_int.h"
#include "ike/ike_names.h"
#include "ike/ike_tsel.h"
#include "lib/err.h"
#include "lib/secret.h"

#define PLAIN_BUF 65536

static const struct ike_params defaults = {
	.retransmit_ms = 2000,
	.retransmit_tries = 5,
	.half_open_ms = 30000,
	.cookie_threshold = 64,
	.keepalive_ms = 20000,
	.max_sas = 10000,
	.usage_check_ms = 1000,
	.rekey_retry_ms = 10000,
};

int ike_engine_new(struct ike_engine **out, const struct ike_io *io)
{
	struct ike_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return IG_ENOMEM;
	e->io = *io;
	e->p = defaults;
	ike_guard_init(&e->guard);
	*out = e;
	return 0;
}

struct ike_params *ike_engine_params(struct ike_engine *e)
{
	return &e->p;
}

void ike_engine_free(struct ike_engine *e)
{
	if (!e)
		return;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		ike_sa_destroy(sa, NULL);
	ike_sa_reap(e);
	secret_wipe(e->cookie_secret, sizeof(e->cookie_secret));
	free(e);
}

const struct cfg_tunnel *ike_cfg_tunnel(const struct ike_engine *e, const char *name)
{
	if (!e->cfg)
		return NULL;
	for (size_t i = 0; i < e->cfg->n_tunnels; i++)
		if (strcmp(e->cfg->tunnels[i].name, name) == 0)
			return &e->cfg->tunnels[i];
	return NULL;
}

size_t ike_cfg_tunnels_for_peer(const struct ike_engine *e, const struct addr *addr,
				const struct cfg_tunnel **out, size_t max)
{
	size_t n = 0;

	if (!e->cfg)
		return 0;
	/* Tunnels naming this peer first, then the %any ones. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < e->cfg->n_tunnels && n < max; i++) {
			const struct cfg_tunnel *t = &e->cfg->tunnels[i];

			if (pass == 0 ? (!t->peer_any && addr_eq(&t->peer, addr)) : t->peer_any)
				out[n++] = t;
		}
	return n;
}

size_t ike_engine_sa_total(struct ike_engine *e)
{
	size_t n = 0;

	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		n += sa->state != IKE_S_DEAD;
	return n;
}

int ike_engine_set_config(struct ike_engine *e, const struct cfg *cfg)
{
	e->cfg = cfg;
	/* Rebind every SA to its tunnel in the new config, by name. */
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		const struct cfg_tunnel *t;

		if (sa->state == IKE_S_DEAD || !sa->tname[0])
			continue;
		t = ike_cfg_tunnel(e, sa->tname);
		if (!t) {
			sa->t = NULL;
			ike_sa_destroy(sa, "its tunnel was removed from the config");
			continue;
		}
		sa->t = t;
	}
	ike_sa_reap(e);
	return 0;
}

static void rx_drop(struct ike_engine *e, const struct ike_endpoint *from, const char *why,
		    const struct ike_parse_err *err, enum ike_drop d)
{
	ike_guard_drop(e, d, from, why, err);
}

/*
 * 2.23: once authenticated, follow the peer to port 4500 and to a new
 * address if its NAT mapping changed.
 */
static void follow_peer(struct ike_sa *sa, const struct ike_endpoint *from,
			const struct ike_endpoint *to)
{
	if (to->port == IKE_NATT_PORT && sa->local.port != IKE_NATT_PORT) {
		sa->natt = true;
		sa->local = *to;
	}
	if (sa->natt && (!addr_eq(&sa->remote.addr, &from->addr) || sa->remote.port != from->port)) {
		char a[ADDR_STRLEN];

		if (sa->state == IKE_S_ESTABLISHED)
			sa_log(sa, LL_INFO, "peer moved to %s:%u", addr_format(&from->addr, a, sizeof(a)),
			       from->port);
		sa->remote = *from;
	}
}

static void on_sa_message(struct ike_engine *e, struct ike_sa *sa, struct ike_msg *m,
			  const struct ike_endpoint *from, const struct ike_endpoint *to)
{
	struct ike_parse_err err = { 0 };
	uint8_t *plain;
	bool response = ike_hdr_is_response(&m->hdr);

	/* The I flag says who sent it: it must be the other side (3.1). */
	if (ike_hdr_from_initiator(&m->hdr) == sa->initiator) {
		rx_drop(e, from, "wrong Initiator flag", NULL, IKE_DROP_MALFORMED);
		return;
	}
	if (response) {
		if (!sa->req.active || m->hdr.msg_id != sa->req.msg_id ||
		    m->hdr.exchange != sa->req.exchange) {
			ike_guard_drop(e, IKE_DROP_WINDOW, from, "unexpected response", NULL);
			return;
		}
	} else {
		/* 2.3: a retransmitted request gets the cached response again. */
		if (sa->resp_valid && m->hdr.msg_id + 1 == sa->peer_msg_id) {
			e->guard.retransmits_answered++;
			if (ike_guard_log_ok(e))
				log_debug(LS_IKE,
					  "%s[%u]: request %u retransmitted, resending response",
					  sa->tname, sa->serial, m->hdr.msg_id);
			ike_sendto(e, &sa->local, &sa->remote, sa->resp_buf, sa->resp_len);
			return;
		}
		if (m->hdr.msg_id != sa->peer_msg_id) {
			ike_guard_drop(e, IKE_DROP_WINDOW, from, "request out of window", NULL);
			return;
		}
	}
	if (!(plain = malloc(PLAIN_BUF)))
		return;
	if (ike_sk_open(sa, m, plain, PLAIN_BUF, &err) != 0) {
		rx_drop(e, from, "cannot decrypt", &err, IKE_DROP_DECRYPT);
		goto out;
	}
	sa->last_rx_at = ike_now(e);
	follow_peer(sa, from, to);
	if (response) {
		ike_request_done(sa);
		switch (m->hdr.exchange) {
		case IKEV2_EXCH_IKE_AUTH: ike_auth_on_response(sa, m); break;
		case IKEV2_EXCH_INFORMATIONAL: ike_info_on_response(sa, m); break;
		case IKEV2_EXCH_CREATE_CHILD_SA: ike_ccsa_on_response(sa, m); break;
		default: break;
		}
	} else {
		sa->peer_msg_id++;
		switch (m->hdr.exchange) {
		case IKEV2_EXCH_IKE_AUTH: ike_auth_on_request(sa, m); break;
		case IKEV2_EXCH_INFORMATIONAL: ike_info_on_request(sa, m); break;
		case IKEV2_EXCH_CREATE_CHILD_SA: ike_ccsa_on_request(sa, m); break;
		default: break;
		}
	}
	/* A request slot may have come free: queued Deletes go now. */
	ike_life_kick(sa);
out:
	secret_wipe(plain, PLAIN_BUF);
	free(plain);
}

void ike_input(struct ike_engine *e, const uint8_t *pkt, size_t len,
	       const struct ike_endpoint *from, const struct ike_endpoint *to)
{
	struct ike_parse_err err = { 0 };
	struct ike_msg *m = malloc(sizeof(*m));
	struct ike_sa *sa;
	struct ike_hdr h;
	int r;

	if (!m)
		return;
	if ((r = ike_hdr_parse(pkt, len, &h, &err)) != 0) {
		rx_drop(e, from, "bad header", &err, ike_guard_parse_class(r, &err, true));
		goto out;
	}
	if ((r = ike_msg_parse(pkt, len, m, &err)) != 0) {
		/* An unknown critical payload in a request deserves an answer
		 * (2.5), but only inside an authenticated exchange. */
		rx_drop(e, from, "malformed", &err, ike_guard_parse_class(r, &err, false));
		goto out;
	}
	if (h.exchange == IKEV2_EXCH_IKE_SA_INIT) {
		if (!ike_hdr_is_response(&h)) {
			sa = ike_sa_find_half(e, h.spi_i, from, false);
			if (sa) {
				/* Retransmitted IKE_SA_INIT: same answer (2.1). */
				if (sa->resp_valid && sa->state == IKE_S_HALF_OPEN &&
				    h.msg_id == 0) {
					e->guard.retransmits_answered++;
					ike_sendto(e, &sa->local, &sa->remote, sa->resp_buf,
						   sa->resp_len);
				} else {
					ike_guard_drop(e, IKE_DROP_WINDOW, from,
						       "IKE_SA_INIT for an SA past it", NULL);
				}
				goto out;
			}
			ike_init_on_request(e, m, from, to);
		} else {
			sa = ike_sa_find_half(e, h.spi_i, from, true);
			if (sa && sa->state == IKE_S_INIT_SENT &&
			    addr_eq(&sa->remote.addr, &from->addr)) {
				sa->last_rx_at = ike_now(e);
				ike_init_on_response(sa, m);
			} else {
				ike_guard_drop(e, IKE_DROP_WINDOW, from,
					       "unexpected IKE_SA_INIT response", NULL);
			}
		}
		goto out;
	}
	sa = ike_sa_find(e, h.spi_i, h.spi_r);
	if (!sa) {
		char why[96];

		snprintf(why, sizeof(why), "%s %s for unknown IKE SA %016llx_i %016llx_r",
			 ike_exchange_name(h.exchange, NULL),
			 ike_hdr_is_response(&h) ? "response" : "request",
			 (unsigned long long)h.spi_i, (unsigned long long)h.spi_r);
		ike_guard_drop(e, IKE_DROP_UNKNOWN_SA, from, why, NULL);
		goto out;
	}
	on_sa_message(e, sa, m, from, to);
out:
	free(m);
	ike_sa_reap(e);
}

static uint64_t min_nz(uint64_t a, uint64_t b)
{
	if (!b)
		return a;
	return a < b ? a : b;
}

uint64_t ike_engine_next_timer(struct ike_engine *e)
{
	uint64_t t = UINT64_MAX;

	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_DEAD)
			continue;
		t = min_nz(t, sa->t_retransmit);
		t = min_nz(t, sa->t_half_open);
		t = min_nz(t, sa->t_keepalive);
		/* Lifetimes and DPD run only while the SA is up (ike_life_sa_timers). */
		if (sa->state != IKE_S_ESTABLISHED && sa->state != IKE_S_REKEYING)
			continue;
		t = min_nz(t, sa->t_dpd);
		t = min_nz(t, sa->t_rekey);
		t = min_nz(t, sa->t_expire);
		for (struct ike_child *c = sa->children; c; c = c->next) {
			t = min_nz(t, c->t_rekey);
			t = min_nz(t, c->t_expire);
		}
	}
	return min_nz(t, e->t_usage_check);
}

void ike_engine_run_timers(struct ike_engine *e)
{
	uint64_t now = ike_now(e);

	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_DEAD)
			continue;
		ike_xmit_timer(sa, now);
		if (sa->state == IKE_S_DEAD)
			continue;
		if (sa->t_half_open && now >= sa->t_half_open) {
			sa->t_half_open = 0;
			ike_sa_destroy(sa, "IKE_AUTH did not arrive in time after IKE_SA_INIT");
			continue;
		}
		if (sa->t_keepalive && now >= sa->t_keepalive) {
			/* RFC 3948 4: only the side behind the NAT needs to keep it open. */
			if (e->io.send_keepalive)
				e->io.send_keepalive(e->io.ctx, &sa->local, &sa->remote);
			sa->t_keepalive = now + e->p.keepalive_ms;
		}
		ike_life_sa_timers(sa, now);
	}
	ike_life_engine_timers(e, now);
	ike_sa_reap(e);
}

static struct ike_sa *tunnel_sa(struct ike_engine *e, const struct cfg_tunnel *t)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (sa->t == t && sa->state != IKE_S_DEAD && sa->state != IKE_S_DELETING)
			return sa;
	return NULL;
}

static void hold_drop(struct ike_engine *e, const char *tunnel)
{
	for (size_t i = 0; i < e->n_holds; i++)
		if (strcmp(e->holds[i].name, tunnel) == 0) {
			e->holds[i] = e->holds[--e->n_holds];
			return;
		}
}

int ike_engine_initiate(struct ike_engine *e, const char *tunnel)
{
	const struct cfg_tunnel *t = ike_cfg_tunnel(e, tunnel);
	struct ike_sa *sa;

	if (!t)
		return IG_ENOENT;
	if (t->ike.version != CFG_IKE_V2)
		return IG_ENOTSUP;
	hold_drop(e, tunnel);
	if ((sa = tunnel_sa(e, t)) != NULL) {
		/* Up but without a CHILD SA (it expired, the peer deleted it): ask
		 * for one on the IKE SA we have. */
		if (sa->state == IKE_S_ESTABLISHED && !sa->children && !sa->rekeyed)
			return sa->req.active ? IG_EAGAIN : ike_child_add_start(sa);
		return 0;
	}
	return ike_init_start(e, t);
}

int ike_engine_rekey(struct ike_engine *e, const char *tunnel, bool ike)
{
	const struct cfg_tunnel *t = ike_cfg_tunnel(e, tunnel);
	struct ike_sa *sa = NULL;

	if (!t)
		return IG_ENOENT;
	for (struct ike_sa *s = e->sas; s && !sa; s = s->next)
		if (s->t == t && s->state == IKE_S_ESTABLISHED && !s->rekeyed)
			sa = s;
	if (!sa)
		return IG_ENOENT;
	if (sa->req.active)
		return IG_EAGAIN;
	if (ike)
		return ike_rekey_ike_start(sa);
	for (struct ike_child *c = sa->children; c; c = c->next)
		if (c->state == CHILD_S_INSTALLED && !c->delete_wanted)
			return ike_child_rekey_start(sa, c);
	return IG_ENOENT;
}

int ike_engine_terminate(struct ike_engine *e, const char *tunnel)
{
	const struct cfg_tunnel *t = ike_cfg_tunnel(e, tunnel);
	struct ike_sa *sa;

	if (!t)
		return IG_ENOENT;
	hold_drop(e, tunnel);
	while ((sa = tunnel_sa(e, t)) != NULL) {
		if (sa->state == IKE_S_ESTABLISHED || sa->state == IKE_S_REKEYING)
			ike_info_delete_ike(sa);
		else
			ike_sa_destroy(sa, "terminated by the operator");
	}
	ike_sa_reap(e);
	return 0;
}

void ike_engine_terminate_all(struct ike_engine *e)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_ESTABLISHED || sa->state == IKE_S_REKEYING)
			ike_info_delete_ike(sa);
		else if (sa->state != IKE_S_DELETING)
			ike_sa_destroy(sa, "shutting down");
	}
	ike_sa_reap(e);
}

static const char *sa_state_text(enum ike_state s)
{
	switch (s) {
	case IKE_S_ESTABLISHED: return "established";
	case IKE_S_REKEYING: return "rekeying";
	case IKE_S_DELETING:
	case IKE_S_DEAD: return "deleting";
	default: return "connecting";
	}
}

static void alg_copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

void ike_engine_status(struct ike_engine *e, ike_sa_status_fn fn, void *ctx)
{
	uint64_t now = ike_now(e);

	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		struct ike_child_status cs[16];
		struct ike_sa_status s = { 0 };
		size_t n = 0;

		if (sa->state == IKE_S_DEAD)
			continue;
		s.tunnel = sa->tname;
		s.serial = sa->serial;
		s.state = sa_state_text(sa->state);
		s.version = 2;
		s.initiator = sa->initiator;
		s.local = sa->local;
		s.remote = sa->remote;
		if (sa->t) {
			uint8_t type, buf[16];
			const uint8_t *d;
			size_t l;

			ike_local_id(sa, &type, &d, &l, buf, sizeof(buf));
			ike_id_format(type, d, l, s.local_id, sizeof(s.local_id));
			snprintf(s.remote_id, sizeof(s.remote_id), "%s",
				 sa->t->remote_id.text ? sa->t->remote_id.text : "");
		}
		if (sa->keys_ready) {
			alg_copy(s.encryption, sizeof(s.encryption),
				 alg_encr_name(sa->prop.encr, sa->prop.encr_keybits));
			alg_copy(s.integrity, sizeof(s.integrity),
				 sa->prop.integ ? alg_integ_name(sa->prop.integ) : "");
			alg_copy(s.prf, sizeof(s.prf), alg_prf_name(sa->prop.prf));
			alg_copy(s.dh_group, sizeof(s.dh_group), alg_dh_name(sa->prop.dh));
		}
		s.nat_t = sa->natt;
		s.nat_local = sa->nat_here;
		s.nat_remote = sa->nat_there;
		s.spi_i = sa->spi_i;
		s.spi_r = sa->spi_r;
		s.established_s = sa->established_at ? (now - sa->established_at) / 1000 : 0;
		s.rekey_in_s = s.reauth_in_s = -1;
		if (sa->t_rekey && !sa->rekeyed) {
			int64_t in = sa->t_rekey > now ? (int64_t)(sa->t_rekey - now) / 1000 : 0;

			if (ike_life_will_reauth(sa))
				s.reauth_in_s = in;
			else
				s.rekey_in_s = in;
		}
		for (struct ike_child *c = sa->children; c && n < 16; c = c->next, n++) {
			struct ike_child_status *x = &cs[n];

			memset(x, 0, sizeof(*x));
			x->tunnel = sa->tname;
			x->child = c->serial;
			x->state = c->state == CHILD_S_INSTALLED  ? "installed"
				   : c->state == CHILD_S_REKEYING ? "rekeying"
				   : c->state == CHILD_S_REKEYED  ? "rekeyed"
								  : "deleting";
			x->transport = c->transport;
			x->encap = sa->natt && (sa->nat_here || sa->nat_there);
			x->spi_in = c->spi_in;
			x->spi_out = c->spi_out;
			ike_chosen_names(&c->esp, x->proposal, sizeof(x->proposal));
			ike_tsel_format(&c->ts_local, x->local_ts, sizeof(x->local_ts));
			ike_tsel_format(&c->ts_remote, x->remote_ts, sizeof(x->remote_ts));
			x->installed_s = (now - c->installed_at) / 1000;
			x->rekey_in_s =
				c->t_rekey ? (c->t_rekey > now ? (int64_t)(c->t_rekey - now) / 1000
							       : 0)
					   : -1;
		}
		s.n_children = n;
		fn(ctx, &s, cs, n);
	}
}

void ike_engine_counts(struct ike_engine *e, struct ike_counts *c)
{
	memset(c, 0, sizeof(*c));
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_DEAD)
			continue;
		c->ike_sas++;
		c->ike_established += sa->state == IKE_S_ESTABLISHED || sa->state == IKE_S_REKEYING;
		c->ike_half_open += sa->state == IKE_S_HALF_OPEN;
		for (struct ike_child *ch = sa->children; ch; ch = ch->next)
			c->child_sas++;
	}
	c->rx_invalid = e->rx_invalid;
	c->rx_dropped = e->rx_dropped;
}
