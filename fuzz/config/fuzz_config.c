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

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_gateway_log(const struct cfg *a, const struct cfg *b)
{
	const struct cfg_gateway *g = &a->gateway, *h = &b->gateway;

	if (!same_str(g->name, h->name) || !same_str(g->description, h->description) ||
	    !addr_eq(&g->local_address, &h->local_address) ||
	    !addr_eq(&g->public_ip, &h->public_ip) || g->bandwidth_bps != h->bandwidth_bps ||
	    g->n_local_subnets != h->n_local_subnets)
		return false;
	for (size_t i = 0; i < g->n_local_subnets; i++)
		if (!cidr_eq(&g->local_subnets[i], &h->local_subnets[i]))
			return false;
	return memcmp(a->log.subsys, b->log.subsys, sizeof(a->log.subsys)) == 0 &&
	       a->log.level == b->log.level && a->log.keys == b->log.keys;
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
	if (again->n_tunnels != c->n_tunnels || !same_gateway_log(c, again))
		abort();
	for (size_t i = 0; i < c->n_tunnels; i++)
		if (!cfg_tunnel_equal(&c->tunnels[i], &again->tunnels[i]) ||
		    !same_str(c->tunnels[i].description, again->tunnels[i].description))
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
