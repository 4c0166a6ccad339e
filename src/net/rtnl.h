/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink through libmnl: links, addresses, routes and policy rules.
 *
 * Every call is synchronous: it sends one request, waits for the kernel's
 * ACK (or reads the whole dump) and returns 0 or an IG_E* code:
 * IG_EEXIST (EEXIST), IG_ENOENT (ENOENT, ESRCH, ENODEV, EADDRNOTAVAIL),
 * IG_EINVAL (EINVAL, bad arguments), IG_EIO (anything else), with errno
 * kept. rtnl_error() then holds a message naming the operation and the
 * errno text, e.g. "route add 10.0.2.0/24 dev vti1: File exists", which is
 * also logged (LS_NET, error level; debug level when a flag made it
 * harmless).
 *
 * A struct rtnl belongs to one thread (the control thread).
 */
#ifndef IPSECGW_NET_RTNL_H
#define IPSECGW_NET_RTNL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

struct mnl_socket;

#define RTNL_ERRLEN 256

struct rtnl {
	struct mnl_socket *nl;
	unsigned portid;
	unsigned seq;
	uint8_t *buf; /* one receive buffer, big enough for a dump batch */
	char err[RTNL_ERRLEN];
};

/* Flags for the add/delete calls. */
#define RTNL_EXIST_OK	1u /* add: "already there" (EEXIST) counts as success */
#define RTNL_MISSING_OK 2u /* delete: "not there" counts as success */

int rtnl_open(struct rtnl *h);
void rtnl_close(struct rtnl *h);
/* The message of the last failed call ("" after a success). */
const char *rtnl_error(const struct rtnl *h);

struct rtnl_link {
	int ifindex;
	char name[IFNAMSIZ];
	unsigned mtu;
	unsigned txqlen; /* packets the device queues for its reader (TUN: ring size) */
	unsigned flags;	 /* IFF_UP, IFF_RUNNING, IFF_POINTOPOINT, ... */
};

/* RTM_GETLINK by name. IG_ENOENT if there is no such link. */
int rtnl_link_get(struct rtnl *h, const char *name, struct rtnl_link *out);
int rtnl_link_index(struct rtnl *h, const char *name, int *ifindex);
int rtnl_link_set_up(struct rtnl *h, const char *name, bool up);
int rtnl_link_set_mtu(struct rtnl *h, const char *name, unsigned mtu);
int rtnl_link_set_txqlen(struct rtnl *h, const char *name, unsigned qlen);
/* Deletes a link (RTNL_MISSING_OK allowed). */
int rtnl_link_del(struct rtnl *h, const char *name, unsigned flags);

struct rtnl_addr {
	int ifindex;
	struct cidr local; /* the address itself, with its prefix length (host bits kept) */
	struct addr peer;  /* point-to-point peer; family 0 if none */
};

/*
 * Adds local (e.g. 169.254.200.5/30) to dev. Without a peer, IFA_LOCAL and
 * IFA_ADDRESS are both the address and the kernel adds the prefix route
 * (169.254.200.4/30 dev vti1). With a peer (the other host of the /30),
 * IFA_ADDRESS is the peer, as `ip addr add L peer P/30` does; the prefix
 * route is then computed from the peer. IPv6 addresses are added without
 * duplicate address detection: a tunnel has no link to collide on.
 * RTNL_EXIST_OK allowed.
 */
int rtnl_addr_add(struct rtnl *h, const char *dev, const struct cidr *local,
		  const struct addr *peer, unsigned flags);
/* RTNL_MISSING_OK allowed. */
int rtnl_addr_del(struct rtnl *h, const char *dev, const struct cidr *local, unsigned flags);
/*
 * Lists addresses of a family (0 = both) on ifindex (0 = every link):
 * fills up to cap entries, *n = how many there are; IG_ENOSPC if > cap.
 */
int rtnl_addr_dump(struct rtnl *h, int family, int ifindex, struct rtnl_addr *out, size_t cap,
		   size_t *n);

struct rtnl_route {
	struct cidr dst;
	struct addr gw;	    /* gateway; family 0 = directly on dev */
	struct addr src;    /* preferred source; family 0 = none */
	char dev[IFNAMSIZ]; /* add/del: output device ("" = use ifindex, or none) */
	int ifindex;	    /* dump: output device; add/del: used when dev is "" */
	uint32_t table;	    /* 0 = main */
	uint32_t metric;    /* 0 = none */
	uint8_t type;	    /* dump only: RTN_UNICAST, RTN_LOCAL, ... */
};

/* RTNL_EXIST_OK allowed (otherwise an existing route is IG_EEXIST). */
int rtnl_route_add(struct rtnl *h, const struct rtnl_route *r, unsigned flags);
/* RTNL_MISSING_OK allowed. */
int rtnl_route_del(struct rtnl *h, const struct rtnl_route *r, unsigned flags);
/* Lists routes of a family (AF_INET or AF_INET6) in table (0 = every table), like rtnl_addr_dump().
 */
int rtnl_route_dump(struct rtnl *h, int family, uint32_t table, struct rtnl_route *out, size_t cap,
		    size_t *n);

/* "to PREFIX lookup TABLE pref N" */
struct rtnl_rule {
	struct cidr to; /* /0 = any destination */
	uint32_t table;
	uint32_t pref;
};

int rtnl_rule_add(struct rtnl *h, const struct rtnl_rule *r, unsigned flags);
int rtnl_rule_del(struct rtnl *h, const struct rtnl_rule *r, unsigned flags);
/* Lists the rules of a family that look up a table (like rtnl_addr_dump()). */
int rtnl_rule_dump(struct rtnl *h, int family, struct rtnl_rule *out, size_t cap, size_t *n);

#endif
