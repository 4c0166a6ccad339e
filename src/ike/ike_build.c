/* SPDX-License-Identifier: MIT */
/*
 * Builds IKEv2 messages (RFC 7296 3). Each payload is written with a zero
 * Next Payload and Length, then its type is patched into the previous
 * payload's Next Payload byte and its length into its own header.
 */
#include "ike/ike_build.h"

#include <string.h>

#include "lib/err.h"

#define NO_NEXT	   ((size_t)-1)
#define MAX_PL_LEN 65535 /* the generic header's 16-bit Payload Length (3.2) */

int ike_bld_init(struct ike_bld *b, struct buf_wr *w, const struct ike_hdr *h)
{
	int e;

	memset(b, 0, sizeof(*b));
	b->w = w;
	b->start = buf_wr_len(w);
	/* Next Payload is the 17th octet of the header (3.1). */
	b->next_off = b->start + 2 * IKEV2_SPI_LEN;
	b->open = NO_NEXT;
	if ((e = buf_put_u64(w, h->spi_i)) != 0 || (e = buf_put_u64(w, h->spi_r)) != 0 ||
	    (e = buf_put_u8(w, IKEV2_PL_NONE)) != 0 || (e = buf_put_u8(w, IKEV2_VERSION)) != 0 ||
	    (e = buf_put_u8(w, h->exchange)) != 0 ||
	    (e = buf_put_u8(w, h->flags & IKEV2_FLAGS_KNOWN)) != 0 ||
	    (e = buf_put_u32(w, h->msg_id)) != 0 || (e = buf_put_u32(w, 0)) != 0)
		return e;
	return 0;
}

int ike_bld_init_inner(struct ike_bld *b, struct buf_wr *w)
{
	memset(b, 0, sizeof(*b));
	b->w = w;
	b->start = buf_wr_len(w);
	b->next_off = NO_NEXT;
	b->open = NO_NEXT;
	b->inner = true;
	return 0;
}

int ike_bld_end(struct ike_bld *b, size_t *len, uint8_t *first)
{
	size_t n = buf_wr_len(b->w) - b->start;
	int e;

	if (!b->inner) {
		if (n > IKE_MAX_MSG_LEN)
			return IG_EINVAL;
		if ((e = buf_set_u32_at(b->w, b->start + IKEV2_HDR_LEN - 4, (uint32_t)n)) != 0)
			return e;
	}
	if (len)
		*len = n;
	if (first)
		*first = b->first;
	return 0;
}

/*
 * Writes a generic header for type and links it into the chain; *hdr = its
 * offset. Remembers the chain as it was, for undo().
 */
static int begin(struct ike_bld *b, uint8_t type, bool critical)
{
	size_t hdr = buf_wr_len(b->w);
	int e;

	if (b->sealed)
		return IG_ESTATE;
	if ((e = buf_put_u8(b->w, IKEV2_PL_NONE)) != 0 ||
	    (e = buf_put_u8(b->w, critical ? IKEV2_PL_CRITICAL : 0)) != 0 ||
	    (e = buf_put_u16(b->w, 0)) != 0 ||
	    (b->next_off != NO_NEXT && (e = buf_set_u8_at(b->w, b->next_off, type)) != 0)) {
		b->w->len = hdr;
		return e;
	}
	b->open = hdr;
	b->undo_next_off = b->next_off;
	b->undo_first = b->first;
	if (b->first == IKEV2_PL_NONE)
		b->first = type;
	b->next_off = hdr;
	return 0;
}

/*
 * A payload that failed half-way is taken out again: the chain ends where it
 * ended before, so the caller may go on (e.g. leave out an optional notify).
 */
static void undo(struct ike_bld *b, size_t hdr)
{
	b->w->len = hdr;
	b->next_off = b->undo_next_off;
	b->first = b->undo_first;
	if (b->next_off != NO_NEXT)
		buf_set_u8_at(b->w, b->next_off, IKEV2_PL_NONE);
}

/*
 * Closes the payload begin() opened: patches its length, or, if writing it
 * failed (e), takes it out. Without an open payload (begin failed) just e.
 */
