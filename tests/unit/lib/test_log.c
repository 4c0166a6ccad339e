/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "lib/log.h"
#include "lib/secret.h"

static char last[256];
static int count;

static void listener(void *ctx, enum log_subsys s, enum log_level l, const char *line)
{
	(void)ctx;
	(void)s;
	(void)l;
	snprintf(last, sizeof(last), "%s", line);
	count++;
}

static int setup(void **state)
{
	log_set_target(LOG_TO_NONE, NULL);
	log_set_all(LL_INFO);
	count = 0;
	last[0] = '\0';
	return log_add_listener(listener, NULL);
}

static int teardown(void **state)
{
	log_remove_listener(listener, NULL);
	return 0;
}

static void test_levels_per_subsystem(void **state)
{
	log_set_level(LS_IKE, LL_DEBUG);
	log_set_level(LS_ESP, LL_WARN);
	log_debug(LS_IKE, "tunnel %s: sent IKE_SA_INIT", "onprem");
	assert_string_equal(last, "ike: tunnel onprem: sent IKE_SA_INIT");
	log_info(LS_ESP, "dropped");
	assert_int_equal(count, 1);
	log_warn(LS_ESP, "replay");
	assert_int_equal(count, 2);
	assert_string_equal(last, "esp: replay");
	log_debug(LS_CFG, "nope");
	assert_int_equal(count, 2);
}

static void test_parse_names(void **state)
{
	enum log_subsys s;
	enum log_level l;

	assert_int_equal(log_subsys_parse("ike", &s), 0);
	assert_int_equal(s, LS_IKE);
	assert_int_equal(log_subsys_parse("CTL", &s), 0);
	assert_int_equal(s, LS_CTL);
	assert_int_equal(log_subsys_parse("kernel", &s), IG_EINVAL);
	assert_int_equal(log_level_parse("debug", &l), 0);
	assert_int_equal(l, LL_DEBUG);
	assert_int_equal(log_level_parse("warning", &l), 0);
	assert_int_equal(l, LL_WARN);
	assert_int_equal(log_level_parse("verbose", &l), IG_EINVAL);
}

static void test_ratelimit(void **state)
{
	struct log_ratelimit rl = LOG_RATELIMIT_INIT(3600, 3);
	int ok = 0;

	for (int i = 0; i < 10; i++)
		ok += log_ratelimit_ok(&rl, LS_NET);
	assert_int_equal(ok, 3);
	assert_int_equal(rl.suppressed, 7);
}

static const void *hooked;
static size_t hooked_len;
static int hooked_nonzero;

static void free_hook(const void *p, size_t len)
{
	const uint8_t *b = p;

	hooked = p;
	hooked_len = len;
	for (size_t i = 0; i < len; i++)
		hooked_nonzero |= b[i];
}

/* Secrets are wiped before they are freed. */
static void test_secret_wiped(void **state)
{
	struct secret *s = secret_dup("pre-shared key!!", 16);

	assert_non_null(s);
	assert_int_equal(s->len, 16);
	secret_free_hook = free_hook;
	secret_free(s);
	secret_free_hook = NULL;
	assert_non_null(hooked);
	assert_int_equal(hooked_len, 16);
	assert_int_equal(hooked_nonzero, 0);
	secret_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_levels_per_subsystem, setup, teardown),
		cmocka_unit_test(test_parse_names),
		cmocka_unit_test(test_ratelimit),
		cmocka_unit_test(test_secret_wiped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
