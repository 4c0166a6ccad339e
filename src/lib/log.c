/* SPDX-License-Identifier: MIT */
#include "lib/log.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#include "lib/err.h"

#define LOG_MAX_LISTENERS 16
#define LOG_LINE_MAX 1024

static const char *const subsys_names[LS_COUNT] = {
	[LS_CFG] = "cfg", [LS_IKE] = "ike", [LS_ESP] = "esp",
	[LS_NET] = "net", [LS_CTL] = "ctl", [LS_DAEMON] = "daemon",
};
static const char *const level_names[LL_COUNT] = {
	[LL_ERROR] = "error", [LL_WARN] = "warn", [LL_INFO] = "info", [LL_DEBUG] = "debug",
};

static enum log_level levels[LS_COUNT] = {
	LL_INFO, LL_INFO, LL_INFO, LL_INFO, LL_INFO, LL_INFO,
};
static bool keys_allowed;
static enum log_target target = LOG_TO_STDERR;

/*
 * Data-path workers log from their own threads: the listener table and the
 * calls into it are serialised, so a listener removed by
 * log_remove_listener() is never called afterwards. Listeners must not log.
 */
static pthread_mutex_t listeners_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	log_listener_fn fn;
	void *ctx;
} listeners[LOG_MAX_LISTENERS];

const char *log_subsys_name(enum log_subsys s)
{
	return (unsigned)s < LS_COUNT ? subsys_names[s] : "?";
}

const char *log_level_name(enum log_level l)
{
	return (unsigned)l < LL_COUNT ? level_names[l] : "?";
}

int log_subsys_parse(const char *s, enum log_subsys *out)
{
	for (int i = 0; i < LS_COUNT; i++)
		if (s && strcasecmp(s, subsys_names[i]) == 0) {
			*out = (enum log_subsys)i;
			return 0;
		}
	return IG_EINVAL;
}

int log_level_parse(const char *s, enum log_level *out)
{
	for (int i = 0; i < LL_COUNT; i++)
		if (s && strcasecmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	if (s && strcasecmp(s, "warning") == 0) {
		*out = LL_WARN;
		return 0;
	}
	return IG_EINVAL;
}

void log_set_level(enum log_subsys s, enum log_level l)
{
	if ((unsigned)s < LS_COUNT && (unsigned)l < LL_COUNT)
		levels[s] = l;
}

void log_set_all(enum log_level l)
{
	for (int i = 0; i < LS_COUNT; i++)
		log_set_level((enum log_subsys)i, l);
}

enum log_level log_get_level(enum log_subsys s)
{
	return (unsigned)s < LS_COUNT ? levels[s] : LL_INFO;
}

bool log_enabled(enum log_subsys s, enum log_level l)
{
	return (unsigned)s < LS_COUNT && l <= levels[s];
}

void log_set_keys(bool allowed)
{
	keys_allowed = allowed;
}

bool log_keys_allowed(void)
{
	return keys_allowed;
}

void log_set_target(enum log_target t, const char *ident)
{
	if (target == LOG_TO_SYSLOG && t != LOG_TO_SYSLOG)
		closelog();
	target = t;
	if (t == LOG_TO_SYSLOG)
		openlog(ident ? ident : "ipsecgwd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int log_add_listener(log_listener_fn fn, void *ctx)
{
	int r = IG_ENOSPC;

	pthread_mutex_lock(&listeners_lock);
	for (int i = 0; i < LOG_MAX_LISTENERS; i++)
		if (!listeners[i].fn) {
			listeners[i].fn = fn;
			listeners[i].ctx = ctx;
			r = 0;
			break;
		}
	pthread_mutex_unlock(&listeners_lock);
	return r;
}

void log_remove_listener(log_listener_fn fn, void *ctx)
{
	pthread_mutex_lock(&listeners_lock);
	for (int i = 0; i < LOG_MAX_LISTENERS; i++)
		if (listeners[i].fn == fn && listeners[i].ctx == ctx)
			listeners[i].fn = NULL;
	pthread_mutex_unlock(&listeners_lock);
}

static int syslog_prio(enum log_level l)
{
	switch (l) {
	case LL_ERROR: return LOG_ERR;
	case LL_WARN: return LOG_WARNING;
	case LL_INFO: return LOG_INFO;
	default: return LOG_DEBUG;
	}
}

void log_vmsg(enum log_subsys s, enum log_level l, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n;

	if (!log_enabled(s, l))
		return;
	n = snprintf(line, sizeof(line), "%s: ", log_subsys_name(s));
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);

	if (target == LOG_TO_STDERR) {
		struct timespec ts;
		struct tm tm;
		char when[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld %-5s %s\n", when, ts.tv_nsec / 1000000,
			log_level_name(l), line);
	} else if (target == LOG_TO_SYSLOG) {
		syslog(syslog_prio(l), "%s", line);
	}
	pthread_mutex_lock(&listeners_lock);
	for (int i = 0; i < LOG_MAX_LISTENERS; i++)
		if (listeners[i].fn)
			listeners[i].fn(listeners[i].ctx, s, l, line);
	pthread_mutex_unlock(&listeners_lock);
}

void log_msg(enum log_subsys s, enum log_level l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(s, l, fmt, ap);
	va_end(ap);
}

bool log_ratelimit_ok(struct log_ratelimit *rl, enum log_subsys s)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (ts.tv_sec - rl->window_start >= (long)rl->interval_s) {
		if (rl->suppressed)
			log_msg(s, LL_WARN, "%u similar messages suppressed", rl->suppressed);
		rl->window_start = ts.tv_sec;
		rl->printed = 0;
		rl->suppressed = 0;
	}
	if (rl->printed < rl->burst) {
		rl->printed++;
		return true;
	}
	rl->suppressed++;
	return false;
}
