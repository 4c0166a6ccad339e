/* SPDX-License-Identifier: MIT */
/*
 * strongSwan proposal strings <-> transform lists. The token names are
 * strongSwan's (proposal_keywords.txt in its documentation); the rules are
 * RFC 7296 3.3 (IKE: ENCR + PRF + INTEG unless AEAD + D-H) and RFC 4303 /
 * RFC 7296 3.3 (ESP: ENCR + INTEG unless AEAD, optional D-H = PFS, ESN).
 */
#include "config/proposal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crypto/alg.h"
#include "lib/err.h"

enum ttype { T_ENCR, T_INTEG, T_PRF, T_DH, T_ESN };

#define F_ESP_ONLY 1u
#define F_IKE_ONLY 2u
#define F_ALIAS	   4u /* accepted on input, never written */

struct token {
	const char *name;
	uint8_t type;
	uint8_t flags;
	uint16_t id;
	uint16_t keybits;
	uint16_t prf; /* integrity: the PRF strongSwan implies for IKE */
};

#define ENC(n, i, k, f)                                                                            \
	{                                                                                          \
		n, T_ENCR, f, i, k, 0                                                              \
	}

static const struct token tokens[] = {
	ENC("aes128", ALG_ENCR_AES_CBC, 128, 0),
	ENC("aes192", ALG_ENCR_AES_CBC, 192, 0),
	ENC("aes256", ALG_ENCR_AES_CBC, 256, 0),
	ENC("aes128gcm8", ALG_ENCR_AES_GCM_8, 128, 0),
	ENC("aes192gcm8", ALG_ENCR_AES_GCM_8, 192, 0),
	ENC("aes256gcm8", ALG_ENCR_AES_GCM_8, 256, 0),
	ENC("aes128gcm12", ALG_ENCR_AES_GCM_12, 128, 0),
	ENC("aes192gcm12", ALG_ENCR_AES_GCM_12, 192, 0),
	ENC("aes256gcm12", ALG_ENCR_AES_GCM_12, 256, 0),
	ENC("aes128gcm16", ALG_ENCR_AES_GCM_16, 128, 0),
	ENC("aes192gcm16", ALG_ENCR_AES_GCM_16, 192, 0),
	ENC("aes256gcm16", ALG_ENCR_AES_GCM_16, 256, 0),
	/* strongSwan's aliases: ICV length in bits, and no length = 16 octets. */
	ENC("aes128gcm64", ALG_ENCR_AES_GCM_8, 128, F_ALIAS),
	ENC("aes192gcm64", ALG_ENCR_AES_GCM_8, 192, F_ALIAS),
	ENC("aes256gcm64", ALG_ENCR_AES_GCM_8, 256, F_ALIAS),
	ENC("aes128gcm96", ALG_ENCR_AES_GCM_12, 128, F_ALIAS),
	ENC("aes192gcm96", ALG_ENCR_AES_GCM_12, 192, F_ALIAS),
	ENC("aes256gcm96", ALG_ENCR_AES_GCM_12, 256, F_ALIAS),
	ENC("aes128gcm128", ALG_ENCR_AES_GCM_16, 128, F_ALIAS),
	ENC("aes192gcm128", ALG_ENCR_AES_GCM_16, 192, F_ALIAS),
	ENC("aes256gcm128", ALG_ENCR_AES_GCM_16, 256, F_ALIAS),
	ENC("aes128gcm", ALG_ENCR_AES_GCM_16, 128, F_ALIAS),
	ENC("aes192gcm", ALG_ENCR_AES_GCM_16, 192, F_ALIAS),
	ENC("aes256gcm", ALG_ENCR_AES_GCM_16, 256, F_ALIAS),
	ENC("chacha20poly1305", ALG_ENCR_CHACHA20_POLY1305, 0, 0),
	/* RFC 4543 GMAC and RFC 2410 NULL: authentication only, ESP only. */
	ENC("null", ALG_ENCR_NULL, 0, F_ESP_ONLY),
	ENC("aes128gmac", ALG_ENCR_NULL_AUTH_AES_GMAC, 128, F_ESP_ONLY),
	ENC("aes192gmac", ALG_ENCR_NULL_AUTH_AES_GMAC, 192, F_ESP_ONLY),
	ENC("aes256gmac", ALG_ENCR_NULL_AUTH_AES_GMAC, 256, F_ESP_ONLY),

	{"sha1", T_INTEG, 0, ALG_INTEG_HMAC_SHA1_96, 0, ALG_PRF_HMAC_SHA1},
	{"sha256", T_INTEG, 0, ALG_INTEG_HMAC_SHA2_256_128, 0, ALG_PRF_HMAC_SHA2_256},
	{"sha384", T_INTEG, 0, ALG_INTEG_HMAC_SHA2_384_192, 0, ALG_PRF_HMAC_SHA2_384},
	{"sha512", T_INTEG, 0, ALG_INTEG_HMAC_SHA2_512_256, 0, ALG_PRF_HMAC_SHA2_512},
	{"sha", T_INTEG, F_ALIAS, ALG_INTEG_HMAC_SHA1_96, 0, ALG_PRF_HMAC_SHA1},
	{"sha2_256", T_INTEG, F_ALIAS, ALG_INTEG_HMAC_SHA2_256_128, 0, ALG_PRF_HMAC_SHA2_256},
	{"sha2_384", T_INTEG, F_ALIAS, ALG_INTEG_HMAC_SHA2_384_192, 0, ALG_PRF_HMAC_SHA2_384},
	{"sha2_512", T_INTEG, F_ALIAS, ALG_INTEG_HMAC_SHA2_512_256, 0, ALG_PRF_HMAC_SHA2_512},

	{"prfsha1", T_PRF, F_IKE_ONLY, ALG_PRF_HMAC_SHA1, 0, 0},
	{"prfsha256", T_PRF, F_IKE_ONLY, ALG_PRF_HMAC_SHA2_256, 0, 0},
	{"prfsha384", T_PRF, F_IKE_ONLY, ALG_PRF_HMAC_SHA2_384, 0, 0},
	{"prfsha512", T_PRF, F_IKE_ONLY, ALG_PRF_HMAC_SHA2_512, 0, 0},

	{"modp1024", T_DH, 0, ALG_DH_MODP_1024, 0, 0},
	{"modp1536", T_DH, 0, ALG_DH_MODP_1536, 0, 0},
	{"modp2048", T_DH, 0, ALG_DH_MODP_2048, 0, 0},
	{"modp3072", T_DH, 0, ALG_DH_MODP_3072, 0, 0},
	{"modp4096", T_DH, 0, ALG_DH_MODP_4096, 0, 0},
	{"ecp256", T_DH, 0, ALG_DH_ECP_256, 0, 0},
	{"ecp384", T_DH, 0, ALG_DH_ECP_384, 0, 0},
	{"ecp521", T_DH, 0, ALG_DH_ECP_521, 0, 0},
	{"curve25519", T_DH, 0, ALG_DH_CURVE25519, 0, 0},
	{"x25519", T_DH, F_ALIAS, ALG_DH_CURVE25519, 0, 0},

	{"esn", T_ESN, F_ESP_ONLY, ALG_ESN_YES, 0, 0},
	{"noesn", T_ESN, F_ESP_ONLY, ALG_ESN_NO, 0, 0},
};

