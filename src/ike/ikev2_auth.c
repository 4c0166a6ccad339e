/* SPDX-License-Identifier: MIT */
/*
 * IKE_AUTH with pre-shared keys and the first CHILD SA (RFC 7296 1.2, 2.15):
 *
 *   Initiator                         Responder
 *   HDR, SK {IDi, [IDr,] AUTH,
 *       [N(INITIAL_CONTACT),]
 *       [N(USE_TRANSPORT_MODE),]
 *       SAi2, TSi, TSr}           -->
 *                                <--  HDR, SK {IDr, AUTH, SAr2, TSi, TSr}
 *                                     or HDR, SK {N(AUTHENTICATION_FAILED)}
 *                                     or HDR, SK {IDr, AUTH, N(NO_PROPOSAL_CHOSEN
 *                                                 | TS_UNACCEPTABLE)}
 *
 * The CHILD SA of IKE_AUTH has no KE exchange: its proposals carry no DH
 * group (1.2); PFS applies to CHILD SAs made later by CREATE_CHILD_SA.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ike/ike_auth_psk.h"
#include "ike/ike_build.h"
#include "ike/ike_int.h"
#include "ike/ike_names.h"
#include "ike/ike_tsel.h"
#include "lib/err.h"
#include "lib/secret.h"

#define AUTH_BUF 8192
#define ID_MAX 256

/* The ID payload body (type, 3 reserved bytes, data) that AUTH signs (2.15). */
static size_t id_body(uint8_t type, const uint8_t *data, size_t len, uint8_t *out, size_t cap)
{
	if (len + 4 > cap)
		len = cap - 4;
	out[0] = type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, data, len);
	return len + 4;
}

void ike_local_id(const struct ike_sa *sa, uint8_t *type, const uint8_t **data, size_t *len,
		  uint8_t *buf, size_t cap)
{
	const struct cfg_id *id = &sa->t->local_id;

	if (id->type != CFG_ID_NONE && id->type != CFG_ID_ANY && id->data) {
		*type = (uint8_t)id->type;
		*data = id->data;
		*len = id->len;
		return;
	}
	/* No local-id, public-ip or local-address: the address IKE runs from. */
	*type = sa->local.addr.family == AF_INET6 ? IKEV2_ID_IPV6_ADDR : IKEV2_ID_IPV4_ADDR;
	*len = addr_len(&sa->local.addr) < cap ? addr_len(&sa->local.addr) : cap;
	memcpy(buf, sa->local.addr.b, *len);
	*data = buf;
}

bool ike_remote_id_matches(const struct cfg_tunnel *t, uint8_t type, const uint8_t *data,
			   size_t len)
{
	const struct cfg_id *id = &t->remote_id;

	if (id->type == CFG_ID_ANY)
		return true;
	if ((uint8_t)id->type != type || id->len != len)
		return false;
	/* Domain names compare without regard to case (RFC 4343). */
	if (type == IKEV2_ID_FQDN || type == IKEV2_ID_RFC822_ADDR) {
		for (size_t i = 0; i < len; i++)
			if (tolower(id->data[i]) != tolower(data[i]))
				return false;
		return true;
	}
	return memcmp(id->data, data, len) == 0;
}

const char *ike_id_format(uint8_t type, const uint8_t *data, size_t len, char *out, size_t outlen)
{
	struct addr a;
	size_t o = 0;

	if ((type == IKEV2_ID_IPV4_ADDR && addr_from_bytes(&a, AF_INET, data, len) == 0) ||
	    (type == IKEV2_ID_IPV6_ADDR && addr_from_bytes(&a, AF_INET6, data, len) == 0))
		return addr_format(&a, out, outlen);
	if (type == IKEV2_ID_KEY_ID) {
		o = (size_t)snprintf(out, outlen, "keyid:#");
		for (size_t i = 0; i < len && o + 3 < outlen; i++)
			o += (size_t)snprintf(out + o, outlen - o, "%02x", data[i]);
		return out;
	}
	/* FQDN, user@FQDN and anything else: printable characters only. */
	for (size_t i = 0; i < len && o + 1 < outlen; i++)
		out[o++] = isprint(data[i]) ? (char)data[i] : '?';
	out[o] = '\0';
	return out;
}

