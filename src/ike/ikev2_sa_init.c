/* SPDX-License-Identifier: MIT */
/*
 * IKE_SA_INIT (RFC 7296 1.2), both roles:
 *
 *   Initiator                         Responder
 *   HDR, SAi1, KEi, Ni,
 *     N(NAT_DETECTION_SOURCE_IP),
 *     N(NAT_DETECTION_DESTINATION_IP)  -->
 *                                <--  HDR, SAr1, KEr, Nr, N(NAT_D...)
 *                                     or HDR, N(COOKIE) (2.6)
 *                                     or HDR, N(INVALID_KE_PAYLOAD) (1.2)
 *                                     or HDR, N(NO_PROPOSAL_CHOSEN)
 *
 * Afterwards both sides hold SKEYSEED and the SK_* keys (2.14) and know
 * whether a NAT is in the way (2.23).
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "ike/ike_build.h"
#include "ike/ike_int.h"
#include "ike/ike_natd.h"
#include "ike/ike_names.h"
#include "lib/err.h"
#include "lib/secret.h"

#define INIT_BUF 4096
#define NONCE_LEN 32 /* 2.10: at least half the PRF key size; 32 covers SHA-512's 64/2 */
#define COOKIE_SECRET_LIFE_MS (3600 * 1000)

void ike_spi_bytes(uint64_t spi, uint8_t out[IKE_SPI_LEN])
{
	for (int i = 0; i < IKE_SPI_LEN; i++)
		out[i] = (uint8_t)(spi >> (56 - 8 * i));
}

static int natd(uint64_t spi_i, uint64_t spi_r, const struct ike_endpoint *ep,
		uint8_t out[IKE_NATD_LEN])
{
	uint8_t si[IKE_SPI_LEN], sr[IKE_SPI_LEN];

	ike_spi_bytes(spi_i, si);
	ike_spi_bytes(spi_r, sr);
	return ike_natd_hash(si, sr, &ep->addr, ep->port, out);
}

/* First DH group of our most preferred proposal: what KEi carries. */
static uint16_t preferred_group(const struct cfg_tunnel *t)
{
	return t->ike.n_proposals && t->ike.proposals[0].n_dh ? t->ike.proposals[0].dh[0] : 0;
}

static bool group_offered(const struct cfg_tunnel *t, uint16_t g)
{
	for (size_t i = 0; i < t->ike.n_proposals; i++)
		for (size_t k = 0; k < t->ike.proposals[i].n_dh; k++)
			if (t->ike.proposals[i].dh[k] == g)
				return true;
	return false;
}

static int new_dh(struct ike_sa *sa, uint16_t group)
{
	crypto_dh_free(sa->dh);
	sa->dh = NULL;
	sa->dh_group = group;
	return crypto_dh_new(&sa->dh, group);
}

/* Builds and sends our IKE_SA_INIT request from the SA's current DH, nonce and cookie. */
static int send_init_request(struct ike_sa *sa)
{
	uint8_t buf[INIT_BUF], pub[ALG_MAX_DH_PUB], h_src[IKE_NATD_LEN], h_dst[IKE_NATD_LEN];
	struct ike_hdr h = { .spi_i = sa->spi_i, .exchange = IKEV2_EXCH_IKE_SA_INIT,
			     .flags = IKEV2_FLAG_INITIATOR };
	struct ike_sa_pl *offer = malloc(sizeof(*offer));
	struct ike_ke ke = { .group = sa->dh_group };
	struct ike_bld b;
	struct buf_wr w;
	size_t publen = 0, len = 0;
	int r;

	if (!offer)
		return IG_ENOMEM;
	buf_wr_init(&w, buf, sizeof(buf));
	if ((r = ike_offer_build(sa->t->ike.proposals, sa->t->ike.n_proposals, IKEV2_PROTO_IKE, 0,
				 0, true, offer)) != 0 ||
	    (r = crypto_dh_public(sa->dh, pub, sizeof(pub), &publen)) != 0 ||
	    (r = natd(sa->spi_i, 0, &sa->local, h_src)) != 0 ||
	    (r = natd(sa->spi_i, 0, &sa->remote, h_dst)) != 0)
		goto out;
	ke.data.p = pub;
	ke.data.len = publen;
	if ((r = ike_bld_init(&b, &w, &h)) != 0)
		goto out;
	/* 2.6: the cookie goes first, everything else unchanged. */
	if (sa->cookie && (r = ike_bld_notify_cookie(&b, sa->cookie, sa->cookie_len)) != 0)
		goto out;
	if ((r = ike_bld_sa(&b, offer)) != 0 || (r = ike_bld_ke(&b, &ke)) != 0 ||
	    (r = ike_bld_nonce(&b, sa->ni, sa->ni_len)) != 0 ||
	    (r = ike_bld_notify_nat_d(&b, IKEV2_N_NAT_DETECTION_SOURCE_IP, h_src)) != 0 ||
	    (r = ike_bld_notify_nat_d(&b, IKEV2_N_NAT_DETECTION_DESTINATION_IP, h_dst)) != 0 ||
	    (r = ike_bld_end(&b, &len, NULL)) != 0)
		goto out;
	free(sa->init_i);
	if (!(sa->init_i = malloc(len))) {
		r = IG_ENOMEM;
		goto out;
	}
	memcpy(sa->init_i, buf, len);
	sa->init_i_len = len;
	r = ike_send_request_raw(sa, IKEV2_EXCH_IKE_SA_INIT, buf, len);
out:
	free(offer);
	return r;
}

