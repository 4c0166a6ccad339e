/* SPDX-License-Identifier: MIT */
/*
 * TUN device open/attach, persistence, batched read/write.
 */
#include "net/tun.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/err.h"

#define TUN_DEV "/dev/net/tun"

int tun_name_check(const char *name)
{
	size_t len = name ? strnlen(name, IFNAMSIZ) : 0;

	if (len == 0 || len >= IFNAMSIZ) {
		log_error(LS_NET, "interface name must be 1-%d bytes, got %zu%s", IFNAMSIZ - 1, len,
			  len >= IFNAMSIZ ? " or more" : "");
		return IG_EINVAL;
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		log_error(LS_NET, "interface name \"%s\" is reserved", name);
		return IG_EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '/' || c == ':' || isspace(c)) {
			log_error(LS_NET, "interface name \"%s\": character 0x%02x not allowed",
				  name, c);
			return IG_EINVAL;
		}
	}
	return 0;
}

static int fail(struct tun *t, const char *name, const char *call)
{
	int e = errno;

	log_error(LS_NET, "tun %s: %s: %s", name, call, strerror(e));
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	errno = e;
	return IG_EIO;
}

int tun_open(struct tun *t, const char *name)
{
	struct ifreq ifr;
	int r;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(10, 5);
	if ((r = tun_name_check(name)) != 0)
		return r;
	t->fd = open(TUN_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0)
		return fail(t, name, "open " TUN_DEV);
	memset(&ifr, 0, sizeof(ifr));
	/* No packet-info header: every read and write is exactly one IP packet. */
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0)
		return fail(t, name, "TUNSETIFF");
	memcpy(t->name, ifr.ifr_name, IFNAMSIZ);
	t->name[IFNAMSIZ - 1] = '\0';
	log_debug(LS_NET, "tun %s: queue fd %d", t->name, t->fd);
	return 0;
}

void tun_close(struct tun *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

int tun_set_persist(struct tun *t, bool persist)
{
	if (ioctl(t->fd, TUNSETPERSIST, persist ? 1L : 0L) < 0) {
		int e = errno;

		log_error(LS_NET, "tun %s: TUNSETPERSIST %d: %s", t->name, persist, strerror(e));
		errno = e;
		return IG_EIO;
	}
	return 0;
}

int tun_destroy(const char *name)
{
	struct tun t;
	int r;

	if ((r = tun_open(&t, name)) != 0)
		return r;
	r = tun_set_persist(&t, false);
	tun_close(&t);
	return r;
}

/* One failing packet after a good one ends the batch; the next call reports it. */
static int io_error(struct tun *t, const char *call, size_t done)
{
	int e = errno;

	if (e == EAGAIN || e == EWOULDBLOCK || done > 0)
		return (int)done;
	if (log_ratelimit_ok(&t->rl, LS_NET))
		log_warn(LS_NET, "tun %s: %s: %s", t->name, call, strerror(e));
	errno = e;
	return IG_EIO;
}

int tun_read_batch(struct tun *t, struct net_pkt *p, size_t n)
{
	size_t i = 0;

	if (n > NET_BATCH_MAX)
		n = NET_BATCH_MAX;
	while (i < n) {
		ssize_t k = read(t->fd, p[i].data, p[i].cap);

		if (k >= 0)
			p[i++].len = (size_t)k;
		else if (errno != EINTR)
			return io_error(t, "read", i);
	}
	return (int)i;
}

int tun_write_batch(struct tun *t, const struct net_pkt *p, size_t n)
{
	size_t i = 0;

	if (n > NET_BATCH_MAX)
		n = NET_BATCH_MAX;
	while (i < n) {
		ssize_t k = write(t->fd, p[i].data, p[i].len);

		if (k >= 0)
			i++;
		else if (errno != EINTR)
			return io_error(t, "write", i);
	}
	return (int)i;
}
