/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw log level [SUBSYS LEVEL]   show the levels, or set one ("all" for every subsystem)
 * ipsecgw log --follow               print the daemon's log until interrupted
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ctl_client.h"
#include "cli/render.h"

static const char usage_text[] = "usage: ipsecgw log level [SUBSYS LEVEL]\n"
				 "       ipsecgw log --follow\n"
				 "  SUBSYS: cfg, ike, esp, net, ctl, daemon or all\n"
				 "  LEVEL:  error, warn, info or debug\n";

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = 1;
}

static int print_line(void *ctx, json_t *msg)
{
	char err[256];
	char *text = cli_render_log(msg, err, sizeof(err));

	/* A line this client does not understand is skipped, not fatal. */
	if (text) {
		fputs(text, stdout);
		fflush(stdout);
		free(text);
	}
	return 0;
}

static int follow(const struct cli_opts *o)
{
	struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESETHAND};
	char err[1024];

	/* No SA_RESTART: the first ^C ends the wait; a second one kills as usual. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (ctl_stream(o->socket_path, "log-follow", NULL, print_line, NULL, &interrupted, err,
		       sizeof(err)) != 0) {
		fprintf(stderr, "ipsecgw: %s\n", err);
		return CLI_FAIL;
	}
	return CLI_OK;
}

static int level(const struct cli_opts *o, int argc, char **argv)
{
	json_t *args = NULL, *result = NULL;
	char err[512] = "";
	int rc;

	if (argc == 4 && !(args = json_pack("{s:s, s:s}", "subsys", argv[2], "level", argv[3]))) {
		fprintf(stderr, "ipsecgw: out of memory\n");
		return CLI_FAIL;
	}
	if ((rc = cli_request(o, "log-level", args, &result)) == CLI_OK)
		rc = cli_print_rendered(cli_render_log_levels(result, err, sizeof(err)),
					"log-level", err);
	json_decref(args);
	json_decref(result);
	return rc;
}

int cli_cmd_log(const struct cli_opts *o, int argc, char **argv)
{
	if (argc >= 2 && cli_is_help(argv[argc - 1])) {
		fputs(usage_text, stdout);
		return CLI_OK;
	}
	if (argc == 2 && (strcmp(argv[1], "--follow") == 0 || strcmp(argv[1], "-f") == 0))
		return follow(o);
	if ((argc == 2 || argc == 4) && strcmp(argv[1], "level") == 0)
		return level(o, argc, argv);
	fputs(usage_text, stderr);
	return CLI_USAGE;
}
