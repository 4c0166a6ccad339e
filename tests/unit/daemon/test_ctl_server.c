/* SPDX-License-Identifier: MIT */
/*
 * The control server on a real UNIX socket in a temporary directory. The
 * test drives the event loop itself (EVLOOP_NONBLOCK passes) between
 * non-blocking client reads and writes, so everything runs in one thread
 * except where a test logs from a second thread on purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>

#include "daemon/ctl_proto.h"
#include "daemon/ctl_server.h"
#include "lib/err.h"
#include "lib/log.h"

struct fixture {
	char dir[64];
	char rundir[96];
	char path[128];
	struct event_base *base;
	struct ctl_server *s;
	int calls;
};

struct conn {
	int fd;
	char *buf;
	size_t len;
};

#define CONN_BUF (1024 * 1024)

/* ---- test handlers ---- */

static int h_echo(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	struct fixture *f = ctx;

	f->calls++;
	*result = json_deep_copy(args);
	return 0;
}

static int h_fail(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	snprintf(err, errlen, "tunnel '%s' not found",
		 json_string_value(json_object_get(args, "tunnel")));
	*result = json_string("leaked if not freed");
	return IG_ENOENT;
}

static int h_fail_bare(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	return IG_ESTATE;
}

static int h_null(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	return 0;
}

/* ---- fixture ---- */

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	signal(SIGPIPE, SIG_IGN);
	log_set_target(LOG_TO_NONE, NULL);
	log_set_all(LL_INFO);
	snprintf(f->dir, sizeof(f->dir), "/tmp/ipsecgw-ctl-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	/* The server creates rundir itself (0700). */
	snprintf(f->rundir, sizeof(f->rundir), "%s/run", f->dir);
	snprintf(f->path, sizeof(f->path), "%s/ipsecgw.sock", f->rundir);
	f->base = event_base_new();
	if (!f->base || ctl_server_new(&f->s, f->base, f->path) != 0 ||
	    ctl_server_register(f->s, "echo", h_echo, f) != 0 ||
	    ctl_server_register(f->s, "fail", h_fail, f) != 0 ||
	    ctl_server_register(f->s, "fail-bare", h_fail_bare, f) != 0 ||
	    ctl_server_register(f->s, "null", h_null, f) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ctl_server_free(f->s);
	event_base_free(f->base);
	/* What a failed test may leave behind. */
	{
		char p[200];

		snprintf(p, sizeof(p), "%s/file", f->dir);
		unlink(p);
		unlink(f->path);
	}
	rmdir(f->rundir);
	rmdir(f->dir);
	free(f);
	log_set_all(LL_INFO);
	return 0;
}

/* ---- client side ---- */

static void pump(struct fixture *f)
{
	event_base_loop(f->base, EVLOOP_NONBLOCK);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void conn_open(struct fixture *f, struct conn *c)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};

	memcpy(sun.sun_path, f->path, strlen(f->path) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(c->fd >= 0);
	assert_int_equal(connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	c->buf = malloc(CONN_BUF);
	c->len = 0;
	pump(f); /* accept */
}

static void conn_close(struct fixture *f, struct conn *c)
{
	close(c->fd);
	free(c->buf);
	for (int i = 0; i < 5; i++)
		pump(f);
}

static void conn_send(struct fixture *f, struct conn *c, const char *data, size_t len)
{
	long end = now_ms() + 5000;

	while (len > 0) {
		ssize_t n = write(c->fd, data, len);

		if (n > 0) {
			data += n;
			len -= (size_t)n;
		} else {
			assert_true(errno == EAGAIN);
		}
		pump(f);
		assert_true(now_ms() < end);
	}
	pump(f);
}

static void conn_sends(struct fixture *f, struct conn *c, const char *s)
{
	conn_send(f, c, s, strlen(s));
}

/* Fills c->buf; returns -1 on EOF, 0 otherwise. */
static int conn_fill(struct fixture *f, struct conn *c, int wait_ms)
{
	struct pollfd p = {.fd = c->fd, .events = POLLIN};
	ssize_t n;

	pump(f);
	if (poll(&p, 1, wait_ms) <= 0)
		return 0;
	n = read(c->fd, c->buf + c->len, CONN_BUF - c->len);
	if (n == 0 || (n < 0 && errno == ECONNRESET))
		return -1;
	if (n > 0)
		c->len += (size_t)n;
	return 0;
}

/* Next line without '\n' (malloc'd), or NULL on EOF or after timeout_ms. */
static char *conn_line_t(struct fixture *f, struct conn *c, int timeout_ms)
{
	long end = now_ms() + timeout_ms;

	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len), *line;

		if (nl) {
			size_t n = (size_t)(nl - c->buf);

			line = strndup(c->buf, n);
			memmove(c->buf, nl + 1, c->len - n - 1);
			c->len -= n + 1;
			return line;
		}
		if (now_ms() > end || conn_fill(f, c, 2) < 0)
			return NULL;
	}
}

