/* SPDX-License-Identifier: MIT */
/*
 * The control protocol without sockets: a command table and the step
 * "one request line -> handler -> one reply line". ctl_server.c feeds it
 * lines from clients; fuzz/daemon/fuzz_ctl_request.c feeds it anything.
 * Wire format: docs/cli.md.
 */
#ifndef IPSECGW_DAEMON_CTL_PROTO_H
#define IPSECGW_DAEMON_CTL_PROTO_H

#include <stddef.h>

#include <jansson.h>

#include "daemon/ctl_server.h"
#include "lib/log.h"

/* Longest request line, without its '\n' (docs/cli.md). */
#define CTL_REQUEST_MAX 65536
/* Size of the err buffer handlers get. */
#define CTL_ERR_MAX 512

/* Built-in command names. */
#define CTL_CMD_LOG_LEVEL  "log-level"
#define CTL_CMD_LOG_FOLLOW "log-follow"

struct ctl_cmds;

int ctl_cmds_new(struct ctl_cmds **out);
void ctl_cmds_free(struct ctl_cmds *t);
/* IG_EEXIST if cmd is registered or built in, IG_EINVAL for an empty name. */
int ctl_cmds_add(struct ctl_cmds *t, const char *cmd, ctl_handler_fn fn, void *ctx);

enum ctl_action {
	CTL_ACT_REPLY,	/* send *reply, keep reading requests */
	CTL_ACT_FOLLOW, /* send *reply, then turn the connection into a log stream */
};

/*
 * Parses one request line (len bytes, no '\n'; need not be NUL-terminated),
 * runs its handler and returns the reply line in *reply: malloc'd, ending in
 * '\n', holding no other newline; free() it. Never fails on bad input (that
 * gets an error reply); returns IG_ENOMEM only when no reply could be built.
 */
int ctl_dispatch(const struct ctl_cmds *t, const char *line, size_t len, char **reply,
		 enum ctl_action *act);

/* {"ok":false,"error":"<printf>"}\n, malloc'd; NULL without memory. */
char *ctl_reply_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A log stream line: {"log":{"time_ms":N,"subsys":"ike","level":"info",
 * "line":"..."}}\n with the "ike: " prefix that lib/log adds taken off and
 * invalid UTF-8 replaced by '?'. malloc'd; NULL without memory.
 */
char *ctl_log_line(enum log_subsys s, enum log_level l, const char *line, long long time_ms);
/* {"dropped":N}\n: N log lines were not sent because the client was slow. */
char *ctl_dropped_line(unsigned long n);

/* {"cfg":"info","ike":"debug",...}: every subsystem's level now. */
json_t *ctl_log_levels(void);

#endif
