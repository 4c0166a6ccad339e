/* SPDX-License-Identifier: MIT */
/*
 * The CLI's side of the control protocol (docs/cli.md): connect to the
 * daemon's UNIX socket, send {"cmd": ..., "args": ...} lines, read the
 * replies. Every function fills err with a message for the operator.
 *
 * Returns: 0; IG_EIO (cannot connect, connection lost); IG_EAGAIN (no reply
 * within the timeout); IG_ESTATE (the daemon answered {"ok": false}: err is
 * its message); IG_EINVAL (a reply that is not the protocol); IG_ENOMEM.
 */
#ifndef IPSECGW_CLI_CTL_CLIENT_H
#define IPSECGW_CLI_CTL_CLIENT_H

#include <signal.h>
#include <stddef.h>

#include <jansson.h>

/* How long a request may take, connect to reply. */
#define CTL_CLIENT_TIMEOUT_MS 10000
/* Longest reply line the client accepts. */
#define CTL_CLIENT_REPLY_MAX (64u * 1024 * 1024)

struct ctl_conn;

/* timeout_ms bounds each later call on the connection (< 0: no limit). */
int ctl_conn_open(struct ctl_conn **out, const char *path, int timeout_ms, char *err,
		  size_t errlen);
/*
 * One request, one reply. args is borrowed (NULL: none). On success
 * *result is a new reference to the reply's "result" (JSON null if absent).
 */
int ctl_conn_call(struct ctl_conn *c, const char *cmd, json_t *args, json_t **result, char *err,
		  size_t errlen);
/*
 * The next line from the daemon as JSON (a stream's {"log": ...}), waiting
 * at most timeout_ms (< 0: forever). When *stop becomes non-zero (a signal
 * handler sets it) the wait ends with IG_EAGAIN. EOF is IG_EIO.
 */
int ctl_conn_next(struct ctl_conn *c, int timeout_ms, volatile sig_atomic_t *stop, json_t **msg,
		  char *err, size_t errlen);
void ctl_conn_close(struct ctl_conn *c);

/* Connect, one request with CTL_CLIENT_TIMEOUT_MS, close. */
int ctl_call(const char *path, const char *cmd, json_t *args, json_t **result, char *err,
	     size_t errlen);

/*
 * A streaming request (log-follow): send it, wait for its {"ok": true}, then
 * hand every following line to fn until fn returns non-zero, *stop is set
 * (returns 0 for both) or the daemon hangs up (IG_EIO, "ipsecgwd closed the
 * connection").
 */
typedef int (*ctl_stream_fn)(void *ctx, json_t *msg);
int ctl_stream(const char *path, const char *cmd, json_t *args, ctl_stream_fn fn, void *ctx,
	       volatile sig_atomic_t *stop, char *err, size_t errlen);

#endif
