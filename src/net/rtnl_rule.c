/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink policy rules "to PREFIX lookup TABLE pref N": add, delete,
 * dump (RTM_NEWRULE/DELRULE/GETRULE).
 */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "net/rtnl.h"
#include "net/rtnl_int.h"

static void describe(char *out, size_t len, const char *op, const struct rtnl_rule *r)
{
	char t[CIDR_STRLEN];

	snprintf(out, len, "rule %s to %s lookup %u pref %u", op, cidr_format(&r->to, t, sizeof(t)),
		 r->table, r->pref);
}

static int rule_req(struct rtnl *h, uint16_t type, uint16_t nlflags, const struct rtnl_rule *r)
{
	union rtnl_req req;
	struct nlmsghdr *nlh;
	struct fib_rule_hdr *frh;
	int family = r->to.a.family;

	if ((family != AF_INET && family != AF_INET6) || r->to.plen > addr_bits(&r->to.a) ||
	    r->table == 0)
		return -EINVAL;
	nlh = rtnl_req_start(h, &req, type, NLM_F_ACK | nlflags);
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = (uint8_t)family;
	frh->dst_len = r->to.plen;
	frh->action = FR_ACT_TO_TBL;
	frh->table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	if (r->to.plen)
		mnl_attr_put(nlh, FRA_DST, addr_len(&r->to.a), r->to.a.b);
	mnl_attr_put_u32(nlh, FRA_TABLE, r->table);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, r->pref);
	return rtnl_talk(h, nlh, NULL, NULL);
}

int rtnl_rule_add(struct rtnl *h, const struct rtnl_rule *r, unsigned flags)
{
	char what[128];

	describe(what, sizeof(what), "add", r);
	return rtnl_result(h, rule_req(h, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, r), what, flags);
}

int rtnl_rule_del(struct rtnl *h, const struct rtnl_rule *r, unsigned flags)
{
	char what[128];

	describe(what, sizeof(what), "del", r);
	return rtnl_result(h, rule_req(h, RTM_DELRULE, 0, r), what, flags);
}

struct dump {
	int family;
	struct rtnl_rule *out;
	size_t cap, n;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct rtnl_rule e;

	if (nlh->nlmsg_type != RTM_NEWRULE || mnl_nlmsg_get_payload_len(nlh) < sizeof(*frh))
		return MNL_CB_OK;
	if (frh->family != d->family || frh->action != FR_ACT_TO_TBL)
		return MNL_CB_OK;
	memset(&e, 0, sizeof(e));
	e.to.a.family = frh->family;
	e.to.plen = frh->dst_len;
	e.table = frh->table;
	mnl_attr_for_each(a, nlh, sizeof(*frh))
	{
		switch (mnl_attr_get_type(a)) {
		case FRA_DST: rtnl_attr_addr(a, frh->family, &e.to.a); break;
		case FRA_TABLE: e.table = rtnl_attr_u32(a); break;
		case FRA_PRIORITY: e.pref = rtnl_attr_u32(a); break;
		}
	}
	if (d->n < d->cap)
		d->out[d->n] = e;
	d->n++;
	return MNL_CB_OK;
}

int rtnl_rule_dump(struct rtnl *h, int family, struct rtnl_rule *out, size_t cap, size_t *n)
{
	union rtnl_req req;
	struct nlmsghdr *nlh = rtnl_req_start(h, &req, RTM_GETRULE, NLM_F_DUMP);
	struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	struct dump d = {family, out, cap, 0};
	char what[64];
	int r;

	frh->family = (uint8_t)family;
	snprintf(what, sizeof(what), "rule show (family %d)", family);
	r = rtnl_result(h, rtnl_talk(h, nlh, dump_cb, &d), what, 0);
	*n = d.n;
	if (r == 0 && d.n > cap) {
		snprintf(h->err, sizeof(h->err), "%s: %zu rules, room for %zu", what, d.n, cap);
		r = IG_ENOSPC;
	}
	return r;
}
