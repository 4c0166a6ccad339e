/* SPDX-License-Identifier: MIT */
/*
 * The control socket: accept, check the peer's credentials, split the byte
 * stream into request lines, hand each to ctl_dispatch(), queue the reply.
 * The protocol itself is in ctl_proto.c, log streams in ctl_follow.c.
 */
#include "daemon/ctl_server.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "daemon/ctl_follow.h"
#include "daemon/ctl_proto.h"
#include "ipsecgw_build.h"
#include "lib/err.h"
#include "lib/log.h"

/* Most concurrent clients; more are refused (a CLI holds one for a moment). */
#define CTL_MAX_CLIENTS 64
/* Stop reading a client's requests while this much of its replies is unsent. */
#define CTL_OUT_HIGH (1024 * 1024)
/* A request-reply client silent this long (or not reading) is closed. */
#define CTL_IDLE_S 60

struct client {
	struct ctl_server *srv;
	struct client *prev, *next;
	struct bufferevent *bev;
	struct ctl_follower *follow; /* set once the connection is a log stream */
	bool discarding;	     /* skipping the rest of an oversize line */
	bool closing;		     /* close once the output is written */
	pid_t pid;
};

struct ctl_server {
	struct event_base *base;
	char *path;
	int fd;
	struct event *accept_ev;
	struct ctl_cmds *cmds;
	struct ctl_follow *follow;
	struct client *clients;
	unsigned nclients;
};

static void client_free(struct client *c)
{
	struct ctl_server *s = c->srv;

	ctl_follow_stop(c->follow);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nclients--;
	bufferevent_free(c->bev); /* closes the fd (BEV_OPT_CLOSE_ON_FREE) */
	free(c);
}

static void send_line(struct client *c, char *line)
{
	if (line && evbuffer_add(bufferevent_get_output(c->bev), line, strlen(line)) != 0)
		log_warn(LS_CTL, "control client pid %d: reply dropped (out of memory)",
			 (int)c->pid);
	free(line);
}

/* Turns c into a log stream; on failure *reply becomes the error instead. */
static void start_follow(struct client *c, char **reply)
{
	struct timeval idle = {CTL_IDLE_S, 0};
	int r = ctl_follow_start(c->srv->follow, c->bev, &c->follow);

	if (r != 0) {
		c->follow = NULL;
		free(*reply);
		*reply = r == IG_ENOSPC ? ctl_reply_error("log-follow: too many log followers")
					: ctl_reply_error("log-follow: %s", ig_strerror(r));
		return;
	}
	/* A stream has no requests to wait for; only a stuck writer is closed. */
	bufferevent_set_timeouts(c->bev, NULL, &idle);
}

/* One complete line (without '\n') from a request-reply client. */
static void handle_line(struct client *c, const char *line, size_t len)
{
	enum ctl_action act;
	char *reply;

	if (len && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return;
	if (ctl_dispatch(c->srv->cmds, line, len, &reply, &act) != 0) {
		log_warn(LS_CTL, "control client pid %d: no memory for a reply", (int)c->pid);
		return;
	}
	/* Lines reach the socket only from the loop's next pass: the reply goes first. */
	if (act == CTL_ACT_FOLLOW)
		start_follow(c, &reply);
	send_line(c, reply);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	while (!c->closing) {
		struct evbuffer_ptr eol;
		size_t have = evbuffer_get_length(in), len;

		/* A stream's client has nothing more to say; read only to see it hang up. */
		if (c->follow) {
			evbuffer_drain(in, have);
			return;
		}
		eol = evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_LF);
		if (eol.pos < 0) {
			if (have > CTL_REQUEST_MAX) {
				if (!c->discarding)
					send_line(c, ctl_reply_error("invalid request: longer than "
								     "%d bytes",
								     CTL_REQUEST_MAX));
				c->discarding = true;
				evbuffer_drain(in, have);
			}
			return;
		}
		len = (size_t)eol.pos;
		if (c->discarding || len > CTL_REQUEST_MAX) {
			if (!c->discarding)
				send_line(c,
					  ctl_reply_error("invalid request: longer than %d bytes",
							  CTL_REQUEST_MAX));
			c->discarding = false;
		} else {
			handle_line(c, (const char *)evbuffer_pullup(in, (ssize_t)len + 1), len);
		}
		evbuffer_drain(in, len + 1);
		/* Backpressure: a client that sends but does not read waits. */
		if (evbuffer_get_length(bufferevent_get_output(bev)) > CTL_OUT_HIGH) {
			bufferevent_disable(bev, EV_READ);
			return;
		}
	}
}

