/* SPDX-License-Identifier: MIT */
/* Reading tests/data/cli/ files (IPSECGW_TEST_DATA, set by tests/meson.build). */
#ifndef IPSECGW_TESTS_CLI_FIXTURE_H
#define IPSECGW_TESTS_CLI_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

static inline char *fixture_path(const char *name, char *buf, size_t len)
{
	const char *dir = getenv("IPSECGW_TEST_DATA");

	snprintf(buf, len, "%s/cli/%s", dir ? dir : "tests/data", name);
	return buf;
}

/* The whole file as a string (malloc'd), or NULL. */
static inline char *fixture_text(const char *name)
{
	char path[512], *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(fixture_path(name, path, sizeof(path)), "r"), *m;
	int ch;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((ch = fgetc(f)) != EOF)
		fputc(ch, m);
	fclose(m);
	fclose(f);
	return buf;
}

static inline json_t *fixture_json(const char *name)
{
	char path[512];

	return json_load_file(fixture_path(name, path, sizeof(path)), 0, NULL);
}

#endif
