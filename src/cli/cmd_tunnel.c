/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw up TUNNEL | down TUNNEL | reload: ask the daemon to act and print
 * what it says. A result is a message string, or an object whose "message"
 * is printed; anything else is printed as JSON.
 */
#include <stdio.h>

#include "cli/cli.h"

static int print_result(const json_t *r)
{
	const json_t *m = json_is_object(r) ? json_object_get(r, "message") : r;

	if (json_is_string(m)) {
		printf("%s\n", json_string_value(m));
		return CLI_OK;
	}
	return json_is_null(r) ? CLI_OK : cli_print_json(r);
}

static int act(const struct cli_opts *o, const char *cmd, const char *tunnel)
{
	json_t *args = NULL, *result = NULL;
	int rc;

	if (tunnel && !(args = json_pack("{s:s}", "tunnel", tunnel))) {
		fprintf(stderr, "ipsecgw: out of memory\n");
		return CLI_FAIL;
	}
	if ((rc = cli_request(o, cmd, args, &result)) == CLI_OK)
		rc = print_result(result);
	json_decref(args);
	json_decref(result);
	return rc;
}

static int tunnel_cmd(const struct cli_opts *o, int argc, char **argv)
{
	if (argc == 2 && cli_is_help(argv[1])) {
		printf("usage: ipsecgw %s TUNNEL\n", argv[0]);
		return CLI_OK;
	}
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: ipsecgw %s TUNNEL\n", argv[0]);
		return CLI_USAGE;
	}
	return act(o, argv[0], argv[1]);
}

int cli_cmd_up(const struct cli_opts *o, int argc, char **argv)
{
	return tunnel_cmd(o, argc, argv);
}

int cli_cmd_down(const struct cli_opts *o, int argc, char **argv)
{
	return tunnel_cmd(o, argc, argv);
}

int cli_cmd_reload(const struct cli_opts *o, int argc, char **argv)
{
	if (argc == 2 && cli_is_help(argv[1])) {
		printf("usage: ipsecgw reload\n");
		return CLI_OK;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: ipsecgw reload\n");
		return CLI_USAGE;
	}
	return act(o, "reload", NULL);
}