static void on_write(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;

	if (c->closing) {
		client_free(c);
		return;
	}
	if (c->follow) {
		ctl_follow_drained(c->follow);
		return;
	}
	if (!(bufferevent_get_enabled(bev) & EV_READ)) {
		bufferevent_enable(bev, EV_READ);
		on_read(bev, c);
	}
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t have = evbuffer_get_length(in);

	if (what & BEV_EVENT_ERROR)
		log_debug(LS_CTL, "control client pid %d: %s", (int)c->pid,
			  evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	if (what & BEV_EVENT_TIMEOUT)
		log_debug(LS_CTL, "control client pid %d: idle for %d s, closing", (int)c->pid,
			  CTL_IDLE_S);
	/*
	 * EOF after a last request without '\n' (a client that shut down its
	 * sending side): answer it, then close once the reply is out.
	 */
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) && !c->follow && have) {
		if (!c->discarding && have <= CTL_REQUEST_MAX)
			handle_line(c, (const char *)evbuffer_pullup(in, -1), have);
		evbuffer_drain(in, have);
	}
	if (!c->follow && !(what & (BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) &&
	    evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
		c->closing = true;
		bufferevent_disable(bev, EV_READ);
		bufferevent_set_timeouts(bev, NULL, &(struct timeval){CTL_IDLE_S, 0});
		return;
	}
	client_free(c);
}

/* Only root and the daemon's own user may steer the daemon. */
static bool peer_allowed(int fd, pid_t *pid)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	*pid = 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0) {
		log_warn(LS_CTL, "control socket: SO_PEERCRED: %s; connection closed",
			 strerror(errno));
		return false;
	}
	*pid = cr.pid;
	if (cr.uid != 0 && cr.uid != geteuid()) {
		log_warn(LS_CTL,
			 "control socket: refused pid %d uid %u: only root or uid %u may connect",
			 (int)cr.pid, (unsigned)cr.uid, (unsigned)geteuid());
		return false;
	}
	return true;
}

static void on_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct ctl_server *s = arg;
	struct timeval idle = {CTL_IDLE_S, 0};
	struct client *c;
	pid_t pid;
	int fd;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			log_warn(LS_CTL, "control socket %s: accept: %s", s->path, strerror(errno));
		return;
	}
	if (!peer_allowed(fd, &pid)) {
		close(fd);
		return;
	}
	if (s->nclients >= CTL_MAX_CLIENTS) {
		log_warn(LS_CTL, "control socket: refused pid %d: %d clients connected already",
			 (int)pid, CTL_MAX_CLIENTS);
		close(fd);
		return;
	}
	if (!(c = calloc(1, sizeof(*c))) ||
	    !(c->bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE))) {
		log_warn(LS_CTL, "control socket: no memory for a client");
		free(c);
		close(fd);
		return;
	}
	c->srv = s;
	c->pid = pid;
	c->next = s->clients;
	if (s->clients)
		s->clients->prev = c;
	s->clients = c;
	s->nclients++;
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	bufferevent_set_timeouts(c->bev, &idle, &idle);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	log_debug(LS_CTL, "control client pid %d connected", (int)pid);
}

