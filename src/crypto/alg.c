/* SPDX-License-Identifier: MIT */
/*
 * Algorithm descriptions: sizes and the names strongSwan and VyOS print
 * (the IKEv2 registry names, PRODUCT.md). Pure tables; no OpenSSL state.
 */
#include "crypto/alg.h"

#include <stddef.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Names of id 0 and of ids we do not know. */
#define NAME_NONE    "NONE"
#define NAME_UNKNOWN "UNKNOWN"

static bool aes_keybits(unsigned keybits)
{
	return keybits == 128 || keybits == 192 || keybits == 256;
}

bool alg_encr_known(uint16_t id)
{
	switch (id) {
	case ALG_ENCR_AES_CBC:
	case ALG_ENCR_AES_GCM_8:
	case ALG_ENCR_AES_GCM_12:
	case ALG_ENCR_AES_GCM_16:
	case ALG_ENCR_NULL_AUTH_AES_GMAC:
	case ALG_ENCR_CHACHA20_POLY1305: return true;
	default: return false;
	}
}

bool alg_encr_is_aead(uint16_t id)
{
	switch (id) {
	case ALG_ENCR_AES_GCM_8:
	case ALG_ENCR_AES_GCM_12:
	case ALG_ENCR_AES_GCM_16:
	case ALG_ENCR_NULL_AUTH_AES_GMAC:
	case ALG_ENCR_CHACHA20_POLY1305: return true;
	default: return false;
	}
}

/*
 * AES-CBC (RFC 3602 5.3), AES-GCM (RFC 5282 8, RFC 4106 8.4) and AES-GMAC
 * (RFC 4543 5.4) carry a mandatory Key Length attribute of 128/192/256;
 * ChaCha20-Poly1305 has a fixed 256-bit key and the attribute MUST NOT be
 * sent (RFC 7634 2/3), so 0 (and, leniently, 256) is accepted.
 */
bool alg_encr_keybits_ok(uint16_t id, unsigned keybits)
{
	switch (id) {
	case ALG_ENCR_AES_CBC:
	case ALG_ENCR_AES_GCM_8:
	case ALG_ENCR_AES_GCM_12:
	case ALG_ENCR_AES_GCM_16:
	case ALG_ENCR_NULL_AUTH_AES_GMAC: return aes_keybits(keybits);
	case ALG_ENCR_CHACHA20_POLY1305: return keybits == 0 || keybits == 256;
	default: return false;
	}
}

size_t alg_encr_salt_len(uint16_t id)
{
	/* RFC 4106 8.1, RFC 4543 3.2, RFC 7634 2: the nonce is salt(4) || IV(8). */
	return alg_encr_is_aead(id) ? 4 : 0;
}

size_t alg_encr_keymat_len(uint16_t id, unsigned keybits)
{
	if (!alg_encr_keybits_ok(id, keybits))
		return 0;
	if (id == ALG_ENCR_CHACHA20_POLY1305)
		return 32 + 4;
	return keybits / 8 + alg_encr_salt_len(id);
}

size_t alg_encr_iv_len(uint16_t id)
{
	switch (id) {
	case ALG_ENCR_AES_CBC: return 16; /* RFC 3602 3 */
	case ALG_ENCR_AES_GCM_8:
	case ALG_ENCR_AES_GCM_12:
	case ALG_ENCR_AES_GCM_16:
	case ALG_ENCR_NULL_AUTH_AES_GMAC:
	case ALG_ENCR_CHACHA20_POLY1305: return 8; /* RFC 4106 3.1, 4543 3.1, 7634 2 */
	default: return 0;
	}
}

/*
 * Padding alignment. CBC pads to the cipher block; counter-mode AEADs have
 * no block, but RFC 4303 2.4 still needs the Pad Length and Next Header
 * fields to end on a 4-octet boundary.
 */
size_t alg_encr_block_len(uint16_t id)
{
	if (id == ALG_ENCR_AES_CBC)
		return 16;
	return alg_encr_is_aead(id) ? 4 : 0;
}

size_t alg_encr_icv_len(uint16_t id)
{
	switch (id) {
	case ALG_ENCR_AES_GCM_8: return 8;
	case ALG_ENCR_AES_GCM_12: return 12;
	case ALG_ENCR_AES_GCM_16:
	case ALG_ENCR_NULL_AUTH_AES_GMAC:
	case ALG_ENCR_CHACHA20_POLY1305: return 16;
	default: return 0;
	}
}

const char *alg_encr_name(uint16_t id, unsigned keybits)
{
	static const struct {
		uint16_t id;
		const char *base, *k128, *k192, *k256;
	} t[] = {
		{ALG_ENCR_AES_CBC, "AES_CBC", "AES_CBC_128", "AES_CBC_192", "AES_CBC_256"},
		{ALG_ENCR_AES_GCM_8, "AES_GCM_8", "AES_GCM_8_128", "AES_GCM_8_192",
		 "AES_GCM_8_256"},
		{ALG_ENCR_AES_GCM_12, "AES_GCM_12", "AES_GCM_12_128", "AES_GCM_12_192",
		 "AES_GCM_12_256"},
		{ALG_ENCR_AES_GCM_16, "AES_GCM_16", "AES_GCM_16_128", "AES_GCM_16_192",
		 "AES_GCM_16_256"},
		{ALG_ENCR_NULL_AUTH_AES_GMAC, "NULL_AUTH_AES_GMAC", "NULL_AUTH_AES_GMAC_128",
		 "NULL_AUTH_AES_GMAC_192", "NULL_AUTH_AES_GMAC_256"},
	};

	if (id == ALG_ENCR_NONE)
		return NAME_NONE;
	if (id == ALG_ENCR_NULL)
		return "NULL";
	if (id == ALG_ENCR_CHACHA20_POLY1305)
		return "CHACHA20_POLY1305";
	for (size_t i = 0; i < N(t); i++) {
		if (t[i].id != id)
			continue;
		switch (keybits) {
		case 128: return t[i].k128;
		case 192: return t[i].k192;
		case 256: return t[i].k256;
		default: return t[i].base;
		}
	}
	return NAME_UNKNOWN;
}

