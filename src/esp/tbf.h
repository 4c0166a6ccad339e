/* SPDX-License-Identifier: MIT */
/*
 * Token bucket policer for the gateway `bandwidth` cap (PRODUCT.md), in
 * bits per second. One bucket per datapath worker, written only by that
 * worker: no locks, no atomics; the configured cap is split across the
 * workers by the caller (esp_tbf_split()).
 *
 * Time comes from the caller (a monotonic clock in ns) so tests drive it.
 * Tokens are counted in nano-bits (bits * 1e9): refilling by elapsed_ns *
 * rate_bps is then exact integer arithmetic, with no drift at any rate.
 *
 * Burst: max(rate * 10 ms, 64 KiB). 10 ms of traffic absorbs the jitter of
 * batched TUN reads without letting a long idle period turn into a flood;
 * the 64 KiB floor lets any single IP packet (and a TSO-sized burst) pass
 * even at low rates, where 10 ms would be smaller than one packet.
 */
#ifndef IPSECGW_ESP_TBF_H
#define IPSECGW_ESP_TBF_H

#include <stdbool.h>
#include <stdint.h>

#define ESP_TBF_BURST_NS	10000000ull	 /* 10 ms of the rate */
#define ESP_TBF_BURST_MIN_BYTES 65536ull	 /* floor of the burst */
#define ESP_TBF_MAX_RATE	1000000000000ull /* 1 Tbit/s keeps nano-bits in 64 bits */

struct esp_tbf {
	uint64_t rate_bps; /* 0 = unlimited */
	uint64_t cap;	   /* burst, nano-bits */
	uint64_t tokens;   /* nano-bits */
	uint64_t last_ns;  /* time of the last refill */
	uint64_t full_ns;  /* idle time that refills an empty bucket */
};

/*
 * A full bucket for rate_bps (0 = no cap) at time now_ns. IG_ERANGE above
 * ESP_TBF_MAX_RATE.
 */
int esp_tbf_init(struct esp_tbf *b, uint64_t rate_bps, uint64_t now_ns);
/* Burst size in bytes (0 when unlimited). */
uint64_t esp_tbf_burst_bytes(const struct esp_tbf *b);
/* The share of rate_bps of worker `worker` of `nworkers` (remainder to the first). */
uint64_t esp_tbf_split(uint64_t rate_bps, unsigned nworkers, unsigned worker);
/*
 * May a packet of `bytes` pass at now_ns? If so its tokens are taken.
 * A clock that goes backwards is treated as no time passing; a packet
 * larger than the burst never passes.
 */
bool esp_tbf_take(struct esp_tbf *b, uint32_t bytes, uint64_t now_ns);

#endif
