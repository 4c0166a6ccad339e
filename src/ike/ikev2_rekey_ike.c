/* SPDX-License-Identifier: MIT */
/*
 * Rekeying the IKE SA with CREATE_CHILD_SA (RFC 7296 1.3.2, 2.18), both
 * roles:
 *
 *   Initiator                         Responder
 *   HDR, SK {SA, Ni, KEi}        -->
 *                                <--  HDR, SK {SA, Nr, KEr}
 *                                     or HDR, SK {N(INVALID_KE_PAYLOAD |
 *                                        NO_PROPOSAL_CHOSEN | TEMPORARY_FAILURE)}
 *
 * The SA payloads carry the new 8-byte SPIs. The new IKE SA's initiator is
 * the initiator of this exchange (2.18); its keys come from
 * SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr). The CHILD SAs move to
 * the new IKE SA as they are (their keys do not change) and the rekey
 * initiator deletes the old IKE SA.
 *
 * Collision (2.8.2): both sides rekeyed at once. The new IKE SA made by
 * the exchange holding the lowest of the four nonces is redundant: its
 * initiator deletes it; the CHILD SAs end on the other one on both sides,
 * and the other side deletes the old IKE SA.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "ike/ike_build.h"
#include "ike/ike_int.h"
#include "ike/ike_names.h"
#include "lib/err.h"
#include "lib/secret.h"

#define REKEY_BUF 4096
#define NONCE_LEN 32
/* A replaced IKE SA that the peer does not delete goes after this. */
#define REKEYED_LINGER_MS 30000

static const struct ike_pl *find_inner(const struct ike_msg *m, uint8_t type)
{
	for (size_t i = 0; i < m->npl; i++)
		if (m->pl[i].type == type && m->pl[i].inner)
			return &m->pl[i];
	return NULL;
}

static bool bytes_lt(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	return c < 0 || (c == 0 && al < bl);
}

static uint16_t preferred_group(const struct ike_sa *sa)
{
	const struct cfg_tunnel *t = sa->t;

	if (t->ike.n_proposals && t->ike.proposals[0].n_dh)
		return t->ike.proposals[0].dh[0];
	return sa->prop.dh;
}

static int send_request(struct ike_sa *sa, uint16_t group, unsigned ke_retries)
{
	const struct cfg_tunnel *t = sa->t;
	struct ike_sa_pl *offer = malloc(sizeof(*offer));
	uint8_t inner[REKEY_BUF], pub[ALG_MAX_DH_PUB];
	struct ike_ke ke = {.group = group};
	struct ike_bld b;
	struct buf_wr w;
	size_t len = 0, publen = 0;
	uint8_t first = 0;
	int r;

	if (!offer)
		return IG_ENOMEM;
	ike_ccsa_clear(sa);
	sa->ccsa.ke_retries = ke_retries;
	sa->ccsa.n_len = NONCE_LEN;
	while (sa->ccsa.new_ike_spi == 0)
		crypto_random(&sa->ccsa.new_ike_spi, sizeof(sa->ccsa.new_ike_spi));
	if ((r = crypto_random(sa->ccsa.n, sa->ccsa.n_len)) != 0 ||
	    (r = crypto_dh_new(&sa->ccsa.dh, group)) != 0 ||
	    (r = crypto_dh_public(sa->ccsa.dh, pub, sizeof(pub), &publen)) != 0 ||
	    (r = ike_offer_build(t->ike.proposals, t->ike.n_proposals, IKEV2_PROTO_IKE,
				 sa->ccsa.new_ike_spi, 8, true, offer)) != 0)
		goto out;
	ke.data.p = pub;
	ke.data.len = publen;
	buf_wr_init(&w, inner, sizeof(inner));
	if ((r = ike_bld_init_inner(&b, &w)) != 0 || (r = ike_bld_sa(&b, offer)) != 0 ||
	    (r = ike_bld_nonce(&b, sa->ccsa.n, sa->ccsa.n_len)) != 0 ||
	    (r = ike_bld_ke(&b, &ke)) != 0 || (r = ike_bld_end(&b, &len, &first)) != 0 ||
	    (r = ike_send_request(sa, IKEV2_EXCH_CREATE_CHILD_SA, inner, len, first)) != 0)
		goto out;
	sa->req.kind = REQ_REKEY_IKE;
	ike_sa_state(sa, IKE_S_REKEYING);
out:
	if (r != 0)
		ike_ccsa_clear(sa);
	free(offer);
	return r;
}

