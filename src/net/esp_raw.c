/* SPDX-License-Identifier: MIT */
/*
 * Raw IP protocol 50 sockets: open, batched I/O, IPv4 header skip.
 */
#include "net/esp_raw.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/err.h"
#include "net/sock.h"

#define IPV4_MIN_HLEN 20 /* RFC 791 3.1 */

static int fail(struct esp_raw_sock *s, const char *call)
{
	int e = errno;

	log_error(LS_NET, "raw ESP socket (IPv%d): %s: %s", s->family == AF_INET ? 4 : 6, call,
		  strerror(e));
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	errno = e;
	return IG_EIO;
}

int esp_raw_open(struct esp_raw_sock *s, const struct addr *local)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(10, 5);
	if (addr_to_sockaddr(local, 0, &ss, &sl) != 0) {
		log_error(LS_NET, "esp_raw_open: address family %u is neither IPv4 nor IPv6",
			  local->family);
		return IG_EINVAL;
	}
	s->family = local->family;
	s->fd = socket(s->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NET_IPPROTO_ESP);
	if (s->fd < 0)
		return fail(s, "socket");
	if (net_sock_want_pktinfo(s->fd, s->family, "raw ESP") != 0)
		return fail(s, "setsockopt PKTINFO");
	if (!addr_is_any(local) && bind(s->fd, (struct sockaddr *)&ss, sl) < 0)
		return fail(s, "bind");
	return 0;
}

void esp_raw_close(struct esp_raw_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int esp_raw_ipv4_payload_off(const uint8_t *pkt, size_t len, size_t *off)
{
	struct buf_rd r;
	uint8_t vihl, proto;
	size_t hlen;
	int e;

	/* RFC 791 3.1: version and IHL, then 8 octets up to the protocol field. */
	buf_rd_init(&r, pkt, len);
	if ((e = buf_get_u8(&r, &vihl)) != 0 || (e = buf_skip(&r, 8)) != 0 ||
	    (e = buf_get_u8(&r, &proto)) != 0)
		return e;
	hlen = (size_t)(vihl & 0x0f) * 4;
	if ((vihl >> 4) != 4 || hlen < IPV4_MIN_HLEN || proto != NET_IPPROTO_ESP)
		return IG_EINVAL;
	buf_rd_init(&r, pkt, len);
	if ((e = buf_skip(&r, hlen)) != 0)
		return e;
	*off = hlen;
	return 0;
}

int esp_raw_recv_batch(struct esp_raw_sock *s, struct net_dgram *d, size_t n)
{
	int k = net_sock_recv(s->fd, s->family, 0, d, n, &s->rl, "raw ESP recv");

	for (int i = 0; i < k; i++) {
		d[i].sport = 0;
		if (s->family != AF_INET || (d[i].flags & NET_DGRAM_TRUNC))
			continue;
		if (esp_raw_ipv4_payload_off(d[i].data, d[i].len, &d[i].off) != 0) {
			d[i].flags |= NET_DGRAM_BAD;
			if (log_ratelimit_ok(&s->rl, LS_NET))
				log_warn(LS_NET, "raw ESP recv: bad IPv4 header (%zu bytes)",
					 d[i].len);
		}
	}
	return k;
}

int esp_raw_send_batch(struct esp_raw_sock *s, const struct net_dgram *d, size_t n)
{
	return net_sock_send(s->fd, s->family, false, d, n, &s->rl, "raw ESP send");
}
