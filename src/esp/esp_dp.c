/* SPDX-License-Identifier: MIT */
/*
 * The data path's life cycle and its workers: start/stop, the per-worker
 * epoll loop, TUN queues, steering rings, the published tunnel table,
 * counters. The packet work itself is in esp_dp_out.c and esp_dp_in.c.
 *
 * A worker's loop: wait (RCU offline), then for every ready source read
 * one batch (<= 64) into its preallocated buffers, process it, flush the
 * sends, and announce a quiescent state: between batches it holds no
 * pointer into a published table.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "esp/esp_dp_int.h"
#include "lib/err.h"
#include "lib/privs.h"
#include "net/rtnl.h"

#define RING_SLOTS_TOTAL 256 /* per consumer, split over its producers */
#define BATCHES_PER_WAKE 4   /* batches read from one source before the next */
#define DP_SOCK_BUF	 (4 << 20)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- TUN devices ---- */

static int link_setup(const char *name, unsigned mtu)
{
	struct rtnl h;
	int r;

	if ((r = rtnl_open(&h)) != 0)
		return r;
	if (mtu)
		r = rtnl_link_set_mtu(&h, name, mtu);
	if (r == 0)
		r = rtnl_link_set_txqlen(&h, name, ESP_DP_TUN_TXQLEN);
	if (r == 0)
		r = rtnl_link_set_up(&h, name, true);
	rtnl_close(&h);
	return r;
}

static void tun_free(struct dp_tun *t)
{
	if (!t)
		return;
	for (unsigned i = 0; t->q && i < t->nq; i++)
		tun_close(&t->q[i]);
	free(t->q);
	free(t->tags);
	free(t);
}

static void tun_free_cb(void *p)
{
	tun_free(p);
}

/* Opens name with a queue per worker and adds each queue to its worker's epoll. */
struct dp_tun *dp_tun_open(struct esp_dp *dp, const char *name, uint32_t tunnel_id, unsigned mtu)
{
	struct dp_tun *t = calloc(1, sizeof(*t));
	unsigned i;

	if (!t || !(t->q = calloc(dp->nworkers, sizeof(*t->q))) ||
	    !(t->tags = calloc(dp->nworkers, sizeof(*t->tags))))
		goto out;
	t->tunnel_id = tunnel_id;
	for (i = 0; i < dp->nworkers; i++) {
		/* The first open creates the device ("%d" resolved), the others attach to it. */
		if (tun_open_vnet(&t->q[i], i == 0 ? name : t->name, dp->offload) != 0)
			goto out;
		t->nq++;
		if (i == 0)
			memcpy(t->name, t->q[0].name, IFNAMSIZ);
		t->tags[i] = (struct dp_tag){.kind = DP_SRC_TUN, .tun = t};
	}
	/* Device-wide, after every queue is attached. Refused: the vnet headers stay, all zero. */
	t->offload = dp->offload && tun_set_offload(&t->q[0]) == 0;
	if (link_setup(t->name, mtu) != 0)
		goto out;
	for (i = 0; i < dp->nworkers; i++) {
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &t->tags[i]};

		if (epoll_ctl(dp->w[i].ep, EPOLL_CTL_ADD, t->q[i].fd, &ev) < 0) {
			log_error(LS_ESP, "esp_dp: epoll_ctl add tun %s: %s", t->name,
				  strerror(errno));
			while (i-- > 0)
				epoll_ctl(dp->w[i].ep, EPOLL_CTL_DEL, t->q[i].fd, NULL);
			goto out;
		}
	}
	return t;
out:
	tun_free(t);
	return NULL;
}

/* Takes the queues out of the workers' epolls and frees after a grace period. */
void dp_tun_retire(struct esp_dp *dp, struct dp_tun *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < t->nq; i++)
		epoll_ctl(dp->w[i].ep, EPOLL_CTL_DEL, t->q[i].fd, NULL);
	esp_rcu_defer(&dp->rcu, tun_free_cb, t);
}

/* ---- the published tunnel table ---- */

const struct dp_tunnels *dp_tunnels_current(struct esp_dp *dp)
{
	return atomic_load_explicit(&dp->tunnels, memory_order_acquire);
}

static void free_cb(void *p)
{
	free(p);
}

