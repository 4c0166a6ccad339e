/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw check [CONFIG]: load and validate a config exactly as the daemon
 * would, without a daemon. Prints every problem (never just the first),
 * one per line with its key path, and exits 1; exits 0 with a summary when
 * the file is valid.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "config/config.h"
#include "ipsecgw_build.h"

int cli_cmd_check(const struct cli_opts *o, int argc, char **argv)
{
	const char *path = IPSECGW_DEFAULT_CONFIG;
	struct cfg_diag d;
	struct cfg *c = NULL;
	int rc;

	(void)o;
	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0')) {
		fprintf(stderr, "usage: ipsecgw check [CONFIG]\n");
		return CLI_USAGE;
	}
	if (argc == 2)
		path = argv[1];

	cfg_diag_init(&d);
	if (cfg_load_file(path, &c, &d) == 0 && cfg_diag_count(&d) == 0) {
		size_t n = c->n_tunnels;

		printf("%s: OK, %zu tunnel%s\n", path, n, n == 1 ? "" : "s");
		rc = CLI_OK;
	} else {
		size_t n = cfg_diag_count(&d);

		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "%s\n", cfg_diag_msg(&d, i));
		if (n == 0)
			fprintf(stderr, "%s: invalid configuration\n", path);
		fprintf(stderr, "%s: %zu problem%s\n", path, n ? n : 1, n == 1 ? "" : "s");
		rc = CLI_FAIL;
	}
	cfg_free(c);
	cfg_diag_free(&d);
	return rc;
}
