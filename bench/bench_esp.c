/* SPDX-License-Identifier: MIT */
/*
 * make bench, part (a): in-process ESP throughput per core, against raw
 * OpenSSL doing the same cryptographic work in the same process.
 *
 * For each suite an outbound and an inbound SA share one set of keys; each
 * iteration copies a 1400-byte IPv4 packet into the buffer, encapsulates
 * it (esp_encap) and decapsulates it again (esp_decap), on one thread.
 * The reference loop does, on the same bytes, exactly the crypto that
 * encap+decap does, the way LAB.md says is fastest (cipher fetched once,
 * one keyed context per direction reused, only the IV set per packet):
 *
 *   AES-256-GCM (RFC 4106): seal + open of the 1404-byte ESP payload
 *     (1400 + 2 padding + 2 trailer) with 8 bytes of AAD (SPI | Seq) and a
 *     12-byte nonce (salt | 8-byte IV) set per packet.
 *   AES-256-CBC + HMAC-SHA2-256-128 (RFC 3602, RFC 4868): CBC encrypt of
 *     1408 bytes, HMAC over the 1432 bytes SPI .. trailer, HMAC again and
 *     compare (the verify), CBC decrypt.
 *
 * The ratio ESP/raw is what the ESP layer costs on top of the crypto:
 * header/trailer/padding, the sequence number, anti-replay, the CBC IV
 * from the CSPRNG, the crypto/ wrappers and the checks of decap.
 *
 * Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so a busy
 * neighbour on this 2-core machine costs less; each measurement is run in
 * `rounds` slices, interleaved ESP/raw, and the best slice counts.
 *
 * Usage: bench_esp [-t seconds per measurement] [-r rounds] [-j json-file]
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "crypto/crypto.h"
#include "esp/esp.h"
#include "esp/sad.h"
#include "lib/err.h"

#define PKT_LEN	  1400
#define HEADROOM  64
#define BUF_CAP	  (HEADROOM + PKT_LEN + 128)
#define SPI	  0x1000beef
#define BATCH	  256  /* packets between clock reads */
#define GCM_PT	  1404 /* 1400 + 2 padding + 2 trailer (4-byte alignment, RFC 4303 2.4) */
#define CBC_PT	  1408 /* 1400 + 6 padding + 2 trailer (16-byte blocks, RFC 3602 2.4) */
#define CBC_MACIN (8 + 16 + CBC_PT) /* SPI, Seq, IV, ciphertext (RFC 4303 2.2) */
#define ICV_LEN	  16

struct suite {
	const char *name;
	uint16_t encr;
	uint16_t integ;
};

static const struct suite suites[] = {
	{"aes256gcm16", ALG_ENCR_AES_GCM_16, ALG_INTEG_NONE},
	{"aes256-sha256", ALG_ENCR_AES_CBC, ALG_INTEG_HMAC_SHA2_256_128},
};
#define NSUITES (sizeof(suites) / sizeof(suites[0]))

struct result {
	uint64_t packets;
	double secs; /* thread CPU time */
};

