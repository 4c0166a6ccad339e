/* SPDX-License-Identifier: MIT */
/*
 * The IKEv2 wire layer on arbitrary bytes:
 *  - ike_msg_parse() on the input as a datagram, and again with its Length
 *    field set to the input size (so the fuzzer gets past the header);
 *    an SK body is then walked as if it were the decrypted chain;
 *  - ike_msg_parse_inner() on input[1..] with input[0] as the first type;
 *  - every payload parser on the input as a payload body.
 * Every payload that parses is rebuilt with ike_build and parsed again: the
 * result must be the same (a parse/build disagreement traps).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ike/ike_build.h"
#include "ike/ike_msg.h"
#include "ike/ike_pl.h"
#include "lib/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t copy[IKE_MAX_MSG_LEN];
static uint8_t out[2 * IKE_MAX_MSG_LEN];

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			__builtin_trap();                                                          \
	} while (0)

/* Ends a bare chain of one payload, parses it back, returns the payload's body. */
static struct ike_view rebuilt(struct ike_bld *b, struct ike_msg *m)
{
	uint8_t first;
	size_t len;

	CHECK(ike_bld_end(b, &len, &first) == 0);
	memset(m, 0, sizeof(*m));
	m->hdr.exchange = IKEV2_EXCH_IKE_AUTH;
	if (ike_msg_parse_inner(first, out, len, m, NULL) != 0 || m->npl != 1)
		__builtin_trap();
	return m->pl[0].body;
}

static void roundtrip_sa(const struct ike_sa_pl *sa)
{
	static struct ike_sa_pl back;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;

	/* Unknown attributes are not rebuilt; such a transform is not comparable. */
	for (size_t p = 0; p < sa->nprop; p++)
		for (size_t t = 0; t < sa->prop[p].nxf; t++)
			if (sa->prop[p].xf[t].unsupported)
				return;
	buf_wr_init(&w, out, sizeof(out));
	ike_bld_init_inner(&b, &w);
	CHECK(ike_bld_sa(&b, sa) == 0);
	CHECK(ike_pl_sa_parse(rebuilt(&b, &m), &back, NULL) == 0);
	CHECK(back.nprop == sa->nprop);
	for (size_t p = 0; p < sa->nprop; p++) {
		const struct ike_proposal *x = &sa->prop[p], *y = &back.prop[p];

		CHECK(x->num == y->num && x->proto == y->proto && x->spi_size == y->spi_size &&
		      x->spi == y->spi && x->nxf == y->nxf);
		for (size_t t = 0; t < x->nxf; t++)
			CHECK(x->xf[t].type == y->xf[t].type && x->xf[t].id == y->xf[t].id &&
			      x->xf[t].keylen == y->xf[t].keylen);
	}
}

static void roundtrip_ts(const struct ike_ts_pl *ts)
{
	struct ike_ts_pl back;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;

	if (ts->count == 0)
		return;
	buf_wr_init(&w, out, sizeof(out));
	ike_bld_init_inner(&b, &w);
	CHECK(ike_bld_ts(&b, IKEV2_PL_TSI, ts->ts, ts->count) == 0);
	CHECK(ike_pl_ts_parse(rebuilt(&b, &m), &back, NULL) == 0);
	CHECK(back.count == ts->count && back.skipped == 0);
	for (size_t i = 0; i < ts->count; i++)
		CHECK(back.ts[i].proto == ts->ts[i].proto &&
		      back.ts[i].start_port == ts->ts[i].start_port &&
		      back.ts[i].end_port == ts->ts[i].end_port &&
		      addr_eq(&back.ts[i].start, &ts->ts[i].start) &&
		      addr_eq(&back.ts[i].end, &ts->ts[i].end));
}

