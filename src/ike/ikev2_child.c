/* SPDX-License-Identifier: MIT */
/*
 * CREATE_CHILD_SA for CHILD SAs (RFC 7296 1.3.1, 1.3.3), both roles:
 *
 *   Initiator                         Responder
 *   HDR, SK {[N(REKEY_SA),] [N(USE_TRANSPORT_MODE),]
 *       SA, Ni, [KEi,] TSi, TSr}  -->
 *                                <--  HDR, SK {SA, Nr, [KEr,] TSi, TSr}
 *                                     or HDR, SK {N(INVALID_KE_PAYLOAD |
 *                                        NO_PROPOSAL_CHOSEN | TS_UNACCEPTABLE |
 *                                        CHILD_SA_NOT_FOUND | TEMPORARY_FAILURE)}
 *
 * A DH group in the ESP proposal means PFS: KEi/KEr, and g^ir enters
 * KEYMAT = prf+(SK_d, g^ir (new) | Ni | Nr) (2.17). A CREATE_CHILD_SA for
 * the IKE SA (its SA payload proposes protocol IKE) goes to
 * ikev2_rekey_ike.c.
 *
 * Hand-over (make-before-break): the rekey initiator installs the new SAs
 * when the answer comes (its outbound switches at once: the responder
 * already has the new inbound SA), then deletes the old CHILD SA. The
 * responder installs the new SAs with the outbound on standby and selects
 * it when the old CHILD SA goes (the initiator's Delete), so neither side
 * sends with an SA the other cannot yet decrypt.
 *
 * Collision (2.8.1): both sides rekeyed the same CHILD SA at once. Of the
 * two new CHILD SAs, the one made by the exchange holding the lowest of
 * the four nonces is redundant: its initiator deletes it; the other side
 * deletes the old CHILD SA.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "ike/ike_build.h"
#include "ike/ike_int.h"
#include "ike/ike_names.h"
#include "ike/ike_tsel.h"
#include "lib/err.h"
#include "lib/secret.h"

#define CHILD_BUF 8192
#define NONCE_LEN 32

void ike_ccsa_clear(struct ike_sa *sa)
{
	crypto_dh_free(sa->ccsa.dh);
	secret_wipe(&sa->ccsa, sizeof(sa->ccsa));
}

static int bytes_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	if (c)
		return c;
	return al < bl ? -1 : al > bl;
}

/* The lower of two nonces, as pointer and length. */
static void nonce_min(const uint8_t *a, size_t al, const uint8_t *b, size_t bl, const uint8_t **m,
		      size_t *ml)
{
	if (bytes_cmp(a, al, b, bl) <= 0) {
		*m = a;
		*ml = al;
	} else {
		*m = b;
		*ml = bl;
	}
}

int ike_nonce_cmp(const uint8_t *a1, size_t a1_len, const uint8_t *a2, size_t a2_len,
		  const uint8_t *b1, size_t b1_len, const uint8_t *b2, size_t b2_len)
{
	const uint8_t *ma, *mb;
	size_t la, lb;

	nonce_min(a1, a1_len, a2, a2_len, &ma, &la);
	nonce_min(b1, b1_len, b2, b2_len, &mb, &lb);
	return bytes_cmp(ma, la, mb, lb);
}

static void child_up_log(struct ike_sa *sa, const struct ike_child *c)
{
	char prop[128], l[512], r[512];

	sa_log(sa, LL_INFO, "CHILD SA {%u} installed: %s, SPIs %08x_i %08x_o, %s === %s%s%s",
	       c->serial, ike_chosen_names(&c->esp, prop, sizeof(prop)), c->spi_in, c->spi_out,
	       ike_tsel_format(&c->ts_local, l, sizeof(l)),
	       ike_tsel_format(&c->ts_remote, r, sizeof(r)), c->transport ? " (transport)" : "",
	       c->standby ? " (outbound on standby until the old CHILD SA is deleted)" : "");
}

int ike_child_up(struct ike_sa *sa, struct ike_child *c)
{
	int r;

	if ((r = ike_child_install(sa, c)) != 0)
		sa_log(sa, LL_ERROR, "CHILD SA {%u}: the data path refused it: %s", c->serial,
		       ig_strerror(r));
	child_up_log(sa, c);
	ike_life_child_arm(sa, c);
	return r;
}

