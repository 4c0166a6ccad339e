/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink core: the socket, the request/ACK loop, errors; and links
 * (index, up/down, MTU, delete).
 */
#include "net/rtnl.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/err.h"
#include "lib/log.h"
#include "net/rtnl_int.h"

/* Large enough for one multi-part dump skb (the kernel caps them at 32 KiB). */
#define RTNL_BUF_SIZE 32768

int rtnl_open(struct rtnl *h)
{
	memset(h, 0, sizeof(*h));
	h->buf = malloc(RTNL_BUF_SIZE);
	if (!h->buf) {
		snprintf(h->err, sizeof(h->err), "rtnl open: out of memory");
		return IG_ENOMEM;
	}
	h->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!h->nl || mnl_socket_bind(h->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int r = rtnl_result(h, -errno, "rtnl open", 0);

		rtnl_close(h);
		return r;
	}
	h->portid = mnl_socket_get_portid(h->nl);
	return 0;
}

void rtnl_close(struct rtnl *h)
{
	if (h->nl)
		mnl_socket_close(h->nl);
	h->nl = NULL;
	free(h->buf);
	h->buf = NULL;
}

const char *rtnl_error(const struct rtnl *h)
{
	return h->err;
}

struct nlmsghdr *rtnl_req_start(struct rtnl *h, union rtnl_req *req, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(req, 0, sizeof(*req));
	nlh = mnl_nlmsg_put_header(req->b);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++h->seq;
	return nlh;
}

/*
 * Reads whatever an earlier, failed exchange left queued (the rest of an
 * interrupted dump: the kernel produces it as we read), so that the next
 * reply is the first thing we see.
 */
static void drain(struct rtnl *h)
{
	int fd = mnl_socket_get_fd(h->nl);
	ssize_t n;

	do {
		n = recv(fd, h->buf, RTNL_BUF_SIZE, MSG_DONTWAIT);
	} while (n > 0 || (n < 0 && errno == EINTR));
}

int rtnl_talk(struct rtnl *h, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	unsigned seq = nlh->nlmsg_seq;
	ssize_t n;
	int r;

	drain(h);
	if (mnl_socket_sendto(h->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(h->nl, h->buf, RTNL_BUF_SIZE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		/* An error ACK comes back as -1 with errno = the kernel's error. */
		r = mnl_cb_run(h->buf, (size_t)n, seq, h->portid, cb, data);
		if (r < 0) {
			int e = errno ? errno : EPROTO;

			drain(h);
			return -e;
		}
		if (r == MNL_CB_STOP)
			return 0;
	}
}

static int map_errno(int e)
{
	switch (e) {
	case 0: return 0;
	case EEXIST: return IG_EEXIST;
	case ENOENT:
	case ESRCH:
	case ENODEV:
	case EADDRNOTAVAIL: return IG_ENOENT;
	case EINVAL: return IG_EINVAL;
	case ENOMEM: return IG_ENOMEM;
	}
	return IG_EIO;
}

int rtnl_result(struct rtnl *h, int neg_errno, const char *what, unsigned flags)
{
	int e = -neg_errno, r = map_errno(e);

	if (e == 0) {
		h->err[0] = '\0';
		return 0;
	}
	snprintf(h->err, sizeof(h->err), "%s: %s", what, strerror(e));
	if (((flags & RTNL_EXIST_OK) && r == IG_EEXIST) ||
	    ((flags & RTNL_MISSING_OK) && r == IG_ENOENT)) {
		log_debug(LS_NET, "%s (fine)", h->err);
		h->err[0] = '\0';
		errno = e;
		return 0;
	}
	log_error(LS_NET, "%s", h->err);
	errno = e;
	return r;
}

int rtnl_attr_addr(const struct nlattr *a, int family, struct addr *out)
{
	size_t len = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;

	if (len == 0 || mnl_attr_get_payload_len(a) != len)
		return -1;
	return addr_from_bytes(out, family, mnl_attr_get_payload(a), len) == 0 ? 0 : -1;
}

uint32_t rtnl_attr_u32(const struct nlattr *a)
{
	return mnl_attr_validate(a, MNL_TYPE_U32) == 0 ? mnl_attr_get_u32(a) : 0;
}

/* Links */

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_link *l = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return MNL_CB_OK;
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(a));
			break;
		case IFLA_MTU: l->mtu = rtnl_attr_u32(a); break;
		case IFLA_TXQLEN: l->txqlen = rtnl_attr_u32(a); break;
		}
	}
	return MNL_CB_OK;
}

