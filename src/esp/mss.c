/* SPDX-License-Identifier: MIT */
#include "esp/mss.h"

#include "esp/inner.h"
#include "lib/buf.h"
#include "lib/err.h"

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), in one's complement arithmetic.
 * Unlike eqn. 2 it never produces 0xffff (-0) from a non-zero sum.
 */
static uint16_t csum_replace(uint16_t hc, uint16_t old, uint16_t new)
{
	uint32_t s = (uint32_t)(uint16_t)~hc + (uint16_t)~old + new;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * Walks the options (RFC 9293 3.2): every option but EOL and NOP has a
 * length octet >= 2 that must stay inside the header; MSS is exactly 4
 * long and appears at most once. On success *mss_off is the offset of the
 * MSS value from the start of the TCP header, or 0 if there is none.
 */
static int find_mss(struct buf_rd *opts, size_t *mss_off, uint16_t *val)
{
	uint8_t kind, olen;
	int e;

	*mss_off = 0;
	while (buf_rd_left(opts) > 0) {
		if ((e = buf_get_u8(opts, &kind)) != 0)
			return e;
		if (kind == TCP_OPT_EOL)
			break;
		if (kind == TCP_OPT_NOP)
			continue;
		if ((e = buf_get_u8(opts, &olen)) != 0)
			return e;
		if (olen < 2)
			return IG_EINVAL;
		if (kind == TCP_OPT_MSS) {
			if (olen != TCP_OPT_MSS_LEN || *mss_off)
				return IG_EINVAL;
			*mss_off = TCP_HDR_MIN + buf_rd_pos(opts);
			if ((e = buf_get_u16(opts, val)) != 0)
				return e;
			continue;
		}
		if ((e = buf_skip(opts, (size_t)olen - 2)) != 0)
			return e;
	}
	return 0;
}

static int clamp(uint8_t *pkt, size_t len, uint16_t mss)
{
	struct esp_inner in;
	struct buf_rd t, opts;
	uint16_t sport, dport, win, csum, urg, val = 0;
	uint32_t seq, ack;
	uint8_t doff, flags, *tcp;
	size_t hl, off, w;
	int e;

	e = esp_inner_parse(pkt, len, &in);
	if (e == IG_ENOTSUP)
		return ESP_MSS_UNCHANGED;
	if (e)
		return e;
	if (in.proto != IPPROTO_NUM_TCP || in.nonfirst_frag)
		return ESP_MSS_UNCHANGED;
	t = in.l4;
	if ((e = buf_get_u16(&t, &sport)) != 0 || (e = buf_get_u16(&t, &dport)) != 0 ||
	    (e = buf_get_u32(&t, &seq)) != 0 || (e = buf_get_u32(&t, &ack)) != 0 ||
	    (e = buf_get_u8(&t, &doff)) != 0 || (e = buf_get_u8(&t, &flags)) != 0 ||
	    (e = buf_get_u16(&t, &win)) != 0 || (e = buf_get_u16(&t, &csum)) != 0 ||
	    (e = buf_get_u16(&t, &urg)) != 0)
		return in.fragment ? ESP_MSS_UNCHANGED : e;
	if (!(flags & TCP_FLAG_SYN))
		return ESP_MSS_UNCHANGED;
	hl = (size_t)(doff >> 4) * 4;
	if (hl < TCP_HDR_MIN)
		return IG_EINVAL;
	if ((e = buf_get_sub(&t, &opts, hl - TCP_HDR_MIN)) != 0 ||
	    (e = find_mss(&opts, &off, &val)) != 0)
		return e;
	if (!off || val <= mss)
		return ESP_MSS_UNCHANGED;

	/*
	 * Every offset below was validated: the MSS value lies in the options,
	 * and so do the 16-bit words of the checksum that cover it (an odd
	 * offset straddles two words; both end inside the header because the
	 * header length is a multiple of 4).
	 */
	tcp = pkt + in.l4_off;
	for (w = off & ~(size_t)1; w < off + 2; w += 2) {
		uint16_t before = get16(tcp + w);

		if (w < off) /* [x, hi] */
			tcp[w + 1] = (uint8_t)(mss >> 8);
		else if (off & 1) /* [lo, y] */
			tcp[w] = (uint8_t)mss;
		else
			put16(tcp + w, mss);
		csum = csum_replace(csum, before, get16(tcp + w));
	}
	put16(tcp + TCP_OFF_CSUM, csum);
	return ESP_MSS_CLAMPED;
}

int esp_mss_clamp(uint8_t *pkt, size_t len, uint16_t mss, struct esp_mss_counters *c)
{
	int r = clamp(pkt, len, mss);

	if (c) {
		if (r == ESP_MSS_CLAMPED)
			c->clamped++;
		else if (r < 0)
			c->malformed++;
	}
	return r;
}
