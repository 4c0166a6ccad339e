/* SPDX-License-Identifier: MIT */
/*
 * The IKEv2 fixed header and the generic payload chain (RFC 7296 3.1, 3.2),
 * in the clear and inside SK. Payload bodies are checked by ike_pl_validate()
 * (ike_pl_*.c); this file decides which payloads may appear where.
 */
#include "ike/ike_msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ike/ike_names.h"
#include "lib/buf.h"
#include "lib/err.h"

int ike_parse_fail(struct ike_parse_err *err, int code, uint16_t notify, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->notify = notify;
	err->pl_type = 0;
	return code;
}

#define fail   ike_parse_fail
#define SYNTAX IKEV2_N_INVALID_SYNTAX

int ike_hdr_parse(const uint8_t *pkt, size_t len, struct ike_hdr *h, struct ike_parse_err *err)
{
	char nb[IKE_NAME_LEN];
	struct buf_rd r;
	uint8_t ver, flags;
	int e;

	memset(h, 0, sizeof(*h));
	if (len < IKEV2_HDR_LEN)
		return fail(err, IG_ETRUNC, 0,
			    "header: datagram of %zu bytes shorter than IKE header (%d)", len,
			    IKEV2_HDR_LEN);
	buf_rd_init(&r, pkt, len);
	if ((e = buf_get_u64(&r, &h->spi_i)) != 0 || (e = buf_get_u64(&r, &h->spi_r)) != 0 ||
	    (e = buf_get_u8(&r, &h->next)) != 0 || (e = buf_get_u8(&r, &ver)) != 0 ||
	    (e = buf_get_u8(&r, &h->exchange)) != 0 || (e = buf_get_u8(&r, &flags)) != 0 ||
	    (e = buf_get_u32(&r, &h->msg_id)) != 0 || (e = buf_get_u32(&r, &h->length)) != 0)
		return fail(err, e, 0, "header: truncated");
	h->major = ver >> 4;
	h->minor = ver & 0x0f;
	/* Unknown flag bits are ignored on receipt (3.1). */
	h->flags = flags & IKEV2_FLAGS_KNOWN;

	/* Checked before the length so that an IKEv1 datagram gets its header back. */
	if (h->major != IKEV2_MAJOR_VERSION)
		return fail(err, IG_ENOTSUP, IKEV2_N_INVALID_MAJOR_VERSION,
			    "header: major version %u not supported (%d)", h->major,
			    IKEV2_MAJOR_VERSION);
	if (len > IKE_MAX_MSG_LEN)
		return fail(err, IG_ERANGE, 0, "header: datagram of %zu bytes longer than %d", len,
			    IKE_MAX_MSG_LEN);
	if (h->length != len)
		return fail(err, IG_EINVAL, SYNTAX,
			    "header: length field %u does not match datagram length %zu", h->length,
			    len);
	if (h->exchange < IKEV2_EXCH_IKE_SA_INIT || h->exchange > IKEV2_EXCH_INFORMATIONAL)
		return fail(err, IG_ENOTSUP, 0, "header: exchange type %s not supported",
			    ike_exchange_name(h->exchange, nb));
	/* The initiator's SPI "MUST NOT be zero" (3.1). */
	if (h->spi_i == 0)
		return fail(err, IG_EINVAL, SYNTAX, "header: initiator SPI is zero");
	return 0;
}

/* Payload types whose bodies we understand; others are skipped or refused (2.5). */
static bool known_type(uint8_t t)
{
	return (t >= IKEV2_PL_SA && t <= IKEV2_PL_EAP) || t == IKEV2_PL_SKF;
}

/* Only legal inside SK: never in IKE_SA_INIT, the one exchange sent in the clear (3.14). */
static bool protected_only(uint8_t t)
{
	switch (t) {
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
	case IKEV2_PL_CERT:
	case IKEV2_PL_AUTH:
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
	case IKEV2_PL_CP:
	case IKEV2_PL_DELETE:
	case IKEV2_PL_EAP: return true;
	default: return false;
	}
}

static int add(struct ike_msg *m, uint8_t type, bool critical, bool inner, struct ike_view body)
{
	struct ike_pl *pl = &m->pl[m->npl++];

	pl->type = type;
	pl->critical = critical;
	pl->inner = inner;
	pl->notify = 0;
	pl->body = body;
	if (type == IKEV2_PL_NOTIFY) {
		struct buf_rd r;

		/* Already validated: protocol, SPI size, type. */
		buf_rd_init(&r, body.p, body.len);
		if (buf_skip(&r, 2) != 0 || buf_get_u16(&r, &pl->notify) != 0)
			return IG_EINVAL;
	}
	return 0;
}

