/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

#include "net/rtnl.h"
#include "netns.h"

int netns_enter(void)
{
	struct rtnl h;
	int r;

	if (geteuid() != 0) {
		print_error("net tests need root (a private network namespace via "
			    "unshare(CLONE_NEWNET)); run them as root\n");
		return -1;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		print_error("unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return -1;
	}
	if (rtnl_open(&h) != 0) {
		print_error("rtnl_open: %s\n", rtnl_error(&h));
		return -1;
	}
	r = rtnl_link_set_up(&h, "lo", true);
	if (r != 0)
		print_error("%s\n", rtnl_error(&h));
	rtnl_close(&h);
	return r == 0 ? 0 : -1;
}

int netns_wait_local(struct rtnl *h, const struct addr *a)
{
	struct rtnl_route rt[64];
	size_t n;

	for (int tries = 0; tries < 200; tries++) {
		if (rtnl_route_dump(h, a->family, RT_TABLE_LOCAL, rt, 64, &n) != 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (rt[i].type == RTN_LOCAL && addr_eq(&rt[i].dst.a, a))
				return 0;
		usleep(10000);
	}
	print_error("no local route for the new address after 2 s\n");
	return -1;
}

struct addr A(const char *s) {
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

struct cidr
C(const char *s) {
	struct cidr c;

	assert_int_equal(cidr_parse(s, &c, CIDR_ALLOW_HOST), 0);
	return c;
}

int wait_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, 2000) == 1;
}
