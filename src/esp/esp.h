/* SPDX-License-Identifier: MIT */
/*
 * ESP packet processing (RFC 4303), in place: encapsulation adds the ESP
 * header and IV in the buffer's headroom and the padding, trailer and ICV
 * in its tailroom; decapsulation verifies, decrypts and leaves the inner
 * packet in the same buffer. No allocation, no lock, no algorithm fetch
 * per packet: the SA holds transforms keyed once by esp_sa_set_keys().
 *
 * Transforms: AES-CBC (RFC 3602) with HMAC-SHA1-96 / HMAC-SHA2 (RFC 2404,
 * RFC 4868) or without integrity; AES-GCM with 8/12/16-octet ICV
 * (RFC 4106); ChaCha20-Poly1305 (RFC 7634); AES-GMAC (RFC 4543). Extended
 * sequence numbers (RFC 4303 2.2.1) with all of them.
 *
 * The outer IP/UDP header is not ESP's business: net/ adds and strips it.
 */
#ifndef IPSECGW_ESP_ESP_H
#define IPSECGW_ESP_ESP_H

#include <stddef.h>
#include <stdint.h>

#include "esp/sad.h"

/* Wire constants (RFC 4303 2). */
#define ESP_HDR_LEN	8 /* SPI, Sequence Number */
#define ESP_TRAILER_LEN 2 /* Pad Length, Next Header */
#define ESP_MAX_PAD	255
#define ESP_NH_IPV4	4  /* tunnel mode, IPv4 inside (IANA protocol numbers) */
#define ESP_NH_IPV6	41 /* tunnel mode, IPv6 inside */
#define ESP_NH_NONE	59 /* dummy packet (RFC 4303 2.6): discard */
#define ESP_CBC_IV_LEN	16 /* RFC 3602 3 */
#define ESP_AEAD_IV_LEN 8  /* RFC 4106 3.1, RFC 4543 3.1, RFC 7634 2 */

/* A packet in a buffer: data at base[off .. off+len), room on both sides. */
struct esp_buf {
	uint8_t *base;
	size_t cap;
	size_t off;
	size_t len;
};

static inline uint8_t *esp_buf_data(const struct esp_buf *b)
{
	return b->base + b->off;
}
static inline size_t esp_buf_headroom(const struct esp_buf *b)
{
	return b->off;
}
static inline size_t esp_buf_tailroom(const struct esp_buf *b)
{
	return b->cap - b->off - b->len;
}

/* Transform and keys of an SA, as IKE derives them (RFC 7296 2.17). */
struct esp_sa_keys {
	uint16_t encr; /* ALG_ENCR_AES_CBC, _AES_GCM_*, _CHACHA20_POLY1305, _NULL_AUTH_AES_GMAC */
	unsigned keybits;	/* 128/192/256; 0 for ChaCha20-Poly1305 */
	const uint8_t *enc_key; /* cipher key, then the 4-byte salt for AEADs */
	size_t enc_keylen;
	uint16_t integ; /* ALG_INTEG_*; must be NONE for AEADs */
	const uint8_t *integ_key;
	size_t integ_keylen;
};

/*
 * Keys sa for its direction (encrypt if outbound). Once per SA, on the
 * control thread. IG_ENOTSUP for an unsupported transform, IG_EINVAL for
 * an integrity algorithm with an AEAD or wrong key lengths, IG_ESTATE if
 * already keyed, IG_ENOMEM/IG_ECRYPTO.
 */
int esp_sa_set_keys(struct esp_sa *sa, const struct esp_sa_keys *k);

/* Room encapsulation needs in front of the inner packet (ESP header + IV). */
size_t esp_encap_headroom(const struct esp_sa *sa);
/* Room it needs behind an inner packet of inner_len (padding, trailer, ICV). */
size_t esp_encap_tailroom(const struct esp_sa *sa, size_t inner_len);

/*
 * Tunnel mode: encapsulates the inner IPv4/IPv6 packet in b (Next Header 4
 * or 41 from its version) with the next sequence number and a fresh IV,
 * counting it for `worker`. On success b holds the ESP packet (SPI..ICV).
 * IG_ENOSPC without enough head/tailroom, IG_EINVAL if b is not IPv4/IPv6,
 * IG_ERANGE when the sequence number would cycle (the SA must be rekeyed;
 * counted as seq_exhausted), IG_ESTATE if sa is not an outbound keyed SA.
 * On error b's bounds and inner bytes are unchanged (except after
 * IG_ECRYPTO, when its bytes are undefined).
 */
int esp_encap(struct esp_sa *sa, unsigned worker, struct esp_buf *b);
/*
 * The same with an explicit Next Header (transport mode, dummy packets) and,
 * for known-answer tests, an explicit IV (NULL = fresh: random for CBC, the
 * sequence number for the counter-based AEADs, RFC 4106 3.1).
 */
int esp_encap_nh(struct esp_sa *sa, unsigned worker, struct esp_buf *b, uint8_t next_header,
		 const uint8_t *iv);

/* The SPI of an ESP packet, to find its SA (RFC 4303 3.4.2). */
int esp_peek_spi(const uint8_t *pkt, size_t len, uint32_t *spi);

#define ESP_DECAP_DUMMY 1 /* a valid dummy packet (Next Header 59): drop silently */

/*
 * Decapsulates the ESP packet in b (starting at the SPI) for inbound sa:
 * length checks, anti-replay check, ICV verification (before any
 * decryption for CBC+HMAC), decryption, anti-replay update, trailer and
 * padding checks (RFC 4303 3.4). On success b holds the payload and
 * *next_header its protocol; returns 0 or ESP_DECAP_DUMMY. Errors, each
 * counted for `worker`: IG_ETRUNC/IG_EINVAL malformed; IG_ERANGE/IG_EEXIST
 * replay (old/duplicate); IG_EAUTH ICV failure. IG_ESTATE if sa is not an
 * inbound keyed SA. After an error b's bounds are unchanged.
 */
int esp_decap_nh(struct esp_sa *sa, unsigned worker, struct esp_buf *b, uint8_t *next_header);
/*
 * Tunnel mode: as esp_decap_nh, and the payload must be an IPv4 (Next
 * Header 4) or IPv6 (41) packet of that version (else IG_EINVAL, malformed).
 */
int esp_decap(struct esp_sa *sa, unsigned worker, struct esp_buf *b);

#endif