/* SK: its body is IV|ciphertext|ICV; SKF first has Fragment Number and Total (RFC 7383 2.5). */
static int take_sk(struct ike_msg *m, uint8_t type, uint8_t next, struct buf_rd *body,
		   size_t body_off, struct ike_parse_err *err)
{
	m->has_sk = true;
	m->frag = type == IKEV2_PL_SKF;
	m->sk_next = next;
	if (m->frag) {
		if (buf_get_u16(body, &m->frag_num) != 0 || buf_get_u16(body, &m->frag_total) != 0)
			return fail(
				err, IG_ETRUNC, SYNTAX,
				"SKF payload: body of %zu bytes shorter than fragment header (%d)",
				body->len, IKEV2_SKF_HDR_LEN);
		/* RFC 7383 2.5: numbers start at 1, and Number <= Total. */
		if (m->frag_num == 0 || m->frag_num > m->frag_total)
			return fail(err, IG_EINVAL, SYNTAX,
				    "SKF payload: fragment number %u of total %u", m->frag_num,
				    m->frag_total);
	}
	m->sk_iv_off = body_off + buf_rd_pos(body);
	m->sk.p = buf_rd_cur(body);
	m->sk.len = buf_rd_left(body);
	return 0;
}

/*
 * Walks one payload chain starting at type `next`. inner: the decrypted SK
 * chain. base: offset of r's start in the datagram (for sk_iv_off).
 */
static int walk(struct ike_msg *m, struct buf_rd *r, uint8_t next, bool inner, size_t base,
		struct ike_parse_err *err)
{
	const char *where = inner ? "SK: " : "";
	char nb[IKE_NAME_LEN], xb[IKE_NAME_LEN];
	const char *xname = ike_exchange_name(m->hdr.exchange, xb);
	bool clear_init = !inner && m->hdr.exchange == IKEV2_EXCH_IKE_SA_INIT;
	unsigned idx = 0;
	int e;

	while (next != IKEV2_PL_NONE) {
		uint8_t type = next, flags;
		uint16_t plen;
		size_t off = buf_rd_pos(r);
		struct buf_rd body;
		struct ike_view v;
		bool critical;
		const char *name = ike_payload_name(type, nb);

		idx++;
		if ((size_t)m->npl + m->nskipped >= IKE_MAX_PAYLOADS)
			return fail(err, IG_ERANGE, SYNTAX,
				    "%spayload %u (%s): more than %d payloads", where, idx, name,
				    IKE_MAX_PAYLOADS);
		if (buf_rd_left(r) < IKEV2_GEN_HDR_LEN)
			return fail(err, IG_ETRUNC, SYNTAX,
				    "%spayload %u (%s): %zu bytes left, shorter than generic "
				    "header (%d)",
				    where, idx, name, buf_rd_left(r), IKEV2_GEN_HDR_LEN);
		if ((e = buf_get_u8(r, &next)) != 0 || (e = buf_get_u8(r, &flags)) != 0 ||
		    (e = buf_get_u16(r, &plen)) != 0)
			return fail(err, e, SYNTAX, "%spayload %u (%s): truncated", where, idx,
				    name);
		if (plen < IKEV2_GEN_HDR_LEN)
			return fail(err, IG_EINVAL, SYNTAX,
				    "%spayload %u (%s): length %u shorter than generic header (%d)",
				    where, idx, name, plen, IKEV2_GEN_HDR_LEN);
		if (buf_get_sub(r, &body, plen - IKEV2_GEN_HDR_LEN) != 0)
			return fail(
				err, IG_ETRUNC, SYNTAX,
				"%spayload %u (%s): length %u past end of message (%zu bytes left)",
				where, idx, name, plen, buf_rd_left(r) + IKEV2_GEN_HDR_LEN);
		critical = (flags & IKEV2_PL_CRITICAL) != 0;
		v.p = body.p;
		v.len = body.len;

		if (!known_type(type)) {
			/* 2.5: skip unknown payloads unless the sender marked them critical. */
			if (critical) {
				e = fail(
					err, IG_ENOTSUP, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
					"%spayload %u: unsupported payload type %u marked critical",
					where, idx, type);
				if (err)
					err->pl_type = type;
				return e;
			}
			m->nskipped++;
			continue;
		}
		if (type == IKEV2_PL_SK || type == IKEV2_PL_SKF) {
			if (inner)
				return fail(err, IG_EINVAL, SYNTAX, "SK: payload %u (%s) inside SK",
					    idx, name);
			if (clear_init)
				return fail(err, IG_EINVAL, SYNTAX,
					    "%s: payload %u (%s) not allowed", xname, idx, name);
			/* 3.14: "the Encrypted payload ... MUST be the last payload". */
			if (buf_rd_left(r) != 0)
				return fail(err, IG_EINVAL, SYNTAX,
					    "payload %u (%s): not last, %zu bytes follow", idx,
					    name, buf_rd_left(r));
			if ((e = take_sk(m, type, next, &body, base + off + IKEV2_GEN_HDR_LEN,
					 err)) != 0)
				return e;
			return add(m, type, critical, false, v);
		}
		if (!inner && !clear_init)
			return fail(err, IG_EINVAL, SYNTAX,
				    "%s: payload %u (%s) outside SK (RFC 7296 3.14)", xname, idx,
				    name);
		if (!inner && protected_only(type))
			return fail(err, IG_EINVAL, SYNTAX,
				    "%s: payload %u (%s) only allowed inside SK", xname, idx, name);
		if ((e = ike_pl_validate(type, v, err)) != 0)
			return e;
		if (type == IKEV2_PL_NOTIFY && ++m->nnotify > IKE_MAX_NOTIFIES)
			return fail(err, IG_ERANGE, SYNTAX,
				    "%spayload %u (N): more than %d notify payloads", where, idx,
				    IKE_MAX_NOTIFIES);
		if ((e = add(m, type, critical, inner, v)) != 0)
			return fail(err, e, SYNTAX, "%spayload %u (N): truncated", where, idx);
	}
	if (buf_rd_left(r) != 0)
		return fail(err, IG_EINVAL, SYNTAX, "%s%zu trailing bytes after last payload",
			    where, buf_rd_left(r));
	return 0;
}

