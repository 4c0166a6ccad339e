/* SPDX-License-Identifier: MIT */
/*
 * The Encrypted and Authenticated payload, SK (RFC 7296 3.14), with a
 * classic cipher + integrity pair or an AEAD (RFC 5282).
 *
 *   cipher + integrity: IV (block size) | E(inner | padding | pad length) | ICV
 *     the ICV covers the whole message from the IKE header to the end of
 *     the ciphertext; it is checked before anything is decrypted.
 *   AEAD: IV (8) | E(inner | padding | pad length) | ICV, with the IKE header
 *     and the SK generic header as associated data (RFC 5282 5.1) and the
 *     nonce salt | IV.
 *
 * The keys of our direction: SK_ei/SK_ai if we are the original initiator,
 * SK_er/SK_ar otherwise (2.14).
 */
#include <string.h>

#include "crypto/crypto.h"
#include "ike/ike_build.h"
#include "ike/ike_int.h"
#include "lib/err.h"
#include "lib/secret.h"

static bool is_aead(const struct ike_sa *sa)
{
	return alg_encr_is_aead(sa->suite.encr);
}

int ike_sk_seal(struct ike_sa *sa, uint8_t exchange, bool response, uint32_t msg_id,
		const uint8_t *inner, size_t inner_len, uint8_t inner_first, struct buf_wr *w)
{
	bool aead = is_aead(sa);
	size_t iv_len = alg_encr_iv_len(sa->suite.encr);
	size_t block = aead ? 1 : alg_encr_block_len(sa->suite.encr);
	size_t icv_len = aead ? crypto_aead_icv_len(sa->aead_out)
			      : crypto_integ_icv_len(sa->integ_out);
	/* 3.14: pad so that inner | padding | pad length fills whole blocks. */
	size_t pad = (block - (inner_len + 1) % block) % block;
	size_t ct_len = inner_len + pad + 1;
	struct ike_hdr h = {
		.spi_i = sa->spi_i,
		.spi_r = sa->spi_r,
		.exchange = exchange,
		.flags = (uint8_t)((sa->initiator ? IKEV2_FLAG_INITIATOR : 0) |
				   (response ? IKEV2_FLAG_RESPONSE : 0)),
		.msg_id = msg_id,
	};
	struct ike_bld b;
	uint8_t *body, *iv, *ct, *icv, *msg;
	size_t iv_off, len;
	int r;

	if (!sa->keys_ready)
		return IG_ESTATE;
	if ((r = ike_bld_init(&b, w, &h)) != 0 ||
	    (r = ike_bld_sk(&b, inner_first, iv_len + ct_len + icv_len, &body, &iv_off)) != 0 ||
	    (r = ike_bld_end(&b, &len, NULL)) != 0)
		return r;
	msg = w->p + b.start;
	iv = body;
	ct = iv + iv_len;
	icv = ct + ct_len;
	memcpy(ct, inner, inner_len);
	memset(ct + inner_len, 0, pad);
	ct[inner_len + pad] = (uint8_t)pad;

	if (aead) {
		/* A counter IV never repeats under one key (RFC 5282 3.1). */
		uint64_t n = ++sa->iv_counter;
		struct crypto_iov aad = { msg, iv_off };

		for (size_t i = 0; i < 8; i++)
			iv[i] = (uint8_t)(n >> (56 - 8 * i));
		return crypto_aead_seal(sa->aead_out, iv, &aad, 1, ct, ct_len, icv);
	}
	/* A CBC IV must be unpredictable (3.14). */
	if ((r = crypto_random(iv, iv_len)) != 0 ||
	    (r = crypto_cipher_crypt(sa->enc_out, iv, ct, ct_len)) != 0)
		return r;
	struct crypto_iov all = { msg, (size_t)(icv - msg) };
	return crypto_integ_compute(sa->integ_out, &all, 1, icv);
}