static int init_start(struct ike_engine *e, const struct cfg_tunnel *t, unsigned reauth_of)
{
	struct ike_endpoint local = { .port = IKE_PORT }, remote = { .port = IKE_PORT };
	struct ike_sa *sa;
	char a[ADDR_STRLEN];
	int r;

	if (t->peer_any)
		return IG_EINVAL;
	remote.addr = t->peer;
	if (e->cfg->gateway.local_address.family)
		local.addr = e->cfg->gateway.local_address;
	else if (!e->io.source_for || e->io.source_for(e->io.ctx, &t->peer, &local.addr) != 0) {
		log_error(LS_IKE, "%s: no local address to reach %s", t->name,
			  addr_format(&t->peer, a, sizeof(a)));
		return IG_ENOENT;
	}
	if (!(sa = ike_sa_new(e, true, &local, &remote)))
		return IG_ENOMEM;
	ike_sa_bind_tunnel(sa, t);
	sa->reauth_of = reauth_of;
	sa->ni_len = NONCE_LEN;
	if ((r = crypto_random(sa->ni, sa->ni_len)) != 0 ||
	    (r = new_dh(sa, preferred_group(t))) != 0 || (r = send_init_request(sa)) != 0) {
		sa_log(sa, LL_ERROR, "cannot start IKE_SA_INIT: %s", ig_strerror(r));
		ike_sa_destroy(sa, NULL);
		return r;
	}
	if (reauth_of)
		sa_log(sa, LL_INFO, "reauthenticating IKE SA [%u]: initiating a new IKE SA to %s",
		       reauth_of, addr_format(&t->peer, a, sizeof(a)));
	else
		sa_log(sa, LL_INFO, "initiating IKE SA to %s", addr_format(&t->peer, a, sizeof(a)));
	return 0;
}

int ike_init_start(struct ike_engine *e, const struct cfg_tunnel *t)
{
	return init_start(e, t, 0);
}

int ike_init_start_reauth(struct ike_engine *e, struct ike_sa *old)
{
	return init_start(e, old->t, old->serial);
}

/* A stateless answer to an IKE_SA_INIT request: one notify, SPIr zero (2.6). */
static void reply_notify(struct ike_engine *e, const struct ike_msg *req,
			 const struct ike_endpoint *from, const struct ike_endpoint *to,
			 uint16_t type, const uint8_t *data, size_t len)
{
	struct ike_hdr h = { .spi_i = req->hdr.spi_i, .exchange = IKEV2_EXCH_IKE_SA_INIT,
			     .flags = IKEV2_FLAG_RESPONSE };
	uint8_t buf[512];
	struct ike_bld b;
	struct buf_wr w;
	size_t n;

	buf_wr_init(&w, buf, sizeof(buf));
	if (ike_bld_init(&b, &w, &h) == 0 && ike_bld_notify_simple(&b, type, data, len) == 0 &&
	    ike_bld_end(&b, &n, NULL) == 0)
		ike_sendto(e, to, from, buf, n);
}

/*
 * Cookie (2.6): Hash(Ni | IPi | SPIi | secret), with the secret's version
 * in front so an old cookie fails cleanly after the secret changes.
 */
