/* SPDX-License-Identifier: MIT */
/*
 * Anti-replay window, RFC 6479: the bitmap is a ring of 64-bit blocks and
 * sequence number s always lives at bit s % 64 of block (s / 64) % nblocks,
 * so accepting a new top never shifts bits: it only zeroes the blocks the
 * window slides into. The ring holds one block more than the window needs
 * (RFC 6479 section 2: the redundant block lets the window slide by whole
 * blocks while every in-window bit stays valid) and is rounded up to a
 * power of two blocks so the ring index is a mask. The window check itself
 * uses the configured size exactly, so an operator's `replay-window: 1024`
 * accepts exactly the 1024 most recent sequence numbers.
 */
#include "esp/replay.h"

#include <stdlib.h>

#include "lib/err.h"

struct esp_replay {
	uint64_t top;	  /* highest full sequence number accepted; 0 = none */
	unsigned window;  /* packets; 0 = anti-replay off */
	unsigned nblocks; /* power of two; 0 when off */
	bool esn;
	uint64_t bitmap[]; /* nblocks blocks */
};

static unsigned ring_blocks(unsigned window)
{
	unsigned need, n = 1;

	if (window == 0)
		return 0;
	need = (window + 63) / 64 + 1;
	while (n < need)
		n <<= 1;
	return n;
}

int esp_replay_new(struct esp_replay **out, unsigned window, bool esn)
{
	struct esp_replay *r;
	unsigned nb;

	*out = NULL;
	if (window > ESP_REPLAY_MAX_WINDOW)
		return IG_ERANGE;
	nb = ring_blocks(window);
	r = calloc(1, sizeof(*r) + (size_t)nb * sizeof(r->bitmap[0]));
	if (!r)
		return IG_ENOMEM;
	r->window = window;
	r->nblocks = nb;
	r->esn = esn;
	*out = r;
	return 0;
}

void esp_replay_free(struct esp_replay *r)
{
	free(r);
}

unsigned esp_replay_window(const struct esp_replay *r)
{
	return r->window;
}
unsigned esp_replay_blocks(const struct esp_replay *r)
{
	return r->nblocks;
}
bool esp_replay_esn(const struct esp_replay *r)
{
	return r->esn;
}
uint64_t esp_replay_top(const struct esp_replay *r)
{
	return r->top;
}

/*
 * RFC 4303 A2.2: pick Seqh so that Seqh|Seql falls in (or right of) the
 * window. T = top, W = window. With anti-replay off there is no window,
 * so we pick the candidate nearest to T (a window of half the space).
 */
static int infer_seqh(const struct esp_replay *r, uint32_t seql, uint32_t *seqh)
{
	uint32_t tl = (uint32_t)r->top, th = (uint32_t)(r->top >> 32);
	uint32_t w = r->window ? r->window : UINT32_C(1) << 31;
	uint32_t bottom = tl - w + 1; /* Tl - W + 1 (mod 2^32) */

	if (tl >= w - 1) {
		/* Case A: the window lies in one subspace. */
		if (seql >= bottom) {
			*seqh = th;
		} else {
			if (th == UINT32_MAX)
				return IG_EINVAL;
			*seqh = th + 1;
		}
	} else {
		/* Case B: the window spans the end of the previous subspace. */
		if (seql >= bottom) {
			if (th == 0)
				return IG_EINVAL;
			*seqh = th - 1;
		} else {
			*seqh = th;
		}
	}
	return 0;
}

static size_t slot(const struct esp_replay *r, uint64_t seq)
{
	return (size_t)((seq >> 6) & (r->nblocks - 1));
}

static int check_full(const struct esp_replay *r, uint64_t seq)
{
	if (seq == 0)
		return IG_EINVAL;
	if (r->window == 0 || seq > r->top)
		return 0;
	if (r->top - seq >= r->window)
		return IG_ERANGE;
	if (r->bitmap[slot(r, seq)] & (UINT64_C(1) << (seq & 63)))
		return IG_EEXIST;
	return 0;
}

int esp_replay_check(const struct esp_replay *r, uint32_t seq_lo, uint64_t *seq_full)
{
	uint32_t seqh = 0;
	int e;

	*seq_full = seq_lo;
	if (r->esn) {
		if ((e = infer_seqh(r, seq_lo, &seqh)) != 0)
			return e;
		*seq_full = (uint64_t)seqh << 32 | seq_lo;
	}
	return check_full(r, *seq_full);
}

int esp_replay_update(struct esp_replay *r, uint64_t seq_full)
{
	int e;

	if ((e = check_full(r, seq_full)) != 0)
		return e;
	if (r->window && seq_full > r->top) {
		/* RFC 6479: zero the blocks the top moves into, at most the ring. */
		uint64_t cur = r->top >> 6, diff = (seq_full >> 6) - cur;

		if (diff > r->nblocks)
			diff = r->nblocks;
		for (uint64_t i = 1; i <= diff; i++)
			r->bitmap[(cur + i) & (r->nblocks - 1)] = 0;
	}
	if (r->window)
		r->bitmap[slot(r, seq_full)] |= UINT64_C(1) << (seq_full & 63);
	if (seq_full > r->top)
		r->top = seq_full;
	return 0;
}

void esp_seq_init(struct esp_seq *s, bool esn)
{
	s->last = 0;
	s->esn = esn;
}

int esp_seq_next(struct esp_seq *s, uint64_t *seq)
{
	uint64_t max = s->esn ? UINT64_MAX : UINT32_MAX;

	/* RFC 4303 3.3.3: the counter must not cycle; the SA has to be rekeyed. */
	if (s->last >= max)
		return IG_ERANGE;
	*seq = ++s->last;
	return 0;
}
