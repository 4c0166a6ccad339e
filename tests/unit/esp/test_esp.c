/* SPDX-License-Identifier: MIT */
/*
 * ESP encapsulation/decapsulation: published known answers (RFC 3602 4
 * cases 5 and 7, draft-mcgrew-gcm-test-01 4 packets), vectors from an
 * independent Python implementation (gen_esp_vectors.py: HMAC variants,
 * GCM 8/12/16, ChaCha20-Poly1305, GMAC, with and without ESN), round trips,
 * tampering, replay, ESN across 2^32, and every error path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "esp/esp.h"
#include "lib/buf.h"
#include "lib/err.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define HEAD 64

struct esp_vec {
	const char *name;
	uint16_t encr;
	unsigned keybits;
	uint16_t integ;
	bool esn;
	uint32_t spi;
	uint64_t seq;
	const char *key, *ikey, *iv, *inner, *pkt;
};

#include "esp_vectors.h"

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	int n = buf_unhex(hex, out, cap);

	assert_true(n >= 0);
	return (size_t)n;
}

/* An SA keyed for dir; seq is where the sender / receiver stand. */
static struct esp_sa *sa_keyed(enum esp_dir dir, uint32_t spi, uint16_t encr, unsigned keybits,
			       uint16_t integ, bool esn, unsigned window, const uint8_t *key,
			       size_t keylen, const uint8_t *ikey, size_t ikeylen)
{
	struct esp_sa_keys k = {encr, keybits, key, keylen, integ, ikey, ikeylen};
	struct esp_sa *sa;

	assert_int_equal(esp_sa_new(&sa, spi, 1, dir, esn, window, 2), 0);
	assert_int_equal(esp_sa_set_keys(sa, &k), 0);
	return sa;
}

/* A pair with random keys. */
static void pair(uint16_t encr, unsigned keybits, uint16_t integ, bool esn, unsigned window,
		 struct esp_sa **out, struct esp_sa **in)
{
	uint8_t key[ALG_MAX_KEY], ikey[64];
	size_t kl = alg_encr_keymat_len(encr, keybits), il = integ ? alg_integ_key_len(integ) : 0;

	assert_int_equal(crypto_random(key, sizeof(key)), 0);
	assert_int_equal(crypto_random(ikey, sizeof(ikey)), 0);
	*out = sa_keyed(ESP_DIR_OUT, 0xc0de0001, encr, keybits, integ, esn, 0, key, kl, ikey, il);
	*in = sa_keyed(ESP_DIR_IN, 0xc0de0001, encr, keybits, integ, esn, window, key, kl, ikey,
		       il);
}

static void buf_set(struct esp_buf *b, uint8_t *mem, size_t cap, const uint8_t *data, size_t len)
{
	b->base = mem;
	b->cap = cap;
	b->off = HEAD;
	b->len = len;
	memcpy(mem + HEAD, data, len);
}

/*
 * RFC 3602 4, case 5 (transport mode, Next Header 1) and case 7 (tunnel
 * mode): AES-CBC-128 without integrity, fixed IV and sequence number.
 */
