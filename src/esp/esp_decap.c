/* SPDX-License-Identifier: MIT */
/*
 * ESP inbound processing (RFC 4303 3.4), in the order the RFC sets:
 * sequence number check (3.4.3), integrity check before decryption (3.4.4,
 * so a forged packet costs one MAC and never reaches the cipher), then
 * decryption, and only then the window update. Packet bytes are read
 * through struct buf_rd; the decrypted payload is written in place.
 */
#include "esp/esp.h"

#include "crypto/crypto.h"
#include "lib/buf.h"
#include "lib/err.h"

int esp_peek_spi(const uint8_t *pkt, size_t len, uint32_t *spi)
{
	struct buf_rd r;

	buf_rd_init(&r, pkt, len);
	return buf_peek_u32(&r, spi);
}

static int fail(_Atomic uint64_t *ctr, int e)
{
	esp_ctr_add(ctr, 1);
	return e;
}

/* Pad Length and Next Header at the end, and padding 1, 2, 3, ... (2.4). */
static int trailer(const uint8_t *pt, size_t len, size_t *inner, uint8_t *nh)
{
	struct buf_rd r;
	uint8_t padlen, v;
	int e;

	buf_rd_init(&r, pt, len);
	if ((e = buf_skip(&r, len - ESP_TRAILER_LEN)) != 0 || (e = buf_get_u8(&r, &padlen)) != 0 ||
	    (e = buf_get_u8(&r, nh)) != 0)
		return e;
	if ((size_t)padlen + ESP_TRAILER_LEN > len)
		return IG_EINVAL;
	*inner = len - ESP_TRAILER_LEN - padlen;
	buf_rd_init(&r, pt, len);
	if ((e = buf_skip(&r, *inner)) != 0)
		return e;
	for (unsigned i = 1; i <= padlen; i++)
		if ((e = buf_get_u8(&r, &v)) != 0 || v != i)
			return e ? e : IG_EINVAL;
	return 0;
}

/* Everything but counting the good packet; errors are counted here. */
static int decap(struct esp_sa *sa, struct esp_sa_counters *c, struct esp_buf *b,
		 uint8_t *next_header)
{
	const uint8_t *pkt = esp_buf_data(b), *iv, *ct, *icv;
	size_t hl = ESP_HDR_LEN + sa->iv_len, ctlen, inner;
	uint32_t spi, seql;
	uint8_t seqhi[4], *pt, nh;
	struct buf_rd r;
	uint64_t seq;
	int e;

	buf_rd_init(&r, pkt, b->len);
	if ((e = buf_get_u32(&r, &spi)) != 0 || (e = buf_get_u32(&r, &seql)) != 0 ||
	    (e = buf_get_ptr(&r, &iv, sa->iv_len)) != 0)
		return fail(&c->malformed, e);
	if (buf_rd_left(&r) < (size_t)sa->icv_len + ESP_TRAILER_LEN)
		return fail(&c->malformed, IG_ETRUNC);
	ctlen = buf_rd_left(&r) - sa->icv_len;
	if ((e = buf_get_ptr(&r, &ct, ctlen)) != 0 || (e = buf_get_ptr(&r, &icv, sa->icv_len)) != 0)
		return fail(&c->malformed, e);
	/* RFC 3602 3: the ciphertext is whole blocks. */
	if (spi != sa->spi || (sa->cipher && ctlen % sa->block != 0))
		return fail(&c->malformed, IG_EINVAL);

	if ((e = esp_replay_check(sa->replay, seql, &seq)) != 0)
		return fail(&c->replay_drops, e);
	seqhi[0] = (uint8_t)(seq >> 56);
	seqhi[1] = (uint8_t)(seq >> 48);
	seqhi[2] = (uint8_t)(seq >> 40);
	seqhi[3] = (uint8_t)(seq >> 32);

	/* The payload, decrypted in place: the same bytes as ct, writable. */
	pt = esp_buf_data(b) + hl;
	if (sa->cipher) {
		const struct crypto_iov mac_in[2] = {{pkt, hl + ctlen}, {seqhi, sa->esn ? 4 : 0}};

		if (sa->mac && (e = crypto_integ_verify(sa->mac, mac_in, 2, icv)) != 0)
			return e == IG_EAUTH ? fail(&c->icv_fails, e) : e;
		if ((e = crypto_cipher_crypt(sa->cipher, iv, pt, ctlen)) != 0)
			return e;
	} else if (sa->encr == ALG_ENCR_NULL_AUTH_AES_GMAC) {
		const struct crypto_iov aad[3] = {
			{pkt, 4}, {seqhi, sa->esn ? 4 : 0}, {pkt + 4, 4 + sa->iv_len + ctlen}};

		if ((e = crypto_aead_open(sa->aead, iv, aad, 3, NULL, 0, icv)) != 0)
			return e == IG_EAUTH ? fail(&c->icv_fails, e) : e;
	} else {
		const struct crypto_iov aad[3] = {{pkt, 4}, {seqhi, sa->esn ? 4 : 0}, {pkt + 4, 4}};

		if ((e = crypto_aead_open(sa->aead, iv, aad, 3, pt, ctlen, icv)) != 0)
			return e == IG_EAUTH ? fail(&c->icv_fails, e) : e;
	}
	(void)ct;

	/* Authentic: the sequence number is now used, whatever the trailer says. */
	if ((e = esp_replay_update(sa->replay, seq)) != 0)
		return fail(&c->replay_drops, e);
	if ((e = trailer(pt, ctlen, &inner, &nh)) != 0)
		return fail(&c->malformed, e);
	b->off += hl;
	b->len = inner;
	*next_header = nh;
	return nh == ESP_NH_NONE ? ESP_DECAP_DUMMY : 0;
}

int esp_decap_nh(struct esp_sa *sa, unsigned worker, struct esp_buf *b, uint8_t *next_header)
{
	struct esp_sa_counters *c;
	int e;

	if (sa->dir != ESP_DIR_IN || !sa->encr || worker >= sa->nworkers)
		return IG_ESTATE;
	c = esp_sa_ctr(sa, worker);
	if ((e = decap(sa, c, b, next_header)) != 0)
		return e;
	esp_ctr_add(&c->packets, 1);
	esp_ctr_add(&c->bytes, b->len);
	return 0;
}

int esp_decap(struct esp_sa *sa, unsigned worker, struct esp_buf *b)
{
	size_t off = b->off, len = b->len;
	struct esp_sa_counters *c;
	struct buf_rd r;
	uint8_t nh, v;
	int e;

	if (sa->dir != ESP_DIR_IN || !sa->encr || worker >= sa->nworkers)
		return IG_ESTATE;
	c = esp_sa_ctr(sa, worker);
	if ((e = decap(sa, c, b, &nh)) != 0)
		return e;
	buf_rd_init(&r, esp_buf_data(b), b->len);
	/* RFC 4303 2.6: the next header names the inner packet; its version must agree. */
	if (buf_peek_u8(&r, &v) != 0 ||
	    !((nh == ESP_NH_IPV4 && v >> 4 == 4) || (nh == ESP_NH_IPV6 && v >> 4 == 6))) {
		b->off = off;
		b->len = len;
		return fail(&c->malformed, IG_EINVAL);
	}
	esp_ctr_add(&c->packets, 1);
	esp_ctr_add(&c->bytes, b->len);
	return 0;
}
