/* SPDX-License-Identifier: MIT */
/*
 * ECP groups 19, 20, 21: RFC 5903 section 8 (8.1 256-bit, 8.2 384-bit, 8.3
 * 521-bit random ECP group). For each, our key from the initiator's i must
 * give the KE data gix || giy, and with the responder's gr the shared secret
 * girx (the x coordinate only, RFC 5903 9 as corrected by erratum 2717);
 * likewise from the responder's side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "lib/err.h"
#include "kat/kat_hex.h"

struct vec {
	const char *name;
	uint16_t group;
	const char *i, *gix, *giy, *r, *grx, *gry, *girx;
};

static const struct vec t[] = {
	{
		"8.1 ECP_256",
		ALG_DH_ECP_256,
		"C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
		"DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180",
		"5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
		"C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
		"D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63",
		"56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
		"D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE",
	},
	{
		"8.2 ECP_384",
		ALG_DH_ECP_384,
		"099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655"
		"E35B538041E649EE3FAEF896783AB194",
		"667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6"
		"DE3AC808ACB4BDB4C88732AEE95F41AA",
		"9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38E"
		"EB9FCFF3C2C947DAE69B4C634573A81C",
		"41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942"
		"E0308312916B8ED2960E4BD55A7448FC",
		"E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D"
		"0D1AC43A0336DEF96FDA41D0774A3571",
		"DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FF"
		"F83FA40142209DFF5EAAD96DB9E6386C",
		"11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4"
		"D603135569B9E9D09CF5D4A270F59746",
	},
	{
		"8.3 ECP_521",
		ALG_DH_ECP_521,
		"0037ADE9319A89F4DABDB3EF411AACCCA5123C61ACAB57B5393DCE47608172A0"
		"95AA85A30FE1C2952C6771D937BA9777F5957B2639BAB072462F68C27A57382D"
		"4A52",
		"0015417E84DBF28C0AD3C278713349DC7DF153C897A1891BD98BAB4357C9ECBE"
		"E1E3BF42E00B8E380AEAE57C2D107564941885942AF5A7F4601723C4195D176C"
		"ED3E",
		"017CAE20B6641D2EEB695786D8C946146239D099E18E1D5A514C739D7CB4A10A"
		"D8A788015AC405D7799DC75E7B7D5B6CF2261A6A7F1507438BF01BEB6CA3926F"
		"9582",
		"0145BA99A847AF43793FDD0E872E7CDFA16BE30FDC780F97BCCC3F078380201E"
		"9C677D600B343757A3BDBF2A3163E4C2F869CCA7458AA4A4EFFC311F5CB15168"
		"5EB9",
		"00D0B3975AC4B799F5BEA16D5E13E9AF971D5E9B984C9F39728B5E5739735A21"
		"9B97C356436ADC6E95BB0352F6BE64A6C2912D4EF2D0433CED2B6171640012D9"
		"460F",
		"015C68226383956E3BD066E797B623C27CE0EAC2F551A10C2C724D9852077B87"
		"220B6536C5C408A1D2AEBB8E86D678AE49CB57091F4732296579AB44FCD17F0F"
		"C56A",
		"01144C7D79AE6956BC8EDB8E7C787C4521CB086FA64407F97894E5E6B2D79B04"
		"D1427E73CA4BAA240A34786859810C06B3C715A3A8CC3151F2BEE417996D19F3"
		"DDEA",
	},
};

/* One side: our private value, our expected KE data, the peer's KE data. */
static void side(uint16_t group, const char *priv_hex, const char *x, const char *y,
		 const char *peer_x, const char *peer_y, const char *girx)
{
	uint8_t priv[66], want_pub[132], peer[132], want_sec[66], pub[ALG_MAX_DH_PUB],
		sec[ALG_MAX_DH_SECRET];
	size_t flen = alg_dh_secret_len(group), privlen, publen, seclen;
	struct crypto_dh *dh;

	privlen = KAT_UNHEX(priv_hex, priv);
	assert_int_equal(kat_unhex(x, want_pub, flen), flen);
	assert_int_equal(kat_unhex(y, want_pub + flen, flen), flen);
	assert_int_equal(kat_unhex(peer_x, peer, flen), flen);
	assert_int_equal(kat_unhex(peer_y, peer + flen, flen), flen);
	assert_int_equal(KAT_UNHEX(girx, want_sec), flen);

	assert_int_equal(crypto_dh_new_from_private(&dh, group, priv, privlen), 0);
	assert_int_equal(crypto_dh_group(dh), group);
	assert_int_equal(crypto_dh_public(dh, pub, sizeof(pub), &publen), 0);
	assert_int_equal(publen, 2 * flen);
	assert_int_equal(publen, alg_dh_pub_len(group));
	assert_memory_equal(pub, want_pub, publen);
	assert_int_equal(crypto_dh_shared(dh, peer, 2 * flen, sec, sizeof(sec), &seclen), 0);
	assert_int_equal(seclen, flen);
	assert_memory_equal(sec, want_sec, flen);
	crypto_dh_free(dh);
}

static void test_vector(void **state)
{
	const struct vec *v = *state;

	side(v->group, v->i, v->gix, v->giy, v->grx, v->gry, v->girx);
	side(v->group, v->r, v->grx, v->gry, v->gix, v->giy, v->girx);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(t) / sizeof(t[0])];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		tests[i] = (struct CMUnitTest){t[i].name, test_vector, NULL, NULL, (void *)&t[i]};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
