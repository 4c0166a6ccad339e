/* SPDX-License-Identifier: MIT */
/*
 * SA payload (RFC 7296 3.3): proposals, their transforms and the
 * transforms' attributes, each substructure checked against the length of
 * the one around it.
 */
#include <string.h>

#include "ike/ike_names.h"
#include "ike/ike_pl.h"
#include "lib/buf.h"
#include "lib/err.h"

#define fail   ike_parse_fail
#define SYNTAX IKEV2_N_INVALID_SYNTAX

/*
 * Attributes of one transform (3.3.5). A malformed attribute is a syntax
 * error; a well-formed one we do not know only disqualifies its transform
 * (3.3.6: "reject the transform ... but keep parsing the others").
 */
static int attrs(struct buf_rd *r, struct ike_xform *xf, unsigned p, unsigned t,
		 struct ike_parse_err *err)
{
	unsigned a = 0;

	while (buf_rd_left(r) > 0) {
		uint16_t type, val;

		a++;
		if (buf_rd_left(r) < IKEV2_ATTR_HDR_LEN)
			return fail(err, IG_ETRUNC, SYNTAX,
				    "SA payload: proposal %u transform %u attribute %u: %zu bytes "
				    "shorter than attribute header (%d)",
				    p, t, a, buf_rd_left(r), IKEV2_ATTR_HDR_LEN);
		buf_get_u16(r, &type);
		buf_get_u16(r, &val);
		if (!(type & IKEV2_ATTR_AF)) {
			/* TLV: val is the length of the value that follows. */
			if (buf_skip(r, val) != 0)
				return fail(err, IG_ETRUNC, SYNTAX,
					    "SA payload: proposal %u transform %u attribute %u: "
					    "length %u past end of transform (%zu bytes left)",
					    p, t, a, val, buf_rd_left(r));
			xf->unsupported = true;
			continue;
		}
		/* Key Length is TV only, and given once (3.3.5). */
		if ((type & IKEV2_ATTR_TYPE_MASK) == IKEV2_ATTR_KEY_LENGTH && xf->keylen == 0 &&
		    val != 0)
			xf->keylen = val;
		else
			xf->unsupported = true;
	}
	return 0;
}

static int transform(struct buf_rd *r, struct ike_xform *xf, bool *last, unsigned p, unsigned t,
		     struct ike_parse_err *err)
{
	uint8_t more, reserved, reserved2;
	uint16_t len;
	struct buf_rd body;
	int e;

	memset(xf, 0, sizeof(*xf));
	if (buf_rd_left(r) < IKEV2_XFORM_HDR_LEN)
		return fail(
			err, IG_ETRUNC, SYNTAX,
			"SA payload: proposal %u transform %u: %zu bytes shorter than transform "
			"header (%d)",
			p, t, buf_rd_left(r), IKEV2_XFORM_HDR_LEN);
	if ((e = buf_get_u8(r, &more)) != 0 || (e = buf_get_u8(r, &reserved)) != 0 ||
	    (e = buf_get_u16(r, &len)) != 0)
		return fail(err, e, SYNTAX, "SA payload: transform truncated");
	if (more != IKEV2_LAST && more != IKEV2_MORE_TRANSFORMS)
		return fail(err, IG_EINVAL, SYNTAX,
			    "SA payload: proposal %u transform %u: last-substructure %u (0 or %d)",
			    p, t, more, IKEV2_MORE_TRANSFORMS);
	if (len < IKEV2_XFORM_HDR_LEN)
		return fail(
			err, IG_EINVAL, SYNTAX,
			"SA payload: proposal %u transform %u: length %u shorter than transform "
			"header (%d)",
			p, t, len, IKEV2_XFORM_HDR_LEN);
	if (buf_rd_left(r) < (size_t)len - 4)
		return fail(err, IG_ETRUNC, SYNTAX,
			    "SA payload: proposal %u transform %u: length %u past end of proposal "
			    "(%zu bytes left)",
			    p, t, len, buf_rd_left(r) + 4);
	buf_get_sub(r, &body, (size_t)len - 4);
	buf_get_u8(&body, &xf->type);
	buf_get_u8(&body, &reserved2);
	buf_get_u16(&body, &xf->id);
	*last = more == IKEV2_LAST;
	return attrs(&body, xf, p, t, err);
}

static int proposal(struct buf_rd *r, struct ike_proposal *pr, bool *last, unsigned p,
		    struct ike_parse_err *err)
{
	char nb[IKE_NAME_LEN];
	uint8_t more, reserved, nxf, want;
	uint16_t len;
	struct buf_rd body;
	bool xlast = false;
	int e;

