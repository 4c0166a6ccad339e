/* SPDX-License-Identifier: MIT */
/*
 * Build -> parse round trips: every payload type through the builder and
 * back through the chain walker and its parser, then whole messages shaped
 * like the real exchanges (IKE_SA_INIT request, IKE_AUTH with its SK chain).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/alg.h"
#include "ike/ike_build.h"
#include "ike/ike_msg.h"
#include "ike/ike_names.h"
#include "ike/ikev2_wire.h"
#include "lib/buf.h"
#include "lib/err.h"

static uint8_t buf[8192];

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

/* Finishes a bare chain and parses it back as a decrypted SK chain. */
static void parse_chain(struct ike_bld *b, struct ike_msg *m)
{
	struct ike_parse_err err = {.msg = ""};
	uint8_t first;
	size_t len;

	assert_int_equal(ike_bld_end(b, &len, &first), 0);
	memset(m, 0, sizeof(*m));
	m->hdr.exchange = IKEV2_EXCH_IKE_AUTH;
	if (ike_msg_parse_inner(first, buf, len, m, &err) != 0)
		fail_msg("parse_inner: %s", err.msg);
}

static void start(struct ike_bld *b, struct buf_wr *w)
{
	buf_wr_init(w, buf, sizeof(buf));
	assert_int_equal(ike_bld_init_inner(b, w), 0);
}

static struct ike_xform xf(uint8_t type, uint16_t id, uint16_t keylen)
{
	struct ike_xform x = {.type = type, .id = id, .keylen = keylen};

	return x;
}

static void test_sa(void **state)
{
	struct ike_sa_pl sa, back;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;
	struct ike_parse_err err;

	memset(&sa, 0, sizeof(sa));
	sa.nprop = 3;
	sa.prop[0] = (struct ike_proposal){.num = 1, .proto = IKEV2_PROTO_IKE, .nxf = 4};
	sa.prop[0].xf[0] = xf(IKEV2_XFORM_ENCR, ALG_ENCR_AES_CBC, 256);
	sa.prop[0].xf[1] = xf(IKEV2_XFORM_INTEG, ALG_INTEG_HMAC_SHA2_256_128, 0);
	sa.prop[0].xf[2] = xf(IKEV2_XFORM_PRF, ALG_PRF_HMAC_SHA2_256, 0);
	sa.prop[0].xf[3] = xf(IKEV2_XFORM_DH, ALG_DH_MODP_1024, 0);
	sa.prop[1] = (struct ike_proposal){.num = 2,
					   .proto = IKEV2_PROTO_IKE,
					   .spi_size = 8,
					   .spi = 0x1122334455667788ull,
					   .nxf = 3};
	sa.prop[1].xf[0] = xf(IKEV2_XFORM_ENCR, ALG_ENCR_AES_GCM_16, 128);
	sa.prop[1].xf[1] = xf(IKEV2_XFORM_PRF, ALG_PRF_HMAC_SHA2_384, 0);
	sa.prop[1].xf[2] = xf(IKEV2_XFORM_DH, ALG_DH_ECP_384, 0);
	sa.prop[2] = (struct ike_proposal){
		.num = 3, .proto = IKEV2_PROTO_ESP, .spi_size = 4, .spi = 0xc0ffee01, .nxf = 4};
	sa.prop[2].xf[0] = xf(IKEV2_XFORM_ENCR, ALG_ENCR_AES_CBC, 128);
	sa.prop[2].xf[1] = xf(IKEV2_XFORM_INTEG, ALG_INTEG_HMAC_SHA1_96, 0);
	sa.prop[2].xf[2] = xf(IKEV2_XFORM_ESN, ALG_ESN_NO, 0);
	sa.prop[2].xf[3] = xf(IKEV2_XFORM_ESN, ALG_ESN_YES, 0);

	start(&b, &w);
	assert_int_equal(ike_bld_sa(&b, &sa), 0);
	parse_chain(&b, &m);
	assert_int_equal(m.npl, 1);
	assert_int_equal(m.pl[0].type, IKEV2_PL_SA);
	assert_true(m.pl[0].inner);
	assert_int_equal(ike_pl_sa_parse(m.pl[0].body, &back, &err), 0);
	assert_int_equal(back.nprop, 3);
	for (size_t p = 0; p < 3; p++) {
		const struct ike_proposal *a = &sa.prop[p], *z = &back.prop[p];

		assert_int_equal(z->num, a->num);
		assert_int_equal(z->proto, a->proto);
		assert_int_equal(z->spi_size, a->spi_size);
		assert_true(z->spi == a->spi);
		assert_int_equal(z->nxf, a->nxf);
		for (size_t t = 0; t < a->nxf; t++) {
			assert_int_equal(z->xf[t].type, a->xf[t].type);
			assert_int_equal(z->xf[t].id, a->xf[t].id);
			assert_int_equal(z->xf[t].keylen, a->xf[t].keylen);
			assert_false(z->xf[t].unsupported);
		}
	}
	/* 3 + 8 + 3 x (8 + 4 transforms of 8) + 2 key lengths ... exact layout: */
	assert_int_equal(m.pl[0].body.len,
			 (8 + 4 * 8 + 4) + (8 + 8 + 3 * 8 + 4) + (8 + 4 + 4 * 8 + 4));
	/* Builder refuses what the wire cannot say. */
	sa.prop[0].nxf = 0;
	start(&b, &w);
	assert_int_equal(ike_bld_sa(&b, &sa), IG_EINVAL);
	sa.nprop = 0;
	assert_int_equal(ike_bld_sa(&b, &sa), IG_EINVAL);
}