/* Creates the socket's directory 0700 when it is missing. */
static int make_dir(const char *path)
{
	char *copy = strdup(path), *dir;
	int r = 0;

	if (!copy)
		return IG_ENOMEM;
	dir = dirname(copy);
	if (mkdir(dir, 0700) == 0) {
		/* mkdir's mode is filtered by the umask; make it exact. */
		if (chmod(dir, 0700) != 0) {
			log_error(LS_CTL, "control socket: chmod 0700 %s: %s", dir,
				  strerror(errno));
			r = IG_EIO;
		}
	} else if (errno != EEXIST) {
		log_error(LS_CTL, "control socket: mkdir %s: %s", dir, strerror(errno));
		r = IG_EIO;
	}
	free(copy);
	return r;
}

/* A socket file left by a dead daemon is removed; one that answers is not. */
static int clear_stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, r;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : IG_EIO;
	if (!S_ISSOCK(st.st_mode)) {
		log_error(LS_CTL, "control socket %s: exists and is not a socket", path);
		return IG_EEXIST;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return IG_EIO;
	r = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (r == 0) {
		log_error(LS_CTL, "control socket %s: another ipsecgwd is listening", path);
		return IG_EEXIST;
	}
	if (unlink(path) != 0 && errno != ENOENT) {
		log_error(LS_CTL, "control socket %s: unlink stale socket: %s", path,
			  strerror(errno));
		return IG_EIO;
	}
	return 0;
}

static int listen_on(struct ctl_server *s)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	size_t n = strlen(s->path);
	int r;

	if (n == 0 || n >= sizeof(sun.sun_path)) {
		log_error(LS_CTL, "control socket path '%s': length %zu not in 1..%zu", s->path, n,
			  sizeof(sun.sun_path) - 1);
		return IG_EINVAL;
	}
	memcpy(sun.sun_path, s->path, n);
	if ((r = make_dir(s->path)) != 0 || (r = clear_stale(s->path, &sun)) != 0)
		return r;
	if ((s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(s->fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		log_error(LS_CTL, "control socket %s: %s", s->path, strerror(errno));
		return IG_EIO;
	}
	if (chmod(s->path, 0600) != 0 || listen(s->fd, 16) != 0) {
		log_error(LS_CTL, "control socket %s: %s", s->path, strerror(errno));
		unlink(s->path);
		return IG_EIO;
	}
	return 0;
}

int ctl_server_new(struct ctl_server **out, struct event_base *base, const char *path)
{
	struct ctl_server *s = calloc(1, sizeof(*s));
	int r = IG_ENOMEM;

	*out = NULL;
	if (!s)
		return IG_ENOMEM;
	s->fd = -1;
	s->base = base;
	if (!(s->path = strdup(path ? path : IPSECGW_DEFAULT_SOCKET)))
		goto out;
	if ((r = ctl_cmds_new(&s->cmds)) != 0 || (r = ctl_follow_new(&s->follow, base)) != 0 ||
	    (r = listen_on(s)) != 0)
		goto out;
	r = IG_ENOMEM;
	if (!(s->accept_ev = event_new(base, s->fd, EV_READ | EV_PERSIST, on_accept, s)) ||
	    event_add(s->accept_ev, NULL) != 0) {
		unlink(s->path);
		goto out;
	}
	log_info(LS_CTL, "control socket listening on %s", s->path);
	*out = s;
	return 0;
out:
	/* Every failure above removed any socket file it made; keep free from unlinking. */
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	ctl_server_free(s);
	return r;
}

int ctl_server_register(struct ctl_server *s, const char *cmd, ctl_handler_fn fn, void *ctx)
{
	return ctl_cmds_add(s->cmds, cmd, fn, ctx);
}

void ctl_server_free(struct ctl_server *s)
{
	if (!s)
		return;
	while (s->clients)
		client_free(s->clients);
	ctl_follow_free(s->follow);
	if (s->accept_ev)
		event_free(s->accept_ev);
	if (s->fd >= 0) {
		close(s->fd);
		unlink(s->path);
	}
	ctl_cmds_free(s->cmds);
	free(s->path);
	free(s);
}
