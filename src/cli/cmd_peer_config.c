/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw peer-config TUNNEL --for strongswan|swanctl|vyos|libreswan [--config FILE]:
 * loads the config without a daemon (like check) and prints what the
 * other side of TUNNEL needs (cli/peer_config.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/peer_config.h"
#include "config/config.h"
#include "ipsecgw_build.h"

static int usage(void)
{
	fprintf(stderr, "usage: ipsecgw peer-config TUNNEL --for strongswan|swanctl|vyos|libreswan "
			"[--config FILE]\n");
	return CLI_USAGE;
}

int cli_cmd_peer_config(const struct cli_opts *o, int argc, char **argv)
{
	const char *path = IPSECGW_DEFAULT_CONFIG, *tunnel = NULL, *fmt_s = NULL;
	const struct cfg_tunnel *t;
	struct cfg_diag d;
	struct cfg *c = NULL;
	enum peer_fmt fmt;
	int rc = CLI_FAIL;

	(void)o;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--for") == 0 && i + 1 < argc)
			fmt_s = argv[++i];
		else if (strncmp(argv[i], "--for=", 6) == 0)
			fmt_s = argv[i] + 6;
		else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			path = argv[i] + 9;
		else if (argv[i][0] != '-' && !tunnel)
			tunnel = argv[i];
		else
			return usage();
	}
	if (!tunnel || !fmt_s)
		return usage();
	if (peer_fmt_parse(fmt_s, &fmt) != 0) {
		fprintf(stderr,
			"ipsecgw: peer-config: unknown --for '%s' "
			"(strongswan, swanctl, vyos or libreswan)\n",
			fmt_s);
		return usage();
	}

	cfg_diag_init(&d);
	if (cfg_load_file(path, &c, &d) != 0 || cfg_diag_count(&d) != 0) {
		size_t n = cfg_diag_count(&d);

		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "%s\n", cfg_diag_msg(&d, i));
		fprintf(stderr, "%s: invalid configuration\n", path);
		goto out;
	}
	if (!(t = cfg_tunnel_find(c, tunnel))) {
		fprintf(stderr, "ipsecgw: peer-config: no tunnel '%s' in %s\n", tunnel, path);
		goto out;
	}
	if (peer_config_write(stdout, c, t, fmt) != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "ipsecgw: peer-config: writing the output failed\n");
		goto out;
	}
	rc = CLI_OK;
out:
	cfg_free(c);
	cfg_diag_free(&d);
	return rc;
}
