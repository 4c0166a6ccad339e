/* SPDX-License-Identifier: MIT */
/*
 * A real IKE_SA_INIT request from strongSwan 5.9.8 (tests/data/ike/
 * strongswan_sa_init.bin, made by capture_strongswan.sh beside it with
 * proposals aes256-sha256-modp1024 and aes256gcm16-prfsha384-ecp384-curve25519):
 * parsed field by field, rebuilt byte for byte from the parsed structs, and
 * every truncation of it refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/alg.h"
#include "ike/ike_build.h"
#include "ike/ike_msg.h"
#include "ike/ikev2_wire.h"
#include "lib/buf.h"
#include "lib/err.h"

static uint8_t pkt[2048];
static size_t pkt_len;

static int load(void **state)
{
	const char *dir = getenv("IPSECGW_TEST_DATA");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/ike/strongswan_sa_init.bin", dir ? dir : "tests/data");
	if (!(f = fopen(path, "rb"))) {
		print_error("cannot open %s\n", path);
		return -1;
	}
	pkt_len = fread(pkt, 1, sizeof(pkt), f);
	fclose(f);
	return pkt_len == 380 ? 0 : -1;
}

static void parse_ok(struct ike_msg *m)
{
	struct ike_parse_err err = {.msg = ""};

	if (ike_msg_parse(pkt, pkt_len, m, &err) != 0)
		fail_msg("%s", err.msg);
}

static void test_header_and_order(void **state)
{
	static const uint8_t order[] = {IKEV2_PL_SA,	 IKEV2_PL_KE,	  IKEV2_PL_NONCE,
					IKEV2_PL_NOTIFY, IKEV2_PL_NOTIFY, IKEV2_PL_NOTIFY,
					IKEV2_PL_NOTIFY, IKEV2_PL_NOTIFY};
	static const uint16_t notifies[] = {
		IKEV2_N_NAT_DETECTION_SOURCE_IP, IKEV2_N_NAT_DETECTION_DESTINATION_IP,
		IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, IKEV2_N_SIGNATURE_HASH_ALGORITHMS,
		IKEV2_N_REDIRECT_SUPPORTED};
	struct ike_msg m;

	parse_ok(&m);
	assert_true(m.hdr.spi_i == 0x657ba0080c0c513eull);
	assert_true(m.hdr.spi_r == 0);
	assert_int_equal(m.hdr.exchange, IKEV2_EXCH_IKE_SA_INIT);
	assert_int_equal(m.hdr.flags, IKEV2_FLAG_INITIATOR);
	assert_int_equal(m.hdr.msg_id, 0);
	assert_int_equal(m.hdr.length, 380);
	assert_int_equal(m.npl, sizeof(order));
	assert_int_equal(m.nskipped, 0);
	for (size_t i = 0; i < sizeof(order); i++)
		assert_int_equal(m.pl[i].type, order[i]);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(m.pl[3 + i].notify, notifies[i]);
}

static void test_payloads(void **state)
{
	struct ike_parse_err err;
	struct ike_sa_pl sa;
	struct ike_ke ke;
	struct ike_nonce n;
	struct ike_notify no;
	const uint8_t *hash;
	uint16_t hashes[IKE_MAX_SIG_HASHES];
	size_t count;
	struct ike_msg m;

	parse_ok(&m);
	assert_int_equal(ike_pl_sa_parse(m.pl[0].body, &sa, &err), 0);
	assert_int_equal(sa.nprop, 2);
	/* aes256-sha256-modp1024 */
	assert_int_equal(sa.prop[0].num, 1);
	assert_int_equal(sa.prop[0].proto, IKEV2_PROTO_IKE);
	assert_int_equal(sa.prop[0].spi_size, 0);
	assert_int_equal(sa.prop[0].nxf, 4);
	assert_int_equal(sa.prop[0].xf[0].type, IKEV2_XFORM_ENCR);
	assert_int_equal(sa.prop[0].xf[0].id, ALG_ENCR_AES_CBC);
	assert_int_equal(sa.prop[0].xf[0].keylen, 256);
	assert_int_equal(sa.prop[0].xf[1].type, IKEV2_XFORM_INTEG);
	assert_int_equal(sa.prop[0].xf[1].id, ALG_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(sa.prop[0].xf[2].type, IKEV2_XFORM_PRF);
	assert_int_equal(sa.prop[0].xf[2].id, ALG_PRF_HMAC_SHA2_256);
	assert_int_equal(sa.prop[0].xf[3].type, IKEV2_XFORM_DH);
	assert_int_equal(sa.prop[0].xf[3].id, ALG_DH_MODP_1024);
	/* aes256gcm16-prfsha384-ecp384-curve25519 */
	assert_int_equal(sa.prop[1].num, 2);
	assert_int_equal(sa.prop[1].nxf, 4);
	assert_int_equal(sa.prop[1].xf[0].id, ALG_ENCR_AES_GCM_16);
	assert_int_equal(sa.prop[1].xf[0].keylen, 256);
	assert_int_equal(sa.prop[1].xf[1].id, ALG_PRF_HMAC_SHA2_384);
	assert_int_equal(sa.prop[1].xf[2].id, ALG_DH_ECP_384);
	assert_int_equal(sa.prop[1].xf[3].id, ALG_DH_CURVE25519);
	for (size_t p = 0; p < 2; p++)
		for (size_t t = 0; t < 4; t++)
			assert_false(sa.prop[p].xf[t].unsupported);

	assert_int_equal(ike_pl_ke_parse(m.pl[1].body, &ke, &err), 0);
	assert_int_equal(ke.group, ALG_DH_MODP_1024);
	assert_int_equal(ke.data.len, 128);
	assert_int_equal(ike_pl_nonce_parse(m.pl[2].body, &n, &err), 0);
	assert_int_equal(n.data.len, 32);

	assert_int_equal(ike_pl_notify_parse(m.pl[3].body, &no, &err), 0);
	assert_int_equal(ike_notify_nat_d(&no, &hash, &err), 0);
	assert_int_equal(hash[0], 0x9c);
	assert_int_equal(ike_pl_notify_parse(m.pl[6].body, &no, &err), 0);
	assert_int_equal(ike_notify_sig_hashes(&no, hashes, &count, &err), 0);
	assert_int_equal(count, 4);
	assert_int_equal(hashes[0], IKEV2_HASH_SHA2_256);
	assert_int_equal(hashes[1], IKEV2_HASH_SHA2_384);
	assert_int_equal(hashes[2], IKEV2_HASH_SHA2_512);
	assert_int_equal(hashes[3], IKEV2_HASH_IDENTITY);
}

