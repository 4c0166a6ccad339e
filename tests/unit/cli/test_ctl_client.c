/* SPDX-License-Identifier: MIT */
/*
 * The control client and the CLI commands end to end: a real ctl_server
 * runs its event loop in a second thread, answering from the fixtures in
 * tests/data/cli/; the commands' stdout and stderr go to temporary files
 * and are compared with the golden text. Raw sockets stand in for a daemon
 * that never answers, hangs up, or talks nonsense.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>

#include "cli/cli.h"
#include "cli/ctl_client.h"
#include "cli_fixture.h"
#include "daemon/ctl_server.h"
#include "lib/err.h"
#include "lib/log.h"

struct fixture {
	char dir[64];
	char path[128];
	struct event_base *base;
	struct ctl_server *s;
	struct event *stop_ev;
	int stop_pipe[2];
	pthread_t thread;
};

/* Set by the test thread, read by the loop thread: __atomic only. */
static int broken_shape;

/* Handler ctx: the fixture file to answer with. */
static int h_fixture(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	if (__atomic_load_n(&broken_shape, __ATOMIC_ACQUIRE)) {
		*result = json_pack("[{s:i}]", "tunnel", 1);
		return 0;
	}
	if (!(*result = fixture_json(ctx))) {
		snprintf(err, errlen, "fixture %s missing", (const char *)ctx);
		return IG_ENOENT;
	}
	return 0;
}

static int h_up(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	const char *t = json_string_value(json_object_get(args, "tunnel"));

	if (!t || strcmp(t, "onprem") != 0) {
		snprintf(err, errlen, "no tunnel named '%s'", t ? t : "");
		return IG_ENOENT;
	}
	*result = json_pack("{s:s}", "message", "tunnel onprem: initiating IKE SA");
	return 0;
}

static int h_reload(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	*result = json_string("config reloaded: 0 added, 1 changed, 0 removed");
	return 0;
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
	event_base_loopbreak(arg);
}

static void *loop(void *arg)
{
	event_base_dispatch(arg);
	return NULL;
}

