/* SPDX-License-Identifier: MIT */
/*
 * Payloads that authenticate: IDi/IDr (RFC 7296 3.5), AUTH (3.8), and
 * CERT/CERTREQ (3.6, 3.7), which are only carried.
 */
#include "ike/ike_names.h"
#include "ike/ike_pl.h"
#include "lib/buf.h"
#include "lib/err.h"

#define fail   ike_parse_fail
#define SYNTAX IKEV2_N_INVALID_SYNTAX

/* One type octet, three reserved, then at least one octet of data. */
static int typed(struct ike_view v, const char *what, uint8_t *type, struct ike_view *data,
		 struct ike_parse_err *err)
{
	struct buf_rd r;

	buf_rd_init(&r, v.p, v.len);
	if (buf_get_u8(&r, type) != 0 || buf_skip(&r, 3) != 0)
		return fail(err, IG_ETRUNC, SYNTAX, "%s payload: body of %zu bytes shorter than %d",
			    what, v.len, 4);
	if (buf_rd_left(&r) == 0)
		return fail(err, IG_ETRUNC, SYNTAX, "%s payload: no data", what);
	data->len = buf_rd_left(&r);
	buf_get_ptr(&r, &data->p, data->len);
	return 0;
}

int ike_pl_id_parse(struct ike_view v, struct ike_id *out, struct ike_parse_err *err)
{
	char nb[IKE_NAME_LEN];
	size_t want = 0;
	int e;

	if ((e = typed(v, "ID", &out->type, &out->data, err)) != 0)
		return e;
	out->body = v;
	if (out->type == IKEV2_ID_IPV4_ADDR)
		want = 4;
	else if (out->type == IKEV2_ID_IPV6_ADDR)
		want = 16;
	if (want && out->data.len != want)
		return fail(err, IG_EINVAL, SYNTAX, "ID payload: %s of %zu bytes, must be %zu",
			    ike_id_type_name(out->type, nb), out->data.len, want);
	return 0;
}

int ike_pl_auth_parse(struct ike_view v, struct ike_auth *out, struct ike_parse_err *err)
{
	return typed(v, "AUTH", &out->method, &out->data, err);
}

int ike_pl_cert_parse(struct ike_view v, struct ike_cert *out, struct ike_parse_err *err)
{
	struct buf_rd r;

	/* Encoding octet; CERTREQ may carry no CA hashes at all. */
	buf_rd_init(&r, v.p, v.len);
	if (buf_get_u8(&r, &out->encoding) != 0)
		return fail(err, IG_ETRUNC, SYNTAX, "CERT payload: body empty, no encoding");
	out->data.len = buf_rd_left(&r);
	buf_get_ptr(&r, &out->data.p, out->data.len);
	return 0;
}