int ike_msg_parse(const uint8_t *pkt, size_t len, struct ike_msg *m, struct ike_parse_err *err)
{
	char xb[IKE_NAME_LEN];
	struct buf_rd r;
	int e;

	memset(m, 0, sizeof(*m));
	if ((e = ike_hdr_parse(pkt, len, &m->hdr, err)) != 0)
		return e;
	m->raw.p = pkt;
	m->raw.len = len;
	buf_rd_init(&r, pkt, len);
	if ((e = buf_skip(&r, IKEV2_HDR_LEN)) != 0 ||
	    (e = walk(m, &r, m->hdr.next, false, 0, err)) != 0)
		return e;
	/* 3.14: every exchange after IKE_SA_INIT is protected as a whole. */
	if (m->hdr.exchange != IKEV2_EXCH_IKE_SA_INIT && !m->has_sk)
		return fail(err, IG_EINVAL, SYNTAX, "%s: no SK payload",
			    ike_exchange_name(m->hdr.exchange, xb));
	return 0;
}

int ike_msg_parse_inner(uint8_t first, const uint8_t *plain, size_t len, struct ike_msg *m,
			struct ike_parse_err *err)
{
	struct buf_rd r;

	buf_rd_init(&r, plain, len);
	m->decrypted = true;
	return walk(m, &r, first, true, 0, err);
}

const struct ike_pl *ike_msg_find(const struct ike_msg *m, uint8_t type, const struct ike_pl *after)
{
	size_t i = after ? (size_t)(after - m->pl) + 1 : 0;

	for (; i < m->npl; i++)
		if (m->pl[i].type == type)
			return &m->pl[i];
	return NULL;
}

const struct ike_pl *ike_msg_find_notify(const struct ike_msg *m, uint16_t type)
{
	for (size_t i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKEV2_PL_NOTIFY && m->pl[i].notify == type)
			return &m->pl[i];
	return NULL;
}

size_t ike_msg_count(const struct ike_msg *m, uint8_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < m->npl; i++)
		n += m->pl[i].type == type;
	return n;
}

int ike_pl_validate(uint8_t type, struct ike_view body, struct ike_parse_err *err)
{
	/* Scratch for the parsers: only the checks matter here. */
	union {
		struct ike_sa_pl sa;
		struct ike_ke ke;
		struct ike_nonce nonce;
		struct ike_id id;
		struct ike_auth auth;
		struct ike_cert cert;
		struct ike_notify n;
		struct ike_delete d;
		struct ike_ts_pl ts;
		struct ike_vendor v;
		struct ike_cp cp;
	} u;

	switch (type) {
	case IKEV2_PL_SA: return ike_pl_sa_parse(body, &u.sa, err);
	case IKEV2_PL_KE: return ike_pl_ke_parse(body, &u.ke, err);
	case IKEV2_PL_NONCE: return ike_pl_nonce_parse(body, &u.nonce, err);
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR: return ike_pl_id_parse(body, &u.id, err);
	case IKEV2_PL_AUTH: return ike_pl_auth_parse(body, &u.auth, err);
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ: return ike_pl_cert_parse(body, &u.cert, err);
	case IKEV2_PL_NOTIFY: return ike_pl_notify_parse(body, &u.n, err);
	case IKEV2_PL_DELETE: return ike_pl_delete_parse(body, &u.d, err);
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR: return ike_pl_ts_parse(body, &u.ts, err);
	case IKEV2_PL_VENDOR: return ike_pl_vendor_parse(body, &u.v, err);
	case IKEV2_PL_CP: return ike_pl_cp_parse(body, &u.cp, err);
	default: return 0;
	}
}