#define NTOKENS (sizeof(tokens) / sizeof(tokens[0]))

static const struct token *lookup(const char *name)
{
	for (size_t i = 0; i < NTOKENS; i++)
		if (strcasecmp(tokens[i].name, name) == 0)
			return &tokens[i];
	return NULL;
}

/* The canonical (non-alias) token for a transform. */
static const struct token *canonical(unsigned type, uint16_t id, uint16_t keybits)
{
	for (size_t i = 0; i < NTOKENS; i++) {
		const struct token *t = &tokens[i];

		if (t->type == type && t->id == id && !(t->flags & F_ALIAS) &&
		    (type != T_ENCR || t->keybits == keybits))
			return t;
	}
	return NULL;
}

uint16_t proposal_prf_for_integ(uint16_t integ)
{
	const struct token *t = canonical(T_INTEG, integ, 0);

	return t ? t->prf : ALG_PRF_NONE;
}

static bool is_aead(uint16_t encr)
{
	return encr == ALG_ENCR_AES_GCM_8 || encr == ALG_ENCR_AES_GCM_12 ||
	       encr == ALG_ENCR_AES_GCM_16 || encr == ALG_ENCR_CHACHA20_POLY1305 ||
	       encr == ALG_ENCR_NULL_AUTH_AES_GMAC;
}

static const char *const type_names[] = {
	[T_ENCR] = "encryption",   [T_INTEG] = "integrity", [T_PRF] = "PRF",
	[T_DH] = "Diffie-Hellman", [T_ESN] = "ESN",
};

