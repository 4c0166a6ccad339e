/* SPDX-License-Identifier: MIT */
/*
 * ipsecgwd [--config FILE] [--socket PATH] [--foreground]
 *          [--log-level error|warn|info|debug]
 *
 * Refuses to start on an invalid config, printing every problem. SIGHUP
 * re-reads the config (like `ipsecgw reload`); SIGTERM/SIGINT delete every
 * SA (INFORMATIONAL Delete) and exit.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <event2/event.h>

#include "config/config.h"
#include "crypto/crypto.h"
#include "daemon/ctl_server.h"
#include "daemon/gw.h"
#include "ipsecgw_build.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/privs.h"

static struct gw gw;
static struct ctl_server *ctl;

static void usage(FILE *f)
{
	fprintf(f, "usage: ipsecgwd [--config FILE] [--socket PATH] [--foreground]\n"
		   "                [--log-level error|warn|info|debug]\n"
		   "  --config FILE     configuration (default " IPSECGW_DEFAULT_CONFIG ")\n"
		   "  --socket PATH     control socket (default " IPSECGW_DEFAULT_SOCKET ")\n"
		   "  --foreground      stay in the foreground and log to stderr (else: syslog)\n"
		   "  --log-level L     level for every subsystem, overriding the config\n"
		   "  --version         print the version\n");
}

static void on_hup(evutil_socket_t fd, short what, void *arg)
{
	char msg[4096];

	(void)fd;
	(void)what;
	(void)arg;
	log_info(LS_DAEMON, "SIGHUP: reloading the config");
	gw_reload(&gw, msg, sizeof(msg));
}

static void on_term(evutil_socket_t sig, short what, void *arg)
{
	struct event_base *base = arg;

	(void)what;
	log_info(LS_DAEMON, "%s: deleting all SAs and exiting", sig == SIGINT ? "SIGINT" : "SIGTERM");
	gw.stopping = true;
	event_base_loopexit(base, NULL);
}

static void apply_log_config(const struct cfg *c, const char *override)
{
	enum log_level l;

	for (int s = 0; s < LS_COUNT; s++)
		log_set_level((enum log_subsys)s, c->log.subsys[s]);
	log_set_keys(c->log.keys);
	if (override && log_level_parse(override, &l) == 0)
		log_set_all(l);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = IPSECGW_DEFAULT_CONFIG, *sock = IPSECGW_DEFAULT_SOCKET;
	const char *level = NULL;
	struct event_base *base = NULL;
	struct event *ev_hup = NULL, *ev_term = NULL, *ev_int = NULL;
	bool foreground = false;
	struct cfg_diag d;
	struct cfg *cfg = NULL;
	enum log_level l;
	int o, rc = 1;

	while ((o = getopt_long(argc, argv, "c:s:fl:hV", opts, NULL)) != -1) {
		switch (o) {
		case 'c': config = optarg; break;
		case 's': sock = optarg; break;
		case 'f': foreground = true; break;
		case 'l':
			if (log_level_parse(optarg, &l) != 0) {
				fprintf(stderr, "ipsecgwd: --log-level: unknown level '%s'\n", optarg);
				return 2;
			}
			level = optarg;
			break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("ipsecgwd %s\n", IPSECGW_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
#ifdef IPSECGW_FUZZING
	/* -Dfuzz=true accepts a fake ICV and AUTH (ike_sk.c): never a daemon. */
	fprintf(stderr, "ipsecgwd: this is a fuzzing build (-Dfuzz=true); it does not run\n");
	return 1;
#endif
	log_set_target(LOG_TO_STDERR, NULL);
	if (crypto_init() != 0) {
		fprintf(stderr, "ipsecgwd: OpenSSL is missing algorithms we need\n");
		return 1;
	}

	cfg_diag_init(&d);
	if (cfg_load_file(config, &cfg, &d) == 0)
		gw_config_supported(cfg, &d);
	if (!cfg || cfg_diag_count(&d)) {
		size_t n = cfg_diag_count(&d);

		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "%s\n", cfg_diag_msg(&d, i));
		fprintf(stderr, "ipsecgwd: %s: %zu problem%s, not starting\n", config, n ? n : 1,
			n == 1 ? "" : "s");
		cfg_diag_free(&d);
		cfg_free(cfg);
		return 1;
	}
	cfg_diag_free(&d);
	apply_log_config(cfg, level);

	/* Keys live in this process: no core dumps, no ptrace by others. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	if (!foreground) {
		if (daemon(0, 0) != 0) {
			fprintf(stderr, "ipsecgwd: cannot daemonize: %s\n", strerror(errno));
			cfg_free(cfg);
			return 1;
		}
		log_set_target(LOG_TO_SYSLOG, "ipsecgwd");
	}

	/* Before any thread exists: capabilities are per thread (lib/privs.h). */
	if (privs_drop_startup() != 0) {
		log_error(LS_DAEMON, "cannot drop privileges, not starting");
		goto out;
	}
	if (!(base = event_base_new()))
		goto out;
	if (gw_start(&gw, base, cfg, config) != 0) {
		cfg = NULL; /* owned by gw now */
		goto out;
	}
	cfg = NULL;
	if (ctl_server_new(&ctl, base, sock) != 0 || gw_ctl_register(&gw, ctl) != 0) {
		log_error(LS_DAEMON, "cannot open the control socket %s", sock);
		goto out;
	}
	/* Sockets are bound, TUN and raw sockets open: CAP_NET_ADMIN is all we keep. */
	if (privs_drop_running() != 0) {
		log_error(LS_DAEMON, "cannot drop privileges, stopping");
		goto out;
	}
	ev_hup = evsignal_new(base, SIGHUP, on_hup, NULL);
	ev_term = evsignal_new(base, SIGTERM, on_term, base);
	ev_int = evsignal_new(base, SIGINT, on_term, base);
	if (!ev_hup || !ev_term || !ev_int || event_add(ev_hup, NULL) || event_add(ev_term, NULL) ||
	    event_add(ev_int, NULL))
		goto out;
	log_info(LS_DAEMON, "ipsecgwd %s started: %s, %zu tunnel%s, control socket %s",
		 IPSECGW_VERSION, config, gw.cfg->n_tunnels, gw.cfg->n_tunnels == 1 ? "" : "s", sock);
	event_base_dispatch(base);
	rc = 0;
out:
	gw_stop(&gw);
	if (ctl)
		ctl_server_free(ctl);
	if (ev_hup)
		event_free(ev_hup);
	if (ev_term)
		event_free(ev_term);
	if (ev_int)
		event_free(ev_int);
	if (base)
		event_base_free(base);
	cfg_free(cfg);
	crypto_cleanup();
	return rc;
}
