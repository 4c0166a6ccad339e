/* SPDX-License-Identifier: MIT */
/*
 * ESP keying and outbound processing (RFC 4303 3.3).
 *
 *   | SPI | Seq (low 32) | IV | payload | padding | pad len | next hdr | ICV |
 *   |<-- ESP header -->|                |<-------- trailer -------->|
 *
 * What the ICV covers (RFC 4303 2.2.1, 3.3.2): HMAC over SPI .. next
 * header, followed by the high 32 bits of the sequence number with ESN (not
 * sent). AEAD (RFC 4106 5, RFC 7634 4): AAD = SPI | Seq, or SPI | Seq high |
 * Seq low with ESN, and the payload .. next header is encrypted. GMAC
 * (RFC 4543 3.5): everything from the SPI to the next header, with the IV
 * and (ESN) Seq high inserted the same way, is AAD; nothing is encrypted.
 */
#include "esp/esp.h"

#include <string.h>

#include "crypto/crypto.h"
#include "lib/buf.h"
#include "lib/err.h"

int esp_sa_set_keys(struct esp_sa *sa, const struct esp_sa_keys *k)
{
	bool enc = sa->dir == ESP_DIR_OUT;
	int e;

	if (sa->encr)
		return IG_ESTATE;
	switch (k->encr) {
	case ALG_ENCR_AES_CBC:
		if ((e = crypto_cipher_new(&sa->cipher, k->encr, k->keybits, k->enc_key,
					   k->enc_keylen, enc)) != 0)
			goto out;
		if (k->integ != ALG_INTEG_NONE &&
		    (e = crypto_integ_new(&sa->mac, k->integ, k->integ_key, k->integ_keylen)) != 0)
			goto out;
		sa->iv_len = ESP_CBC_IV_LEN;
		sa->block = 16; /* RFC 3602 2.4 */
		sa->icv_len = sa->mac ? (uint8_t)crypto_integ_icv_len(sa->mac) : 0;
		break;
	case ALG_ENCR_AES_GCM_8:
	case ALG_ENCR_AES_GCM_12:
	case ALG_ENCR_AES_GCM_16:
	case ALG_ENCR_CHACHA20_POLY1305:
	case ALG_ENCR_NULL_AUTH_AES_GMAC:
		/* RFC 4106 8.3 / RFC 7296 3.3: an AEAD has no separate integrity. */
		if (k->integ != ALG_INTEG_NONE)
			return IG_EINVAL;
		if ((e = crypto_aead_new(&sa->aead, k->encr, k->keybits, k->enc_key, k->enc_keylen,
					 enc)) != 0)
			goto out;
		sa->iv_len = ESP_AEAD_IV_LEN;
		sa->block = 4; /* RFC 4303 2.4: 4-byte alignment only */
		sa->icv_len = (uint8_t)crypto_aead_icv_len(sa->aead);
		break;
	default: return IG_ENOTSUP;
	}
	sa->encr = k->encr;
	sa->keybits = k->keybits;
	sa->integ = k->integ;
	return 0;
out:
	crypto_cipher_free(sa->cipher);
	crypto_integ_free(sa->mac);
	crypto_aead_free(sa->aead);
	sa->cipher = NULL;
	sa->mac = NULL;
	sa->aead = NULL;
	return e;
}

size_t esp_encap_headroom(const struct esp_sa *sa)
{
	return ESP_HDR_LEN + sa->iv_len;
}

/* RFC 4303 2.4: payload + padding + 2 is a multiple of the block size. */
static size_t pad_len(const struct esp_sa *sa, size_t inner_len)
{
	return (sa->block - (inner_len + ESP_TRAILER_LEN) % sa->block) % sa->block;
}