static char *conn_line(struct fixture *f, struct conn *c)
{
	char *l = conn_line_t(f, c, 5000);

	assert_non_null(l);
	return l;
}

static void expect_line(struct fixture *f, struct conn *c, const char *want)
{
	char *l = conn_line(f, c);

	assert_string_equal(l, want);
	free(l);
}

static void expect_prefix(struct fixture *f, struct conn *c, const char *want)
{
	char *l = conn_line(f, c);

	if (strncmp(l, want, strlen(want)) != 0)
		fail_msg("got '%.200s', want prefix '%s'", l, want);
	free(l);
}

static void expect_eof(struct fixture *f, struct conn *c)
{
	long end = now_ms() + 5000;

	while (conn_fill(f, c, 2) == 0)
		assert_true(now_ms() < end);
}

/* ---- tests ---- */

static void test_request_ok(void **state)
{
	struct fixture *f = *state;
	struct conn c;

	conn_open(f, &c);
	conn_sends(f, &c, "{\"cmd\":\"echo\",\"args\":{\"tunnel\":\"onprem\",\"n\":1}}\n");
	expect_line(f, &c, "{\"ok\":true,\"result\":{\"tunnel\":\"onprem\",\"n\":1}}");
	/* No args: the handler sees {}; a NULL result is null. */
	conn_sends(f, &c, "{\"cmd\":\"echo\"}\n{\"cmd\":\"null\",\"args\":null}\r\n");
	expect_line(f, &c, "{\"ok\":true,\"result\":{}}");
	expect_line(f, &c, "{\"ok\":true,\"result\":null}");
	assert_int_equal(f->calls, 2);
	conn_close(f, &c);
}

static void test_several_per_connection(void **state)
{
	struct fixture *f = *state;
	const char *one = "{\"cmd\":\"echo\",\"args\":{\"i\":1}}\n";
	struct conn c;

	conn_open(f, &c);
	/* Three in one write, blank lines between them ignored. */
	conn_sends(
		f, &c,
		"{\"cmd\":\"echo\",\"args\":{\"i\":1}}\n\n{\"cmd\":\"echo\",\"args\":{\"i\":2}}\n"
		"{\"cmd\":\"echo\",\"args\":{\"i\":3}}\n");
	expect_line(f, &c, "{\"ok\":true,\"result\":{\"i\":1}}");
	expect_line(f, &c, "{\"ok\":true,\"result\":{\"i\":2}}");
	expect_line(f, &c, "{\"ok\":true,\"result\":{\"i\":3}}");
	/* One request split over several writes. */
	for (size_t i = 0; i < strlen(one); i += 5)
		conn_send(f, &c, one + i, strlen(one) - i < 5 ? strlen(one) - i : 5);
	expect_line(f, &c, "{\"ok\":true,\"result\":{\"i\":1}}");
	assert_int_equal(f->calls, 4);
	conn_close(f, &c);
}

static void test_invalid_requests(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *req, *want;
	} rows[] = {
		{"{nope", "{\"ok\":false,\"error\":\"invalid request: "},
		{"[1,2]", "{\"ok\":false,\"error\":\"invalid request: not a JSON object\"}"},
		{"\"echo\"", "{\"ok\":false,\"error\":\"invalid request: "},
		{"{}",
		 "{\"ok\":false,\"error\":\"invalid request: 'cmd' missing or not a string\"}"},
		{"{\"cmd\":5}",
		 "{\"ok\":false,\"error\":\"invalid request: 'cmd' missing or not a string\"}"},
		{"{\"cmd\":\"echo\",\"args\":[1]}",
		 "{\"ok\":false,\"error\":\"invalid request: 'args' must be an object\"}"},
		{"{\"cmd\":\"echo\",\"cmd\":\"echo\"}",
		 "{\"ok\":false,\"error\":\"invalid request: "},
		{"{\"cmd\":\"ec\\u0000ho\"}", "{\"ok\":false,\"error\":\"invalid request: "},
		{"{\"cmd\":\"\xff\xfe\"}", "{\"ok\":false,\"error\":\"invalid request: "},
		{"{\"cmd\":\"echo\"} trailing", "{\"ok\":false,\"error\":\"invalid request: "},
	};
	struct conn c;
	char line[256];

	conn_open(f, &c);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(line, sizeof(line), "%s\n", rows[i].req);
		conn_sends(f, &c, line);
		expect_prefix(f, &c, rows[i].want);
	}
	/* The connection still works. */
	conn_sends(f, &c, "{\"cmd\":\"echo\",\"args\":{\"ok\":1}}\n");
	expect_line(f, &c, "{\"ok\":true,\"result\":{\"ok\":1}}");
	assert_int_equal(f->calls, 1);
	conn_close(f, &c);
}