static void roundtrip_notify(const struct ike_notify *n)
{
	struct ike_notify back;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;

	buf_wr_init(&w, out, sizeof(out));
	ike_bld_init_inner(&b, &w);
	CHECK(ike_bld_notify(&b, n) == 0);
	CHECK(ike_pl_notify_parse(rebuilt(&b, &m), &back, NULL) == 0);
	CHECK(back.proto == n->proto && back.spi_size == n->spi_size && back.type == n->type &&
	      back.spi == n->spi && back.data.len == n->data.len &&
	      memcmp(back.data.p, n->data.p, n->data.len) == 0);
}

static void roundtrip_delete(const struct ike_delete *d)
{
	static uint32_t spis[IKE_MAX_DELETE_SPIS];
	struct ike_delete back;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;

	for (size_t i = 0; i < d->nspi; i++)
		spis[i] = ike_delete_spi(d, i);
	buf_wr_init(&w, out, sizeof(out));
	ike_bld_init_inner(&b, &w);
	CHECK(ike_bld_delete(&b, d->proto, spis, d->nspi) == 0);
	CHECK(ike_pl_delete_parse(rebuilt(&b, &m), &back, NULL) == 0);
	CHECK(back.proto == d->proto && back.nspi == d->nspi &&
	      memcmp(back.spis.p, d->spis.p, d->spis.len) == 0);
}

/* Every parser on one body; what parses must survive a rebuild. */
static void payloads(struct ike_view v, bool rebuild)
{
	static struct ike_sa_pl sa;
	static struct ike_ts_pl ts;
	static struct ike_cp cp;
	struct ike_parse_err err;
	struct ike_ke ke;
	struct ike_nonce nonce;
	struct ike_id id;
	struct ike_auth auth;
	struct ike_cert cert;
	struct ike_notify n;
	struct ike_delete d;
	struct ike_vendor vid;

	if (ike_pl_sa_parse(v, &sa, &err) == 0 && rebuild)
		roundtrip_sa(&sa);
	ike_pl_ke_parse(v, &ke, &err);
	ike_pl_nonce_parse(v, &nonce, &err);
	ike_pl_id_parse(v, &id, &err);
	ike_pl_auth_parse(v, &auth, &err);
	ike_pl_cert_parse(v, &cert, &err);
	if (ike_pl_notify_parse(v, &n, &err) == 0 && rebuild)
		roundtrip_notify(&n);
	if (ike_pl_delete_parse(v, &d, &err) == 0 && rebuild)
		roundtrip_delete(&d);
	if (ike_pl_ts_parse(v, &ts, &err) == 0 && rebuild)
		roundtrip_ts(&ts);
	ike_pl_vendor_parse(v, &vid, &err);
	ike_pl_cp_parse(v, &cp, &err);
}

/* Each payload a successful walk recorded must parse with its own parser. */
static void walked(const struct ike_msg *m)
{
	for (size_t i = 0; i < m->npl; i++)
		CHECK(ike_pl_validate(m->pl[i].type, m->pl[i].body, NULL) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_msg m;
	struct ike_parse_err err;
	struct ike_view v = {data, size};

	if (ike_msg_parse(data, size, &m, &err) == 0)
		walked(&m);

	if (size >= IKEV2_HDR_LEN && size <= sizeof(copy)) {
		memcpy(copy, data, size);
		copy[24] = (uint8_t)(size >> 24);
		copy[25] = (uint8_t)(size >> 16);
		copy[26] = (uint8_t)(size >> 8);
		copy[27] = (uint8_t)size;
		if (ike_msg_parse(copy, size, &m, &err) == 0) {
			walked(&m);
			if (m.has_sk &&
			    ike_msg_parse_inner(m.sk_next, m.sk.p, m.sk.len, &m, &err) == 0)
				walked(&m);
		}
	}

	if (size >= 1) {
		memset(&m, 0, sizeof(m));
		m.hdr.exchange = IKEV2_EXCH_IKE_AUTH;
		if (ike_msg_parse_inner(data[0], data + 1, size - 1, &m, &err) == 0) {
			walked(&m);
			for (size_t i = 0; i < m.npl; i++)
				payloads(m.pl[i].body, true);
		}
	}
	payloads(v, true);
	return 0;
}
