/* SPDX-License-Identifier: MIT */
#include "ike/ike_keymat.h"

#include <string.h>

#include "crypto/crypto.h"
#include "lib/err.h"
#include "lib/secret.h"

/* Largest Ni | Nr | SPIi | SPIr seed: nonces are at most 256 bytes (2.10). */
#define NONCE_MAX 256
#define SEED_MAX (2 * NONCE_MAX + 2 * IKE_SPI_LEN)
/* Largest prf+ output: 3 PRF-sized, 2 integrity and 2 encryption keys. */
#define IKE_KEYMAT_MAX (3 * ALG_MAX_PRF + 2 * ALG_MAX_PRF + 2 * ALG_MAX_KEY)
#define CHILD_KEYMAT_MAX (2 * ALG_MAX_PRF + 2 * ALG_MAX_KEY)

static int suite_sizes(struct ike_keymat *k, const struct ike_suite *s)
{
	bool aead = alg_encr_is_aead(s->encr);

	if (!alg_prf_known(s->prf) || !alg_encr_known(s->encr) ||
	    !alg_encr_keybits_ok(s->encr, s->encr_keybits))
		return IG_ENOTSUP;
	/* RFC 5282 5: an AEAD has no separate integrity transform. */
	if (aead != (s->integ == ALG_INTEG_NONE))
		return IG_EINVAL;
	if (!aead && !alg_integ_known(s->integ))
		return IG_ENOTSUP;
	memset(k, 0, sizeof(*k));
	k->s = *s;
	/* 2.14: HMAC PRFs take keys of their output length. */
	k->prf_len = alg_prf_len(s->prf);
	k->a_len = aead ? 0 : alg_integ_key_len(s->integ);
	k->e_len = alg_encr_keymat_len(s->encr, s->encr_keybits);
	return 0;
}

/* Splits prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) into the seven keys. */
static int expand(struct ike_keymat *k, const uint8_t *skeyseed, size_t skeyseed_len,
		  const uint8_t *ni,
		  size_t ni_len, const uint8_t *nr, size_t nr_len, const uint8_t *spi_i,
		  const uint8_t *spi_r)
{
	uint8_t seed[SEED_MAX], km[IKE_KEYMAT_MAX];
	size_t total = 3 * k->prf_len + 2 * k->a_len + 2 * k->e_len, off = 0;
	int r;

	memcpy(seed, ni, ni_len);
	memcpy(seed + ni_len, nr, nr_len);
	memcpy(seed + ni_len + nr_len, spi_i, IKE_SPI_LEN);
	memcpy(seed + ni_len + nr_len + IKE_SPI_LEN, spi_r, IKE_SPI_LEN);
	r = crypto_prf_plus(k->s.prf, skeyseed, skeyseed_len, seed,
			    ni_len + nr_len + 2 * IKE_SPI_LEN, km, total);
	if (r != 0)
		goto out;
#define TAKE(field, n)                                                                   \
	do {                                                                             \
		memcpy(k->field, km + off, (n));                                         \
		off += (n);                                                              \
	} while (0)
	TAKE(sk_d, k->prf_len);
	TAKE(sk_ai, k->a_len);
	TAKE(sk_ar, k->a_len);
	TAKE(sk_ei, k->e_len);
	TAKE(sk_er, k->e_len);
	TAKE(sk_pi, k->prf_len);
	TAKE(sk_pr, k->prf_len);
#undef TAKE
out:
	secret_wipe(km, sizeof(km));
	return r;
}

static int nonces_ok(size_t ni_len, size_t nr_len)
{
	/* 2.10: nonces are 16..256 bytes; the parser enforces it, we re-check
	 * because the seed buffer is sized by it. */
	return ni_len >= 16 && ni_len <= NONCE_MAX && nr_len >= 16 && nr_len <= NONCE_MAX
		       ? 0
		       : IG_EINVAL;
}

int ike_keymat_derive(struct ike_keymat *k, const struct ike_suite *s, const uint8_t *ni,
		      size_t ni_len, const uint8_t *nr, size_t nr_len, const uint8_t *gir,
		      size_t gir_len, const uint8_t spi_i[static IKE_SPI_LEN],
		      const uint8_t spi_r[static IKE_SPI_LEN])
{
	uint8_t nonces[2 * NONCE_MAX], skeyseed[ALG_MAX_PRF];
	struct crypto_iov iov = { gir, gir_len };
	int r;

	if ((r = nonces_ok(ni_len, nr_len)) != 0 || (r = suite_sizes(k, s)) != 0)
		return r;
	/* SKEYSEED = prf(Ni | Nr, g^ir): the nonces are the key. */
	memcpy(nonces, ni, ni_len);
	memcpy(nonces + ni_len, nr, nr_len);
	if ((r = crypto_prf(s->prf, nonces, ni_len + nr_len, &iov, 1, skeyseed)) != 0 ||
	    (r = expand(k, skeyseed, k->prf_len, ni, ni_len, nr, nr_len, spi_i, spi_r)) != 0)
		goto out;
out:
	secret_wipe(skeyseed, sizeof(skeyseed));
	if (r != 0)
		ike_keymat_wipe(k);
	return r;
}

