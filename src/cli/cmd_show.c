/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw status [--json]
 * ipsecgw show tunnels|ike-sa|ipsec-sa [--json]
 * Text layouts: docs/cli.md; --json prints the daemon's result as is.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/render.h"

typedef char *(*render_fn)(const json_t *, char *, size_t);

static const struct view {
	const char *what, *cmd;
	render_fn render;
	const char *help;
} views[] = {
	{"tunnels", "show-tunnels", cli_render_tunnels, "configured tunnels and their state"},
	{"ike-sa", "show-ike-sa", cli_render_ike_sa, "IKE SAs, like VyOS 'show vpn ike sa'"},
	{"ipsec-sa", "show-ipsec-sa", cli_render_ipsec_sa,
	 "CHILD SAs, like VyOS 'show vpn ipsec sa'"},
};

#define NVIEWS (sizeof(views) / sizeof(views[0]))

/* Parses "[--json] [--help]" after the view name. -1 = go on, else an exit status. */
static int parse_flags(int argc, char **argv, int first, const char *usage, bool *json)
{
	*json = false;
	for (int i = first; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			*json = true;
		} else if (cli_is_help(argv[i])) {
			printf("usage: ipsecgw %s\n", usage);
			return CLI_OK;
		} else {
			fprintf(stderr, "ipsecgw: unexpected argument '%s'\nusage: ipsecgw %s\n",
				argv[i], usage);
			return CLI_USAGE;
		}
	}
	return -1;
}

static int run(const struct cli_opts *o, const char *cmd, render_fn render, bool json)
{
	char err[512] = "";
	json_t *result;
	int rc;

	if ((rc = cli_request(o, cmd, NULL, &result)) != CLI_OK)
		return rc;
	rc = json ? cli_print_json(result)
		  : cli_print_rendered(render(result, err, sizeof(err)), cmd, err);
	json_decref(result);
	return rc;
}

int cli_cmd_status(const struct cli_opts *o, int argc, char **argv)
{
	bool json;
	int rc = parse_flags(argc, argv, 1, "status [--json]", &json);

	return rc >= 0 ? rc : run(o, "status", cli_render_status, json);
}

static void show_usage(FILE *f)
{
	fprintf(f, "usage: ipsecgw show WHAT [--json]\n");
	for (size_t i = 0; i < NVIEWS; i++)
		fprintf(f, "  %-9s %s\n", views[i].what, views[i].help);
}

int cli_cmd_show(const struct cli_opts *o, int argc, char **argv)
{
	char usage[64];
	bool json;
	int rc;

	if (argc < 2) {
		show_usage(stderr);
		return CLI_USAGE;
	}
	if (cli_is_help(argv[1])) {
		show_usage(stdout);
		return CLI_OK;
	}
	for (size_t i = 0; i < NVIEWS; i++) {
		if (strcmp(argv[1], views[i].what) != 0)
			continue;
		snprintf(usage, sizeof(usage), "show %s [--json]", views[i].what);
		rc = parse_flags(argc, argv, 2, usage, &json);
		return rc >= 0 ? rc : run(o, views[i].cmd, views[i].render, json);
	}
	fprintf(stderr, "ipsecgw: show: unknown view '%s'\n", argv[1]);
	show_usage(stderr);
	return CLI_USAGE;
}