/* 3.3.6: an unknown attribute disqualifies its transform, the others stay. */
static void test_sa_unknown_attribute(void **state)
{
	uint8_t body[64];
	struct ike_sa_pl sa;
	struct ike_parse_err err;
	int n = buf_unhex("00 00 0030  01 01 00 03"
			  "03 00 000c 01 00 000c 800e 0080"	      /* AES-CBC-128 */
			  "03 00 000c 01 00 000c 8011 0001"	      /* unknown TV attribute 17 */
			  "00 00 0010 01 00 0014 0011 0004 aabbccdd", /* unknown TLV */
			  body, sizeof(body));
	struct ike_view v = {body, (size_t)n};

	assert_int_equal(n, 48);
	assert_int_equal(ike_pl_sa_parse(v, &sa, &err), 0);
	assert_int_equal(sa.nprop, 1);
	assert_int_equal(sa.prop[0].nxf, 3);
	assert_false(sa.prop[0].xf[0].unsupported);
	assert_int_equal(sa.prop[0].xf[0].keylen, 128);
	assert_true(sa.prop[0].xf[1].unsupported);
	assert_true(sa.prop[0].xf[2].unsupported);
	assert_int_equal(sa.prop[0].xf[2].id, ALG_ENCR_AES_GCM_16);
}

static void test_ke_nonce_vendor(void **state)
{
	uint8_t pub[128], nonce[256], vid[16];
	struct ike_ke ke = {.group = ALG_DH_MODP_1024, .data = {pub, sizeof(pub)}}, ke2;
	struct ike_nonce n;
	struct ike_vendor v;
	struct ike_parse_err err;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;

	fill(pub, sizeof(pub), 1);
	fill(nonce, sizeof(nonce), 2);
	fill(vid, sizeof(vid), 3);
	start(&b, &w);
	assert_int_equal(ike_bld_ke(&b, &ke), 0);
	assert_int_equal(ike_bld_nonce(&b, nonce, 16), 0);
	assert_int_equal(ike_bld_nonce(&b, nonce, 256), 0);
	assert_int_equal(ike_bld_vendor(&b, vid, sizeof(vid)), 0);
	assert_int_equal(ike_bld_nonce(&b, nonce, 15), IG_EINVAL);
	assert_int_equal(ike_bld_nonce(&b, nonce, 257), IG_EINVAL);
	assert_int_equal(ike_bld_vendor(&b, vid, 0), IG_EINVAL);
	parse_chain(&b, &m);
	assert_int_equal(m.npl, 4);
	assert_int_equal(ike_pl_ke_parse(m.pl[0].body, &ke2, &err), 0);
	assert_int_equal(ke2.group, ALG_DH_MODP_1024);
	assert_int_equal(ke2.data.len, sizeof(pub));
	assert_memory_equal(ke2.data.p, pub, sizeof(pub));
	assert_int_equal(ike_pl_nonce_parse(m.pl[1].body, &n, &err), 0);
	assert_int_equal(n.data.len, 16);
	assert_memory_equal(n.data.p, nonce, 16);
	assert_int_equal(ike_pl_nonce_parse(m.pl[2].body, &n, &err), 0);
	assert_int_equal(n.data.len, 256);
	assert_int_equal(ike_pl_vendor_parse(m.pl[3].body, &v, &err), 0);
	assert_memory_equal(v.data.p, vid, sizeof(vid));
	/* Views point into the buffer, nothing copied. */
	assert_true(ke2.data.p > buf && ke2.data.p < buf + sizeof(buf));
}