static void test_esp_rfc3602(void **state)
{
	static const struct {
		const char *name, *key, *iv, *payload, *esp;
		uint32_t spi, seq;
		uint8_t nh;
	} t[] = {
		{"case 5", "90d382b410eeba7ad938c46cec1a82bf", "e96e8c08ab465763fd098d45dd3ff893",
		 "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f1011121314151617"
		 "18191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
		 "0000432100000001e96e8c08ab465763fd098d45dd3ff893"
		 "f663c25d325c18c6a9453e194e120849a4870b66cc6b9965330013b4898dc856"
		 "a4699e523a55db080b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874a"
		 "a269add047ad2d5913ac19b7cfbad4a6",
		 0x4321, 1, 1},
		{"case 7", "0123456789abcdef0123456789abcdef", "f4e765244f6407adf13dc1380f673f37",
		 "4500005409040000"
		 "4001f988c0a87b03c0a87bc808009f76a90a0100b49c083d"
		 "02a2040008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
		 "2425262728292a2b2c2d2e2f3031323334353637",
		 "0000876500000002f4e765244f6407adf13dc1380f673f37"
		 "773b5241a4c449225e4f3ce5ed611b0c237ca96cf74a93013c1b0ea1a0cf70f8"
		 "e4ecaec78ac53aad7a0f022b859243c647752e94a859352b8a4d4d2decd136e5"
		 "c177f132ad3fbfb2201ac9904c74ee0a109e0ca1e4dfe9d5a100b842f1c22f0d",
		 0x8765, 2, 4},
	};

	for (size_t i = 0; i < N(t); i++) {
		uint8_t key[16], iv[16], payload[128], want[256], mem[512];
		size_t pl = unhex(t[i].payload, payload, sizeof(payload));
		size_t wl = unhex(t[i].esp, want, sizeof(want));
		struct esp_sa *out, *in;
		struct esp_buf b;
		uint8_t nh;

		unhex(t[i].key, key, sizeof(key));
		unhex(t[i].iv, iv, sizeof(iv));
		out = sa_keyed(ESP_DIR_OUT, t[i].spi, ALG_ENCR_AES_CBC, 128, 0, false, 0, key, 16,
			       NULL, 0);
		in = sa_keyed(ESP_DIR_IN, t[i].spi, ALG_ENCR_AES_CBC, 128, 0, false, 64, key, 16,
			      NULL, 0);
		out->seq.last = t[i].seq - 1;
		buf_set(&b, mem, sizeof(mem), payload, pl);
		if (t[i].nh == 4)
			assert_int_equal(esp_encap_nh(out, 0, &b, 4, iv), 0);
		else
			assert_int_equal(esp_encap_nh(out, 0, &b, t[i].nh, iv), 0);
		assert_int_equal(b.len, wl);
		assert_memory_equal(esp_buf_data(&b), want, wl);

		assert_int_equal(esp_decap_nh(in, 1, &b, &nh), 0);
		assert_int_equal(nh, t[i].nh);
		assert_int_equal(b.len, pl);
		assert_memory_equal(esp_buf_data(&b), payload, pl);
		assert_int_equal(b.off, HEAD);
		esp_sa_free(out);
		esp_sa_free(in);
	}
}

/* draft-mcgrew-gcm-test-01 4: AES-GCM-16 ESP packets (128- and 256-bit keys). */
static void test_esp_gcm_draft(void **state)
{
	static const struct {
		const char *keymat, *plain, *esp;
		unsigned keybits;
		uint32_t spi, seq;
	} t[] = {
		{"feffe9928665731c6d6a8f9467308308cafebabe",
		 "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d00100"
		 "000100000000000003736970096379626572636974790264"
		 "6b0000010001",
		 "0000a5f80000000afacedbaddecaf888"
		 "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c"
		 "3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd1"
		 "83b70d3aa8bc6ee4c309e9d85a41ad4a",
		 128, 0xa5f8, 10},
		{"abbccddef00112233445566778899aababbccddef00112233445566778899aab11223344",
		 "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee000000000"
		 "7002400020bf0000020405b401010402",
		 "4a2cbfe3000000020102030405060708"
		 "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763"
		 "748a637985771d347f0545659f14e99def842d8eb335f4eecfdbf831824b4c49"
		 "15956c96",
		 256, 0x4a2cbfe3, 2},
	};

	for (size_t i = 0; i < N(t); i++) {
		uint8_t km[36], plain[128], want[256], mem[512];
		size_t kl = unhex(t[i].keymat, km, sizeof(km));
		size_t pl = unhex(t[i].plain, plain, sizeof(plain));
		size_t wl = unhex(t[i].esp, want, sizeof(want));
		struct esp_sa *out, *in;
		struct esp_buf b;
		uint8_t nh;

		out = sa_keyed(ESP_DIR_OUT, t[i].spi, ALG_ENCR_AES_GCM_16, t[i].keybits, 0, false,
			       0, km, kl, NULL, 0);
		in = sa_keyed(ESP_DIR_IN, t[i].spi, ALG_ENCR_AES_GCM_16, t[i].keybits, 0, false, 64,
			      km, kl, NULL, 0);
		out->seq.last = t[i].seq - 1;
		buf_set(&b, mem, sizeof(mem), plain, pl);
		/* the draft's packets carry Next Header 1 and the IV in the packet */
		assert_int_equal(esp_encap_nh(out, 0, &b, 1, want + 8), 0);
		assert_int_equal(b.len, wl);
		assert_memory_equal(esp_buf_data(&b), want, wl);
		assert_int_equal(esp_decap_nh(in, 0, &b, &nh), 0);
		assert_int_equal(nh, 1);
		assert_int_equal(b.len, pl);
		assert_memory_equal(esp_buf_data(&b), plain, pl);
		esp_sa_free(out);
		esp_sa_free(in);
	}
}