void ike_child_activate_successor(struct ike_sa *sa, uint32_t old_spi_in)
{
	for (struct ike_child *c = sa->children; c; c = c->next) {
		if (c->replaces != old_spi_in || !c->standby || c->delete_wanted)
			continue;
		c->standby = false;
		if (c->installed && sa->e->io.child_activate) {
			struct esp_sa_desc in, out;

			ike_child_descs(sa, c, &in, &out);
			sa->e->io.child_activate(sa->e->io.ctx, &in, &out);
			secret_wipe(&in, sizeof(in));
			secret_wipe(&out, sizeof(out));
		}
		sa_log(sa, LL_INFO, "CHILD SA {%u}: outbound SPI %08x active", c->serial,
		       c->spi_out);
	}
}

/* Our preferred PFS group for the tunnel's CHILD SAs, 0 without PFS. */
static uint16_t pfs_group(const struct cfg_tunnel *t)
{
	for (size_t i = 0; i < t->esp.n_proposals; i++)
		if (t->esp.proposals[i].n_dh)
			return t->esp.proposals[i].dh[0];
	return 0;
}

static bool group_offered(const struct cfg_tunnel *t, uint16_t g)
{
	for (size_t i = 0; i < t->esp.n_proposals; i++)
		for (size_t k = 0; k < t->esp.proposals[i].n_dh; k++)
			if (t->esp.proposals[i].dh[k] == g)
				return true;
	return false;
}

static const struct ike_pl *find_inner(const struct ike_msg *m, uint8_t type)
{
	for (size_t i = 0; i < m->npl; i++)
		if (m->pl[i].type == type && m->pl[i].inner)
			return &m->pl[i];
	return NULL;
}

static uint16_t error_notify(const struct ike_msg *m, uint16_t *data_group)
{
	for (size_t i = 0; i < m->npl; i++) {
		struct ike_notify n;

		if (m->pl[i].type != IKEV2_PL_NOTIFY || m->pl[i].notify >= 16384)
			continue;
		if (m->pl[i].notify == IKEV2_N_INVALID_KE_PAYLOAD && data_group &&
		    (ike_pl_notify_parse(m->pl[i].body, &n, NULL) != 0 ||
		     ike_notify_invalid_ke(&n, data_group, NULL) != 0))
			*data_group = 0;
		return m->pl[i].notify;
	}
	return 0;
}

static struct ike_child *child_by_spi_in(struct ike_sa *sa, uint32_t spi_in)
{
	for (struct ike_child *c = sa->children; c; c = c->next)
		if (c->spi_in == spi_in)
			return c;
	return NULL;
}