static int setup(void **state)
{
	static const struct {
		const char *cmd, *file;
	} views[] = {
		{"status", "status.json"},
		{"show-tunnels", "tunnels.json"},
		{"show-ike-sa", "ike_sa.json"},
		{"show-ipsec-sa", "ipsec_sa.json"},
	};
	struct fixture *f = calloc(1, sizeof(*f));

	signal(SIGPIPE, SIG_IGN);
	log_set_target(LOG_TO_NONE, NULL);
	__atomic_store_n(&broken_shape, 0, __ATOMIC_RELEASE);
	snprintf(f->dir, sizeof(f->dir), "/tmp/ipsecgw-cli-XXXXXX");
	if (!mkdtemp(f->dir) || pipe(f->stop_pipe) != 0)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/ipsecgw.sock", f->dir);
	if (!(f->base = event_base_new()) || ctl_server_new(&f->s, f->base, f->path) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (ctl_server_register(f->s, views[i].cmd, h_fixture, (void *)views[i].file) != 0)
			return -1;
	if (ctl_server_register(f->s, "up", h_up, NULL) != 0 ||
	    ctl_server_register(f->s, "reload", h_reload, NULL) != 0)
		return -1;
	f->stop_ev = event_new(f->base, f->stop_pipe[0], EV_READ, on_stop, f->base);
	event_add(f->stop_ev, NULL);
	/* From here on only the loop thread touches base and the server. */
	if (pthread_create(&f->thread, NULL, loop, f->base) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (write(f->stop_pipe[1], "x", 1) != 1)
		return -1;
	pthread_join(f->thread, NULL);
	ctl_server_free(f->s);
	event_free(f->stop_ev);
	event_base_free(f->base);
	close(f->stop_pipe[0]);
	close(f->stop_pipe[1]);
	/* What a failed test may leave behind. */
	{
		char p[200];

		snprintf(p, sizeof(p), "%s/fake.sock", f->dir);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	log_set_all(LL_INFO);
	return 0;
}

/* ---- the client API ---- */

static void test_call_ok(void **state)
{
	struct fixture *f = *state;
	json_t *r, *want = fixture_json("ike_sa.json"),
		   *args = json_pack("{s:s}", "tunnel", "onprem");
	struct ctl_conn *c;
	char err[256] = "";

	assert_int_equal(ctl_call(f->path, "show-ike-sa", NULL, &r, err, sizeof(err)), 0);
	assert_true(json_equal(r, want));
	json_decref(r);
	/* Several requests on one connection. */
	assert_int_equal(ctl_conn_open(&c, f->path, 2000, err, sizeof(err)), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ctl_conn_call(c, "up", args, &r, err, sizeof(err)), 0);
		assert_string_equal(json_string_value(json_object_get(r, "message")),
				    "tunnel onprem: initiating IKE SA");
		json_decref(r);
	}
	assert_int_equal(ctl_conn_call(c, "log-level", NULL, &r, err, sizeof(err)), 0);
	assert_true(json_is_object(r));
	json_decref(r);
	ctl_conn_close(c);
	json_decref(args);
	json_decref(want);
}

static void test_call_errors(void **state)
{
	struct fixture *f = *state;
	json_t *r = NULL, *args = json_pack("{s:s}", "tunnel", "nope");
	char err[256] = "", want[300], missing[128];

	assert_int_equal(ctl_call(f->path, "up", args, &r, err, sizeof(err)), IG_ESTATE);
	assert_string_equal(err, "no tunnel named 'nope'");
	assert_null(r);
	assert_int_equal(ctl_call(f->path, "frobnicate", NULL, &r, err, sizeof(err)), IG_ESTATE);
	assert_string_equal(err, "unknown command 'frobnicate'");
	/* No daemon: the operator is told what to check. */
	snprintf(missing, sizeof(missing), "%s/missing.sock", f->dir);
	assert_int_equal(ctl_call(missing, "status", NULL, &r, err, sizeof(err)), IG_EIO);
	snprintf(want, sizeof(want),
		 "cannot connect to %s: No such file or directory — is ipsecgwd running?", missing);
	assert_string_equal(err, want);
	json_decref(args);
}

/* A "daemon" that accepts and then does what how says: 0 nothing, 1 hang up, 2 babble. */
static int fake_daemon(struct fixture *f, const char *name, int *lfd)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", f->dir, name);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fd, 4), 0);
	*lfd = fd;
	return 0;
}

static void test_bad_daemons(void **state)
{
	struct fixture *f = *state;
	struct ctl_conn *c;
	char err[256] = "", path[160];
	json_t *r = NULL;
	int lfd, afd;

	snprintf(path, sizeof(path), "%s/fake.sock", f->dir);
	fake_daemon(f, "fake.sock", &lfd);
	/* Never answers: the timeout ends the wait. */
	assert_int_equal(ctl_conn_open(&c, path, 200, err, sizeof(err)), 0);
	assert_int_equal(ctl_conn_call(c, "status", NULL, &r, err, sizeof(err)), IG_EAGAIN);
	assert_non_null(strstr(err, "no reply from ipsecgwd within 200 ms"));
	ctl_conn_close(c);
	afd = accept(lfd, NULL, NULL);
	close(afd);
	/* Hangs up without a reply. */
	assert_int_equal(ctl_conn_open(&c, path, 2000, err, sizeof(err)), 0);
	afd = accept(lfd, NULL, NULL);
	close(afd);
	assert_int_equal(ctl_conn_call(c, "status", NULL, &r, err, sizeof(err)), IG_EIO);
	assert_non_null(strstr(err, "ipsecgwd closed the connection"));
	ctl_conn_close(c);
	/* Talks something else. */
	assert_int_equal(ctl_conn_open(&c, path, 2000, err, sizeof(err)), 0);
	afd = accept(lfd, NULL, NULL);
	assert_int_equal(write(afd, "hello\n{\"result\":1}\n", 19), 19);
	assert_int_equal(ctl_conn_call(c, "status", NULL, &r, err, sizeof(err)), IG_EINVAL);
	assert_non_null(strstr(err, "reply is not a JSON object"));
	assert_int_equal(ctl_conn_call(c, "status", NULL, &r, err, sizeof(err)), IG_EINVAL);
	assert_non_null(strstr(err, "reply without \"ok\""));
	ctl_conn_close(c);
	close(afd);
	close(lfd);
	unlink(path);
}

struct stream_state {
	int seen; /* read by the emitter thread: __atomic only */
	int lines;
};

static int on_stream(void *ctx, json_t *msg)
{
	struct stream_state *st = ctx;
	const char *line = json_string_value(json_object_get(json_object_get(msg, "log"), "line"));

	st->lines++;
	if (line && strcmp(line, "tunnel onprem: stream test") == 0) {
		__atomic_store_n(&st->seen, 1, __ATOMIC_RELEASE);
		return 1;
	}
	return 0;
}

static void *emitter(void *arg)
{
	struct stream_state *st = arg;

	/* Until the client has seen one: it may not be following yet. */
	for (int i = 0; i < 500 && !__atomic_load_n(&st->seen, __ATOMIC_ACQUIRE); i++) {
		log_info(LS_IKE, "tunnel %s: stream test", "onprem");
		usleep(10000);
	}
	return NULL;
}

static void test_stream(void **state)
{
	struct fixture *f = *state;
	struct stream_state st = {0, 0};
	volatile sig_atomic_t stop = 0;
	char err[256] = "";
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, emitter, &st), 0);
	assert_int_equal(
		ctl_stream(f->path, "log-follow", NULL, on_stream, &st, &stop, err, sizeof(err)),
		0);
	pthread_join(t, NULL);
	assert_true(__atomic_load_n(&st.seen, __ATOMIC_ACQUIRE));
	/* A stream request the daemon refuses is an error before any line. */
	assert_int_equal(ctl_stream(f->path, "nope", NULL, on_stream, &st, &stop, err, sizeof(err)),
			 IG_ESTATE);
	assert_string_equal(err, "unknown command 'nope'");
	/* A stop already requested ends the wait at once. */
	stop = 1;
	assert_int_equal(
		ctl_stream(f->path, "log-follow", NULL, on_stream, &st, &stop, err, sizeof(err)),
		0);
}