/* Vectors from gen_esp_vectors.py: encap must produce them, decap must read them. */
static void test_esp_independent_vectors(void **state)
{
	for (size_t i = 0; i < N(esp_vectors); i++) {
		const struct esp_vec *v = &esp_vectors[i];
		uint8_t key[64], ikey[64], iv[16], inner[1600], want[1700], mem[1800];
		size_t kl = unhex(v->key, key, sizeof(key)),
		       il = unhex(v->ikey, ikey, sizeof(ikey));
		size_t nl = unhex(v->inner, inner, sizeof(inner)),
		       wl = unhex(v->pkt, want, sizeof(want));
		struct esp_sa *out, *in;
		struct esp_buf b;

		unhex(v->iv, iv, sizeof(iv));
		out = sa_keyed(ESP_DIR_OUT, v->spi, v->encr, v->keybits, v->integ, v->esn, 0, key,
			       kl, ikey, il);
		in = sa_keyed(ESP_DIR_IN, v->spi, v->encr, v->keybits, v->integ, v->esn, 1024, key,
			      kl, ikey, il);
		out->seq.last = v->seq - 1;
		if (v->seq > 1)
			assert_int_equal(esp_replay_update(in->replay, v->seq - 1), 0);
		buf_set(&b, mem, sizeof(mem), inner, nl);
		assert_int_equal(esp_encap_nh(out, 0, &b, inner[0] >> 4 == 4 ? 4 : 41, iv), 0);
		if (b.len != wl || memcmp(esp_buf_data(&b), want, wl) != 0)
			fail_msg("%s: encap differs from the Python vector", v->name);
		assert_int_equal(esp_decap(in, 0, &b), 0);
		assert_int_equal(b.len, nl);
		assert_memory_equal(esp_buf_data(&b), inner, nl);
		assert_true(esp_replay_top(in->replay) == v->seq);
		esp_sa_free(out);
		esp_sa_free(in);
	}
}

static const struct {
	uint16_t encr;
	unsigned keybits;
	uint16_t integ;
} algs[] = {
	{ALG_ENCR_AES_CBC, 128, ALG_INTEG_HMAC_SHA1_96},
	{ALG_ENCR_AES_CBC, 256, ALG_INTEG_HMAC_SHA2_256_128},
	{ALG_ENCR_AES_CBC, 192, ALG_INTEG_HMAC_SHA2_384_192},
	{ALG_ENCR_AES_CBC, 256, ALG_INTEG_HMAC_SHA2_512_256},
	{ALG_ENCR_AES_GCM_8, 128, 0},
	{ALG_ENCR_AES_GCM_12, 192, 0},
	{ALG_ENCR_AES_GCM_16, 256, 0},
	{ALG_ENCR_CHACHA20_POLY1305, 0, 0},
	{ALG_ENCR_NULL_AUTH_AES_GMAC, 128, 0},
	{ALG_ENCR_NULL_AUTH_AES_GMAC, 256, 0},
};

static void fill_inner(uint8_t *p, size_t n, bool v6)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + n);
	p[0] = v6 ? 0x60 : 0x45;
}

/* Every transform, ESN or not, every inner length up to 300 and a few large. */
static void test_esp_round_trip(void **state)
{
	for (size_t a = 0; a < N(algs); a++) {
		for (int esn = 0; esn < 2; esn++) {
			struct esp_sa *out, *in;
			struct esp_sa_stats st;
			uint64_t bytes = 0;

			pair(algs[a].encr, algs[a].keybits, algs[a].integ, esn, 64, &out, &in);
			if (esn)
				out->seq.last = UINT32_MAX - 150; /* cross 2^32 on the way */
			for (size_t n = 1; n < 1500; n += n < 300 ? 1 : 97) {
				uint8_t inner[1500], mem[1700];
				struct esp_buf b;
				size_t body;

				fill_inner(inner, n, n % 2);
				buf_set(&b, mem, sizeof(mem), inner, n);
				assert_int_equal(esp_encap(out, 1, &b), 0);
				body = b.len - ESP_HDR_LEN - out->iv_len - out->icv_len;
				assert_int_equal(body % out->block, 0);
				assert_true(body - n - 2 < out->block); /* minimal padding */
				assert_int_equal(b.off, HEAD - esp_encap_headroom(out));
				assert_int_equal(esp_decap(in, 0, &b), 0);
				assert_int_equal(b.len, n);
				assert_int_equal(b.off, HEAD);
				assert_memory_equal(esp_buf_data(&b), inner, n);
				bytes += n;
			}
			esp_sa_stats(out, &st);
			assert_int_equal(st.bytes, bytes);
			esp_sa_stats(in, &st);
			assert_int_equal(st.bytes, bytes);
			assert_int_equal(st.icv_fails + st.replay_drops + st.malformed, 0);
			assert_true(!esn || esp_replay_top(in->replay) > UINT32_MAX);
			esp_sa_free(out);
			esp_sa_free(in);
		}
	}
}