static void test_id_auth_cert(void **state)
{
	static const uint8_t v4[4] = {192, 0, 2, 1};
	static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	static const char fqdn[] = "gw.example.org";
	uint8_t mac[32];
	struct ike_id ids[3] = {
		{.type = IKEV2_ID_IPV4_ADDR, .data = {v4, 4}},
		{.type = IKEV2_ID_IPV6_ADDR, .data = {v6, 16}},
		{.type = IKEV2_ID_FQDN, .data = {(const uint8_t *)fqdn, sizeof(fqdn) - 1}},
	};
	struct ike_auth auth = {.method = IKEV2_AUTH_SHARED_KEY, .data = {mac, sizeof(mac)}};
	struct ike_cert req = {.encoding = 4}, cert;
	struct ike_parse_err err;
	struct ike_auth a2;
	struct ike_id id;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;

	fill(mac, sizeof(mac), 9);
	start(&b, &w);
	assert_int_equal(ike_bld_id(&b, IKEV2_PL_IDI, &ids[0]), 0);
	assert_int_equal(ike_bld_id(&b, IKEV2_PL_IDR, &ids[1]), 0);
	assert_int_equal(ike_bld_id(&b, IKEV2_PL_IDR, &ids[2]), 0);
	assert_int_equal(ike_bld_auth(&b, &auth), 0);
	assert_int_equal(ike_bld_cert(&b, IKEV2_PL_CERTREQ, &req), 0);
	ids[0].data.len = 5;
	assert_int_equal(ike_bld_id(&b, IKEV2_PL_IDI, &ids[0]), IG_EINVAL);
	ids[0].data.len = 4;
	assert_int_equal(ike_bld_id(&b, IKEV2_PL_AUTH, &ids[0]), IG_EINVAL);
	parse_chain(&b, &m);
	assert_int_equal(m.npl, 5);
	assert_int_equal(m.pl[0].type, IKEV2_PL_IDI);
	assert_int_equal(m.pl[1].type, IKEV2_PL_IDR);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(ike_pl_id_parse(m.pl[i].body, &id, &err), 0);
		assert_int_equal(id.type, ids[i].type);
		assert_int_equal(id.data.len, ids[i].data.len);
		assert_memory_equal(id.data.p, ids[i].data.p, id.data.len);
		/* RestOfInitIDPayload (2.15) is the body from the type octet on. */
		assert_ptr_equal(id.body.p, m.pl[i].body.p);
		assert_int_equal(id.body.len, 4 + ids[i].data.len);
	}
	assert_int_equal(ike_pl_auth_parse(m.pl[3].body, &a2, &err), 0);
	assert_int_equal(a2.method, IKEV2_AUTH_SHARED_KEY);
	assert_memory_equal(a2.data.p, mac, sizeof(mac));
	assert_int_equal(m.pl[4].type, IKEV2_PL_CERTREQ);
	assert_int_equal(ike_pl_cert_parse(m.pl[4].body, &cert, &err), 0);
	assert_int_equal(cert.encoding, 4);
	assert_int_equal(cert.data.len, 0);
}