/* Our request: REKEY_SA (if c), SA, Ni, [KEi], TSi, TSr with group (0: no PFS). */
static int child_request(struct ike_sa *sa, struct ike_child *c, uint16_t group,
			 unsigned ke_retries)
{
	const struct cfg_tunnel *t = sa->t;
	struct ike_sa_pl *offer = malloc(sizeof(*offer));
	uint8_t inner[CHILD_BUF], pub[ALG_MAX_DH_PUB];
	struct ike_bld b;
	struct buf_wr w;
	size_t len = 0, publen = 0;
	uint8_t first = 0;
	int r;

	if (!offer)
		return IG_ENOMEM;
	ike_ccsa_clear(sa);
	sa->ccsa.old_spi_in = c ? c->spi_in : 0;
	sa->ccsa.new_spi = ike_new_child_spi(sa->e);
	sa->ccsa.n_len = NONCE_LEN;
	sa->ccsa.ke_retries = ke_retries;
	if (c) {
		sa->ccsa.ts_i = c->ts_local;
		sa->ccsa.ts_r = c->ts_remote;
	} else if (t->type == CFG_TYPE_ROUTE) {
		ike_tsel_any(&sa->ccsa.ts_i);
		ike_tsel_any(&sa->ccsa.ts_r);
	} else if ((r = ike_tsel_from_cidrs(t->local_subnets, t->n_local_subnets,
					    &sa->ccsa.ts_i)) != 0 ||
		   (r = ike_tsel_from_cidrs(t->remote_subnets, t->n_remote_subnets,
					    &sa->ccsa.ts_r)) != 0) {
		goto out;
	}
	if ((r = crypto_random(sa->ccsa.n, sa->ccsa.n_len)) != 0 ||
	    (group && (r = crypto_dh_new(&sa->ccsa.dh, group)) != 0) ||
	    (group && (r = crypto_dh_public(sa->ccsa.dh, pub, sizeof(pub), &publen)) != 0) ||
	    (r = ike_offer_build(t->esp.proposals, t->esp.n_proposals, IKEV2_PROTO_ESP,
				 sa->ccsa.new_spi, 4, group != 0, offer)) != 0)
		goto out;
	buf_wr_init(&w, inner, sizeof(inner));
	if ((r = ike_bld_init_inner(&b, &w)) != 0 ||
	    (c && (r = ike_bld_notify_rekey_sa(&b, IKEV2_PROTO_ESP, c->spi_in)) != 0) ||
	    (((c && c->transport) || (!c && t->esp.mode == CFG_MODE_TRANSPORT)) &&
	     (r = ike_bld_notify_simple(&b, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0)) != 0) ||
	    (r = ike_bld_sa(&b, offer)) != 0 ||
	    (r = ike_bld_nonce(&b, sa->ccsa.n, sa->ccsa.n_len)) != 0)
		goto out;
	if (group) {
		struct ike_ke ke = {.group = group, .data = {pub, publen}};

		if ((r = ike_bld_ke(&b, &ke)) != 0)
			goto out;
	}
	if ((r = ike_bld_ts(&b, IKEV2_PL_TSI, sa->ccsa.ts_i.ts, sa->ccsa.ts_i.count)) != 0 ||
	    (r = ike_bld_ts(&b, IKEV2_PL_TSR, sa->ccsa.ts_r.ts, sa->ccsa.ts_r.count)) != 0 ||
	    (r = ike_bld_end(&b, &len, &first)) != 0 ||
	    (r = ike_send_request(sa, IKEV2_EXCH_CREATE_CHILD_SA, inner, len, first)) != 0)
		goto out;
	sa->req.kind = c ? REQ_REKEY_CHILD : REQ_NEW_CHILD;
	if (c)
		c->state = CHILD_S_REKEYING;
out:
	if (r != 0)
		ike_ccsa_clear(sa);
	secret_wipe(inner, sizeof(inner));
	free(offer);
	return r;
}

int ike_child_add_start(struct ike_sa *sa)
{
	int r;

	if (!sa->t)
		return IG_ESTATE;
	if ((r = child_request(sa, NULL, pfs_group(sa->t), 0)) != 0) {
		if (r != IG_EAGAIN)
			sa_log(sa, LL_ERROR, "cannot ask for a new CHILD SA: %s", ig_strerror(r));
		return r;
	}
	sa_log(sa, LL_INFO, "asking for a new CHILD SA (CREATE_CHILD_SA)");
	return 0;
}

int ike_child_rekey_start(struct ike_sa *sa, struct ike_child *c)
{
	int r;

	if (!sa->t)
		return IG_ESTATE;
	if ((r = child_request(sa, c, pfs_group(sa->t), 0)) != 0) {
		if (r != IG_EAGAIN)
			sa_log(sa, LL_ERROR, "CHILD SA {%u}: cannot start its rekey: %s", c->serial,
			       ig_strerror(r));
		return r;
	}
	sa_log(sa, LL_INFO, "rekeying CHILD SA {%u} (SPIs %08x_i %08x_o)%s", c->serial, c->spi_in,
	       c->spi_out, pfs_group(sa->t) ? ", with PFS" : "");
	return 0;
}

/* Selectors acceptable for the tunnel: the peer's TSi/TSr narrowed to ours. */
static int narrow(const struct cfg_tunnel *t, const struct ike_ts_pl *tsi,
		  const struct ike_ts_pl *tsr, struct ike_ts_pl *nar_i, struct ike_ts_pl *nar_r)
{
	int r;

	if (t->type == CFG_TYPE_ROUTE) {
		const struct cidr any[2] = {{.a.family = AF_INET}, {.a.family = AF_INET6}};

		if ((r = ike_tsel_narrow(tsi, any, 2, nar_i)) != 0)
			return r;
		return ike_tsel_narrow(tsr, any, 2, nar_r);
	}
	if ((r = ike_tsel_narrow(tsi, t->remote_subnets, t->n_remote_subnets, nar_i)) != 0)
		return r;
	return ike_tsel_narrow(tsr, t->local_subnets, t->n_local_subnets, nar_r);
}

