/* SPDX-License-Identifier: MIT */
/*
 * The operator CLI: a table of commands (WireGuard-tools style). Each
 * command gets its own argv (argv[0] is the command name) and returns the
 * process exit status: 0 ok, 1 the request failed, 2 usage error
 * (PRODUCT.md).
 */
#ifndef IPSECGW_CLI_CLI_H
#define IPSECGW_CLI_CLI_H

#include <stdbool.h>

#include <jansson.h>

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
int cli_cmd_status(const struct cli_opts *o, int argc, char **argv);
int cli_cmd_show(const struct cli_opts *o, int argc, char **argv);
int cli_cmd_up(const struct cli_opts *o, int argc, char **argv);
int cli_cmd_down(const struct cli_opts *o, int argc, char **argv);
int cli_cmd_reload(const struct cli_opts *o, int argc, char **argv);
int cli_cmd_log(const struct cli_opts *o, int argc, char **argv);
int cli_cmd_peer_config(const struct cli_opts *o, int argc, char **argv);
int cli_cmd_import(const struct cli_opts *o, int argc, char **argv);

struct imp_peer;
/*
 * Reads and parses a peer's file for import and check --peer (cmd_import.c):
 * fmt_s NULL detects the format; secrets_path NULL looks for ipsec.secrets
 * beside an ipsec.conf. Prints every error on stderr. 0, or IG_E* (p must
 * be freed with imp_peer_free() either way).
 */
int cli_import_load(const char *path, const char *fmt_s, const char *secrets_path,
		    struct imp_peer *p);
/* cmd_keys.c: "show ipsec-state" (other views go on to cli_cmd_show), "export wireshark". */
int cli_cmd_keys_show(const struct cli_opts *o, int argc, char **argv);
int cli_cmd_export(const struct cli_opts *o, int argc, char **argv);

/* Shared by the commands that talk to the daemon (cmd_util.c). */
bool cli_is_help(const char *arg);
/*
 * Sends cmd with args (borrowed, may be NULL) to the daemon at
 * o->socket_path. CLI_OK with *result (a new reference), or CLI_FAIL after
 * printing "ipsecgw: <why>" on stderr.
 */
int cli_request(const struct cli_opts *o, const char *cmd, json_t *args, json_t **result);
/* Prints v as indented JSON on stdout: CLI_OK or CLI_FAIL. */
int cli_print_json(const json_t *v);
/* Prints text from a renderer, or "unexpected reply" with err: CLI_OK or CLI_FAIL. */
int cli_print_rendered(char *text, const char *cmd, const char *err);

#endif
