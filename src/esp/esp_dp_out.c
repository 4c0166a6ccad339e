/* SPDX-License-Identifier: MIT */
/*
 * Outbound: inner packets read from a TUN become ESP packets to a peer.
 *
 * Per packet: parse (esp_inner_parse) -> the SA (policy TUN: SPD, most
 * specific entry; route-based TUN: the tunnel's newest outbound SA) -> no
 * SA: drop and count, never send in the clear -> steer to the SA's owner
 * worker if that is not us -> MSS clamp -> bandwidth cap -> path MTU
 * check (ICMP back into the TUN) -> esp_encap -> outer header -> queue.
 *
 * The outer header and DF (RFC 4301 8.1): IPv4 peers get a header we
 * write ourselves and send through the worker's IP_HDRINCL socket, so the
 * DF bit is exactly the SA's policy per packet: set, clear, or copied from
 * the inner IPv4 header (inner IPv6 counts as DF: IPv6 is never fragmented
 * on the way). DSCP and ECN are copied from the inner header (RFC 4301
 * 5.1.2.1; RFC 6040 normal mode). An IP_HDRINCL packet is never
 * fragmented by the kernel, so an outer packet above the path MTU that may
 * be fragmented goes through the daemon's UDP socket (or the raw ESP
 * socket), where the kernel fragments it, with DF clear. IPv6 peers always
 * use those sockets; IPv6 has no DF.
 */
#include <string.h>
#include <time.h>

#include "esp/esp_dp_int.h"
#include "esp/inner.h"
#include "esp/mss.h"
#include "lib/buf.h"
#include "lib/err.h"

#define IP4_DF		  0x4000
#define IPPROTO_NUM_ESP	  50
#define UDP_HDR_LEN	  8
#define ICMP4_MAX	  576 /* RFC 1812 4.3.2.3: an ICMP error fits 576 bytes */
#define ICMP4_UNREACH	  3
#define ICMP4_FRAG_NEEDED 4
#define ICMP6_TOO_BIG	  2
#define IP6_MIN_MTU	  1280
#define OUTER_TTL	  64

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One's complement sum (RFC 1071) of p[0..len), continuing from sum. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	struct buf_rd r;
	uint16_t v;
	uint8_t last;

	buf_rd_init(&r, p, len);
	while (buf_get_u16(&r, &v) == 0)
		sum += v;
	if (buf_get_u8(&r, &last) == 0)
		sum += (uint32_t)last << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* DF, and the traffic class byte (DSCP + ECN), of the inner packet. */
static void inner_flags(const struct esp_buf *b, bool *df, uint8_t *tos)
{
	struct buf_rd r;
	uint8_t v = 0;
	uint16_t frag = 0;
	uint32_t first = 0;

	buf_rd_init(&r, esp_buf_data(b), b->len);
	*df = true;
	*tos = 0;
	if (buf_peek_u8(&r, &v) != 0)
		return;
	if (v >> 4 == 4) {
		if (buf_skip(&r, 1) == 0 && buf_get_u8(&r, tos) == 0 && buf_skip(&r, 4) == 0 &&
		    buf_get_u16(&r, &frag) == 0)
			*df = (frag & IP4_DF) != 0;
	} else if (buf_get_u32(&r, &first) == 0) {
		*tos = (uint8_t)(first >> 20);
	}
}

/* ICMP errors are not answered with ICMP errors (RFC 1812 4.3.2.7, RFC 4443 2.4 e). */
static bool is_icmp_error(const struct esp_inner *in)
{
	uint8_t type = (uint8_t)(in->sport >> 8);

	if (!in->ports_ok)
		return in->proto == IPPROTO_NUM_ICMP || in->proto == IPPROTO_NUM_ICMPV6;
	if (in->proto == IPPROTO_NUM_ICMP)
		return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
	return in->proto == IPPROTO_NUM_ICMPV6 && type < 128;
}

/*
 * Answers a packet too big for the tunnel with ICMP fragmentation needed
 * (RFC 792, next-hop MTU of RFC 1191 4) or ICMPv6 packet too big (RFC 4443
 * 3.2), written into the TUN it came from. Its source: our outer address
 * when it has the inner family, else the inner destination.
 */
