/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink addresses: add, delete, dump (RTM_NEWADDR/DELADDR/GETADDR).
 */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "net/rtnl.h"
#include "net/rtnl_int.h"

static void describe(char *out, size_t len, const char *op, const char *dev,
		     const struct cidr *local, const struct addr *peer)
{
	char l[CIDR_STRLEN], p[ADDR_STRLEN] = "";

	cidr_format(local, l, sizeof(l));
	if (peer && peer->family)
		addr_format(peer, p, sizeof(p));
	snprintf(out, len, "addr %s %s%s%s dev %s", op, l, p[0] ? " peer " : "", p,
		 dev ? dev : "(null)");
}

static int valid_cidr(const struct cidr *c)
{
	return (c->a.family == AF_INET || c->a.family == AF_INET6) && c->plen <= addr_bits(&c->a);
}

/* One RTM_NEWADDR / RTM_DELADDR request. */
static int addr_req(struct rtnl *h, uint16_t type, uint16_t nlflags, const char *dev,
		    const struct cidr *local, const struct addr *peer)
{
	union rtnl_req req;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int ifindex, e;
	size_t alen = addr_len(&local->a);

	if (!valid_cidr(local) || (peer && peer->family && peer->family != local->a.family))
		return -EINVAL;
	if ((e = rtnl_ifindex(h, dev, &ifindex)) != 0)
		return e;
	nlh = rtnl_req_start(h, &req, type, NLM_F_ACK | nlflags);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = local->a.family;
	ifa->ifa_prefixlen = local->plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)ifindex;
	/* IFA_LOCAL is our address; IFA_ADDRESS the peer of a point-to-point link, or
	 * the address again (the kernel computes the prefix route from IFA_ADDRESS). */
	mnl_attr_put(nlh, IFA_LOCAL, alen, local->a.b);
	if (type == RTM_NEWADDR) {
		const struct addr *a = peer && peer->family ? peer : &local->a;

		mnl_attr_put(nlh, IFA_ADDRESS, alen, a->b);
		if (local->a.family == AF_INET6)
			mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	}
	return rtnl_talk(h, nlh, NULL, NULL);
}

int rtnl_addr_add(struct rtnl *h, const char *dev, const struct cidr *local,
		  const struct addr *peer, unsigned flags)
{
	char what[160];

	describe(what, sizeof(what), "add", dev, local, peer);
	return rtnl_result(h, addr_req(h, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, dev, local, peer),
			   what, flags);
}

int rtnl_addr_del(struct rtnl *h, const char *dev, const struct cidr *local, unsigned flags)
{
	char what[160];

	describe(what, sizeof(what), "del", dev, local, NULL);
	/* Only IFA_LOCAL: IFA_ADDRESS would have to match the peer, if there is one. */
	return rtnl_result(h, addr_req(h, RTM_DELADDR, 0, dev, local, NULL), what, flags);
}

struct dump {
	int family, ifindex;
	struct rtnl_addr *out;
	size_t cap, n;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct addr local = {0}, address = {0};
	struct rtnl_addr e;

	if (nlh->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return MNL_CB_OK;
	if ((d->family && ifa->ifa_family != d->family) ||
	    (d->ifindex && (int)ifa->ifa_index != d->ifindex))
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifa))
	{
		switch (mnl_attr_get_type(a)) {
		case IFA_LOCAL: rtnl_attr_addr(a, ifa->ifa_family, &local); break;
		case IFA_ADDRESS: rtnl_attr_addr(a, ifa->ifa_family, &address); break;
		}
	}
	memset(&e, 0, sizeof(e));
	e.ifindex = (int)ifa->ifa_index;
	e.local.plen = ifa->ifa_prefixlen;
	/* Without IFA_LOCAL (IPv6 usually), IFA_ADDRESS is the address itself. */
	if (local.family) {
		e.local.a = local;
		if (address.family && !addr_eq(&address, &local))
			e.peer = address;
	} else {
		e.local.a = address;
	}
	if (!e.local.a.family)
		return MNL_CB_OK;
	if (d->n < d->cap)
		d->out[d->n] = e;
	d->n++;
	return MNL_CB_OK;
}

int rtnl_addr_dump(struct rtnl *h, int family, int ifindex, struct rtnl_addr *out, size_t cap,
		   size_t *n)
{
	union rtnl_req req;
	struct nlmsghdr *nlh = rtnl_req_start(h, &req, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	struct dump d = {family, ifindex, out, cap, 0};
	char what[64];
	int r;

	ifa->ifa_family = (uint8_t)family;
	snprintf(what, sizeof(what), "addr show (family %d, ifindex %d)", family, ifindex);
	r = rtnl_result(h, rtnl_talk(h, nlh, dump_cb, &d), what, 0);
	*n = d.n;
	if (r == 0 && d.n > cap) {
		snprintf(h->err, sizeof(h->err), "%s: %zu addresses, room for %zu", what, d.n, cap);
		r = IG_ENOSPC;
	}
	return r;
}