int ike_rekey_ike_start(struct ike_sa *sa)
{
	int r;

	if (!sa->t || sa->state != IKE_S_ESTABLISHED || sa->rekeyed)
		return IG_ESTATE;
	if ((r = send_request(sa, preferred_group(sa), 0)) != 0) {
		if (r != IG_EAGAIN)
			sa_log(sa, LL_ERROR, "cannot start the IKE SA rekey: %s", ig_strerror(r));
		return r;
	}
	sa_log(sa, LL_INFO, "rekeying IKE SA %016llx_i %016llx_r", (unsigned long long)sa->spi_i,
	       (unsigned long long)sa->spi_r);
	return 0;
}

/* Keys of ns from old's SK_d, this exchange's nonces and g^ir (2.18). */
static int derive(struct ike_sa *old, struct ike_sa *ns, struct crypto_dh *dh,
		  const struct ike_ke *peer_ke)
{
	uint8_t gir[ALG_MAX_DH_SECRET], si[IKE_SPI_LEN], sr[IKE_SPI_LEN];
	size_t gir_len = 0;
	int r;

	ike_spi_bytes(ns->spi_i, si);
	ike_spi_bytes(ns->spi_r, sr);
	ns->suite = (struct ike_suite){.encr = ns->prop.encr,
				       .encr_keybits = ns->prop.encr_keybits,
				       .integ = ns->prop.integ,
				       .prf = ns->prop.prf,
				       .dh = ns->prop.dh};
	if ((r = crypto_dh_shared(dh, peer_ke->data.p, peer_ke->data.len, gir, sizeof(gir),
				  &gir_len)) != 0 ||
	    (r = ike_keymat_derive_rekey(&ns->km, &ns->suite, old->suite.prf, old->km.sk_d,
					 old->km.prf_len, ns->ni, ns->ni_len, ns->nr, ns->nr_len,
					 gir, gir_len, si, sr)) != 0 ||
	    (r = ike_sa_set_keys(ns)) != 0)
		goto out;
out:
	secret_wipe(gir, sizeof(gir));
	return r;
}

/* A new IKE SA beside old, same tunnel and path; the caller sets its SPIs. */
static struct ike_sa *sibling(struct ike_sa *old, bool initiator)
{
	struct ike_sa *ns = ike_sa_new(old->e, initiator, &old->local, &old->remote);

	if (!ns)
		return NULL;
	ike_sa_bind_tunnel(ns, old->t);
	ns->nat_here = old->nat_here;
	ns->nat_there = old->nat_there;
	ns->natt = old->natt;
	ns->initial_contact = false;
	return ns;
}

static void move_children(struct ike_sa *from, struct ike_sa *to)
{
	while (from->children) {
		struct ike_child *c = from->children;

		from->children = c->next;
		c->next = to->children;
		to->children = c;
	}
}

/* old is replaced: it only waits for its Delete (ours or the peer's). */
static void retire(struct ike_sa *old)
{
	uint64_t now = ike_now(old->e);

	old->rekeyed = true;
	old->t_rekey = old->t_dpd = old->t_keepalive = 0;
	old->t_expire = now + REKEYED_LINGER_MS;
	if (old->state == IKE_S_ESTABLISHED)
		ike_sa_state(old, IKE_S_REKEYING);
}

static void new_sa_up(struct ike_sa *ns)
{
	char prop[160];

	ike_sa_state(ns, IKE_S_ESTABLISHED);
	if (ns->nat_here && ns->e->p.keepalive_ms)
		ns->t_keepalive = ike_now(ns->e) + ns->e->p.keepalive_ms;
	ike_life_established(ns);
	sa_log(ns, LL_INFO, "IKE SA %016llx_i %016llx_r established by rekeying (%s)",
	       (unsigned long long)ns->spi_i, (unsigned long long)ns->spi_r,
	       ike_chosen_names(&ns->prop, prop, sizeof(prop)));
}