/* {"cmd":"echo","args":{"s":"xxx..."}} padded to exactly len bytes. */
static char *sized_request(size_t len)
{
	const char *head = "{\"cmd\":\"echo\",\"args\":{\"s\":\"", *tail = "\"}}";
	char *r = malloc(len + 2);
	size_t h = strlen(head), t = strlen(tail);

	memcpy(r, head, h);
	memset(r + h, 'x', len - h - t);
	memcpy(r + len - t, tail, t);
	r[len] = '\n';
	r[len + 1] = '\0';
	return r;
}

static void test_oversize(void **state)
{
	struct fixture *f = *state;
	char *big = malloc(200000), *req, *l;
	struct conn c;

	conn_open(f, &c);
	/* Exactly the limit is fine. */
	req = sized_request(CTL_REQUEST_MAX);
	conn_sends(f, &c, req);
	l = conn_line(f, &c);
	assert_int_equal(strncmp(l, "{\"ok\":true,\"result\":{\"s\":\"xxx", 29), 0);
	free(l);
	free(req);
	/* One byte more, complete line: an error, then the next request works. */
	req = sized_request(CTL_REQUEST_MAX + 1);
	conn_sends(f, &c, req);
	expect_line(f, &c, "{\"ok\":false,\"error\":\"invalid request: longer than 65536 bytes\"}");
	free(req);
	/* 190000 bytes with no newline yet: one error, the rest of the line skipped. */
	memset(big, '{', 190000);
	conn_send(f, &c, big, 190000);
	expect_line(f, &c, "{\"ok\":false,\"error\":\"invalid request: longer than 65536 bytes\"}");
	conn_send(f, &c, big, 10000);
	conn_sends(f, &c, "}}}\n{\"cmd\":\"echo\",\"args\":{\"after\":true}}\n");
	expect_line(f, &c, "{\"ok\":true,\"result\":{\"after\":true}}");
	assert_int_equal(f->calls, 2);
	free(big);
	conn_close(f, &c);
}

static void test_unknown_command(void **state)
{
	struct fixture *f = *state;
	struct conn c;

	conn_open(f, &c);
	conn_sends(f, &c, "{\"cmd\":\"x\"}\n");
	expect_line(f, &c, "{\"ok\":false,\"error\":\"unknown command 'x'\"}");
	conn_close(f, &c);
}

static void test_handler_error(void **state)
{
	struct fixture *f = *state;
	struct conn c;

	conn_open(f, &c);
	conn_sends(f, &c, "{\"cmd\":\"fail\",\"args\":{\"tunnel\":\"nope\"}}\n");
	expect_line(f, &c, "{\"ok\":false,\"error\":\"tunnel 'nope' not found\"}");
	conn_sends(f, &c, "{\"cmd\":\"fail-bare\"}\n");
	{
		char want[256];

		snprintf(want, sizeof(want), "{\"ok\":false,\"error\":\"fail-bare: %s\"}",
			 ig_strerror(IG_ESTATE));
		expect_line(f, &c, want);
	}
	conn_close(f, &c);
}

static void test_register(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(ctl_server_register(f->s, "echo", h_echo, f), IG_EEXIST);
	assert_int_equal(ctl_server_register(f->s, "log-level", h_echo, f), IG_EEXIST);
	assert_int_equal(ctl_server_register(f->s, "log-follow", h_echo, f), IG_EEXIST);
	assert_int_equal(ctl_server_register(f->s, "", h_echo, f), IG_EINVAL);
}

