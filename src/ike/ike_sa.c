/* SPDX-License-Identifier: MIT */
/*
 * IKE SAs and their CHILD SAs: creation, lookup by SPIs, the one function
 * that changes an IKE SA's state (ike_sa_state), and teardown.
 *
 * SAs live in one list per engine. A gateway has tens of tunnels and at
 * most cookie_threshold half-open SAs before cookies engage (2.6), so a
 * linear lookup is cheap; a hash keyed by SPI can replace it behind
 * ike_sa_find() if that ever changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "ike/ike_int.h"
#include "ike/ike_keylog.h"
#include "lib/err.h"
#include "lib/secret.h"

static const char *const state_names[] = {
	[IKE_S_INIT_SENT] = "INIT_SENT",     [IKE_S_HALF_OPEN] = "HALF_OPEN",
	[IKE_S_AUTH_SENT] = "AUTH_SENT",     [IKE_S_ESTABLISHED] = "ESTABLISHED",
	[IKE_S_REKEYING] = "REKEYING",       [IKE_S_DELETING] = "DELETING",
	[IKE_S_DEAD] = "DEAD",
};

const char *ike_state_name(enum ike_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s] : "?";
}

/*
 * Allowed transitions. DEAD is reachable from everywhere (errors,
 * give-up, Delete); nothing leaves DEAD.
 */
static bool transition_ok(enum ike_state from, enum ike_state to)
{
	if (to == IKE_S_DEAD)
		return from != IKE_S_DEAD;
	switch (from) {
	/* INIT_SENT -> ESTABLISHED: an IKE SA made by our CREATE_CHILD_SA rekey (1.3.2). */
	case IKE_S_INIT_SENT:
		return to == IKE_S_AUTH_SENT || to == IKE_S_INIT_SENT || to == IKE_S_ESTABLISHED;
	case IKE_S_HALF_OPEN: return to == IKE_S_ESTABLISHED;
	case IKE_S_AUTH_SENT: return to == IKE_S_ESTABLISHED;
	case IKE_S_ESTABLISHED: return to == IKE_S_REKEYING || to == IKE_S_DELETING;
	case IKE_S_REKEYING: return to == IKE_S_ESTABLISHED || to == IKE_S_DELETING;
	case IKE_S_DELETING: return false;
	case IKE_S_DEAD: return false;
	}
	return false;
}

void ike_sa_state(struct ike_sa *sa, enum ike_state s)
{
	if (sa->state == s)
		return;
	if (!transition_ok(sa->state, s)) {
		sa_log(sa, LL_ERROR, "refusing state change %s -> %s", ike_state_name(sa->state),
		       ike_state_name(s));
		return;
	}
	log_debug(LS_IKE, "%s[%u]: state %s -> %s", sa->tname[0] ? sa->tname : "?", sa->serial,
		  ike_state_name(sa->state), ike_state_name(s));
	sa->state = s;
	if (s == IKE_S_ESTABLISHED && !sa->established_at)
		sa->established_at = ike_now(sa->e);
}

static uint64_t random_spi(void)
{
	uint64_t v = 0;

	while (v == 0)
		crypto_random(&v, sizeof(v));
	return v;
}

struct ike_sa *ike_sa_new(struct ike_engine *e, bool initiator, const struct ike_endpoint *local,
			  const struct ike_endpoint *remote)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->e = e;
	sa->serial = ++e->next_serial;
	sa->initiator = initiator;
	sa->local = *local;
	sa->remote = *remote;
	sa->created_at = sa->last_rx_at = ike_now(e);
	if (initiator)
		sa->spi_i = random_spi();
	else
		sa->spi_r = random_spi();
	sa->state = initiator ? IKE_S_INIT_SENT : IKE_S_HALF_OPEN;
	sa->next = e->sas;
	e->sas = sa;
	return sa;
}

void ike_sa_bind_tunnel(struct ike_sa *sa, const struct cfg_tunnel *t)
{
	sa->t = t;
	snprintf(sa->tname, sizeof(sa->tname), "%s", t ? t->name : "");
}

struct ike_sa *ike_sa_find(struct ike_engine *e, uint64_t spi_i, uint64_t spi_r)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (sa->state != IKE_S_DEAD && sa->spi_i == spi_i && sa->spi_r == spi_r)
			return sa;
	return NULL;
}

struct ike_sa *ike_sa_find_half(struct ike_engine *e, uint64_t spi_i, const struct ike_endpoint *remote,
				bool initiator)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_DEAD || sa->spi_i != spi_i || sa->initiator != initiator)
			continue;
		/* Our own SPIi is unique; a responder also checks the peer's address
		 * since two peers may pick the same SPIi (2.6 says SPIs are random). */
		if (initiator || (addr_eq(&sa->remote.addr, &remote->addr) &&
				  sa->remote.port == remote->port))
			return sa;
	}
	return NULL;
}

