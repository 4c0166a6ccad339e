/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink in a private namespace: every change is read back through the
 * dump functions, every failure checked for its IG_E* code and message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>

#include "lib/err.h"
#include "net/rtnl.h"
#include "net/rtnl_int.h"
#include "net/tun.h"
#include "netns.h"

#define DEV "ig1"

struct ctx {
	struct rtnl h;
	struct tun t;
};

static struct ctx ctx;

static int group_setup(void **state)
{
	if (netns_enter() != 0)
		return -1;
	if (rtnl_open(&ctx.h) != 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	rtnl_close(&ctx.h);
	return 0;
}

/* Each test gets a fresh, up TUN device DEV; it vanishes when closed. */
static int setup(void **state)
{
	if (tun_open(&ctx.t, DEV) != 0 || rtnl_link_set_up(&ctx.h, DEV, true) != 0)
		return -1;
	*state = &ctx;
	return 0;
}

static int teardown(void **state)
{
	tun_close(&ctx.t);
	return 0;
}

static int ifindex(const char *name)
{
	int i = 0;

	assert_int_equal(rtnl_link_index(&ctx.h, name, &i), 0);
	assert_true(i > 0);
	return i;
}

static void test_rtnl_link(void **state)
{
	struct rtnl_link l;
	int i;

	/* lo is up (netns_enter) and is ifindex 1 in a new namespace. */
	assert_int_equal(rtnl_link_get(&ctx.h, "lo", &l), 0);
	assert_int_equal(l.ifindex, 1);
	assert_string_equal(l.name, "lo");
	assert_true(l.flags & IFF_UP);
	assert_true(l.flags & IFF_LOOPBACK);

	assert_int_equal(rtnl_link_get(&ctx.h, DEV, &l), 0);
	assert_string_equal(l.name, DEV);
	assert_true(l.flags & IFF_UP);
	assert_true(l.flags & IFF_POINTOPOINT);
	assert_int_equal(l.mtu, 1500);
	assert_int_equal(ifindex(DEV), l.ifindex);

	assert_int_equal(rtnl_link_set_mtu(&ctx.h, DEV, 1400), 0);
	assert_int_equal(rtnl_link_get(&ctx.h, DEV, &l), 0);
	assert_int_equal(l.mtu, 1400);
	assert_int_equal(rtnl_link_set_txqlen(&ctx.h, DEV, 2048), 0);
	assert_int_equal(rtnl_link_get(&ctx.h, DEV, &l), 0);
	assert_int_equal(l.txqlen, 2048);
	assert_int_equal(l.mtu, 1400);
	assert_int_equal(rtnl_link_set_txqlen(&ctx.h, DEV, 0), IG_EINVAL);
	assert_int_equal(rtnl_link_set_up(&ctx.h, DEV, false), 0);
	assert_int_equal(rtnl_link_get(&ctx.h, DEV, &l), 0);
	assert_false(l.flags & IFF_UP);
	assert_int_equal(rtnl_link_set_up(&ctx.h, DEV, true), 0);
	assert_int_equal(rtnl_link_get(&ctx.h, DEV, &l), 0);
	assert_true(l.flags & IFF_UP);
	assert_string_equal(rtnl_error(&ctx.h), "");

	/* Errors: message = operation + errno text. */
	assert_int_equal(rtnl_link_index(&ctx.h, "nope0", &i), IG_ENOENT);
	assert_int_equal(errno, ENODEV);
	assert_int_equal(i, 0);
	assert_string_equal(rtnl_error(&ctx.h), "link show nope0: No such device");
	assert_int_equal(rtnl_link_set_mtu(&ctx.h, "nope0", 1400), IG_ENOENT);
	assert_string_equal(rtnl_error(&ctx.h), "link set nope0 mtu 1400: No such device");
	assert_int_equal(rtnl_link_set_up(&ctx.h, "nope0", true), IG_ENOENT);
	assert_string_equal(rtnl_error(&ctx.h), "link set nope0 up: No such device");
	assert_int_equal(rtnl_link_set_mtu(&ctx.h, DEV, 0), IG_EINVAL);
	assert_string_equal(rtnl_error(&ctx.h), "link set " DEV " mtu 0: Invalid argument");
	/* Below the IPv4 minimum (68): the kernel says no. */
	assert_int_equal(rtnl_link_set_mtu(&ctx.h, DEV, 20), IG_EINVAL);
	assert_int_equal(rtnl_link_index(&ctx.h, "waytoolongname-16", &i), IG_EINVAL);
	assert_int_equal(rtnl_link_index(&ctx.h, "", &i), IG_EINVAL);
	assert_int_equal(rtnl_link_del(&ctx.h, "nope0", 0), IG_ENOENT);
	assert_int_equal(rtnl_link_del(&ctx.h, "nope0", RTNL_MISSING_OK), 0);
	assert_string_equal(rtnl_error(&ctx.h), "");
}

static void test_rtnl_link_del(void **state)
{
	struct tun t;
	struct rtnl_link l;

	assert_int_equal(tun_open(&t, "igdel"), 0);
	assert_int_equal(tun_set_persist(&t, true), 0);
	tun_close(&t);
	assert_int_equal(rtnl_link_get(&ctx.h, "igdel", &l), 0);
	assert_int_equal(rtnl_link_del(&ctx.h, "igdel", 0), 0);
	assert_int_equal(rtnl_link_get(&ctx.h, "igdel", &l), IG_ENOENT);
}

/* The addresses of DEV (one family). */
static size_t addrs(int family, struct rtnl_addr *out, size_t cap)
{
	size_t n;

	assert_int_equal(rtnl_addr_dump(&ctx.h, family, ifindex(DEV), out, cap, &n), 0);
	return n;
}

/* The routes of a table; is there one to dst (with these fields)? */
static const struct rtnl_route *find_route(const struct cidr *dst, uint32_t table)
{
	static struct rtnl_route rt[64];
	size_t n;

	assert_int_equal(rtnl_route_dump(&ctx.h, dst->a.family, table, rt, 64, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (cidr_eq(&rt[i].dst, dst))
			return &rt[i];
	return NULL;
}

static void test_rtnl_addr_v4(void **state)
{
	struct rtnl_addr a[8];
	struct cidr l = C("198.51.100.5/30"), p2p = C("169.254.200.5/30");
	struct cidr net = C("198.51.100.4/30"), net2 = C("169.254.200.4/30");
	struct addr peer = A("169.254.200.6");
	const struct rtnl_route *rt;

	assert_int_equal(addrs(AF_INET, a, 8), 0);
	assert_int_equal(rtnl_addr_add(&ctx.h, DEV, &l, NULL, 0), 0);
	assert_int_equal(addrs(AF_INET, a, 8), 1);
	assert_true(cidr_eq(&a[0].local, &l));
	assert_int_equal(a[0].peer.family, 0);
	assert_int_equal(a[0].ifindex, ifindex(DEV));
	/* The kernel's prefix route for it. */
	rt = find_route(&net, RT_TABLE_MAIN);
	assert_non_null(rt);
	assert_string_equal(rt->dev, DEV);

	/* Point-to-point: IFA_LOCAL ours, IFA_ADDRESS the peer; route to the /30. */
	assert_int_equal(rtnl_addr_add(&ctx.h, DEV, &p2p, &peer, 0), 0);
	assert_int_equal(addrs(AF_INET, a, 8), 2);
	assert_true(cidr_eq(&a[1].local, &p2p));
	assert_true(addr_eq(&a[1].peer, &peer));
	assert_non_null(find_route(&net2, RT_TABLE_MAIN));

	/* Twice: EEXIST, unless asked to be idempotent. */
	assert_int_equal(rtnl_addr_add(&ctx.h, DEV, &l, NULL, 0), IG_EEXIST);
	assert_string_equal(rtnl_error(&ctx.h),
			    "addr add 198.51.100.5/30 dev " DEV ": File exists");
	assert_int_equal(rtnl_addr_add(&ctx.h, DEV, &l, NULL, RTNL_EXIST_OK), 0);
	assert_string_equal(rtnl_error(&ctx.h), "");

	/* Room for one only. */
	{
		size_t n;

		assert_int_equal(rtnl_addr_dump(&ctx.h, AF_INET, ifindex(DEV), a, 1, &n),
				 IG_ENOSPC);
		assert_int_equal(n, 2);
		assert_true(cidr_eq(&a[0].local, &l));
	}

	assert_int_equal(rtnl_addr_del(&ctx.h, DEV, &l, 0), 0);
	assert_int_equal(rtnl_addr_del(&ctx.h, DEV, &p2p, 0), 0);
	assert_int_equal(addrs(AF_INET, a, 8), 0);
	assert_null(find_route(&net, RT_TABLE_MAIN));
	assert_int_equal(rtnl_addr_del(&ctx.h, DEV, &l, 0), IG_ENOENT);
	assert_string_equal(rtnl_error(&ctx.h), "addr del 198.51.100.5/30 dev " DEV
						": Cannot assign requested address");
	assert_int_equal(rtnl_addr_del(&ctx.h, DEV, &l, RTNL_MISSING_OK), 0);

	/* Bad arguments never reach the kernel. */
	{
		struct cidr bad = l;
		struct addr peer6 = A("2001:db8::2");

		bad.plen = 33;
		assert_int_equal(rtnl_addr_add(&ctx.h, DEV, &bad, NULL, 0), IG_EINVAL);
		assert_int_equal(rtnl_addr_add(&ctx.h, DEV, &l, &peer6, 0), IG_EINVAL);
		assert_int_equal(rtnl_addr_add(&ctx.h, "nope0", &l, NULL, 0), IG_ENOENT);
		assert_string_equal(rtnl_error(&ctx.h),
				    "addr add 198.51.100.5/30 dev nope0: No such device");
	}
}

static void test_rtnl_addr_v6(void **state)
{
	struct rtnl_addr a[8];
	struct cidr l = C("2001:db8:1::1/64");
	size_t n;

	assert_int_equal(rtnl_addr_add(&ctx.h, DEV, &l, NULL, 0), 0);
	n = addrs(AF_INET6, a, 8);
	/* Besides ours, the kernel may have given the TUN a link-local address. */
	for (size_t i = 0; i < n; i++)
		if (cidr_eq(&a[i].local, &l))
			goto found;
	fail_msg("2001:db8:1::1/64 not in the dump (%zu addresses)", n);
found:
	assert_int_equal(netns_wait_local(&ctx.h, &l.a), 0);
	assert_int_equal(rtnl_addr_del(&ctx.h, DEV, &l, 0), 0);
	n = addrs(AF_INET6, a, 8);
	for (size_t i = 0; i < n; i++)
		assert_false(cidr_eq(&a[i].local, &l));
}

static void test_rtnl_route_v4(void **state)
{
	struct cidr l = C("198.51.100.5/30");
	struct rtnl_route r = {.dst = C("10.0.2.0/24")}, g = {0};
	const struct rtnl_route *got;

	/* On-link route, the brief's example message. */
	snprintf(r.dev, sizeof(r.dev), "%s", DEV);
	assert_int_equal(rtnl_route_add(&ctx.h, &r, 0), 0);
	got = find_route(&r.dst, RT_TABLE_MAIN);
	assert_non_null(got);
	assert_int_equal(got->ifindex, ifindex(DEV));
	assert_string_equal(got->dev, DEV);
	assert_int_equal(got->gw.family, 0);
	assert_int_equal(got->type, RTN_UNICAST);
	assert_int_equal(rtnl_route_add(&ctx.h, &r, 0), IG_EEXIST);
	assert_string_equal(rtnl_error(&ctx.h), "route add 10.0.2.0/24 dev " DEV ": File exists");
	assert_int_equal(rtnl_route_add(&ctx.h, &r, RTNL_EXIST_OK), 0);

	/* Via a gateway, with a preferred source, in table 220 with a metric. */
	assert_int_equal(rtnl_addr_add(&ctx.h, DEV, &l, NULL, 0), 0);
	g.dst = C("192.168.0.0/24");
	g.gw = A("198.51.100.6");
	g.src = A("198.51.100.5");
	snprintf(g.dev, sizeof(g.dev), "%s", DEV);
	g.table = 220;
	g.metric = 5;
	assert_int_equal(rtnl_route_add(&ctx.h, &g, 0), 0);
	assert_null(find_route(&g.dst, RT_TABLE_MAIN));
	got = find_route(&g.dst, 220);
	assert_non_null(got);
	assert_true(addr_eq(&got->gw, &g.gw));
	assert_true(addr_eq(&got->src, &g.src));
	assert_int_equal(got->table, 220);
	assert_int_equal(got->metric, 5);
	assert_int_equal(got->ifindex, ifindex(DEV));
	assert_int_equal(rtnl_route_add(&ctx.h, &g, 0), IG_EEXIST);
	assert_string_equal(rtnl_error(&ctx.h),
			    "route add 192.168.0.0/24 via 198.51.100.6 src "
			    "198.51.100.5 dev " DEV " table 220 metric 5: File exists");

	/* A table above 255 travels in RTA_TABLE only. */
	g.table = 1000;
	assert_int_equal(rtnl_route_add(&ctx.h, &g, 0), 0);
	assert_non_null(find_route(&g.dst, 1000));
	assert_int_equal(rtnl_route_del(&ctx.h, &g, 0), 0);
	assert_null(find_route(&g.dst, 1000));
	g.table = 220;

	/* Delete, then delete again. */
	assert_int_equal(rtnl_route_del(&ctx.h, &r, 0), 0);
	assert_null(find_route(&r.dst, RT_TABLE_MAIN));
	assert_int_equal(rtnl_route_del(&ctx.h, &r, 0), IG_ENOENT);
	assert_string_equal(rtnl_error(&ctx.h),
			    "route del 10.0.2.0/24 dev " DEV ": No such process");
	assert_int_equal(rtnl_route_del(&ctx.h, &r, RTNL_MISSING_OK), 0);
	assert_int_equal(rtnl_route_del(&ctx.h, &g, 0), 0);
	assert_null(find_route(&g.dst, 220));

	/* Default route by ifindex instead of name. */
	memset(&r, 0, sizeof(r));
	r.dst = C("0.0.0.0/0");
	r.ifindex = ifindex(DEV);
	assert_int_equal(rtnl_route_add(&ctx.h, &r, 0), 0);
	assert_non_null(find_route(&r.dst, RT_TABLE_MAIN));
	assert_int_equal(rtnl_route_del(&ctx.h, &r, 0), 0);

	/* Errors before and from the kernel. */
	memset(&r, 0, sizeof(r));
	r.dst = C("10.0.3.0/24");
	assert_int_equal(rtnl_route_add(&ctx.h, &r, 0), IG_EINVAL); /* no dev, no gateway */
	snprintf(r.dev, sizeof(r.dev), "nope0");
	assert_int_equal(rtnl_route_add(&ctx.h, &r, 0), IG_ENOENT);
	assert_string_equal(rtnl_error(&ctx.h), "route add 10.0.3.0/24 dev nope0: No such device");
	snprintf(r.dev, sizeof(r.dev), "%s", DEV);
	r.gw = A("2001:db8::1");
	assert_int_equal(rtnl_route_add(&ctx.h, &r, 0), IG_EINVAL);
	/* A gateway that is not on the link. */
	r.gw = A("203.0.113.1");
	assert_int_equal(rtnl_route_add(&ctx.h, &r, 0), IG_EIO);
	assert_int_equal(errno, ENETUNREACH);
	assert_int_equal(rtnl_addr_del(&ctx.h, DEV, &l, 0), 0);
}

static void test_rtnl_route_v6(void **state)
{
	struct rtnl_route r = {.dst = C("2001:db8:2::/48"), .table = 220, .metric = 7};
	const struct rtnl_route *got;

	snprintf(r.dev, sizeof(r.dev), "%s", DEV);
	assert_int_equal(rtnl_route_add(&ctx.h, &r, 0), 0);
	got = find_route(&r.dst, 220);
	assert_non_null(got);
	assert_int_equal(got->metric, 7);
	assert_int_equal(got->ifindex, ifindex(DEV));
	assert_int_equal(rtnl_route_add(&ctx.h, &r, 0), IG_EEXIST);
	assert_int_equal(rtnl_route_add(&ctx.h, &r, RTNL_EXIST_OK), 0);
	assert_int_equal(rtnl_route_del(&ctx.h, &r, 0), 0);
	assert_null(find_route(&r.dst, 220));
	assert_int_equal(rtnl_route_del(&ctx.h, &r, 0), IG_ENOENT);
	assert_int_equal(rtnl_route_del(&ctx.h, &r, RTNL_MISSING_OK), 0);
}

static const struct rtnl_rule *find_rule(const struct rtnl_rule *want)
{
	static struct rtnl_rule ru[32];
	size_t n;

	assert_int_equal(rtnl_rule_dump(&ctx.h, want->to.a.family, ru, 32, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (cidr_eq(&ru[i].to, &want->to) && ru[i].table == want->table &&
		    ru[i].pref == want->pref)
			return &ru[i];
	return NULL;
}

static void test_rtnl_rule(void **state)
{
	static const char *const to[] = {"10.0.2.0/24", "2001:db8:3::/48", "0.0.0.0/0"};
	struct rtnl_rule main_rule = {.to = C("0.0.0.0/0"), .table = RT_TABLE_MAIN, .pref = 32766};

	/* The kernel's own "from all lookup main" is in the dump. */
	assert_non_null(find_rule(&main_rule));
	for (size_t i = 0; i < sizeof(to) / sizeof(to[0]); i++) {
		struct rtnl_rule r = {.to = C(to[i]), .table = 220, .pref = 220};

		assert_null(find_rule(&r));
		assert_int_equal(rtnl_rule_add(&ctx.h, &r, 0), 0);
		assert_non_null(find_rule(&r));
		assert_int_equal(rtnl_rule_add(&ctx.h, &r, 0), IG_EEXIST);
		assert_int_equal(rtnl_rule_add(&ctx.h, &r, RTNL_EXIST_OK), 0);
		assert_int_equal(rtnl_rule_del(&ctx.h, &r, 0), 0);
		assert_null(find_rule(&r));
		assert_int_equal(rtnl_rule_del(&ctx.h, &r, 0), IG_ENOENT);
		assert_int_equal(rtnl_rule_del(&ctx.h, &r, RTNL_MISSING_OK), 0);
	}
	{
		struct rtnl_rule r = {.to = C("10.0.2.0/24"), .table = 220, .pref = 220};
		struct rtnl_rule big = {.to = C("10.0.2.0/24"), .table = 100000, .pref = 5};

		assert_int_equal(rtnl_rule_add(&ctx.h, &r, 0), 0);
		assert_int_equal(rtnl_rule_add(&ctx.h, &r, 0), IG_EEXIST);
		assert_string_equal(rtnl_error(&ctx.h),
				    "rule add to 10.0.2.0/24 lookup 220 pref 220: File exists");
		assert_int_equal(rtnl_rule_del(&ctx.h, &r, 0), 0);
		assert_int_equal(rtnl_rule_add(&ctx.h, &big, 0), 0);
		assert_non_null(find_rule(&big));
		assert_int_equal(rtnl_rule_del(&ctx.h, &big, 0), 0);
		r.table = 0;
		assert_int_equal(rtnl_rule_add(&ctx.h, &r, 0), IG_EINVAL);
	}
}

static int stop_after_one(const struct nlmsghdr *nlh, void *data)
{
	return MNL_CB_ERROR;
}

/*
 * A dump bigger than one read, abandoned after its first message: the
 * next requests must still get their own replies (the rest is drained).
 */
static void test_rtnl_big_dump_and_drain(void **state)
{
	enum { N = 300 };
	static struct rtnl_addr a[N + 8];
	union rtnl_req req;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	struct rtnl_link l;
	size_t n;

	for (int i = 0; i < N; i++) {
		char s[CIDR_STRLEN];
		struct cidr c;

		snprintf(s, sizeof(s), "10.%d.%d.1/24", 100 + i / 200, i % 200);
		c = C(s);
		assert_int_equal(rtnl_addr_add(&ctx.h, DEV, &c, NULL, 0), 0);
	}
	nlh = rtnl_req_start(&ctx.h, &req, RTM_GETADDR, NLM_F_DUMP);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	assert_true(rtnl_talk(&ctx.h, nlh, stop_after_one, NULL) < 0);
	assert_int_equal(rtnl_link_get(&ctx.h, DEV, &l), 0);
	assert_string_equal(l.name, DEV);
	assert_int_equal(rtnl_addr_dump(&ctx.h, AF_INET, l.ifindex, a, N + 8, &n), 0);
	assert_int_equal(n, N);
	/* Both families at once (family 0). */
	assert_int_equal(rtnl_addr_dump(&ctx.h, 0, 0, a, N + 8, &n), 0);
	assert_true(n >= N + 2); /* + 127.0.0.1 and ::1 on lo */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rtnl_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtnl_link_del, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtnl_addr_v4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtnl_addr_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtnl_route_v4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtnl_route_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtnl_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtnl_big_dump_and_drain, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
