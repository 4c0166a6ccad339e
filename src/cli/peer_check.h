/* SPDX-License-Identifier: MIT */
/*
 * 'ipsecgw check --peer': our configuration against the peer's (read by an
 * importer, cli/import.h), tunnel by tunnel. Every difference that would
 * stop a tunnel or break its traffic is one line
 *
 *   tunnel NAME: <severity>: <what>; fix: <how>
 *
 * severity: "error" (the tunnel does not come up, or traffic breaks),
 * "warning" (it works, but something is fragile or could not be checked),
 * "advice" (MSS/MTU for the negotiated overhead). Only errors block.
 */
#ifndef IPSECGW_CLI_PEER_CHECK_H
#define IPSECGW_CLI_PEER_CHECK_H

#include <stdio.h>

#include "cli/import.h"
#include "config/config.h"

struct peer_check_result {
	unsigned pairs; /* our tunnels matched with one of theirs */
	unsigned errors, warnings, advice;
};

/* Writes the findings to out. 0, or IG_EIO if writing failed. */
int peer_check(const struct cfg *ours, const struct imp_peer *theirs, FILE *out,
	       struct peer_check_result *res);

#endif