	if (buf_rd_left(r) < IKEV2_PROPOSAL_HDR_LEN)
		return fail(err, IG_ETRUNC, SYNTAX,
			    "SA payload: proposal %u: %zu bytes shorter than proposal header (%d)",
			    p, buf_rd_left(r), IKEV2_PROPOSAL_HDR_LEN);
	if ((e = buf_get_u8(r, &more)) != 0 || (e = buf_get_u8(r, &reserved)) != 0 ||
	    (e = buf_get_u16(r, &len)) != 0)
		return fail(err, e, SYNTAX, "SA payload: proposal truncated");
	if (more != IKEV2_LAST && more != IKEV2_MORE_PROPOSALS)
		return fail(err, IG_EINVAL, SYNTAX,
			    "SA payload: proposal %u: last-substructure %u (0 or %d)", p, more,
			    IKEV2_MORE_PROPOSALS);
	if (len < IKEV2_PROPOSAL_HDR_LEN)
		return fail(err, IG_EINVAL, SYNTAX,
			    "SA payload: proposal %u: length %u shorter than proposal header (%d)",
			    p, len, IKEV2_PROPOSAL_HDR_LEN);
	if (buf_rd_left(r) < (size_t)len - 4)
		return fail(
			err, IG_ETRUNC, SYNTAX,
			"SA payload: proposal %u: length %u past end of payload (%zu bytes left)",
			p, len, buf_rd_left(r) + 4);
	buf_get_sub(r, &body, (size_t)len - 4);
	buf_get_u8(&body, &pr->num);
	buf_get_u8(&body, &pr->proto);
	buf_get_u8(&body, &pr->spi_size);
	buf_get_u8(&body, &nxf);
	*last = more == IKEV2_LAST;

	/* The SPI size follows from the protocol (3.3.1). */
	switch (pr->proto) {
	case IKEV2_PROTO_IKE: want = pr->spi_size == 0 ? 0 : IKEV2_IKE_SPI_LEN; break;
	case IKEV2_PROTO_AH:
	case IKEV2_PROTO_ESP: want = IKEV2_CHILD_SPI_LEN; break;
	default:
		return fail(err, IG_EINVAL, SYNTAX, "SA payload: proposal %u: protocol %s", p,
			    ike_protocol_name(pr->proto, nb));
	}
	if (pr->spi_size != want)
		return fail(err, IG_EINVAL, SYNTAX,
			    "SA payload: proposal %u: SPI size %u wrong for protocol %s (%u)", p,
			    pr->spi_size, ike_protocol_name(pr->proto, nb), want);
	pr->spi = 0;
	if (pr->spi_size == IKEV2_CHILD_SPI_LEN) {
		uint32_t spi;

		if (buf_get_u32(&body, &spi) != 0)
			goto short_spi;
		pr->spi = spi;
	} else if (pr->spi_size == IKEV2_IKE_SPI_LEN && buf_get_u64(&body, &pr->spi) != 0) {
		goto short_spi;
	}
	if (nxf == 0)
		return fail(err, IG_EINVAL, SYNTAX, "SA payload: proposal %u: no transforms", p);
	if (nxf > IKE_MAX_TRANSFORMS)
		return fail(err, IG_ERANGE, SYNTAX,
			    "SA payload: proposal %u: %u transforms, more than %d", p, nxf,
			    IKE_MAX_TRANSFORMS);
	pr->nxf = 0;
	for (unsigned t = 1; t <= nxf; t++) {
		if ((e = transform(&body, &pr->xf[t - 1], &xlast, p, t, err)) != 0)
			return e;
		pr->nxf = (uint8_t)t;
		if (xlast != (t == nxf))
			return fail(err, IG_EINVAL, SYNTAX,
				    "SA payload: proposal %u transform %u: last-substructure says "
				    "%s, but the proposal has %u transforms",
				    p, t, xlast ? "last" : "more", nxf);
	}
	if (buf_rd_left(&body) != 0)
		return fail(err, IG_EINVAL, SYNTAX,
			    "SA payload: proposal %u: %zu bytes after its %u transforms", p,
			    buf_rd_left(&body), nxf);
	return 0;

short_spi:
	return fail(err, IG_ETRUNC, SYNTAX,
		    "SA payload: proposal %u: length %u too short for SPI of %u bytes", p, len,
		    pr->spi_size);
}

int ike_pl_sa_parse(struct ike_view v, struct ike_sa_pl *out, struct ike_parse_err *err)
{
	struct buf_rd r;
	bool last = false;
	unsigned p = 0;
	int e;

	out->nprop = 0;
	buf_rd_init(&r, v.p, v.len);
	if (buf_rd_left(&r) == 0)
		return fail(err, IG_ETRUNC, SYNTAX, "SA payload: empty, no proposals");
	while (!last) {
		if (++p > IKE_MAX_PROPOSALS)
			return fail(err, IG_ERANGE, SYNTAX, "SA payload: more than %d proposals",
				    IKE_MAX_PROPOSALS);
		if ((e = proposal(&r, &out->prop[p - 1], &last, p, err)) != 0)
			return e;
		out->nprop = (uint8_t)p;
		if (!last && buf_rd_left(&r) == 0)
			return fail(err, IG_ETRUNC, SYNTAX,
				    "SA payload: proposal %u: says more proposals follow, but the "
				    "payload ends",
				    p);
	}
	if (buf_rd_left(&r) != 0)
		return fail(err, IG_EINVAL, SYNTAX,
			    "SA payload: %zu bytes after the last proposal (%u)", buf_rd_left(&r),
			    p);
	return 0;
}
