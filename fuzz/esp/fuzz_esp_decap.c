/* SPDX-License-Identifier: MIT */
/*
 * ESP decapsulation on arbitrary packets. Input: one control byte, then
 * bytes. Control bit 7 clear: the bytes are an ESP packet for inbound SA
 * (control % NSA) -- SA 0 (AES-CBC without integrity) lets the fuzzer
 * reach the trailer checks, the others stop at the ICV. Bit 7 set: the
 * bytes are an inner packet; it is encapsulated, must decapsulate to the
 * same bytes, and with one byte flipped (chosen by the input) must fail.
 * Invariants: no access outside the buffer (ASan), errors leave the
 * buffer's bounds alone, success stays inside them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "esp/esp.h"
#include "lib/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSA  5
#define SPI  0x1000
#define HEAD 64

static const struct {
	uint16_t encr;
	unsigned keybits;
	uint16_t integ;
	bool esn;
} algs[NSA] = {
	{ALG_ENCR_AES_CBC, 128, ALG_INTEG_NONE, false},
	{ALG_ENCR_AES_CBC, 256, ALG_INTEG_HMAC_SHA2_256_128, true},
	{ALG_ENCR_AES_GCM_16, 128, ALG_INTEG_NONE, true},
	{ALG_ENCR_CHACHA20_POLY1305, 0, ALG_INTEG_NONE, false},
	{ALG_ENCR_NULL_AUTH_AES_GMAC, 256, ALG_INTEG_NONE, false},
};

static struct esp_sa *in_sa[NSA], *out_sa[NSA];

static struct esp_sa *make(int i, enum esp_dir dir)
{
	uint8_t key[ALG_MAX_KEY], ikey[64];
	struct esp_sa_keys k = {algs[i].encr,
				algs[i].keybits,
				key,
				alg_encr_keymat_len(algs[i].encr, algs[i].keybits),
				algs[i].integ,
				ikey,
				algs[i].integ ? alg_integ_key_len(algs[i].integ) : 0};
	struct esp_sa *sa;

	/* Fixed keys: 01 02 03 ... (the seeds in fuzz/corpus/fuzz_esp_decap use them). */
	for (size_t j = 0; j < sizeof(key); j++)
		key[j] = (uint8_t)(j + 1);
	for (size_t j = 0; j < sizeof(ikey); j++)
		ikey[j] = (uint8_t)(0x40 + j);
	if (esp_sa_new(&sa, SPI, 1, dir, algs[i].esn, 64, 1) != 0 || esp_sa_set_keys(sa, &k) != 0)
		abort();
	return sa;
}

static void setup(void)
{
	if (in_sa[0])
		return;
	if (crypto_init() != 0)
		abort();
	for (int i = 0; i < NSA; i++) {
		in_sa[i] = make(i, ESP_DIR_IN);
		out_sa[i] = make(i, ESP_DIR_OUT);
	}
}

/* A fresh window each run, so every input behaves the same. */
static void reset(struct esp_sa *in, struct esp_sa *out)
{
	esp_replay_free(in->replay);
	if (esp_replay_new(&in->replay, 64, in->esn) != 0)
		abort();
	esp_seq_init(&out->seq, out->esn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t mem[HEAD + 4096 + 512];
	struct esp_sa *in, *out;
	struct esp_buf b;
	uint8_t ctl, nh;
	int e;

	if (size < 1 || size - 1 > 4096)
		return 0;
	setup();
	ctl = data[0];
	in = in_sa[(ctl & 0x7f) % NSA];
	out = out_sa[(ctl & 0x7f) % NSA];
	reset(in, out);
	data++;
	size--;
	memcpy(mem + HEAD, data, size);
	b = (struct esp_buf){mem, sizeof(mem), HEAD, size};

	if (!(ctl & 0x80)) {
		e = esp_decap_nh(in, 0, &b, &nh);
		if (e < 0 && (b.off != HEAD || b.len != size))
			__builtin_trap();
		if (e >= 0 && (b.off < HEAD || b.off + b.len > HEAD + size))
			__builtin_trap();
		return 0;
	}

	/* Round trip. */
	nh = size ? data[0] : 4;
	if (esp_encap_nh(out, 0, &b, nh, NULL) != 0)
		__builtin_trap();
	{
		size_t len = b.len, off = b.off, flip = size ? (size_t)data[size - 1] * 7 % len : 0;
		uint8_t pkt[4096 + 512];

		memcpy(pkt, mem + off, len);
		if ((e = esp_decap_nh(in, 0, &b, &nh)) != (nh == ESP_NH_NONE ? ESP_DECAP_DUMMY : 0))
			__builtin_trap();
		if (b.len != size || memcmp(mem + b.off, data, size) != 0)
			__builtin_trap();
		/* the same packet with one byte changed: the ICV must catch it */
		if (algs[(ctl & 0x7f) % NSA].integ ||
		    algs[(ctl & 0x7f) % NSA].encr != ALG_ENCR_AES_CBC) {
			reset(in, out);
			memcpy(mem + off, pkt, len);
			mem[off + flip] ^= 0x01;
			b = (struct esp_buf){mem, sizeof(mem), off, len};
			e = esp_decap_nh(in, 0, &b, &nh);
			if (e >= 0 || b.off != off || b.len != len)
				__builtin_trap();
		}
	}
	return 0;
}
