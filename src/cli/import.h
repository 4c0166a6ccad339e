/* SPDX-License-Identifier: MIT */
/*
 * Reading the OTHER side's configuration: VyOS 'set' commands (1.3 and 1.4
 * syntax as the guide's section 4.1 uses them), strongSwan swanctl.conf, and
 * strongSwan ipsec.conf with its ipsec.secrets (guide section 4.2).
 *
 * Each importer fills struct imp_peer with the peer's tunnels AS THEY SEE
 * THEM (their local side is theirs), with their tool's defaults filled in.
 * Two users: 'ipsecgw import' mirrors them into our YAML (import_mirror.c),
 * 'ipsecgw check --peer' compares them with our tunnels (peer_check.c).
 *
 * Nothing is dropped silently: whatever an importer cannot map becomes a
 * note "file:line: ...", and whatever is malformed an error of the same form.
 */
#ifndef IPSECGW_CLI_IMPORT_H
#define IPSECGW_CLI_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/model.h"
#include "config/proposal.h"
#include "lib/addr.h"
#include "lib/secret.h"

enum imp_fmt {
	IMP_FMT_VYOS,
	IMP_FMT_SWANCTL,
	IMP_FMT_IPSECCONF,
};

#define IMP_MAX_PROPS	 16
#define IMP_MAX_NETS	 16
#define IMP_MAX_TUNNELS	 32
#define IMP_NAME_MAX	 64
#define IMP_ID_MAX	 256
#define IMP_LINE_MAX	 4096
#define IMP_MAX_MESSAGES 200

/* Their IKE version: 0 = either (swanctl version 0, ipsec.conf keyexchange=ike). */
enum imp_version { IMP_V_ANY = 0, IMP_V1 = 1, IMP_V2 = 2 };

struct imp_tunnel {
	char name[IMP_NAME_MAX]; /* their connection (VyOS: peer) name */
	uint32_t line;		 /* where it starts in their file */
	/* Their own address; family 0 when not a literal (%any, %defaultroute, unset). */
	struct addr local_addr;
	/* Their remote address: ours as they know it; family 0 when not a literal. */
	struct addr remote_addr;
	/* IDs as written ("" = the tool's default: see local_id_default). */
	char local_id[IMP_ID_MAX];
	char remote_id[IMP_ID_MAX];
	/* What the tool sends/expects when no ID is written. */
	bool remote_id_any; /* no remote ID: they accept whatever we send (swanctl) */
	enum imp_version version;
	struct proposal ike[IMP_MAX_PROPS];
	size_t n_ike;
	bool ike_default; /* none written: the tool's default proposals */
	struct proposal esp[IMP_MAX_PROPS];
	size_t n_esp;
	bool esp_default;
	uint32_t ike_lifetime; /* seconds, the tool's default filled in */
	uint32_t esp_lifetime;
	bool reauth;
	bool dpd; /* they send DPD probes */
	uint32_t dpd_interval, dpd_timeout;
	enum cfg_dpd_action dpd_action;
	struct secret *psk; /* NULL: not in the files read */
	bool route;	    /* VTI / 0.0.0.0/0 selectors */
	char vti_if[16];
	struct cidr vti_addr;	  /* their VTI address with its prefix; family 0 if unknown */
	struct addr vti_next_hop; /* a static route's next hop over the VTI (our tunnel IP) */
	struct cidr local_nets[IMP_MAX_NETS];
	size_t n_local_nets;
	struct cidr remote_nets[IMP_MAX_NETS]; /* policy: selectors; route: static routes */
	size_t n_remote_nets;
	bool multi_subnet_policy; /* one policy (VyOS tunnel N, child, conn) has >1 subnet a side */
	bool initiate;		  /* they start the tunnel */
	bool transport;		  /* ESP transport mode */
	uint16_t mss;		  /* their TCP MSS clamp, 0 = none */
};

struct imp_peer {
	enum imp_fmt fmt;
	const char *source; /* file name in messages (borrowed) */
	/* VyOS only: 13, 14, 15 (1.5 or later); how it was known in vyos_how. */
	int vyos_version;
	char vyos_how[96];
	struct imp_tunnel *t;
	size_t n;
	char **notes; /* "file:line: what was not mapped" */
	size_t n_notes;
	char **errors; /* "file:line: what was wrong" */
	size_t n_errors;
	bool oom;
};

