/* SPDX-License-Identifier: MIT */
#include "ike/ike_select.h"

#include <stdio.h>
#include <string.h>

#include "crypto/alg.h"
#include "ike/ikev2_wire.h"
#include "lib/err.h"

static int add_xf(struct ike_proposal *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	if (p->nxf >= IKE_MAX_TRANSFORMS)
		return IG_ENOSPC;
	p->xf[p->nxf++] = (struct ike_xform){ .type = type, .id = id, .keylen = keylen };
	return 0;
}

int ike_offer_build(const struct proposal *props, size_t n, uint8_t proto, uint64_t spi,
		    uint8_t spi_size, bool with_dh, struct ike_sa_pl *out)
{
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (n > IKE_MAX_PROPOSALS)
		return IG_ENOSPC;
	for (size_t i = 0; i < n && r == 0; i++) {
		const struct proposal *c = &props[i];
		struct ike_proposal *p = &out->prop[out->nprop++];

		p->num = (uint8_t)(i + 1);
		p->proto = proto;
		p->spi = spi;
		p->spi_size = spi_size;
		for (size_t k = 0; k < c->n_encr && r == 0; k++)
			r = add_xf(p, IKEV2_XFORM_ENCR, c->encr[k].id, c->encr[k].keybits);
		if (proto == IKEV2_PROTO_IKE)
			for (size_t k = 0; k < c->n_prf && r == 0; k++)
				r = add_xf(p, IKEV2_XFORM_PRF, c->prf[k], 0);
		for (size_t k = 0; k < c->n_integ && r == 0; k++)
			r = add_xf(p, IKEV2_XFORM_INTEG, c->integ[k], 0);
		if (with_dh)
			for (size_t k = 0; k < c->n_dh && r == 0; k++)
				r = add_xf(p, IKEV2_XFORM_DH, c->dh[k], 0);
		if (proto == IKEV2_PROTO_ESP) {
			/* Without ESN in the config we offer "no ESN" explicitly:
			 * 3.3.2 makes the ESN transform mandatory for ESP. */
			if (c->n_esn == 0)
				r = add_xf(p, IKEV2_XFORM_ESN, ALG_ESN_NO, 0);
			for (size_t k = 0; k < c->n_esn && r == 0; k++)
				r = add_xf(p, IKEV2_XFORM_ESN, c->esn[k], 0);
		}
	}
	return r;
}

/* Does the wire proposal carry transform (type, id, keylen)? */
static bool has_xf(const struct ike_proposal *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	for (size_t i = 0; i < p->nxf; i++) {
		const struct ike_xform *x = &p->xf[i];

		if (x->type == type && x->id == id && !x->unsupported && x->keylen == keylen)
			return true;
	}
	return false;
}

static size_t count_xf(const struct ike_proposal *p, uint8_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nxf; i++)
		n += p->xf[i].type == type;
	return n;
}

/*
 * Picks our first algorithm of a type that the peer offers. A type absent
 * on both sides means "none" (INTEG with an AEAD, DH without PFS); the peer
 * may also say "none" explicitly with transform ID 0.
 */
static bool pick(const struct ike_proposal *peer, uint8_t type, const uint16_t *ours, size_t n,
		 uint16_t *out)
{
	size_t theirs = count_xf(peer, type);

	if (n == 0) {
		*out = 0;
		return theirs == 0 || has_xf(peer, type, 0, 0);
	}
	for (size_t i = 0; i < n; i++)
		if (has_xf(peer, type, ours[i], 0)) {
			*out = ours[i];
			return true;
		}
	return false;
}

static bool match(const struct proposal *q, const struct ike_proposal *p, bool ignore_dh,
		  struct ike_chosen *c)
{
	uint16_t esn_no = ALG_ESN_NO;
	bool found = false;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < q->n_encr && !found; i++)
		if (has_xf(p, IKEV2_XFORM_ENCR, q->encr[i].id, q->encr[i].keybits)) {
			c->encr = q->encr[i].id;
			c->encr_keybits = q->encr[i].keybits;
			found = true;
		}
	if (!found)
		return false;
	if (!pick(p, IKEV2_XFORM_INTEG, q->integ, q->n_integ, &c->integ))
		return false;
	if (p->proto == IKEV2_PROTO_IKE && !pick(p, IKEV2_XFORM_PRF, q->prf, q->n_prf, &c->prf))
		return false;
	if (!ignore_dh && !pick(p, IKEV2_XFORM_DH, q->dh, q->n_dh, &c->dh))
		return false;
	if (p->proto == IKEV2_PROTO_ESP) {
		const uint16_t *want = q->n_esn ? q->esn : &esn_no;
		size_t nwant = q->n_esn ? q->n_esn : 1;

		if (count_xf(p, IKEV2_XFORM_ESN) == 0) {
			/* A peer that does not say means no ESN. */
			bool ok = false;

			for (size_t i = 0; i < nwant; i++)
				ok |= want[i] == ALG_ESN_NO;
			if (!ok)
				return false;
			c->esn = ALG_ESN_NO;
		} else if (!pick(p, IKEV2_XFORM_ESN, want, nwant, &c->esn)) {
			return false;
		}
	}
	c->num = p->num;
	c->proto = p->proto;
	c->spi = p->spi;
	return true;
}

int ike_select(const struct proposal *ours, size_t n, const struct ike_sa_pl *peer,
	       uint8_t proto, bool ignore_dh, struct ike_chosen *out)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < peer->nprop; k++)
			if (peer->prop[k].proto == proto &&
			    match(&ours[i], &peer->prop[k], ignore_dh, out))
				return 0;
	return IG_ENOENT;
}

