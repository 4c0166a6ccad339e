/* SPDX-License-Identifier: MIT */
/*
 * Notify payload (RFC 7296 3.10) and the typed data of the notifies the
 * engine acts on.
 */
#include <string.h>

#include "ike/ike_names.h"
#include "ike/ike_pl.h"
#include "lib/buf.h"
#include "lib/err.h"

#define fail   ike_parse_fail
#define SYNTAX IKEV2_N_INVALID_SYNTAX

/* Checks that n is a notify of the wanted type; named in the message otherwise. */
static int is(const struct ike_notify *n, uint16_t type, struct ike_parse_err *err)
{
	char a[IKE_NAME_LEN], b[IKE_NAME_LEN];

	if (n->type == type)
		return 0;
	return fail(err, IG_EINVAL, 0, "N payload: type %s, not %s", ike_notify_name(n->type, a),
		    ike_notify_name(type, b));
}

int ike_notify_nat_d(const struct ike_notify *n, const uint8_t **hash, struct ike_parse_err *err)
{
	char nb[IKE_NAME_LEN];

	if (n->type != IKEV2_N_NAT_DETECTION_SOURCE_IP &&
	    n->type != IKEV2_N_NAT_DETECTION_DESTINATION_IP)
		return is(n, IKEV2_N_NAT_DETECTION_SOURCE_IP, err);
	if (n->data.len != IKEV2_NAT_DETECTION_LEN)
		return fail(err, n->data.len < IKEV2_NAT_DETECTION_LEN ? IG_ETRUNC : IG_EINVAL,
			    SYNTAX, "N(%s): data of %zu bytes, must be %d (SHA-1)",
			    ike_notify_name(n->type, nb), n->data.len, IKEV2_NAT_DETECTION_LEN);
	*hash = n->data.p;
	return 0;
}

int ike_notify_cookie(const struct ike_notify *n, struct ike_view *cookie,
		      struct ike_parse_err *err)
{
	int e;

	if ((e = is(n, IKEV2_N_COOKIE, err)) != 0)
		return e;
	/* 2.6: "the data associated with this notification MUST be between 1 and 64 octets". */
	if (n->data.len < IKEV2_COOKIE_MIN || n->data.len > IKEV2_COOKIE_MAX)
		return fail(err, IG_ERANGE, SYNTAX, "N(COOKIE): data of %zu bytes, must be %d..%d",
			    n->data.len, IKEV2_COOKIE_MIN, IKEV2_COOKIE_MAX);
	*cookie = n->data;
	return 0;
}

int ike_notify_invalid_ke(const struct ike_notify *n, uint16_t *group, struct ike_parse_err *err)
{
	struct buf_rd r;
	int e;

	if ((e = is(n, IKEV2_N_INVALID_KE_PAYLOAD, err)) != 0)
		return e;
	buf_rd_init(&r, n->data.p, n->data.len);
	if (n->data.len != 2 || buf_get_u16(&r, group) != 0)
		return fail(err, IG_EINVAL, SYNTAX,
			    "N(INVALID_KE_PAYLOAD): data of %zu bytes, must be 2 (the group)",
			    n->data.len);
	return 0;
}

int ike_notify_rekey_sa(const struct ike_notify *n, uint8_t *proto, uint32_t *spi,
			struct ike_parse_err *err)
{
	int e;

	if ((e = is(n, IKEV2_N_REKEY_SA, err)) != 0)
		return e;
	/* 1.3.3: it names the Child SA being rekeyed by protocol and SPI. */
	if ((n->proto != IKEV2_PROTO_ESP && n->proto != IKEV2_PROTO_AH) ||
	    n->spi_size != IKEV2_CHILD_SPI_LEN)
		return fail(err, IG_EINVAL, SYNTAX,
			    "N(REKEY_SA): protocol %u with SPI size %u, must be ESP/AH with %d",
			    n->proto, n->spi_size, IKEV2_CHILD_SPI_LEN);
	*proto = n->proto;
	*spi = (uint32_t)n->spi;
	return 0;
}

int ike_notify_sig_hashes(const struct ike_notify *n, uint16_t out[static IKE_MAX_SIG_HASHES],
			  size_t *count, struct ike_parse_err *err)
{
	struct buf_rd r;
	int e;

	*count = 0;
	if ((e = is(n, IKEV2_N_SIGNATURE_HASH_ALGORITHMS, err)) != 0)
		return e;
	if (n->data.len == 0 || n->data.len % 2 != 0)
		return fail(err, IG_EINVAL, SYNTAX,
			    "N(SIGNATURE_HASH_ALGORITHMS): data of %zu bytes, must be a non-empty "
			    "list of 2-byte IDs",
			    n->data.len);
	/* Keep the first IKE_MAX_SIG_HASHES: a longer list is odd, not wrong. */
	buf_rd_init(&r, n->data.p, n->data.len);
	while (*count < IKE_MAX_SIG_HASHES && buf_get_u16(&r, &out[*count]) == 0)
		(*count)++;
	return 0;
}

int ike_pl_notify_parse(struct ike_view v, struct ike_notify *out, struct ike_parse_err *err)
{
	uint16_t hashes[IKE_MAX_SIG_HASHES];
	struct ike_view cookie;
	const uint8_t *hash;
	uint16_t group;
	uint32_t spi32;
	struct buf_rd r;
	size_t count;
	uint8_t proto;
	int e;

	memset(out, 0, sizeof(*out));
	buf_rd_init(&r, v.p, v.len);
	if ((e = buf_get_u8(&r, &out->proto)) != 0 || (e = buf_get_u8(&r, &out->spi_size)) != 0 ||
	    (e = buf_get_u16(&r, &out->type)) != 0)
		return fail(err, IG_ETRUNC, SYNTAX,
			    "N payload: body of %zu bytes shorter than notify header (4)", v.len);
	if (out->spi_size != 0 && out->spi_size != IKEV2_CHILD_SPI_LEN &&
	    out->spi_size != IKEV2_IKE_SPI_LEN)
		return fail(err, IG_EINVAL, SYNTAX, "N payload: SPI size %u (0, 4 or 8)",
			    out->spi_size);
	if (out->spi_size == IKEV2_CHILD_SPI_LEN) {
		e = buf_get_u32(&r, &spi32);
		out->spi = spi32;
	} else if (out->spi_size == IKEV2_IKE_SPI_LEN) {
		e = buf_get_u64(&r, &out->spi);
	}
	if (e != 0)
		return fail(err, IG_ETRUNC, SYNTAX,
			    "N payload: body of %zu bytes too short for SPI of %u bytes", v.len,
			    out->spi_size);
	out->data.len = buf_rd_left(&r);
	buf_get_ptr(&r, &out->data.p, out->data.len);

	switch (out->type) {
	case IKEV2_N_NAT_DETECTION_SOURCE_IP:
	case IKEV2_N_NAT_DETECTION_DESTINATION_IP: return ike_notify_nat_d(out, &hash, err);
	case IKEV2_N_COOKIE: return ike_notify_cookie(out, &cookie, err);
	case IKEV2_N_INVALID_KE_PAYLOAD: return ike_notify_invalid_ke(out, &group, err);
	case IKEV2_N_REKEY_SA: return ike_notify_rekey_sa(out, &proto, &spi32, err);
	case IKEV2_N_SIGNATURE_HASH_ALGORITHMS:
		return ike_notify_sig_hashes(out, hashes, &count, err);
	default: return 0;
	}
}
