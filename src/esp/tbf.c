/* SPDX-License-Identifier: MIT */
#include "esp/tbf.h"

#include "lib/err.h"

#define NS_PER_S 1000000000ull

int esp_tbf_init(struct esp_tbf *b, uint64_t rate_bps, uint64_t now_ns)
{
	uint64_t burst_bits;

	if (rate_bps > ESP_TBF_MAX_RATE)
		return IG_ERANGE;
	b->rate_bps = rate_bps;
	b->last_ns = now_ns;
	if (rate_bps == 0) {
		b->cap = b->tokens = b->full_ns = 0;
		return 0;
	}
	burst_bits = rate_bps / (NS_PER_S / ESP_TBF_BURST_NS);
	if (burst_bits < ESP_TBF_BURST_MIN_BYTES * 8)
		burst_bits = ESP_TBF_BURST_MIN_BYTES * 8;
	b->cap = burst_bits * NS_PER_S; /* <= 1e10 * 1e9 < 2^64 */
	b->tokens = b->cap;
	/* ceil(cap / rate): after this long idle the bucket is full anyway. */
	b->full_ns = (b->cap + rate_bps - 1) / rate_bps;
	return 0;
}

uint64_t esp_tbf_burst_bytes(const struct esp_tbf *b)
{
	return b->cap / NS_PER_S / 8;
}

uint64_t esp_tbf_split(uint64_t rate_bps, unsigned nworkers, unsigned worker)
{
	uint64_t share;

	if (nworkers == 0)
		return rate_bps;
	share = rate_bps / nworkers;
	return worker == 0 ? share + rate_bps % nworkers : share;
}

static void refill(struct esp_tbf *b, uint64_t now_ns)
{
	uint64_t dt;

	if (now_ns <= b->last_ns)
		return;
	dt = now_ns - b->last_ns;
	b->last_ns = now_ns;
	/* dt < full_ns bounds dt * rate by cap + rate: no overflow. */
	if (dt >= b->full_ns || b->cap - b->tokens <= dt * b->rate_bps)
		b->tokens = b->cap;
	else
		b->tokens += dt * b->rate_bps;
}

bool esp_tbf_take(struct esp_tbf *b, uint32_t bytes, uint64_t now_ns)
{
	uint64_t need;

	if (b->rate_bps == 0)
		return true;
	/* Larger than the burst: never passes (and bytes * 8e9 could overflow). */
	if (bytes > esp_tbf_burst_bytes(b))
		return false;
	need = (uint64_t)bytes * 8 * NS_PER_S;
	refill(b, now_ns);
	if (b->tokens < need)
		return false;
	b->tokens -= need;
	return true;
}