size_t ike_sa_count_half_open(struct ike_engine *e)
{
	size_t n = 0;

	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		n += sa->state == IKE_S_HALF_OPEN;
	return n;
}

int ike_sa_set_keys(struct ike_sa *sa)
{
	const struct ike_keymat *k = &sa->km;
	const uint8_t *e_out = sa->initiator ? k->sk_ei : k->sk_er;
	const uint8_t *e_in = sa->initiator ? k->sk_er : k->sk_ei;
	const uint8_t *a_out = sa->initiator ? k->sk_ai : k->sk_ar;
	const uint8_t *a_in = sa->initiator ? k->sk_ar : k->sk_ai;
	int r;

	if (alg_encr_is_aead(sa->suite.encr)) {
		if ((r = crypto_aead_new(&sa->aead_out, sa->suite.encr, sa->suite.encr_keybits,
					 e_out, k->e_len, true)) != 0 ||
		    (r = crypto_aead_new(&sa->aead_in, sa->suite.encr, sa->suite.encr_keybits, e_in,
					 k->e_len, false)) != 0)
			return r;
	} else {
		if ((r = crypto_cipher_new(&sa->enc_out, sa->suite.encr, sa->suite.encr_keybits,
					   e_out, k->e_len, true)) != 0 ||
		    (r = crypto_cipher_new(&sa->enc_in, sa->suite.encr, sa->suite.encr_keybits,
					   e_in, k->e_len, false)) != 0 ||
		    (r = crypto_integ_new(&sa->integ_out, sa->suite.integ, a_out, k->a_len)) != 0 ||
		    (r = crypto_integ_new(&sa->integ_in, sa->suite.integ, a_in, k->a_len)) != 0)
			return r;
	}
	sa->keys_ready = true;
	ike_keylog_sa(sa);
	return 0;
}

uint32_t ike_new_child_spi(struct ike_engine *e)
{
	for (;;) {
		uint32_t spi = 0;
		bool used = false;

		crypto_random(&spi, sizeof(spi));
		/* 1-255 are reserved by IANA (RFC 4303 2.1). */
		if (spi < 256)
			continue;
		for (struct ike_sa *sa = e->sas; sa && !used; sa = sa->next) {
			used |= sa->child_spi == spi || sa->ccsa.new_spi == spi;
			for (struct ike_child *c = sa->children; c && !used; c = c->next)
				used |= c->spi_in == spi;
		}
		if (!used)
			return spi;
	}
}

struct ike_child *ike_child_new(struct ike_sa *sa)
{
	struct ike_child *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->serial = ++sa->e->next_child_serial;
	c->reqid = sa->t ? (uint32_t)sa->t->index + 1 : 0;
	return c;
}

struct ike_child *ike_child_make(struct ike_sa *sa, const struct ike_chosen *esp, uint32_t spi_in,
				 const struct ike_ts_pl *ts_local, const struct ike_ts_pl *ts_remote,
				 bool transport)
{
	struct ike_child *c = ike_child_new(sa);

	if (!c)
		return NULL;
	c->esp = *esp;
	c->spi_in = spi_in;
	c->spi_out = (uint32_t)esp->spi;
	c->transport = transport;
	c->ts_local = *ts_local;
	c->ts_remote = *ts_remote;
	return c;
}

struct ike_child *ike_child_find_out(struct ike_sa *sa, uint32_t spi_out)
{
	for (struct ike_child *c = sa->children; c; c = c->next)
		if (c->spi_out == spi_out)
			return c;
	return NULL;
}

static void ts_to_esp(const struct ike_ts_pl *ts, struct esp_ts *out, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < ts->count && *n < ESP_SA_MAX_TS; i++) {
		struct esp_ts *o = &out[(*n)++];

		o->first = ts->ts[i].start;
		o->last = ts->ts[i].end;
		o->proto = ts->ts[i].proto;
		o->port_lo = ts->ts[i].start_port;
		o->port_hi = ts->ts[i].end_port;
	}
}

/* The in and out descriptions of a CHILD SA (keys included). */
void ike_child_descs(const struct ike_sa *sa, const struct ike_child *c,
			struct esp_sa_desc *in, struct esp_sa_desc *out)
{
	const struct cfg_tunnel *t = sa->t;
	/* 2.17: the initiator's outbound keys come first in KEYMAT; the
	 * initiator of the exchange that made the CHILD SA, not of the IKE SA. */
	const uint8_t *ke_out = c->initiator ? c->keys.ei : c->keys.er;
	const uint8_t *ke_in = c->initiator ? c->keys.er : c->keys.ei;
	const uint8_t *ka_out = c->initiator ? c->keys.ai : c->keys.ar;
	const uint8_t *ka_in = c->initiator ? c->keys.ar : c->keys.ai;

