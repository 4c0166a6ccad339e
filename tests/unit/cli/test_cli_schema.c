/* SPDX-License-Identifier: MIT */
/*
 * cli_check_fields / cli_check_array: the fixtures (what the daemon's
 * handlers must produce) pass; every required field, removed in turn, is
 * reported; wrong types and values are reported with their path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/schema.h"
#include "cli_fixture.h"
#include "lib/err.h"

static const struct {
	const char *file;
	const struct cli_field *schema;
	bool array;
} fixtures[] = {
	{"status.json", cli_schema_status, false},
	{"tunnels.json", cli_schema_tunnel, true},
	{"ike_sa.json", cli_schema_ike_sa, true},
	{"ipsec_sa.json", cli_schema_ipsec_sa, true},
};

static int check(const json_t *j, const struct cli_field *schema, bool array, char *err, size_t len)
{
	return array ? cli_check_array(j, schema, err, len) : cli_check_fields(j, schema, err, len);
}

static void test_fixtures_pass(void **state)
{
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		json_t *j = fixture_json(fixtures[i].file);
		char err[256] = "";

		assert_non_null(j);
		if (check(j, fixtures[i].schema, fixtures[i].array, err, sizeof(err)) != 0)
			fail_msg("%s: %s", fixtures[i].file, err);
		json_decref(j);
	}
}

/* Each field of each schema, removed from the fixture's last element: named in the error. */
static void test_every_field_required(void **state)
{
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		for (const struct cli_field *f = fixtures[i].schema; f->name; f++) {
			json_t *j = fixture_json(fixtures[i].file), *obj = j;
			char err[256] = "", want[128];

			if (fixtures[i].array) {
				obj = json_array_get(j, json_array_size(j) - 1);
				snprintf(want, sizeof(want), "[%zu].%s: missing",
					 json_array_size(j) - 1, f->name);
			} else {
				snprintf(want, sizeof(want), "%s: missing", f->name);
			}
			assert_int_equal(json_object_del(obj, f->name), 0);
			assert_int_equal(
				check(j, fixtures[i].schema, fixtures[i].array, err, sizeof(err)),
				IG_EINVAL);
			assert_string_equal(err, want);
			json_decref(j);
		}
	}
}

static void test_wrong_values(void **state)
{
	static const struct {
		const char *file, *field, *value; /* value as JSON */
		const char *want;
	} rows[] = {
		{"ike_sa.json", "spi_i", "\"12\"", "[0].spi_i: expected 16 hex digits, got \"12\""},
		{"ike_sa.json", "spi_r", "\"aa77470fcbc244cz\"",
		 "[0].spi_r: expected 16 hex digits, got \"aa77470fcbc244cz\""},
		{"ike_sa.json", "nat_t", "\"yes\"", "[0].nat_t: expected a boolean, got a string"},
		{"ike_sa.json", "version", "3", "[0].version: expected 1 or 2, got 3"},
		{"ike_sa.json", "version", "\"2\"",
		 "[0].version: expected an integer, got a string"},
		{"ike_sa.json", "state", "\"up\"",
		 "[0].state: \"up\" is not one of the allowed values (established, ...)"},
		{"ike_sa.json", "established_s", "1.5",
		 "[0].established_s: expected an integer, got a real"},
		{"ike_sa.json", "remote_id", "null", "[0].remote_id: expected a string, got null"},
		{"ipsec_sa.json", "spi_in", "\"cc38892a00\"",
		 "[0].spi_in: expected 8 hex digits, got \"cc38892a00\""},
		{"ipsec_sa.json", "local_ts", "[\"10.0.0.0/8\", 1]",
		 "[0].local_ts[1]: expected a string, got an integer"},
		{"ipsec_sa.json", "remote_ts", "\"10.0.0.0/8\"",
		 "[0].remote_ts: expected an array, got a string"},
		{"ipsec_sa.json", "encap", "1", "[0].encap: expected a boolean, got an integer"},
		{"ipsec_sa.json", "mode", "\"beet\"",
		 "[0].mode: \"beet\" is not one of the allowed values (tunnel, ...)"},
		{"tunnels.json", "ike_version", "2",
		 "[0].ike_version: expected a string, got an integer"},
		{"tunnels.json", "state", "\"established\"",
		 "[0].state: \"established\" is not one of the allowed values (up, ...)"},
		{"status.json", "listening", "[{\"addr\":\"203.0.113.7\",\"port\":\"500\"}]",
		 "listening[0].port: expected an integer, got a string"},
		{"status.json", "listening", "[\"203.0.113.7\"]",
		 "listening[0]: expected an object, got a string"},
		{"status.json", "uptime_s", "{}", "uptime_s: expected an integer, got an object"},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *j = fixture_json(rows[i].file), *obj = j;
		const struct cli_field *schema = NULL;
		bool array = false;
		char err[256] = "";

		for (size_t k = 0; k < sizeof(fixtures) / sizeof(fixtures[0]); k++)
			if (strcmp(fixtures[k].file, rows[i].file) == 0) {
				schema = fixtures[k].schema;
				array = fixtures[k].array;
			}
		if (array)
			obj = json_array_get(j, 0);
		json_object_set_new(obj, rows[i].field,
				    json_loads(rows[i].value, JSON_DECODE_ANY, NULL));
		assert_int_equal(check(j, schema, array, err, sizeof(err)), IG_EINVAL);
		assert_string_equal(err, rows[i].want);
		json_decref(j);
	}
}

static void test_containers(void **state)
{
	json_t *j = json_loads("[\"x\"]", 0, NULL), *o = json_object();
	char err[256];

	assert_int_equal(cli_check_array(j, cli_schema_ike_sa, err, sizeof(err)), IG_EINVAL);
	assert_string_equal(err, "[0]: expected an object, got a string");
	assert_int_equal(cli_check_array(o, cli_schema_ike_sa, err, sizeof(err)), IG_EINVAL);
	assert_string_equal(err, "expected an array, got an object");
	assert_int_equal(cli_check_array(NULL, cli_schema_ike_sa, err, sizeof(err)), IG_EINVAL);
	assert_string_equal(err, "expected an array, got nothing");
	json_decref(j);
	/* An empty array is a valid "no SAs"; extra fields are fine. */
	j = json_array();
	assert_int_equal(cli_check_array(j, cli_schema_ike_sa, err, sizeof(err)), 0);
	json_decref(j);
	j = fixture_json("status.json");
	json_object_set_new(j, "future_field", json_true());
	assert_int_equal(cli_check_fields(j, cli_schema_status, err, sizeof(err)), 0);
	json_decref(j);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_pass),
		cmocka_unit_test(test_every_field_required),
		cmocka_unit_test(test_wrong_values),
		cmocka_unit_test(test_containers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