/* Text of the tunnel's expected remote ID, for messages. */
static const char *expected_id(const struct cfg_tunnel *t)
{
	return t->remote_id.text ? t->remote_id.text : "(none)";
}

/*
 * What an AUTH payload signs (2.15): the side's own IKE_SA_INIT message, the
 * other side's nonce and prf(SK_p, the side's ID payload body).
 */
static struct ike_auth_input auth_input(const struct ike_sa *sa, bool of_initiator,
					const uint8_t *idb, size_t idb_len)
{
	return (struct ike_auth_input){
		.prf = sa->suite.prf,
		.real_msg = of_initiator ? sa->init_i : sa->init_r,
		.real_msg_len = of_initiator ? sa->init_i_len : sa->init_r_len,
		.peer_nonce = of_initiator ? sa->nr : sa->ni,
		.peer_nonce_len = of_initiator ? sa->nr_len : sa->ni_len,
		.sk_p = of_initiator ? sa->km.sk_pi : sa->km.sk_pr,
		.sk_p_len = sa->km.prf_len,
		.id_body = idb,
		.id_body_len = idb_len,
	};
}

static int auth_compute(struct ike_sa *sa, bool for_initiator, const uint8_t *idb, size_t idb_len,
			uint8_t out[ALG_MAX_PRF], size_t *out_len)
{
	struct ike_auth_input in = auth_input(sa, for_initiator, idb, idb_len);

	return ike_auth_psk_compute(&in, sa->t->psk->data, sa->t->psk->len, out, out_len);
}

static int auth_verify(struct ike_sa *sa, const struct cfg_tunnel *t, bool of_initiator,
		       const struct ike_id *id, const struct ike_auth *auth)
{
	struct ike_auth_input in = auth_input(sa, of_initiator, id->body.p, id->body.len);

	if (auth->method != IKEV2_AUTH_SHARED_KEY)
		return IG_ENOTSUP;
	return ike_auth_psk_verify(&in, t->psk->data, t->psk->len, auth->data.p, auth->data.len);
}

/* The selectors we propose for t: its subnets, or everything when route-based. */
static int our_selectors(const struct cfg_tunnel *t, struct ike_ts_pl *local,
			 struct ike_ts_pl *remote)
{
	int r;

	if (t->type == CFG_TYPE_ROUTE) {
		ike_tsel_any(local);
		ike_tsel_any(remote);
		return 0;
	}
	if ((r = ike_tsel_from_cidrs(t->local_subnets, t->n_local_subnets, local)) != 0)
		return r;
	return ike_tsel_from_cidrs(t->remote_subnets, t->n_remote_subnets, remote);
}