static void test_log_level(void **state)
{
	struct fixture *f = *state;
	struct conn c;

	conn_open(f, &c);
	conn_sends(f, &c,
		   "{\"cmd\":\"log-level\",\"args\":{\"subsys\":\"ike\",\"level\":\"debug\"}}\n");
	expect_line(f, &c,
		    "{\"ok\":true,\"result\":{\"cfg\":\"info\",\"ike\":\"debug\",\"esp\":\"info\","
		    "\"net\":\"info\",\"ctl\":\"info\",\"daemon\":\"info\"}}");
	assert_int_equal(log_get_level(LS_IKE), LL_DEBUG);
	conn_sends(f, &c,
		   "{\"cmd\":\"log-level\",\"args\":{\"subsys\":\"all\",\"level\":\"warn\"}}\n");
	expect_line(f, &c,
		    "{\"ok\":true,\"result\":{\"cfg\":\"warn\",\"ike\":\"warn\",\"esp\":\"warn\","
		    "\"net\":\"warn\",\"ctl\":\"warn\",\"daemon\":\"warn\"}}");
	conn_sends(f, &c, "{\"cmd\":\"log-level\"}\n");
	expect_prefix(f, &c, "{\"ok\":true,\"result\":{\"cfg\":\"warn\"");
	conn_sends(
		f, &c,
		"{\"cmd\":\"log-level\",\"args\":{\"subsys\":\"kernel\",\"level\":\"debug\"}}\n");
	expect_line(f, &c,
		    "{\"ok\":false,\"error\":\"log-level: unknown subsystem 'kernel' (one of cfg, "
		    "ike, esp, net, ctl, daemon, all)\"}");
	conn_sends(f, &c,
		   "{\"cmd\":\"log-level\",\"args\":{\"subsys\":\"esp\",\"level\":\"loud\"}}\n");
	expect_line(f, &c,
		    "{\"ok\":false,\"error\":\"log-level: unknown level 'loud' (one of error, "
		    "warn, info, debug)\"}");
	conn_sends(f, &c, "{\"cmd\":\"log-level\",\"args\":{\"subsys\":\"esp\"}}\n");
	expect_prefix(f, &c, "{\"ok\":false,\"error\":\"log-level: args need both");
	assert_int_equal(log_get_level(LS_ESP), LL_WARN);
	conn_close(f, &c);
}

static void *log_from_thread(void *arg)
{
	log_warn(LS_ESP, "from a worker %d", 7);
	return arg;
}

/* How many more listeners lib/log takes: proves ours are gone after a hang-up. */
static void nop_listener(void *ctx, enum log_subsys s, enum log_level l, const char *line) {}

static int free_listener_slots(void)
{
	int n = 0;

	while (log_add_listener(nop_listener, &n + n) == 0)
		n++;
	for (int i = 0; i < n; i++)
		log_remove_listener(nop_listener, &n + i);
	return n;
}

static void test_log_follow(void **state)
{
	struct fixture *f = *state;
	int free_before = free_listener_slots();
	struct conn c, other;
	pthread_t t;
	json_t *j;
	char *l;

	conn_open(f, &c);
	conn_sends(f, &c, "{\"cmd\":\"log-follow\"}\n");
	expect_line(f, &c, "{\"ok\":true,\"result\":{\"following\":true}}");
	assert_int_equal(free_listener_slots(), free_before - 1);

	log_info(LS_IKE, "tunnel %s: IKE SA established", "onprem");
	l = conn_line(f, &c);
	j = json_loads(l, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "log"), "subsys")),
			    "ike");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "log"), "level")),
			    "info");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "log"), "line")),
			    "tunnel onprem: IKE SA established");
	assert_true(json_is_integer(json_object_get(json_object_get(j, "log"), "time_ms")));
	json_decref(j);
	free(l);

	/* Below the level: not sent. From another thread: sent. */
	log_debug(LS_IKE, "not shown");
	assert_int_equal(pthread_create(&t, NULL, log_from_thread, NULL), 0);
	pthread_join(t, NULL);
	expect_prefix(f, &c, "{\"log\":{\"time_ms\":");
	assert_null(conn_line_t(f, &c, 100));

	/* Requests on a stream are ignored; other clients still work. */
	conn_sends(f, &c, "{\"cmd\":\"echo\"}\n");
	assert_null(conn_line_t(f, &c, 100));
	conn_open(f, &other);
	conn_sends(f, &other, "{\"cmd\":\"echo\"}\n");
	expect_line(f, &other, "{\"ok\":true,\"result\":{}}");
	conn_close(f, &other);
	/* The stream saw the echo client? Only if ctl logged at info: it does not. */
	assert_null(conn_line_t(f, &c, 50));

	conn_close(f, &c);
	assert_int_equal(free_listener_slots(), free_before);
	log_info(LS_IKE, "nobody listens");
	pump(f);
}

