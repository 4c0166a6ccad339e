/* SPDX-License-Identifier: MIT */
#include "cli/schema.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"

static const char *const tunnel_types[] = {"policy", "route", NULL};
static const char *const tunnel_states[] = {"up", "connecting", "down", NULL};
static const char *const ike_versions[] = {"1", "2", "flex", NULL};
static const char *const starts[] = {"initiate", "respond", NULL};
static const char *const ike_states[] = {"established", "connecting", "rekeying", "deleting", NULL};
static const char *const modes[] = {"tunnel", "transport", NULL};

#define STR(n)                                                                                     \
	{                                                                                          \
		n, CLI_JSTR, 0, NULL, NULL                                                         \
	}
#define ONEOF(n, v)                                                                                \
	{                                                                                          \
		n, CLI_JSTR, 0, v, NULL                                                            \
	}
#define INT(n)                                                                                     \
	{                                                                                          \
		n, CLI_JINT, 0, NULL, NULL                                                         \
	}
#define BOOL(n)                                                                                    \
	{                                                                                          \
		n, CLI_JBOOL, 0, NULL, NULL                                                        \
	}
#define STRS(n)                                                                                    \
	{                                                                                          \
		n, CLI_JSTRS, 0, NULL, NULL                                                        \
	}
#define HEX(n, l)                                                                                  \
	{                                                                                          \
		n, CLI_JHEX, l, NULL, NULL                                                         \
	}
#define END                                                                                        \
	{                                                                                          \
		NULL, CLI_JSTR, 0, NULL, NULL                                                      \
	}

const struct cli_field cli_schema_listen[] = {STR("addr"), INT("port"), END};

const struct cli_field cli_schema_status[] = {
	STR("version"),
	INT("uptime_s"),
	STR("config"),
	{"listening", CLI_JOBJS, 0, NULL, cli_schema_listen},
	INT("tunnels_configured"),
	INT("tunnels_up"),
	INT("ike_sas"),
	INT("ike_sas_connecting"),
	INT("child_sas"),
	END,
};

const struct cli_field cli_schema_tunnel[] = {
	STR("name"),
	ONEOF("type", tunnel_types),
	STR("peer"),
	STR("local_id"),
	STR("remote_id"),
	STRS("local_subnets"),
	STRS("remote_subnets"),
	ONEOF("ike_version", ike_versions),
	STRS("ike_proposals"),
	STRS("esp_proposals"),
	ONEOF("start", starts),
	ONEOF("state", tunnel_states),
	END,
};

const struct cli_field cli_schema_ike_sa[] = {
	STR("tunnel"),
	ONEOF("state", ike_states),
	{"version", CLI_JIVER, 0, NULL, NULL},
	STR("local_addr"),
	INT("local_port"),
	STR("local_id"),
	STR("remote_addr"),
	INT("remote_port"),
	STR("remote_id"),
	STR("encryption"),
	STR("integrity"),
	STR("prf"),
	STR("dh_group"),
	BOOL("nat_t"),
	HEX("spi_i", 16),
	HEX("spi_r", 16),
	INT("established_s"),
	INT("rekey_in_s"),
	INT("reauth_in_s"),
	END,
};

const struct cli_field cli_schema_ipsec_sa[] = {
	STR("tunnel"),
	STR("child"),
	STR("state"),
	ONEOF("mode", modes),
	BOOL("encap"),
	HEX("spi_in", 8),
	HEX("spi_out", 8),
	STR("proposal"),
	STRS("local_ts"),
	STRS("remote_ts"),
	INT("bytes_in"),
	INT("bytes_out"),
	INT("packets_in"),
	INT("packets_out"),
	INT("installed_s"),
	INT("rekey_in_s"),
	STR("remote_addr"),
	STR("remote_id"),
	END,
};

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* "[1]" + "nat_t: ..." -> "[1].nat_t: ..."; "[1]" + "expected ..." -> "[1]: expected ...". */
static const char *joiner(const char *sub)
{
	return strncmp(sub, "expected", 8) == 0 ? ": " : ".";
}

