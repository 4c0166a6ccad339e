/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw check [CONFIG]: load and validate a config exactly as the daemon
 * would, without a daemon. Prints every problem (never just the first),
 * one per line with its key path, and exits 1; exits 0 with a summary when
 * the file is valid.
 *
 * ipsecgw check --peer FILE [--peer-format vyos|swanctl|ipsec.conf]
 * [--secrets FILE] [CONFIG]: also reads the peer's configuration and
 * reports, tunnel by tunnel, what would stop a tunnel or break its traffic
 * (cli/peer_check.h), one line per finding on stdout; exits 1 when a
 * finding is an error, 0 otherwise (warnings and advice do not block).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/import.h"
#include "cli/peer_check.h"
#include "config/config.h"
#include "ipsecgw_build.h"

static int usage(void)
{
	fprintf(stderr, "usage: ipsecgw check [--peer FILE [--peer-format vyos|swanctl|ipsec.conf] "
			"[--secrets FILE]] [CONFIG]\n");
	return CLI_USAGE;
}

static int check_peer(const struct cfg *c, const char *path, const char *peer, const char *fmt,
		      const char *secrets)
{
	struct peer_check_result res;
	struct imp_peer p;
	int rc = CLI_FAIL;

	if (cli_import_load(peer, fmt, secrets, &p) != 0) {
		fprintf(stderr, "%s: cannot be checked\n", peer);
		goto out;
	}
	if (peer_check(c, &p, stdout, &res) != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "ipsecgw: check: writing the output failed\n");
		goto out;
	}
	if (res.errors + res.warnings + res.advice == 0)
		fprintf(stderr, "%s against %s (%s): %u tunnel%s, nothing to fix\n", path, peer,
			imp_fmt_name(p.fmt), res.pairs, res.pairs == 1 ? "" : "s");
	else
		fprintf(stderr,
			"%s against %s (%s): %u tunnel%s, %u error%s, %u warning%s, %u advice\n",
			path, peer, imp_fmt_name(p.fmt), res.pairs, res.pairs == 1 ? "" : "s",
			res.errors, res.errors == 1 ? "" : "s", res.warnings,
			res.warnings == 1 ? "" : "s", res.advice);
	rc = res.errors ? CLI_FAIL : CLI_OK;
out:
	imp_peer_free(&p);
	return rc;
}

int cli_cmd_check(const struct cli_opts *o, int argc, char **argv)
{
	const char *path = IPSECGW_DEFAULT_CONFIG, *peer = NULL, *fmt = NULL, *secrets = NULL;
	enum imp_fmt f;
	struct cfg_diag d;
	struct cfg *c = NULL;
	bool have_path = false;
	int rc;

	(void)o;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--peer") && i + 1 < argc)
			peer = argv[++i];
		else if (!strncmp(argv[i], "--peer=", 7))
			peer = argv[i] + 7;
		else if (!strcmp(argv[i], "--peer-format") && i + 1 < argc)
			fmt = argv[++i];
		else if (!strncmp(argv[i], "--peer-format=", 14))
			fmt = argv[i] + 14;
		else if (!strcmp(argv[i], "--secrets") && i + 1 < argc)
			secrets = argv[++i];
		else if (!strncmp(argv[i], "--secrets=", 10))
			secrets = argv[i] + 10;
		else if ((argv[i][0] != '-' || !argv[i][1]) && !have_path) {
			path = argv[i];
			have_path = true;
		} else
			return usage();
	}
	if ((fmt || secrets) && !peer)
		return usage();
	if (fmt && imp_fmt_parse(fmt, &f) != 0) {
		fprintf(stderr,
			"ipsecgw: check: unknown --peer-format '%s' (vyos, swanctl or "
			"ipsec.conf)\n",
			fmt);
		return usage();
	}

	cfg_diag_init(&d);
	if (cfg_load_file(path, &c, &d) == 0 && cfg_diag_count(&d) == 0) {
		size_t n = c->n_tunnels;

		if (peer)
			rc = check_peer(c, path, peer, fmt, secrets);
		else {
			printf("%s: OK, %zu tunnel%s\n", path, n, n == 1 ? "" : "s");
			rc = CLI_OK;
		}
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
