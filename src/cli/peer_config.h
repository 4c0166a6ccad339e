/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw peer-config: the configuration the OTHER side of a tunnel needs,
 * mirrored from ours (their local is our remote), for strongSwan
 * (swanctl.conf or ipsec.conf), VyOS 1.4 and libreswan. Every setting that
 * a tool cannot express is printed as a comment, never dropped silently.
 *
 * peer_config.c builds the mirrored view and dispatches; one file per
 * tool family writes the text (peer_swan.c, peer_vyos.c, peer_libreswan.c).
 */
#ifndef IPSECGW_CLI_PEER_CONFIG_H
#define IPSECGW_CLI_PEER_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config/model.h"
#include "lib/addr.h"

enum peer_fmt {
	PEER_FMT_STRONGSWAN, /* ipsec.conf + ipsec.secrets (strongSwan starter) */
	PEER_FMT_SWANCTL,    /* swanctl.conf */
	PEER_FMT_VYOS,	     /* VyOS 1.4 'set' commands */
	PEER_FMT_LIBRESWAN,  /* libreswan ipsec.conf + ipsec.secrets */
};

/* "strongswan" | "swanctl" | "vyos" | "libreswan": 0, else IG_EINVAL. */
int peer_fmt_parse(const char *s, enum peer_fmt *out);
const char *peer_fmt_name(enum peer_fmt f);

/*
 * Writes the other side's configuration for tunnel t of c. 0, or IG_EIO if
 * writing failed.
 */
int peer_config_write(FILE *f, const struct cfg *c, const struct cfg_tunnel *t, enum peer_fmt fmt);

/* ---- shared by the writers (peer_*.c) ---- */

/* The tunnel as the other side sees it. */
struct peer_view {
	const struct cfg *c;
	const struct cfg_tunnel *t;
	char local_addr[ADDR_STRLEN];	    /* their address: a placeholder (our peer, or %any) */
	char remote_addr[ADDR_STRLEN];	    /* ours: public-ip, else local-address, else %any */
	bool remote_known;		    /* remote_addr is a real address */
	const char *local_id;		    /* our remote-id; NULL: their address (we accept any) */
	const char *remote_id;		    /* our local-id, else remote_addr */
	bool local_id_fqdn, remote_id_fqdn; /* ID_FQDN: some tools want '@' before it */
	bool they_initiate;		    /* we respond */
	bool psk_plain;			    /* the PSK can be written inside double quotes */
};

/* One algorithm combination of a proposal (tools that take one of each). */
struct peer_combo {
	struct proposal_encr encr;
	uint16_t integ; /* 0: none (AEAD) */
	uint16_t prf;	/* IKE: 0 when implied by integ */
	uint16_t dh;	/* 0: none */
};

#define PEER_MAX_COMBOS 64

/* Every combination of p's alternatives, at most max; returns the count. */
size_t peer_combos(const struct proposal *p, struct peer_combo *out, size_t max);
/* Comma-joined strongSwan proposals ("a,b"), '!' stripped; then add_bang appends one. */
void peer_swan_proposals(FILE *f, const struct proposal *p, size_t n, bool add_bang);
/* The PSK as the tool's quoted string or 0x hex (when !psk_plain). */
void peer_psk_write(FILE *f, const struct peer_view *v);
/* Prints "<prefix><cidr>" joined with sep. */
void peer_cidrs(FILE *f, const struct cidr *c, size_t n, const char *sep);
/* Header comment naming the tunnel, the tool and where the values came from. */
void peer_header(FILE *f, const struct peer_view *v, const char *tool);

void peer_write_swanctl(FILE *f, const struct peer_view *v);
void peer_write_strongswan(FILE *f, const struct peer_view *v);
void peer_write_vyos(FILE *f, const struct peer_view *v);
void peer_write_libreswan(FILE *f, const struct peer_view *v);

#endif