static int end(struct ike_bld *b, int e)
{
	size_t hdr = b->open;

	if (hdr == NO_NEXT)
		return e;
	b->open = NO_NEXT;
	if (e == 0 && buf_wr_len(b->w) - hdr > MAX_PL_LEN)
		e = IG_EINVAL;
	if (e == 0)
		e = buf_set_u16_at(b->w, hdr + 2, (uint16_t)(buf_wr_len(b->w) - hdr));
	if (e != 0)
		undo(b, hdr);
	return e;
}

int ike_bld_raw(struct ike_bld *b, uint8_t type, bool critical, const uint8_t *body, size_t len)
{
	int e;

	if ((e = begin(b, type, critical)) != 0 || (e = buf_put_bytes(b->w, body, len)) != 0)
		return end(b, e);
	return end(b, 0);
}

/* Type octet, three reserved, data: ID, AUTH, CP headers (3.5, 3.8, 3.15). */
static int typed(struct ike_bld *b, uint8_t pl_type, uint8_t type, const uint8_t *data, size_t len)
{
	int e;

	if ((e = begin(b, pl_type, false)) != 0 || (e = buf_put_u8(b->w, type)) != 0 ||
	    (e = buf_put_zero(b->w, 3)) != 0 || (e = buf_put_bytes(b->w, data, len)) != 0)
		return end(b, e);
	return end(b, 0);
}

static int put_spi(struct buf_wr *w, uint8_t size, uint64_t spi)
{
	switch (size) {
	case 0: return 0;
	case IKEV2_CHILD_SPI_LEN: return buf_put_u32(w, (uint32_t)spi);
	case IKEV2_IKE_SPI_LEN: return buf_put_u64(w, spi);
	default: return IG_EINVAL;
	}
}

static int transform(struct buf_wr *w, const struct ike_xform *xf, bool last)
{
	size_t start = buf_wr_len(w);
	int e;

	if ((e = buf_put_u8(w, last ? IKEV2_LAST : IKEV2_MORE_TRANSFORMS)) != 0 ||
	    (e = buf_put_u8(w, 0)) != 0 || (e = buf_put_u16(w, 0)) != 0 ||
	    (e = buf_put_u8(w, xf->type)) != 0 || (e = buf_put_u8(w, 0)) != 0 ||
	    (e = buf_put_u16(w, xf->id)) != 0)
		return e;
	/* Key Length in TV format (3.3.5). */
	if (xf->keylen && ((e = buf_put_u16(w, IKEV2_ATTR_AF | IKEV2_ATTR_KEY_LENGTH)) != 0 ||
			   (e = buf_put_u16(w, xf->keylen)) != 0))
		return e;
	return buf_set_u16_at(w, start + 2, (uint16_t)(buf_wr_len(w) - start));
}

static int proposal(struct buf_wr *w, const struct ike_proposal *p, bool last)
{
	size_t start = buf_wr_len(w);
	int e;

	if (p->nxf == 0 || p->nxf > IKE_MAX_TRANSFORMS)
		return IG_EINVAL;
	if ((e = buf_put_u8(w, last ? IKEV2_LAST : IKEV2_MORE_PROPOSALS)) != 0 ||
	    (e = buf_put_u8(w, 0)) != 0 || (e = buf_put_u16(w, 0)) != 0 ||
	    (e = buf_put_u8(w, p->num)) != 0 || (e = buf_put_u8(w, p->proto)) != 0 ||
	    (e = buf_put_u8(w, p->spi_size)) != 0 || (e = buf_put_u8(w, p->nxf)) != 0 ||
	    (e = put_spi(w, p->spi_size, p->spi)) != 0)
		return e;
	for (size_t i = 0; i < p->nxf; i++)
		if ((e = transform(w, &p->xf[i], i + 1 == p->nxf)) != 0)
			return e;
	if (buf_wr_len(w) - start > MAX_PL_LEN)
		return IG_EINVAL;
	return buf_set_u16_at(w, start + 2, (uint16_t)(buf_wr_len(w) - start));
}

