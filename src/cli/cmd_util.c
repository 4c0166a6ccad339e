/* SPDX-License-Identifier: MIT */
/* Helpers shared by the commands that talk to ipsecgwd. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ctl_client.h"

bool cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int cli_request(const struct cli_opts *o, const char *cmd, json_t *args, json_t **result)
{
	char err[1024];

	if (ctl_call(o->socket_path, cmd, args, result, err, sizeof(err)) != 0) {
		fprintf(stderr, "ipsecgw: %s\n", err);
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cli_print_json(const json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

	if (!s) {
		fprintf(stderr, "ipsecgw: out of memory\n");
		return CLI_FAIL;
	}
	printf("%s\n", s);
	free(s);
	return CLI_OK;
}

int cli_print_rendered(char *text, const char *cmd, const char *err)
{
	if (!text) {
		fprintf(stderr, "ipsecgw: unexpected reply from ipsecgwd to '%s': %s\n", cmd, err);
		return CLI_FAIL;
	}
	fputs(text, stdout);
	free(text);
	return CLI_OK;
}