/* ---- the commands, output captured ---- */

struct captured {
	int rc;
	char *out, *err;
};

static char *slurp_fd(int fd)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	char b[4096];
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, b, sizeof(b))) > 0)
		fwrite(b, 1, (size_t)n, m);
	fclose(m);
	close(fd);
	return buf;
}

static struct captured run_cmd(struct fixture *f, int (*fn)(const struct cli_opts *, int, char **),
			       const char *args)
{
	struct cli_opts o = {.socket_path = f->path};
	char tmpl_o[] = "/tmp/ipsecgw-out-XXXXXX", tmpl_e[] = "/tmp/ipsecgw-err-XXXXXX";
	char *copy = strdup(args), *argv[16], *save = NULL;
	int argc = 0, fo = mkstemp(tmpl_o), fe = mkstemp(tmpl_e), so, se;
	struct captured c;

	for (char *tok = strtok_r(copy, " ", &save); tok && argc < 15;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	unlink(tmpl_o);
	unlink(tmpl_e);
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(fo, 1);
	dup2(fe, 2);
	c.rc = fn(&o, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	c.out = slurp_fd(fo);
	c.err = slurp_fd(fe);
	free(copy);
	return c;
}

static void expect_cmd(struct fixture *f, int (*fn)(const struct cli_opts *, int, char **),
		       const char *args, int rc, const char *out, const char *err)
{
	struct captured c = run_cmd(f, fn, args);

	if (c.rc != rc || strcmp(c.out, out) != 0 || strcmp(c.err, err) != 0)
		fail_msg("'%s': rc %d (want %d)\n--- stdout\n%s--- want\n%s--- stderr\n%s--- "
			 "want\n%s",
			 args, c.rc, rc, c.out, out, c.err, err);
	free(c.out);
	free(c.err);
}

static void test_commands_text(void **state)
{
	static const struct {
		int (*fn)(const struct cli_opts *, int, char **);
		const char *args, *golden;
	} rows[] = {
		{cli_cmd_status, "status", "status.txt"},
		{cli_cmd_show, "show tunnels", "tunnels.txt"},
		{cli_cmd_show, "show ike-sa", "ike_sa.txt"},
		{cli_cmd_show, "show ipsec-sa", "ipsec_sa.txt"},
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *want = fixture_text(rows[i].golden);

		expect_cmd(f, rows[i].fn, rows[i].args, CLI_OK, want, "");
		free(want);
	}
}

static void test_commands_json(void **state)
{
	struct fixture *f = *state;
	struct captured c = run_cmd(f, cli_cmd_show, "show ipsec-sa --json");
	json_t *got, *want = fixture_json("ipsec_sa.json");

	assert_int_equal(c.rc, CLI_OK);
	got = json_loads(c.out, 0, NULL);
	assert_true(json_equal(got, want));
	assert_string_equal(c.err, "");
	json_decref(got);
	json_decref(want);
	free(c.out);
	free(c.err);
	c = run_cmd(f, cli_cmd_status, "status --json");
	assert_int_equal(c.rc, CLI_OK);
	assert_int_equal(strncmp(c.out, "{\n  \"version\": \"0.1.0\",\n", 24), 0);
	free(c.out);
	free(c.err);
}

static void test_commands_actions(void **state)
{
	struct fixture *f = *state;
	char want[300];

	expect_cmd(f, cli_cmd_up, "up onprem", CLI_OK, "tunnel onprem: initiating IKE SA\n", "");
	expect_cmd(f, cli_cmd_up, "up nope", CLI_FAIL, "", "ipsecgw: no tunnel named 'nope'\n");
	expect_cmd(f, cli_cmd_down, "down onprem", CLI_FAIL, "",
		   "ipsecgw: unknown command 'down'\n");
	expect_cmd(f, cli_cmd_reload, "reload", CLI_OK,
		   "config reloaded: 0 added, 1 changed, 0 removed\n", "");
	expect_cmd(f, cli_cmd_log, "log level ike debug", CLI_OK,
		   "cfg     info\nike     debug\nesp     info\nnet     info\nctl     info\n"
		   "daemon  info\n",
		   "");
	expect_cmd(f, cli_cmd_log, "log level ike loud", CLI_FAIL, "",
		   "ipsecgw: log-level: unknown level 'loud' (one of error, warn, info, debug)\n");
	__atomic_store_n(&broken_shape, 1, __ATOMIC_RELEASE);
	expect_cmd(f, cli_cmd_show, "show ike-sa", CLI_FAIL, "",
		   "ipsecgw: unexpected reply from ipsecgwd to 'show-ike-sa': [0].tunnel: "
		   "expected a string, got an integer\n");
	__atomic_store_n(&broken_shape, 0, __ATOMIC_RELEASE);
	/* No daemon at all. */
	{
		struct cli_opts o = {.socket_path = "/nonexistent/ipsecgw.sock"};
		char *argv[] = {"status", NULL};
		int fe, se;
		char tmpl[] = "/tmp/ipsecgw-err-XXXXXX", *err;

		fe = mkstemp(tmpl);
		unlink(tmpl);
		fflush(stderr);
		se = dup(2);
		dup2(fe, 2);
		assert_int_equal(cli_cmd_status(&o, 1, argv), CLI_FAIL);
		fflush(stderr);
		dup2(se, 2);
		close(se);
		err = slurp_fd(fe);
		snprintf(want, sizeof(want),
			 "ipsecgw: cannot connect to /nonexistent/ipsecgw.sock: No such file or "
			 "directory — is ipsecgwd running?\n");
		assert_string_equal(err, want);
		free(err);
	}
}

static void test_commands_usage(void **state)
{
	static const struct {
		int (*fn)(const struct cli_opts *, int, char **);
		const char *args;
		int rc;
	} rows[] = {
		{cli_cmd_show, "show", CLI_USAGE},
		{cli_cmd_show, "show sas", CLI_USAGE},
		{cli_cmd_show, "show ike-sa --yaml", CLI_USAGE},
		{cli_cmd_show, "show ike-sa extra", CLI_USAGE},
		{cli_cmd_show, "show ike-sa --help", CLI_OK},
		{cli_cmd_show, "show --help", CLI_OK},
		{cli_cmd_status, "status now", CLI_USAGE},
		{cli_cmd_status, "status --help", CLI_OK},
		{cli_cmd_up, "up", CLI_USAGE},
		{cli_cmd_up, "up a b", CLI_USAGE},
		{cli_cmd_up, "up --force", CLI_USAGE},
		{cli_cmd_up, "up --help", CLI_OK},
		{cli_cmd_down, "down", CLI_USAGE},
		{cli_cmd_reload, "reload now", CLI_USAGE},
		{cli_cmd_reload, "reload --help", CLI_OK},
		{cli_cmd_log, "log", CLI_USAGE},
		{cli_cmd_log, "log level ike", CLI_USAGE},
		{cli_cmd_log, "log --tail", CLI_USAGE},
		{cli_cmd_log, "log level --help", CLI_OK},
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct captured c = run_cmd(f, rows[i].fn, rows[i].args);

		if (c.rc != rows[i].rc)
			fail_msg("'%s': rc %d, want %d", rows[i].args, c.rc, rows[i].rc);
		/* Help goes to stdout, usage errors to stderr, never both. */
		assert_true(rows[i].rc == CLI_OK ? c.out[0] && !c.err[0] : !c.out[0] && c.err[0]);
		assert_non_null(strstr(rows[i].rc == CLI_OK ? c.out : c.err, "usage: ipsecgw"));
		free(c.out);
		free(c.err);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_call_ok),	  T(test_call_errors),	  T(test_bad_daemons),
		T(test_stream),		  T(test_commands_text),  T(test_commands_json),
		T(test_commands_actions), T(test_commands_usage),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