/* Builds the table from the tunnel settings and the installed SAs and publishes it. */
int dp_tunnels_rebuild(struct esp_dp *dp)
{
	struct dp_tunnels *t, *old;
	uint32_t n = 1;

	for (const struct dp_tunnel_cfg *c = dp->tcfg; c; c = c->next)
		if (c->t.tunnel_id >= n)
			n = c->t.tunnel_id + 1;
	for (const struct dp_child *c = dp->children; c; c = c->next)
		if (c->tunnel_id >= n)
			n = c->tunnel_id + 1;
	if (!(t = calloc(1, sizeof(*t) + n * sizeof(t->e[0]))))
		return IG_ENOMEM;
	t->n = n;
	for (const struct dp_tunnel_cfg *c = dp->tcfg; c; c = c->next) {
		struct dp_tunnel_ent *e = &t->e[c->t.tunnel_id];

		e->cfg = true;
		e->mss_in = c->t.mss_in;
		e->mss_out = c->t.mss_out;
		e->mss = c->t.mss;
		e->tun = c->tun;
	}
	/* Children are newest first: the first one seen is the tunnel's current SA. */
	for (const struct dp_child *c = dp->children; c; c = c->next)
		if (c->tunnel_id && !c->standby && !t->e[c->tunnel_id].out_id)
			t->e[c->tunnel_id].out_id = c->out->id;
	old = atomic_load_explicit(&dp->tunnels, memory_order_relaxed);
	atomic_store_explicit(&dp->tunnels, t, memory_order_release);
	if (old)
		esp_rcu_defer(&dp->rcu, free_cb, old);
	return 0;
}

bool dp_tunnel_routed(const struct esp_dp *dp, uint32_t tunnel_id)
{
	for (const struct dp_tunnel_cfg *c = dp->tcfg; c; c = c->next)
		if (c->t.tunnel_id == tunnel_id)
			return c->tun != NULL;
	return false;
}

static struct dp_tunnel_cfg *tcfg_find(struct esp_dp *dp, uint32_t id, struct dp_tunnel_cfg ***pp)
{
	struct dp_tunnel_cfg **p;

	for (p = &dp->tcfg; *p; p = &(*p)->next)
		if ((*p)->t.tunnel_id == id)
			break;
	if (pp)
		*pp = p;
	return *p;
}

int esp_dp_tunnel_set(struct esp_dp *dp, const struct esp_dp_tunnel *t, char *name)
{
	struct dp_tunnel_cfg *c, **pp;
	struct dp_tun *tun = NULL, *old_tun = NULL;
	bool fresh = false;
	int r;

	if (name)
		name[0] = '\0';
	if (t->tunnel_id == 0 || t->tunnel_id > ESP_DP_MAX_TUNNEL || t->mtu > ESP_DP_MAX_MTU ||
	    ((t->mss_in || t->mss_out) && t->mss == 0)) {
		log_error(LS_ESP, "esp_dp_tunnel_set: tunnel %u: bad id, mtu %u (max %u) or mss %u",
			  t->tunnel_id, t->mtu, ESP_DP_MAX_MTU, t->mss);
		return IG_EINVAL;
	}
	if (!(c = tcfg_find(dp, t->tunnel_id, &pp))) {
		if (!(c = calloc(1, sizeof(*c))))
			return IG_ENOMEM;
		fresh = true;
	}
	/* A new or renamed route-based TUN; an unchanged one is kept (its MTU updated). */
	if (t->ifname && (!c->tun || strcmp(c->ifname, t->ifname) != 0)) {
		if (!(tun = dp_tun_open(dp, t->ifname, t->tunnel_id, t->mtu))) {
			if (fresh)
				free(c);
			return IG_EIO;
		}
		old_tun = c->tun;
	} else if (t->ifname && (r = link_setup(c->tun->name, t->mtu)) != 0) {
		return r;
	} else if (!t->ifname) {
		old_tun = c->tun;
	}
	c->t = *t;
	c->t.ifname = NULL;
	if (t->ifname) {
		snprintf(c->ifname, sizeof(c->ifname), "%s", t->ifname);
		if (tun)
			c->tun = tun;
	} else {
		c->ifname[0] = '\0';
		c->tun = NULL;
	}
	if (fresh) {
		c->next = dp->tcfg;
		dp->tcfg = c;
	}
	if ((r = dp_tunnels_rebuild(dp)) != 0 || (r = dp_spd_rebuild(dp)) != 0)
		return r;
	/* The old TUN is unreachable from the new table: retire it after the swap. */
	dp_tun_retire(dp, old_tun);
	if (name && c->tun)
		memcpy(name, c->tun->name, IFNAMSIZ);
	log_info(LS_ESP, "tunnel %u: %s%s", t->tunnel_id,
		 c->tun ? "route-based on " : "policy-based", c->tun ? c->tun->name : "");
	esp_dp_reclaim(dp);
	return 0;
}

int esp_dp_tunnel_del(struct esp_dp *dp, uint32_t tunnel_id)
{
	struct dp_tunnel_cfg *c, **pp;
	int r;

	if (!(c = tcfg_find(dp, tunnel_id, &pp)))
		return IG_ENOENT;
	*pp = c->next;
	r = dp_tunnels_rebuild(dp);
	if (r == 0)
		r = dp_spd_rebuild(dp);
	dp_tun_retire(dp, c->tun);
	free(c);
	esp_dp_reclaim(dp);
	return r;
}