static void test_notify(void **state)
{
	static const uint16_t hashes[] = {IKEV2_HASH_SHA2_256, IKEV2_HASH_SHA2_384,
					  IKEV2_HASH_SHA2_512, IKEV2_HASH_IDENTITY};
	uint8_t natd[20], cookie[64], data[5] = "hello";
	struct ike_notify child = {.proto = IKEV2_PROTO_ESP,
				   .spi_size = 4,
				   .spi = 0xdeadbeef,
				   .type = IKEV2_N_TS_UNACCEPTABLE,
				   .data = {data, 5}};
	struct ike_notify n;
	struct ike_parse_err err;
	struct ike_view cv;
	const uint8_t *h;
	uint16_t got[IKE_MAX_SIG_HASHES], group;
	uint32_t spi;
	uint8_t proto;
	size_t count;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;

	fill(natd, sizeof(natd), 4);
	fill(cookie, sizeof(cookie), 5);
	start(&b, &w);
	assert_int_equal(ike_bld_notify(&b, &child), 0);
	assert_int_equal(ike_bld_notify_nat_d(&b, IKEV2_N_NAT_DETECTION_SOURCE_IP, natd), 0);
	assert_int_equal(ike_bld_notify_nat_d(&b, IKEV2_N_NAT_DETECTION_DESTINATION_IP, natd), 0);
	assert_int_equal(ike_bld_notify_cookie(&b, cookie, 64), 0);
	assert_int_equal(ike_bld_notify_invalid_ke(&b, ALG_DH_ECP_256), 0);
	assert_int_equal(ike_bld_notify_rekey_sa(&b, IKEV2_PROTO_ESP, 0x01020304), 0);
	assert_int_equal(ike_bld_notify_sig_hashes(&b, hashes, 4), 0);
	assert_int_equal(ike_bld_notify_simple(&b, IKEV2_N_INITIAL_CONTACT, NULL, 0), 0);
	assert_int_equal(ike_bld_notify_cookie(&b, cookie, 65), IG_EINVAL);
	assert_int_equal(ike_bld_notify_nat_d(&b, IKEV2_N_COOKIE, natd), IG_EINVAL);
	assert_int_equal(ike_bld_notify_rekey_sa(&b, IKEV2_PROTO_IKE, 1), IG_EINVAL);
	parse_chain(&b, &m);
	assert_int_equal(m.npl, 8);
	assert_int_equal(m.nnotify, 8);
	assert_int_equal(ike_msg_count(&m, IKEV2_PL_NOTIFY), 8);

	assert_int_equal(ike_pl_notify_parse(m.pl[0].body, &n, &err), 0);
	assert_int_equal(n.proto, IKEV2_PROTO_ESP);
	assert_int_equal(n.spi_size, 4);
	assert_true(n.spi == 0xdeadbeef);
	assert_int_equal(n.type, IKEV2_N_TS_UNACCEPTABLE);
	assert_memory_equal(n.data.p, "hello", 5);

	assert_int_equal(ike_pl_notify_parse(m.pl[2].body, &n, &err), 0);
	assert_int_equal(ike_notify_nat_d(&n, &h, &err), 0);
	assert_memory_equal(h, natd, 20);
	assert_ptr_equal(ike_msg_find_notify(&m, IKEV2_N_NAT_DETECTION_DESTINATION_IP), &m.pl[2]);
	/* A typed accessor on the wrong notify says so. */
	assert_int_equal(ike_notify_cookie(&n, &cv, &err), IG_EINVAL);
	assert_string_equal(err.msg, "N payload: type NAT_DETECTION_DESTINATION_IP, not COOKIE");

	assert_int_equal(
		ike_pl_notify_parse(ike_msg_find_notify(&m, IKEV2_N_COOKIE)->body, &n, &err), 0);
	assert_int_equal(ike_notify_cookie(&n, &cv, &err), 0);
	assert_int_equal(cv.len, 64);
	assert_memory_equal(cv.p, cookie, 64);

	assert_int_equal(ike_pl_notify_parse(m.pl[4].body, &n, &err), 0);
	assert_int_equal(ike_notify_invalid_ke(&n, &group, &err), 0);
	assert_int_equal(group, ALG_DH_ECP_256);

	assert_int_equal(ike_pl_notify_parse(m.pl[5].body, &n, &err), 0);
	assert_int_equal(ike_notify_rekey_sa(&n, &proto, &spi, &err), 0);
	assert_int_equal(proto, IKEV2_PROTO_ESP);
	assert_int_equal(spi, 0x01020304);

	assert_int_equal(ike_pl_notify_parse(m.pl[6].body, &n, &err), 0);
	assert_int_equal(ike_notify_sig_hashes(&n, got, &count, &err), 0);
	assert_int_equal(count, 4);
	assert_memory_equal(got, hashes, sizeof(hashes));

	assert_int_equal(ike_pl_notify_parse(m.pl[7].body, &n, &err), 0);
	assert_int_equal(n.type, IKEV2_N_INITIAL_CONTACT);
	assert_int_equal(n.data.len, 0);
	assert_null(ike_msg_find_notify(&m, IKEV2_N_REDIRECT));
}

static void test_delete(void **state)
{
	static const uint32_t spis[3] = {0x11111111, 0x22222222, 0x33333333};
	struct ike_parse_err err;
	struct ike_delete d;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;

	start(&b, &w);
	assert_int_equal(ike_bld_delete(&b, IKEV2_PROTO_IKE, NULL, 0), 0);
	assert_int_equal(ike_bld_delete(&b, IKEV2_PROTO_ESP, spis, 3), 0);
	assert_int_equal(ike_bld_delete(&b, IKEV2_PROTO_IKE, spis, 1), IG_EINVAL);
	assert_int_equal(ike_bld_delete(&b, IKEV2_PROTO_ESP, spis, 0), IG_EINVAL);
	parse_chain(&b, &m);
	assert_int_equal(ike_pl_delete_parse(m.pl[0].body, &d, &err), 0);
	assert_int_equal(d.proto, IKEV2_PROTO_IKE);
	assert_int_equal(d.nspi, 0);
	assert_int_equal(ike_delete_spi(&d, 0), 0);
	assert_int_equal(ike_pl_delete_parse(m.pl[1].body, &d, &err), 0);
	assert_int_equal(d.proto, IKEV2_PROTO_ESP);
	assert_int_equal(d.nspi, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(ike_delete_spi(&d, i), spis[i]);
	assert_int_equal(ike_delete_spi(&d, 3), 0);
}

static struct ike_ts ts_of(const char *a, const char *z, uint8_t proto, uint16_t sp, uint16_t ep)
{
	struct ike_ts t = {.proto = proto, .start_port = sp, .end_port = ep};

	assert_int_equal(addr_parse(a, &t.start), 0);
	assert_int_equal(addr_parse(z, &t.end), 0);
	t.type = t.start.family == AF_INET ? IKEV2_TS_IPV4_ADDR_RANGE : IKEV2_TS_IPV6_ADDR_RANGE;
	return t;
}

static void test_ts(void **state)
{
	struct ike_ts ts[4] = {
		ts_of("10.1.0.0", "10.1.0.255", 0, 0, 65535),
		ts_of("2001:db8::", "2001:db8::ffff", 6, 443, 443),
		ts_of("192.0.2.7", "192.0.2.7", 17, 65535, 0),		/* OPAQUE ports */
		ts_of("0.0.0.0", "255.255.255.255", 1, 0x0800, 0x08ff), /* ICMP echo */
	};
	struct ike_ts bad = ts_of("10.0.0.9", "10.0.0.1", 0, 0, 65535);
	struct ike_parse_err err;
	struct ike_ts_pl tsl;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;

	start(&b, &w);
	assert_int_equal(ike_bld_ts(&b, IKEV2_PL_TSI, ts, 4), 0);
	assert_int_equal(ike_bld_ts(&b, IKEV2_PL_TSR, ts, 1), 0);
	assert_int_equal(ike_bld_ts(&b, IKEV2_PL_TSR, &bad, 1), IG_EINVAL);
	assert_int_equal(ike_bld_ts(&b, IKEV2_PL_TSR, ts, 0), IG_EINVAL);
	parse_chain(&b, &m);
	assert_int_equal(m.npl, 2);
	assert_int_equal(ike_pl_ts_parse(m.pl[0].body, &tsl, &err), 0);
	assert_int_equal(tsl.count, 4);
	assert_int_equal(tsl.skipped, 0);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(tsl.ts[i].type, ts[i].type);
		assert_int_equal(tsl.ts[i].proto, ts[i].proto);
		assert_int_equal(tsl.ts[i].start_port, ts[i].start_port);
		assert_int_equal(tsl.ts[i].end_port, ts[i].end_port);
		assert_true(addr_eq(&tsl.ts[i].start, &ts[i].start));
		assert_true(addr_eq(&tsl.ts[i].end, &ts[i].end));
	}
	assert_int_equal(m.pl[1].type, IKEV2_PL_TSR);
	assert_int_equal(ike_pl_ts_parse(m.pl[1].body, &tsl, &err), 0);
	assert_int_equal(tsl.count, 1);
}