int ike_auth_start(struct ike_sa *sa)
{
	const struct cfg_tunnel *t = sa->t;
	uint8_t inner[AUTH_BUF], idbuf[16], idb[ID_MAX + 4], authv[ALG_MAX_PRF];
	struct ike_sa_pl *offer = malloc(sizeof(*offer));
	struct ike_id id = { 0 };
	struct ike_auth auth = { .method = IKEV2_AUTH_SHARED_KEY };
	const uint8_t *idd;
	size_t idlen, idb_len, authlen = 0, len = 0;
	uint8_t first = 0;
	struct ike_bld b;
	struct buf_wr w;
	int r;

	if (!offer)
		return IG_ENOMEM;
	ike_local_id(sa, &id.type, &idd, &idlen, idbuf, sizeof(idbuf));
	id.data.p = idd;
	id.data.len = idlen;
	idb_len = id_body(id.type, idd, idlen, idb, sizeof(idb));
	sa->child_spi = ike_new_child_spi(sa->e);
	if ((r = auth_compute(sa, true, idb, idb_len, authv, &authlen)) != 0 ||
	    (r = ike_offer_build(t->esp.proposals, t->esp.n_proposals, IKEV2_PROTO_ESP,
				 sa->child_spi, 4, false, offer)) != 0 ||
	    (r = our_selectors(t, &sa->ts_i, &sa->ts_r)) != 0)
		goto out;
	auth.data.p = authv;
	auth.data.len = authlen;
	buf_wr_init(&w, inner, sizeof(inner));
	if ((r = ike_bld_init_inner(&b, &w)) != 0 || (r = ike_bld_id(&b, IKEV2_PL_IDI, &id)) != 0)
		goto out;
	/* IDr only when the operator named the peer's ID: a default (its
	 * address) may not be what the peer calls itself behind a NAT. */
	if (cfg_tunnel_is_set(t, CFG_T_REMOTE_ID) && t->remote_id.type != CFG_ID_ANY) {
		struct ike_id idr = { .type = (uint8_t)t->remote_id.type,
				      .data = { t->remote_id.data, t->remote_id.len } };

		if ((r = ike_bld_id(&b, IKEV2_PL_IDR, &idr)) != 0)
			goto out;
	}
	/* 3.16: INITIAL_CONTACT only when this is our only IKE SA with the
	 * peer; a reauthentication keeps the old one up until the new one is. */
	if ((r = ike_bld_auth(&b, &auth)) != 0 ||
	    (!sa->reauth_of &&
	     (r = ike_bld_notify_simple(&b, IKEV2_N_INITIAL_CONTACT, NULL, 0)) != 0))
		goto out;
	if (t->esp.mode == CFG_MODE_TRANSPORT &&
	    (r = ike_bld_notify_simple(&b, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0)) != 0)
		goto out;
	if ((r = ike_bld_sa(&b, offer)) != 0 ||
	    (r = ike_bld_ts(&b, IKEV2_PL_TSI, sa->ts_i.ts, sa->ts_i.count)) != 0 ||
	    (r = ike_bld_ts(&b, IKEV2_PL_TSR, sa->ts_r.ts, sa->ts_r.count)) != 0 ||
	    (r = ike_bld_end(&b, &len, &first)) != 0)
		goto out;
	if ((r = ike_send_request(sa, IKEV2_EXCH_IKE_AUTH, inner, len, first)) != 0)
		goto out;
	ike_sa_state(sa, IKE_S_AUTH_SENT);
out:
	secret_wipe(authv, sizeof(authv));
	secret_wipe(inner, sizeof(inner));
	free(offer);
	return r;
}

/* The first payload of a type in the decrypted chain, parsed with fn. */
#define INNER(m, type, fn, out) inner_parse((m), (type), (int (*)(struct ike_view, void *, struct ike_parse_err *))(fn), (out))

static int inner_parse(const struct ike_msg *m, uint8_t type,
		       int (*fn)(struct ike_view, void *, struct ike_parse_err *), void *out)
{
	const struct ike_pl *pl = ike_msg_find(m, type, NULL);

	if (!pl)
		return IG_ENOENT;
	return fn(pl->body, out, NULL);
}

/* The first error notify (type < 16384, 3.10.1) of the decrypted chain, or 0. */
static uint16_t error_notify(const struct ike_msg *m)
{
	for (size_t i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKEV2_PL_NOTIFY && m->pl[i].notify < 16384)
			return m->pl[i].notify;
	return 0;
}

static void established_log(struct ike_sa *sa, const struct ike_id *peer)
{
	char a[ADDR_STRLEN], id[ID_MAX], prop[160];

	sa_log(sa, LL_INFO, "IKE SA established with %s[%s] (%s)%s",
	       addr_format(&sa->remote.addr, a, sizeof(a)),
	       ike_id_format(peer->type, peer->data.p, peer->data.len, id, sizeof(id)),
	       ike_chosen_names(&sa->prop, prop, sizeof(prop)),
	       sa->natt ? ", NAT-T on port 4500" : "");
}

/* INITIAL_CONTACT (3.16): the peer has no other SAs with us; drop ours. */
static void initial_contact(struct ike_sa *sa)
{
	for (struct ike_sa *o = sa->e->sas; o; o = o->next)
		if (o != sa && o->t == sa->t && o->state != IKE_S_DEAD &&
		    o->state != IKE_S_INIT_SENT && o->state != IKE_S_HALF_OPEN &&
		    o->state != IKE_S_AUTH_SENT)
			ike_sa_destroy(o, "peer sent INITIAL_CONTACT: it lost this SA");
}

static bool tunnel_has_children(const struct ike_sa *sa)
{
	for (const struct ike_sa *o = sa->e->sas; o; o = o->next)
		if (o != sa && o->t == sa->t && o->state != IKE_S_DEAD && o->children)
			return true;
	return false;
}

