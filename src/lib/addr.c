/* SPDX-License-Identifier: MIT */
#include "lib/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"

int addr_parse(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!s || !*s)
		return IG_EINVAL;
	if (inet_pton(AF_INET, s, a->b) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->b) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	memset(a, 0, sizeof(*a));
	return IG_EINVAL;
}

const char *addr_format(const struct addr *a, char *out, size_t outlen)
{
	if (outlen == 0)
		return out;
	if (!a->family || !inet_ntop(a->family, a->b, out, (socklen_t)outlen))
		snprintf(out, outlen, "%s", a->family ? "?" : "%any");
	return out;
}

int addr_from_bytes(struct addr *a, int family, const void *bytes, size_t len)
{
	memset(a, 0, sizeof(*a));
	if ((family == AF_INET && len == 4) || (family == AF_INET6 && len == 16)) {
		a->family = (uint8_t)family;
		memcpy(a->b, bytes, len);
		return 0;
	}
	return IG_EINVAL;
}

bool addr_eq(const struct addr *x, const struct addr *y)
{
	return x->family == y->family && memcmp(x->b, y->b, addr_len(x)) == 0;
}

int addr_cmp(const struct addr *x, const struct addr *y)
{
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->b, y->b, addr_len(x));
}

bool addr_is_any(const struct addr *a)
{
	for (size_t i = 0; i < addr_len(a); i++)
		if (a->b[i])
			return false;
	return true;
}

int addr_to_sockaddr(const struct addr *a, uint16_t port, struct sockaddr_storage *ss,
		     socklen_t *sslen)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->b, 4);
		*sslen = sizeof(*sin);
		return 0;
	}
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->b, 16);
		*sslen = sizeof(*sin6);
		return 0;
	}
	return IG_EINVAL;
}

int addr_from_sockaddr(struct addr *a, uint16_t *port, const struct sockaddr *sa,
		       socklen_t salen)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET && salen >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		a->family = AF_INET;
		memcpy(a->b, &sin->sin_addr, 4);
		if (port)
			*port = ntohs(sin->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && salen >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		/* An IPv4-mapped address is the IPv4 peer of a dual-stack socket. */
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			a->family = AF_INET;
			memcpy(a->b, sin6->sin6_addr.s6_addr + 12, 4);
		} else {
			a->family = AF_INET6;
			memcpy(a->b, &sin6->sin6_addr, 16);
		}
		if (port)
			*port = ntohs(sin6->sin6_port);
		return 0;
	}
	return IG_EINVAL;
}

/* Byte i of the netmask for a prefix of plen bits. */
static uint8_t mask_byte(unsigned plen, size_t i)
{
	if (plen >= (i + 1) * 8)
		return 0xff;
	if (plen <= i * 8)
		return 0;
	return (uint8_t)(0xff << (8 - (plen - i * 8)));
}

int cidr_parse(const char *s, struct cidr *c, unsigned flags)
{
	char tmp[CIDR_STRLEN + 8];
	const char *slash;
	size_t alen;
	int e;

	memset(c, 0, sizeof(*c));
	if (!s)
		return IG_EINVAL;
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(tmp))
		return IG_EINVAL;
	memcpy(tmp, s, alen);
	tmp[alen] = '\0';
	if ((e = addr_parse(tmp, &c->a)) != 0)
		return e;
	if (slash) {
		const char *p = slash + 1;
		unsigned long v = 0;

		if (*p < '0' || *p > '9' || strlen(p) > 3)
			return IG_EINVAL;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return IG_EINVAL;
			v = v * 10 + (unsigned long)(*p - '0');
		}
		if (v > addr_bits(&c->a))
			return IG_ERANGE;
		c->plen = (uint8_t)v;
	} else {
		c->plen = (uint8_t)addr_bits(&c->a);
	}
	if (!(flags & CIDR_ALLOW_HOST) && cidr_has_host_bits(c))
		return IG_EHOSTBITS;
	return 0;
}

const char *cidr_format(const struct cidr *c, char *out, size_t outlen)
{
	char a[ADDR_STRLEN];

	snprintf(out, outlen, "%s/%u", addr_format(&c->a, a, sizeof(a)), c->plen);
	return out;
}

void cidr_network(const struct cidr *c, struct cidr *net)
{
	*net = *c;
	for (size_t i = 0; i < addr_len(&c->a); i++)
		net->a.b[i] &= mask_byte(c->plen, i);
}

bool cidr_has_host_bits(const struct cidr *c)
{
	for (size_t i = 0; i < addr_len(&c->a); i++)
		if (c->a.b[i] & (uint8_t)~mask_byte(c->plen, i))
			return true;
	return false;
}

bool cidr_contains_addr(const struct cidr *c, const struct addr *a)
{
	if (c->a.family != a->family)
		return false;
	for (size_t i = 0; i < addr_len(a); i++) {
		uint8_t m = mask_byte(c->plen, i);

		if ((c->a.b[i] & m) != (a->b[i] & m))
			return false;
	}
	return true;
}

bool cidr_contains(const struct cidr *outer, const struct cidr *inner)
{
	return outer->a.family == inner->a.family && outer->plen <= inner->plen &&
	       cidr_contains_addr(outer, &inner->a);
}

bool cidr_overlap(const struct cidr *x, const struct cidr *y)
{
	return cidr_contains(x, y) || cidr_contains(y, x);
}

bool cidr_eq(const struct cidr *x, const struct cidr *y)
{
	return x->plen == y->plen && cidr_contains(x, y);
}

void cidr_range(const struct cidr *c, struct addr *first, struct addr *last)
{
	*first = c->a;
	*last = c->a;
	for (size_t i = 0; i < addr_len(&c->a); i++) {
		uint8_t m = mask_byte(c->plen, i);

		first->b[i] &= m;
		last->b[i] |= (uint8_t)~m;
	}
}

int cidr_from_range(const struct addr *first, const struct addr *last, struct cidr *c)
{
	if (first->family != last->family || !first->family)
		return IG_EINVAL;
	for (unsigned plen = 0; plen <= addr_bits(first); plen++) {
		struct cidr t = { .a = *first, .plen = (uint8_t)plen };
		struct addr f, l;

		if (cidr_has_host_bits(&t))
			continue;
		cidr_range(&t, &f, &l);
		if (addr_eq(&l, last)) {
			*c = t;
			return 0;
		}
	}
	return IG_EINVAL;
}

int cidr_p2p_peer(const struct cidr *c, struct addr *peer)
{
	unsigned want = c->a.family == AF_INET ? 30 : 126;
	size_t last = addr_len(&c->a) - 1;
	uint8_t host;

	if (!c->a.family || c->plen != want)
		return IG_EINVAL;
	host = c->a.b[last] & 3;
	if (host == 0 || host == 3)
		return IG_EINVAL;
	*peer = c->a;
	peer->b[last] = (uint8_t)((c->a.b[last] & ~3u) | (host == 1 ? 2 : 1));
	return 0;
}
