/* SPDX-License-Identifier: MIT */
/*
 * The text renderers against golden files (tests/data/cli/NAME.txt, written
 * by hand in VyOS 1.4's op-mode layout), and the formatting helpers they
 * use, table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <time.h>

#include "cli/fmt.h"
#include "cli/render.h"
#include "cli_fixture.h"

typedef char *(*render_fn)(const json_t *, char *, size_t);

static void golden(const char *json_name, const char *txt_name, render_fn fn)
{
	json_t *in = fixture_json(json_name);
	char *want = fixture_text(txt_name), *got, err[256] = "";

	assert_non_null(in);
	assert_non_null(want);
	got = fn(in, err, sizeof(err));
	if (!got)
		fail_msg("%s: %s", json_name, err);
	if (strcmp(got, want) != 0)
		fail_msg("%s differs from %s:\n--- got\n%s--- want\n%s", json_name, txt_name, got,
			 want);
	free(got);
	free(want);
	json_decref(in);
}

/* show ipsec-state: iproute2's `ip -s xfrm state` layout, times in UTC at a fixed now. */
static void test_golden_ipsec_state(void **state)
{
	json_t *in = fixture_json("ipsec_state.json");
	char *want = fixture_text("ipsec_state.txt"), *got, err[256] = "";

	setenv("TZ", "UTC", 1);
	tzset();
	assert_non_null(in);
	assert_non_null(want);
	got = cli_render_ipsec_state(in, 1790000000, err, sizeof(err));
	if (!got)
		fail_msg("ipsec_state.json: %s", err);
	if (strcmp(got, want) != 0)
		fail_msg("ipsec_state.json differs:\n--- got\n%s--- want\n%s", got, want);
	free(got);
	free(want);
	json_decref(in);
	in = json_object();
	assert_null(cli_render_ipsec_state(in, 0, err, sizeof(err)));
	json_decref(in);
}

static void test_golden_status(void **state)
{
	golden("status.json", "status.txt", cli_render_status);
	/* With the per-SA lines of strongSwan's statusall. */
	golden("status_sas.json", "status_sas.txt", cli_render_status);
}

static void test_golden_tunnels(void **state)
{
	golden("tunnels.json", "tunnels.txt", cli_render_tunnels);
}

/* Two IKE SAs: one behind NAT with reauth only, one AEAD (no integrity) connecting. */
static void test_golden_ike_sa(void **state)
{
	golden("ike_sa.json", "ike_sa.txt", cli_render_ike_sa);
}

/* CHILD SAs with byte counts in the B, K, M and G ranges. */
static void test_golden_ipsec_sa(void **state)
{
	golden("ipsec_sa.json", "ipsec_sa.txt", cli_render_ipsec_sa);
}

static void test_empty_lists(void **state)
{
	json_t *empty = json_array();
	char err[128], *s;

	s = cli_render_ike_sa(empty, err, sizeof(err));
	assert_string_equal(s, "");
	free(s);
	s = cli_render_ipsec_sa(empty, err, sizeof(err));
	assert_string_equal(s, "Connection    State    Uptime    Bytes In/Out    Packets In/Out    "
			       "Remote address    Remote ID    Proposal\n"
			       "------------  -------  --------  --------------  ----------------  "
			       "----------------  -----------  ----------\n");
	free(s);
	json_decref(empty);
}

/* L-Time: the sooner of rekey and reauth; 0 when neither is scheduled. */
static void test_ike_sa_ltime(void **state)
{
	static const struct {
		int rekey, reauth;
		const char *want;
	} rows[] = {
		{-1, -1, " 0\n"},     {100, -1, " 100\n"},  {-1, 200, " 200\n"},
		{300, 200, " 200\n"}, {100, 200, " 100\n"},
	};
	json_t *sas = fixture_json("ike_sa.json");
	json_t *sa = json_array_get(sas, 0);
	char err[128];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *one = json_array();
		char *s;

		json_object_set_new(sa, "rekey_in_s", json_integer(rows[i].rekey));
		json_object_set_new(sa, "reauth_in_s", json_integer(rows[i].reauth));
		json_array_append(one, sa);
		s = cli_render_ike_sa(one, err, sizeof(err));
		assert_non_null(s);
		assert_string_equal(s + strlen(s) - strlen(rows[i].want), rows[i].want);
		free(s);
		json_decref(one);
	}
	json_decref(sas);
}

static void test_bad_shape_rejected(void **state)
{
	json_t *sas = fixture_json("ike_sa.json");
	char err[256] = "";

	json_object_set_new(json_array_get(sas, 1), "nat_t", json_string("yes"));
	assert_null(cli_render_ike_sa(sas, err, sizeof(err)));
	assert_string_equal(err, "[1].nat_t: expected a boolean, got a string");
	assert_null(cli_render_status(sas, err, sizeof(err)));
	assert_string_equal(err, "expected an object, got an array");
	json_decref(sas);
}