#ifdef IPSECGW_FUZZING
bool ike_fuzz_marker(const uint8_t *p, size_t len)
{
	if (len < 8)
		return false;
	for (size_t i = 0; i < len; i++)
		if (p[i] != 0x5a)
			return false;
	return true;
}
#endif

int ike_sk_open(struct ike_sa *sa, struct ike_msg *m, uint8_t *plain, size_t cap,
		struct ike_parse_err *err)
{
	bool aead = is_aead(sa);
	size_t iv_len = alg_encr_iv_len(sa->suite.encr);
	size_t block = aead ? 1 : alg_encr_block_len(sa->suite.encr);
	size_t icv_len;
	const uint8_t *iv, *ct, *icv;
	size_t ct_len;
	uint8_t pad;
	int r;

	if (!sa->keys_ready)
		return ike_parse_fail(err, IG_ESTATE, 0, "SK payload before keys exist");
	if (!m->has_sk || m->frag)
		return ike_parse_fail(err, IG_EINVAL, IKEV2_N_INVALID_SYNTAX,
				      m->frag ? "fragmented message (SKF) not supported"
					      : "no SK payload");
	icv_len = aead ? crypto_aead_icv_len(sa->aead_in) : crypto_integ_icv_len(sa->integ_in);
#ifdef IPSECGW_FUZZING
	/*
	 * Fuzzing builds only (-Dfuzz=true; ipsecgwd refuses to run there): an
	 * ICV of all 0x5a marks a body whose "ciphertext" is the plain inner
	 * chain, so fuzz_ike_engine reaches the exchange handlers.
	 */
	if (m->sk.len >= iv_len + icv_len && m->sk.len - iv_len - icv_len <= cap &&
	    ike_fuzz_marker(m->sk.p + m->sk.len - icv_len, icv_len)) {
		memcpy(plain, m->sk.p + iv_len, m->sk.len - iv_len - icv_len);
		return ike_msg_parse_inner(m->sk_next, plain, m->sk.len - iv_len - icv_len, m, err);
	}
#endif
	if (m->sk.len < iv_len + icv_len + block)
		return ike_parse_fail(err, IG_ETRUNC, 0,
				      "SK payload: %zu bytes, shorter than IV + one block + ICV (%zu)",
				      m->sk.len, iv_len + icv_len + block);
	iv = m->sk.p;
	ct = iv + iv_len;
	ct_len = m->sk.len - iv_len - icv_len;
	icv = ct + ct_len;
	if (ct_len % block)
		return ike_parse_fail(err, IG_EINVAL, 0,
				      "SK payload: ciphertext of %zu bytes is not whole blocks of %zu",
				      ct_len, block);
	if (ct_len > cap)
		return ike_parse_fail(err, IG_ENOSPC, 0, "SK payload: %zu bytes of ciphertext",
				      ct_len);
	memcpy(plain, ct, ct_len);
	if (aead) {
		struct crypto_iov aad = { m->raw.p, m->sk_iv_off };

		r = crypto_aead_open(sa->aead_in, iv, &aad, 1, plain, ct_len, icv);
	} else {
		/* Integrity first: nothing unauthenticated gets decrypted. */
		struct crypto_iov all = { m->raw.p, (size_t)(icv - m->raw.p) };

		r = crypto_integ_verify(sa->integ_in, &all, 1, icv);
		if (r == 0)
			r = crypto_cipher_crypt(sa->enc_in, iv, plain, ct_len);
	}
	if (r != 0) {
		secret_wipe(plain, ct_len);
		return ike_parse_fail(err, r == IG_EAUTH ? IG_EAUTH : r, 0,
				      "SK payload: integrity check failed");
	}
	pad = plain[ct_len - 1];
	if ((size_t)pad + 1 > ct_len)
		return ike_parse_fail(err, IG_EINVAL, IKEV2_N_INVALID_SYNTAX,
				      "SK payload: pad length %u longer than the plaintext (%zu)", pad,
				      ct_len);
	return ike_msg_parse_inner(m->sk_next, plain, ct_len - pad - 1, m, err);
}