/* ---- steering ---- */

static struct dp_ring *ring(struct esp_dp *dp, unsigned src, unsigned dst)
{
	return dp->rings[src * dp->nworkers + dst];
}

/*
 * Copies a packet to the ring of its SA's owner and wakes it. The copy
 * costs far less than the cipher, and keeps every buffer with one worker.
 */
bool dp_steer(struct dp_worker *w, unsigned owner, bool out, uint32_t tunnel_id,
	      const struct net_dgram *d, const struct esp_buf *b)
{
	struct dp_ring *r;
	struct dp_slot *s;
	uint32_t head, tail;
	uint64_t one = 1;

	if (!w->dp->rings || owner >= w->dp->nworkers || b->len > ESP_DP_MAX_MTU)
		return false;
	r = ring(w->dp, w->id, owner);
	head = atomic_load_explicit(&r->head, memory_order_relaxed);
	tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	if (head - tail > r->mask) {
		dp_ctr(&w->st.steer_drops);
		return true; /* dropped, but handled */
	}
	s = &r->slot[head & r->mask];
	s->out = out;
	s->tunnel_id = tunnel_id;
	if (d) {
		s->src = d->src;
		s->dst = d->dst;
		s->sport = d->sport;
		s->dport = d->dport;
	}
	s->len = (uint16_t)b->len;
	memcpy(s->data, esp_buf_data(b), b->len);
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	dp_ctr(&w->st.steered);
	if (write(w->dp->w[owner].wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		dp_ctr(&w->st.tx_errors);
	return true;
}

/* Runs what other workers steered to w, one ring at a time. */
static void drain_rings(struct dp_worker *w)
{
	struct esp_dp *dp = w->dp;

	for (unsigned src = 0; dp->rings && src < dp->nworkers; src++) {
		struct dp_ring *r = ring(dp, src, w->id);
		uint32_t tail, head;

		if (!r)
			continue; /* a worker's ring to itself */
		tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
		head = atomic_load_explicit(&r->head, memory_order_acquire);

		while (tail != head) {
			size_t n = 0;
			bool out = r->slot[tail & r->mask].out;
			uint32_t tid = r->slot[tail & r->mask].tunnel_id;

			w->n_icmp = 0;
			/* A run of slots of one kind (and TUN) forms a batch. */
			while (tail != head && n < DP_BATCH) {
				struct dp_slot *s = &r->slot[tail & r->mask];

				if (s->out != out || (out && s->tunnel_id != tid))
					break;
				w->b[n].off = DP_HEADROOM;
				w->b[n].len = s->len;
				memcpy(esp_buf_data(&w->b[n]), s->data, s->len);
				w->d[n].src = s->src;
				w->d[n].dst = s->dst;
				w->d[n].sport = s->sport;
				w->d[n].dport = s->dport;
				n++;
				tail++;
			}
			atomic_store_explicit(&r->tail, tail, memory_order_release);
			if (out) {
				const struct dp_tunnels *tt = dp_tunnels_current(dp);
				struct dp_tun *t = dp->policy;

				if (tid && tt && tid < tt->n && tt->e[tid].tun)
					t = tt->e[tid].tun;
				dp_out_batch(w, t, n, true);
			} else {
				dp_in_batch(w, DP_SRC_RAW, n, true);
			}
			dp_tx_flush(w);
			dp_tun_flush(w);
			esp_rcu_quiescent(&dp->rcu, w->id);
			head = atomic_load_explicit(&r->head, memory_order_acquire);
		}
	}
}

/* ---- output queues ---- */

/* Without offloads: every packet alone, behind a zero vnet header. */
static void coal_none(struct gso_coal *c, size_t n)
{
	c->n = n;
	for (size_t i = 0; i < n; i++) {
		c->head[i] = true;
		c->next[i] = -1;
		c->hlen[i] = 0;
		memset(&c->vh[i], 0, sizeof(c->vh[i]));
	}
}

/*
 * A vnet queue: the batch's TCP segments of one flow merged into super-
 * packets (gso_coalesce), each written with one writev: vnet header, the
 * first packet whole, then the payloads of the others.
 */
static void tun_flush_vnet(struct dp_worker *w, struct tun *q, bool offload)
{
	struct gso_coal *c = &w->coal;
	struct iovec iov[DP_BATCH + 1];
	uint8_t vh[TUN_VNET_HDR_LEN];

	if (offload)
		gso_coalesce(c, w->tun_out, w->n_tun_out);
	else
		coal_none(c, w->n_tun_out);
	for (size_t i = 0; i < c->n; i++) {
		size_t k = 0;

		if (!c->head[i])
			continue;
		tun_vnet_put(vh, &c->vh[i]);
		iov[k++] = (struct iovec){.iov_base = vh, .iov_len = sizeof(vh)};
		iov[k++] = (struct iovec){.iov_base = w->tun_out[i].data,
					  .iov_len = w->tun_out[i].len};
		for (int j = c->next[i]; j >= 0 && k < DP_BATCH + 1; j = c->next[j])
			iov[k++] = (struct iovec){.iov_base = w->tun_out[j].data + c->hlen[j],
						  .iov_len = w->tun_out[j].len - c->hlen[j]};
		/* Refused or a full queue: this packet is dropped, the others go on. */
		if (tun_writev(q, iov, k) != 1)
			dp_ctr(&w->st.tx_errors);
		else if (k > 2)
			dp_ctr(&w->st.gso_written);
	}
}

void dp_tun_flush(struct dp_worker *w)
{
	size_t done = 0;

	if (w->n_tun_out && w->tun_out_dev->q[w->id].vnet) {
		tun_flush_vnet(w, &w->tun_out_dev->q[w->id], w->tun_out_dev->offload);
		done = w->n_tun_out;
	}
	while (done < w->n_tun_out) {
		int k = tun_write_batch(&w->tun_out_dev->q[w->id], w->tun_out + done,
					w->n_tun_out - done);

		if (k <= 0) {
			/* A refused or a full queue: drop this packet, go on with the rest. */
			dp_ctr(&w->st.tx_errors);
			k = 1;
		}
		done += (size_t)k;
	}
	w->n_tun_out = 0;
	w->tun_out_dev = NULL;
}

void dp_tun_queue(struct dp_worker *w, struct dp_tun *t, uint8_t *data, size_t len)
{
	if (w->tun_out_dev != t || w->n_tun_out == DP_BATCH)
		dp_tun_flush(w);
	w->tun_out_dev = t;
	w->tun_out[w->n_tun_out++] = (struct net_pkt){.data = data, .len = len, .cap = len};
}

/* sendmmsg of complete IPv4 packets (IP_HDRINCL); 0 sent when the buffer is full. */
static int hdr4_send(int fd, const struct net_dgram *d, size_t n)
{
	struct mmsghdr mm[DP_BATCH];
	struct iovec iov[DP_BATCH];
	struct sockaddr_storage ss[DP_BATCH];
	int k;

	memset(mm, 0, n * sizeof(mm[0]));
	for (size_t i = 0; i < n; i++) {
		socklen_t sl;

		addr_to_sockaddr(&d[i].dst, 0, &ss[i], &sl);
		iov[i].iov_base = d[i].data;
		iov[i].iov_len = d[i].len;
		mm[i].msg_hdr.msg_name = &ss[i];
		mm[i].msg_hdr.msg_namelen = sl;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	do {
		k = sendmmsg(fd, mm, (unsigned)n, MSG_DONTWAIT);
	} while (k < 0 && errno == EINTR);
	if (k < 0 && (errno == EAGAIN || errno == ENOBUFS))
		return 0;
	return k < 0 ? IG_EIO : k;
}

static void flush_q(struct dp_worker *w, struct dp_txq *q, enum dp_txk kind, unsigned idx)
{
	size_t done = 0;
	int tries = 0;

	while (done < q->n) {
		int k;

		if (kind == DP_TX_HDR4)
			k = hdr4_send(w->hdr4_fd, q->d + done, q->n - done);
		else if (kind == DP_TX_UDP)
			k = udp_send_batch(&w->udp[idx], q->d + done, q->n - done);
		else
			k = esp_raw_send_batch(&w->raw[idx], q->d + done, q->n - done);
		if (k == 0 && ++tries < 3)
			continue; /* socket buffer full: try again briefly, then drop */
		if (k <= 0) {
			if (k < 0 && log_ratelimit_ok(&w->rl, LS_ESP))
				log_warn(LS_ESP, "esp_dp: worker %u: send: %s", w->id,
					 strerror(errno));
			dp_ctr(&w->st.tx_errors);
			k = 1;
		}
		done += (size_t)k;
	}
	q->n = 0;
}

void dp_tx_flush(struct dp_worker *w)
{
	if (w->tx_hdr4.n)
		flush_q(w, &w->tx_hdr4, DP_TX_HDR4, 0);
	for (unsigned i = 0; i < w->dp->n_udp; i++)
		if (w->tx_udp[i].n)
			flush_q(w, &w->tx_udp[i], DP_TX_UDP, i);
	for (unsigned i = 0; i < w->dp->n_raw; i++)
		if (w->tx_raw[i].n)
			flush_q(w, &w->tx_raw[i], DP_TX_RAW, i);
}

/* ---- the worker loop ---- */

static void reset_bufs(struct dp_worker *w)
{
	for (size_t i = 0; i < DP_BATCH; i++) {
		w->b[i].base = w->mem + i * DP_BUF_SIZE;
		w->b[i].cap = DP_BUF_SIZE;
		w->b[i].off = DP_HEADROOM;
		w->b[i].len = 0;
	}
	w->n_icmp = 0;
}

static void run_out_batch(struct dp_worker *w, struct dp_tun *t, size_t n)
{
	dp_out_batch(w, t, n, false);
	dp_tx_flush(w);
	dp_tun_flush(w);
	esp_rcu_quiescent(&w->dp->rcu, w->id);
}

/*
 * Cuts what w->seg has left into w->b[*n..DP_BATCH). A segment that does
 * not fit a buffer (gso_size above the TUN MTU) is dropped as malformed.
 */
static void cut(struct dp_worker *w, size_t *n)
{
	while (*n < DP_BATCH) {
		size_t len = 0;
		int e = gso_seg_next(&w->seg, esp_buf_data(&w->b[*n]), ESP_DP_MAX_MTU, &len);

		if (e == IG_ENOENT) {
			w->seg_busy = false;
			return;
		}
		if (e == 0)
			w->b[(*n)++].len = len;
		else
			dp_ctr(&w->st.malformed);
	}
}

/*
 * A vnet queue (offloads): one read() per packet or TCP super-packet into
 * w->gso_rx, cut into segments (gso_seg.c) that fill the batch buffers; a
 * super-packet may span batches. Batches go on as before: many segments,
 * one sendmmsg.
 */
static void read_tun_vnet(struct dp_worker *w, struct dp_tun *t)
{
	struct tun *q = &t->q[w->id];
	bool more = true;

	for (int round = 0; round < BATCHES_PER_WAKE || w->seg_busy; round++) {
		size_t n = 0;

		reset_bufs(w);
		while (n < DP_BATCH && (w->seg_busy || more)) {
			struct net_pkt p = {.data = w->gso_rx,
					    .cap = TUN_VNET_HDR_LEN + GSO_MAX_PKT};
			struct tun_vnet_hdr vh;

			if (!w->seg_busy) {
				if (tun_read_batch(q, &p, 1) != 1) {
					more = false;
					break;
				}
				if (tun_vnet_parse(p.data, p.len, &vh) != 0 ||
				    gso_seg_init(&w->seg, &vh, p.data + TUN_VNET_HDR_LEN,
						 p.len - TUN_VNET_HDR_LEN) != 0) {
					dp_ctr(&w->st.malformed);
					continue;
				}
				w->seg_busy = true;
				if (w->seg.tcp)
					dp_ctr(&w->st.gso_read);
			}
			cut(w, &n);
		}
		if (n)
			run_out_batch(w, t, n);
		if (!more && !w->seg_busy)
			return;
	}
}

static void read_tun(struct dp_worker *w, struct dp_tun *t)
{
	struct net_pkt p[DP_BATCH];
	int k;

	if (t->q[w->id].vnet) {
		read_tun_vnet(w, t);
		return;
	}
	for (int round = 0; round < BATCHES_PER_WAKE; round++) {
		reset_bufs(w);
		for (size_t i = 0; i < DP_BATCH; i++)
			p[i] = (struct net_pkt){.data = esp_buf_data(&w->b[i]),
						.cap = ESP_DP_MAX_MTU};
		if ((k = tun_read_batch(&t->q[w->id], p, DP_BATCH)) <= 0)
			return;
		for (int i = 0; i < k; i++)
			w->b[i].len = p[i].len;
		dp_out_batch(w, t, (size_t)k, false);
		dp_tx_flush(w);
		dp_tun_flush(w);
		esp_rcu_quiescent(&w->dp->rcu, w->id);
		if (k < DP_BATCH)
			return;
	}
}

static void read_sock(struct dp_worker *w, enum dp_kind kind, unsigned idx)
{
	int k;

	for (int round = 0; round < BATCHES_PER_WAKE; round++) {
		reset_bufs(w);
		for (size_t i = 0; i < DP_BATCH; i++) {
			w->d[i].data = esp_buf_data(&w->b[i]);
			w->d[i].cap = ESP_DP_MAX_MTU + DP_TAILROOM;
		}
		if (kind == DP_SRC_UDP)
			k = udp_recv_batch(&w->udp[idx], w->d, DP_BATCH);
		else
			k = esp_raw_recv_batch(&w->raw[idx], w->d, DP_BATCH);
		if (k <= 0)
			return;
		for (int i = 0; i < k; i++) {
			w->b[i].off += w->d[i].off;
			w->b[i].len = w->d[i].len - w->d[i].off;
		}
		dp_in_batch(w, kind, (size_t)k, false);
		dp_tx_flush(w);
		dp_tun_flush(w);
		esp_rcu_quiescent(&w->dp->rcu, w->id);
		if (k < DP_BATCH)
			return;
	}
}

static void *worker_main(void *arg)
{
	struct dp_worker *w = arg;
	struct esp_dp *dp = w->dp;
	struct epoll_event ev[DP_EVENTS];

	/* A worker only moves packets on descriptors it was given: no capability. */
	if (privs_drop_thread() != 0)
		log_warn(LS_ESP, "esp_dp: worker %u: cannot drop capabilities", w->id);
	esp_rcu_online(&dp->rcu, w->id);
	while (!atomic_load_explicit(&dp->stop, memory_order_acquire)) {
		int n;

		esp_rcu_offline(&dp->rcu, w->id);
		n = epoll_wait(w->ep, ev, DP_EVENTS, -1);
		esp_rcu_online(&dp->rcu, w->id);
		if (n < 0 && errno != EINTR) {
			log_error(LS_ESP, "esp_dp: worker %u: epoll_wait: %s", w->id,
				  strerror(errno));
			break;
		}
		w->now_ms = now_ns() / 1000000;
		/* Steered packets first: they were read before what is waiting now. */
		drain_rings(w);
		for (int i = 0; i < n; i++) {
			struct dp_tag *t = ev[i].data.ptr;
			uint64_t v;

			switch (t->kind) {
			case DP_SRC_TUN: read_tun(w, t->tun); break;
			case DP_SRC_UDP:
			case DP_SRC_RAW: read_sock(w, t->kind, t->idx); break;
			case DP_SRC_WAKE:
				if (read(w->wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
					dp_ctr(&w->st.tx_errors);
				break;
			}
		}
		drain_rings(w);
		esp_rcu_quiescent(&dp->rcu, w->id);
	}
	esp_rcu_offline(&dp->rcu, w->id);
	return NULL;
}

/*
 * Room for bursts: a batch of 64 full-size datagrams is ~180 KB of kernel
 * memory, about the default buffer. FORCE needs CAP_NET_ADMIN, which the
 * daemon keeps; without it the plain option (capped by rmem_max) is used.
 */
static void grow_buffers(int fd)
{
	int sz = DP_SOCK_BUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
}

/*
 * The UDP and raw ESP sockets are in every worker's epoll: EPOLLEXCLUSIVE
 * wakes one (or a few) of the idle workers per datagram instead of all.
 */
static int ep_add(struct dp_worker *w, int fd, struct dp_tag *tag)
{
	struct epoll_event ev = {
		.events = EPOLLIN | (tag->kind == DP_SRC_WAKE ? 0u : (uint32_t)EPOLLEXCLUSIVE),
		.data.ptr = tag};

	if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		log_error(LS_ESP, "esp_dp: worker %u: epoll_ctl add fd %d: %s", w->id, fd,
			  strerror(errno));
		return IG_EIO;
	}
	return 0;
}

static int worker_init(struct esp_dp *dp, struct dp_worker *w, unsigned id, uint64_t bw)
{
	int r, one = 1;

	w->dp = dp;
	w->id = id;
	w->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(10, 5);
	w->ep = epoll_create1(EPOLL_CLOEXEC);
	w->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	/* IPPROTO_RAW implies IP_HDRINCL: we write the outer IPv4 header, DF included. */
	w->hdr4_fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_RAW);
	if (w->ep < 0 || w->wake_fd < 0 || w->hdr4_fd < 0) {
		log_error(LS_ESP, "esp_dp: worker %u: epoll/eventfd/raw socket: %s", id,
			  strerror(errno));
		return IG_EIO;
	}
	setsockopt(w->hdr4_fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));
	grow_buffers(w->hdr4_fd);
	if (!(w->mem = aligned_alloc(64, (size_t)DP_BATCH * (DP_BUF_SIZE + DP_ICMP_MAX))))
		return IG_ENOMEM;
	/* One super-packet at a time: read, cut into w->b, read the next. */
	if (dp->offload && !(w->gso_rx = malloc(TUN_VNET_HDR_LEN + GSO_MAX_PKT)))
		return IG_ENOMEM;
	reset_bufs(w);
	if ((r = esp_tbf_init(&w->tbf, esp_tbf_split(bw, dp->nworkers, id), now_ns())) != 0)
		return r;
	w->wake_tag.kind = DP_SRC_WAKE;
	if ((r = ep_add(w, w->wake_fd, &w->wake_tag)) != 0)
		return r;
	for (unsigned i = 0; i < dp->n_udp; i++) {
		w->udp[i] = dp->udp[i];
		w->udp_tag[i] = (struct dp_tag){.kind = DP_SRC_UDP, .idx = i};
		if ((r = ep_add(w, w->udp[i].fd, &w->udp_tag[i])) != 0)
			return r;
	}
	for (unsigned i = 0; i < dp->n_raw; i++) {
		w->raw[i] = dp->raw[i];
		w->raw_tag[i] = (struct dp_tag){.kind = DP_SRC_RAW, .idx = i};
		if ((r = ep_add(w, w->raw[i].fd, &w->raw_tag[i])) != 0)
			return r;
	}
	return 0;
}

/* The daemon's socket as a struct udp_sock (family and port from the kernel). */
static int adopt_udp(struct udp_sock *s, int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(10, 5);
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) < 0 ||
	    addr_from_sockaddr(&s->local, &s->port, (struct sockaddr *)&ss, sl) != 0) {
		log_error(LS_ESP, "esp_dp_new: udp fd %d is not a bound UDP socket", fd);
		return IG_EINVAL;
	}
	s->family = ss.ss_family;
	s->local.family = (uint8_t)ss.ss_family;
	grow_buffers(fd);
	return 0;
}

