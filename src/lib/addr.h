/* SPDX-License-Identifier: MIT */
/*
 * IPv4/IPv6 addresses and CIDR prefixes: parse, format, compare, contains,
 * overlap, ranges (for traffic selectors) and the other host of a /30
 * (the guide's Local/Peer Tunnel IP pair, section 3.2).
 */
#ifndef IPSECGW_LIB_ADDR_H
#define IPSECGW_LIB_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Longest text form of an address ("ffff:...:255.255.255.255") or CIDR. */
#define ADDR_STRLEN 46
#define CIDR_STRLEN 50

struct addr {
	uint8_t family; /* AF_INET or AF_INET6; 0 = unset */
	uint8_t b[16];  /* network order; IPv4 uses b[0..3], rest zero */
};

struct cidr {
	struct addr a; /* network address (host bits zero unless allowed) */
	uint8_t plen;  /* prefix length */
};

static inline size_t addr_len(const struct addr *a)
{
	return a->family == AF_INET ? 4 : a->family == AF_INET6 ? 16 : 0;
}
static inline unsigned addr_bits(const struct addr *a)
{
	return (unsigned)addr_len(a) * 8;
}

/* Parses a literal IPv4 or IPv6 address (no names). */
int addr_parse(const char *s, struct addr *a);
/* Formats into out (>= ADDR_STRLEN bytes); returns out. */
const char *addr_format(const struct addr *a, char *out, size_t outlen);
int addr_from_bytes(struct addr *a, int family, const void *bytes, size_t len);
bool addr_eq(const struct addr *x, const struct addr *y);
/* Total order: family first, then bytes. */
int addr_cmp(const struct addr *x, const struct addr *y);
bool addr_is_any(const struct addr *a);

/* sockaddr conversions (port in host order). */
int addr_to_sockaddr(const struct addr *a, uint16_t port, struct sockaddr_storage *ss,
		     socklen_t *sslen);
int addr_from_sockaddr(struct addr *a, uint16_t *port, const struct sockaddr *sa,
		       socklen_t salen);

#define CIDR_ALLOW_HOST 1u /* accept host bits (e.g. "169.254.200.5/30") */

/*
 * Parses "addr/len" or a bare address (/32 or /128). Without
 * CIDR_ALLOW_HOST, host bits set is IG_EHOSTBITS (c is still filled in).
 */
int cidr_parse(const char *s, struct cidr *c, unsigned flags);
/* Formats "addr/len" into out (>= CIDR_STRLEN bytes); returns out. */
const char *cidr_format(const struct cidr *c, char *out, size_t outlen);
/* The network of c (host bits cleared). */
void cidr_network(const struct cidr *c, struct cidr *net);
bool cidr_has_host_bits(const struct cidr *c);
bool cidr_contains_addr(const struct cidr *c, const struct addr *a);
/* inner lies entirely inside outer. */
bool cidr_contains(const struct cidr *outer, const struct cidr *inner);
bool cidr_overlap(const struct cidr *x, const struct cidr *y);
bool cidr_eq(const struct cidr *x, const struct cidr *y);
/* First and last address covered (traffic selector ranges). */
void cidr_range(const struct cidr *c, struct addr *first, struct addr *last);
/*
 * If [first,last] is exactly one prefix, stores it in c and returns 0;
 * otherwise IG_EINVAL.
 */
int cidr_from_range(const struct addr *first, const struct addr *last, struct cidr *c);

/*
 * For a host address of a /30 (IPv4) or /126 (IPv6), the other usable host.
 * IG_EINVAL if the prefix length is not /30 (/126) or the address is the
 * network or broadcast address.
 */
int cidr_p2p_peer(const struct cidr *c, struct addr *peer);

#endif