/* Starts a link request naming the link; -EINVAL for a name the kernel would refuse. */
static int link_req(struct rtnl *h, union rtnl_req *req, uint16_t type, const char *name,
		    struct nlmsghdr **out)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (!name || name[0] == '\0' || strnlen(name, IFNAMSIZ) >= IFNAMSIZ)
		return -EINVAL;
	nlh = rtnl_req_start(h, req, type, NLM_F_ACK);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	/* ifi_index 0: the kernel finds the link by IFLA_IFNAME. */
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	*out = nlh;
	return 0;
}

static int link_get(struct rtnl *h, const char *name, struct rtnl_link *out)
{
	union rtnl_req req;
	struct nlmsghdr *nlh;
	int e;

	memset(out, 0, sizeof(*out));
	if ((e = link_req(h, &req, RTM_GETLINK, name, &nlh)) != 0 ||
	    (e = rtnl_talk(h, nlh, link_cb, out)) != 0)
		return e;
	return out->ifindex > 0 ? 0 : -ENODEV;
}

int rtnl_ifindex(struct rtnl *h, const char *name, int *ifindex)
{
	struct rtnl_link l;
	int e = link_get(h, name, &l);

	*ifindex = e == 0 ? l.ifindex : 0;
	return e;
}

int rtnl_link_get(struct rtnl *h, const char *name, struct rtnl_link *out)
{
	char what[64];

	snprintf(what, sizeof(what), "link show %s", name ? name : "(null)");
	return rtnl_result(h, link_get(h, name, out), what, 0);
}

int rtnl_link_index(struct rtnl *h, const char *name, int *ifindex)
{
	char what[64];

	snprintf(what, sizeof(what), "link show %s", name ? name : "(null)");
	return rtnl_result(h, rtnl_ifindex(h, name, ifindex), what, 0);
}

/* RTM_NEWLINK without NLM_F_CREATE changes an existing link. */
static int link_change(struct rtnl *h, const char *name, const char *what, bool set_up, bool up,
		       unsigned mtu, unsigned txqlen)
{
	union rtnl_req req;
	struct nlmsghdr *nlh;
	int e;

	if ((e = link_req(h, &req, RTM_NEWLINK, name, &nlh)) == 0) {
		struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

		if (set_up) {
			ifi->ifi_change = IFF_UP;
			ifi->ifi_flags = up ? IFF_UP : 0;
		}
		if (mtu)
			mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
		if (txqlen)
			mnl_attr_put_u32(nlh, IFLA_TXQLEN, txqlen);
		e = rtnl_talk(h, nlh, NULL, NULL);
	}
	return rtnl_result(h, e, what, 0);
}

int rtnl_link_set_up(struct rtnl *h, const char *name, bool up)
{
	char what[64];

	snprintf(what, sizeof(what), "link set %s %s", name ? name : "(null)", up ? "up" : "down");
	return link_change(h, name, what, true, up, 0, 0);
}

int rtnl_link_set_mtu(struct rtnl *h, const char *name, unsigned mtu)
{
	char what[64];

	snprintf(what, sizeof(what), "link set %s mtu %u", name ? name : "(null)", mtu);
	if (mtu == 0)
		return rtnl_result(h, -EINVAL, what, 0);
	return link_change(h, name, what, false, false, mtu, 0);
}

int rtnl_link_set_txqlen(struct rtnl *h, const char *name, unsigned qlen)
{
	char what[64];

	snprintf(what, sizeof(what), "link set %s txqueuelen %u", name ? name : "(null)", qlen);
	if (qlen == 0)
		return rtnl_result(h, -EINVAL, what, 0);
	return link_change(h, name, what, false, false, 0, qlen);
}

int rtnl_link_del(struct rtnl *h, const char *name, unsigned flags)
{
	union rtnl_req req;
	struct nlmsghdr *nlh;
	char what[64];
	int e;

	snprintf(what, sizeof(what), "link del %s", name ? name : "(null)");
	if ((e = link_req(h, &req, RTM_DELLINK, name, &nlh)) == 0)
		e = rtnl_talk(h, nlh, NULL, NULL);
	return rtnl_result(h, e, what, flags);
}
