/* SPDX-License-Identifier: MIT */
/*
 * Internal to the rtnl_*.c files: request building, the send/ACK loop and
 * error reporting.
 */
#ifndef IPSECGW_NET_RTNL_INT_H
#define IPSECGW_NET_RTNL_INT_H

#include <libmnl/libmnl.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "net/rtnl.h"

/* A request: header, family header, a few attributes. */
#define RTNL_REQ_SIZE 1024

union rtnl_req {
	struct nlmsghdr align;
	uint8_t b[RTNL_REQ_SIZE];
};

/* Starts a request of type with flags (NLM_F_REQUEST is added). */
struct nlmsghdr *rtnl_req_start(struct rtnl *h, union rtnl_req *req, uint16_t type, uint16_t flags);
/* Sends a request; runs cb (may be NULL) over the replies until the ACK or
 * the end of the dump. 0 or -errno. */
int rtnl_talk(struct rtnl *h, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
/*
 * Turns the -errno of an operation described by what ("route add ...")
 * into 0 or IG_E*, honouring RTNL_EXIST_OK / RTNL_MISSING_OK, sets
 * h->err and logs.
 */
int rtnl_result(struct rtnl *h, int neg_errno, const char *what, unsigned flags);
/* The ifindex of name, as -errno (ENODEV when absent). */
int rtnl_ifindex(struct rtnl *h, const char *name, int *ifindex);
/* Copies a binary address attribute of the message family; 0 or -1. */
int rtnl_attr_addr(const struct nlattr *a, int family, struct addr *out);
/* u32 attribute value, or 0 when its length is wrong. */
uint32_t rtnl_attr_u32(const struct nlattr *a);

#endif