/* Our builder, fed what our parser read, says exactly what strongSwan said. */
static void test_rebuild_identical(void **state)
{
	static uint8_t out[2048];
	struct ike_parse_err err;
	struct ike_sa_pl sa;
	struct ike_ke ke;
	struct ike_nonce n;
	struct ike_notify no;
	struct ike_bld b;
	struct buf_wr w;
	struct ike_msg m;
	size_t len;

	parse_ok(&m);
	buf_wr_init(&w, out, sizeof(out));
	assert_int_equal(ike_bld_init(&b, &w, &m.hdr), 0);
	assert_int_equal(ike_pl_sa_parse(m.pl[0].body, &sa, &err), 0);
	assert_int_equal(ike_bld_sa(&b, &sa), 0);
	assert_int_equal(ike_pl_ke_parse(m.pl[1].body, &ke, &err), 0);
	assert_int_equal(ike_bld_ke(&b, &ke), 0);
	assert_int_equal(ike_pl_nonce_parse(m.pl[2].body, &n, &err), 0);
	assert_int_equal(ike_bld_nonce(&b, n.data.p, n.data.len), 0);
	for (size_t i = 3; i < m.npl; i++) {
		assert_int_equal(ike_pl_notify_parse(m.pl[i].body, &no, &err), 0);
		assert_int_equal(ike_bld_notify(&b, &no), 0);
	}
	assert_int_equal(ike_bld_end(&b, &len, NULL), 0);
	assert_int_equal(len, pkt_len);
	assert_memory_equal(out, pkt, pkt_len);
}

/* Cut anywhere, with the header length adjusted to match: always refused. */
static void test_every_truncation_refused(void **state)
{
	static uint8_t cut[2048];
	struct ike_msg m;

	for (size_t n = 0; n < pkt_len; n++) {
		int e;

		memcpy(cut, pkt, n);
		if (n >= IKEV2_HDR_LEN) {
			cut[24] = (uint8_t)(n >> 24);
			cut[25] = (uint8_t)(n >> 16);
			cut[26] = (uint8_t)(n >> 8);
			cut[27] = (uint8_t)n;
		}
		e = ike_msg_parse(cut, n, &m, NULL);
		if (e == 0)
			fail_msg("truncation to %zu bytes parsed", n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_and_order),
		cmocka_unit_test(test_payloads),
		cmocka_unit_test(test_rebuild_identical),
		cmocka_unit_test(test_every_truncation_refused),
	};

	return cmocka_run_group_tests(tests, load, NULL);
}
