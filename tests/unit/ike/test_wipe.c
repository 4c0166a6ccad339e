/* SPDX-License-Identifier: MIT */
/*
 * Secrets are wiped before their memory goes back to the allocator
 * (STYLE.md 6, docs/security.md). This test replaces free() for the whole
 * process (the executable's definition interposes on libc's, also for calls
 * from OpenSSL and libyaml) and looks inside every block freed while it is
 * armed for the secrets it knows: a PSK given inline and in a psk-file, the
 * SK_e/SK_a keys of an IKE SA and the ESP keys of its CHILD SA. A block that
 * still holds one of them was freed without a cleanse.
 *
 * Covers: config load and cfg_free (libyaml's buffers included), the
 * psk-file reader, the IKE engine and crypto wrappers from IKE_SA_INIT to
 * Delete and ike_engine_free. Not covered: memory a realloc() moved away
 * (glibc frees that internally) and memory never freed (stack, statics).
 * Sanitizer builds own free(): meson builds this test only without them
 * (and if it is built with one anyway, every case skips).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <malloc.h>

#include "exchange_harness.h"
#include "lib/log.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_FREE_HOOK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_FREE_HOOK 0
#endif
#endif
#ifndef HAVE_FREE_HOOK
#define HAVE_FREE_HOOK 1
#endif

#define MAX_PAT 64

static struct {
	uint8_t b[64];
	size_t len;
	char what[48];
} pat[MAX_PAT];
static size_t npat;
static volatile int armed;
static unsigned hits;
static unsigned long frees_seen; /* proves the hook is in place */
static char first_hit[64];

static void want_wiped(const char *what, const void *p, size_t len)
{
	if (len < 8 || npat == MAX_PAT)
		return; /* short patterns would match by chance */
	/* A key's first 16 bytes too: an AES key schedule starts with them. */
	if (len > 16) {
		char part[40];

		snprintf(part, sizeof(part), "%s[0..16)", what);
		want_wiped(part, p, 16);
	}
	if (len > sizeof(pat[0].b))
		len = sizeof(pat[0].b);
	memcpy(pat[npat].b, p, len);
	pat[npat].len = len;
	snprintf(pat[npat].what, sizeof(pat[npat].what), "%s", what);
	npat++;
}

#if HAVE_FREE_HOOK
extern void __libc_free(void *p);

void free(void *p)
{
	if (p && armed) {
		size_t n = malloc_usable_size(p);

		frees_seen++;
		for (size_t i = 0; i < npat; i++)
			if (memmem(p, n, pat[i].b, pat[i].len)) {
				if (!hits++)
					snprintf(first_hit, sizeof(first_hit), "%s (block of %zu)",
						 pat[i].what, n);
			}
	}
	__libc_free(p);
}
#endif

static void arm(void)
{
	hits = 0;
	frees_seen = 0;
	first_hit[0] = '\0';
	armed = 1;
}

static void disarm_and_check(void)
{
	armed = 0;
	assert_true(frees_seen > 0);
	if (hits)
		print_error("%u freed block(s) still held a secret, first: %s\n", hits, first_hit);
	assert_int_equal(hits, 0);
	npat = 0;
}

static int skip_without_hook(void)
{
	if (!HAVE_FREE_HOOK) {
		print_message("free() belongs to the sanitizer here: skipped\n");
		skip();
	}
	return 0;
}

#define PSK_INLINE "inline-PSK-7f3a9c21e8"
#define PSK_FILE   "file-PSK-52d0b7e4a1c9"

