/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the files of config/ (not for other layers).
 */
#ifndef IPSECGW_CONFIG_INTERNAL_H
#define IPSECGW_CONFIG_INTERNAL_H

#include "config/config.h"

/* Longest key path we build ("tunnels[123].esp.proposals[15]"). */
#define CFG_PATH_MAX 128
/* Size of a buffer for cfg_show(). */
#define CFG_SHOW_MAX 80

/*
 * A printable excerpt of an operator's value for a message: control and
 * non-ASCII bytes as \xNN, cut with "..." to fit n.
 */
const char *cfg_show(const char *s, char *buf, size_t n);

/* Scalars (values.c). All return 0 or IG_EINVAL / IG_ERANGE. */
int cfg_parse_bool(const char *s, bool *out);
int cfg_parse_u64(const char *s, uint64_t *out);
/* "86400", "86400s", "60m", "24h", "1d" (strongSwan's suffixes). */
int cfg_parse_seconds(const char *s, uint32_t *out);
/* "10mbps", "500kbps", "1gbps" (case-insensitive, optional space) to bits/s. */
int cfg_parse_bandwidth(const char *s, uint64_t *bps);
/* Fills id from text; allow_any accepts "%any". On error writes a reason. */
int cfg_id_parse(const char *s, bool allow_any, struct cfg_id *id, char *err, size_t errlen);
int cfg_id_from_addr(struct cfg_id *id, const struct addr *a);
int cfg_id_copy(struct cfg_id *dst, const struct cfg_id *src);
void cfg_id_clear(struct cfg_id *id);
bool cfg_id_equal(const struct cfg_id *a, const struct cfg_id *b);
/*
 * Reads a PSK file (one line; a trailing newline is dropped). Relative
 * paths are taken from basedir (NULL: working directory). Refuses files
 * readable by group/other. On error writes a reason.
 */
int cfg_read_psk_file(const char *path, const char *basedir, struct secret **out, char *err,
		      size_t errlen);
/* Counts UTF-8 characters (code points). */
size_t cfg_utf8_len(const char *s);

/* model.c */
void cfg_tunnel_clear(struct cfg_tunnel *t);
/* Parse enum names; -1 if unknown. */
int cfg_enum_parse(const char *const *names, const char *s);
extern const char *const cfg_tunnel_type_names[];
extern const char *const cfg_ike_version_names[];
extern const char *const cfg_esp_mode_names[];
extern const char *const cfg_df_bit_names[];
extern const char *const cfg_dpd_action_names[];
extern const char *const cfg_start_names[];
extern const char *const cfg_mss_dir_names[];

/*
 * yaml_load.c: parse only (no defaults, no validation). 0 when the model is
 * worth validating (problems may be in d); IG_EINVAL when the text is no
 * configuration at all (syntax error, empty, not a mapping).
 */
int cfg_parse_yaml(const char *yaml, size_t len, const char *name, const char *basedir,
		   struct cfg *c, struct cfg_diag *d);

#endif