/* "vyos" | "swanctl" | "ipsec.conf" (also "ipsecconf", "strongswan"): 0 or IG_EINVAL. */
int imp_fmt_parse(const char *s, enum imp_fmt *out);
const char *imp_fmt_name(enum imp_fmt f);
/* Guesses the format of a file's text (VyOS 'set', swanctl braces, else ipsec.conf). */
enum imp_fmt imp_fmt_detect(const char *text, size_t len);

void imp_peer_init(struct imp_peer *p, enum imp_fmt fmt, const char *source);
/* Frees everything; wipes the PSKs. */
void imp_peer_free(struct imp_peer *p);

/*
 * Parses text (len bytes, need not be NUL-terminated) of the given format.
 * secrets (may be NULL) is ipsec.secrets text for IMP_FMT_IPSECCONF, named
 * secrets_name in messages. 0 when there was no error (notes may exist);
 * IG_EINVAL with p->errors filled; IG_ENOMEM.
 */
int imp_parse(struct imp_peer *p, const char *text, size_t len, const char *secrets,
	      size_t secrets_len, const char *secrets_name);

/* Reads a whole file (at most 1 MiB) into a NUL-terminated buffer. 0 or IG_EIO/IG_ENOMEM. */
int imp_read_file(const char *path, char **out, size_t *len);

/*
 * import: writes our YAML for the mirrored tunnels: a comment block listing
 * every note and placeholder, then the YAML (config/yaml_emit.c). The notes
 * and placeholders also go to errf (may be NULL). 0, IG_EINVAL when the
 * result did not validate (the problems on errf), IG_EIO, IG_ENOMEM.
 */
int imp_write_yaml(const struct imp_peer *p, FILE *out, FILE *errf);

/* ---- for the importers (import_common.c) ---- */

struct imp_tunnel *imp_tunnel_add(struct imp_peer *p, const char *name, uint32_t line);
void imp_note(struct imp_peer *p, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void imp_error(struct imp_peer *p, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Line reader over a bounded buffer: copies one line (without '\n') into line. */
struct imp_lines {
	const char *p;
	size_t len, pos;
	uint32_t lineno;
};
void imp_lines_init(struct imp_lines *l, const char *p, size_t len);
/* 1 with a line, 0 at the end, IG_EINVAL for a too long line or a NUL byte (line still counted). */
int imp_lines_next(struct imp_lines *l, char line[static IMP_LINE_MAX]);
/* The same, but a bad line is reported to p ("file:N: line too long or holds a NUL byte") and
 * skipped: 1 or 0. */
int imp_lines_read(struct imp_lines *l, char line[static IMP_LINE_MAX], struct imp_peer *p);

/*
 * Splits s in place into words at white space; '...' and "..." quote (the
 * quotes are removed). Returns the word count (at most max) or IG_EINVAL for
 * an unterminated quote.
 */
int imp_split(char *s, char **words, int max);
/* Trims white space at both ends in place. */
char *imp_trim(char *s);

/* "3600", "3600s", "60m", "1h", "1d" to seconds: 0 or IG_EINVAL. */
int imp_seconds(const char *s, uint32_t *out);
/* A DH group number (VyOS "2", "dh-group2") to strongSwan's name; NULL if unsupported. */
const char *imp_dh_name(unsigned group);
/*
 * Parses a comma-separated strongSwan proposal list into out. Unsupported
 * proposals become notes; the rest are kept. Returns how many were kept.
 */
size_t imp_proposals(struct imp_peer *p, uint32_t line, const char *list, enum proposal_kind kind,
		     struct proposal *out, size_t max);
/* Adds CIDRs from a list separated by commas and/or white space; bad ones are errors. */
void imp_cidrs(struct imp_peer *p, uint32_t line, const char *list, struct cidr *out, size_t *n,
	       size_t max);
/* Sets a PSK (replacing and wiping an earlier one). */
int imp_set_psk(struct imp_tunnel *t, const char *s, size_t len);
/* An address literal; anything else leaves a family-0 address. */
void imp_addr(const char *s, struct addr *a);
/* A private, loopback, link-local or CGN address: not usable as a public peer address. */
bool imp_addr_private(const struct addr *a);

/* The importers. */
int imp_parse_vyos(struct imp_peer *p, const char *text, size_t len);
int imp_parse_swanctl(struct imp_peer *p, const char *text, size_t len);
int imp_parse_ipsecconf(struct imp_peer *p, const char *text, size_t len, const char *secrets,
			size_t secrets_len, const char *secrets_name);

#endif