	memset(in, 0, sizeof(*in));
	in->reqid = c->reqid;
	in->tunnel_id = t ? (uint32_t)t->index + 1 : 0;
	in->encap = sa->natt && (sa->nat_here || sa->nat_there);
	in->mode = c->transport ? ESP_MODE_TRANSPORT : ESP_MODE_TUNNEL;
	in->df = t ? (enum esp_df)t->esp.df_bit : ESP_DF_COPY;
	in->encr = c->esp.encr;
	in->encr_keybits = c->esp.encr_keybits;
	in->integ = c->esp.integ;
	in->esn = c->esp.esn == ALG_ESN_YES;
	in->enc_key_len = c->keys.e_len;
	in->int_key_len = c->keys.a_len;
	in->replay_window = t ? t->esp.replay_window : 1024;
	if (t) {
		in->hard.seconds = t->esp.lifetime_s;
		in->hard.bytes = t->esp.life_bytes;
		in->hard.packets = t->esp.life_packets;
	}
	ts_to_esp(&c->ts_local, in->local_ts, &in->n_local_ts);
	ts_to_esp(&c->ts_remote, in->remote_ts, &in->n_remote_ts);
	*out = *in;
	out->standby = c->standby;

	in->inbound = true;
	in->spi = c->spi_in;
	in->src = sa->remote.addr;
	in->sport = sa->remote.port;
	in->dst = sa->local.addr;
	in->dport = sa->local.port;
	memcpy(in->enc_key, ke_in, c->keys.e_len);
	memcpy(in->int_key, ka_in, c->keys.a_len);

	out->inbound = false;
	out->replay_window = 0; /* anti-replay is the receiver's (RFC 4303 3.4.3) */
	out->spi = c->spi_out;
	out->src = sa->local.addr;
	out->sport = sa->local.port;
	out->dst = sa->remote.addr;
	out->dport = sa->remote.port;
	memcpy(out->enc_key, ke_out, c->keys.e_len);
	memcpy(out->int_key, ka_out, c->keys.a_len);
}

int ike_child_install(struct ike_sa *sa, struct ike_child *c)
{
	struct esp_sa_desc in, out;
	int r = 0;

	c->installed_at = ike_now(sa->e);
	ike_keylog_child(sa, c);
	c->next = sa->children;
	sa->children = c;
	if (sa->e->io.child_install) {
		ike_child_descs(sa, c, &in, &out);
		r = sa->e->io.child_install(sa->e->io.ctx, &in, &out);
		secret_wipe(&in, sizeof(in));
		secret_wipe(&out, sizeof(out));
	}
	c->installed = r == 0;
	return r;
}

void ike_child_free(struct ike_sa *sa, struct ike_child *c, bool remove)
{
	struct ike_child **pp;

	for (pp = &sa->children; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	if (remove && c->installed && sa->e->io.child_remove) {
		struct esp_sa_desc in, out;

		ike_child_descs(sa, c, &in, &out);
		sa->e->io.child_remove(sa->e->io.ctx, &in, &out);
		secret_wipe(&in, sizeof(in));
		secret_wipe(&out, sizeof(out));
	}
	/* Make-before-break: the CHILD SA that rekeyed it takes over outbound. */
	if (remove && c->installed && !sa->closing)
		ike_child_activate_successor(sa, c->spi_in);
	ike_child_keymat_wipe(&c->keys);
	free(c);
}

void ike_sa_destroy(struct ike_sa *sa, const char *why)
{
	if (sa->state == IKE_S_DEAD)
		return;
	if (why)
		sa_log(sa, LL_INFO, "IKE SA %016llx_i %016llx_r deleted: %s",
		       (unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r, why);
	sa->closing = true;
	while (sa->children)
		ike_child_free(sa, sa->children, true);
	if (sa->t && sa->established_at)
		ike_life_sa_closing(sa);
	ike_sa_state(sa, IKE_S_DEAD);
}

static void sa_free(struct ike_sa *sa)
{
	while (sa->children)
		ike_child_free(sa, sa->children, true);
	crypto_aead_free(sa->aead_out);
	crypto_aead_free(sa->aead_in);
	crypto_cipher_free(sa->enc_out);
	crypto_cipher_free(sa->enc_in);
	crypto_integ_free(sa->integ_out);
	crypto_integ_free(sa->integ_in);
	crypto_dh_free(sa->dh);
	crypto_dh_free(sa->ccsa.dh);
	ike_keymat_wipe(&sa->km);
	free(sa->init_i);
	free(sa->init_r);
	free(sa->cookie);
	free(sa->req.buf);
	free(sa->resp_buf);
	secret_wipe(sa, sizeof(*sa));
	free(sa);
}

void ike_sa_reap(struct ike_engine *e)
{
	struct ike_sa **pp = &e->sas;

	while (*pp) {
		struct ike_sa *sa = *pp;

		if (sa->state == IKE_S_DEAD) {
			*pp = sa->next;
			sa_free(sa);
		} else {
			pp = &sa->next;
		}
	}
}
