/* SPDX-License-Identifier: MIT */
/*
 * The configuration loader on arbitrary bytes: it must report, never crash,
 * leak or hang. Whatever loads must emit YAML that loads back to the same
 * configuration and emits the same text again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *emit(const struct cfg *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	if (cfg_emit_yaml_flags(c, f, CFG_EMIT_SECRETS) != 0)
		abort();
	fclose(f);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg *c = NULL, *again = NULL;
	struct cfg_diag d;
	char *t1, *t2;

	if (size > 1 << 16)
		return 0;
	cfg_diag_init(&d);
	if (cfg_load_string((const char *)data, size, "fuzz.yaml", &c, &d) != 0) {
		/* Every problem has a message; failure always says why. */
		if (cfg_diag_count(&d) == 0 && !d.oom)
			abort();
		for (size_t i = 0; i < cfg_diag_count(&d); i++)
			if (!cfg_diag_msg(&d, i))
				abort();
		cfg_diag_free(&d);
		return 0;
	}
	t1 = emit(c);
	if (cfg_load_string(t1, strlen(t1), "emitted.yaml", &again, &d) != 0) {
		fprintf(stderr, "emitted YAML does not load: %s\n%s\n", cfg_diag_msg(&d, 0), t1);
		abort();
	}
	if (again->n_tunnels != c->n_tunnels)
		abort();
	for (size_t i = 0; i < c->n_tunnels; i++)
		if (!cfg_tunnel_equal(&c->tunnels[i], &again->tunnels[i]))
			abort();
	t2 = emit(again);
	if (strcmp(t1, t2) != 0) {
		fprintf(stderr, "emit not stable:\n%s\n---\n%s\n", t1, t2);
		abort();
	}
	free(t1);
	free(t2);
	cfg_free(c);
	cfg_free(again);
	cfg_diag_free(&d);
	return 0;
}
