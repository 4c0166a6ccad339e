/* SPDX-License-Identifier: MIT */
/*
 * IKEv2 key derivation (RFC 7296 2.13, 2.14, 2.17, 2.18).
 *
 * An IKE SA's keys: SKEYSEED = prf(Ni | Nr, g^ir), then
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *     = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
 * With an AEAD (RFC 5282) there are no SK_a keys and SK_e carries the salt.
 */
#ifndef IPSECGW_IKE_KEYMAT_H
#define IPSECGW_IKE_KEYMAT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/alg.h"

#define IKE_SPI_LEN 8

/* The negotiated IKE SA transforms. */
struct ike_suite {
	uint16_t encr;
	uint16_t encr_keybits;
	uint16_t integ; /* ALG_INTEG_NONE with an AEAD */
	uint16_t prf;
	uint16_t dh;
};

struct ike_keymat {
	struct ike_suite s;
	size_t prf_len; /* SK_d, SK_pi, SK_pr */
	size_t a_len;   /* SK_ai, SK_ar (0 with an AEAD) */
	size_t e_len;   /* SK_ei, SK_er, salt included */
	uint8_t sk_d[ALG_MAX_PRF];
	uint8_t sk_ai[ALG_MAX_PRF], sk_ar[ALG_MAX_PRF];
	uint8_t sk_ei[ALG_MAX_KEY], sk_er[ALG_MAX_KEY];
	uint8_t sk_pi[ALG_MAX_PRF], sk_pr[ALG_MAX_PRF];
};

/* Keys of a new IKE SA from IKE_SA_INIT (2.14). */
int ike_keymat_derive(struct ike_keymat *k, const struct ike_suite *s, const uint8_t *ni,
		      size_t ni_len, const uint8_t *nr, size_t nr_len, const uint8_t *gir,
		      size_t gir_len, const uint8_t spi_i[static IKE_SPI_LEN],
		      const uint8_t spi_r[static IKE_SPI_LEN]);

/*
 * Keys of an IKE SA that rekeys an old one (2.18):
 * SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), with the old SA's PRF.
 */
int ike_keymat_derive_rekey(struct ike_keymat *k, const struct ike_suite *s,
			    uint16_t old_prf, const uint8_t *old_sk_d, size_t old_sk_d_len,
			    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
			    const uint8_t *gir, size_t gir_len,
			    const uint8_t spi_i[static IKE_SPI_LEN],
			    const uint8_t spi_r[static IKE_SPI_LEN]);

/* Keys of a CHILD SA, one direction each (2.17). */
struct child_keymat {
	uint16_t encr, encr_keybits, integ;
	size_t e_len, a_len;
	/* i: initiator to responder; r: responder to initiator. */
	uint8_t ei[ALG_MAX_KEY], ai[ALG_MAX_PRF];
	uint8_t er[ALG_MAX_KEY], ar[ALG_MAX_PRF];
};

/*
 * KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr); the initiator-to-responder
 * encryption and integrity keys come first, then the other direction.
 * gir is NULL without PFS.
 */
int ike_keymat_child(struct child_keymat *ck, uint16_t prf, const uint8_t *sk_d,
		     size_t sk_d_len, uint16_t encr, uint16_t encr_keybits, uint16_t integ,
		     const uint8_t *gir, size_t gir_len, const uint8_t *ni, size_t ni_len,
		     const uint8_t *nr, size_t nr_len);

void ike_keymat_wipe(struct ike_keymat *k);
void ike_child_keymat_wipe(struct child_keymat *ck);

#endif