static void test_log_follow_slow_client(void **state)
{
	struct fixture *f = *state;
	unsigned long got = 0, dropped = 0, sent = 20000;
	char pad[201];
	struct conn c;
	char *l;

	memset(pad, 'p', 200);
	pad[200] = '\0';
	conn_open(f, &c);
	conn_sends(f, &c, "{\"cmd\":\"log-follow\"}\n");
	expect_line(f, &c, "{\"ok\":true,\"result\":{\"following\":true}}");
	/* About 5 MB of log while the client reads nothing: the daemon never blocks. */
	for (unsigned long i = 0; i < sent; i++) {
		log_info(LS_ESP, "line %lu %s", i, pad);
		if (i % 50 == 0)
			pump(f);
	}
	pump(f);
	while ((l = conn_line_t(f, &c, 300))) {
		json_t *j = json_loads(l, 0, NULL);

		assert_non_null(j);
		if (json_object_get(j, "dropped"))
			dropped += (unsigned long)json_integer_value(json_object_get(j, "dropped"));
		else
			got++;
		json_decref(j);
		free(l);
	}
	assert_true(dropped > 0);
	assert_true(got > 0);
	assert_int_equal(got + dropped, sent);
	conn_close(f, &c);
}

static void test_too_many_followers(void **state)
{
	struct fixture *f = *state;
	struct conn c[9];

	for (int i = 0; i < 9; i++) {
		conn_open(f, &c[i]);
		conn_sends(f, &c[i], "{\"cmd\":\"log-follow\"}\n");
		expect_line(f, &c[i],
			    i < 8 ? "{\"ok\":true,\"result\":{\"following\":true}}"
				  : "{\"ok\":false,\"error\":\"log-follow: too many log "
				    "followers\"}");
	}
	/* The refused one is still a request-reply client. */
	conn_sends(f, &c[8], "{\"cmd\":\"echo\"}\n");
	expect_line(f, &c[8], "{\"ok\":true,\"result\":{}}");
	for (int i = 0; i < 9; i++)
		conn_close(f, &c[i]);
}

static void test_eof_without_newline(void **state)
{
	struct fixture *f = *state;
	struct conn c;

	conn_open(f, &c);
	conn_sends(f, &c, "{\"cmd\":\"echo\",\"args\":{\"last\":1}}");
	shutdown(c.fd, SHUT_WR);
	expect_line(f, &c, "{\"ok\":true,\"result\":{\"last\":1}}");
	expect_eof(f, &c);
	conn_close(f, &c);
}