static void test_fmt_size(void **state)
{
	static const struct {
		uint64_t n;
		const char *want;
	} rows[] = {
		{0, "0B"},	    {1023, "1023B"},	{1024, "1K"},	    {1176, "1K"},
		{3024, "2K"},	    {1048575, "1023K"}, {1048576, "1M"},    {5452595, "5M"},
		{1ull << 30, "1G"}, {3ull << 40, "3T"}, {1ull << 50, "1P"}, {UINT64_MAX, "16383P"},
	};
	char out[32];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cli_fmt_size(rows[i].n, out, sizeof(out));
		assert_string_equal(out, rows[i].want);
	}
}

static void test_fmt_uptime(void **state)
{
	static const struct {
		int64_t s;
		const char *want;
	} rows[] = {
		{-5, "0s"},	  {0, "0s"},	       {1, "1s"},      {59, "59s"},
		{60, "1m"},	  {274, "4m34s"},      {3600, "1h"},   {3661, "1h1m1s"},
		{86400, "1d"},	  {90061, "1d1h1m1s"}, {604800, "1w"}, {694861, "1w1d1h1m1s"},
		{6048000, "10w"},
	};
	char out[64];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cli_fmt_uptime(rows[i].s, out, sizeof(out));
		assert_string_equal(out, rows[i].want);
	}
}

static void test_fmt_words(void **state)
{
	static const struct {
		int64_t s;
		const char *want;
	} rows[] = {
		{0, "0 seconds"},   {1, "1 second"},	  {60, "60 seconds"}, {61, "1 minute"},
		{312, "5 minutes"}, {3600, "60 minutes"}, {3601, "1 hour"},   {82800, "23 hours"},
		{86401, "1 day"},   {200000, "2 days"},	  {-3, "0 seconds"},
	};
	char out[64];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cli_fmt_words(rows[i].s, out, sizeof(out));
		assert_string_equal(out, rows[i].want);
	}
}

static void test_table_trailing(void **state)
{
	static const char *const hdr[] = {"A", "Long header", "C"};
	static const char *const r1[] = {"wide cell", "x", ""};
	static const char *const r2[] = {"", "", ""};
	struct cli_table *t = cli_table_new(3, hdr);
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(cli_table_add(t, r1), 0);
	assert_int_equal(cli_table_add(t, r2), 0);
	cli_table_print(t, f);
	fclose(f);
	assert_string_equal(buf, "A          Long header    C\n"
				 "---------  -------------  ---\n"
				 "wide cell  x\n"
				 "\n");
	free(buf);
	cli_table_free(t);
}

static void test_render_log(void **state)
{
	json_t *m =
		json_loads("{\"log\":{\"time_ms\":1700000000123,\"subsys\":\"ike\","
			   "\"level\":\"info\",\"line\":\"tunnel onprem: IKE SA established\"}}",
			   0, NULL);
	char err[256], *s;

	setenv("TZ", "UTC", 1);
	tzset();
	s = cli_render_log(m, err, sizeof(err));
	assert_string_equal(s, "22:13:20.123 info  ike: tunnel onprem: IKE SA established\n");
	free(s);
	json_decref(m);
	m = json_loads("{\"dropped\":42}", 0, NULL);
	s = cli_render_log(m, err, sizeof(err));
	assert_string_equal(s, "-- 42 log lines dropped: this client reads too slowly --\n");
	free(s);
	json_decref(m);
	m = json_loads("{\"log\":{\"subsys\":\"ike\"}}", 0, NULL);
	assert_null(cli_render_log(m, err, sizeof(err)));
	json_decref(m);
	m = json_loads("{\"cfg\":\"info\",\"ike\":\"debug\"}", 0, NULL);
	s = cli_render_log_levels(m, err, sizeof(err));
	assert_string_equal(s, "cfg     info\nike     debug\n");
	free(s);
	json_decref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_ipsec_state),
		cmocka_unit_test(test_golden_status),	   cmocka_unit_test(test_golden_tunnels),
		cmocka_unit_test(test_golden_ike_sa),	   cmocka_unit_test(test_golden_ipsec_sa),
		cmocka_unit_test(test_empty_lists),	   cmocka_unit_test(test_ike_sa_ltime),
		cmocka_unit_test(test_bad_shape_rejected), cmocka_unit_test(test_fmt_size),
		cmocka_unit_test(test_fmt_uptime),	   cmocka_unit_test(test_fmt_words),
		cmocka_unit_test(test_table_trailing),	   cmocka_unit_test(test_render_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