static void after_established(struct ike_sa *sa)
{
	uint64_t now = ike_now(sa->e);

	sa->t_half_open = 0;
	if (sa->nat_here && sa->e->p.keepalive_ms)
		sa->t_keepalive = now + sa->e->p.keepalive_ms;
	if (sa->initial_contact)
		initial_contact(sa);
	ike_life_established(sa);
	if (sa->reauth_of)
		ike_life_reauth_done(sa);
	else
		ike_life_duplicate_check(sa);
}

void ike_auth_on_request(struct ike_sa *sa, struct ike_msg *m)
{
	const struct cfg_tunnel *cand[16], *t = NULL;
	struct ike_sa_pl *offer = malloc(sizeof(*offer)), *answer = malloc(sizeof(*answer));
	struct ike_ts_pl tsi, tsr, nar_i, nar_r;
	struct ike_id idi;
	struct ike_auth auth;
	struct ike_chosen chosen;
	uint8_t inner[AUTH_BUF], idbuf[16], idb[ID_MAX + 4], authv[ALG_MAX_PRF];
	char a[ADDR_STRLEN], idtext[ID_MAX], ours[512], theirs[512];
	uint16_t child_err = 0;
	struct ike_child *c = NULL;
	size_t n, authlen = 0, len = 0;
	uint32_t msg_id = m->hdr.msg_id;
	uint8_t first = 0;
	struct ike_bld b;
	struct buf_wr w;
	int r;

	if (!offer || !answer)
		goto out;
	addr_format(&sa->remote.addr, a, sizeof(a));
	if (sa->state != IKE_S_HALF_OPEN) {
		ike_respond_notify(sa, IKEV2_EXCH_IKE_AUTH, msg_id, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		goto out;
	}
	if (INNER(m, IKEV2_PL_IDI, ike_pl_id_parse, &idi) != 0 ||
	    INNER(m, IKEV2_PL_AUTH, ike_pl_auth_parse, &auth) != 0) {
		sa_log(sa, LL_ERROR, "IKE_AUTH from %s lacks IDi or AUTH: INVALID_SYNTAX", a);
		ike_respond_notify(sa, IKEV2_EXCH_IKE_AUTH, msg_id, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		ike_sa_destroy(sa, "malformed IKE_AUTH");
		goto out;
	}
	ike_id_format(idi.type, idi.data.p, idi.data.len, idtext, sizeof(idtext));

	/* Which tunnel: the peer's address narrowed the candidates, its ID decides. */
	n = ike_cfg_tunnels_for_peer(sa->e, &sa->remote.addr, cand, sizeof(cand) / sizeof(cand[0]));
	if (sa->t && ike_remote_id_matches(sa->t, idi.type, idi.data.p, idi.data.len))
		t = sa->t;
	for (size_t i = 0; i < n && !t; i++)
		if (cand[i]->ike.version == CFG_IKE_V2 &&
		    ike_remote_id_matches(cand[i], idi.type, idi.data.p, idi.data.len))
			t = cand[i];
	if (!t) {
		sa_log(sa, LL_ERROR, "IKE_AUTH: peer %s identifies as '%s' (%s), but the tunnel expects "
		       "remote-id '%s' (AUTHENTICATION_FAILED); set remote-id: %s if that is the peer",
		       a, idtext, ike_id_type_name(idi.type, NULL), sa->t ? expected_id(sa->t) : "?",
		       idtext);
		ike_respond_notify(sa, IKEV2_EXCH_IKE_AUTH, msg_id, IKEV2_N_AUTHENTICATION_FAILED, NULL, 0);
		ike_sa_destroy(sa, "authentication failed");
		goto out;
	}
	ike_sa_bind_tunnel(sa, t);
	if ((r = auth_verify(sa, t, true, &idi, &auth)) != 0) {
		if (r == IG_ENOTSUP)
			sa_log(sa, LL_ERROR, "IKE_AUTH from %s[%s]: auth method %s, we use pre-shared keys "
			       "(AUTHENTICATION_FAILED)", a, idtext,
			       ike_auth_method_name(auth.method, NULL));
		else
			sa_log(sa, LL_ERROR, "IKE_AUTH from %s[%s]: authentication failed: the peer's AUTH "
			       "does not match our pre-shared key (the PSKs differ) "
			       "(AUTHENTICATION_FAILED)", a, idtext);
		ike_respond_notify(sa, IKEV2_EXCH_IKE_AUTH, msg_id, IKEV2_N_AUTHENTICATION_FAILED, NULL, 0);
		ike_sa_destroy(sa, "authentication failed");
		goto out;
	}
	sa->initial_contact = ike_msg_find_notify(m, IKEV2_N_INITIAL_CONTACT) != NULL;

	/* The CHILD SA: proposal (no DH in IKE_AUTH), selectors, mode. */
	if (INNER(m, IKEV2_PL_SA, ike_pl_sa_parse, offer) != 0 ||
	    INNER(m, IKEV2_PL_TSI, ike_pl_ts_parse, &tsi) != 0 ||
	    INNER(m, IKEV2_PL_TSR, ike_pl_ts_parse, &tsr) != 0) {
		child_err = IKEV2_N_INVALID_SYNTAX;
	} else if (ike_select(t->esp.proposals, t->esp.n_proposals, offer, IKEV2_PROTO_ESP, true,
			      &chosen) != 0) {
		child_err = IKEV2_N_NO_PROPOSAL_CHOSEN;
		sa_log(sa, LL_ERROR, "IKE_AUTH: no common ESP proposal (NO_PROPOSAL_CHOSEN); peer "
		       "offered %s; we accept %s",
		       ike_offer_names(offer, IKEV2_PROTO_ESP, theirs, sizeof(theirs)),
		       ike_config_names(t->esp.proposals, t->esp.n_proposals, ours, sizeof(ours)));
	} else {
		struct ike_ts_pl mine_l, mine_r;

		our_selectors(t, &mine_l, &mine_r);
		if (t->type == CFG_TYPE_ROUTE) {
			r = ike_tsel_narrow(&tsi, (struct cidr[]){ { .a.family = AF_INET },
								   { .a.family = AF_INET6 } },
					    2, &nar_i);
			if (r == 0)
				r = ike_tsel_narrow(&tsr, (struct cidr[]){ { .a.family = AF_INET },
									   { .a.family = AF_INET6 } },
						    2, &nar_r);
		} else {
			r = ike_tsel_narrow(&tsi, t->remote_subnets, t->n_remote_subnets, &nar_i);
			if (r == 0)
				r = ike_tsel_narrow(&tsr, t->local_subnets, t->n_local_subnets, &nar_r);
		}
		if (r != 0) {
			child_err = IKEV2_N_TS_UNACCEPTABLE;
			sa_log(sa, LL_ERROR, "IKE_AUTH: traffic selectors do not match (TS_UNACCEPTABLE): "
			       "peer proposed %s === %s; we have %s === %s",
			       ike_tsel_format(&tsr, ours, sizeof(ours) / 2),
			       ike_tsel_format(&tsi, theirs, sizeof(theirs) / 2),
			       ike_tsel_format(&mine_l, ours + sizeof(ours) / 2, sizeof(ours) / 2),
			       ike_tsel_format(&mine_r, theirs + sizeof(theirs) / 2,
					       sizeof(theirs) / 2));
		}
	}

	/* Our AUTH signs our IKE_SA_INIT response, Ni and our ID (2.15). */
	struct ike_id myid = { 0 };
	const uint8_t *idd;
	size_t idlen, idb_len;

	ike_local_id(sa, &myid.type, &idd, &idlen, idbuf, sizeof(idbuf));
	myid.data.p = idd;
	myid.data.len = idlen;
	idb_len = id_body(myid.type, idd, idlen, idb, sizeof(idb));
	if ((r = auth_compute(sa, false, idb, idb_len, authv, &authlen)) != 0)
		goto fail;
	struct ike_auth myauth = { .method = IKEV2_AUTH_SHARED_KEY, .data = { authv, authlen } };

	buf_wr_init(&w, inner, sizeof(inner));
	if ((r = ike_bld_init_inner(&b, &w)) != 0 ||
	    (r = ike_bld_id(&b, IKEV2_PL_IDR, &myid)) != 0 || (r = ike_bld_auth(&b, &myauth)) != 0)
		goto fail;
	if (child_err) {
		if ((r = ike_bld_notify_simple(&b, child_err, NULL, 0)) != 0)
			goto fail;
	} else {
		bool transport = t->esp.mode == CFG_MODE_TRANSPORT &&
				 ike_msg_find_notify(m, IKEV2_N_USE_TRANSPORT_MODE);

		if (!(c = ike_child_make(sa, &chosen, ike_new_child_spi(sa->e), &nar_r, &nar_i,
					 transport)))
			goto fail;
		ike_answer_build(&chosen, c->spi_in, 4, answer);
		if ((transport &&
		     (r = ike_bld_notify_simple(&b, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0)) != 0) ||
		    (r = ike_bld_sa(&b, answer)) != 0 ||
		    (r = ike_bld_ts(&b, IKEV2_PL_TSI, nar_i.ts, nar_i.count)) != 0 ||
		    (r = ike_bld_ts(&b, IKEV2_PL_TSR, nar_r.ts, nar_r.count)) != 0)
			goto fail;
		if ((r = ike_keymat_child(&c->keys, sa->suite.prf, sa->km.sk_d, sa->km.prf_len,
					  chosen.encr, chosen.encr_keybits, chosen.integ, NULL, 0,
					  sa->ni, sa->ni_len, sa->nr, sa->nr_len)) != 0)
			goto fail;
	}
	if ((r = ike_bld_end(&b, &len, &first)) != 0 ||
	    (r = ike_send_response(sa, IKEV2_EXCH_IKE_AUTH, msg_id, inner, len, first)) != 0)
		goto fail;
	ike_sa_state(sa, IKE_S_ESTABLISHED);
	established_log(sa, &idi);
	if (c) {
		c->initiator = false;
		/* Make-before-break: while another IKE SA of the tunnel carries
		 * traffic (the peer reauthenticates), our outbound waits until
		 * that one goes; the peer may not have our answer yet. */
		c->standby = tunnel_has_children(sa);
		ike_child_up(sa, c);
		c = NULL;
	}
	after_established(sa);
	goto out;
fail:
	sa_log(sa, LL_ERROR, "IKE_AUTH response failed: %s", ig_strerror(r));
	if (c)
		ike_child_free(sa, c, false);
	ike_sa_destroy(sa, "IKE_AUTH failed");
out:
	secret_wipe(authv, sizeof(authv));
	secret_wipe(inner, sizeof(inner));
	free(offer);
	free(answer);
}

/* Why the peer refused, in the words an operator needs. */
static void auth_refused(struct ike_sa *sa, uint16_t type)
{
	char nb[IKE_NAME_LEN], ours[512];

	switch (type) {
	case IKEV2_N_AUTHENTICATION_FAILED:
		sa_log(sa, LL_ERROR, "peer rejected our authentication (AUTHENTICATION_FAILED) in "
		       "IKE_AUTH: the pre-shared keys differ, or the peer does not accept our ID");
		break;
	case IKEV2_N_NO_PROPOSAL_CHOSEN:
		sa_log(sa, LL_ERROR, "peer rejected our ESP proposals (NO_PROPOSAL_CHOSEN) in IKE_AUTH; "
		       "we offered %s", ike_config_names(sa->t->esp.proposals, sa->t->esp.n_proposals,
						       ours, sizeof(ours)));
		break;
	case IKEV2_N_TS_UNACCEPTABLE: {
		char l[256], r[256];

		sa_log(sa, LL_ERROR, "peer rejected our traffic selectors (TS_UNACCEPTABLE) in IKE_AUTH: "
		       "we proposed %s === %s; check local-subnets/remote-subnets on both sides",
		       ike_tsel_format(&sa->ts_i, l, sizeof(l)), ike_tsel_format(&sa->ts_r, r, sizeof(r)));
		break;
	}
	default:
		sa_log(sa, LL_ERROR, "peer refused IKE_AUTH with %s", ike_notify_name(type, nb));
	}
}

void ike_auth_on_response(struct ike_sa *sa, struct ike_msg *m)
{
	struct ike_sa_pl *answer = malloc(sizeof(*answer));
	struct ike_ts_pl tsi, tsr;
	struct ike_id idr;
	struct ike_auth auth;
	struct ike_child *c = NULL;
	char idtext[ID_MAX], why[160], l[256], rr[256];
	uint16_t err;
	int r;

	if (!answer)
		return;
	if (sa->state != IKE_S_AUTH_SENT)
		goto out;
	err = error_notify(m);
	if (INNER(m, IKEV2_PL_IDR, ike_pl_id_parse, &idr) != 0 ||
	    INNER(m, IKEV2_PL_AUTH, ike_pl_auth_parse, &auth) != 0) {
		auth_refused(sa, err ? err : IKEV2_N_INVALID_SYNTAX);
		ike_sa_destroy(sa, "IKE_AUTH failed");
		goto out;
	}
	ike_id_format(idr.type, idr.data.p, idr.data.len, idtext, sizeof(idtext));
	if (!ike_remote_id_matches(sa->t, idr.type, idr.data.p, idr.data.len)) {
		sa_log(sa, LL_ERROR, "IKE_AUTH: peer identifies as '%s' (%s), but the tunnel expects "
		       "remote-id '%s'; set remote-id: %s if that is the peer", idtext,
		       ike_id_type_name(idr.type, NULL), expected_id(sa->t), idtext);
		ike_sa_destroy(sa, "authentication failed");
		goto out;
	}
	if ((r = auth_verify(sa, sa->t, false, &idr, &auth)) != 0) {
		sa_log(sa, LL_ERROR, "IKE_AUTH: authentication of peer '%s' failed: its AUTH does not "
		       "match our pre-shared key (the PSKs differ)", idtext);
		ike_sa_destroy(sa, "authentication failed");
		goto out;
	}
	ike_sa_state(sa, IKE_S_ESTABLISHED);
	established_log(sa, &idr);

	if (err) {
		auth_refused(sa, err);
		/* An IKE SA without its CHILD SA carries nothing: take it down. */
		ike_info_delete_ike(sa);
		goto out;
	}
	if (INNER(m, IKEV2_PL_SA, ike_pl_sa_parse, answer) != 0 ||
	    INNER(m, IKEV2_PL_TSI, ike_pl_ts_parse, &tsi) != 0 ||
	    INNER(m, IKEV2_PL_TSR, ike_pl_ts_parse, &tsr) != 0) {
		sa_log(sa, LL_ERROR, "IKE_AUTH response lacks SA, TSi or TSr");
		ike_info_delete_ike(sa);
		goto out;
	}
	if (!(c = ike_child_new(sa)))
		goto out;
	if (ike_check_answer(sa->t->esp.proposals, sa->t->esp.n_proposals, answer, IKEV2_PROTO_ESP,
			     true, &c->esp, why, sizeof(why)) != 0) {
		sa_log(sa, LL_ERROR, "peer's ESP proposal is not acceptable: %s", why);
		goto fail;
	}
	if (!ike_tsel_within(&tsi, &sa->ts_i) || !ike_tsel_within(&tsr, &sa->ts_r)) {
		sa_log(sa, LL_ERROR, "peer narrowed the traffic selectors to %s === %s, outside what we "
		       "proposed", ike_tsel_format(&tsi, l, sizeof(l)), ike_tsel_format(&tsr, rr, sizeof(rr)));
		goto fail;
	}
	c->spi_in = sa->child_spi;
	c->spi_out = (uint32_t)c->esp.spi;
	c->ts_local = tsi;
	c->ts_remote = tsr;
	c->transport = sa->t->esp.mode == CFG_MODE_TRANSPORT &&
		       ike_msg_find_notify(m, IKEV2_N_USE_TRANSPORT_MODE);
	if (c->spi_out == 0 ||
	    (r = ike_keymat_child(&c->keys, sa->suite.prf, sa->km.sk_d, sa->km.prf_len, c->esp.encr,
				  c->esp.encr_keybits, c->esp.integ, NULL, 0, sa->ni, sa->ni_len,
				  sa->nr, sa->nr_len)) != 0)
		goto fail;
	c->initiator = true;
	ike_child_up(sa, c);
	after_established(sa);
	goto out;
fail:
	ike_child_free(sa, c, false);
	ike_info_delete_ike(sa);
out:
	free(answer);
}
