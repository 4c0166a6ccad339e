/* SPDX-License-Identifier: MIT */
/*
 * Batched datagram I/O with local addresses: recvmmsg/sendmmsg, one
 * IP_PKTINFO / IPV6_PKTINFO control message per datagram. A gateway bound
 * to "any" must answer from the address the peer sent to, so every
 * received datagram carries its destination and every sent one may name
 * its source.
 */
#include "net/sock.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/err.h"

/* Room for one control message of either family, aligned for cmsghdr. */
union ctl {
	struct cmsghdr align;
	uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
};

int net_sock_want_pktinfo(int fd, int family, const char *what)
{
	int on = 1, r;

	if (family == AF_INET)
		r = setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	else
		r = setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
	if (r < 0) {
		int e = errno;

		log_error(LS_NET, "%s: setsockopt %s: %s", what,
			  family == AF_INET ? "IP_PKTINFO" : "IPV6_RECVPKTINFO", strerror(e));
		errno = e;
		return IG_EIO;
	}
	return 0;
}

/* The local address of a received datagram from its PKTINFO, if any. */
static void get_dst(struct msghdr *m, struct addr *dst)
{
	struct cmsghdr *c;

	memset(dst, 0, sizeof(*dst));
	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			addr_from_bytes(dst, AF_INET, &pi.ipi_addr, 4);
			return;
		}
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			addr_from_bytes(dst, AF_INET6, &pi.ipi6_addr, 16);
			return;
		}
	}
}

static void log_io(struct log_ratelimit *rl, const char *what, const char *call, int e)
{
	if (log_ratelimit_ok(rl, LS_NET))
		log_warn(LS_NET, "%s: %s: %s", what, call, strerror(e));
}

int net_sock_recv(int fd, int family, uint16_t lport, struct net_dgram *d, size_t n,
		  struct log_ratelimit *rl, const char *what)
{
	struct mmsghdr mm[NET_BATCH_MAX];
	struct iovec iov[NET_BATCH_MAX];
	struct sockaddr_storage ss[NET_BATCH_MAX];
	union ctl ctl[NET_BATCH_MAX];
	int k;

	if (n > NET_BATCH_MAX)
		n = NET_BATCH_MAX;
	if (n == 0)
		return 0;
	memset(mm, 0, n * sizeof(mm[0]));
	for (size_t i = 0; i < n; i++) {
		iov[i].iov_base = d[i].data;
		iov[i].iov_len = d[i].cap;
		mm[i].msg_hdr.msg_name = &ss[i];
		mm[i].msg_hdr.msg_namelen = sizeof(ss[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = ctl[i].b;
		mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].b);
	}
	do {
		k = recvmmsg(fd, mm, (unsigned)n, MSG_DONTWAIT, NULL);
	} while (k < 0 && errno == EINTR);
	if (k < 0) {
		int e = errno;

		if (e == EAGAIN || e == EWOULDBLOCK)
			return 0;
		log_io(rl, what, "recvmmsg", e);
		errno = e;
		return IG_EIO;
	}
	for (int i = 0; i < k; i++) {
		struct msghdr *m = &mm[i].msg_hdr;

		d[i].flags = 0;
		d[i].off = 0;
		d[i].len = mm[i].msg_len;
		if (m->msg_flags & MSG_TRUNC) {
			d[i].flags |= NET_DGRAM_TRUNC;
			d[i].len = d[i].cap;
		}
		if (addr_from_sockaddr(&d[i].src, &d[i].sport, (struct sockaddr *)&ss[i],
				       m->msg_namelen) != 0)
			d[i].flags |= NET_DGRAM_BAD;
		get_dst(m, &d[i].dst);
		if (d[i].dst.family == 0)
			d[i].dst.family = (uint8_t)family;
		d[i].dport = lport;
	}
	return k;
}

/* Fills the destination and the optional source control message of one datagram. */
static int prepare(int family, bool use_port, const struct net_dgram *d,
		   struct sockaddr_storage *ss, struct msghdr *m, union ctl *ctl)
{
	socklen_t sl;
	struct cmsghdr *c;

	if (d->dst.family != family || (d->src.family != 0 && d->src.family != family))
		return IG_EINVAL;
	if (addr_to_sockaddr(&d->dst, use_port ? d->dport : 0, ss, &sl) != 0)
		return IG_EINVAL;
	m->msg_name = ss;
	m->msg_namelen = sl;
	m->msg_control = NULL;
	m->msg_controllen = 0;
	if (d->src.family == 0 || addr_is_any(&d->src))
		return 0;
	memset(ctl, 0, sizeof(*ctl));
	m->msg_control = ctl->b;
	if (family == AF_INET) {
		struct in_pktinfo pi = {0};

		/* ipi_spec_dst is the source address the kernel uses for the reply route. */
		memcpy(&pi.ipi_spec_dst, d->src.b, 4);
		m->msg_controllen = CMSG_SPACE(sizeof(pi));
		c = CMSG_FIRSTHDR(m);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = {0};

		memcpy(&pi.ipi6_addr, d->src.b, 16);
		m->msg_controllen = CMSG_SPACE(sizeof(pi));
		c = CMSG_FIRSTHDR(m);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	return 0;
}

int net_sock_send(int fd, int family, bool use_port, const struct net_dgram *d, size_t n,
		  struct log_ratelimit *rl, const char *what)
{
	struct mmsghdr mm[NET_BATCH_MAX];
	struct iovec iov[NET_BATCH_MAX];
	struct sockaddr_storage ss[NET_BATCH_MAX];
	union ctl ctl[NET_BATCH_MAX];
	size_t i;
	int k;

	if (n > NET_BATCH_MAX)
		n = NET_BATCH_MAX;
	memset(mm, 0, n * sizeof(mm[0]));
	/* Send the well-formed prefix; a bad entry ends the batch. */
	for (i = 0; i < n; i++) {
		if (prepare(family, use_port, &d[i], &ss[i], &mm[i].msg_hdr, &ctl[i]) != 0)
			break;
		iov[i].iov_base = d[i].data;
		iov[i].iov_len = d[i].len;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	if (i == 0) {
		if (n == 0)
			return 0;
		if (log_ratelimit_ok(rl, LS_NET))
			log_warn(LS_NET,
				 "%s: send: datagram family %u (source %u) on a family %d socket",
				 what, d[0].dst.family, d[0].src.family, family);
		return IG_EINVAL;
	}
	do {
		k = sendmmsg(fd, mm, (unsigned)i, MSG_DONTWAIT);
	} while (k < 0 && errno == EINTR);
	if (k < 0) {
		int e = errno;

		/* A full socket buffer (ENOBUFS on some paths) just means "later". */
		if (e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS)
			return 0;
		log_io(rl, what, "sendmmsg", e);
		errno = e;
		return IG_EIO;
	}
	return k;
}
