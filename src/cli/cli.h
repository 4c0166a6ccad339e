/* SPDX-License-Identifier: MIT */
/*
 * The operator CLI: a table of commands (WireGuard-tools style). Each
 * command gets its own argv (argv[0] is the command name) and returns the
 * process exit status: 0 ok, 1 the request failed, 2 usage error
 * (PRODUCT.md).
 */
#ifndef IPSECGW_CLI_CLI_H
#define IPSECGW_CLI_CLI_H

enum {
	CLI_OK = 0,
	CLI_FAIL = 1,
	CLI_USAGE = 2,
};

struct cli_opts {
	const char *socket_path;
};

struct cli_cmd {
	const char *name;
	int (*fn)(const struct cli_opts *o, int argc, char **argv);
	const char *usage;
	const char *help;
};

/* Commands, one file each. */
int cli_cmd_check(const struct cli_opts *o, int argc, char **argv);

#endif