static int check_one(const json_t *v, const struct cli_field *f, char *err, size_t errlen)
{
	const char *s;
	size_t i;
	json_t *e;

	switch (f->type) {
	case CLI_JSTR:
		if (!json_is_string(v))
			break;
		if (!f->oneof)
			return 0;
		s = json_string_value(v);
		for (i = 0; f->oneof[i]; i++)
			if (strcmp(s, f->oneof[i]) == 0)
				return 0;
		snprintf(err, errlen, "%s: \"%.40s\" is not one of the allowed values (%s, ...)",
			 f->name, s, f->oneof[0]);
		return IG_EINVAL;
	case CLI_JINT:
		if (json_is_integer(v))
			return 0;
		break;
	case CLI_JIVER:
		if (json_is_integer(v) &&
		    (json_integer_value(v) == 1 || json_integer_value(v) == 2))
			return 0;
		if (json_is_integer(v)) {
			snprintf(err, errlen, "%s: expected 1 or 2, got %lld", f->name,
				 (long long)json_integer_value(v));
			return IG_EINVAL;
		}
		break;
	case CLI_JBOOL:
		if (json_is_boolean(v))
			return 0;
		break;
	case CLI_JSTRS:
		if (!json_is_array(v))
			break;
		json_array_foreach(v, i, e) if (!json_is_string(e))
		{
			snprintf(err, errlen, "%s[%zu]: expected a string, got %s", f->name, i,
				 type_name(e));
			return IG_EINVAL;
		}
		return 0;
	case CLI_JOBJS:
		if (!json_is_array(v))
			break;
		json_array_foreach(v, i, e)
		{
			char sub[256];

			if (cli_check_fields(e, f->sub, sub, sizeof(sub)) != 0) {
				snprintf(err, errlen, "%s[%zu]%s%s", f->name, i, joiner(sub), sub);
				return IG_EINVAL;
			}
		}
		return 0;
	case CLI_JHEX:
		if (!json_is_string(v))
			break;
		s = json_string_value(v);
		for (i = 0; s[i] && isxdigit((unsigned char)s[i]); i++)
			;
		if (s[i] == '\0' && i == f->len)
			return 0;
		snprintf(err, errlen, "%s: expected %u hex digits, got \"%.40s\"", f->name, f->len,
			 s);
		return IG_EINVAL;
	}
	snprintf(err, errlen, "%s: expected %s, got %s", f->name,
		 f->type == CLI_JINT || f->type == CLI_JIVER	? "an integer"
		 : f->type == CLI_JBOOL				? "a boolean"
		 : f->type == CLI_JSTRS || f->type == CLI_JOBJS ? "an array"
								: "a string",
		 type_name(v));
	return IG_EINVAL;
}

int cli_check_fields(const json_t *obj, const struct cli_field *schema, char *err, size_t errlen)
{
	if (!json_is_object(obj)) {
		snprintf(err, errlen, "expected an object, got %s",
			 obj ? type_name(obj) : "nothing");
		return IG_EINVAL;
	}
	for (const struct cli_field *f = schema; f->name; f++) {
		const json_t *v = json_object_get(obj, f->name);

		if (!v) {
			snprintf(err, errlen, "%s: missing", f->name);
			return IG_EINVAL;
		}
		if (check_one(v, f, err, errlen) != 0)
			return IG_EINVAL;
	}
	return 0;
}

int cli_check_array(const json_t *arr, const struct cli_field *schema, char *err, size_t errlen)
{
	const json_t *e;
	size_t i;

	if (!json_is_array(arr)) {
		snprintf(err, errlen, "expected an array, got %s",
			 arr ? type_name(arr) : "nothing");
		return IG_EINVAL;
	}
	json_array_foreach(arr, i, e)
	{
		char sub[256];

		if (cli_check_fields(e, schema, sub, sizeof(sub)) != 0) {
			snprintf(err, errlen, "[%zu]%s%s", i, joiner(sub), sub);
			return IG_EINVAL;
		}
	}
	return 0;
}