size_t esp_encap_tailroom(const struct esp_sa *sa, size_t inner_len)
{
	return pad_len(sa, inner_len) + ESP_TRAILER_LEN + sa->icv_len;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The next unpredictable CBC IV from the SA's pool (refilled when used up). */
static int next_cbc_iv(struct esp_sa *sa, uint8_t *iv)
{
	int e;

	if (sa->iv_pool_pos == 0 || sa->iv_pool_pos + sa->iv_len > ESP_IV_POOL) {
		if ((e = crypto_random(sa->iv_pool, ESP_IV_POOL)) != 0)
			return e;
		sa->iv_pool_pos = 0;
	}
	memcpy(iv, sa->iv_pool + sa->iv_pool_pos, sa->iv_len);
	/* Never hand out the same bytes twice. */
	memset(sa->iv_pool + sa->iv_pool_pos, 0, sa->iv_len);
	sa->iv_pool_pos = (uint16_t)(sa->iv_pool_pos + sa->iv_len);
	if (sa->iv_pool_pos + sa->iv_len > ESP_IV_POOL)
		sa->iv_pool_pos = 0;
	return 0;
}

int esp_encap_nh(struct esp_sa *sa, unsigned worker, struct esp_buf *b, uint8_t next_header,
		 const uint8_t *iv_in)
{
	size_t inner = b->len, pad, plen, hl = esp_encap_headroom(sa);
	struct esp_sa_counters *c;
	uint8_t *p, *payload, *iv, *icv, seqhi[4];
	uint64_t seq;
	int e;

	if (sa->dir != ESP_DIR_OUT || !sa->encr || worker >= sa->nworkers)
		return IG_ESTATE;
	c = esp_sa_ctr(sa, worker);
	pad = pad_len(sa, inner);
	if (esp_buf_headroom(b) < hl || esp_buf_tailroom(b) < esp_encap_tailroom(sa, inner))
		return IG_ENOSPC;
	if ((e = esp_seq_next(&sa->seq, &seq)) != 0) {
		esp_ctr_add(&c->seq_exhausted, 1);
		return e;
	}

	/* Trailer: padding 1, 2, 3, ... (RFC 4303 2.4), pad length, next header. */
	payload = esp_buf_data(b);
	for (size_t i = 0; i < pad; i++)
		payload[inner + i] = (uint8_t)(i + 1);
	payload[inner + pad] = (uint8_t)pad;
	payload[inner + pad + 1] = next_header;
	plen = inner + pad + ESP_TRAILER_LEN;
	icv = payload + plen;

	p = payload - hl;
	put32(p, sa->spi);
	put32(p + 4, (uint32_t)seq);
	put32(seqhi, (uint32_t)(seq >> 32));
	iv = p + ESP_HDR_LEN;
	if (iv_in) {
		memcpy(iv, iv_in, sa->iv_len);
	} else if (sa->cipher) {
		/* RFC 3602 3: the CBC IV must be unpredictable. */
		if ((e = next_cbc_iv(sa, iv)) != 0)
			return e;
	} else {
		/* RFC 4106 3.1: unique per key is enough; the sequence number never repeats. */
		put32(iv, (uint32_t)(seq >> 32));
		put32(iv + 4, (uint32_t)seq);
	}

	if (sa->cipher) {
		const struct crypto_iov mac_in[2] = {{p, hl + plen}, {seqhi, sa->esn ? 4 : 0}};

		if ((e = crypto_cipher_crypt(sa->cipher, iv, payload, plen)) != 0 ||
		    (sa->mac && (e = crypto_integ_compute(sa->mac, mac_in, 2, icv)) != 0))
			return e;
	} else if (sa->encr == ALG_ENCR_NULL_AUTH_AES_GMAC) {
		const struct crypto_iov aad[3] = {
			{p, 4}, {seqhi, sa->esn ? 4 : 0}, {p + 4, 4 + sa->iv_len + plen}};

		if ((e = crypto_aead_seal(sa->aead, iv, aad, 3, NULL, 0, icv)) != 0)
			return e;
	} else {
		const struct crypto_iov aad[3] = {{p, 4}, {seqhi, sa->esn ? 4 : 0}, {p + 4, 4}};

		if ((e = crypto_aead_seal(sa->aead, iv, aad, 3, payload, plen, icv)) != 0)
			return e;
	}
	b->off -= hl;
	b->len = hl + plen + sa->icv_len;
	esp_ctr_add(&c->packets, 1);
	esp_ctr_add(&c->bytes, inner);
	return 0;
}

int esp_encap(struct esp_sa *sa, unsigned worker, struct esp_buf *b)
{
	struct buf_rd r;
	uint8_t v;

	buf_rd_init(&r, esp_buf_data(b), b->len);
	if (buf_peek_u8(&r, &v) != 0)
		return IG_EINVAL;
	/* RFC 4303 2.6 / RFC 4301 5.1.2: the inner IP version names the protocol. */
	switch (v >> 4) {
	case 4: return esp_encap_nh(sa, worker, b, ESP_NH_IPV4, NULL);
	case 6: return esp_encap_nh(sa, worker, b, ESP_NH_IPV6, NULL);
	default: return IG_EINVAL;
	}
}