int ike_keymat_derive_rekey(struct ike_keymat *k, const struct ike_suite *s,
			    uint16_t old_prf, const uint8_t *old_sk_d, size_t old_sk_d_len,
			    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
			    const uint8_t *gir, size_t gir_len,
			    const uint8_t spi_i[static IKE_SPI_LEN],
			    const uint8_t spi_r[static IKE_SPI_LEN])
{
	uint8_t skeyseed[ALG_MAX_PRF];
	struct crypto_iov iov[3] = { { gir, gir_len }, { ni, ni_len }, { nr, nr_len } };
	int r;

	if ((r = nonces_ok(ni_len, nr_len)) != 0 || (r = suite_sizes(k, s)) != 0)
		return r;
	/* 2.18: the old SA's PRF keyed with its SK_d; the new SA's PRF for prf+. */
	if (!alg_prf_known(old_prf) || alg_prf_len(old_prf) > sizeof(skeyseed))
		return IG_ENOTSUP;
	if ((r = crypto_prf(old_prf, old_sk_d, old_sk_d_len, iov, 3, skeyseed)) != 0)
		goto out;
	/* SKEYSEED (the old PRF's output length) keys the new SA's prf+. */
	r = expand(k, skeyseed, alg_prf_len(old_prf), ni, ni_len, nr, nr_len, spi_i, spi_r);
out:
	secret_wipe(skeyseed, sizeof(skeyseed));
	if (r != 0)
		ike_keymat_wipe(k);
	return r;
}

int ike_keymat_child(struct child_keymat *ck, uint16_t prf, const uint8_t *sk_d,
		     size_t sk_d_len, uint16_t encr, uint16_t encr_keybits, uint16_t integ,
		     const uint8_t *gir, size_t gir_len, const uint8_t *ni, size_t ni_len,
		     const uint8_t *nr, size_t nr_len)
{
	uint8_t seed[ALG_MAX_DH_SECRET + 2 * NONCE_MAX], km[CHILD_KEYMAT_MAX];
	size_t seed_len = 0, off = 0, total;
	bool aead = alg_encr_is_aead(encr);
	int r;

	memset(ck, 0, sizeof(*ck));
	if ((r = nonces_ok(ni_len, nr_len)) != 0)
		return r;
	if (!alg_prf_known(prf) || !alg_encr_known(encr) ||
	    !alg_encr_keybits_ok(encr, encr_keybits))
		return IG_ENOTSUP;
	if (aead != (integ == ALG_INTEG_NONE) || (!aead && !alg_integ_known(integ)))
		return IG_EINVAL;
	if (gir_len > ALG_MAX_DH_SECRET)
		return IG_EINVAL;
	ck->encr = encr;
	ck->encr_keybits = encr_keybits;
	ck->integ = integ;
	ck->e_len = alg_encr_keymat_len(encr, encr_keybits);
	ck->a_len = aead ? 0 : alg_integ_key_len(integ);
	total = 2 * (ck->e_len + ck->a_len);

	/* 2.17: with PFS, g^ir (new) comes before the nonces. */
	if (gir && gir_len) {
		memcpy(seed, gir, gir_len);
		seed_len = gir_len;
	}
	memcpy(seed + seed_len, ni, ni_len);
	seed_len += ni_len;
	memcpy(seed + seed_len, nr, nr_len);
	seed_len += nr_len;
	if ((r = crypto_prf_plus(prf, sk_d, sk_d_len, seed, seed_len, km, total)) != 0)
		goto out;
	/* RFC 4303 / 7296 2.17: encryption key first, then integrity, per direction. */
	memcpy(ck->ei, km + off, ck->e_len), off += ck->e_len;
	memcpy(ck->ai, km + off, ck->a_len), off += ck->a_len;
	memcpy(ck->er, km + off, ck->e_len), off += ck->e_len;
	memcpy(ck->ar, km + off, ck->a_len);
out:
	secret_wipe(seed, sizeof(seed));
	secret_wipe(km, sizeof(km));
	if (r != 0)
		ike_child_keymat_wipe(ck);
	return r;
}

void ike_keymat_wipe(struct ike_keymat *k)
{
	secret_wipe(k, sizeof(*k));
}

void ike_child_keymat_wipe(struct child_keymat *ck)
{
	secret_wipe(ck, sizeof(*ck));
}
