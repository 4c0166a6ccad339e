/* SPDX-License-Identifier: MIT */
#include "cli/ctl_client.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"

struct ctl_conn {
	int fd;
	int timeout_ms;
	char *path;
	char *buf; /* bytes read past the last line */
	size_t len, cap;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left before deadline for poll(); -1 = no deadline. */
static int left_ms(long long deadline)
{
	long long l;

	if (deadline < 0)
		return -1;
	l = deadline - now_ms();
	return l < 0 ? 0 : l > 1000000 ? 1000000 : (int)l;
}

int ctl_conn_open(struct ctl_conn **out, const char *path, int timeout_ms, char *err, size_t errlen)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	size_t n = strlen(path);
	struct ctl_conn *c;
	int e;

	*out = NULL;
	if (n == 0 || n >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "cannot connect to %s: socket path length %zu not in 1..%zu",
			 path, n, sizeof(sun.sun_path) - 1);
		return IG_EINVAL;
	}
	memcpy(sun.sun_path, path, n);
	if (!(c = calloc(1, sizeof(*c))) || !(c->path = strdup(path))) {
		free(c);
		snprintf(err, errlen, "out of memory");
		return IG_ENOMEM;
	}
	c->timeout_ms = timeout_ms;
	/*
	 * A blocking connect on a UNIX socket returns at once (or EAGAIN when
	 * the backlog is full), so only the exchange afterwards needs a timeout.
	 */
	if ((c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		e = errno;
		snprintf(err, errlen, "cannot connect to %s: %s%s", path, strerror(e),
			 e == ENOENT || e == ECONNREFUSED ? " — is ipsecgwd running?"
			 : e == EACCES || e == EPERM	  ? " — are you root?"
							  : "");
		ctl_conn_close(c);
		return IG_EIO;
	}
	*out = c;
	return 0;
}

void ctl_conn_close(struct ctl_conn *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	free(c->path);
	free(c->buf);
	free(c);
}