int ike_bld_sa(struct ike_bld *b, const struct ike_sa_pl *sa)
{
	int e;

	if (sa->nprop == 0 || sa->nprop > IKE_MAX_PROPOSALS)
		return IG_EINVAL;
	if ((e = begin(b, IKEV2_PL_SA, false)) != 0)
		return end(b, e);
	for (size_t i = 0; i < sa->nprop; i++)
		if ((e = proposal(b->w, &sa->prop[i], i + 1 == sa->nprop)) != 0)
			return end(b, e);
	return end(b, 0);
}

int ike_bld_ke(struct ike_bld *b, const struct ike_ke *ke)
{
	int e;

	if (ke->data.len == 0)
		return IG_EINVAL;
	if ((e = begin(b, IKEV2_PL_KE, false)) != 0 || (e = buf_put_u16(b->w, ke->group)) != 0 ||
	    (e = buf_put_u16(b->w, 0)) != 0 ||
	    (e = buf_put_bytes(b->w, ke->data.p, ke->data.len)) != 0)
		return end(b, e);
	return end(b, 0);
}

int ike_bld_nonce(struct ike_bld *b, const uint8_t *nonce, size_t len)
{
	/* 2.10: 16..256 octets. */
	if (len < IKEV2_NONCE_MIN || len > IKEV2_NONCE_MAX)
		return IG_EINVAL;
	return ike_bld_raw(b, IKEV2_PL_NONCE, false, nonce, len);
}

int ike_bld_id(struct ike_bld *b, uint8_t pl_type, const struct ike_id *id)
{
	if ((pl_type != IKEV2_PL_IDI && pl_type != IKEV2_PL_IDR) || id->data.len == 0 ||
	    (id->type == IKEV2_ID_IPV4_ADDR && id->data.len != 4) ||
	    (id->type == IKEV2_ID_IPV6_ADDR && id->data.len != 16))
		return IG_EINVAL;
	return typed(b, pl_type, id->type, id->data.p, id->data.len);
}

int ike_bld_auth(struct ike_bld *b, const struct ike_auth *auth)
{
	if (auth->data.len == 0)
		return IG_EINVAL;
	return typed(b, IKEV2_PL_AUTH, auth->method, auth->data.p, auth->data.len);
}

int ike_bld_cert(struct ike_bld *b, uint8_t pl_type, const struct ike_cert *cert)
{
	int e;

	if (pl_type != IKEV2_PL_CERT && pl_type != IKEV2_PL_CERTREQ)
		return IG_EINVAL;
	if ((e = begin(b, pl_type, false)) != 0 || (e = buf_put_u8(b->w, cert->encoding)) != 0 ||
	    (e = buf_put_bytes(b->w, cert->data.p, cert->data.len)) != 0)
		return end(b, e);
	return end(b, 0);
}

int ike_bld_notify(struct ike_bld *b, const struct ike_notify *n)
{
	int e;

	if (n->spi_size != 0 && n->spi_size != IKEV2_CHILD_SPI_LEN &&
	    n->spi_size != IKEV2_IKE_SPI_LEN)
		return IG_EINVAL;
	if ((e = begin(b, IKEV2_PL_NOTIFY, false)) != 0 || (e = buf_put_u8(b->w, n->proto)) != 0 ||
	    (e = buf_put_u8(b->w, n->spi_size)) != 0 || (e = buf_put_u16(b->w, n->type)) != 0 ||
	    (e = put_spi(b->w, n->spi_size, n->spi)) != 0 ||
	    (e = buf_put_bytes(b->w, n->data.p, n->data.len)) != 0)
		return end(b, e);
	return end(b, 0);
}

int ike_bld_notify_simple(struct ike_bld *b, uint16_t type, const uint8_t *data, size_t len)
{
	struct ike_notify n = {.type = type, .data = {data, len}};

	return ike_bld_notify(b, &n);
}

