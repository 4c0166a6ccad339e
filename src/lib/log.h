/* SPDX-License-Identifier: MIT */
/*
 * Logging with one level per subsystem (PRODUCT.md: `log: { ike: debug }`).
 * Lines go to a sink: stderr by default, syslog for the daemon, and any
 * number of extra listeners (the control socket's `log --follow`).
 *
 * Secrets: log_keys_allowed() is true only when the operator set
 * `log: { keys: true }`; code that would print key material must check it
 * and log at debug level only.
 */
#ifndef IPSECGW_LIB_LOG_H
#define IPSECGW_LIB_LOG_H

#include <stdbool.h>
#include <stdarg.h>

enum log_subsys {
	LS_CFG,
	LS_IKE,
	LS_ESP,
	LS_NET,
	LS_CTL,
	LS_DAEMON,
	LS_COUNT,
};

enum log_level {
	LL_ERROR,
	LL_WARN,
	LL_INFO,
	LL_DEBUG,
	LL_COUNT,
};

const char *log_subsys_name(enum log_subsys s);
const char *log_level_name(enum log_level l);
/* Parse "ike" / "debug"; 0 or IG_EINVAL. */
int log_subsys_parse(const char *s, enum log_subsys *out);
int log_level_parse(const char *s, enum log_level *out);

void log_set_level(enum log_subsys s, enum log_level l);
void log_set_all(enum log_level l);
enum log_level log_get_level(enum log_subsys s);
bool log_enabled(enum log_subsys s, enum log_level l);

void log_set_keys(bool allowed);
bool log_keys_allowed(void);

enum log_target {
	LOG_TO_STDERR,
	LOG_TO_SYSLOG,
	LOG_TO_NONE, /* only listeners (tests) */
};
void log_set_target(enum log_target t, const char *ident);

/*
 * A listener gets every line that passes the level filter, already
 * formatted as "ike: tunnel onprem: ..." without a trailing newline.
 */
typedef void (*log_listener_fn)(void *ctx, enum log_subsys s, enum log_level l,
				const char *line);
int log_add_listener(log_listener_fn fn, void *ctx);
void log_remove_listener(log_listener_fn fn, void *ctx);

void log_msg(enum log_subsys s, enum log_level l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_vmsg(enum log_subsys s, enum log_level l, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#define log_error(s, ...) log_msg((s), LL_ERROR, __VA_ARGS__)
#define log_warn(s, ...) log_msg((s), LL_WARN, __VA_ARGS__)
#define log_info(s, ...) log_msg((s), LL_INFO, __VA_ARGS__)
#define log_debug(s, ...)                                                        \
	do {                                                                     \
		if (log_enabled((s), LL_DEBUG))                                  \
			log_msg((s), LL_DEBUG, __VA_ARGS__);                     \
	} while (0)

/*
 * Rate limit for lines that outside input can trigger (malformed packets):
 * at most `burst` lines per `interval_s`, then one "N suppressed" line.
 */
struct log_ratelimit {
	unsigned interval_s;
	unsigned burst;
	long window_start;
	unsigned printed;
	unsigned suppressed;
};
#define LOG_RATELIMIT_INIT(interval, n) { (interval), (n), 0, 0, 0 }
bool log_ratelimit_ok(struct log_ratelimit *rl, enum log_subsys s);

#endif
