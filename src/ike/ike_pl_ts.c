/* SPDX-License-Identifier: MIT */
/* Traffic selector payloads TSi/TSr (RFC 7296 3.13). */
#include <string.h>

#include "ike/ike_names.h"
#include "ike/ike_pl.h"
#include "lib/buf.h"
#include "lib/err.h"

#define fail   ike_parse_fail
#define SYNTAX IKEV2_N_INVALID_SYNTAX

static int selector(struct buf_rd *r, uint8_t type, unsigned i, struct ike_ts *ts,
		    struct ike_parse_err *err)
{
	char nb[IKE_NAME_LEN], a[ADDR_STRLEN], b[ADDR_STRLEN];
	int family = type == IKEV2_TS_IPV4_ADDR_RANGE ? AF_INET : AF_INET6;
	size_t alen = family == AF_INET ? 4 : 16;
	const uint8_t *sa, *ea;
	int e;

	ts->type = type;
	if ((e = buf_get_u16(r, &ts->start_port)) != 0 ||
	    (e = buf_get_u16(r, &ts->end_port)) != 0 || (e = buf_get_ptr(r, &sa, alen)) != 0 ||
	    (e = buf_get_ptr(r, &ea, alen)) != 0 ||
	    (e = addr_from_bytes(&ts->start, family, sa, alen)) != 0 ||
	    (e = addr_from_bytes(&ts->end, family, ea, alen)) != 0)
		return fail(err, e, SYNTAX, "TS payload: selector %u: %s truncated", i,
			    ike_ts_type_name(type, nb));
	/* 3.13.1: start > end only as the OPAQUE marker 65535-0. */
	if (ts->start_port > ts->end_port &&
	    !(ts->start_port == IKEV2_TS_OPAQUE_START && ts->end_port == IKEV2_TS_OPAQUE_END))
		return fail(err, IG_EINVAL, SYNTAX,
			    "TS payload: selector %u: start port %u > end port %u", i,
			    ts->start_port, ts->end_port);
	if (addr_cmp(&ts->start, &ts->end) > 0)
		return fail(err, IG_EINVAL, SYNTAX,
			    "TS payload: selector %u: start address %s > end address %s", i,
			    addr_format(&ts->start, a, sizeof(a)),
			    addr_format(&ts->end, b, sizeof(b)));
	return 0;
}

int ike_pl_ts_parse(struct ike_view v, struct ike_ts_pl *out, struct ike_parse_err *err)
{
	char nb[IKE_NAME_LEN];
	struct buf_rd r;
	uint8_t num;
	int e;

	out->count = out->skipped = 0;
	buf_rd_init(&r, v.p, v.len);
	if (buf_get_u8(&r, &num) != 0 || buf_skip(&r, 3) != 0)
		return fail(err, IG_ETRUNC, SYNTAX, "TS payload: body of %zu bytes shorter than %d",
			    v.len, 4);
	if (num == 0)
		return fail(err, IG_EINVAL, SYNTAX, "TS payload: no traffic selectors");
	if (num > IKE_MAX_TS)
		return fail(err, IG_ERANGE, SYNTAX,
			    "TS payload: %u traffic selectors, more than %d", num, IKE_MAX_TS);
	for (unsigned i = 1; i <= num; i++) {
		uint8_t type, proto;
		uint16_t len;
		struct buf_rd sel;
		size_t want;

		if (buf_rd_left(&r) < IKEV2_TS_HDR_LEN)
			return fail(
				err, IG_ETRUNC, SYNTAX,
				"TS payload: selector %u: %zu bytes shorter than selector header "
				"(%d)",
				i, buf_rd_left(&r), IKEV2_TS_HDR_LEN);
		buf_get_u8(&r, &type);
		buf_get_u8(&r, &proto);
		buf_get_u16(&r, &len);
		if (len < IKEV2_TS_HDR_LEN)
			return fail(
				err, IG_EINVAL, SYNTAX,
				"TS payload: selector %u: length %u shorter than selector header "
				"(%d)",
				i, len, IKEV2_TS_HDR_LEN);
		if (buf_get_sub(&r, &sel, (size_t)len - IKEV2_TS_HDR_LEN) != 0)
			return fail(
				err, IG_ETRUNC, SYNTAX,
				"TS payload: selector %u: length %u past end of payload (%zu bytes "
				"left)",
				i, len, buf_rd_left(&r) + IKEV2_TS_HDR_LEN);
		if (type != IKEV2_TS_IPV4_ADDR_RANGE && type != IKEV2_TS_IPV6_ADDR_RANGE) {
			/* Other selector types (FC, security labels) are not ours to judge. */
			out->skipped++;
			continue;
		}
		want = type == IKEV2_TS_IPV4_ADDR_RANGE ? IKEV2_TS_IPV4_LEN : IKEV2_TS_IPV6_LEN;
		if (len != want)
			return fail(err, IG_EINVAL, SYNTAX,
				    "TS payload: selector %u: %s of length %u, must be %zu", i,
				    ike_ts_type_name(type, nb), len, want);
		memset(&out->ts[out->count], 0, sizeof(out->ts[0]));
		out->ts[out->count].proto = proto;
		if ((e = selector(&sel, type, i, &out->ts[out->count], err)) != 0)
			return e;
		out->count++;
	}
	if (buf_rd_left(&r) != 0)
		return fail(err, IG_EINVAL, SYNTAX,
			    "TS payload: %zu bytes after its %u traffic selectors", buf_rd_left(&r),
			    num);
	return 0;
}