static int open_raw(struct esp_dp *dp, const struct addr *local)
{
	static const struct addr any4 = {.family = AF_INET}, any6 = {.family = AF_INET6};
	const struct addr *a[2] = {local, NULL};
	int r;

	if (local->family == 0) {
		a[0] = &any4;
		a[1] = &any6;
	}
	for (int i = 0; i < 2 && a[i]; i++) {
		if ((r = esp_raw_open(&dp->raw[dp->n_raw], a[i])) != 0) {
			if (a[i] == &any6 && errno == EAFNOSUPPORT)
				break;
			return r;
		}
		grow_buffers(dp->raw[dp->n_raw].fd);
		dp->n_raw++;
	}
	return 0;
}

static int rings_new(struct esp_dp *dp)
{
	unsigned n = dp->nworkers, slots = 16;

	if (n == 1)
		return 0;
	while (slots * 2 * (n - 1) <= RING_SLOTS_TOTAL)
		slots *= 2;
	if (!(dp->rings = calloc((size_t)n * n, sizeof(*dp->rings))))
		return IG_ENOMEM;
	for (unsigned i = 0; i < n * n; i++) {
		if (i / n == i % n)
			continue; /* a worker never steers to itself */
		dp->rings[i] = calloc(1, sizeof(struct dp_ring) + slots * sizeof(struct dp_slot));
		if (!dp->rings[i])
			return IG_ENOMEM;
		dp->rings[i]->mask = slots - 1;
	}
	return 0;
}

