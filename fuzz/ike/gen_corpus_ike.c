/* SPDX-License-Identifier: MIT */
/*
 * Writes the seed corpus of fuzz_ike_msg: messages shaped like the real
 * exchanges, made by our builder. Run from the source root:
 *   ./build-fuzz/fuzz/ike/gen_corpus_ike fuzz/corpus/fuzz_ike_msg
 * (the strongSwan capture, tests/data/ike/strongswan_sa_init.bin, is copied
 * in beside them by hand). SK bodies hold their inner chain in the clear, so
 * the fuzzer's "walk the SK body as plaintext" path starts from real chains.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/alg.h"
#include "ike/ike_build.h"
#include "ike/ike_msg.h"
#include "lib/addr.h"
#include "lib/buf.h"

static const char *dir;

/* Writes one seed, after checking that it parses (and its SK body as a chain). */
static int save(const char *name, const uint8_t *p, size_t n)
{
	struct ike_parse_err err;
	struct ike_msg m;
	char path[512];
	FILE *f;

	if (ike_msg_parse(p, n, &m, &err) != 0 ||
	    (m.has_sk &&
	     ike_msg_parse_inner(m.sk_next, m.sk.p + 16, m.sk.len - 32, &m, &err) != 0)) {
		fprintf(stderr, "%s: %s\n", name, err.msg);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "wb")) || fwrite(p, 1, n, f) != n) {
		perror(path);
		return 1;
	}
	return fclose(f) != 0;
}

static void ike_sa(struct ike_sa_pl *sa, uint8_t proto, uint8_t spi_size, uint64_t spi)
{
	memset(sa, 0, sizeof(*sa));
	sa->nprop = 2;
	sa->prop[0] = (struct ike_proposal){
		.num = 1, .proto = proto, .spi_size = spi_size, .spi = spi, .nxf = 4};
	sa->prop[0].xf[0] = (struct ike_xform){IKEV2_XFORM_ENCR, ALG_ENCR_AES_CBC, 256, false};
	sa->prop[0].xf[1] =
		(struct ike_xform){IKEV2_XFORM_INTEG, ALG_INTEG_HMAC_SHA2_256_128, 0, false};
	if (proto == IKEV2_PROTO_IKE) {
		sa->prop[0].xf[2] =
			(struct ike_xform){IKEV2_XFORM_PRF, ALG_PRF_HMAC_SHA2_256, 0, false};
		sa->prop[0].xf[3] = (struct ike_xform){IKEV2_XFORM_DH, ALG_DH_MODP_1024, 0, false};
	} else {
		sa->prop[0].xf[2] = (struct ike_xform){IKEV2_XFORM_DH, ALG_DH_MODP_1024, 0, false};
		sa->prop[0].xf[3] = (struct ike_xform){IKEV2_XFORM_ESN, ALG_ESN_NO, 0, false};
	}
	sa->prop[1] = (struct ike_proposal){
		.num = 2, .proto = proto, .spi_size = spi_size, .spi = spi, .nxf = 2};
	sa->prop[1].xf[0] = (struct ike_xform){IKEV2_XFORM_ENCR, ALG_ENCR_AES_GCM_16, 128, false};
	sa->prop[1].xf[1] = (struct ike_xform){IKEV2_XFORM_DH, ALG_DH_CURVE25519, 0, false};
}

static struct ike_ts ts_of(const char *a, const char *z)
{
	struct ike_ts t = {.end_port = 65535};

	addr_parse(a, &t.start);
	addr_parse(z, &t.end);
	return t;
}

/* Header + SK whose body is IV(16) | inner chain | ICV(16), unencrypted. */
static int with_sk(const char *name, uint8_t exch, uint32_t msg_id, const uint8_t *inner,
		   size_t ilen, uint8_t first)
{
	static uint8_t msg[8192];
	struct ike_hdr h = {.spi_i = 0x1111111111111111ull,
			    .spi_r = 0x2222222222222222ull,
			    .exchange = exch,
			    .flags = IKEV2_FLAG_INITIATOR,
			    .msg_id = msg_id};
	struct ike_bld b;
	struct buf_wr w;
	uint8_t *body;
	size_t len;

	buf_wr_init(&w, msg, sizeof(msg));
	if (ike_bld_init(&b, &w, &h) || ike_bld_sk(&b, first, 16 + ilen + 16, &body, NULL) ||
	    ike_bld_end(&b, &len, NULL))
		return 1;
	memset(body, 0xa5, 16);
	memcpy(body + 16, inner, ilen);
	memset(body + 16 + ilen, 0x5a, 16);
	return save(name, msg, len);
}