struct bench {
	uint8_t key[36], ikey[32]; /* AES-256 key + salt; HMAC-SHA256 key */
	uint8_t tmpl[PKT_LEN];	   /* the inner packet */
	uint8_t mem[BUF_CAP];
	struct esp_sa *out, *in; /* the ESP pair */
	/* the raw reference */
	EVP_CIPHER *gcm, *cbc;
	EVP_MAC *hmac;
	EVP_CIPHER_CTX *enc, *dec;
	EVP_MAC_CTX *mac;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* RFC 791 header checksum. */
static uint16_t ip_csum(const uint8_t *h, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* A valid IPv4/UDP packet of PKT_LEN bytes, 192.168.25.3 -> 10.0.2.5. */
static void make_packet(uint8_t *p)
{
	static const uint8_t hdr[20] = {0x45,
					0,
					PKT_LEN >> 8,
					PKT_LEN & 0xff,
					0x12,
					0x34,
					0x40,
					0,
					64,
					17,
					0,
					0,
					192,
					168,
					25,
					3,
					10,
					0,
					2,
					5};
	uint16_t c;

	for (size_t i = 0; i < PKT_LEN; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	memcpy(p, hdr, sizeof(hdr));
	c = ip_csum(p, 20);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
	/* UDP 5201 -> 5201, length, checksum 0 (none, RFC 768) */
	p[20] = 0x14, p[21] = 0x51, p[22] = 0x14, p[23] = 0x51;
	p[24] = (uint8_t)((PKT_LEN - 20) >> 8), p[25] = (uint8_t)(PKT_LEN - 20);
	p[26] = p[27] = 0;
}

static int sa_pair(struct bench *b, const struct suite *s)
{
	bool gcm = s->encr == ALG_ENCR_AES_GCM_16;
	struct esp_sa_keys k = {
		.encr = s->encr,
		.keybits = 256,
		.enc_key = b->key,
		.enc_keylen = alg_encr_keymat_len(s->encr, 256),
		.integ = s->integ,
		.integ_key = gcm ? NULL : b->ikey,
		.integ_keylen = gcm ? 0 : sizeof(b->ikey),
	};
	int e;

	if ((e = esp_sa_new(&b->out, SPI, 1, ESP_DIR_OUT, false, 0, 1)) != 0 ||
	    (e = esp_sa_new(&b->in, SPI, 1, ESP_DIR_IN, false, 64, 1)) != 0 ||
	    (e = esp_sa_set_keys(b->out, &k)) != 0 || (e = esp_sa_set_keys(b->in, &k)) != 0)
		fprintf(stderr, "bench_esp: %s: SA setup: %s\n", s->name, ig_strerror(e));
	return e;
}

static void sa_free(struct bench *b)
{
	esp_sa_free(b->out);
	esp_sa_free(b->in);
	b->out = b->in = NULL;
}

/* encap + decap for `secs` of CPU time; -1 on any error. */
static int run_esp(struct bench *b, double secs, struct result *r)
{
	struct esp_buf eb = {.base = b->mem, .cap = BUF_CAP};
	double t0 = now(), t;
	uint64_t n = 0;
	int e;

	do {
		for (int i = 0; i < BATCH; i++) {
			eb.off = HEADROOM;
			eb.len = PKT_LEN;
			memcpy(b->mem + HEADROOM, b->tmpl, PKT_LEN);
			if ((e = esp_encap(b->out, 0, &eb)) != 0 ||
			    (e = esp_decap(b->in, 0, &eb)) != 0) {
				fprintf(stderr, "bench_esp: packet %llu: %s\n",
					(unsigned long long)n, ig_strerror(e));
				return -1;
			}
			if (eb.len != PKT_LEN || eb.off != HEADROOM) {
				fprintf(stderr,
					"bench_esp: decap gave %zu bytes at %zu, want %d at %d\n",
					eb.len, eb.off, PKT_LEN, HEADROOM);
				return -1;
			}
		}
		n += BATCH;
		t = now() - t0;
	} while (t < secs);
	if (memcmp(esp_buf_data(&eb), b->tmpl, PKT_LEN) != 0) {
		fprintf(stderr, "bench_esp: decap does not give back the inner packet\n");
		return -1;
	}
	r->packets = n;
	r->secs = t;
	return 0;
}

static int raw_setup(struct bench *b, const struct suite *s)
{
	OSSL_PARAM hp[2] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
			    OSSL_PARAM_construct_end()};

	if (!(b->enc = EVP_CIPHER_CTX_new()) || !(b->dec = EVP_CIPHER_CTX_new()))
		return -1;
	if (s->encr == ALG_ENCR_AES_GCM_16)
		/* The default IV length of GCM is 12 (salt | 8-byte IV): nothing to set. */
		return EVP_CipherInit_ex2(b->enc, b->gcm, b->key, NULL, 1, NULL) &&
				       EVP_CipherInit_ex2(b->dec, b->gcm, b->key, NULL, 0, NULL)
			       ? 0
			       : -1;
	if (!EVP_CipherInit_ex2(b->enc, b->cbc, b->key, NULL, 1, NULL) ||
	    !EVP_CipherInit_ex2(b->dec, b->cbc, b->key, NULL, 0, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(b->enc, 0) || !EVP_CIPHER_CTX_set_padding(b->dec, 0))
		return -1;
	if (!(b->mac = EVP_MAC_CTX_new(b->hmac)) ||
	    !EVP_MAC_init(b->mac, b->ikey, sizeof(b->ikey), hp))
		return -1;
	return 0;
}

static void raw_free(struct bench *b)
{
	EVP_CIPHER_CTX_free(b->enc);
	EVP_CIPHER_CTX_free(b->dec);
	EVP_MAC_CTX_free(b->mac);
	b->enc = b->dec = NULL;
	b->mac = NULL;
}

/* One GCM packet: seal then open in place; 0 or -1. */
static int gcm_one(struct bench *b, uint8_t *aad, uint8_t *pt, uint64_t seq)
{
	uint8_t nonce[12], tag[ICV_LEN];
	int l, f;

	memcpy(nonce, b->key + 32, 4);
	for (int i = 0; i < 8; i++)
		nonce[4 + i] = (uint8_t)(seq >> (56 - 8 * i));
	aad[7] = (uint8_t)seq;
	if (!EVP_CipherInit_ex2(b->enc, NULL, NULL, nonce, -1, NULL) ||
	    !EVP_CipherUpdate(b->enc, NULL, &l, aad, 8) ||
	    !EVP_CipherUpdate(b->enc, pt, &l, pt, GCM_PT) || !EVP_CipherFinal_ex(b->enc, tag, &f) ||
	    !EVP_CIPHER_CTX_ctrl(b->enc, EVP_CTRL_AEAD_GET_TAG, ICV_LEN, tag))
		return -1;
	if (!EVP_CipherInit_ex2(b->dec, NULL, NULL, nonce, -1, NULL) ||
	    !EVP_CipherUpdate(b->dec, NULL, &l, aad, 8) ||
	    !EVP_CipherUpdate(b->dec, pt, &l, pt, GCM_PT) ||
	    !EVP_CIPHER_CTX_ctrl(b->dec, EVP_CTRL_AEAD_SET_TAG, ICV_LEN, tag) ||
	    !EVP_CipherFinal_ex(b->dec, tag, &f))
		return -1;
	return 0;
}

static int hmac(struct bench *b, const uint8_t *p, uint8_t out[static 32])
{
	size_t l;

	return EVP_MAC_init(b->mac, NULL, 0, NULL) && EVP_MAC_update(b->mac, p, CBC_MACIN) &&
			       EVP_MAC_final(b->mac, out, &l, 32)
		       ? 0
		       : -1;
}

/* One CBC+HMAC packet: encrypt, MAC, MAC and compare, decrypt; 0 or -1. */
static int cbc_one(struct bench *b, uint8_t *p, uint64_t seq)
{
	uint8_t *iv = p + 8, *ct = p + 24, icv[32], chk[32];
	int l, f;

	iv[15] = (uint8_t)seq;
	if (!EVP_CipherInit_ex2(b->enc, NULL, NULL, iv, -1, NULL) ||
	    !EVP_CipherUpdate(b->enc, ct, &l, ct, CBC_PT) ||
	    !EVP_CipherFinal_ex(b->enc, ct + l, &f) || hmac(b, p, icv) != 0)
		return -1;
	if (hmac(b, p, chk) != 0 || CRYPTO_memcmp(icv, chk, ICV_LEN) != 0)
		return -1;
	if (!EVP_CipherInit_ex2(b->dec, NULL, NULL, iv, -1, NULL) ||
	    !EVP_CipherUpdate(b->dec, ct, &l, ct, CBC_PT) ||
	    !EVP_CipherFinal_ex(b->dec, ct + l, &f))
		return -1;
	return 0;
}

/* The raw reference loop; the packet is copied in each time as in run_esp. */
static int run_raw(struct bench *b, const struct suite *s, double secs, struct result *r)
{
	bool gcm = s->encr == ALG_ENCR_AES_GCM_16;
	/* GCM: AAD at mem, payload at mem+8. CBC: SPI|Seq|IV at mem, payload at mem+24. */
	uint8_t *p = b->mem, *pt = b->mem + (gcm ? 8 : 24);
	double t0 = now(), t;
	uint64_t n = 0;

	memset(b->mem, 0, BUF_CAP);
	p[0] = SPI >> 24, p[1] = (SPI >> 16) & 0xff, p[2] = (SPI >> 8) & 0xff, p[3] = SPI & 0xff;
	do {
		for (int i = 0; i < BATCH; i++, n++) {
			memcpy(pt, b->tmpl, PKT_LEN);
			if ((gcm ? gcm_one(b, p, pt, n + 1) : cbc_one(b, p, n + 1)) != 0) {
				fprintf(stderr, "bench_esp: raw %s failed at packet %llu\n",
					s->name, (unsigned long long)n);
				return -1;
			}
		}
		t = now() - t0;
	} while (t < secs);
	if (memcmp(pt, b->tmpl, PKT_LEN) != 0) {
		fprintf(stderr, "bench_esp: raw %s does not round-trip\n", s->name);
		return -1;
	}
	r->packets = n;
	r->secs = t;
	return 0;
}

static double gbps(const struct result *r)
{
	return r->secs > 0 ? (double)r->packets * PKT_LEN * 8 / r->secs / 1e9 : 0;
}

static double nspp(const struct result *r)
{
	return r->packets ? r->secs * 1e9 / (double)r->packets : 0;
}

static void better(struct result *best, const struct result *r)
{
	if (!best->packets || gbps(r) > gbps(best))
		*best = *r;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bench_esp [-t seconds per measurement] [-r rounds] [-j json-file]\n");
}

int main(int argc, char **argv)
{
	struct result esp[NSUITES] = {0}, raw[NSUITES] = {0};
	static struct bench b;
	double secs = 2.0;
	const char *json = NULL;
	int rounds = 10, c, rc = 1;
	FILE *f;

	while ((c = getopt(argc, argv, "t:r:j:h")) != -1) {
		switch (c) {
		case 't': secs = strtod(optarg, NULL); break;
		case 'r': rounds = atoi(optarg); break;
		case 'j': json = optarg; break;
		default: usage(); return 2;
		}
	}
	if (secs <= 0 || rounds < 1) {
		usage();
		return 2;
	}
	if (crypto_init() != 0 || crypto_random(b.key, sizeof(b.key)) != 0 ||
	    crypto_random(b.ikey, sizeof(b.ikey)) != 0) {
		fprintf(stderr, "bench_esp: crypto_init failed\n");
		return 1;
	}
	b.gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	b.cbc = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL);
	b.hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!b.gcm || !b.cbc || !b.hmac) {
		fprintf(stderr, "bench_esp: EVP fetch failed\n");
		goto out;
	}
	make_packet(b.tmpl);

	for (size_t i = 0; i < NSUITES; i++) {
		const struct suite *s = &suites[i];

		if (sa_pair(&b, s) != 0 || raw_setup(&b, s) != 0) {
			fprintf(stderr, "bench_esp: %s: setup failed\n", s->name);
			goto out;
		}
		for (int k = 0; k < rounds; k++) {
			struct result r;

			if (run_esp(&b, secs / rounds, &r) != 0)
				goto out;
			better(&esp[i], &r);
			if (run_raw(&b, s, secs / rounds, &r) != 0)
				goto out;
			better(&raw[i], &r);
		}
		sa_free(&b);
		raw_free(&b);
	}

	printf("ESP encap+decap, %d-byte IPv4 packets, one thread (best of %d x %.2f s CPU)\n",
	       PKT_LEN, rounds, secs / rounds);
	printf("%-15s %12s %10s %12s %10s %8s\n", "suite", "ESP Gbit/s", "ESP ns/pkt", "raw Gbit/s",
	       "raw ns/pkt", "ESP/raw");
	for (size_t i = 0; i < NSUITES; i++)
		printf("%-15s %12.2f %10.0f %12.2f %10.0f %7.1f%%\n", suites[i].name, gbps(&esp[i]),
		       nspp(&esp[i]), gbps(&raw[i]), nspp(&raw[i]),
		       100 * gbps(&esp[i]) / gbps(&raw[i]));

	if (json) {
		if (!(f = fopen(json, "w"))) {
			fprintf(stderr, "bench_esp: %s: %s\n", json, strerror(errno));
			goto out;
		}
		fprintf(f,
			"{\"packet_bytes\": %d, \"seconds\": %.3f, \"rounds\": %d, "
			"\"openssl\": \"%s\", \"suites\": [",
			PKT_LEN, secs, rounds, OpenSSL_version(OPENSSL_VERSION));
		for (size_t i = 0; i < NSUITES; i++)
			fprintf(f,
				"%s{\"suite\": \"%s\", \"esp_gbps\": %.3f, \"esp_ns_per_packet\": "
				"%.1f, "
				"\"raw_gbps\": %.3f, \"raw_ns_per_packet\": %.1f, \"percent\": "
				"%.1f}",
				i ? ", " : "", suites[i].name, gbps(&esp[i]), nspp(&esp[i]),
				gbps(&raw[i]), nspp(&raw[i]), 100 * gbps(&esp[i]) / gbps(&raw[i]));
		fprintf(f, "]}\n");
		if (fclose(f) != 0) {
			fprintf(stderr, "bench_esp: %s: %s\n", json, strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	sa_free(&b);
	raw_free(&b);
	EVP_CIPHER_free(b.gcm);
	EVP_CIPHER_free(b.cbc);
	EVP_MAC_free(b.hmac);
	OPENSSL_cleanse(b.key, sizeof(b.key));
	OPENSSL_cleanse(b.ikey, sizeof(b.ikey));
	crypto_cleanup();
	return rc;
}
