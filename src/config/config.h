/* SPDX-License-Identifier: MIT */
/*
 * Loading, validating, emitting and comparing configurations.
 *
 * cfg_load_* read the YAML (config/yaml_load.c), fill in defaults
 * (config/defaults.c) and check every rule (config/validate.c). Every
 * problem found is collected in a struct cfg_diag as "key.path: reason",
 * never just the first.
 */
#ifndef IPSECGW_CONFIG_CONFIG_H
#define IPSECGW_CONFIG_CONFIG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/model.h"

struct cfg_diag_item {
	char *path;    /* "tunnels[0].psk"; a file name for file-level problems; "" for none */
	char *reason;  /* "must be 8-40 characters, got 5" */
	char *msg;     /* "tunnels[0].psk: must be 8-40 characters, got 5" */
	uint32_t line; /* 1-based source line, 0 if unknown */
};

/* Most problems kept; junk input can make one per byte. */
#define CFG_DIAG_MAX 200

/* Problems collected while loading. */
struct cfg_diag {
	struct cfg_diag_item *items;
	size_t n, cap;
	bool oom;	/* an allocation failed: some problems were dropped */
	bool truncated; /* more than CFG_DIAG_MAX problems: the last item says so */
};

void cfg_diag_init(struct cfg_diag *d);
void cfg_diag_free(struct cfg_diag *d);
size_t cfg_diag_count(const struct cfg_diag *d);
/* "tunnels[0].psk: must be 8-40 characters, got 5" (NULL if i is out of range). */
const char *cfg_diag_msg(const struct cfg_diag *d, size_t i);
const char *cfg_diag_path(const struct cfg_diag *d, size_t i);
const char *cfg_diag_reason(const struct cfg_diag *d, size_t i);
uint32_t cfg_diag_line(const struct cfg_diag *d, size_t i);
/* True if some problem's message is exactly msg. */
bool cfg_diag_has(const struct cfg_diag *d, const char *msg);
/* Adds a problem (path may be NULL or ""). */
void cfg_diag_add(struct cfg_diag *d, uint32_t line, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Loads a file. Returns 0 only if there were no problems; otherwise
 * IG_EINVAL (also when the file cannot be read; IG_ENOMEM only when memory
 * ran out) with *out NULL and every problem in d. Also refuses a file that holds pre-shared keys
 * and is readable by group/other. Relative psk-file paths are relative to the file's directory.
 */
int cfg_load_file(const char *path, struct cfg **out, struct cfg_diag *d);
/*
 * Loads YAML text; name is used in messages and as cfg->source. No file-mode
 * check; relative psk-file paths are relative to the working directory.
 */
int cfg_load_string(const char *yaml, size_t len, const char *name, struct cfg **out,
		    struct cfg_diag *d);
/* Frees; wipes PSKs. NULL is fine. */
void cfg_free(struct cfg *c);

/*
 * For code that builds a configuration itself (importers): an empty one,
 * then cfg_finish() fills defaults and validates, as a load does (0 or
 * IG_EINVAL). Mark what you set in origin[].set so the emitter writes it.
 */
struct cfg *cfg_new(void);
int cfg_finish(struct cfg *c, struct cfg_diag *d);
/* The two halves of cfg_finish(). cfg_defaults_apply: 0 or IG_ENOMEM; idempotent. */
int cfg_defaults_apply(struct cfg *c);
void cfg_validate(const struct cfg *c, struct cfg_diag *d);

/* What cfg_emit_yaml_flags() writes. */
#define CFG_EMIT_SECRETS  1u /* inline PSKs (otherwise left out: the output won't load) */
#define CFG_EMIT_DEFAULTS 2u /* every effective value, also defaulted ones */

/*
 * Writes YAML that loads back to the same configuration:
 * load(emit(load(x))) == load(x). Writes the keys the operator set (and
 * derived ones never); with_secrets includes inline PSKs. 0 or IG_EIO.
 */
int cfg_emit_yaml(const struct cfg *c, FILE *f, bool with_secrets);
int cfg_emit_yaml_flags(const struct cfg *c, FILE *f, unsigned flags);

const struct cfg_tunnel *cfg_tunnel_find(const struct cfg *c, const char *name);
/*
 * Same effective settings (for reload: an equal tunnel keeps its SAs).
 * Ignores where values came from, the tunnel's position and its description.
 */
bool cfg_tunnel_equal(const struct cfg_tunnel *a, const struct cfg_tunnel *b);
/* Effective log level of a subsystem. */
enum log_level cfg_log_level(const struct cfg *c, enum log_subsys s);

#endif
