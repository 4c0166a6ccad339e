/* SPDX-License-Identifier: MIT */
/*
 * Inbound: datagrams from the peers become inner packets in a TUN.
 *
 * UDP 4500 (RFC 3948): keepalive -> ignored; IKE (non-ESP marker) -> the
 * control thread through ike_handoff_fd; ESP -> as raw ESP. ESP: SPI ->
 * inbound SA (none: drop and count) -> steer to the SA's owner worker if
 * that is not us -> esp_decap (replay check, ICV, decrypt, replay update:
 * RFC 4303 3.4) -> the inner packet must match the CHILD SA's selectors
 * (RFC 4301 5.2 step 4) -> MSS clamp -> the tunnel's TUN (route-based) or
 * the policy TUN.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "esp/esp_dp_int.h"
#include "esp/inner.h"
#include "esp/mss.h"
#include "lib/buf.h"
#include "lib/err.h"
#include "net/natt.h"

/* One SOCK_SEQPACKET message: header and the IKE message (marker stripped). */
static void ike_handoff(struct dp_worker *w, const struct net_dgram *d, const struct buf_rd *pl)
{
	struct esp_dp_ike_hdr h;
	struct iovec iov[2];
	struct msghdr m;
	ssize_t k;

	memset(&h, 0, sizeof(h));
	h.src = d->src;
	h.dst = d->dst;
	h.sport = d->sport;
	h.dport = d->dport;
	h.len = (uint32_t)buf_rd_left(pl);
	iov[0] = (struct iovec){.iov_base = &h, .iov_len = sizeof(h)};
	iov[1] = (struct iovec){.iov_base = (void *)buf_rd_cur(pl), .iov_len = h.len};
	memset(&m, 0, sizeof(m));
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	do {
		k = w->dp->ike_fd >= 0 ? sendmsg(w->dp->ike_fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL)
				       : -1;
	} while (k < 0 && errno == EINTR);
	if (k < 0) {
		dp_ctr(&w->st.ike_drops);
		if (log_ratelimit_ok(&w->rl, LS_ESP))
			log_warn(LS_ESP, "IKE datagram on port %u not handed off: %s", d->dport,
				 w->dp->ike_fd >= 0 ? strerror(errno) : "no handoff socket");
		return;
	}
	dp_ctr(&w->st.ike);
}

static void log_drop(struct dp_worker *w, const struct net_dgram *d, uint32_t spi, const char *why)
{
	char s[ADDR_STRLEN];

	if (log_ratelimit_ok(&w->rl, LS_ESP))
		log_info(LS_ESP, "ESP from %s SPI %08x: %s: dropped",
			 addr_format(&d->src, s, sizeof(s)), spi, why);
}

static void in_one(struct dp_worker *w, enum dp_kind kind, struct esp_buf *b,
		   const struct net_dgram *d, const struct esp_spd *spd, const struct esp_sad *sad,
		   const struct dp_tunnels *tt, bool steered)
{
	struct esp_dp *dp = w->dp;
	const struct dp_tunnel_ent *te = NULL;
	struct esp_inner in;
	struct esp_sa *sa;
	uint32_t spi;
	int e;

	if (!steered && d->flags) {
		dp_ctr(&w->st.malformed);
		return;
	}
	if (kind == DP_SRC_UDP && !steered) {
		struct buf_rd pl;

		switch (natt_demux(esp_buf_data(b), b->len, &pl)) {
		case NATT_KEEPALIVE: return; /* RFC 3948 2.3: only keeps the NAT mapping */
		case NATT_MALFORMED: dp_ctr(&w->st.malformed); return;
		case NATT_IKE: ike_handoff(w, d, &pl); return;
		case NATT_ESP: break;
		}
	}
	if (esp_peek_spi(esp_buf_data(b), b->len, &spi) != 0) {
		dp_ctr(&w->st.malformed);
		return;
	}
	if (!(sa = esp_sad_lookup_in(sad, spi))) {
		/* RFC 4303 3.4.2: no SA, discard (and audit, rate-limited). */
		dp_ctr(&w->st.no_sa);
		log_drop(w, d, spi, "no SA");
		return;
	}
	if (sa->dp.owner != w->id) {
		if (steered || !dp_steer(w, sa->dp.owner, false, 0, d, b))
			dp_ctr(&w->st.steer_drops);
		return;
	}
	if ((e = esp_decap(sa, w->id, b)) != 0) {
		/* Counted per SA by esp_decap (replay, ICV, malformed); a dummy is dropped
		 * silently. */
		if (e < 0 && e != IG_EEXIST)
			log_drop(w, d, spi, ig_strerror(e));
		return;
	}
	if (atomic_load_explicit(&sa->dp.last_ms, memory_order_relaxed) != w->now_ms)
		atomic_store_explicit(&sa->dp.last_ms, w->now_ms, memory_order_relaxed);
	if (esp_inner_parse(esp_buf_data(b), b->len, &in) != 0) {
		dp_ctr(&esp_sa_ctr(sa, w->id)->malformed);
		return;
	}
	if (!esp_spd_inbound_ok(spd, sa->dp.spd_id, &in)) {
		dp_ctr(&esp_sa_ctr(sa, w->id)->policy_drops);
		log_drop(w, d, spi, "inner packet outside the selectors");
		return;
	}
	if (tt && sa->dp.tunnel_id < tt->n)
		te = &tt->e[sa->dp.tunnel_id];
	if (te && te->mss_in)
		esp_mss_clamp(esp_buf_data(b), b->len, te->mss, NULL);
	dp_tun_queue(w, te && te->tun ? te->tun : dp->policy, esp_buf_data(b), b->len);
}

void dp_in_batch(struct dp_worker *w, enum dp_kind kind, size_t n, bool steered)
{
	struct esp_dp *dp = w->dp;
	const struct esp_spd *spd = esp_spd_current(&dp->spd);
	const struct esp_sad *sad = esp_sad_current(&dp->sad);
	const struct dp_tunnels *tt = dp_tunnels_current(dp);

	for (size_t i = 0; i < n; i++)
		in_one(w, kind, &w->b[i], &w->d[i], spd, sad, tt, steered);
}