int ike_check_answer(const struct proposal *ours, size_t n, const struct ike_sa_pl *answer,
		     uint8_t proto, bool ignore_dh, struct ike_chosen *out, char *why,
		     size_t whylen)
{
	static const uint8_t types[] = { IKEV2_XFORM_ENCR, IKEV2_XFORM_PRF, IKEV2_XFORM_INTEG,
					 IKEV2_XFORM_DH, IKEV2_XFORM_ESN };
	const struct ike_proposal *p;

	if (answer->nprop != 1) {
		snprintf(why, whylen, "answer carries %u proposals, not 1", answer->nprop);
		return IG_EINVAL;
	}
	p = &answer->prop[0];
	if (p->proto != proto) {
		snprintf(why, whylen, "answer is for protocol %u, not %u", p->proto, proto);
		return IG_EINVAL;
	}
	for (size_t i = 0; i < sizeof(types); i++)
		if (count_xf(p, types[i]) > 1) {
			snprintf(why, whylen, "answer carries %zu transforms of type %u",
				 count_xf(p, types[i]), types[i]);
			return IG_EINVAL;
		}
	if (ike_select(ours, n, answer, proto, ignore_dh, out) != 0) {
		snprintf(why, whylen, "answer is not one of the proposals we offered");
		return IG_EINVAL;
	}
	return 0;
}

void ike_answer_build(const struct ike_chosen *c, uint64_t spi, uint8_t spi_size,
		      struct ike_sa_pl *out)
{
	struct ike_proposal *p;

	memset(out, 0, sizeof(*out));
	out->nprop = 1;
	p = &out->prop[0];
	p->num = c->num;
	p->proto = c->proto;
	p->spi = spi;
	p->spi_size = spi_size;
	add_xf(p, IKEV2_XFORM_ENCR, c->encr, c->encr_keybits);
	if (c->proto == IKEV2_PROTO_IKE)
		add_xf(p, IKEV2_XFORM_PRF, c->prf, 0);
	if (c->integ)
		add_xf(p, IKEV2_XFORM_INTEG, c->integ, 0);
	if (c->dh)
		add_xf(p, IKEV2_XFORM_DH, c->dh, 0);
	if (c->proto == IKEV2_PROTO_ESP)
		add_xf(p, IKEV2_XFORM_ESN, c->esn, 0);
}

/* Appends "NAME" or "/NAME" to out at *len. */
static void app(char *out, size_t outlen, size_t *len, const char *sep, const char *name)
{
	int w;

	if (*len >= outlen)
		return;
	w = snprintf(out + *len, outlen - *len, "%s%s", *len && sep ? sep : "", name);
	if (w > 0)
		*len += (size_t)w;
	if (*len >= outlen)
		*len = outlen - 1;
}

const char *ike_chosen_names(const struct ike_chosen *c, char *out, size_t outlen)
{
	size_t len = 0;

	out[0] = '\0';
	app(out, outlen, &len, "/", alg_encr_name(c->encr, c->encr_keybits));
	if (c->integ)
		app(out, outlen, &len, "/", alg_integ_name(c->integ));
	if (c->proto == IKEV2_PROTO_IKE)
		app(out, outlen, &len, "/", alg_prf_name(c->prf));
	if (c->dh)
		app(out, outlen, &len, "/", alg_dh_name(c->dh));
	if (c->esn == ALG_ESN_YES)
		app(out, outlen, &len, "/", "ESN");
	return out;
}

static const char *xf_name(const struct ike_xform *x, char *buf, size_t len)
{
	const char *n = NULL;

	switch (x->type) {
	case IKEV2_XFORM_ENCR: n = alg_encr_known(x->id) ? alg_encr_name(x->id, x->keylen) : NULL; break;
	case IKEV2_XFORM_PRF: n = alg_prf_known(x->id) ? alg_prf_name(x->id) : NULL; break;
	case IKEV2_XFORM_INTEG: n = alg_integ_known(x->id) ? alg_integ_name(x->id) : NULL; break;
	case IKEV2_XFORM_DH: n = alg_dh_known(x->id) ? alg_dh_name(x->id) : NULL; break;
	case IKEV2_XFORM_ESN: n = x->id == ALG_ESN_YES ? "ESN" : "NO_ESN"; break;
	}
	if (n)
		return n;
	snprintf(buf, len, "UNKNOWN(%u:%u)", x->type, x->id);
	return buf;
}

const char *ike_offer_names(const struct ike_sa_pl *sa, uint8_t proto, char *out, size_t outlen)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sa->nprop; i++) {
		const struct ike_proposal *p = &sa->prop[i];
		bool first = true;

		if (p->proto != proto)
			continue;
		for (size_t k = 0; k < p->nxf; k++) {
			char buf[32];

			/* Leave NO_ESN out: it is the default and clutters logs. */
			if (p->xf[k].type == IKEV2_XFORM_ESN && p->xf[k].id == ALG_ESN_NO)
				continue;
			app(out, outlen, &len, first ? ", " : "/", xf_name(&p->xf[k], buf, sizeof(buf)));
			first = false;
		}
	}
	return out;
}

const char *ike_config_names(const struct proposal *props, size_t n, char *out, size_t outlen)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char one[256];

		if (proposal_registry_names(&props[i], one, sizeof(one)) != 0)
			snprintf(one, sizeof(one), "?");
		app(out, outlen, &len, ", ", one);
	}
	return out;
}
