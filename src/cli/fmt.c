/* SPDX-License-Identifier: MIT */
#include "cli/fmt.h"

#include <stdlib.h>
#include <string.h>

#include "lib/err.h"

void cli_fmt_size(uint64_t bytes, char *out, size_t len)
{
	static const char units[] = "BKMGTP";
	unsigned u = 0;

	while (u + 1 < sizeof(units) - 1 && bytes >= (uint64_t)1 << (10 * (u + 1)))
		u++;
	snprintf(out, len, "%llu%c", (unsigned long long)(bytes >> (10 * u)), units[u]);
}

void cli_fmt_uptime(int64_t s, char *out, size_t len)
{
	static const struct {
		int64_t secs;
		char unit;
	} parts[] = {{604800, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
	size_t off = 0;

	if (s <= 0) {
		snprintf(out, len, "0s");
		return;
	}
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && off < len; i++) {
		int64_t n = s / parts[i].secs;

		if (n == 0)
			continue;
		s %= parts[i].secs;
		off += (size_t)snprintf(out + off, len - off, "%lld%c", (long long)n,
					parts[i].unit);
	}
}

void cli_fmt_words(int64_t s, char *out, size_t len)
{
	const char *unit = "second";

	if (s < 0)
		s = 0;
	/* strongSwan switches unit only above one whole unit: 90 s is "90 seconds". */
	if (s > 86400)
		s /= 86400, unit = "day";
	else if (s > 3600)
		s /= 3600, unit = "hour";
	else if (s > 60)
		s /= 60, unit = "minute";
	snprintf(out, len, "%lld %s%s", (long long)s, unit, s == 1 ? "" : "s");
}

struct cli_table {
	size_t ncols, nrows, cap;
	char **cells; /* (nrows + 1) * ncols, headers first */
};

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

struct cli_table *cli_table_new(size_t ncols, const char *const headers[])
{
	struct cli_table *t = calloc(1, sizeof(*t));

	if (!t || !(t->cells = calloc(ncols, sizeof(char *)))) {
		free(t);
		return NULL;
	}
	t->ncols = ncols;
	t->cap = 1;
	if (cli_table_add(t, headers) != 0) {
		cli_table_free(t);
		return NULL;
	}
	return t;
}

int cli_table_add(struct cli_table *t, const char *const cells[])
{
	/* Row 0 holds the headers (added by cli_table_new); nrows counts the rest. */
	size_t row = t->cells[0] ? t->nrows + 1 : 0;
	char **c;

	if (row >= t->cap) {
		if (!(c = realloc(t->cells, t->cap * 2 * t->ncols * sizeof(char *))))
			return IG_ENOMEM;
		t->cells = c;
		t->cap *= 2;
	}
	for (size_t i = 0; i < t->ncols; i++)
		if (!(t->cells[row * t->ncols + i] = dup_or_empty(cells[i]))) {
			while (i-- > 0)
				free(t->cells[row * t->ncols + i]);
			return IG_ENOMEM;
		}
	if (row > 0)
		t->nrows++;
	return 0;
}

static void print_row(FILE *f, char *const cells[], const size_t width[], size_t ncols)
{
	size_t last = ncols;

	/* No trailing blanks: stop after the last non-empty cell, unpadded. */
	while (last > 0 && cells[last - 1][0] == '\0')
		last--;
	for (size_t i = 0; i < last; i++)
		fprintf(f, "%s%-*s", i ? "  " : "", i + 1 < last ? (int)width[i] : 0, cells[i]);
	fputc('\n', f);
}

void cli_table_print(const struct cli_table *t, FILE *f)
{
	size_t *width = calloc(t->ncols, sizeof(*width));
	char **dashes = calloc(t->ncols, sizeof(*dashes));

	if (!width || !dashes)
		goto out;
	for (size_t c = 0; c < t->ncols; c++) {
		width[c] = strlen(t->cells[c]) + 2;
		for (size_t r = 1; r <= t->nrows; r++) {
			size_t l = strlen(t->cells[r * t->ncols + c]);

			if (l > width[c])
				width[c] = l;
		}
		if (!(dashes[c] = malloc(width[c] + 1)))
			goto out;
		memset(dashes[c], '-', width[c]);
		dashes[c][width[c]] = '\0';
	}
	for (size_t r = 0; r <= t->nrows; r++) {
		print_row(f, &t->cells[r * t->ncols], width, t->ncols);
		if (r == 0)
			print_row(f, dashes, width, t->ncols);
	}
out:
	for (size_t c = 0; dashes && c < t->ncols; c++)
		free(dashes[c]);
	free(dashes);
	free(width);
}

void cli_table_free(struct cli_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < (t->nrows + 1) * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