static void icmp_too_big(struct dp_worker *w, struct dp_tun *t, const struct esp_buf *b,
			 const struct esp_inner *in, const struct esp_sa *sa, unsigned mtu)
{
	bool v4 = in->src.family == AF_INET;
	const struct addr *src = &in->dst;
	size_t hl = v4 ? IP4_HDR_MIN : IP6_HDR_LEN, quote, total;
	struct buf_wr wr;
	uint8_t *p;
	uint32_t sum;
	int e;

	if (w->n_icmp == DP_BATCH || in->nonfirst_frag || is_icmp_error(in))
		return;
	if (sa->dp.src.family == in->src.family && !addr_is_any(&sa->dp.src))
		src = &sa->dp.src;
	p = w->mem + (size_t)DP_BATCH * DP_BUF_SIZE + w->n_icmp * (size_t)DP_ICMP_MAX;
	quote = (v4 ? ICMP4_MAX : IP6_MIN_MTU) - hl - 8;
	if (quote > b->len)
		quote = b->len;
	total = hl + 8 + quote;
	buf_wr_init(&wr, p, DP_ICMP_MAX);
	if (v4)
		e = buf_put_u8(&wr, 0x45) || buf_put_u8(&wr, 0) ||
		    buf_put_u16(&wr, (uint16_t)total) || buf_put_u32(&wr, 0) ||
		    buf_put_u8(&wr, OUTER_TTL) || buf_put_u8(&wr, IPPROTO_NUM_ICMP) ||
		    buf_put_u16(&wr, 0) || buf_put_bytes(&wr, src->b, 4) ||
		    buf_put_bytes(&wr, in->src.b, 4) || buf_put_u8(&wr, ICMP4_UNREACH) ||
		    buf_put_u8(&wr, ICMP4_FRAG_NEEDED) || buf_put_u16(&wr, 0) ||
		    buf_put_u16(&wr, 0) || buf_put_u16(&wr, (uint16_t)mtu);
	else
		e = buf_put_u32(&wr, 0x60000000u) || buf_put_u16(&wr, (uint16_t)(8 + quote)) ||
		    buf_put_u8(&wr, IPPROTO_NUM_ICMPV6) || buf_put_u8(&wr, OUTER_TTL) ||
		    buf_put_bytes(&wr, src->b, 16) || buf_put_bytes(&wr, in->src.b, 16) ||
		    buf_put_u8(&wr, ICMP6_TOO_BIG) || buf_put_u8(&wr, 0) || buf_put_u16(&wr, 0) ||
		    buf_put_u32(&wr, mtu);
	if (e || buf_put_bytes(&wr, esp_buf_data(b), quote) != 0)
		return;
	if (v4) {
		buf_set_u16_at(&wr, 10, csum_fold(csum_add(0, p, hl)));
		sum = csum_add(0, p + hl, 8 + quote);
	} else {
		/* RFC 4443 2.3: the checksum covers the RFC 8200 8.1 pseudo-header. */
		sum = csum_add(0, p + 8, 32) + (uint32_t)(8 + quote) + IPPROTO_NUM_ICMPV6;
		sum = csum_add(sum, p + hl, 8 + quote);
	}
	buf_set_u16_at(&wr, hl + 2, csum_fold(sum));
	w->n_icmp++;
	dp_ctr(&w->st.icmp);
	dp_tun_queue(w, t, p, total);
}

static size_t outer_len(const struct esp_sa *sa)
{
	return (sa->dp.dst.family == AF_INET ? IP4_HDR_MIN : IP6_HDR_LEN) +
	       (sa->dp.encap ? UDP_HDR_LEN : 0);
}

/* The largest inner packet whose ESP packet fits the path MTU (RFC 4303 2.4 padding). */
static unsigned inner_mtu(const struct esp_dp *dp, const struct esp_sa *sa)
{
	size_t fixed = outer_len(sa) + esp_encap_headroom(sa) + sa->icv_len, room;

	if (dp->path_mtu <= fixed + sa->block)
		return 0;
	room = (dp->path_mtu - fixed) / sa->block * sa->block;
	return (unsigned)(room - ESP_TRAILER_LEN);
}