/*
 * Any flipped bit fails the ICV. With CBC+HMAC the check comes first: the
 * buffer is left exactly as received (nothing was decrypted).
 */
static void test_esp_tamper(void **state)
{
	for (size_t a = 0; a < N(algs); a++) {
		uint8_t inner[100], mem[400], sent[400];
		struct esp_sa *out, *in;
		struct esp_sa_stats st;
		struct esp_buf b;
		size_t len;
		int fails = 0;

		pair(algs[a].encr, algs[a].keybits, algs[a].integ, true, 64, &out, &in);
		fill_inner(inner, sizeof(inner), false);
		buf_set(&b, mem, sizeof(mem), inner, sizeof(inner));
		assert_int_equal(esp_encap(out, 0, &b), 0);
		len = b.len;
		memcpy(sent, esp_buf_data(&b), len);
		/* the SPI byte is checked before the ICV, so start after it */
		for (size_t i = 4; i < len; i++) {
			struct esp_buf t = b;

			memcpy(esp_buf_data(&t), sent, len);
			esp_buf_data(&t)[i] ^= (uint8_t)(1u << (i % 8));
			int e = esp_decap(in, 0, &t);
			if (e != IG_EAUTH)
				fail_msg("alg %zu: byte %zu flipped: got %d", a, i, e);
			fails++;
			assert_int_equal(t.off, b.off);
			assert_int_equal(t.len, len);
			if (algs[a].integ) {
				uint8_t want[400];

				memcpy(want, sent, len);
				want[i] ^= (uint8_t)(1u << (i % 8));
				assert_memory_equal(esp_buf_data(&t), want, len);
			}
		}
		esp_sa_stats(in, &st);
		assert_int_equal(st.icv_fails, fails);
		assert_int_equal(st.packets, 0);
		/* the window did not move: the genuine packet still passes */
		memcpy(esp_buf_data(&b), sent, len);
		assert_int_equal(esp_decap(in, 0, &b), 0);
		esp_sa_free(out);
		esp_sa_free(in);
	}
}

/* Duplicates and old packets are dropped before any crypto and counted. */
static void test_esp_replay(void **state)
{
	uint8_t inner[60], mem[40][300], copy[300];
	struct esp_buf b[40];
	struct esp_sa *out, *in;
	struct esp_sa_stats st;
	size_t len;

	pair(ALG_ENCR_AES_GCM_16, 128, 0, false, 32, &out, &in);
	fill_inner(inner, sizeof(inner), false);
	for (int i = 0; i < 40; i++) {
		buf_set(&b[i], mem[i], sizeof(mem[i]), inner, sizeof(inner));
		assert_int_equal(esp_encap(out, 0, &b[i]), 0);
	}
	len = b[39].len;
	memcpy(copy, esp_buf_data(&b[39]), len);
	assert_int_equal(esp_decap(in, 0, &b[39]), 0);
	/* the same packet again */
	memcpy(esp_buf_data(&b[39]) - esp_encap_headroom(out), copy, len);
	b[39].off -= esp_encap_headroom(out);
	b[39].len = len;
	assert_int_equal(esp_decap(in, 0, &b[39]), IG_EEXIST);
	/* seq 8 is 32 behind 40: outside the window; 9 is inside */
	assert_int_equal(esp_decap(in, 0, &b[7]), IG_ERANGE);
	assert_int_equal(esp_decap(in, 0, &b[8]), 0);
	esp_sa_stats(in, &st);
	assert_int_equal(st.replay_drops, 2);
	assert_int_equal(st.packets, 2);
	esp_sa_free(out);
	esp_sa_free(in);
}