/* Adds t to its list; fails on duplicates and overflow. */
static int add(struct proposal *p, const struct token *t, const char *word, char *err,
	       size_t errlen)
{
	uint16_t *list = NULL;
	size_t *n = NULL, max = PROPOSAL_MAX_ALGS;

	switch (t->type) {
	case T_ENCR:
		for (size_t i = 0; i < p->n_encr; i++)
			if (p->encr[i].id == t->id && p->encr[i].keybits == t->keybits)
				goto dup;
		if (p->n_encr == max)
			goto full;
		p->encr[p->n_encr].id = t->id;
		p->encr[p->n_encr++].keybits = t->keybits;
		return 0;
	case T_INTEG:
		list = p->integ;
		n = &p->n_integ;
		break;
	case T_PRF:
		list = p->prf;
		n = &p->n_prf;
		break;
	case T_DH:
		list = p->dh;
		n = &p->n_dh;
		break;
	default:
		list = p->esn;
		n = &p->n_esn;
		max = 2;
		break;
	}
	for (size_t i = 0; i < *n; i++)
		if (list[i] == t->id)
			goto dup;
	if (*n == max)
		goto full;
	list[(*n)++] = t->id;
	return 0;
dup:
	snprintf(err, errlen, "'%s' is listed twice", word);
	return IG_EINVAL;
full:
	snprintf(err, errlen, "more than %zu %s algorithms", max, type_names[t->type]);
	return IG_EINVAL;
}

static const char *encr_word(const struct proposal_encr *e)
{
	const struct token *t = canonical(T_ENCR, e->id, e->keybits);

	return t ? t->name : "?";
}

static const char *word_of(unsigned type, uint16_t id)
{
	const struct token *t = canonical(type, id, 0);

	return t ? t->name : "?";
}

/* RFC 7296 3.3.3: which transform types each protocol needs. */
static int check(struct proposal *p, const char *s, char *err, size_t errlen)
{
	bool ike = p->kind == PROPOSAL_IKE;

	if (p->n_encr == 0) {
		snprintf(err, errlen, "no encryption algorithm in proposal '%s'", s);
		return IG_EINVAL;
	}
	for (size_t i = 1; i < p->n_encr; i++) {
		if (is_aead(p->encr[i].id) != is_aead(p->encr[0].id)) {
			const struct proposal_encr *a =
				is_aead(p->encr[0].id) ? &p->encr[0] : &p->encr[i];
			const struct proposal_encr *b =
				a == &p->encr[0] ? &p->encr[i] : &p->encr[0];

			snprintf(
				err, errlen,
				"cannot mix AEAD '%s' and non-AEAD '%s' in one proposal; write two "
				"proposals",
				encr_word(a), encr_word(b));
			return IG_EINVAL;
		}
	}
	p->aead = is_aead(p->encr[0].id);
	if (p->aead && p->n_integ) {
		snprintf(err, errlen, "%s is an AEAD and takes no integrity algorithm, drop '%s'",
			 encr_word(&p->encr[0]), word_of(T_INTEG, p->integ[0]));
		return IG_EINVAL;
	}
	if (!p->aead && !p->n_integ) {
		snprintf(err, errlen,
			 "%s is not an AEAD and needs an integrity algorithm, e.g. "
			 "'%s-sha256'",
			 encr_word(&p->encr[0]), encr_word(&p->encr[0]));
		return IG_EINVAL;
	}
	if (!ike)
		return 0;
	if (p->n_prf == 0) {
		if (p->aead) {
			snprintf(err, errlen,
				 "%s in an IKE proposal needs a PRF, add e.g. "
				 "'prfsha256'",
				 encr_word(&p->encr[0]));
			return IG_EINVAL;
		}
		/* strongSwan: "aes256-sha256" in IKE means PRF_HMAC_SHA2_256 too. */
		for (size_t i = 0; i < p->n_integ; i++) {
			/* Distinct integrity algorithms imply distinct PRFs: add() cannot fail. */
			p->prf[p->n_prf++] = proposal_prf_for_integ(p->integ[i]);
		}
		p->prf_implied = true;
	}
	if (p->n_dh == 0) {
		snprintf(err, errlen,
			 "IKE proposal '%s' has no Diffie-Hellman group, add e.g. 'modp2048'", s);
		return IG_EINVAL;
	}
	return 0;
}