int ike_bld_notify_nat_d(struct ike_bld *b, uint16_t type,
			 const uint8_t hash[static IKEV2_NAT_DETECTION_LEN])
{
	if (type != IKEV2_N_NAT_DETECTION_SOURCE_IP && type != IKEV2_N_NAT_DETECTION_DESTINATION_IP)
		return IG_EINVAL;
	return ike_bld_notify_simple(b, type, hash, IKEV2_NAT_DETECTION_LEN);
}

int ike_bld_notify_cookie(struct ike_bld *b, const uint8_t *cookie, size_t len)
{
	if (len < IKEV2_COOKIE_MIN || len > IKEV2_COOKIE_MAX)
		return IG_EINVAL;
	return ike_bld_notify_simple(b, IKEV2_N_COOKIE, cookie, len);
}

int ike_bld_notify_invalid_ke(struct ike_bld *b, uint16_t group)
{
	uint8_t d[2] = {(uint8_t)(group >> 8), (uint8_t)group};

	return ike_bld_notify_simple(b, IKEV2_N_INVALID_KE_PAYLOAD, d, sizeof(d));
}

int ike_bld_notify_rekey_sa(struct ike_bld *b, uint8_t proto, uint32_t spi)
{
	struct ike_notify n = {
		.proto = proto,
		.spi_size = IKEV2_CHILD_SPI_LEN,
		.type = IKEV2_N_REKEY_SA,
		.spi = spi,
	};

	if (proto != IKEV2_PROTO_ESP && proto != IKEV2_PROTO_AH)
		return IG_EINVAL;
	return ike_bld_notify(b, &n);
}

int ike_bld_notify_sig_hashes(struct ike_bld *b, const uint16_t *hashes, size_t n)
{
	uint8_t d[2 * IKE_MAX_SIG_HASHES];

	if (n == 0 || n > IKE_MAX_SIG_HASHES)
		return IG_EINVAL;
	for (size_t i = 0; i < n; i++) {
		d[2 * i] = (uint8_t)(hashes[i] >> 8);
		d[2 * i + 1] = (uint8_t)hashes[i];
	}
	return ike_bld_notify_simple(b, IKEV2_N_SIGNATURE_HASH_ALGORITHMS, d, 2 * n);
}

int ike_bld_delete(struct ike_bld *b, uint8_t proto, const uint32_t *spis, size_t n)
{
	bool ike = proto == IKEV2_PROTO_IKE;
	int e;

	if (ike ? n != 0
		: (proto != IKEV2_PROTO_ESP && proto != IKEV2_PROTO_AH) || n == 0 ||
			    n > IKE_MAX_DELETE_SPIS)
		return IG_EINVAL;
	if ((e = begin(b, IKEV2_PL_DELETE, false)) != 0 || (e = buf_put_u8(b->w, proto)) != 0 ||
	    (e = buf_put_u8(b->w, ike ? 0 : IKEV2_CHILD_SPI_LEN)) != 0 ||
	    (e = buf_put_u16(b->w, (uint16_t)n)) != 0)
		return end(b, e);
	for (size_t i = 0; i < n; i++)
		if ((e = buf_put_u32(b->w, spis[i])) != 0)
			return end(b, e);
	return end(b, 0);
}

static int selector(struct buf_wr *w, const struct ike_ts *ts)
{
	bool v4 = ts->start.family == AF_INET;
	size_t alen = addr_len(&ts->start);
	int e;

	if (alen == 0 || ts->end.family != ts->start.family || addr_cmp(&ts->start, &ts->end) > 0)
		return IG_EINVAL;
	if ((e = buf_put_u8(w, v4 ? IKEV2_TS_IPV4_ADDR_RANGE : IKEV2_TS_IPV6_ADDR_RANGE)) != 0 ||
	    (e = buf_put_u8(w, ts->proto)) != 0 ||
	    (e = buf_put_u16(w, v4 ? IKEV2_TS_IPV4_LEN : IKEV2_TS_IPV6_LEN)) != 0 ||
	    (e = buf_put_u16(w, ts->start_port)) != 0 || (e = buf_put_u16(w, ts->end_port)) != 0 ||
	    (e = buf_put_bytes(w, ts->start.b, alen)) != 0 ||
	    (e = buf_put_bytes(w, ts->end.b, alen)) != 0)
		return e;
	return 0;
}