/* Selectors of types we do not handle are skipped, not refused. */
static void test_ts_unknown_type(void **state)
{
	uint8_t body[64];
	struct ike_parse_err err;
	struct ike_ts_pl tsl;
	int n = buf_unhex("02 000000  0a 00 0008 00000001"
			  "07 06 0010 0000 ffff c0000200 c00002ff",
			  body, sizeof(body));

	assert_int_equal(ike_pl_ts_parse((struct ike_view){body, (size_t)n}, &tsl, &err), 0);
	assert_int_equal(tsl.count, 1);
	assert_int_equal(tsl.skipped, 1);
	assert_int_equal(tsl.ts[0].proto, 6);
}

static void test_cp(void **state)
{
	static const uint8_t ip[4] = {10, 9, 0, 1};
	struct ike_cp cp = {.type = IKEV2_CFG_REPLY, .nattr = 3}, back;
	struct ike_parse_err err;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;

	cp.attr[0] = (struct ike_cp_attr){IKEV2_CFG_ATTR_INTERNAL_IP4_ADDRESS, {ip, 4}};
	cp.attr[1] = (struct ike_cp_attr){IKEV2_CFG_ATTR_INTERNAL_IP4_DNS, {ip, 4}};
	cp.attr[2] = (struct ike_cp_attr){IKEV2_CFG_ATTR_INTERNAL_IP6_ADDRESS, {NULL, 0}};
	start(&b, &w);
	assert_int_equal(ike_bld_cp(&b, &cp), 0);
	parse_chain(&b, &m);
	assert_int_equal(ike_pl_cp_parse(m.pl[0].body, &back, &err), 0);
	assert_int_equal(back.type, IKEV2_CFG_REPLY);
	assert_int_equal(back.nattr, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(back.attr[i].type, cp.attr[i].type);
		assert_int_equal(back.attr[i].value.len, cp.attr[i].value.len);
	}
	assert_memory_equal(back.attr[0].value.p, ip, 4);
}