/*
 * ESN: the high bits are not sent, so a receiver that guesses them wrong
 * (the sender is 2^32 ahead of what the window suggests) fails the ICV and
 * keeps its window.
 */
static void test_esp_esn_wrong_guess(void **state)
{
	for (size_t a = 0; a < N(algs); a++) {
		uint8_t inner[50], mem[300];
		struct esp_sa *out, *in;
		struct esp_buf b;

		pair(algs[a].encr, algs[a].keybits, algs[a].integ, true, 64, &out, &in);
		fill_inner(inner, sizeof(inner), true);
		assert_int_equal(esp_replay_update(in->replay, 0x100000010ull), 0);
		out->seq.last = 0x200000004ull; /* sends 2^33 + 5, low bits 5 */
		buf_set(&b, mem, sizeof(mem), inner, sizeof(inner));
		assert_int_equal(esp_encap(out, 0, &b), 0);
		assert_int_equal(esp_decap(in, 0, &b), IG_EAUTH);
		assert_true(esp_replay_top(in->replay) == 0x100000010ull);
		/* and the right guess passes: 2^32 + 5 */
		out->seq.last = 0x100000004ull;
		buf_set(&b, mem, sizeof(mem), inner, sizeof(inner));
		assert_int_equal(esp_encap(out, 0, &b), 0);
		assert_int_equal(esp_decap(in, 0, &b), 0);
		esp_sa_free(out);
		esp_sa_free(in);
	}
}

/*
 * Trailer errors, made with AES-CBC without integrity so the test can
 * write any plaintext it likes: inner bytes, padding, Pad Length, Next
 * Header, encrypted by hand and framed with SPI 0x1234, sequence 1.
 */
static void test_esp_malformed(void **state)
{
	static const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	static const uint8_t iv[16] = {0};
	static const struct {
		const char *name;
		size_t inner, pad; /* bytes present; inner + pad + 2 is a multiple of 16 */
		unsigned claim;	   /* Pad Length field */
		int spoil;	   /* index of a padding byte to spoil (-1 = none) */
		uint8_t nh, first;
		int want; /* esp_decap() */
	} t[] = {
		{"good v4", 30, 0, 0, -1, 4, 0x45, 0},
		{"good v6", 30, 0, 0, -1, 41, 0x60, 0},
		{"good, 3 padding bytes", 27, 3, 3, -1, 4, 0x45, 0},
		{"255 padding bytes", 15, 255, 255, -1, 4, 0x45, 0},
		{"v6 inside, nh 4", 30, 0, 0, -1, 4, 0x60, IG_EINVAL},
		{"v4 inside, nh 41", 30, 0, 0, -1, 41, 0x45, IG_EINVAL},
		{"nh 1 in tunnel mode", 30, 0, 0, -1, 1, 0x45, IG_EINVAL},
		{"dummy", 30, 0, 0, -1, 59, 0x00, ESP_DECAP_DUMMY},
		{"padding not 1,2,3", 27, 3, 3, 1, 4, 0x45, IG_EINVAL},
		{"last padding byte wrong", 15, 255, 255, 254, 4, 0x45, IG_EINVAL},
		{"pad length past the start", 30, 0, 31, -1, 4, 0x45, IG_EINVAL},
		{"pad length 40", 30, 0, 40, -1, 4, 0x45, IG_EINVAL},
		{"pad length = all, padding ok", 0, 30, 30, -1, 4, 0x45, IG_EINVAL}, /* no inner */
		{"pad length short of padding", 27, 3, 2, -1, 4, 0x45, IG_EINVAL},
	};

	for (size_t i = 0; i < N(t); i++) {
		uint8_t mem[600], *pt = mem + HEAD;
		struct esp_sa *enc, *in;
		struct esp_sa_stats st;
		struct esp_buf b;
		size_t len = t[i].inner + t[i].pad + 2;
		int e;

		assert_int_equal(len % 16, 0);
		enc = sa_keyed(ESP_DIR_OUT, 0x1234, ALG_ENCR_AES_CBC, 128, 0, false, 0, key, 16,
			       NULL, 0);
		in = sa_keyed(ESP_DIR_IN, 0x1234, ALG_ENCR_AES_CBC, 128, 0, false, 64, key, 16,
			      NULL, 0);
		memset(mem, 0, sizeof(mem));
		memset(pt, 0xab, t[i].inner);
		if (t[i].inner)
			pt[0] = t[i].first;
		for (size_t k = 0; k < t[i].pad; k++)
			pt[t[i].inner + k] = (uint8_t)(k + 1);
		if (t[i].spoil >= 0)
			pt[t[i].inner + (size_t)t[i].spoil] ^= 0xff;
		pt[len - 2] = (uint8_t)t[i].claim;
		pt[len - 1] = t[i].nh;
		assert_int_equal(crypto_cipher_crypt(enc->cipher, iv, pt, len), 0);
		/* header: SPI 0x1234, sequence 1, IV 0 */
		pt[-24 + 2] = 0x12;
		pt[-24 + 3] = 0x34;
		pt[-24 + 7] = 1;
		b = (struct esp_buf){mem, sizeof(mem), HEAD - 24, len + 24};
		e = esp_decap(in, 0, &b);
		if (e != t[i].want)
			fail_msg("%s: got %d, want %d", t[i].name, e, t[i].want);
		esp_sa_stats(in, &st);
		assert_int_equal(st.malformed, t[i].want < 0 ? 1 : 0);
		assert_int_equal(st.packets, t[i].want == 0 ? 1 : 0);
		if (t[i].want < 0) {
			assert_int_equal(b.off, HEAD - 24);
			assert_int_equal(b.len, len + 24);
		} else if (t[i].want == 0) {
			assert_int_equal(b.off, HEAD);
			assert_int_equal(b.len, t[i].inner);
		}
		/* authentic but malformed still uses up the sequence number */
		assert_true(esp_replay_top(in->replay) == 1);
		esp_sa_free(enc);
		esp_sa_free(in);
	}
}

