/* SPDX-License-Identifier: MIT */
/*
 * ESP sequence numbers: the inbound anti-replay window (RFC 4303 3.4.3,
 * kept as RFC 6479 describes: a ring of 64-bit blocks, no bit shifting)
 * with extended sequence numbers (RFC 4303 appendix A), and the outbound
 * counter (RFC 4303 3.3.3).
 *
 * Inbound use, per packet:
 *   esp_replay_check(r, seq_lo, &seq)  before the ICV: drops duplicates and
 *                                      old packets, infers the ESN high bits
 *                                      that the ICV covers; changes nothing;
 *   verify the ICV (with seq's high 32 bits for ESN);
 *   esp_replay_update(r, seq)          only then marks seq as received.
 *
 * A window is written by one thread (the worker that owns the inbound SA);
 * it holds no lock and allocates nothing per packet.
 */
#ifndef IPSECGW_ESP_REPLAY_H
#define IPSECGW_ESP_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#define ESP_REPLAY_MAX_WINDOW	  4096u /* largest configurable window (packets) */
#define ESP_REPLAY_DEFAULT_WINDOW 1024u /* PRODUCT.md: esp.replay-window default */

struct esp_replay;

/*
 * A window of `window` packets (0 = anti-replay off, RFC 4303 3.4.3: the
 * receiver may disable it; ESN high bits are still tracked). IG_ERANGE if
 * window > ESP_REPLAY_MAX_WINDOW, IG_ENOMEM.
 */
int esp_replay_new(struct esp_replay **out, unsigned window, bool esn);
void esp_replay_free(struct esp_replay *r);

/* The configured window (packets), exactly as asked. */
unsigned esp_replay_window(const struct esp_replay *r);
/* 64-bit blocks in the ring (a power of two, one more than the window needs). */
unsigned esp_replay_blocks(const struct esp_replay *r);
bool esp_replay_esn(const struct esp_replay *r);
/* Highest sequence number accepted so far (0 = none). */
uint64_t esp_replay_top(const struct esp_replay *r);

/*
 * May a packet carrying the 32 low bits seq_lo be accepted? Stores the full
 * sequence number (seq_lo itself without ESN) in *seq_full. Returns 0, or
 *   IG_EINVAL  sequence number 0 (never sent, RFC 4303 3.3.3) or, with ESN,
 *              high bits outside 0..2^32-1;
 *   IG_ERANGE  older than the window (left of it);
 *   IG_EEXIST  already received (a replay).
 * Does not change the window.
 */
int esp_replay_check(const struct esp_replay *r, uint32_t seq_lo, uint64_t *seq_full);

/*
 * Marks seq_full as received, sliding the window when it is the new top.
 * Call only after the ICV verified. Checks again (another packet may have
 * been accepted since esp_replay_check) and returns the same errors.
 */
int esp_replay_update(struct esp_replay *r, uint64_t seq_full);

/* Outbound counter: the last sequence number sent (RFC 4303 3.3.3). */
struct esp_seq {
	uint64_t last;
	bool esn;
};

void esp_seq_init(struct esp_seq *s, bool esn);
/*
 * The next sequence number to send, from 1. IG_ERANGE once the counter
 * would cycle: after 2^32-1 without ESN, after 2^64-1 with ESN; the caller
 * must then rekey, and drops the packet (RFC 4303 3.3.3).
 */
int esp_seq_next(struct esp_seq *s, uint64_t *seq);

#endif
