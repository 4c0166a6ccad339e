/* SPDX-License-Identifier: MIT */
/* KE (RFC 7296 3.4), Nonce (3.9), Delete (3.11), Vendor ID (3.12), CP (3.15). */
#include <string.h>

#include "ike/ike_names.h"
#include "ike/ike_pl.h"
#include "lib/buf.h"
#include "lib/err.h"

#define fail   ike_parse_fail
#define SYNTAX IKEV2_N_INVALID_SYNTAX

int ike_pl_ke_parse(struct ike_view v, struct ike_ke *out, struct ike_parse_err *err)
{
	struct buf_rd r;

	buf_rd_init(&r, v.p, v.len);
	if (buf_get_u16(&r, &out->group) != 0 || buf_skip(&r, 2) != 0)
		return fail(err, IG_ETRUNC, SYNTAX, "KE payload: body of %zu bytes shorter than %d",
			    v.len, 4);
	/* The group's exact public value size is the engine's check (crypto/alg.h). */
	if (buf_rd_left(&r) == 0)
		return fail(err, IG_ETRUNC, SYNTAX, "KE payload: no key exchange data");
	out->data.len = buf_rd_left(&r);
	buf_get_ptr(&r, &out->data.p, out->data.len);
	return 0;
}

int ike_pl_nonce_parse(struct ike_view v, struct ike_nonce *out, struct ike_parse_err *err)
{
	/* 2.10: "Nonces used in IKEv2 MUST be ... at least 128 bits ... between 16 and 256 octets".
	 */
	if (v.len < IKEV2_NONCE_MIN || v.len > IKEV2_NONCE_MAX)
		return fail(err, IG_ERANGE, SYNTAX, "Nonce payload: %zu bytes, must be %d..%d",
			    v.len, IKEV2_NONCE_MIN, IKEV2_NONCE_MAX);
	out->data = v;
	return 0;
}

int ike_pl_delete_parse(struct ike_view v, struct ike_delete *out, struct ike_parse_err *err)
{
	char nb[IKE_NAME_LEN];
	struct buf_rd r;
	size_t want;

	memset(out, 0, sizeof(*out));
	buf_rd_init(&r, v.p, v.len);
	if (buf_get_u8(&r, &out->proto) != 0 || buf_get_u8(&r, &out->spi_size) != 0 ||
	    buf_get_u16(&r, &out->nspi) != 0)
		return fail(err, IG_ETRUNC, SYNTAX, "D payload: body of %zu bytes shorter than %d",
			    v.len, 4);
	/* 3.11: IKE SA: SPI size 0 and no SPIs (they are in the header); AH/ESP: 4. */
	switch (out->proto) {
	case IKEV2_PROTO_IKE:
		if (out->spi_size != 0 || out->nspi != 0)
			return fail(err, IG_EINVAL, SYNTAX,
				    "D payload: IKE with SPI size %u and %u SPIs (must be 0, 0)",
				    out->spi_size, out->nspi);
		break;
	case IKEV2_PROTO_AH:
	case IKEV2_PROTO_ESP:
		if (out->spi_size != IKEV2_CHILD_SPI_LEN)
			return fail(err, IG_EINVAL, SYNTAX,
				    "D payload: %s with SPI size %u (must be %d)",
				    ike_protocol_name(out->proto, nb), out->spi_size,
				    IKEV2_CHILD_SPI_LEN);
		if (out->nspi == 0)
			return fail(err, IG_EINVAL, SYNTAX, "D payload: %s with no SPIs",
				    ike_protocol_name(out->proto, nb));
		if (out->nspi > IKE_MAX_DELETE_SPIS)
			return fail(err, IG_ERANGE, SYNTAX, "D payload: %u SPIs, more than %d",
				    out->nspi, IKE_MAX_DELETE_SPIS);
		break;
	default:
		return fail(err, IG_EINVAL, SYNTAX, "D payload: protocol %s",
			    ike_protocol_name(out->proto, nb));
	}
	want = (size_t)out->nspi * out->spi_size;
	if (buf_rd_left(&r) != want)
		return fail(err, buf_rd_left(&r) < want ? IG_ETRUNC : IG_EINVAL, SYNTAX,
			    "D payload: %zu bytes of SPIs, %u SPIs of %u bytes need %zu",
			    buf_rd_left(&r), out->nspi, out->spi_size, want);
	out->spis.len = want;
	buf_get_ptr(&r, &out->spis.p, want);
	return 0;
}

uint32_t ike_delete_spi(const struct ike_delete *d, size_t i)
{
	struct buf_rd r;
	uint32_t spi;

	if (d->spi_size != IKEV2_CHILD_SPI_LEN || i >= d->nspi)
		return 0;
	buf_rd_init(&r, d->spis.p, d->spis.len);
	if (buf_skip(&r, i * IKEV2_CHILD_SPI_LEN) != 0 || buf_get_u32(&r, &spi) != 0)
		return 0;
	return spi;
}

int ike_pl_vendor_parse(struct ike_view v, struct ike_vendor *out, struct ike_parse_err *err)
{
	if (v.len == 0)
		return fail(err, IG_ETRUNC, SYNTAX, "V payload: empty vendor ID");
	out->data = v;
	return 0;
}

int ike_pl_cp_parse(struct ike_view v, struct ike_cp *out, struct ike_parse_err *err)
{
	struct buf_rd r;
	unsigned a = 0;

	out->nattr = 0;
	buf_rd_init(&r, v.p, v.len);
	if (buf_get_u8(&r, &out->type) != 0 || buf_skip(&r, 3) != 0)
		return fail(err, IG_ETRUNC, SYNTAX, "CP payload: body of %zu bytes shorter than %d",
			    v.len, 4);
	if (out->type < IKEV2_CFG_REQUEST || out->type > IKEV2_CFG_ACK)
		return fail(err, IG_EINVAL, SYNTAX, "CP payload: CFG type %u (1..4)", out->type);
	while (buf_rd_left(&r) > 0) {
		struct ike_cp_attr *at;
		uint16_t type, len;

		if (++a > IKE_MAX_CP_ATTRS)
			return fail(err, IG_ERANGE, SYNTAX, "CP payload: more than %d attributes",
				    IKE_MAX_CP_ATTRS);
		if (buf_rd_left(&r) < IKEV2_CFG_ATTR_HDR_LEN)
			return fail(err, IG_ETRUNC, SYNTAX,
				    "CP payload: attribute %u: %zu bytes shorter than attribute "
				    "header (%d)",
				    a, buf_rd_left(&r), IKEV2_CFG_ATTR_HDR_LEN);
		buf_get_u16(&r, &type);
		buf_get_u16(&r, &len);
		at = &out->attr[a - 1];
		/* 3.15.1: the top bit is reserved; ignored on receipt. */
		at->type = type & (uint16_t)~IKEV2_CFG_ATTR_RESERVED_BIT;
		at->value.len = len;
		if (buf_get_ptr(&r, &at->value.p, len) != 0)
			return fail(err, IG_ETRUNC, SYNTAX,
				    "CP payload: attribute %u: length %u past end of payload (%zu "
				    "bytes left)",
				    a, len, buf_rd_left(&r));
		out->nattr = (uint8_t)a;
	}
	return 0;
}