static struct dp_txq *udp_q(struct dp_worker *w, const struct esp_sa *sa, unsigned *idx)
{
	struct dp_txq *q = NULL;

	for (unsigned i = 0; i < w->dp->n_udp; i++)
		if (w->udp[i].family == sa->dp.dst.family) {
			if (!q || w->udp[i].port == sa->dp.sport)
				q = &w->tx_udp[i];
			*idx = i;
		}
	return q;
}

static struct dp_txq *raw_q(struct dp_worker *w, const struct esp_sa *sa)
{
	for (unsigned i = 0; i < w->dp->n_raw; i++)
		if (w->raw[i].family == sa->dp.dst.family)
			return &w->tx_raw[i];
	return NULL;
}

/* Writes the outer IPv4 (+ UDP) header in front of the ESP packet in b. */
static int put_outer4(const struct esp_sa *sa, struct esp_buf *b, bool df, uint8_t tos)
{
	size_t hl = outer_len(sa), total = hl + b->len;
	struct buf_wr wr;
	uint8_t *p;
	int e;

	if (esp_buf_headroom(b) < hl || total > UINT16_MAX)
		return IG_ENOSPC;
	p = esp_buf_data(b) - hl;
	buf_wr_init(&wr, p, hl);
	/* RFC 791 3.1; the kernel fills in the identification and the checksum. */
	if ((e = buf_put_u8(&wr, 0x45)) != 0 || (e = buf_put_u8(&wr, tos)) != 0 ||
	    (e = buf_put_u16(&wr, (uint16_t)total)) != 0 || (e = buf_put_u16(&wr, 0)) != 0 ||
	    (e = buf_put_u16(&wr, df ? IP4_DF : 0)) != 0 || (e = buf_put_u8(&wr, OUTER_TTL)) != 0 ||
	    (e = buf_put_u8(&wr, sa->dp.encap ? IPPROTO_NUM_UDP : IPPROTO_NUM_ESP)) != 0 ||
	    (e = buf_put_u16(&wr, 0)) != 0 || (e = buf_put_bytes(&wr, sa->dp.src.b, 4)) != 0 ||
	    (e = buf_put_bytes(&wr, sa->dp.dst.b, 4)) != 0)
		return e;
	/* RFC 3948 2.1: the UDP checksum of IPv4 ESP in UDP is sent as zero. */
	if (sa->dp.encap && ((e = buf_put_u16(&wr, sa->dp.sport)) != 0 ||
			     (e = buf_put_u16(&wr, sa->dp.dport)) != 0 ||
			     (e = buf_put_u16(&wr, (uint16_t)(UDP_HDR_LEN + b->len))) != 0 ||
			     (e = buf_put_u16(&wr, 0)) != 0))
		return e;
	b->off -= hl;
	b->len = total;
	return 0;
}

static void queue(struct dp_txq *q, const struct esp_sa *sa, const struct esp_buf *b)
{
	struct net_dgram *d = &q->d[q->n++];

	memset(d, 0, sizeof(*d));
	d->dst = sa->dp.dst;
	d->dport = sa->dp.dport;
	d->src = sa->dp.src;
	d->data = esp_buf_data(b);
	d->len = b->len;
}

