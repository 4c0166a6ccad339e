/* SPDX-License-Identifier: MIT */
/*
 * The list of problems a load found, each as a key path and a reason.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

void cfg_diag_init(struct cfg_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void cfg_diag_free(struct cfg_diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].path);
		free(d->items[i].reason);
		free(d->items[i].msg);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

size_t cfg_diag_count(const struct cfg_diag *d)
{
	return d->n;
}

const char *cfg_diag_msg(const struct cfg_diag *d, size_t i)
{
	return i < d->n ? d->items[i].msg : NULL;
}

const char *cfg_diag_path(const struct cfg_diag *d, size_t i)
{
	return i < d->n ? d->items[i].path : NULL;
}

const char *cfg_diag_reason(const struct cfg_diag *d, size_t i)
{
	return i < d->n ? d->items[i].reason : NULL;
}

uint32_t cfg_diag_line(const struct cfg_diag *d, size_t i)
{
	return i < d->n ? d->items[i].line : 0;
}

bool cfg_diag_has(const struct cfg_diag *d, const char *msg)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->items[i].msg, msg) == 0)
			return true;
	return false;
}

static void push(struct cfg_diag *d, uint32_t line, const char *path, char *reason)
{
	struct cfg_diag_item it = {.line = line, .reason = reason};
	int n;

	if (!reason || !(it.path = strdup(path)))
		goto oom;
	n = *path ? asprintf(&it.msg, "%s: %s", path, reason) : asprintf(&it.msg, "%s", reason);
	if (n < 0) {
		it.msg = NULL;
		goto oom;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct cfg_diag_item *p = realloc(d->items, cap * sizeof(*p));

		if (!p)
			goto oom;
		d->items = p;
		d->cap = cap;
	}
	d->items[d->n++] = it;
	return;
oom:
	free(it.reason);
	free(it.path);
	free(it.msg);
	d->oom = true;
}

void cfg_diag_add(struct cfg_diag *d, uint32_t line, const char *path, const char *fmt, ...)
{
	char *reason = NULL;
	va_list ap;

	if (!d || d->truncated)
		return;
	/* Junk input can make a problem per byte; a person reads the first ones. */
	if (d->n + 1 >= CFG_DIAG_MAX) {
		d->truncated = true;
		push(d, 0, "", strdup("too many problems; the rest are not shown"));
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&reason, fmt, ap) < 0)
		reason = NULL;
	va_end(ap);
	push(d, line, path ? path : "", reason);
}
