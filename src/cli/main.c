/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw: the operator CLI. Global options come before the command:
 *   ipsecgw [--socket PATH] COMMAND [ARGS]
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ipsecgw_build.h"

static const struct cli_cmd commands[] = {
	{"status", cli_cmd_status, "status [--json]",
	 "daemon overview: uptime, listening addresses, tunnel and SA counts"},
	{"show", cli_cmd_keys_show, "show ipsec-state [--json]",
	 "every ESP SA with its keys, like 'ip -s xfrm state'"},
	{"export", cli_cmd_export, "export wireshark DIR [--tunnel NAME]",
	 "write esp_sa and ikev2_decryption_table (0600) for Wireshark/tshark"},
	{"show", cli_cmd_show, "show WHAT [--json]",
	 "WHAT: tunnels | ike-sa | ipsec-sa (VyOS 'show vpn' layouts)"},
	{"up", cli_cmd_up, "up TUNNEL", "bring a tunnel up (start its IKE SA)"},
	{"down", cli_cmd_down, "down TUNNEL", "take a tunnel down (delete its SAs)"},
	{"reload", cli_cmd_reload, "reload",
	 "re-read the config; untouched tunnels keep their SAs"},
	{"log", cli_cmd_log, "log level [SUBSYS LEVEL]",
	 "show or set log levels ('all' sets every subsystem)"},
	{"log", cli_cmd_log, "log --follow", "print the daemon's log until interrupted"},
	{"check", cli_cmd_check, "check [CONFIG]",
	 "validate a config file (default " IPSECGW_DEFAULT_CONFIG
	 "); exit 1 listing every problem"},
	{"check", cli_cmd_check,
	 "check --peer FILE [--peer-format vyos|swanctl|ipsec.conf] [--secrets FILE] [CONFIG]",
	 "compare with the peer's config: one line per finding, exit 1 on an error"},
	{"peer-config", cli_cmd_peer_config,
	 "peer-config TUNNEL --for strongswan|swanctl|vyos|libreswan [--config FILE]",
	 "print the other side's configuration for TUNNEL (no daemon needed)"},
	{"import", cli_cmd_import, "import --from vyos|swanctl|ipsec.conf [--secrets FILE] FILE",
	 "print the ipsecgw YAML for the peer's tunnels, mirrored (no daemon needed)"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: ipsecgw [--socket PATH] COMMAND [ARGS]\n"
		   "       ipsecgw --help | --version\n\n"
		   "commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-26s %s\n", commands[i].usage, commands[i].help);
	fprintf(f,
		"\noptions:\n"
		"  --socket PATH              control socket (default " IPSECGW_DEFAULT_SOCKET ")\n"
		"  --help                     this text; 'ipsecgw COMMAND --help' for one command\n"
		"  --version                  print the version\n\n"
		"exit status: 0 ok, 1 the request failed, 2 usage error\n");
}

int main(int argc, char **argv)
{
	struct cli_opts o = {.socket_path = IPSECGW_DEFAULT_SOCKET};
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return CLI_OK;
		} else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
			printf("ipsecgw %s\n", IPSECGW_VERSION);
			return CLI_OK;
		} else if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc) {
			o.socket_path = argv[++i];
		} else if (strncmp(argv[i], "--socket=", 9) == 0) {
			o.socket_path = argv[i] + 9;
		} else if (strcmp(argv[i], "--socket") == 0) {
			fprintf(stderr, "ipsecgw: option '--socket' needs a PATH\n");
			return CLI_USAGE;
		} else {
			fprintf(stderr, "ipsecgw: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	for (size_t c = 0; c < NCOMMANDS; c++) {
		if (strcmp(argv[i], commands[c].name) != 0)
			continue;
		if (i + 1 < argc &&
		    (strcmp(argv[i + 1], "--help") == 0 || strcmp(argv[i + 1], "-h") == 0)) {
			/* A command may have several table rows (log level, log --follow). */
			for (size_t d = c; d < NCOMMANDS; d++)
				if (strcmp(argv[i], commands[d].name) == 0)
					printf("usage: ipsecgw %s\n  %s\n", commands[d].usage,
					       commands[d].help);
			return CLI_OK;
		}
		return commands[c].fn(&o, argc - i, argv + i);
	}
	fprintf(stderr, "ipsecgw: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return CLI_USAGE;
}