static void out_one(struct dp_worker *w, struct dp_tun *t, struct esp_buf *b,
		    const struct esp_spd *spd, const struct esp_sad *sad,
		    const struct dp_tunnels *tt, bool steered, uint64_t now)
{
	struct esp_dp *dp = w->dp;
	const struct dp_tunnel_ent *te = NULL;
	struct esp_inner in;
	struct esp_sa *sa;
	struct dp_txq *q;
	unsigned mtu, idx = 0;
	bool df, inner_df, too_big;
	uint32_t id = 0;
	uint8_t tos;
	int e;

	if (esp_inner_parse(esp_buf_data(b), b->len, &in) != 0) {
		dp_ctr(&w->st.malformed);
		return;
	}
	b->len = in.l4_off + in.l4_len; /* what the IP header says, nothing behind it */
	if (t->tunnel_id == 0) {
		if (esp_spd_lookup(spd, &in, &id) != 0) {
			/* RFC 4301 5.1: no policy on the protected interface means discard. */
			dp_ctr(&w->st.no_policy);
			/* The kernel's own IPv6 chatter on the TUN (MLD, router
			 * solicitations: link-local or multicast) is no news. */
			bool chatter = in.dst.family == AF_INET6 &&
				       (in.dst.b[0] == 0xff ||
					(in.src.b[0] == 0xfe && (in.src.b[1] & 0xc0) == 0x80));
			if (!chatter && log_ratelimit_ok(&w->rl, LS_ESP)) {
				char s[ADDR_STRLEN], d[ADDR_STRLEN];

				log_info(LS_ESP, "no policy for %s -> %s proto %u: dropped",
					 addr_format(&in.src, s, sizeof(s)),
					 addr_format(&in.dst, d, sizeof(d)), in.proto);
			}
			return;
		}
	} else if (tt && t->tunnel_id < tt->n) {
		id = tt->e[t->tunnel_id].out_id;
	}
	if (!id || !(sa = esp_sad_lookup_out(sad, id))) {
		dp_ctr(&w->st.no_sa);
		return;
	}
	if (sa->dp.owner != w->id) {
		if (steered || !dp_steer(w, sa->dp.owner, true, t->tunnel_id, NULL, b))
			dp_ctr(&w->st.steer_drops);
		return;
	}
	if (tt && sa->dp.tunnel_id < tt->n)
		te = &tt->e[sa->dp.tunnel_id];
	if (te && te->mss_out)
		esp_mss_clamp(esp_buf_data(b), b->len, te->mss, NULL);
	if (!esp_tbf_take(&w->tbf, (uint32_t)b->len, now)) {
		dp_ctr(&w->st.tbf);
		return;
	}
	inner_flags(b, &inner_df, &tos);
	mtu = inner_mtu(dp, sa);
	too_big = b->len > mtu;
	/* RFC 1191 / RFC 8201: a packet that must not be fragmented learns the tunnel MTU. */
	if (too_big && inner_df && (in.src.family == AF_INET || mtu >= IP6_MIN_MTU)) {
		icmp_too_big(w, t, b, &in, sa, mtu);
		return;
	}
	df = sa->dp.df == ESP_DF_SET ? true : sa->dp.df == ESP_DF_CLEAR ? false : inner_df;
	if ((e = esp_encap(sa, w->id, b)) != 0) {
		/* IG_ERANGE: sequence numbers used up, counted; IKE rekeys (RFC 4303 3.3.3). */
		if (log_ratelimit_ok(&w->rl, LS_ESP))
			log_warn(LS_ESP, "SA %08x: encap: %s: dropped", sa->spi, ig_strerror(e));
		return;
	}
	if (atomic_load_explicit(&sa->dp.last_ms, memory_order_relaxed) != w->now_ms)
		atomic_store_explicit(&sa->dp.last_ms, w->now_ms, memory_order_relaxed);
	if (sa->dp.dst.family == AF_INET && !too_big && w->hdr4_fd >= 0) {
		if (put_outer4(sa, b, df, tos) != 0) {
			dp_ctr(&w->st.tx_errors);
			return;
		}
		q = &w->tx_hdr4;
	} else {
		q = sa->dp.encap ? udp_q(w, sa, &idx) : raw_q(w, sa);
	}
	if (!q) {
		dp_ctr(&w->st.tx_errors);
		return;
	}
	queue(q, sa, b);
}

void dp_out_batch(struct dp_worker *w, struct dp_tun *t, size_t n, bool steered)
{
	struct esp_dp *dp = w->dp;
	const struct esp_spd *spd = esp_spd_current(&dp->spd_out);
	const struct esp_sad *sad = esp_sad_current(&dp->sad);
	const struct dp_tunnels *tt = dp_tunnels_current(dp);
	uint64_t now = mono_ns();

	for (size_t i = 0; i < n; i++)
		out_one(w, t, &w->b[i], spd, sad, tt, steered, now);
}
