/* SPDX-License-Identifier: MIT */
/*
 * IKE / NAT-T UDP sockets: open, bind, batched I/O, the per-gateway set.
 */
#include "net/udp.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/err.h"
#include "net/sock.h"

static int fail(struct udp_sock *s, const char *call, const struct addr *local, uint16_t port)
{
	int e = errno;
	char a[ADDR_STRLEN];

	log_error(LS_NET, "udp %s port %u: %s: %s", addr_format(local, a, sizeof(a)), port, call,
		  strerror(e));
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	errno = e;
	return IG_EIO;
}

int udp_open(struct udp_sock *s, const struct addr *local, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int on = 1;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(10, 5);
	if (addr_to_sockaddr(local, port, &ss, &sl) != 0) {
		log_error(LS_NET, "udp_open: address family %u is neither IPv4 nor IPv6",
			  local->family);
		return IG_EINVAL;
	}
	s->family = local->family;
	s->local = *local;
	s->fd = socket(s->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (s->fd < 0)
		return fail(s, "socket", local, port);
	/* Keeps a v6 "any" socket from also taking IPv4 (the v4 socket does). */
	if (s->family == AF_INET6 &&
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0)
		return fail(s, "setsockopt IPV6_V6ONLY", local, port);
	if (net_sock_want_pktinfo(s->fd, s->family, "udp") != 0)
		return fail(s, "setsockopt PKTINFO", local, port);
	if (bind(s->fd, (struct sockaddr *)&ss, sl) < 0)
		return fail(s, "bind", local, port);
	sl = sizeof(ss);
	if (getsockname(s->fd, (struct sockaddr *)&ss, &sl) < 0 ||
	    addr_from_sockaddr(&s->local, &s->port, (struct sockaddr *)&ss, sl) != 0)
		return fail(s, "getsockname", local, port);
	/* addr_from_sockaddr() maps nothing here: V6ONLY sockets never see v4-mapped. */
	s->local.family = (uint8_t)s->family;
	log_debug(LS_NET, "udp socket %d bound to port %u", s->fd, s->port);
	return 0;
}

void udp_close(struct udp_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int udp_recv_batch(struct udp_sock *s, struct net_dgram *d, size_t n)
{
	return net_sock_recv(s->fd, s->family, s->port, d, n, &s->rl, "udp recv");
}

int udp_send_batch(struct udp_sock *s, const struct net_dgram *d, size_t n)
{
	return net_sock_send(s->fd, s->family, true, d, n, &s->rl, "udp send");
}

int udp_set_open(struct udp_set *set, const struct addr *local, const uint16_t *ports,
		 size_t nports)
{
	static const struct addr any4 = {.family = AF_INET}, any6 = {.family = AF_INET6};
	static const uint16_t defports[] = {NET_IKE_PORT, NET_NATT_PORT};
	const struct addr *addrs[2];
	size_t naddrs = 0;
	int r;

	memset(set, 0, sizeof(*set));
	if (!ports || nports == 0) {
		ports = defports;
		nports = sizeof(defports) / sizeof(defports[0]);
	}
	if (local && local->family != 0) {
		addrs[naddrs++] = local;
	} else {
		addrs[naddrs++] = &any4;
		addrs[naddrs++] = &any6;
	}
	if (nports * naddrs > UDP_SET_MAX) {
		log_error(LS_NET, "udp_set_open: %zu sockets wanted, room for %d", nports * naddrs,
			  UDP_SET_MAX);
		return IG_ERANGE;
	}
	for (size_t a = 0; a < naddrs; a++) {
		for (size_t p = 0; p < nports; p++) {
			r = udp_open(&set->sock[set->n], addrs[a], ports[p]);
			if (r == IG_EIO && addrs[a] == &any6 && errno == EAFNOSUPPORT) {
				log_warn(LS_NET, "no IPv6 on this host: listening on IPv4 only");
				break;
			}
			if (r != 0) {
				int e = errno;

				udp_set_close(set);
				errno = e;
				return r;
			}
			set->n++;
		}
	}
	return 0;
}

void udp_set_close(struct udp_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		udp_close(&set->sock[i]);
	set->n = 0;
}

struct udp_sock *udp_set_find(struct udp_set *set, int family, uint16_t port)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->sock[i].family == family && set->sock[i].port == port)
			return &set->sock[i];
	return NULL;
}