static void test_socket_modes(void **state)
{
	struct fixture *f = *state;
	struct ctl_server *again;
	struct stat st;

	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(f->rundir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	/* A second daemon on a live socket is refused and leaves it alone. */
	assert_int_equal(ctl_server_new(&again, f->base, f->path), IG_EEXIST);
	assert_null(again);
	assert_int_equal(stat(f->path, &st), 0);
	/* Free unlinks it. */
	ctl_server_free(f->s);
	f->s = NULL;
	assert_int_equal(stat(f->path, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_stale_socket_replaced(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct conn c;
	int fd;

	ctl_server_free(f->s);
	/* A socket file nobody listens on: what a crashed daemon leaves. */
	memcpy(sun.sun_path, f->path, strlen(f->path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	assert_int_equal(ctl_server_new(&f->s, f->base, f->path), 0);
	assert_int_equal(ctl_server_register(f->s, "echo", h_echo, f), 0);
	conn_open(f, &c);
	conn_sends(f, &c, "{\"cmd\":\"echo\"}\n");
	expect_line(f, &c, "{\"ok\":true,\"result\":{}}");
	conn_close(f, &c);
}

static void test_bad_paths(void **state)
{
	struct fixture *f = *state;
	struct ctl_server *s;
	char path[300];

	memset(path, 'a', sizeof(path));
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(ctl_server_new(&s, f->base, path), IG_EINVAL);
	snprintf(path, sizeof(path), "%s/no/such/dir.sock", f->dir);
	assert_int_equal(ctl_server_new(&s, f->base, path), IG_EIO);
	/* A regular file in the way is not removed. */
	snprintf(path, sizeof(path), "%s/file", f->dir);
	fclose(fopen(path, "w"));
	assert_int_equal(ctl_server_new(&s, f->base, path), IG_EEXIST);
	assert_int_equal(unlink(path), 0);
}

static int refused_warnings;

static void warn_listener(void *ctx, enum log_subsys s, enum log_level l, const char *line)
{
	if (s == LS_CTL && l == LL_WARN && strstr(line, "refused pid"))
		refused_warnings++;
}

/* A client of another uid is cut off with a warning (needs root to setuid). */
static void test_peer_credentials(void **state)
{
	struct fixture *f = *state;
	int status = -1;
	pid_t pid;

	if (geteuid() != 0) {
		skip();
		return;
	}
	/* Open the file modes so only the SO_PEERCRED check stands in the way. */
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(chmod(f->rundir, 0755), 0);
	assert_int_equal(chmod(f->path, 0666), 0);
	assert_int_equal(log_add_listener(warn_listener, NULL), 0);
	refused_warnings = 0;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sockaddr_un sun = {.sun_family = AF_UNIX};
		char b[64];
		int fd;
		ssize_t n;

		memcpy(sun.sun_path, f->path, strlen(f->path) + 1);
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(10);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
			_exit(11);
		if (write(fd, "{\"cmd\":\"echo\"}\n", 15) < 0 && errno != EPIPE)
			_exit(12);
		n = read(fd, b, sizeof(b));
		_exit(n <= 0 ? 0 : 13); /* closed without a reply */
	}
	for (long end = now_ms() + 5000; now_ms() < end;) {
		pump(f);
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(1000);
	}
	log_remove_listener(warn_listener, NULL);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(refused_warnings, 1);
	assert_int_equal(f->calls, 0);
}

/* ---- the protocol step alone ---- */

static void test_log_line_format(void **state)
{
	char *l = ctl_log_line(LS_IKE, LL_WARN, "ike: peer id \xc3\xa9t\xe9 \"q\"\n",
			       1700000000123LL);

	assert_string_equal(l, "{\"log\":{\"time_ms\":1700000000123,\"subsys\":\"ike\",\"level\":"
			       "\"warn\",\"line\":\"peer id \xc3\xa9t? \\\"q\\\"\\n\"}}\n");
	free(l);
	l = ctl_log_line(LS_ESP, LL_INFO, "ike: not my prefix", 0);
	assert_string_equal(l, "{\"log\":{\"time_ms\":0,\"subsys\":\"esp\",\"level\":\"info\","
			       "\"line\":\"ike: not my prefix\"}}\n");
	free(l);
	l = ctl_dropped_line(42);
	assert_string_equal(l, "{\"dropped\":42}\n");
	free(l);
}

static void test_dispatch_direct(void **state)
{
	struct fixture *f = *state;
	struct ctl_cmds *t;
	enum ctl_action act;
	char *reply;

	assert_int_equal(ctl_cmds_new(&t), 0);
	assert_int_equal(ctl_cmds_add(t, "echo", h_echo, f), 0);
	assert_int_equal(
		ctl_dispatch(t, "{\"cmd\":\"echo\",\"args\":{\"a\":[1]}}garbage", 31, &reply, &act),
		0);
	assert_int_equal(act, CTL_ACT_REPLY);
	assert_string_equal(reply, "{\"ok\":true,\"result\":{\"a\":[1]}}\n");
	free(reply);
	assert_int_equal(ctl_dispatch(t, "{\"cmd\":\"log-follow\"}", 20, &reply, &act), 0);
	assert_int_equal(act, CTL_ACT_FOLLOW);
	free(reply);
	assert_int_equal(ctl_dispatch(t, "", 0, &reply, &act), 0);
	assert_int_equal(strncmp(reply, "{\"ok\":false,\"error\":\"invalid request: ", 37), 0);
	assert_non_null(strchr(reply, '\n'));
	assert_int_equal(strchr(reply, '\n')[1], '\0');
	free(reply);
	ctl_cmds_free(t);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_request_ok),
		T(test_several_per_connection),
		T(test_invalid_requests),
		T(test_oversize),
		T(test_unknown_command),
		T(test_handler_error),
		T(test_register),
		T(test_log_level),
		T(test_log_follow),
		T(test_log_follow_slow_client),
		T(test_too_many_followers),
		T(test_eof_without_newline),
		T(test_socket_modes),
		T(test_stale_socket_replaced),
		T(test_bad_paths),
		T(test_peer_credentials),
		cmocka_unit_test(test_log_line_format),
		T(test_dispatch_direct),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