static int send_all(struct ctl_conn *c, const char *p, size_t n, long long deadline, char *err,
		    size_t errlen)
{
	while (n > 0) {
		struct pollfd pf = {.fd = c->fd, .events = POLLOUT};
		ssize_t w;
		int pr = poll(&pf, 1, left_ms(deadline));

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			snprintf(err, errlen, "%s: timed out sending the request", c->path);
			return IG_EAGAIN;
		}
		w = send(c->fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w < 0) {
			snprintf(err, errlen, "%s: %s: %s", c->path,
				 errno == EPIPE || errno == ECONNRESET
					 ? "ipsecgwd closed the connection"
					 : "sending the request",
				 strerror(errno));
			return IG_EIO;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads until a whole line is buffered; *line (malloc'd, no '\n') on success. */
static int read_line(struct ctl_conn *c, long long deadline, volatile sig_atomic_t *stop,
		     char **line, char *err, size_t errlen)
{
	for (;;) {
		char *nl = c->len ? memchr(c->buf, '\n', c->len) : NULL;
		struct pollfd pf = {.fd = c->fd, .events = POLLIN};
		ssize_t n;
		int pr;

		if (nl) {
			size_t l = (size_t)(nl - c->buf);

			if (!(*line = strndup(c->buf, l))) {
				snprintf(err, errlen, "out of memory");
				return IG_ENOMEM;
			}
			memmove(c->buf, nl + 1, c->len - l - 1);
			c->len -= l + 1;
			return 0;
		}
		if (c->len >= CTL_CLIENT_REPLY_MAX) {
			snprintf(err, errlen, "%s: reply longer than %u bytes", c->path,
				 CTL_CLIENT_REPLY_MAX);
			return IG_EINVAL;
		}
		if (c->cap - c->len < 65536) {
			size_t cap = c->cap ? c->cap * 2 : 131072;
			char *b = realloc(c->buf, cap);

			if (!b) {
				snprintf(err, errlen, "out of memory");
				return IG_ENOMEM;
			}
			c->buf = b;
			c->cap = cap;
		}
		if (stop && *stop)
			return IG_EAGAIN;
		pr = poll(&pf, 1, left_ms(deadline));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			snprintf(err, errlen, "%s: no reply from ipsecgwd within %d %s", c->path,
				 c->timeout_ms % 1000 ? c->timeout_ms : c->timeout_ms / 1000,
				 c->timeout_ms % 1000 ? "ms" : "s");
			return IG_EAGAIN;
		}
		n = read(c->fd, c->buf + c->len, c->cap - c->len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", c->path, strerror(errno));
			return IG_EIO;
		}
		if (n == 0) {
			snprintf(err, errlen, "%s: ipsecgwd closed the connection%s", c->path,
				 c->len ? " in the middle of a reply" : "");
			return IG_EIO;
		}
		c->len += (size_t)n;
	}
}

static int next(struct ctl_conn *c, long long deadline, volatile sig_atomic_t *stop, json_t **msg,
		char *err, size_t errlen)
{
	json_error_t je;
	char *line = NULL;
	int r;

	*msg = NULL;
	if ((r = read_line(c, deadline, stop, &line, err, errlen)) != 0)
		return r;
	*msg = json_loads(line, 0, &je);
	free(line);
	if (!json_is_object(*msg)) {
		json_decref(*msg);
		*msg = NULL;
		snprintf(err, errlen, "%s: reply is not a JSON object: %s", c->path,
			 je.text[0] ? je.text : "wrong type");
		return IG_EINVAL;
	}
	return 0;
}

int ctl_conn_next(struct ctl_conn *c, int timeout_ms, volatile sig_atomic_t *stop, json_t **msg,
		  char *err, size_t errlen)
{
	return next(c, timeout_ms < 0 ? -1 : now_ms() + timeout_ms, stop, msg, err, errlen);
}

/* Turns a reply object into 0 and its result, or IG_ESTATE and its error. */
static int unwrap(struct ctl_conn *c, json_t *reply, json_t **result, char *err, size_t errlen)
{
	json_t *ok = json_object_get(reply, "ok"), *e = json_object_get(reply, "error");

	if (!json_is_boolean(ok)) {
		snprintf(err, errlen, "%s: reply without \"ok\"", c->path);
		return IG_EINVAL;
	}
	if (json_is_false(ok)) {
		snprintf(err, errlen, "%s",
			 json_is_string(e) ? json_string_value(e) : "request failed (no message)");
		return IG_ESTATE;
	}
	*result = json_object_get(reply, "result");
	*result = *result ? json_incref(*result) : json_null();
	return 0;
}

int ctl_conn_call(struct ctl_conn *c, const char *cmd, json_t *args, json_t **result, char *err,
		  size_t errlen)
{
	long long deadline = c->timeout_ms < 0 ? -1 : now_ms() + c->timeout_ms;
	json_t *req = NULL, *reply = NULL;
	char *line = NULL;
	int r;

	*result = NULL;
	if (!(req = json_pack("{s:s}", "cmd", cmd)) ||
	    (args && json_object_set(req, "args", args) != 0) ||
	    !(line = json_dumps(req, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		snprintf(err, errlen, "out of memory");
		r = IG_ENOMEM;
		goto out;
	}
	if ((r = send_all(c, line, strlen(line), deadline, err, errlen)) != 0 ||
	    (r = send_all(c, "\n", 1, deadline, err, errlen)) != 0 ||
	    (r = next(c, deadline, NULL, &reply, err, errlen)) != 0 ||
	    (r = unwrap(c, reply, result, err, errlen)) != 0)
		goto out;
out:
	free(line);
	json_decref(req);
	json_decref(reply);
	return r;
}

int ctl_call(const char *path, const char *cmd, json_t *args, json_t **result, char *err,
	     size_t errlen)
{
	struct ctl_conn *c;
	int r;

	*result = NULL;
	if ((r = ctl_conn_open(&c, path, CTL_CLIENT_TIMEOUT_MS, err, errlen)) != 0)
		return r;
	r = ctl_conn_call(c, cmd, args, result, err, errlen);
	ctl_conn_close(c);
	return r;
}

int ctl_stream(const char *path, const char *cmd, json_t *args, ctl_stream_fn fn, void *ctx,
	       volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct ctl_conn *c;
	json_t *ack = NULL, *msg;
	int r;

	if ((r = ctl_conn_open(&c, path, CTL_CLIENT_TIMEOUT_MS, err, errlen)) != 0)
		return r;
	if ((r = ctl_conn_call(c, cmd, args, &ack, err, errlen)) != 0)
		goto out;
	for (;;) {
		r = ctl_conn_next(c, -1, stop, &msg, err, errlen);
		if (r == IG_EAGAIN && stop && *stop) {
			r = 0;
			break;
		}
		if (r != 0)
			break;
		r = fn(ctx, msg);
		json_decref(msg);
		if (r != 0) {
			r = 0;
			break;
		}
	}
out:
	json_decref(ack);
	ctl_conn_close(c);
	return r;
}
