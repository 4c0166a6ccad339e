/* SPDX-License-Identifier: MIT */
/*
 * Test helper: a private network namespace per test process, so nothing a
 * test creates (links, addresses, routes, rules, sockets) is seen outside
 * it, and all of it vanishes when the process exits, also on failure.
 */
#ifndef IPSECGW_TEST_NETNS_H
#define IPSECGW_TEST_NETNS_H

#include "lib/addr.h"
#include "lib/buf.h"

/*
 * unshare(CLONE_NEWNET) and bring lo up. Needs root: otherwise prints why
 * and returns -1 (a cmocka group setup failure, never a skip).
 */
int netns_enter(void);

struct rtnl;
/*
 * Waits (up to 2 s) until the kernel's local route for a just added
 * address exists: IPv6 inserts it from a work item after RTM_NEWADDR has
 * been acknowledged, and until then packets to the address are dropped.
 * 0 or -1.
 */
int netns_wait_local(struct rtnl *h, const struct addr *a);

/* Parse helpers that fail the test on bad literals. */
struct addr A(const char *s);
struct cidr C(const char *s);

/* Waits up to 2 s for fd to become readable; 1 if readable, 0 if not. */
int wait_readable(int fd);

#endif