int ike_bld_ts(struct ike_bld *b, uint8_t pl_type, const struct ike_ts *ts, size_t n)
{
	int e;

	if ((pl_type != IKEV2_PL_TSI && pl_type != IKEV2_PL_TSR) || n == 0 || n > IKE_MAX_TS)
		return IG_EINVAL;
	if ((e = begin(b, pl_type, false)) != 0 || (e = buf_put_u8(b->w, (uint8_t)n)) != 0 ||
	    (e = buf_put_zero(b->w, 3)) != 0)
		return end(b, e);
	for (size_t i = 0; i < n; i++)
		if ((e = selector(b->w, &ts[i])) != 0)
			return end(b, e);
	return end(b, 0);
}

int ike_bld_vendor(struct ike_bld *b, const uint8_t *vid, size_t len)
{
	if (len == 0)
		return IG_EINVAL;
	return ike_bld_raw(b, IKEV2_PL_VENDOR, false, vid, len);
}

int ike_bld_cp(struct ike_bld *b, const struct ike_cp *cp)
{
	int e;

	if (cp->type < IKEV2_CFG_REQUEST || cp->type > IKEV2_CFG_ACK ||
	    cp->nattr > IKE_MAX_CP_ATTRS)
		return IG_EINVAL;
	if ((e = begin(b, IKEV2_PL_CP, false)) != 0 || (e = buf_put_u8(b->w, cp->type)) != 0 ||
	    (e = buf_put_zero(b->w, 3)) != 0)
		return end(b, e);
	for (size_t i = 0; i < cp->nattr; i++) {
		const struct ike_cp_attr *a = &cp->attr[i];

		if (a->value.len > 0xffff || (a->type & IKEV2_CFG_ATTR_RESERVED_BIT))
			return IG_EINVAL;
		if ((e = buf_put_u16(b->w, a->type)) != 0 ||
		    (e = buf_put_u16(b->w, (uint16_t)a->value.len)) != 0 ||
		    (e = buf_put_bytes(b->w, a->value.p, a->value.len)) != 0)
			return end(b, e);
	}
	return end(b, 0);
}

static int sk(struct ike_bld *b, uint8_t type, uint8_t inner_first, uint16_t frag_num,
	      uint16_t frag_total, size_t body_len, uint8_t **body, size_t *iv_off)
{
	size_t off = 0;
	int e;

	/* SK in a bare chain would be SK inside SK. */
	if (b->inner)
		return IG_ESTATE;
	if ((e = begin(b, type, false)) != 0 ||
	    (e = buf_set_u8_at(b->w, b->open, inner_first)) != 0)
		goto out;
	if (type == IKEV2_PL_SKF &&
	    ((e = buf_put_u16(b->w, frag_num)) != 0 || (e = buf_put_u16(b->w, frag_total)) != 0))
		goto out;
	off = buf_wr_len(b->w) - b->start;
	if ((e = buf_reserve(b->w, body_len, body)) != 0)
		goto out;
out:
	if ((e = end(b, e)) != 0)
		return e;
	if (iv_off)
		*iv_off = off;
	b->sealed = true;
	return 0;
}

int ike_bld_sk(struct ike_bld *b, uint8_t inner_first, size_t body_len, uint8_t **body,
	       size_t *iv_off)
{
	return sk(b, IKEV2_PL_SK, inner_first, 0, 0, body_len, body, iv_off);
}

int ike_bld_skf(struct ike_bld *b, uint8_t inner_first, uint16_t frag_num, uint16_t frag_total,
		size_t body_len, uint8_t **body, size_t *iv_off)
{
	if (frag_num == 0 || frag_num > frag_total)
		return IG_EINVAL;
	return sk(b, IKEV2_PL_SKF, inner_first, frag_num, frag_total, body_len, body, iv_off);
}
