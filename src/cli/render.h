/* SPDX-License-Identifier: MIT */
/*
 * Text renderers: pure functions from a command's JSON result to the text
 * `ipsecgw` prints (layouts in docs/cli.md, golden files in tests/data/cli/).
 * Each checks the result's shape first (cli/schema.h) and returns a
 * malloc'd string, or NULL with err naming what is wrong.
 */
#ifndef IPSECGW_CLI_RENDER_H
#define IPSECGW_CLI_RENDER_H

#include <stddef.h>

#include <time.h>

#include <jansson.h>

/* "status": strongSwan statusall-like header. */
char *cli_render_status(const json_t *status, char *err, size_t errlen);
/* "show-tunnels": one table row per tunnel. */
char *cli_render_tunnels(const json_t *tunnels, char *err, size_t errlen);
/* "show-ike-sa": VyOS 1.4 'show vpn ike sa', one block per IKE SA; "" for none. */
char *cli_render_ike_sa(const json_t *sas, char *err, size_t errlen);
/* "show-ipsec-sa": VyOS 1.4 'show vpn ipsec sa' table, one row per CHILD SA. */
char *cli_render_ipsec_sa(const json_t *sas, char *err, size_t errlen);
/* "log-level" result: one "subsys level" line each. */
char *cli_render_log_levels(const json_t *levels, char *err, size_t errlen);
/*
 * One line of a log stream, as the daemon prints to stderr
 * ("10:44:37.123 info  ike: tunnel onprem: ..." in local time), or the
 * note for {"dropped": N}. Ends in '\n'.
 */
char *cli_render_log(const json_t *msg, char *err, size_t errlen);

/*
 * `show ipsec-state` in `ip -s xfrm state`'s layout; now is the time the
 * add/use ages are counted back from (times printed in local time).
 */
char *cli_render_ipsec_state(const json_t *states, time_t now, char *err, size_t errlen);

#endif