/* The params decide; when they leave it open, IPSECGW_TUN_OFFLOAD=0 turns offloads off. */
static bool offload_wanted(int param)
{
	const char *env = getenv("IPSECGW_TUN_OFFLOAD");

	if (param)
		return param > 0;
	return !(env && strcmp(env, "0") == 0);
}

int esp_dp_new(struct esp_dp **out, const struct esp_dp_params *p)
{
	struct esp_dp *dp;
	unsigned n = p->nworkers ? p->nworkers : 1;
	char tname[16];
	int r = IG_ENOMEM;

	*out = NULL;
	if (n > ESP_DP_MAX_WORKERS || p->n_udp > ESP_DP_MAX_UDP || p->policy_mtu > ESP_DP_MAX_MTU ||
	    (p->path_mtu && p->path_mtu < 576)) {
		log_error(LS_ESP,
			  "esp_dp_new: %u workers (max %u), %zu UDP sockets (max %u), "
			  "policy MTU %u (max %u) or path MTU %u (min 576)",
			  n, ESP_DP_MAX_WORKERS, p->n_udp, ESP_DP_MAX_UDP, p->policy_mtu,
			  ESP_DP_MAX_MTU, p->path_mtu);
		return IG_EINVAL;
	}
	if (!(dp = calloc(1, sizeof(*dp))))
		return IG_ENOMEM;
	dp->nworkers = n;
	dp->path_mtu = p->path_mtu ? p->path_mtu : 1500;
	dp->ike_fd = p->ike_handoff_fd;
	dp->next_id = 1;
	dp->offload = offload_wanted(p->tun_offload);
	atomic_init(&dp->stop, false);
	atomic_init(&dp->tunnels, NULL);
	esp_sad_pub_init(&dp->sad);
	esp_spd_pub_init(&dp->spd);
	esp_spd_pub_init(&dp->spd_out);
	for (size_t i = 0; i < 2; i++)
		dp->raw[i].fd = -1;
	if ((r = esp_rcu_init(&dp->rcu, n)) != 0 || !(dp->w = calloc(n, sizeof(*dp->w))))
		goto out;
	for (unsigned i = 0; i < n; i++)
		dp->w[i].ep = dp->w[i].wake_fd = dp->w[i].hdr4_fd = -1;
	for (size_t i = 0; i < p->n_udp; i++) {
		if ((r = adopt_udp(&dp->udp[i], p->udp_fd[i])) != 0)
			goto out;
		dp->n_udp++;
	}
	if (p->raw_esp && (r = open_raw(dp, &p->raw_local)) != 0)
		goto out;
	if ((r = rings_new(dp)) != 0)
		goto out;
	for (unsigned i = 0; i < n; i++)
		if ((r = worker_init(dp, &dp->w[i], i, p->bandwidth_bps)) != 0)
			goto out;
	r = IG_EIO;
	if (!(dp->policy = dp_tun_open(dp, p->policy_tun ? p->policy_tun : ESP_DP_POLICY_TUN, 0,
				       p->policy_mtu)))
		goto out;
	if ((r = dp_tunnels_rebuild(dp)) != 0)
		goto out;
	for (unsigned i = 0; i < n; i++) {
		if (pthread_create(&dp->w[i].th, NULL, worker_main, &dp->w[i]) != 0) {
			log_error(LS_ESP, "esp_dp_new: pthread_create worker %u failed", i);
			r = IG_EIO;
			goto out;
		}
		dp->w[i].started = true;
		snprintf(tname, sizeof(tname), "ipsecgw-dp%u", i);
		pthread_setname_np(dp->w[i].th, tname); /* for top -H, perf and gdb */
	}
	log_info(LS_ESP,
		 "data path: %u worker(s), policy TUN %s (offloads %s), %zu UDP and %zu raw ESP "
		 "socket(s)",
		 n, dp->policy->name,
		 dp->policy->offload ? "on"
		 : dp->offload	     ? "refused by the kernel"
				     : "off",
		 dp->n_udp, dp->n_raw);
	*out = dp;
	return 0;
out:
	esp_dp_free(dp);
	return r;
}

