/* SPDX-License-Identifier: MIT */
#include "ike/ike_tsel.h"

#include <stdio.h>
#include <string.h>

#include "ike/ikev2_wire.h"
#include "lib/err.h"

static void ts_from_cidr(const struct cidr *c, struct ike_ts *t)
{
	memset(t, 0, sizeof(*t));
	t->type = c->a.family == AF_INET ? IKEV2_TS_IPV4_ADDR_RANGE : IKEV2_TS_IPV6_ADDR_RANGE;
	t->proto = 0;
	t->start_port = 0;
	t->end_port = 65535;
	cidr_range(c, &t->start, &t->end);
}

int ike_tsel_from_cidrs(const struct cidr *c, size_t n, struct ike_ts_pl *out)
{
	memset(out, 0, sizeof(*out));
	if (n > IKE_MAX_TS)
		return IG_ENOSPC;
	for (size_t i = 0; i < n; i++)
		ts_from_cidr(&c[i], &out->ts[out->count++]);
	return 0;
}

void ike_tsel_any(struct ike_ts_pl *out)
{
	struct cidr v4 = { .a = { .family = AF_INET }, .plen = 0 };
	struct cidr v6 = { .a = { .family = AF_INET6 }, .plen = 0 };

	memset(out, 0, sizeof(*out));
	ts_from_cidr(&v4, &out->ts[out->count++]);
	ts_from_cidr(&v6, &out->ts[out->count++]);
}

static const struct addr *amax(const struct addr *a, const struct addr *b)
{
	return addr_cmp(a, b) >= 0 ? a : b;
}

static const struct addr *amin(const struct addr *a, const struct addr *b)
{
	return addr_cmp(a, b) <= 0 ? a : b;
}

int ike_tsel_narrow(const struct ike_ts_pl *peer, const struct cidr *ours, size_t n,
		    struct ike_ts_pl *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < peer->count; i++) {
		const struct ike_ts *p = &peer->ts[i];

		for (size_t k = 0; k < n; k++) {
			struct ike_ts mine, x;

			ts_from_cidr(&ours[k], &mine);
			if (mine.type != p->type)
				continue;
			x = *p;
			x.start = *amax(&p->start, &mine.start);
			x.end = *amin(&p->end, &mine.end);
			if (addr_cmp(&x.start, &x.end) > 0)
				continue;
			/* Skip exact duplicates (a peer listing overlapping subnets). */
			bool dup = false;
			for (size_t d = 0; d < out->count; d++)
				dup |= memcmp(&out->ts[d], &x, sizeof(x)) == 0;
			if (dup)
				continue;
			if (out->count >= IKE_MAX_TS)
				return IG_ENOSPC;
			out->ts[out->count++] = x;
		}
	}
	return out->count ? 0 : IG_ENOENT;
}

static bool ts_within(const struct ike_ts *in, const struct ike_ts *out)
{
	if (in->type != out->type)
		return false;
	if (out->proto && in->proto != out->proto)
		return false;
	if (in->start_port < out->start_port || in->end_port > out->end_port)
		return false;
	return addr_cmp(&in->start, &out->start) >= 0 && addr_cmp(&in->end, &out->end) <= 0;
}

bool ike_tsel_within(const struct ike_ts_pl *got, const struct ike_ts_pl *offered)
{
	if (got->count == 0)
		return false;
	for (size_t i = 0; i < got->count; i++) {
		bool ok = false;

		for (size_t k = 0; k < offered->count && !ok; k++)
			ok = ts_within(&got->ts[i], &offered->ts[k]);
		if (!ok)
			return false;
	}
	return true;
}

const char *ike_ts_format(const struct ike_ts *t, char *out, size_t outlen)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], c[CIDR_STRLEN];
	struct cidr net;
	int w;

	if (cidr_from_range(&t->start, &t->end, &net) == 0)
		w = snprintf(out, outlen, "%s", cidr_format(&net, c, sizeof(c)));
	else
		w = snprintf(out, outlen, "%s-%s", addr_format(&t->start, a, sizeof(a)),
			     addr_format(&t->end, b, sizeof(b)));
	if (w > 0 && (size_t)w < outlen && (t->proto || t->start_port != 0 || t->end_port != 65535)) {
		if (t->start_port == t->end_port)
			snprintf(out + w, outlen - (size_t)w, "[%u/%u]", t->proto, t->start_port);
		else if (t->start_port == 0 && t->end_port == 65535)
			snprintf(out + w, outlen - (size_t)w, "[%u]", t->proto);
		else
			snprintf(out + w, outlen - (size_t)w, "[%u/%u-%u]", t->proto, t->start_port,
				 t->end_port);
	}
	return out;
}

const char *ike_tsel_format(const struct ike_ts_pl *ts, char *out, size_t outlen)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ts->count && len + 1 < outlen; i++) {
		char one[2 * ADDR_STRLEN + 24];
		int w = snprintf(out + len, outlen - len, "%s%s", i ? " " : "",
				 ike_ts_format(&ts->ts[i], one, sizeof(one)));

		if (w < 0)
			break;
		len += (size_t)w;
	}
	return out;
}