/* RFC 2404 (SHA-1, 96-bit ICV), RFC 4868 2.1.1/2.3 (key = hash length, ICV = half). */
static const struct {
	uint16_t id;
	size_t key, icv;
	uint16_t prf;
	const char *name;
} integ_tab[] = {
	{ALG_INTEG_HMAC_SHA1_96, 20, 12, ALG_PRF_HMAC_SHA1, "HMAC_SHA1_96"},
	{ALG_INTEG_HMAC_SHA2_256_128, 32, 16, ALG_PRF_HMAC_SHA2_256, "HMAC_SHA2_256_128"},
	{ALG_INTEG_HMAC_SHA2_384_192, 48, 24, ALG_PRF_HMAC_SHA2_384, "HMAC_SHA2_384_192"},
	{ALG_INTEG_HMAC_SHA2_512_256, 64, 32, ALG_PRF_HMAC_SHA2_512, "HMAC_SHA2_512_256"},
};

static int integ_find(uint16_t id)
{
	for (size_t i = 0; i < N(integ_tab); i++)
		if (integ_tab[i].id == id)
			return (int)i;
	return -1;
}

bool alg_integ_known(uint16_t id)
{
	return integ_find(id) >= 0;
}

size_t alg_integ_key_len(uint16_t id)
{
	int i = integ_find(id);

	return i < 0 ? 0 : integ_tab[i].key;
}

size_t alg_integ_icv_len(uint16_t id)
{
	int i = integ_find(id);

	return i < 0 ? 0 : integ_tab[i].icv;
}

const char *alg_integ_name(uint16_t id)
{
	int i = integ_find(id);

	if (id == ALG_INTEG_NONE)
		return NAME_NONE;
	return i < 0 ? NAME_UNKNOWN : integ_tab[i].name;
}

uint16_t alg_prf_for_integ(uint16_t integ)
{
	int i = integ_find(integ);

	return i < 0 ? ALG_PRF_NONE : integ_tab[i].prf;
}

/* RFC 2104 with SHA-1 (RFC 7296 3.3.2) and RFC 4868 2.1.2: output = hash length. */
static const struct {
	uint16_t id;
	size_t len;
	const char *name;
} prf_tab[] = {
	{ALG_PRF_HMAC_SHA1, 20, "PRF_HMAC_SHA1"},
	{ALG_PRF_HMAC_SHA2_256, 32, "PRF_HMAC_SHA2_256"},
	{ALG_PRF_HMAC_SHA2_384, 48, "PRF_HMAC_SHA2_384"},
	{ALG_PRF_HMAC_SHA2_512, 64, "PRF_HMAC_SHA2_512"},
};

static int prf_find(uint16_t id)
{
	for (size_t i = 0; i < N(prf_tab); i++)
		if (prf_tab[i].id == id)
			return (int)i;
	return -1;
}

bool alg_prf_known(uint16_t id)
{
	return prf_find(id) >= 0;
}

size_t alg_prf_len(uint16_t id)
{
	int i = prf_find(id);

	return i < 0 ? 0 : prf_tab[i].len;
}

const char *alg_prf_name(uint16_t id)
{
	int i = prf_find(id);

	if (id == ALG_PRF_NONE)
		return NAME_NONE;
	return i < 0 ? NAME_UNKNOWN : prf_tab[i].name;
}

/*
 * KE payload sizes: MODP = prime length (RFC 7296 3.4); ECP = x||y, each the
 * field size (RFC 5903 7); X25519 = 32 (RFC 8031 3.1). The shared secret is
 * the prime length, the x coordinate alone (RFC 5903 7), or 32 octets.
 */
static const struct {
	uint16_t id;
	size_t pub, secret;
	const char *name;
} dh_tab[] = {
	{ALG_DH_MODP_1024, 128, 128, "MODP_1024"},  {ALG_DH_MODP_1536, 192, 192, "MODP_1536"},
	{ALG_DH_MODP_2048, 256, 256, "MODP_2048"},  {ALG_DH_MODP_3072, 384, 384, "MODP_3072"},
	{ALG_DH_MODP_4096, 512, 512, "MODP_4096"},  {ALG_DH_ECP_256, 64, 32, "ECP_256"},
	{ALG_DH_ECP_384, 96, 48, "ECP_384"},	    {ALG_DH_ECP_521, 132, 66, "ECP_521"},
	{ALG_DH_CURVE25519, 32, 32, "CURVE_25519"},
};

static int dh_find(uint16_t id)
{
	for (size_t i = 0; i < N(dh_tab); i++)
		if (dh_tab[i].id == id)
			return (int)i;
	return -1;
}

bool alg_dh_known(uint16_t id)
{
	return dh_find(id) >= 0;
}

size_t alg_dh_pub_len(uint16_t id)
{
	int i = dh_find(id);

	return i < 0 ? 0 : dh_tab[i].pub;
}

size_t alg_dh_secret_len(uint16_t id)
{
	int i = dh_find(id);

	return i < 0 ? 0 : dh_tab[i].secret;
}

const char *alg_dh_name(uint16_t id)
{
	int i = dh_find(id);

	if (id == ALG_DH_NONE)
		return NAME_NONE;
	return i < 0 ? NAME_UNKNOWN : dh_tab[i].name;
}