struct child_req {
	struct ike_sa_pl offer;
	struct ike_nonce ni;
	struct ike_ke ke;
	bool has_ke;
	struct ike_ts_pl tsi, tsr;
};

static int parse_request(const struct ike_msg *m, struct child_req *q)
{
	const struct ike_pl *pl;

	if (!(pl = find_inner(m, IKEV2_PL_SA)) || ike_pl_sa_parse(pl->body, &q->offer, NULL) != 0 ||
	    !(pl = find_inner(m, IKEV2_PL_NONCE)) ||
	    ike_pl_nonce_parse(pl->body, &q->ni, NULL) != 0 ||
	    !(pl = find_inner(m, IKEV2_PL_TSI)) || ike_pl_ts_parse(pl->body, &q->tsi, NULL) != 0 ||
	    !(pl = find_inner(m, IKEV2_PL_TSR)) || ike_pl_ts_parse(pl->body, &q->tsr, NULL) != 0)
		return IG_EINVAL;
	q->has_ke = false;
	if ((pl = find_inner(m, IKEV2_PL_KE)) != NULL) {
		if (ike_pl_ke_parse(pl->body, &q->ke, NULL) != 0)
			return IG_EINVAL;
		q->has_ke = true;
	}
	return 0;
}

int ike_respond_notify(struct ike_sa *sa, uint8_t exchange, uint32_t msg_id, uint16_t type,
		       const uint8_t *data, size_t len)
{
	uint8_t inner[512];
	struct ike_bld b;
	struct buf_wr w;
	size_t n = 0;
	uint8_t first = 0;
	int r;

	buf_wr_init(&w, inner, sizeof(inner));
	if ((r = ike_bld_init_inner(&b, &w)) != 0 ||
	    (r = ike_bld_notify_simple(&b, type, data, len)) != 0 ||
	    (r = ike_bld_end(&b, &n, &first)) != 0)
		return r;
	return ike_send_response(sa, exchange, msg_id, inner, n, first);
}

static void refuse(struct ike_sa *sa, const struct ike_msg *m, uint16_t type, const char *why)
{
	char nb[IKE_NAME_LEN];

	sa_log(sa, LL_WARN, "CREATE_CHILD_SA from the peer refused with %s: %s",
	       ike_notify_name(type, nb), why);
	ike_respond_notify(sa, IKEV2_EXCH_CREATE_CHILD_SA, m->hdr.msg_id, type, NULL, 0);
}

/* Responder: the answer and the new CHILD SA. */
static void child_respond(struct ike_sa *sa, const struct ike_msg *m, struct child_req *q,
			  struct ike_child *old)
{
	const struct cfg_tunnel *t = sa->t;
	struct ike_sa_pl *answer = malloc(sizeof(*answer));
	struct ike_ts_pl nar_i, nar_r;
	struct ike_chosen chosen;
	struct crypto_dh *dh = NULL;
	struct ike_child *c = NULL;
	uint8_t inner[CHILD_BUF], nr[NONCE_LEN], pub[ALG_MAX_DH_PUB], gir[ALG_MAX_DH_SECRET];
	size_t publen = 0, gir_len = 0, len = 0;
	char ours[512], theirs[512];
	bool pfs = pfs_group(t) != 0, transport;
	uint8_t first = 0;
	struct ike_bld b;
	struct buf_wr w;
	int r = 0;