/* Framing errors that never reach the crypto. */
static void test_esp_framing(void **state)
{
	uint8_t inner[64], mem[400], pkt[400];
	struct esp_sa *out, *in;
	struct esp_sa_stats st;
	struct esp_buf b;
	uint32_t spi;
	size_t len;

	pair(ALG_ENCR_AES_CBC, 128, ALG_INTEG_HMAC_SHA2_256_128, false, 64, &out, &in);
	fill_inner(inner, sizeof(inner), false);
	buf_set(&b, mem, sizeof(mem), inner, sizeof(inner));
	assert_int_equal(esp_encap(out, 0, &b), 0);
	len = b.len;
	memcpy(pkt, esp_buf_data(&b), len);
	assert_int_equal(esp_peek_spi(pkt, len, &spi), 0);
	assert_int_equal(spi, 0xc0de0001);
	assert_int_equal(esp_peek_spi(pkt, 3, &spi), IG_ETRUNC);

	/* every truncation */
	for (size_t l = 0; l < len; l++) {
		struct esp_buf t = {mem, sizeof(mem), 0, l};
		int e;

		memcpy(mem, pkt, len);
		e = esp_decap(in, 0, &t);
		/* short of header + IV + trailer + ICV: truncated; else not whole blocks or ICV */
		assert_true(e == IG_ETRUNC || e == IG_EINVAL || e == IG_EAUTH);
		assert_int_equal(t.len, l);
	}
	/* wrong SPI */
	memcpy(mem, pkt, len);
	mem[0] ^= 1;
	b = (struct esp_buf){mem, sizeof(mem), 0, len};
	assert_int_equal(esp_decap(in, 0, &b), IG_EINVAL);
	/* the genuine one still passes */
	memcpy(mem, pkt, len);
	b = (struct esp_buf){mem, sizeof(mem), 0, len};
	assert_int_equal(esp_decap(in, 0, &b), 0);
	esp_sa_stats(in, &st);
	assert_int_equal(st.packets, 1);
	esp_sa_free(out);
	esp_sa_free(in);
}

