/* SPDX-License-Identifier: MIT */
/*
 * Least privilege for ipsecgwd (docs/security.md, "Capabilities"). Linux
 * capabilities are per thread, so the drop happens in three steps:
 *
 *   privs_drop_startup()  control thread, before any other thread exists:
 *                         bounding set cut to CAP_NET_ADMIN, no_new_privs,
 *                         permitted/effective cut to what start-up still
 *                         needs (NET_ADMIN, NET_RAW, NET_BIND_SERVICE).
 *   privs_drop_thread()   each data path worker, first thing: nothing at all.
 *   privs_drop_running()  control thread, once sockets are bound and the
 *                         TUN and raw sockets are open: CAP_NET_ADMIN only.
 *
 * Each keeps only what the process has: run without privileges, they are
 * no-ops that still succeed.
 */
#ifndef IPSECGW_LIB_PRIVS_H
#define IPSECGW_LIB_PRIVS_H

#include <stdint.h>

/* 0, or IG_EIO when a system call failed (errno says why). */
int privs_drop_startup(void);
int privs_drop_running(void);
int privs_drop_thread(void);

/* The calling thread's effective and permitted sets as bit masks (for tests). */
int privs_get(uint64_t *effective, uint64_t *permitted);

#endif
