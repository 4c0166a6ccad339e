/* SPDX-License-Identifier: MIT */
#include "daemon/ctl_proto.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"

struct cmd {
	char *name;
	ctl_handler_fn fn;
	void *ctx;
};

struct ctl_cmds {
	struct cmd *v;
	size_t n, cap;
};

int ctl_cmds_new(struct ctl_cmds **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : IG_ENOMEM;
}

void ctl_cmds_free(struct ctl_cmds *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	free(t);
}

static const struct cmd *find(const struct ctl_cmds *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

int ctl_cmds_add(struct ctl_cmds *t, const char *cmd, ctl_handler_fn fn, void *ctx)
{
	struct cmd *v;

	if (!cmd || !*cmd || !fn)
		return IG_EINVAL;
	if (find(t, cmd) || strcmp(cmd, CTL_CMD_LOG_LEVEL) == 0 ||
	    strcmp(cmd, CTL_CMD_LOG_FOLLOW) == 0)
		return IG_EEXIST;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;

		if (!(v = realloc(t->v, cap * sizeof(*v))))
			return IG_ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	if (!(t->v[t->n].name = strdup(cmd)))
		return IG_ENOMEM;
	t->v[t->n].fn = fn;
	t->v[t->n].ctx = ctx;
	t->n++;
	return 0;
}

/* Takes obj; returns compact JSON plus '\n' in a malloc'd string. */
static char *dump_line(json_t *obj)
{
	char *s, *line = NULL;
	size_t n;

	if (!obj)
		return NULL;
	/* Compact JSON escapes every control character, so no '\n' inside. */
	s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(obj);
	if (!s)
		return NULL;
	n = strlen(s);
	if ((line = malloc(n + 2))) {
		memcpy(line, s, n);
		line[n] = '\n';
		line[n + 1] = '\0';
	}
	free(s);
	return line;
}

/* Replaces every byte that is not part of valid UTF-8 by '?' (jansson rejects it). */
static void utf8_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		unsigned c = *p, n, min;
		uint32_t cp;

		if (c < 0x80) {
			p++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			n = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			n = 2, cp = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			n = 3, cp = c & 0x07, min = 0x10000;
		else
			goto bad;
		for (unsigned i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				goto bad;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		/* Overlong forms, UTF-16 surrogates and values past U+10FFFF. */
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		p += n + 1;
		continue;
	bad:
		*p++ = '?';
	}
}

char *ctl_reply_error(const char *fmt, ...)
{
	char msg[CTL_ERR_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	utf8_clean(msg);
	return dump_line(json_pack("{s:b, s:s}", "ok", 0, "error", msg));
}

static char *reply_ok(json_t *result)
{
	json_t *r = json_object();

	if (!r) {
		json_decref(result);
		return NULL;
	}
	/* json_object_set_new() takes its value even when it fails. */
	if (json_object_set_new(r, "ok", json_true()) != 0) {
		json_decref(result);
		json_decref(r);
		return NULL;
	}
	if (json_object_set_new(r, "result", result ? result : json_null()) != 0) {
		json_decref(r);
		return NULL;
	}
	return dump_line(r);
}

char *ctl_log_line(enum log_subsys s, enum log_level l, const char *line, long long time_ms)
{
	const char *name = log_subsys_name(s);
	size_t nl = strlen(name);
	char text[1100];

	/* lib/log prefixes "ike: "; the subsystem has its own field here. */
	if (strncmp(line, name, nl) == 0 && line[nl] == ':' && line[nl + 1] == ' ')
		line += nl + 2;
	snprintf(text, sizeof(text), "%s", line);
	utf8_clean(text);
	return dump_line(json_pack("{s:{s:I, s:s, s:s, s:s}}", "log", "time_ms",
				   (json_int_t)time_ms, "subsys", name, "level", log_level_name(l),
				   "line", text));
}

char *ctl_dropped_line(unsigned long n)
{
	return dump_line(json_pack("{s:I}", "dropped", (json_int_t)n));
}

json_t *ctl_log_levels(void)
{
	json_t *o = json_object();

	for (int i = 0; o && i < LS_COUNT; i++)
		if (json_object_set_new(
			    o, log_subsys_name((enum log_subsys)i),
			    json_string(log_level_name(log_get_level((enum log_subsys)i)))) != 0) {
			json_decref(o);
			return NULL;
		}
	return o;
}

static const char *subsys_list(char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < LS_COUNT && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s, ",
					log_subsys_name((enum log_subsys)i));
	if (off < len)
		snprintf(buf + off, len - off, "all");
	return buf;
}

/* Built-in "log-level": {"subsys": "ike"|"all", "level": "debug"}; no args = just show. */
static int log_level_cmd(json_t *args, json_t **result, char *err, size_t errlen)
{
	json_t *js = json_object_get(args, "subsys"), *jl = json_object_get(args, "level");
	enum log_subsys s = LS_COUNT;
	enum log_level l;
	char names[128];

	if (js || jl) {
		if (!json_is_string(js) || !json_is_string(jl)) {
			snprintf(err, errlen,
				 "log-level: args need both 'subsys' and 'level' "
				 "as strings");
			return IG_EINVAL;
		}
		if (strcmp(json_string_value(js), "all") != 0 &&
		    log_subsys_parse(json_string_value(js), &s) != 0) {
			snprintf(err, errlen, "log-level: unknown subsystem '%.64s' (one of %s)",
				 json_string_value(js), subsys_list(names, sizeof(names)));
			return IG_EINVAL;
		}
		if (log_level_parse(json_string_value(jl), &l) != 0) {
			snprintf(err, errlen,
				 "log-level: unknown level '%.64s' (one of error, "
				 "warn, info, debug)",
				 json_string_value(jl));
			return IG_EINVAL;
		}
		if (s == LS_COUNT)
			log_set_all(l);
		else
			log_set_level(s, l);
		log_info(LS_CTL, "log level of %s set to %s",
			 s == LS_COUNT ? "all subsystems" : log_subsys_name(s), log_level_name(l));
	}
	*result = ctl_log_levels();
	return *result ? 0 : IG_ENOMEM;
}

int ctl_dispatch(const struct ctl_cmds *t, const char *line, size_t len, char **reply,
		 enum ctl_action *act)
{
	char err[CTL_ERR_MAX] = "";
	json_t *req = NULL, *args, *jcmd, *result = NULL, *empty = NULL;
	const struct cmd *c;
	const char *cmd;
	json_error_t je;
	int r;

	*act = CTL_ACT_REPLY;
	*reply = NULL;
	if (len > CTL_REQUEST_MAX) {
		*reply = ctl_reply_error("invalid request: longer than %d bytes", CTL_REQUEST_MAX);
		goto out;
	}
	if (!(req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je))) {
		*reply = ctl_reply_error("invalid request: %s (at byte %d)", je.text, je.position);
		goto out;
	}
	if (!json_is_object(req)) {
		*reply = ctl_reply_error("invalid request: not a JSON object");
		goto out;
	}
	jcmd = json_object_get(req, "cmd");
	if (!json_is_string(jcmd)) {
		*reply = ctl_reply_error("invalid request: 'cmd' missing or not a string");
		goto out;
	}
	cmd = json_string_value(jcmd);
	args = json_object_get(req, "args");
	if (!args || json_is_null(args)) {
		if (!(args = empty = json_object()))
			goto out;
	} else if (!json_is_object(args)) {
		*reply = ctl_reply_error("invalid request: 'args' must be an object");
		goto out;
	}

	if (strcmp(cmd, CTL_CMD_LOG_FOLLOW) == 0) {
		*act = CTL_ACT_FOLLOW;
		*reply = reply_ok(json_pack("{s:b}", "following", 1));
		goto out;
	}
	if (strcmp(cmd, CTL_CMD_LOG_LEVEL) == 0) {
		r = log_level_cmd(args, &result, err, sizeof(err));
	} else if ((c = find(t, cmd))) {
		r = c->fn(c->ctx, args, &result, err, sizeof(err));
	} else {
		*reply = ctl_reply_error("unknown command '%.64s'", cmd);
		goto out;
	}
	if (r != 0) {
		json_decref(result);
		err[sizeof(err) - 1] = '\0';
		if (err[0])
			*reply = ctl_reply_error("%s", err);
		else
			*reply = ctl_reply_error("%.64s: %s", cmd, ig_strerror(r));
		goto out;
	}
	/* reply_ok takes result; it fails only without memory or on a NaN real. */
	if (!(*reply = reply_ok(result)))
		*reply = ctl_reply_error("%.64s: cannot encode the result", cmd);
out:
	json_decref(empty);
	json_decref(req);
	return *reply ? 0 : IG_ENOMEM;
}