	if (!answer)
		return;
	if (ike_select(t->esp.proposals, t->esp.n_proposals, &q->offer, IKEV2_PROTO_ESP, !pfs,
		       &chosen) != 0) {
		sa_log(sa, LL_ERROR,
		       "CREATE_CHILD_SA: no common ESP proposal; peer offered %s; we "
		       "accept %s",
		       ike_offer_names(&q->offer, IKEV2_PROTO_ESP, theirs, sizeof(theirs)),
		       ike_config_names(t->esp.proposals, t->esp.n_proposals, ours, sizeof(ours)));
		refuse(sa, m, IKEV2_N_NO_PROPOSAL_CHOSEN, "no common ESP proposal");
		goto out;
	}
	if (chosen.dh && (!q->has_ke || q->ke.group != chosen.dh)) {
		uint8_t g[2] = {(uint8_t)(chosen.dh >> 8), (uint8_t)chosen.dh};

		sa_log(sa, LL_INFO, "CREATE_CHILD_SA: KE is %s, asking for %s (INVALID_KE_PAYLOAD)",
		       q->has_ke && alg_dh_known(q->ke.group) ? alg_dh_name(q->ke.group) : "absent",
		       alg_dh_name(chosen.dh));
		ike_respond_notify(sa, IKEV2_EXCH_CREATE_CHILD_SA, m->hdr.msg_id,
				   IKEV2_N_INVALID_KE_PAYLOAD, g, sizeof(g));
		goto out;
	}
	if (narrow(t, &q->tsi, &q->tsr, &nar_i, &nar_r) != 0) {
		sa_log(sa, LL_ERROR,
		       "CREATE_CHILD_SA: traffic selectors %s === %s are not the tunnel's",
		       ike_tsel_format(&q->tsr, ours, sizeof(ours)),
		       ike_tsel_format(&q->tsi, theirs, sizeof(theirs)));
		refuse(sa, m, IKEV2_N_TS_UNACCEPTABLE, "traffic selectors outside the tunnel's");
		goto out;
	}
	transport = t->esp.mode == CFG_MODE_TRANSPORT &&
		    ike_msg_find_notify(m, IKEV2_N_USE_TRANSPORT_MODE);
	if (!(c = ike_child_make(sa, &chosen, ike_new_child_spi(sa->e), &nar_r, &nar_i, transport))) {
		r = IG_ENOMEM;
		goto fail;
	}
	c->initiator = false;
	c->replaces = old ? old->spi_in : 0;
	c->standby = old != NULL;
	if ((r = crypto_random(nr, sizeof(nr))) != 0)
		goto fail;
	if (chosen.dh && ((r = crypto_dh_new(&dh, chosen.dh)) != 0 ||
			  (r = crypto_dh_public(dh, pub, sizeof(pub), &publen)) != 0 ||
			  (r = crypto_dh_shared(dh, q->ke.data.p, q->ke.data.len, gir, sizeof(gir),
						&gir_len)) != 0))
		goto fail;
	if ((r = ike_keymat_child(&c->keys, sa->suite.prf, sa->km.sk_d, sa->km.prf_len, chosen.encr,
				  chosen.encr_keybits, chosen.integ, chosen.dh ? gir : NULL,
				  gir_len, q->ni.data.p, q->ni.data.len, nr, sizeof(nr))) != 0)
		goto fail;
	ike_answer_build(&chosen, c->spi_in, 4, answer);
	buf_wr_init(&w, inner, sizeof(inner));
	if ((r = ike_bld_init_inner(&b, &w)) != 0 ||
	    (transport &&
	     (r = ike_bld_notify_simple(&b, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0)) != 0) ||
	    (r = ike_bld_sa(&b, answer)) != 0 || (r = ike_bld_nonce(&b, nr, sizeof(nr))) != 0)
		goto fail;
	if (chosen.dh) {
		struct ike_ke ke = {.group = chosen.dh, .data = {pub, publen}};

		if ((r = ike_bld_ke(&b, &ke)) != 0)
			goto fail;
	}
	if ((r = ike_bld_ts(&b, IKEV2_PL_TSI, nar_i.ts, nar_i.count)) != 0 ||
	    (r = ike_bld_ts(&b, IKEV2_PL_TSR, nar_r.ts, nar_r.count)) != 0 ||
	    (r = ike_bld_end(&b, &len, &first)) != 0 ||
	    (r = ike_send_response(sa, IKEV2_EXCH_CREATE_CHILD_SA, m->hdr.msg_id, inner, len,
				   first)) != 0)
		goto fail;
	if (old) {
		sa_log(sa, LL_INFO, "peer rekeyed CHILD SA {%u} (SPIs %08x_i %08x_o) as {%u}%s",
		       old->serial, old->spi_in, old->spi_out, c->serial,
		       chosen.dh ? ", with PFS" : "");
		if (old->state == CHILD_S_REKEYING && sa->req.active &&
		    sa->req.kind == REQ_REKEY_CHILD && sa->ccsa.old_spi_in == old->spi_in) {
			const uint8_t *mn;
			size_t ml;

			/* 2.8.1: our rekey of it is out too; the answer decides. */
			nonce_min(q->ni.data.p, q->ni.data.len, nr, sizeof(nr), &mn, &ml);
			sa->ccsa.coll_spi_in = c->spi_in;
			memcpy(sa->ccsa.coll_nonce, mn, ml);
			sa->ccsa.coll_nonce_len = ml;
			sa_log(sa, LL_INFO,
			       "CHILD SA {%u}: both sides rekeyed it at once (RFC 7296 "
			       "2.8.1); the lowest nonce decides",
			       old->serial);
		} else {
			old->state = CHILD_S_REKEYED;
			old->t_rekey = 0;
		}
	} else {
		sa_log(sa, LL_INFO, "peer added CHILD SA {%u}", c->serial);
	}
	ike_child_up(sa, c);
	c = NULL;
	goto out;
fail:
	sa_log(sa, LL_ERROR, "CREATE_CHILD_SA: cannot answer: %s", ig_strerror(r));
	if (c)
		ike_child_free(sa, c, false);
	ike_respond_notify(sa, IKEV2_EXCH_CREATE_CHILD_SA, m->hdr.msg_id,
			   IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
out:
	crypto_dh_free(dh);
	secret_wipe(gir, sizeof(gir));
	secret_wipe(inner, sizeof(inner));
	free(answer);
}

void ike_ccsa_on_request(struct ike_sa *sa, struct ike_msg *m)
{
	struct child_req *q = malloc(sizeof(*q));
	const struct ike_pl *pl;
	struct ike_child *old = NULL;

	if (!q)
		return;
	if (!sa->t || (sa->state != IKE_S_ESTABLISHED && sa->state != IKE_S_REKEYING)) {
		ike_respond_notify(sa, IKEV2_EXCH_CREATE_CHILD_SA, m->hdr.msg_id,
				   IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		goto out;
	}
	/* An SA payload proposing protocol IKE: the IKE SA is being rekeyed (1.3.2). */
	if ((pl = find_inner(m, IKEV2_PL_SA)) != NULL &&
	    ike_pl_sa_parse(pl->body, &q->offer, NULL) == 0 && q->offer.nprop &&
	    q->offer.prop[0].proto == IKEV2_PROTO_IKE) {
		ike_rekey_ike_on_request(sa, m);
		goto out;
	}
	if (parse_request(m, q) != 0) {
		refuse(sa, m, IKEV2_N_INVALID_SYNTAX, "SA, Nonce, TSi or TSr missing or malformed");
		goto out;
	}
	/* 2.25: an IKE SA that is being replaced or deleted takes no new CHILD SA. */
	if (sa->rekeyed || sa->state == IKE_S_DELETING) {
		refuse(sa, m, IKEV2_N_TEMPORARY_FAILURE, "this IKE SA is being rekeyed or deleted");
		goto out;
	}
	if ((pl = ike_msg_find_notify(m, IKEV2_N_REKEY_SA)) != NULL) {
		struct ike_notify n;
		uint8_t proto = 0;
		uint32_t spi = 0;

		if (ike_pl_notify_parse(pl->body, &n, NULL) != 0 ||
		    ike_notify_rekey_sa(&n, &proto, &spi, NULL) != 0 || proto != IKEV2_PROTO_ESP) {
			refuse(sa, m, IKEV2_N_INVALID_SYNTAX, "malformed REKEY_SA");
			goto out;
		}
		/* The peer names its inbound SPI: our outbound one. */
		old = ike_child_find_out(sa, spi);
		if (!old) {
			char why[96];

			snprintf(why, sizeof(why), "it rekeys SPI %08x, which we do not have", spi);
			refuse(sa, m, IKEV2_N_CHILD_SA_NOT_FOUND, why);
			goto out;
		}
		if (old->state == CHILD_S_DELETING || old->state == CHILD_S_REKEYED ||
		    old->delete_wanted) {
			refuse(sa, m, IKEV2_N_TEMPORARY_FAILURE,
			       "that CHILD SA is already replaced or being deleted (RFC 7296 "
			       "2.25)");
			goto out;
		}
	}
	child_respond(sa, m, q, old);
out:
	free(q);
}

/* Our request failed: the old CHILD SA stays; try again later. */
static void rekey_failed(struct ike_sa *sa, struct ike_child *old, uint16_t err)
{
	char nb[IKE_NAME_LEN];

	if (!old) {
		sa_log(sa, LL_ERROR, "peer refused our new CHILD SA with %s",
		       ike_notify_name(err, nb));
		return;
	}
	if (err == IKEV2_N_CHILD_SA_NOT_FOUND) {
		/* 2.25: the peer has no such CHILD SA any more; neither do we. */
		sa_log(sa, LL_WARN,
		       "CHILD SA {%u}: peer does not know it (CHILD_SA_NOT_FOUND): "
		       "removing it",
		       old->serial);
		ike_child_free(sa, old, true);
		return;
	}
	old->state = CHILD_S_INSTALLED;
	old->t_rekey = ike_now(sa->e) + sa->e->p.rekey_retry_ms;
	sa_log(sa, LL_WARN, "CHILD SA {%u}: peer refused its rekey with %s; trying again in %u s",
	       old->serial, ike_notify_name(err, nb), sa->e->p.rekey_retry_ms / 1000);
}

void ike_ccsa_on_response(struct ike_sa *sa, struct ike_msg *m)
{
	struct ike_sa_pl *answer;
	const struct ike_pl *pl;
	struct ike_child *old, *c = NULL;
	struct ike_ts_pl tsi, tsr;
	struct ike_nonce nr;
	struct ike_ke ke;
	struct ike_chosen chosen;
	uint8_t gir[ALG_MAX_DH_SECRET];
	size_t gir_len = 0;
	uint16_t err, want_group = 0;
	uint16_t group = sa->ccsa.dh ? crypto_dh_group(sa->ccsa.dh) : 0;
	bool have_ke = false;
	char why[160];
	int r = 0;

	if (sa->req.kind == REQ_REKEY_IKE) {
		ike_rekey_ike_on_response(sa, m);
		return;
	}
	if (!(answer = malloc(sizeof(*answer))))
		return;
	old = sa->ccsa.old_spi_in ? child_by_spi_in(sa, sa->ccsa.old_spi_in) : NULL;
	if ((err = error_notify(m, &want_group)) != 0) {
		if (err == IKEV2_N_INVALID_KE_PAYLOAD && want_group && sa->t &&
		    group_offered(sa->t, want_group) && want_group != group &&
		    sa->ccsa.ke_retries < 2) {
			sa_log(sa, LL_INFO,
			       "peer asked for PFS group %s (INVALID_KE_PAYLOAD); retrying",
			       alg_dh_name(want_group));
			if (old)
				old->state = CHILD_S_INSTALLED;
			if (child_request(sa, old, want_group, sa->ccsa.ke_retries + 1) == 0)
				goto out;
		}
		rekey_failed(sa, old, err);
		ike_ccsa_clear(sa);
		goto out;
	}
	if (!(pl = find_inner(m, IKEV2_PL_SA)) || ike_pl_sa_parse(pl->body, answer, NULL) != 0 ||
	    !(pl = find_inner(m, IKEV2_PL_NONCE)) || ike_pl_nonce_parse(pl->body, &nr, NULL) != 0 ||
	    !(pl = find_inner(m, IKEV2_PL_TSI)) || ike_pl_ts_parse(pl->body, &tsi, NULL) != 0 ||
	    !(pl = find_inner(m, IKEV2_PL_TSR)) || ike_pl_ts_parse(pl->body, &tsr, NULL) != 0) {
		sa_log(sa, LL_ERROR, "CREATE_CHILD_SA response lacks SA, Nonce, TSi or TSr");
		rekey_failed(sa, old, IKEV2_N_INVALID_SYNTAX);
		ike_ccsa_clear(sa);
		goto out;
	}
	if ((pl = find_inner(m, IKEV2_PL_KE)) != NULL) {
		if (ike_pl_ke_parse(pl->body, &ke, NULL) != 0)
			goto bad;
		have_ke = true;
	}
	if (ike_check_answer(sa->t->esp.proposals, sa->t->esp.n_proposals, answer, IKEV2_PROTO_ESP,
			     group == 0, &chosen, why, sizeof(why)) != 0) {
		sa_log(sa, LL_ERROR, "CREATE_CHILD_SA: peer's ESP proposal is not acceptable: %s",
		       why);
		goto bad;
	}
	if (group && (!have_ke || ke.group != group || chosen.dh != group)) {
		sa_log(sa, LL_ERROR,
		       "CREATE_CHILD_SA: peer answered without the PFS group %s we sent",
		       alg_dh_name(group));
		goto bad;
	}
	if (!ike_tsel_within(&tsi, &sa->ccsa.ts_i) || !ike_tsel_within(&tsr, &sa->ccsa.ts_r)) {
		sa_log(sa, LL_ERROR,
		       "CREATE_CHILD_SA: peer narrowed the traffic selectors outside "
		       "what we proposed");
		goto bad;
	}
	if (group && (r = crypto_dh_shared(sa->ccsa.dh, ke.data.p, ke.data.len, gir, sizeof(gir),
					   &gir_len)) != 0)
		goto bad;
	if (!(c = ike_child_make(sa, &chosen, sa->ccsa.new_spi, &tsi, &tsr, old ? old->transport : false)))
		goto bad;
	c->initiator = true;
	c->replaces = old ? old->spi_in : 0;
	if (c->spi_out == 0 ||
	    (r = ike_keymat_child(&c->keys, sa->suite.prf, sa->km.sk_d, sa->km.prf_len, chosen.encr,
				  chosen.encr_keybits, chosen.integ, group ? gir : NULL, gir_len,
				  sa->ccsa.n, sa->ccsa.n_len, nr.data.p, nr.data.len)) != 0) {
		ike_child_free(sa, c, false);
		c = NULL;
		goto bad;
	}
	if (sa->ccsa.coll_spi_in) {
		struct ike_child *theirs = child_by_spi_in(sa, sa->ccsa.coll_spi_in);
		unsigned serial = old ? old->serial : 0;

		if (ike_nonce_cmp(sa->ccsa.n, sa->ccsa.n_len, nr.data.p, nr.data.len,
				  sa->ccsa.coll_nonce, sa->ccsa.coll_nonce_len, sa->ccsa.coll_nonce,
				  sa->ccsa.coll_nonce_len) < 0) {
			/* Ours holds the lowest nonce: it is the redundant one (2.8.1). */
			sa_log(sa, LL_INFO,
			       "CHILD SA {%u}: rekey collision lost (lowest nonce is ours): "
			       "deleting our new CHILD SA {%u}, keeping the peer's",
			       serial, c->serial);
			c->standby = true;
			c->delete_wanted = true;
			if (old) {
				old->state = CHILD_S_REKEYED;
				old->t_rekey = 0;
			}
		} else {
			sa_log(sa, LL_INFO,
			       "CHILD SA {%u}: rekey collision won: the peer deletes its "
			       "new CHILD SA, we delete the old one",
			       serial);
			if (theirs)
				theirs->replaces = 0; /* never the successor */
			if (old) {
				old->state = CHILD_S_REKEYED;
				old->delete_wanted = true;
			}
		}
	} else if (old) {
		old->state = CHILD_S_REKEYED;
		old->delete_wanted = true;
		sa_log(sa, LL_INFO, "CHILD SA {%u} rekeyed as {%u}%s", old->serial, c->serial,
		       group ? " with PFS" : "");
	} else if (sa->ccsa.old_spi_in) {
		/* The old CHILD SA went while we rekeyed it (2.25): keep the new one. */
		sa_log(sa, LL_INFO, "CHILD SA %08x went away during its rekey; keeping {%u}",
		       sa->ccsa.old_spi_in, c->serial);
	} else {
		c->transport = sa->t->esp.mode == CFG_MODE_TRANSPORT &&
			       ike_msg_find_notify(m, IKEV2_N_USE_TRANSPORT_MODE);
		sa_log(sa, LL_INFO, "peer accepted a new CHILD SA {%u}", c->serial);
	}
	ike_child_up(sa, c);
	ike_ccsa_clear(sa);
	goto out;
bad:
	rekey_failed(sa, old, IKEV2_N_NO_PROPOSAL_CHOSEN);
	ike_ccsa_clear(sa);
out:
	secret_wipe(gir, sizeof(gir));
	free(answer);
}
