/* SPDX-License-Identifier: MIT */
/*
 * prf+ (RFC 7296 2.13) against stored vectors from an independent
 * implementation: tests/data/crypto/prfplus.txt, written by
 * gen_prfplus.py with Python's hmac module (every PRF; empty, short, long
 * keys; empty and long seeds; output lengths below, at and above the PRF
 * length, not multiples of it, and the 255-block maximum). Plus the limit:
 * one octet more than 255 blocks is refused, and shorter outputs are
 * prefixes of longer ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "lib/err.h"
#include "kat/kat_hex.h"

#define MAX_VECTORS 64
#define MAX_OUT	    (255 * ALG_MAX_PRF)

struct vec {
	char name[80];
	uint16_t prf;
	uint8_t *key, *seed, *out;
	size_t keylen, seedlen, outlen;
};

static struct vec vecs[MAX_VECTORS];
static size_t nvecs;

static uint8_t *decode(const char *hex, size_t *len)
{
	size_t n = strlen(hex) / 2;
	uint8_t *p = malloc(n ? n : 1);

	assert_non_null(p);
	*len = strcmp(hex, "-") == 0 ? 0 : kat_unhex(hex, p, n);
	return p;
}

/* Loads the vectors; one cmocka test each. */
static int load(void)
{
	const char *dir = getenv("IPSECGW_TEST_DATA");
	char path[4096], *line = NULL;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/crypto/prfplus.txt", dir ? dir : "tests/data");
	if (!(f = fopen(path, "r"))) {
		fprintf(stderr, "kat_prfplus: cannot open %s\n", path);
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		char *prf, *key, *seed, *outlen, *out, *save;
		struct vec *v;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (nvecs == MAX_VECTORS || !(prf = strtok_r(line, " \n", &save)) ||
		    !(key = strtok_r(NULL, " \n", &save)) ||
		    !(seed = strtok_r(NULL, " \n", &save)) ||
		    !(outlen = strtok_r(NULL, " \n", &save)) ||
		    !(out = strtok_r(NULL, " \n", &save)))
			break;
		v = &vecs[nvecs++];
		v->prf = (uint16_t)atoi(prf);
		v->key = decode(key, &v->keylen);
		v->seed = decode(seed, &v->seedlen);
		v->out = decode(out, &v->outlen);
		if ((size_t)atol(outlen) != v->outlen)
			break;
		snprintf(v->name, sizeof(v->name), "%s key %zu seed %zu out %zu",
			 alg_prf_name(v->prf), v->keylen, v->seedlen, v->outlen);
	}
	free(line);
	fclose(f);
	return nvecs > 0 ? 0 : -1;
}

static void test_vector(void **state)
{
	const struct vec *v = *state;
	uint8_t *out = malloc(v->outlen + 1);

	assert_non_null(out);
	out[v->outlen] = 0xa5; /* canary: nothing written past outlen */
	assert_int_equal(
		crypto_prf_plus(v->prf, v->key, v->keylen, v->seed, v->seedlen, out, v->outlen), 0);
	assert_memory_equal(out, v->out, v->outlen);
	assert_int_equal(out[v->outlen], 0xa5);
	free(out);
}

static void test_limit(void **state)
{
	static const uint16_t prfs[] = {ALG_PRF_HMAC_SHA1, ALG_PRF_HMAC_SHA2_256,
					ALG_PRF_HMAC_SHA2_384, ALG_PRF_HMAC_SHA2_512};
	static uint8_t out[MAX_OUT + 1];
	const uint8_t key[16] = {1}, seed[8] = {2};

	for (size_t i = 0; i < sizeof(prfs) / sizeof(prfs[0]); i++) {
		size_t max = 255 * alg_prf_len(prfs[i]);

		memset(out, 0xa5, sizeof(out));
		assert_int_equal(crypto_prf_plus(prfs[i], key, 16, seed, 8, out, max + 1),
				 IG_ERANGE);
		assert_int_equal(out[0], 0xa5); /* nothing written */
		assert_int_equal(crypto_prf_plus(prfs[i], key, 16, seed, 8, out, max), 0);
	}
	assert_int_equal(crypto_prf_plus(ALG_PRF_NONE, key, 16, seed, 8, out, 16), IG_ENOTSUP);
	assert_int_equal(crypto_prf_plus(1, key, 16, seed, 8, out, 16), IG_ENOTSUP);
}

static void test_prefix(void **state)
{
	uint8_t a[300], b[300];
	const uint8_t key[32] = {3}, seed[40] = {4};

	assert_int_equal(crypto_prf_plus(ALG_PRF_HMAC_SHA2_256, key, 32, seed, 40, a, 300), 0);
	for (size_t n = 0; n <= 300; n += 7) {
		memset(b, 0, sizeof(b));
		assert_int_equal(crypto_prf_plus(ALG_PRF_HMAC_SHA2_256, key, 32, seed, 40, b, n),
				 0);
		assert_memory_equal(a, b, n);
	}
}

int main(void)
{
	struct CMUnitTest tests[MAX_VECTORS + 2] = {
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_prefix),
	};
	size_t n = 2;
	int r;

	if (load() != 0) {
		fprintf(stderr, "kat_prfplus: no vectors\n");
		return 1;
	}
	for (size_t i = 0; i < nvecs; i++)
		tests[n++] = (struct CMUnitTest){vecs[i].name, test_vector, NULL, NULL, &vecs[i]};
	r = _cmocka_run_group_tests("kat_prfplus", tests, n, NULL, NULL);
	for (size_t i = 0; i < nvecs; i++) {
		free(vecs[i].key);
		free(vecs[i].seed);
		free(vecs[i].out);
	}
	return r;
}