/* A config with both kinds of PSK: load, validate, free. */
static void test_config_psk(void **state)
{
	char dir[] = "/tmp/ipsecgw-wipe.XXXXXX", path[128], yaml[1024];
	struct cfg_diag d;
	struct cfg *c = NULL;
	FILE *f;

	(void)state;
	skip_without_hook();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/psk", dir);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "%s\n", PSK_FILE);
	fclose(f);
	chmod(path, 0600);
	snprintf(
		yaml, sizeof(yaml),
		"gateway: {name: gw, local-subnets: [192.168.25.0/24]}\n"
		"tunnels:\n"
		"  - {name: a, peer: 198.51.100.57, psk: \"%s\", remote-subnets: [10.0.2.0/24]}\n"
		"  - {name: b, peer: 198.51.100.58, psk-file: %s, remote-subnets: [10.0.3.0/24]}\n",
		PSK_INLINE, path);
	want_wiped("inline PSK", PSK_INLINE, strlen(PSK_INLINE));
	want_wiped("psk-file PSK", PSK_FILE, strlen(PSK_FILE));
	cfg_diag_init(&d);
	arm();
	assert_int_equal(cfg_load_string(yaml, strlen(yaml), "wipe", &c, &d), 0);
	assert_int_equal(cfg_diag_count(&d), 0);
	cfg_free(c);
	disarm_and_check();
	cfg_diag_free(&d);
	unlink(path);
	rmdir(dir);
}

struct keys {
	size_t n;
};

static void keys_cb(void *ctx, const struct ike_keys_sa *sa, const struct ike_keys_child *c)
{
	struct keys *k = ctx;

	k->n++;
	if (!c) {
		want_wiped("SK_ei", sa->sk_ei, sa->e_len);
		want_wiped("SK_er", sa->sk_er, sa->e_len);
		want_wiped("SK_ai", sa->sk_ai, sa->a_len);
		want_wiped("SK_ar", sa->sk_ar, sa->a_len);
		return;
	}
	want_wiped("ESP in enc key", c->in.enc_key, c->in.enc_key_len);
	want_wiped("ESP in int key", c->in.int_key, c->in.int_key_len);
	want_wiped("ESP out enc key", c->out.enc_key, c->out.enc_key_len);
	want_wiped("ESP out int key", c->out.int_key, c->out.int_key_len);
}

static char ya[2048], yb[2048];

/* The IKE engine and crypto/: up, Delete, free, with each suite's key sizes. */
static void run_suite(const char *ike, const char *esp)
{
	char extra[256];
	struct hx h = {0};
	struct keys k = {0};

	snprintf(extra, sizeof(extra), "    ike: {proposals: [%s]}\n    esp: {proposals: [%s]}\n",
		 ike, esp);
	snprintf(ya, sizeof(ya), HX_YAML_A, "192.168.0.123", "info", "203.0.113.7", extra);
	snprintf(yb, sizeof(yb), HX_YAML_B, "203.0.113.7", "198.51.100.57", extra);
	want_wiped("PSK", "8 to 40 characters", 18);
	arm();
	hx_init(&h, ya, yb, true);
	assert_int_equal(ike_engine_initiate(h.a.e, "cloud"), 0);
	hx_run(&h, 1000);
	assert_int_equal(hx_children(&h.a), 1);
	/* The keys are known only now; frees so far were checked for the PSK. */
	ike_engine_keys(h.a.e, keys_cb, &k);
	assert_int_equal(k.n, 2);
	assert_int_equal(ike_engine_terminate(h.a.e, "cloud"), 0);
	hx_run(&h, 1000);
	assert_int_equal(hx_children(&h.a), 0);
	hx_free(&h);
	disarm_and_check();
}

static void test_engine_cbc(void **state)
{
	(void)state;
	skip_without_hook();
	run_suite("aes256-sha256-modp2048", "aes256-sha256");
}

static void test_engine_gcm(void **state)
{
	(void)state;
	skip_without_hook();
	run_suite("aes256gcm16-prfsha384-ecp384", "aes256gcm16-ecp384");
}

/* The hook itself: a block freed with a secret in it is caught. */
static void test_hook_catches(void **state)
{
	char *volatile p;
	void (*volatile release)(void *) = free; /* no malloc/free pair for the compiler to elide */

	(void)state;
	skip_without_hook();
	want_wiped("canary", "canary-secret-0011", 18);
	armed = 1;
	hits = 0;
	assert_non_null(p = malloc(64));
	memcpy(p + 10, "canary-secret-0011", 18);
	release(p);
	armed = 0;
	npat = 0;
	assert_true(hits >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hook_catches),
		cmocka_unit_test(test_config_psk),
		cmocka_unit_test(test_engine_cbc),
		cmocka_unit_test(test_engine_gcm),
	};

	log_set_target(LOG_TO_NONE, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