static int make_cookie(struct ike_engine *e, const struct ike_nonce *ni, const struct addr *ip,
		       uint64_t spi_i, uint8_t version, uint8_t out[33])
{
	uint8_t spi[IKE_SPI_LEN];
	struct crypto_iov iov[3] = {
		{ ni->data.p, ni->data.len }, { ip->b, addr_len(ip) }, { spi, sizeof(spi) },
	};

	ike_spi_bytes(spi_i, spi);
	out[0] = version;
	return crypto_prf(ALG_PRF_HMAC_SHA2_256, e->cookie_secret, sizeof(e->cookie_secret), iov,
			  3, out + 1);
}

static bool cookie_ok(struct ike_engine *e, const struct ike_msg *m, const struct ike_nonce *ni,
		      const struct ike_endpoint *from)
{
	const struct ike_pl *pl = ike_msg_find_notify(m, IKEV2_N_COOKIE);
	struct ike_notify n;
	struct ike_view c;
	uint8_t want[33];

	/* 2.6: the cookie must be the first payload. */
	if (!pl || m->npl == 0 || &m->pl[0] != pl)
		return false;
	if (ike_pl_notify_parse(pl->body, &n, NULL) != 0 || ike_notify_cookie(&n, &c, NULL) != 0)
		return false;
	if (c.len != sizeof(want) ||
	    make_cookie(e, ni, &from->addr, m->hdr.spi_i, c.p[0], want) != 0)
		return false;
	return buf_ct_equal(want, c.p, sizeof(want));
}

static void rotate_cookie_secret(struct ike_engine *e)
{
	uint64_t now = ike_now(e);

	if (!e->cookie_secret_at || now - e->cookie_secret_at > COOKIE_SECRET_LIFE_MS) {
		crypto_random(e->cookie_secret, sizeof(e->cookie_secret));
		e->cookie_secret_at = now;
	}
}

/*
 * NAT detection (2.23) from the NAT_D notifies of m. expect_dst is how the
 * receiver's address should look; expect_src how the sender's should.
 * Returns false if the peer sent no NAT_D at all (no NAT-T support).
 */
static bool detect_nat(const struct ike_msg *m, uint64_t spi_i, uint64_t spi_r,
		       const struct ike_endpoint *receiver, const struct ike_endpoint *sender,
		       bool *nat_receiver, bool *nat_sender)
{
	uint8_t want_dst[IKE_NATD_LEN], want_src[IKE_NATD_LEN];
	bool any = false, src_match = false, dst_match = false, have_src = false;

	if (natd(spi_i, spi_r, receiver, want_dst) != 0 || natd(spi_i, spi_r, sender, want_src) != 0)
		return false;
	for (size_t i = 0; i < m->npl; i++) {
		const struct ike_pl *pl = &m->pl[i];
		struct ike_notify n;
		const uint8_t *hash;

		if (pl->type != IKEV2_PL_NOTIFY || pl->inner ||
		    (pl->notify != IKEV2_N_NAT_DETECTION_SOURCE_IP &&
		     pl->notify != IKEV2_N_NAT_DETECTION_DESTINATION_IP))
			continue;
		if (ike_pl_notify_parse(pl->body, &n, NULL) != 0 ||
		    ike_notify_nat_d(&n, &hash, NULL) != 0)
			continue;
		any = true;
		if (pl->notify == IKEV2_N_NAT_DETECTION_SOURCE_IP) {
			have_src = true;
			src_match |= memcmp(hash, want_src, IKE_NATD_LEN) == 0;
		} else {
			dst_match |= memcmp(hash, want_dst, IKE_NATD_LEN) == 0;
		}
	}
	*nat_receiver = any && !dst_match;
	*nat_sender = any && have_src && !src_match;
	return any;
}

static int parse_first(const struct ike_msg *m, uint8_t type, struct ike_view *body)
{
	const struct ike_pl *pl = ike_msg_find(m, type, NULL);

	if (!pl)
		return IG_ENOENT;
	*body = pl->body;
	return 0;
}