void ike_rekey_ike_on_request(struct ike_sa *sa, struct ike_msg *m)
{
	const struct cfg_tunnel *t = sa->t;
	struct ike_sa_pl *offer = malloc(sizeof(*offer)), *answer = malloc(sizeof(*answer));
	uint8_t inner[REKEY_BUF], pub[ALG_MAX_DH_PUB];
	const struct ike_pl *pl;
	struct ike_chosen chosen;
	struct ike_nonce ni;
	struct ike_ke ke;
	struct crypto_dh *dh = NULL;
	struct ike_sa *ns = NULL;
	char ours[512], theirs[512];
	size_t len = 0, publen = 0;
	uint8_t first = 0;
	struct ike_bld b;
	struct buf_wr w;
	int r = 0;

	if (!offer || !answer)
		goto out;
	/* 2.25: not while this SA is being replaced or deleted, nor while our
	 * own CHILD SA exchange is out (it would end on the old IKE SA). */
	if (sa->rekeyed || sa->state == IKE_S_DELETING ||
	    (sa->req.active && (sa->req.kind == REQ_REKEY_CHILD || sa->req.kind == REQ_NEW_CHILD ||
				sa->req.kind == REQ_DELETE_IKE))) {
		sa_log(sa, LL_INFO, "peer's IKE SA rekey refused with TEMPORARY_FAILURE: %s",
		       sa->rekeyed ? "this IKE SA is already replaced"
				   : "another exchange is under way");
		ike_respond_notify(sa, IKEV2_EXCH_CREATE_CHILD_SA, m->hdr.msg_id,
				   IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		goto out;
	}
	if (!(pl = find_inner(m, IKEV2_PL_SA)) || ike_pl_sa_parse(pl->body, offer, NULL) != 0 ||
	    !(pl = find_inner(m, IKEV2_PL_NONCE)) || ike_pl_nonce_parse(pl->body, &ni, NULL) != 0 ||
	    !(pl = find_inner(m, IKEV2_PL_KE)) || ike_pl_ke_parse(pl->body, &ke, NULL) != 0) {
		sa_log(sa, LL_ERROR, "IKE SA rekey request lacks SA, Nonce or KE: INVALID_SYNTAX");
		ike_respond_notify(sa, IKEV2_EXCH_CREATE_CHILD_SA, m->hdr.msg_id,
				   IKEV2_N_INVALID_SYNTAX, NULL, 0);
		goto out;
	}
	if (ike_select(t->ike.proposals, t->ike.n_proposals, offer, IKEV2_PROTO_IKE, false,
		       &chosen) != 0 ||
	    chosen.spi == 0) {
		sa_log(sa, LL_ERROR,
		       "IKE SA rekey: no common IKE proposal (NO_PROPOSAL_CHOSEN); peer "
		       "offered %s; we accept %s",
		       ike_offer_names(offer, IKEV2_PROTO_IKE, theirs, sizeof(theirs)),
		       ike_config_names(t->ike.proposals, t->ike.n_proposals, ours, sizeof(ours)));
		ike_respond_notify(sa, IKEV2_EXCH_CREATE_CHILD_SA, m->hdr.msg_id,
				   IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		goto out;
	}
	if (ke.group != chosen.dh) {
		uint8_t g[2] = {(uint8_t)(chosen.dh >> 8), (uint8_t)chosen.dh};

		sa_log(sa, LL_INFO,
		       "IKE SA rekey: KE is group %u, asking for %s (INVALID_KE_PAYLOAD)", ke.group,
		       alg_dh_name(chosen.dh));
		ike_respond_notify(sa, IKEV2_EXCH_CREATE_CHILD_SA, m->hdr.msg_id,
				   IKEV2_N_INVALID_KE_PAYLOAD, g, sizeof(g));
		goto out;
	}
	if (!(ns = sibling(sa, false)))
		goto out;
	ns->spi_i = chosen.spi;
	ns->prop = chosen;
	ns->ni_len = ni.data.len;
	memcpy(ns->ni, ni.data.p, ni.data.len);
	ns->nr_len = NONCE_LEN;
	if ((r = crypto_random(ns->nr, ns->nr_len)) != 0 ||
	    (r = crypto_dh_new(&dh, chosen.dh)) != 0 ||
	    (r = crypto_dh_public(dh, pub, sizeof(pub), &publen)) != 0 ||
	    (r = derive(sa, ns, dh, &ke)) != 0)
		goto fail;
	ike_answer_build(&chosen, ns->spi_r, 8, answer);
	buf_wr_init(&w, inner, sizeof(inner));
	{
		struct ike_ke myke = {.group = chosen.dh, .data = {pub, publen}};

		if ((r = ike_bld_init_inner(&b, &w)) != 0 || (r = ike_bld_sa(&b, answer)) != 0 ||
		    (r = ike_bld_nonce(&b, ns->nr, ns->nr_len)) != 0 ||
		    (r = ike_bld_ke(&b, &myke)) != 0 || (r = ike_bld_end(&b, &len, &first)) != 0 ||
		    (r = ike_send_response(sa, IKEV2_EXCH_CREATE_CHILD_SA, m->hdr.msg_id, inner,
					   len, first)) != 0)
			goto fail;
	}
	new_sa_up(ns);
	sa_log(sa, LL_INFO, "peer rekeyed IKE SA %016llx_i %016llx_r as [%u]",
	       (unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r, ns->serial);
	/*
	 * The CHILD SAs go to the new IKE SA now, so that they live on when the
	 * peer deletes the old one. In a collision they stay until our answer
	 * decides which new IKE SA survives (or the peer deletes the old one:
	 * ike_rekey_ike_old_deleted() moves them to this one then).
	 */
	if (sa->req.active && sa->req.kind == REQ_REKEY_IKE) {
		const uint8_t *mn =
			bytes_lt(ns->ni, ns->ni_len, ns->nr, ns->nr_len) ? ns->ni : ns->nr;
		size_t ml = mn == ns->ni ? ns->ni_len : ns->nr_len;

		sa->coll_serial = ns->serial;
		memcpy(sa->coll_nonce, mn, ml);
		sa->coll_nonce_len = ml;
		sa_log(sa, LL_INFO,
		       "both sides rekeyed this IKE SA at once (RFC 7296 2.8.2); the "
		       "lowest nonce decides");
	} else {
		move_children(sa, ns);
		retire(sa);
	}
	goto out;
fail:
	sa_log(sa, LL_ERROR, "IKE SA rekey: cannot answer: %s", ig_strerror(r));
	if (ns)
		ike_sa_destroy(ns, NULL);
	ike_respond_notify(sa, IKEV2_EXCH_CREATE_CHILD_SA, m->hdr.msg_id,
			   IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
out:
	crypto_dh_free(dh);
	secret_wipe(inner, sizeof(inner));
	free(offer);
	free(answer);
}

static struct ike_sa *sa_by_serial(struct ike_engine *e, unsigned serial)
{
	for (struct ike_sa *s = e->sas; s; s = s->next)
		if (s->serial == serial && s->state != IKE_S_DEAD)
			return s;
	return NULL;
}

static void rekey_failed(struct ike_sa *sa, uint16_t err)
{
	char nb[IKE_NAME_LEN];

	ike_ccsa_clear(sa);
	if (sa->state == IKE_S_REKEYING && !sa->rekeyed)
		ike_sa_state(sa, IKE_S_ESTABLISHED);
	if (sa->rekeyed)
		return;
	sa->t_rekey = ike_now(sa->e) + sa->e->p.rekey_retry_ms;
	sa_log(sa, LL_WARN, "peer refused the IKE SA rekey with %s; trying again in %u s",
	       ike_notify_name(err, nb), sa->e->p.rekey_retry_ms / 1000);
}

void ike_rekey_ike_on_response(struct ike_sa *sa, struct ike_msg *m)
{
	struct ike_sa_pl *answer = malloc(sizeof(*answer));
	const struct ike_pl *pl;
	struct ike_chosen chosen;
	struct ike_nonce nr;
	struct ike_ke ke;
	struct ike_sa *ns = NULL, *theirs;
	uint16_t group = sa->ccsa.dh ? crypto_dh_group(sa->ccsa.dh) : 0, err = 0;
	char why[160];
	int r;

	if (!answer)
		return;
	for (size_t i = 0; i < m->npl && !err; i++)
		if (m->pl[i].type == IKEV2_PL_NOTIFY && m->pl[i].notify < 16384)
			err = m->pl[i].notify;
	if (err == IKEV2_N_INVALID_KE_PAYLOAD && sa->ccsa.ke_retries < 2) {
		struct ike_notify n;
		uint16_t g = 0;

		pl = ike_msg_find_notify(m, IKEV2_N_INVALID_KE_PAYLOAD);
		if (ike_pl_notify_parse(pl->body, &n, NULL) == 0 &&
		    ike_notify_invalid_ke(&n, &g, NULL) == 0 && g && g != group) {
			sa_log(sa, LL_INFO, "IKE SA rekey: peer asked for DH group %s; retrying",
			       alg_dh_name(g));
			if (sa->state == IKE_S_REKEYING)
				ike_sa_state(sa, IKE_S_ESTABLISHED);
			if (send_request(sa, g, sa->ccsa.ke_retries + 1) == 0)
				goto out;
		}
	}
	if (err) {
		rekey_failed(sa, err);
		goto out;
	}
	if (!(pl = find_inner(m, IKEV2_PL_SA)) || ike_pl_sa_parse(pl->body, answer, NULL) != 0 ||
	    !(pl = find_inner(m, IKEV2_PL_NONCE)) || ike_pl_nonce_parse(pl->body, &nr, NULL) != 0 ||
	    !(pl = find_inner(m, IKEV2_PL_KE)) || ike_pl_ke_parse(pl->body, &ke, NULL) != 0) {
		sa_log(sa, LL_ERROR, "IKE SA rekey response lacks SA, Nonce or KE");
		rekey_failed(sa, IKEV2_N_INVALID_SYNTAX);
		goto out;
	}
	if (ike_check_answer(sa->t->ike.proposals, sa->t->ike.n_proposals, answer, IKEV2_PROTO_IKE,
			     false, &chosen, why, sizeof(why)) != 0 ||
	    chosen.spi == 0 || ke.group != group || chosen.dh != group) {
		sa_log(sa, LL_ERROR, "IKE SA rekey: peer's answer is not acceptable: %s",
		       chosen.spi == 0	   ? "no SPI"
		       : ke.group != group ? "wrong KE group"
					   : why);
		rekey_failed(sa, IKEV2_N_NO_PROPOSAL_CHOSEN);
		goto out;
	}
	if (!(ns = sibling(sa, true)))
		goto out;
	ns->spi_i = sa->ccsa.new_ike_spi;
	ns->spi_r = chosen.spi;
	ns->prop = chosen;
	ns->ni_len = sa->ccsa.n_len;
	memcpy(ns->ni, sa->ccsa.n, sa->ccsa.n_len);
	ns->nr_len = nr.data.len;
	memcpy(ns->nr, nr.data.p, nr.data.len);
	if ((r = derive(sa, ns, sa->ccsa.dh, &ke)) != 0) {
		sa_log(sa, LL_ERROR, "IKE SA rekey: key derivation failed: %s", ig_strerror(r));
		ike_sa_destroy(ns, NULL);
		rekey_failed(sa, IKEV2_N_NO_PROPOSAL_CHOSEN);
		goto out;
	}
	new_sa_up(ns);
	theirs = sa->coll_serial ? sa_by_serial(sa->e, sa->coll_serial) : NULL;
	if (sa->coll_serial &&
	    ike_nonce_cmp(ns->ni, ns->ni_len, ns->nr, ns->nr_len, sa->coll_nonce,
			  sa->coll_nonce_len, sa->coll_nonce, sa->coll_nonce_len) < 0) {
		/* Ours holds the lowest nonce: it is the redundant one (2.8.2). */
		sa_log(sa, LL_INFO,
		       "IKE SA rekey collision lost (lowest nonce is ours): deleting our "
		       "new IKE SA [%u], keeping the peer's [%u]",
		       ns->serial, sa->coll_serial);
		ns->delete_wanted = true;
		ns->rekeyed = true;
		ns->t_rekey = ns->t_dpd = 0;
		if (theirs)
			move_children(sa, theirs);
		retire(sa);
		ike_life_kick(ns);
	} else {
		if (theirs) {
			sa_log(sa, LL_INFO,
			       "IKE SA rekey collision won: the peer deletes its new IKE "
			       "SA [%u]",
			       theirs->serial);
			move_children(theirs, ns);
			retire(theirs);
		}
		move_children(sa, ns);
		retire(sa);
		sa->delete_wanted = true;
		sa_log(sa, LL_INFO,
		       "IKE SA rekeyed as [%u] (%016llx_i %016llx_r); deleting the old one",
		       ns->serial, (unsigned long long)ns->spi_i, (unsigned long long)ns->spi_r);
	}
	ike_ccsa_clear(sa);
out:
	free(answer);
}

void ike_rekey_ike_old_deleted(struct ike_sa *sa)
{
	struct ike_sa *theirs;

	/* 2.8.2: the peer won a collision we have no answer for yet. */
	if (!sa->coll_serial || !sa->children || !(theirs = sa_by_serial(sa->e, sa->coll_serial)) ||
	    theirs->t != sa->t)
		return;
	sa_log(sa, LL_INFO, "peer deleted this IKE SA after its rekey: CHILD SAs move to [%u]",
	       theirs->serial);
	move_children(sa, theirs);
}