static void test_esp_api_errors(void **state)
{
	static const uint8_t key[36], ikey[64];
	uint8_t inner[40], mem[200];
	struct esp_sa *out, *in, *sa;
	struct esp_sa_stats st;
	struct esp_buf b;
	uint8_t nh;

	fill_inner(inner, sizeof(inner), false);
	assert_int_equal(esp_sa_new(&sa, 0x999, 0, ESP_DIR_OUT, false, 0, 1), 0);
	buf_set(&b, mem, sizeof(mem), inner, sizeof(inner));
	assert_int_equal(esp_encap(sa, 0, &b), IG_ESTATE); /* not keyed */
	struct esp_sa_keys k = {ALG_ENCR_AES_GCM_16,	128,  key, 20,
				ALG_INTEG_HMAC_SHA1_96, ikey, 20};
	assert_int_equal(esp_sa_set_keys(sa, &k), IG_EINVAL); /* AEAD + integrity */
	k.integ = 0;
	k.enc_keylen = 16; /* salt missing */
	assert_int_equal(esp_sa_set_keys(sa, &k), IG_EINVAL);
	k.encr = ALG_ENCR_NULL;
	assert_int_equal(esp_sa_set_keys(sa, &k), IG_ENOTSUP);
	k = (struct esp_sa_keys){
		ALG_ENCR_AES_CBC, 128, key, 16, ALG_INTEG_HMAC_SHA2_256_128, ikey, 20};
	assert_int_equal(esp_sa_set_keys(sa, &k), IG_EINVAL); /* HMAC key length */
	assert_null(sa->cipher);
	k.integ_keylen = 32;
	assert_int_equal(esp_sa_set_keys(sa, &k), 0);
	assert_int_equal(esp_sa_set_keys(sa, &k), IG_ESTATE);
	assert_int_equal(esp_encap_headroom(sa), 24);
	assert_int_equal(esp_encap_tailroom(sa, 40), 6 + 2 + 16);
	esp_sa_free(sa);

	pair(ALG_ENCR_AES_CBC, 128, ALG_INTEG_HMAC_SHA1_96, false, 64, &out, &in);
	/* no headroom, no tailroom: untouched */
	buf_set(&b, mem, sizeof(mem), inner, sizeof(inner));
	b.off = 23;
	memcpy(mem + 23, inner, sizeof(inner));
	assert_int_equal(esp_encap(out, 0, &b), IG_ENOSPC);
	assert_int_equal(b.off, 23);
	assert_memory_equal(mem + 23, inner, sizeof(inner));
	buf_set(&b, mem, sizeof(mem), inner, sizeof(inner));
	b.cap = HEAD + sizeof(inner) + esp_encap_tailroom(out, sizeof(inner)) - 1;
	assert_int_equal(esp_encap(out, 0, &b), IG_ENOSPC);
	b.cap++;
	assert_int_equal(esp_encap(out, 0, &b), 0);
	/* not IP */
	buf_set(&b, mem, sizeof(mem), inner, sizeof(inner));
	mem[HEAD] = 0x20;
	assert_int_equal(esp_encap(out, 0, &b), IG_EINVAL);
	b.len = 0;
	assert_int_equal(esp_encap(out, 0, &b), IG_EINVAL);
	/* directions and workers */
	buf_set(&b, mem, sizeof(mem), inner, sizeof(inner));
	assert_int_equal(esp_encap(in, 0, &b), IG_ESTATE);
	assert_int_equal(esp_decap(out, 0, &b), IG_ESTATE);
	assert_int_equal(esp_decap_nh(out, 0, &b, &nh), IG_ESTATE);
	assert_int_equal(esp_encap(out, 2, &b), IG_ESTATE);
	/* sequence number exhaustion: no ESN stops at 2^32 - 1 */
	out->seq.last = UINT32_MAX - 1;
	assert_int_equal(esp_encap(out, 0, &b), 0);
	buf_set(&b, mem, sizeof(mem), inner, sizeof(inner));
	assert_int_equal(esp_encap(out, 0, &b), IG_ERANGE);
	assert_int_equal(b.off, HEAD);
	esp_sa_stats(out, &st);
	assert_int_equal(st.seq_exhausted, 1);
	assert_int_equal(st.packets, 2);
	esp_sa_free(out);
	esp_sa_free(in);
}

static int setup(void **state)
{
	return crypto_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esp_rfc3602),
		cmocka_unit_test(test_esp_gcm_draft),
		cmocka_unit_test(test_esp_independent_vectors),
		cmocka_unit_test(test_esp_round_trip),
		cmocka_unit_test(test_esp_tamper),
		cmocka_unit_test(test_esp_replay),
		cmocka_unit_test(test_esp_esn_wrong_guess),
		cmocka_unit_test(test_esp_malformed),
		cmocka_unit_test(test_esp_framing),
		cmocka_unit_test(test_esp_api_errors),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