/* IKE_SA_INIT request as strongSwan sends it (RFC 7296 1.2, RFC 7383, RFC 7427). */
static void test_sa_init_request(void **state)
{
	static const uint16_t hashes[] = {2, 3, 4};
	struct ike_hdr h = {.spi_i = 0xa1b2c3d4e5f60718ull,
			    .exchange = IKEV2_EXCH_IKE_SA_INIT,
			    .flags = IKEV2_FLAG_INITIATOR};
	uint8_t pub[128], nonce[32], src[20], dst[20];
	static const uint8_t want_order[] = {IKEV2_PL_SA,     IKEV2_PL_KE,     IKEV2_PL_NONCE,
					     IKEV2_PL_NOTIFY, IKEV2_PL_NOTIFY, IKEV2_PL_NOTIFY,
					     IKEV2_PL_NOTIFY};
	struct ike_ke ke = {.group = ALG_DH_MODP_1024, .data = {pub, sizeof(pub)}};
	struct ike_sa_pl sa = {.nprop = 1}, sa2;
	struct ike_parse_err err = {.msg = ""};
	struct ike_notify n;
	const uint8_t *hash;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;
	size_t len;

	fill(pub, sizeof(pub), 1);
	fill(nonce, sizeof(nonce), 2);
	fill(src, sizeof(src), 3);
	fill(dst, sizeof(dst), 4);
	sa.prop[0] = (struct ike_proposal){.num = 1, .proto = IKEV2_PROTO_IKE, .nxf = 4};
	sa.prop[0].xf[0] = xf(IKEV2_XFORM_ENCR, ALG_ENCR_AES_CBC, 256);
	sa.prop[0].xf[1] = xf(IKEV2_XFORM_INTEG, ALG_INTEG_HMAC_SHA2_256_128, 0);
	sa.prop[0].xf[2] = xf(IKEV2_XFORM_PRF, ALG_PRF_HMAC_SHA2_256, 0);
	sa.prop[0].xf[3] = xf(IKEV2_XFORM_DH, ALG_DH_MODP_1024, 0);

	buf_wr_init(&w, buf, sizeof(buf));
	assert_int_equal(ike_bld_init(&b, &w, &h), 0);
	assert_int_equal(ike_bld_sa(&b, &sa), 0);
	assert_int_equal(ike_bld_ke(&b, &ke), 0);
	assert_int_equal(ike_bld_nonce(&b, nonce, sizeof(nonce)), 0);
	assert_int_equal(ike_bld_notify_nat_d(&b, IKEV2_N_NAT_DETECTION_SOURCE_IP, src), 0);
	assert_int_equal(ike_bld_notify_nat_d(&b, IKEV2_N_NAT_DETECTION_DESTINATION_IP, dst), 0);
	assert_int_equal(ike_bld_notify_simple(&b, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0),
			 0);
	assert_int_equal(ike_bld_notify_sig_hashes(&b, hashes, 3), 0);
	assert_int_equal(ike_bld_end(&b, &len, NULL), 0);
	assert_int_equal(len, buf_wr_len(&w));

	if (ike_msg_parse(buf, len, &m, &err) != 0)
		fail_msg("%s", err.msg);
	assert_true(m.hdr.spi_i == h.spi_i);
	assert_true(m.hdr.spi_r == 0);
	assert_int_equal(m.hdr.major, 2);
	assert_int_equal(m.hdr.minor, 0);
	assert_int_equal(m.hdr.length, len);
	assert_int_equal(m.hdr.next, IKEV2_PL_SA);
	assert_true(ike_hdr_from_initiator(&m.hdr));
	assert_false(ike_hdr_is_response(&m.hdr));
	assert_false(m.has_sk);
	assert_int_equal(m.npl, sizeof(want_order));
	for (size_t i = 0; i < m.npl; i++) {
		assert_int_equal(m.pl[i].type, want_order[i]);
		assert_false(m.pl[i].inner);
	}
	assert_int_equal(m.nnotify, 4);
	assert_int_equal(ike_pl_sa_parse(ike_msg_find(&m, IKEV2_PL_SA, NULL)->body, &sa2, &err), 0);
	assert_int_equal(sa2.prop[0].xf[0].keylen, 256);
	assert_int_equal(
		ike_pl_notify_parse(ike_msg_find_notify(&m, IKEV2_N_NAT_DETECTION_SOURCE_IP)->body,
				    &n, &err),
		0);
	assert_int_equal(ike_notify_nat_d(&n, &hash, &err), 0);
	assert_memory_equal(hash, src, 20);
	assert_non_null(ike_msg_find_notify(&m, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED));
	assert_non_null(ike_msg_find_notify(&m, IKEV2_N_SIGNATURE_HASH_ALGORITHMS));
	/* ike_msg_find walks on from a previous hit. */
	{
		const struct ike_pl *p = NULL;
		size_t k = 0;

		while ((p = ike_msg_find(&m, IKEV2_PL_NOTIFY, p)) != NULL)
			k++;
		assert_int_equal(k, 4);
	}
}

/*
 * IKE_AUTH request: inner chain IDi/AUTH/SA/TSi/TSr/N(INITIAL_CONTACT) built
 * bare, wrapped in SK (here "encrypted" by a plain copy between a fake IV and
 * ICV), parsed, then the plaintext parsed as the decrypted chain.
 */