static void child_free(struct dp_child *c)
{
	esp_sa_free(c->in);
	esp_sa_free(c->out);
	free(c->local);
	free(c->remote);
	free(c);
}

void esp_dp_free(struct esp_dp *dp)
{
	uint64_t one = 1;

	if (!dp)
		return;
	atomic_store_explicit(&dp->stop, true, memory_order_release);
	for (unsigned i = 0; dp->w && i < dp->nworkers; i++)
		if (dp->w[i].started && write(dp->w[i].wake_fd, &one, sizeof(one)) < 0)
			log_warn(LS_ESP, "esp_dp_free: wake worker %u: %s", i, strerror(errno));
	for (unsigned i = 0; dp->w && i < dp->nworkers; i++)
		if (dp->w[i].started)
			pthread_join(dp->w[i].th, NULL);
	/* The workers are gone: every deferred free can run now. */
	esp_rcu_destroy(&dp->rcu);
	while (dp->children) {
		struct dp_child *c = dp->children;

		dp->children = c->next;
		child_free(c);
	}
	while (dp->tcfg) {
		struct dp_tunnel_cfg *c = dp->tcfg;

		dp->tcfg = c->next;
		tun_free(c->tun);
		free(c);
	}
	esp_sad_free(atomic_load(&dp->sad.cur));
	esp_spd_free(atomic_load(&dp->spd.cur));
	esp_spd_free(atomic_load(&dp->spd_out.cur));
	free(atomic_load(&dp->tunnels));
	tun_free(dp->policy);
	for (size_t i = 0; i < dp->n_raw; i++)
		esp_raw_close(&dp->raw[i]);
	for (unsigned i = 0; dp->w && i < dp->nworkers; i++) {
		struct dp_worker *w = &dp->w[i];

		if (w->ep >= 0)
			close(w->ep);
		if (w->wake_fd >= 0)
			close(w->wake_fd);
		if (w->hdr4_fd >= 0)
			close(w->hdr4_fd);
		free(w->mem);
		free(w->gso_rx);
	}
	if (dp->rings)
		for (unsigned i = 0; i < dp->nworkers * dp->nworkers; i++)
			free(dp->rings[i]);
	free(dp->rings);
	free(dp->w);
	free(dp);
}

unsigned esp_dp_reclaim(struct esp_dp *dp)
{
	return esp_rcu_reclaim(&dp->rcu);
}

unsigned esp_dp_nworkers(const struct esp_dp *dp)
{
	return dp->nworkers;
}

static uint64_t ld(const _Atomic uint64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

void esp_dp_stats(struct esp_dp *dp, struct esp_dp_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (unsigned i = 0; i < dp->nworkers; i++) {
		const struct dp_wstats *s = &dp->w[i].st;

		st->no_sa_drops += ld(&s->no_sa);
		st->no_policy_drops += ld(&s->no_policy);
		st->malformed += ld(&s->malformed);
		st->tbf_drops += ld(&s->tbf);
		st->icmp_frag_needed += ld(&s->icmp);
		st->ike_handed_off += ld(&s->ike);
		st->ike_drops += ld(&s->ike_drops);
		st->tx_errors += ld(&s->tx_errors);
		st->steered += ld(&s->steered);
		st->steer_drops += ld(&s->steer_drops);
		st->gso_read += ld(&s->gso_read);
		st->gso_written += ld(&s->gso_written);
	}
}