/* Keys from the DH result and both nonces; the SA's SPIs must be set. */
static int derive_keys(struct ike_sa *sa, const struct ike_ke *peer_ke)
{
	uint8_t gir[ALG_MAX_DH_SECRET], si[IKE_SPI_LEN], sr[IKE_SPI_LEN];
	size_t gir_len = 0;
	int r;

	ike_spi_bytes(sa->spi_i, si);
	ike_spi_bytes(sa->spi_r, sr);
	sa->suite = (struct ike_suite){ .encr = sa->prop.encr, .encr_keybits = sa->prop.encr_keybits,
					.integ = sa->prop.integ, .prf = sa->prop.prf,
					.dh = sa->prop.dh };
	if ((r = crypto_dh_shared(sa->dh, peer_ke->data.p, peer_ke->data.len, gir, sizeof(gir),
				  &gir_len)) != 0 ||
	    (r = ike_keymat_derive(&sa->km, &sa->suite, sa->ni, sa->ni_len, sa->nr, sa->nr_len, gir,
				   gir_len, si, sr)) != 0 ||
	    (r = ike_sa_set_keys(sa)) != 0)
		goto out;
out:
	secret_wipe(gir, sizeof(gir));
	/* The private value is not needed any more (forward secrecy). */
	crypto_dh_free(sa->dh);
	sa->dh = NULL;
	return r;
}

static int build_response(struct ike_sa *sa, const struct ike_endpoint *from,
			  const struct ike_endpoint *to, uint8_t *buf, size_t cap, size_t *len)
{
	uint8_t pub[ALG_MAX_DH_PUB], h_src[IKE_NATD_LEN], h_dst[IKE_NATD_LEN];
	struct ike_hdr h = { .spi_i = sa->spi_i, .spi_r = sa->spi_r,
			     .exchange = IKEV2_EXCH_IKE_SA_INIT, .flags = IKEV2_FLAG_RESPONSE };
	struct ike_sa_pl *answer = malloc(sizeof(*answer));
	struct ike_ke ke = { .group = sa->dh_group };
	size_t publen = 0;
	struct ike_bld b;
	struct buf_wr w;
	int r;

	if (!answer)
		return IG_ENOMEM;
	ike_answer_build(&sa->prop, 0, 0, answer);
	buf_wr_init(&w, buf, cap);
	if ((r = crypto_dh_public(sa->dh, pub, sizeof(pub), &publen)) != 0 ||
	    (r = natd(sa->spi_i, sa->spi_r, to, h_src)) != 0 ||
	    (r = natd(sa->spi_i, sa->spi_r, from, h_dst)) != 0)
		goto out;
	ke.data.p = pub;
	ke.data.len = publen;
	if ((r = ike_bld_init(&b, &w, &h)) != 0 || (r = ike_bld_sa(&b, answer)) != 0 ||
	    (r = ike_bld_ke(&b, &ke)) != 0 || (r = ike_bld_nonce(&b, sa->nr, sa->nr_len)) != 0 ||
	    (r = ike_bld_notify_nat_d(&b, IKEV2_N_NAT_DETECTION_SOURCE_IP, h_src)) != 0 ||
	    (r = ike_bld_notify_nat_d(&b, IKEV2_N_NAT_DETECTION_DESTINATION_IP, h_dst)) != 0 ||
	    (r = ike_bld_end(&b, len, NULL)) != 0)
		goto out;
out:
	free(answer);
	return r;
}