static void test_ike_auth(void **state)
{
	static const uint8_t v4[4] = {192, 0, 2, 1};
	enum { IV = 16, ICV = 16 };
	uint8_t plain[1024], mac[32], *body;
	struct ike_hdr h = {.spi_i = 1,
			    .spi_r = 2,
			    .exchange = IKEV2_EXCH_IKE_AUTH,
			    .flags = IKEV2_FLAG_INITIATOR,
			    .msg_id = 1};
	struct ike_id id = {.type = IKEV2_ID_IPV4_ADDR, .data = {v4, 4}}, id2;
	struct ike_auth auth = {.method = IKEV2_AUTH_SHARED_KEY, .data = {mac, 32}};
	struct ike_ts tsi = ts_of("10.1.0.0", "10.1.0.255", 0, 0, 65535);
	struct ike_ts tsr = ts_of("10.2.0.0", "10.2.0.255", 0, 0, 65535);
	struct ike_sa_pl sa = {.nprop = 1};
	static const uint8_t want[] = {IKEV2_PL_IDI, IKEV2_PL_AUTH, IKEV2_PL_SA,
				       IKEV2_PL_TSI, IKEV2_PL_TSR,  IKEV2_PL_NOTIFY};
	struct ike_parse_err err = {.msg = ""};
	struct ike_bld b;
	struct buf_wr w, pw;
	struct ike_msg m;
	size_t plen, len, iv_off;
	uint8_t first;

	fill(mac, sizeof(mac), 6);
	sa.prop[0] = (struct ike_proposal){
		.num = 1, .proto = IKEV2_PROTO_ESP, .spi_size = 4, .spi = 0xc1c2c3c4, .nxf = 3};
	sa.prop[0].xf[0] = xf(IKEV2_XFORM_ENCR, ALG_ENCR_AES_CBC, 256);
	sa.prop[0].xf[1] = xf(IKEV2_XFORM_INTEG, ALG_INTEG_HMAC_SHA2_256_128, 0);
	sa.prop[0].xf[2] = xf(IKEV2_XFORM_ESN, ALG_ESN_NO, 0);

	buf_wr_init(&pw, plain, sizeof(plain));
	assert_int_equal(ike_bld_init_inner(&b, &pw), 0);
	assert_int_equal(ike_bld_id(&b, IKEV2_PL_IDI, &id), 0);
	assert_int_equal(ike_bld_auth(&b, &auth), 0);
	assert_int_equal(ike_bld_sa(&b, &sa), 0);
	assert_int_equal(ike_bld_ts(&b, IKEV2_PL_TSI, &tsi, 1), 0);
	assert_int_equal(ike_bld_ts(&b, IKEV2_PL_TSR, &tsr, 1), 0);
	assert_int_equal(ike_bld_notify_simple(&b, IKEV2_N_INITIAL_CONTACT, NULL, 0), 0);
	/* SK cannot nest. */
	assert_int_equal(ike_bld_sk(&b, 0, 8, &body, NULL), IG_ESTATE);
	assert_int_equal(ike_bld_end(&b, &plen, &first), 0);
	assert_int_equal(first, IKEV2_PL_IDI);

	buf_wr_init(&w, buf, sizeof(buf));
	assert_int_equal(ike_bld_init(&b, &w, &h), 0);
	assert_int_equal(ike_bld_sk(&b, first, IV + plen + ICV, &body, &iv_off), 0);
	assert_int_equal(ike_bld_vendor(&b, mac, 4), IG_ESTATE); /* SK stays last */
	assert_int_equal(ike_bld_end(&b, &len, NULL), 0);
	assert_int_equal(iv_off, IKEV2_HDR_LEN + IKEV2_GEN_HDR_LEN);
	assert_int_equal(len, iv_off + IV + plen + ICV);
	memset(body, 0xee, IV);
	memcpy(body + IV, plain, plen);
	memset(body + IV + plen, 0x1c, ICV);

	if (ike_msg_parse(buf, len, &m, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(m.hdr.exchange, IKEV2_EXCH_IKE_AUTH);
	assert_int_equal(m.hdr.msg_id, 1);
	assert_true(m.has_sk);
	assert_false(m.frag);
	assert_int_equal(m.sk_next, IKEV2_PL_IDI);
	assert_int_equal(m.sk_iv_off, iv_off);
	assert_ptr_equal(m.sk.p, buf + iv_off);
	assert_int_equal(m.sk.len, IV + plen + ICV);
	assert_int_equal(m.npl, 1);
	assert_int_equal(m.pl[0].type, IKEV2_PL_SK);

	if (ike_msg_parse_inner(m.sk_next, m.sk.p + IV, m.sk.len - IV - ICV, &m, &err) != 0)
		fail_msg("%s", err.msg);
	assert_true(m.decrypted);
	assert_int_equal(m.npl, 1 + sizeof(want));
	for (size_t i = 0; i < sizeof(want); i++) {
		assert_int_equal(m.pl[1 + i].type, want[i]);
		assert_true(m.pl[1 + i].inner);
	}
	assert_int_equal(ike_pl_id_parse(ike_msg_find(&m, IKEV2_PL_IDI, NULL)->body, &id2, &err),
			 0);
	assert_memory_equal(id2.data.p, v4, 4);
	assert_non_null(ike_msg_find_notify(&m, IKEV2_N_INITIAL_CONTACT));
	assert_null(ike_msg_find(&m, IKEV2_PL_IDR, NULL));
}

/* RFC 7383: SKF carries fragment number and total before the IV. */
static void test_skf(void **state)
{
	struct ike_hdr h = {.spi_i = 1,
			    .spi_r = 2,
			    .exchange = IKEV2_EXCH_IKE_AUTH,
			    .flags = IKEV2_FLAG_RESPONSE,
			    .msg_id = 1};
	struct ike_parse_err err = {.msg = ""};
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;
	size_t len, iv_off;
	uint8_t *body;

	buf_wr_init(&w, buf, sizeof(buf));
	assert_int_equal(ike_bld_init(&b, &w, &h), 0);
	assert_int_equal(ike_bld_skf(&b, 0, 3, 2, 40, &body, &iv_off), IG_EINVAL);
	assert_int_equal(ike_bld_skf(&b, 0, 2, 3, 40, &body, &iv_off), 0);
	assert_int_equal(ike_bld_end(&b, &len, NULL), 0);
	memset(body, 0x55, 40);
	assert_int_equal(iv_off, IKEV2_HDR_LEN + IKEV2_GEN_HDR_LEN + IKEV2_SKF_HDR_LEN);
	if (ike_msg_parse(buf, len, &m, &err) != 0)
		fail_msg("%s", err.msg);
	assert_true(ike_hdr_is_response(&m.hdr));
	assert_true(m.frag);
	assert_int_equal(m.frag_num, 2);
	assert_int_equal(m.frag_total, 3);
	assert_int_equal(m.sk_next, 0);
	assert_int_equal(m.sk_iv_off, iv_off);
	assert_int_equal(m.sk.len, 40);
	assert_int_equal(m.pl[0].type, IKEV2_PL_SKF);
}

static void test_builder_limits(void **state)
{
	struct ike_hdr h = {.spi_i = 1, .exchange = IKEV2_EXCH_IKE_SA_INIT};
	uint8_t small[40], nonce[16] = {0};
	struct ike_bld b;
	struct buf_wr w;
	uint8_t *body;

	buf_wr_init(&w, small, sizeof(small));
	assert_int_equal(ike_bld_init(&b, &w, &h), 0);
	assert_int_equal(ike_bld_vendor(&b, nonce, 4), 0);
	assert_int_equal(ike_bld_nonce(&b, nonce, 16), IG_ENOSPC);
	/* The failed payload was taken out: the message ends after V. */
	{
		struct ike_msg m;
		size_t len;

		assert_int_equal(ike_bld_end(&b, &len, NULL), 0);
		assert_int_equal(len, IKEV2_HDR_LEN + 8);
		assert_int_equal(ike_msg_parse(small, len, &m, NULL), 0);
		assert_int_equal(m.npl, 1);
		assert_int_equal(m.pl[0].type, IKEV2_PL_VENDOR);
	}
	buf_wr_init(&w, small, 20);
	assert_int_equal(ike_bld_init(&b, &w, &h), IG_ENOSPC);
	/* A payload body over 65535 bytes does not fit its length field. */
	buf_wr_init(&w, buf, sizeof(buf));
	assert_int_equal(ike_bld_init(&b, &w, &h), 0);
	{
		static uint8_t big[70000], src[65536];
		struct buf_wr bw;

		buf_wr_init(&bw, big, sizeof(big));
		assert_int_equal(ike_bld_init_inner(&b, &bw), 0);
		assert_int_equal(ike_bld_raw(&b, IKEV2_PL_VENDOR, false, src, 65531), 0);
		buf_wr_init(&bw, big, sizeof(big));
		assert_int_equal(ike_bld_init_inner(&b, &bw), 0);
		assert_int_equal(ike_bld_raw(&b, IKEV2_PL_VENDOR, false, src, 65532), IG_EINVAL);
		assert_int_equal(ike_bld_sk(&b, 0, 4, &body, NULL), IG_ESTATE);
	}
}

/* A raw critical payload round-trips its C bit. */
static void test_critical_bit(void **state)
{
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;
	uint8_t vid[3] = {1, 2, 3};

	start(&b, &w);
	assert_int_equal(ike_bld_raw(&b, IKEV2_PL_VENDOR, true, vid, 3), 0);
	assert_int_equal(ike_bld_raw(&b, 200, false, vid, 3), 0); /* unknown: skipped */
	assert_int_equal(ike_bld_vendor(&b, vid, 3), 0);
	parse_chain(&b, &m);
	assert_int_equal(m.npl, 2);
	assert_int_equal(m.nskipped, 1);
	assert_true(m.pl[0].critical);
	assert_false(m.pl[1].critical);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa),
		cmocka_unit_test(test_sa_unknown_attribute),
		cmocka_unit_test(test_ke_nonce_vendor),
		cmocka_unit_test(test_id_auth_cert),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_ts),
		cmocka_unit_test(test_ts_unknown_type),
		cmocka_unit_test(test_cp),
		cmocka_unit_test(test_sa_init_request),
		cmocka_unit_test(test_ike_auth),
		cmocka_unit_test(test_skf),
		cmocka_unit_test(test_builder_limits),
		cmocka_unit_test(test_critical_bit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