int main(int argc, char **argv)
{
	static uint8_t msg[8192], inner[4096];
	static const uint8_t v4[4] = {192, 0, 2, 1}, nonce[32] = {1, 2, 3}, cookie[16] = {9};
	static const uint16_t hashes[] = {2, 3, 4};
	static const uint32_t spis[] = {0xc0010001, 0xc0010002};
	uint8_t pub[128] = {7}, natd[20] = {5}, mac[32] = {6};
	struct ike_hdr h = {.spi_i = 0x0102030405060708ull,
			    .exchange = IKEV2_EXCH_IKE_SA_INIT,
			    .flags = IKEV2_FLAG_INITIATOR};
	struct ike_ke ke = {ALG_DH_MODP_1024, {pub, sizeof(pub)}};
	struct ike_id id = {IKEV2_ID_IPV4_ADDR, {v4, 4}, {NULL, 0}};
	struct ike_auth auth = {IKEV2_AUTH_SHARED_KEY, {mac, sizeof(mac)}};
	struct ike_ts tsi = ts_of("10.1.0.0", "10.1.0.255"),
		      tsr = ts_of("2001:db8::", "2001:db8::ff");
	struct ike_cp cp = {.type = IKEV2_CFG_REQUEST, .nattr = 1};
	struct ike_cert certreq = {4, {mac, 20}};
	struct ike_sa_pl sa;
	struct ike_bld b;
	struct buf_wr w;
	uint8_t first;
	size_t len;
	int r = 0;

	if (argc != 2)
		return 2;
	dir = argv[1];
	cp.attr[0] = (struct ike_cp_attr){IKEV2_CFG_ATTR_INTERNAL_IP4_ADDRESS, {NULL, 0}};

	/* IKE_SA_INIT request. */
	ike_sa(&sa, IKEV2_PROTO_IKE, 0, 0);
	buf_wr_init(&w, msg, sizeof(msg));
	r |= ike_bld_init(&b, &w, &h) || ike_bld_sa(&b, &sa) || ike_bld_ke(&b, &ke) ||
	     ike_bld_nonce(&b, nonce, sizeof(nonce)) ||
	     ike_bld_notify_nat_d(&b, IKEV2_N_NAT_DETECTION_SOURCE_IP, natd) ||
	     ike_bld_notify_nat_d(&b, IKEV2_N_NAT_DETECTION_DESTINATION_IP, natd) ||
	     ike_bld_notify_simple(&b, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0) ||
	     ike_bld_notify_sig_hashes(&b, hashes, 3) || ike_bld_vendor(&b, mac, 16) ||
	     ike_bld_end(&b, &len, NULL) || save("sa_init_req", msg, len);

	/* IKE_SA_INIT responses: with CERTREQ, COOKIE, INVALID_KE. */
	h.flags = IKEV2_FLAG_RESPONSE;
	h.spi_r = 0x0807060504030201ull;
	sa.nprop = 1;
	buf_wr_init(&w, msg, sizeof(msg));
	r |= ike_bld_init(&b, &w, &h) || ike_bld_sa(&b, &sa) || ike_bld_ke(&b, &ke) ||
	     ike_bld_nonce(&b, nonce, sizeof(nonce)) ||
	     ike_bld_cert(&b, IKEV2_PL_CERTREQ, &certreq) || ike_bld_end(&b, &len, NULL) ||
	     save("sa_init_resp", msg, len);
	h.spi_r = 0;
	buf_wr_init(&w, msg, sizeof(msg));
	r |= ike_bld_init(&b, &w, &h) || ike_bld_notify_cookie(&b, cookie, sizeof(cookie)) ||
	     ike_bld_end(&b, &len, NULL) || save("sa_init_cookie", msg, len);
	buf_wr_init(&w, msg, sizeof(msg));
	r |= ike_bld_init(&b, &w, &h) || ike_bld_notify_invalid_ke(&b, ALG_DH_ECP_256) ||
	     ike_bld_end(&b, &len, NULL) || save("sa_init_invalid_ke", msg, len);

	/* IKE_AUTH request: IDi/AUTH/SA/TSi/TSr/N(INITIAL_CONTACT)/CP inside SK. */
	ike_sa(&sa, IKEV2_PROTO_ESP, 4, 0xc1c2c3c4);
	buf_wr_init(&w, inner, sizeof(inner));
	r |= ike_bld_init_inner(&b, &w) || ike_bld_id(&b, IKEV2_PL_IDI, &id) ||
	     ike_bld_auth(&b, &auth) || ike_bld_sa(&b, &sa) ||
	     ike_bld_ts(&b, IKEV2_PL_TSI, &tsi, 1) || ike_bld_ts(&b, IKEV2_PL_TSR, &tsr, 1) ||
	     ike_bld_notify_simple(&b, IKEV2_N_INITIAL_CONTACT, NULL, 0) || ike_bld_cp(&b, &cp) ||
	     ike_bld_end(&b, &len, &first) ||
	     with_sk("ike_auth_req", IKEV2_EXCH_IKE_AUTH, 1, inner, len, first);

	/* CREATE_CHILD_SA rekey: N(REKEY_SA)/SA/Ni/KE/TSi/TSr. */
	buf_wr_init(&w, inner, sizeof(inner));
	r |= ike_bld_init_inner(&b, &w) || ike_bld_notify_rekey_sa(&b, IKEV2_PROTO_ESP, spis[0]) ||
	     ike_bld_sa(&b, &sa) || ike_bld_nonce(&b, nonce, sizeof(nonce)) ||
	     ike_bld_ke(&b, &ke) || ike_bld_ts(&b, IKEV2_PL_TSI, &tsi, 1) ||
	     ike_bld_ts(&b, IKEV2_PL_TSR, &tsr, 1) || ike_bld_end(&b, &len, &first) ||
	     with_sk("create_child_rekey", IKEV2_EXCH_CREATE_CHILD_SA, 2, inner, len, first);

	/* INFORMATIONAL: Delete of two ESP SAs, and an empty one (DPD). */
	buf_wr_init(&w, inner, sizeof(inner));
	r |= ike_bld_init_inner(&b, &w) || ike_bld_delete(&b, IKEV2_PROTO_ESP, spis, 2) ||
	     ike_bld_delete(&b, IKEV2_PROTO_IKE, NULL, 0) || ike_bld_end(&b, &len, &first) ||
	     with_sk("info_delete", IKEV2_EXCH_INFORMATIONAL, 3, inner, len, first);
	r |= with_sk("info_empty", IKEV2_EXCH_INFORMATIONAL, 4, inner, 0, IKEV2_PL_NONE);
	return r;
}
