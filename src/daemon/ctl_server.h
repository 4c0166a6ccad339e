/* SPDX-License-Identifier: MIT */
/*
 * The control server: a UNIX stream socket (default /run/ipsecgw/ipsecgw.sock)
 * speaking newline-delimited JSON (docs/cli.md). One request per line:
 *   {"cmd": "<name>", "args": {...}}
 * one reply per request:
 *   {"ok": true, "result": <any>}   or   {"ok": false, "error": "<message>"}
 *
 * Only root and the daemon's own uid may connect (SO_PEERCRED). The server
 * runs on the daemon's control thread (one libevent loop); handlers run
 * there too and must not block.
 *
 * Built in: "log-level" (args {"subsys": "ike"|"all", "level": "debug"};
 * result: the levels now) and "log-follow" (the connection becomes a stream
 * of {"log": {...}} lines until the client hangs up).
 *
 * The daemon must ignore SIGPIPE: libevent writes with writev(), and a
 * client that hangs up mid-reply would otherwise kill the daemon.
 */
#ifndef IPSECGW_DAEMON_CTL_SERVER_H
#define IPSECGW_DAEMON_CTL_SERVER_H

#include <stddef.h>

#include <jansson.h>

struct event_base;
struct ctl_server;

/*
 * A command handler. args is the request's "args" object (an empty object
 * when the request has none), borrowed: do not keep or decref it. On
 * success return 0 and set *result to a new reference (or leave it NULL for
 * a JSON null result); the server takes it. On failure return non-zero
 * (an IG_E* code) and write the operator's message into err (at most
 * errlen bytes, errlen >= 256); an empty err gives "<cmd>: <ig_strerror>".
 */
typedef int (*ctl_handler_fn)(void *ctx, json_t *args, json_t **result, char *err, size_t errlen);

/*
 * Creates the socket at path (NULL: the default) and starts accepting on
 * base. The socket's directory is created 0700 if missing (an existing
 * directory is left alone); the socket is chmod 0600. A stale socket is
 * replaced; a live one (another daemon answers) is IG_EEXIST.
 */
int ctl_server_new(struct ctl_server **out, struct event_base *base, const char *path);
/* Adds a command; IG_EEXIST if cmd is taken (also by a built-in). */
int ctl_server_register(struct ctl_server *s, const char *cmd, ctl_handler_fn fn, void *ctx);
/* Closes every client, stops log streams, closes and unlinks the socket. */
void ctl_server_free(struct ctl_server *s);

#endif
