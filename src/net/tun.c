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
#include <sys/uio.h>
#include <unistd.h>

#include "lib/buf.h"
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
	return tun_open_vnet(t, name, false);
}

int tun_open_vnet(struct tun *t, const char *name, bool vnet)
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
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE | (vnet ? IFF_VNET_HDR : 0);
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0)
		return fail(t, name, "TUNSETIFF");
	memcpy(t->name, ifr.ifr_name, IFNAMSIZ);
	t->name[IFNAMSIZ - 1] = '\0';
	t->vnet = vnet;
	log_debug(LS_NET, "tun %s: queue fd %d", t->name, t->fd);
	return 0;
}

int tun_set_offload(struct tun *t)
{
	unsigned long f = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
	int le = 1, e;

	if (!t->vnet)
		return IG_ENOTSUP;
	/* The header's byte order; on little-endian hosts the legacy default is the same. */
	if (ioctl(t->fd, TUNSETVNETLE, &le) < 0 && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		goto fail;
	if (ioctl(t->fd, TUNSETOFFLOAD, f) < 0)
		goto fail;
	t->offload = true;
	return 0;
fail:
	e = errno;
	log_warn(LS_NET, "tun %s: offloads refused (%s): one packet per read and write", t->name,
		 strerror(e));
	errno = e;
	return IG_EIO;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

int tun_vnet_parse(const uint8_t *p, size_t len, struct tun_vnet_hdr *h)
{
	uint8_t b[TUN_VNET_HDR_LEN];
	struct buf_rd r;

	buf_rd_init(&r, p, len);
	if (buf_get_bytes(&r, b, sizeof(b)) != 0)
		return IG_ETRUNC;
	h->flags = b[0];
	h->gso_type = b[1];
	h->hdr_len = le16(b + 2);
	h->gso_size = le16(b + 4);
	h->csum_start = le16(b + 6);
	h->csum_offset = le16(b + 8);
	return 0;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void tun_vnet_put(uint8_t out[static TUN_VNET_HDR_LEN], const struct tun_vnet_hdr *h)
{
	out[0] = h->flags;
	out[1] = h->gso_type;
	put_le16(out + 2, h->hdr_len);
	put_le16(out + 4, h->gso_size);
	put_le16(out + 6, h->csum_start);
	put_le16(out + 8, h->csum_offset);
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

int tun_writev(struct tun *t, const struct iovec *iov, size_t n)
{
	ssize_t k;

	do {
		k = writev(t->fd, iov, (int)n);
	} while (k < 0 && errno == EINTR);
	if (k >= 0)
		return 1;
	return io_error(t, "writev", 0);
}
