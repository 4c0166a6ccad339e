/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink routes: add, delete, dump (RTM_NEWROUTE/DELROUTE/GETROUTE).
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "net/rtnl.h"
#include "net/rtnl_int.h"

/* "route add 10.0.2.0/24 via 192.0.2.1 src 192.0.2.5 dev vti1 table 220 metric 5" */
static void describe(char *out, size_t len, const char *op, const struct rtnl_route *r)
{
	char d[CIDR_STRLEN], g[ADDR_STRLEN], s[ADDR_STRLEN];
	int n;

	n = snprintf(out, len, "route %s %s", op, cidr_format(&r->dst, d, sizeof(d)));
	if (r->gw.family && n >= 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, " via %s",
			      addr_format(&r->gw, g, sizeof(g)));
	if (r->src.family && n >= 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, " src %s",
			      addr_format(&r->src, s, sizeof(s)));
	if (n >= 0 && (size_t)n < len) {
		if (r->dev[0])
			n += snprintf(out + n, len - (size_t)n, " dev %.*s", IFNAMSIZ, r->dev);
		else if (r->ifindex)
			n += snprintf(out + n, len - (size_t)n, " dev #%d", r->ifindex);
	}
	if (r->table && r->table != RT_TABLE_MAIN && n >= 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, " table %u", r->table);
	if (r->metric && n >= 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, " metric %u", r->metric);
}

static int route_req(struct rtnl *h, uint16_t type, uint16_t nlflags, const struct rtnl_route *r)
{
	union rtnl_req req;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int family = r->dst.a.family, ifindex = r->ifindex, e;
	uint32_t table = r->table ? r->table : RT_TABLE_MAIN;
	size_t alen = addr_len(&r->dst.a);

	if ((family != AF_INET && family != AF_INET6) || r->dst.plen > addr_bits(&r->dst.a) ||
	    (r->gw.family && r->gw.family != family) || (r->src.family && r->src.family != family))
		return -EINVAL;
	if (r->dev[0] && (e = rtnl_ifindex(h, r->dev, &ifindex)) != 0)
		return e;
	if (!ifindex && !r->gw.family)
		return -EINVAL;
	nlh = rtnl_req_start(h, &req, type, NLM_F_ACK | nlflags);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = r->dst.plen;
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	rtm->rtm_type = RTN_UNICAST;
	if (type == RTM_NEWROUTE) {
		rtm->rtm_protocol = RTPROT_STATIC;
		/* Without a gateway the destination is on the link itself. */
		rtm->rtm_scope = r->gw.family ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	} else {
		/* Delete: match any protocol and scope. */
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	}
	mnl_attr_put(nlh, RTA_DST, alen, r->dst.a.b);
	if (r->gw.family)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, r->gw.b);
	if (r->src.family)
		mnl_attr_put(nlh, RTA_PREFSRC, alen, r->src.b);
	if (ifindex)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (r->metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	return rtnl_talk(h, nlh, NULL, NULL);
}

int rtnl_route_add(struct rtnl *h, const struct rtnl_route *r, unsigned flags)
{
	char what[200];

	describe(what, sizeof(what), "add", r);
	return rtnl_result(h, route_req(h, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r), what,
			   flags);
}

int rtnl_route_del(struct rtnl *h, const struct rtnl_route *r, unsigned flags)
{
	char what[200];

	describe(what, sizeof(what), "del", r);
	return rtnl_result(h, route_req(h, RTM_DELROUTE, 0, r), what, flags);
}

struct dump {
	int family;
	uint32_t table;
	struct rtnl_route *out;
	size_t cap, n;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct rtnl_route e;

	if (nlh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return MNL_CB_OK;
	/* Cached clones (IPv6 exceptions) are not configured routes. */
	if (rtm->rtm_family != d->family || (rtm->rtm_flags & RTM_F_CLONED))
		return MNL_CB_OK;
	memset(&e, 0, sizeof(e));
	e.table = rtm->rtm_table;
	e.type = rtm->rtm_type;
	e.dst.plen = rtm->rtm_dst_len;
	e.dst.a.family = rtm->rtm_family;
	mnl_attr_for_each(a, nlh, sizeof(*rtm))
	{
		switch (mnl_attr_get_type(a)) {
		case RTA_DST: rtnl_attr_addr(a, rtm->rtm_family, &e.dst.a); break;
		case RTA_GATEWAY: rtnl_attr_addr(a, rtm->rtm_family, &e.gw); break;
		case RTA_PREFSRC: rtnl_attr_addr(a, rtm->rtm_family, &e.src); break;
		case RTA_OIF: e.ifindex = (int)rtnl_attr_u32(a); break;
		case RTA_TABLE: e.table = rtnl_attr_u32(a); break;
		case RTA_PRIORITY: e.metric = rtnl_attr_u32(a); break;
		}
	}
	if (d->table && e.table != d->table)
		return MNL_CB_OK;
	if (e.ifindex && !if_indextoname((unsigned)e.ifindex, e.dev))
		e.dev[0] = '\0';
	if (d->n < d->cap)
		d->out[d->n] = e;
	d->n++;
	return MNL_CB_OK;
}

int rtnl_route_dump(struct rtnl *h, int family, uint32_t table, struct rtnl_route *out, size_t cap,
		    size_t *n)
{
	union rtnl_req req;
	struct nlmsghdr *nlh = rtnl_req_start(h, &req, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	struct dump d = {family, table, out, cap, 0};
	char what[64];
	int r;

	rtm->rtm_family = (uint8_t)family;
	snprintf(what, sizeof(what), "route show (family %d, table %u)", family, table);
	r = rtnl_result(h, rtnl_talk(h, nlh, dump_cb, &d), what, 0);
	*n = d.n;
	if (r == 0 && d.n > cap) {
		snprintf(h->err, sizeof(h->err), "%s: %zu routes, room for %zu", what, d.n, cap);
		r = IG_ENOSPC;
	}
	return r;
}