void ike_init_on_request(struct ike_engine *e, struct ike_msg *m, const struct ike_endpoint *from,
			 const struct ike_endpoint *to)
{
	const struct cfg_tunnel *cand[16], *t = NULL;
	struct ike_sa_pl *offer = NULL;
	struct ike_view body;
	struct ike_nonce ni;
	struct ike_ke ke;
	struct ike_sa *sa = NULL;
	struct ike_chosen chosen;
	char a[ADDR_STRLEN], theirs[512], ours[512];
	uint8_t buf[INIT_BUF];
	size_t n, len = 0;
	int r;

	addr_format(&from->addr, a, sizeof(a));
	if (m->hdr.msg_id != 0 || m->hdr.spi_r != 0) {
		ike_guard_drop(e, IKE_DROP_INIT_INVALID, from,
			       "IKE_SA_INIT request with SPIr or Message ID set", NULL);
		return;
	}
	if (!(offer = malloc(sizeof(*offer))))
		return;
	if (parse_first(m, IKEV2_PL_SA, &body) != 0 || ike_pl_sa_parse(body, offer, NULL) != 0 ||
	    parse_first(m, IKEV2_PL_KE, &body) != 0 || ike_pl_ke_parse(body, &ke, NULL) != 0 ||
	    parse_first(m, IKEV2_PL_NONCE, &body) != 0 ||
	    ike_pl_nonce_parse(body, &ni, NULL) != 0) {
		ike_guard_drop(e, IKE_DROP_INIT_INVALID, from,
			       "IKE_SA_INIT lacks SA, KE or Nonce: INVALID_SYNTAX", NULL);
		reply_notify(e, m, from, to, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		goto out;
	}

	n = ike_cfg_tunnels_for_peer(e, &from->addr, cand, sizeof(cand) / sizeof(cand[0]));
	if (n == 0) {
		ike_guard_drop(e, IKE_DROP_NO_TUNNEL, from,
			       "IKE_SA_INIT, but no tunnel is configured for this peer; "
			       "answering NO_PROPOSAL_CHOSEN",
			       NULL);
		reply_notify(e, m, from, to, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		goto out;
	}

	/* 2.6: above the half-open threshold, only peers that return our cookie. */
	rotate_cookie_secret(e);
	if (ike_sa_count_half_open(e) >= e->p.cookie_threshold && !cookie_ok(e, m, &ni, from)) {
		uint8_t cookie[33];

		if (make_cookie(e, &ni, &from->addr, m->hdr.spi_i, 1, cookie) == 0) {
			reply_notify(e, m, from, to, IKEV2_N_COOKIE, cookie, sizeof(cookie));
			e->guard.cookies_sent++;
		}
		if (ike_guard_log_ok(e))
			log_debug(LS_IKE,
				  "IKE_SA_INIT from %s: %zu half-open SAs, asking for a cookie", a,
				  ike_sa_count_half_open(e));
		goto out;
	}
	/* Cookie or not: limits per source address and in all (ike_guard.h). */
	if (!ike_guard_admit(e, from, m->raw.len))
		goto out;

	for (size_t i = 0; i < n && !t; i++)
		if (cand[i]->ike.version == CFG_IKE_V2 &&
		    ike_select(cand[i]->ike.proposals, cand[i]->ike.n_proposals, offer,
			       IKEV2_PROTO_IKE, false, &chosen) == 0)
			t = cand[i];
	if (!t) {
		/* Worth an error for a real peer, but anyone can send it: rate-limited. */
		if (ike_guard_log_ok(e))
			log_error(LS_IKE,
				  "%s: IKE_SA_INIT from %s: no common IKE proposal "
				  "(NO_PROPOSAL_CHOSEN); peer offered %s; we accept %s",
				  cand[0]->name, a,
				  ike_offer_names(offer, IKEV2_PROTO_IKE, theirs, sizeof(theirs)),
				  ike_config_names(cand[0]->ike.proposals, cand[0]->ike.n_proposals,
						   ours, sizeof(ours)));
		reply_notify(e, m, from, to, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		goto out;
	}
	if (ke.group != chosen.dh) {
		uint8_t g[2] = { (uint8_t)(chosen.dh >> 8), (uint8_t)chosen.dh };

		if (ike_guard_log_ok(e))
			log_info(LS_IKE,
				 "%s: IKE_SA_INIT from %s: KE is %s, asking for %s "
				 "(INVALID_KE_PAYLOAD)",
				 t->name, a,
				 alg_dh_known(ke.group) ? alg_dh_name(ke.group) : "unknown",
				 alg_dh_name(chosen.dh));
		reply_notify(e, m, from, to, IKEV2_N_INVALID_KE_PAYLOAD, g, sizeof(g));
		goto out;
	}
	if (e->p.max_sas && ike_engine_sa_total(e) >= e->p.max_sas) {
		ike_guard_drop(e, IKE_DROP_SA_LIMIT, from, "max_sas IKE SAs already, refusing",
			       NULL);
		reply_notify(e, m, from, to, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		goto out;
	}

	if (!(sa = ike_sa_new(e, false, to, from)))
		goto out;
	ike_sa_bind_tunnel(sa, t);
	sa->spi_i = m->hdr.spi_i;
	sa->prop = chosen;
	sa->ni_len = ni.data.len;
	memcpy(sa->ni, ni.data.p, ni.data.len);
	sa->nr_len = NONCE_LEN;
	detect_nat(m, sa->spi_i, 0, to, from, &sa->nat_here, &sa->nat_there);
	/* 2.23: a peer that knows of the NAT (a reauthentication, a restart)
	 * may start on port 4500 at once: the SA runs there from the start. */
	if (to->port == IKE_NATT_PORT)
		sa->natt = true;
	if ((r = crypto_random(sa->nr, sa->nr_len)) != 0 || (r = new_dh(sa, chosen.dh)) != 0 ||
	    (r = build_response(sa, from, to, buf, sizeof(buf), &len)) != 0 ||
	    (r = derive_keys(sa, &ke)) != 0) {
		sa_log(sa, LL_ERROR, "IKE_SA_INIT from %s failed: %s (peer KE %zu bytes)", a,
		       ig_strerror(r), ke.data.len);
		reply_notify(e, m, from, to,
			     r == IG_EINVAL ? IKEV2_N_INVALID_SYNTAX : IKEV2_N_NO_PROPOSAL_CHOSEN,
			     NULL, 0);
		ike_sa_destroy(sa, NULL);
		goto out;
	}
	if (!(sa->init_i = malloc(m->raw.len)) || !(sa->init_r = malloc(len))) {
		ike_sa_destroy(sa, NULL);
		goto out;
	}
	memcpy(sa->init_i, m->raw.p, m->raw.len);
	sa->init_i_len = m->raw.len;
	memcpy(sa->init_r, buf, len);
	sa->init_r_len = len;
	sa->peer_msg_id = 1;
	ike_send_response_raw(sa, buf, len);
	sa->t_half_open = ike_now(e) + e->p.half_open_ms;
	sa_log(sa, LL_INFO, "IKE_SA_INIT from %s answered with %s%s%s", a,
	       ike_chosen_names(&chosen, ours, sizeof(ours)), sa->nat_there ? ", peer behind NAT" : "",
	       sa->nat_here ? ", we are behind NAT" : "");
out:
	free(offer);
}

/* The responder said no: log why in an operator's words, then give up. */
static void init_refused(struct ike_sa *sa, uint16_t type)
{
	char ours[512], nb[IKE_NAME_LEN];
	const char *name = ike_notify_name(type, nb);

	switch (type) {
	case IKEV2_N_NO_PROPOSAL_CHOSEN:
		sa_log(sa, LL_ERROR, "peer rejected our proposals (NO_PROPOSAL_CHOSEN) in IKE_SA_INIT; "
		       "we offered %s", ike_config_names(sa->t->ike.proposals, sa->t->ike.n_proposals,
							 ours, sizeof(ours)));
		break;
	default:
		sa_log(sa, LL_ERROR, "peer refused IKE_SA_INIT with %s", name);
	}
	ike_sa_destroy(sa, "IKE_SA_INIT failed");
}

void ike_init_on_response(struct ike_sa *sa, struct ike_msg *m)
{
	struct ike_sa_pl *answer = NULL;
	struct ike_notify n;
	struct ike_view body;
	struct ike_nonce nr;
	struct ike_ke ke;
	char why[160], names[256];
	int r;

	if (sa->state != IKE_S_INIT_SENT || m->hdr.msg_id != 0)
		return;

	/* Cookie, INVALID_KE and error notifies come alone, before any SA payload. */
	const struct ike_pl *pl = ike_msg_find_notify(m, IKEV2_N_COOKIE);
	if (pl && !ike_msg_find(m, IKEV2_PL_SA, NULL)) {
		struct ike_view c;

		if (ike_pl_notify_parse(pl->body, &n, NULL) != 0 || ike_notify_cookie(&n, &c, NULL) != 0)
			return;
		if (sa->cookie && ++sa->ke_retries > 3) {
			ike_sa_destroy(sa, "responder keeps asking for cookies");
			return;
		}
		free(sa->cookie);
		if (!(sa->cookie = malloc(c.len)))
			return;
		memcpy(sa->cookie, c.p, c.len);
		sa->cookie_len = c.len;
		sa_log(sa, LL_INFO, "responder asked for a cookie (it is under load); retrying");
		sa->req.active = false;
		send_init_request(sa);
		return;
	}
	pl = ike_msg_find_notify(m, IKEV2_N_INVALID_KE_PAYLOAD);
	if (pl && !ike_msg_find(m, IKEV2_PL_SA, NULL)) {
		uint16_t g = 0;

		if (ike_pl_notify_parse(pl->body, &n, NULL) != 0 ||
		    ike_notify_invalid_ke(&n, &g, NULL) != 0)
			return;
		if (!group_offered(sa->t, g) || g == sa->dh_group || ++sa->ke_retries > 2) {
			sa_log(sa, LL_ERROR, "peer wants DH group %u, which we did not offer "
			       "(INVALID_KE_PAYLOAD)", g);
			ike_sa_destroy(sa, "IKE_SA_INIT failed");
			return;
		}
		sa_log(sa, LL_INFO, "peer asked for DH group %s instead of %s (INVALID_KE_PAYLOAD); "
		       "retrying", alg_dh_name(g), alg_dh_name(sa->dh_group));
		if (new_dh(sa, g) != 0)
			return;
		sa->req.active = false;
		send_init_request(sa);
		return;
	}
	for (size_t i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKEV2_PL_NOTIFY && m->pl[i].notify < 16384 &&
		    !ike_msg_find(m, IKEV2_PL_SA, NULL)) {
			init_refused(sa, m->pl[i].notify);
			return;
		}

	if (m->hdr.spi_r == 0 || !(answer = malloc(sizeof(*answer))))
		return;
	if (parse_first(m, IKEV2_PL_SA, &body) != 0 || ike_pl_sa_parse(body, answer, NULL) != 0 ||
	    parse_first(m, IKEV2_PL_KE, &body) != 0 || ike_pl_ke_parse(body, &ke, NULL) != 0 ||
	    parse_first(m, IKEV2_PL_NONCE, &body) != 0 || ike_pl_nonce_parse(body, &nr, NULL) != 0) {
		sa_log(sa, LL_ERROR, "IKE_SA_INIT response lacks SA, KE or Nonce");
		ike_sa_destroy(sa, "malformed IKE_SA_INIT response");
		goto out;
	}
	if (ike_check_answer(sa->t->ike.proposals, sa->t->ike.n_proposals, answer, IKEV2_PROTO_IKE,
			     false, &sa->prop, why, sizeof(why)) != 0) {
		sa_log(sa, LL_ERROR, "peer's IKE proposal %s is not acceptable: %s",
		       ike_offer_names(answer, IKEV2_PROTO_IKE, names, sizeof(names)), why);
		ike_sa_destroy(sa, "IKE_SA_INIT failed");
		goto out;
	}
	if (ke.group != sa->dh_group || sa->prop.dh != sa->dh_group) {
		sa_log(sa, LL_ERROR, "peer's KE is group %u, but we sent %u and it chose %u", ke.group,
		       sa->dh_group, sa->prop.dh);
		ike_sa_destroy(sa, "IKE_SA_INIT failed");
		goto out;
	}
	ike_request_done(sa);
	sa->spi_r = m->hdr.spi_r;
	sa->nr_len = nr.data.len;
	memcpy(sa->nr, nr.data.p, nr.data.len);
	detect_nat(m, sa->spi_i, sa->spi_r, &sa->local, &sa->remote, &sa->nat_here, &sa->nat_there);
	if ((r = derive_keys(sa, &ke)) != 0) {
		sa_log(sa, LL_ERROR, "IKE_SA_INIT: key derivation failed: %s", ig_strerror(r));
		ike_sa_destroy(sa, "IKE_SA_INIT failed");
		goto out;
	}
	if (!(sa->init_r = malloc(m->raw.len))) {
		ike_sa_destroy(sa, NULL);
		goto out;
	}
	memcpy(sa->init_r, m->raw.p, m->raw.len);
	sa->init_r_len = m->raw.len;
	/* 2.23: with a NAT on the path, continue on port 4500. */
	if (sa->nat_here || sa->nat_there) {
		sa->local.port = IKE_NATT_PORT;
		sa->remote.port = IKE_NATT_PORT;
		sa->natt = true;
	}
	log_debug(LS_IKE, "%s[%u]: IKE_SA_INIT done: %s%s%s", sa->tname, sa->serial,
		  ike_chosen_names(&sa->prop, names, sizeof(names)),
		  sa->nat_here ? ", we are behind NAT" : "", sa->nat_there ? ", peer behind NAT" : "");
	if ((r = ike_auth_start(sa)) != 0) {
		sa_log(sa, LL_ERROR, "cannot send IKE_AUTH: %s", ig_strerror(r));
		ike_sa_destroy(sa, "IKE_AUTH failed");
	}
out:
	free(answer);
}
