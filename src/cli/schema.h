/* SPDX-License-Identifier: MIT */
/*
 * The shapes of the control protocol's results (docs/cli.md), as tables the
 * CLI checks before rendering and the daemon's tests check its handlers
 * against: every listed field present, with the listed type.
 */
#ifndef IPSECGW_CLI_SCHEMA_H
#define IPSECGW_CLI_SCHEMA_H

#include <stddef.h>

#include <jansson.h>

enum cli_jtype {
	CLI_JSTR,  /* string; oneof (NULL-terminated) limits its values */
	CLI_JINT,  /* integer */
	CLI_JBOOL, /* true or false */
	CLI_JSTRS, /* array of strings */
	CLI_JOBJS, /* array of objects, each checked against sub */
	CLI_JHEX,  /* string of exactly len lower- or upper-case hex digits */
	CLI_JIVER, /* integer 1 or 2 (an IKE version) */
};

struct cli_field {
	const char *name;
	enum cli_jtype type;
	unsigned len;		     /* CLI_JHEX: digits */
	const char *const *oneof;    /* CLI_JSTR: allowed values, NULL-terminated */
	const struct cli_field *sub; /* CLI_JOBJS: the elements' fields */
};

/*
 * 0 if obj is an object with every field of schema ({NULL}-terminated);
 * otherwise IG_EINVAL and err names the first problem:
 * "spi_i: expected 16 hex digits, got \"12\"". Extra fields are fine.
 */
int cli_check_fields(const json_t *obj, const struct cli_field *schema, char *err, size_t errlen);
/* The same for an array of such objects; err starts with the index ("[1].nat_t: ..."). */
int cli_check_array(const json_t *arr, const struct cli_field *schema, char *err, size_t errlen);

/* "status" result, "show-tunnels" / "show-ike-sa" / "show-ipsec-sa" elements. */
extern const struct cli_field cli_schema_status[];
extern const struct cli_field cli_schema_listen[];
extern const struct cli_field cli_schema_tunnel[];
extern const struct cli_field cli_schema_ike_sa[];
extern const struct cli_field cli_schema_ipsec_sa[];

#endif