int proposal_parse(const char *s, enum proposal_kind kind, struct proposal *p, char *err,
		   size_t errlen)
{
	char dummy[PROPOSAL_ERRLEN];
	char buf[PROPOSAL_MAX_TEXT + 1];
	size_t len;
	char *tok, *save = NULL;

	if (!err) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	len = s ? strlen(s) : 0;
	if (len == 0) {
		snprintf(err, errlen, "empty proposal");
		return IG_EINVAL;
	}
	if (len > PROPOSAL_MAX_TEXT) {
		snprintf(err, errlen, "proposal is %zu characters long, at most %d allowed", len,
			 PROPOSAL_MAX_TEXT);
		return IG_EINVAL;
	}
	memcpy(buf, s, len + 1);
	if (buf[len - 1] == '!') {
		p->strict = true;
		buf[--len] = '\0';
	}
	if (len == 0 || buf[0] == '-' || buf[len - 1] == '-' || strstr(buf, "--")) {
		snprintf(err, errlen, "empty algorithm name in proposal '%s'", s);
		return IG_EINVAL;
	}
	for (tok = strtok_r(buf, "-", &save); tok; tok = strtok_r(NULL, "-", &save)) {
		const struct token *t = lookup(tok);

		if (!t) {
			snprintf(err, errlen, "unknown algorithm '%s' in proposal '%s'", tok, s);
			return IG_EINVAL;
		}
		if ((t->flags & F_ESP_ONLY) && kind == PROPOSAL_IKE) {
			snprintf(err, errlen, "'%s' is only allowed in ESP proposals", tok);
			return IG_EINVAL;
		}
		if ((t->flags & F_IKE_ONLY) && kind == PROPOSAL_ESP) {
			snprintf(err, errlen, "'%s' is only allowed in IKE proposals", tok);
			return IG_EINVAL;
		}
		if (add(p, t, tok, err, errlen) != 0)
			return IG_EINVAL;
	}
	return check(p, s, err, errlen);
}

static int put(char *out, size_t outlen, size_t *pos, const char *w)
{
	int n = snprintf(out + *pos, outlen - *pos, "%s%s", *pos ? "-" : "", w);

	if (n < 0 || (size_t)n >= outlen - *pos)
		return IG_ENOSPC;
	*pos += (size_t)n;
	return 0;
}

int proposal_format(const struct proposal *p, char *out, size_t outlen)
{
	size_t pos = 0;
	int r = 0;

	if (outlen == 0)
		return IG_ENOSPC;
	out[0] = '\0';
	for (size_t i = 0; r == 0 && i < p->n_encr; i++)
		r = put(out, outlen, &pos, encr_word(&p->encr[i]));
	for (size_t i = 0; r == 0 && i < p->n_integ; i++)
		r = put(out, outlen, &pos, word_of(T_INTEG, p->integ[i]));
	for (size_t i = 0; r == 0 && !p->prf_implied && i < p->n_prf; i++)
		r = put(out, outlen, &pos, word_of(T_PRF, p->prf[i]));
	for (size_t i = 0; r == 0 && i < p->n_dh; i++)
		r = put(out, outlen, &pos, word_of(T_DH, p->dh[i]));
	for (size_t i = 0; r == 0 && i < p->n_esn; i++)
		r = put(out, outlen, &pos, word_of(T_ESN, p->esn[i]));
	if (r == 0 && p->strict) {
		if (pos + 2 > outlen)
			return IG_ENOSPC;
		out[pos++] = '!';
		out[pos] = '\0';
	}
	return r;
}

bool proposal_equal(const struct proposal *a, const struct proposal *b)
{
	if (a->kind != b->kind || a->strict != b->strict || a->n_encr != b->n_encr ||
	    a->n_integ != b->n_integ || a->n_prf != b->n_prf || a->n_dh != b->n_dh ||
	    a->n_esn != b->n_esn)
		return false;
	for (size_t i = 0; i < a->n_encr; i++)
		if (a->encr[i].id != b->encr[i].id || a->encr[i].keybits != b->encr[i].keybits)
			return false;
	return memcmp(a->integ, b->integ, a->n_integ * sizeof(a->integ[0])) == 0 &&
	       memcmp(a->prf, b->prf, a->n_prf * sizeof(a->prf[0])) == 0 &&
	       memcmp(a->dh, b->dh, a->n_dh * sizeof(a->dh[0])) == 0 &&
	       memcmp(a->esn, b->esn, a->n_esn * sizeof(a->esn[0])) == 0;
}
