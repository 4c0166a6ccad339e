/* SPDX-License-Identifier: MIT */
/*
 * Security Association Database: the ESP SAs the datapath uses, found by
 * SPI for inbound packets (RFC 4303 2.1) and by the SPD's SA handle for
 * outbound ones.
 *
 * Tables are immutable open-addressing hashes (linear probing, power-of-two
 * size, at most half full). The control thread builds a new table for every
 * change (esp_sad_add/esp_sad_del copy the old one), publishes it with one
 * pointer swap, and frees the old table, and any removed SA, after an RCU
 * grace period (rcu.h). Workers look up without a lock.
 *
 * SPIs are hashed with a fixed multiplicative hash: inbound SPIs are ours,
 * chosen at random, so the clusters a lookup with a forged SPI can walk
 * stay as short as random keys make them.
 */
#ifndef IPSECGW_ESP_SAD_H
#define IPSECGW_ESP_SAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp/rcu.h"
#include "esp/replay.h"
#include "lib/addr.h"

#define ESP_SPI_MIN 256 /* 1-255 are reserved by IANA, 0 is never sent (RFC 4303 2.1) */

enum esp_dir {
	ESP_DIR_IN = 0,
	ESP_DIR_OUT = 1,
};

/*
 * Counters of one SA kept by one worker. Each slot has one writer (its
 * worker) and sits on its own cache line; the control thread sums them.
 * Relaxed atomics: plain loads and stores on the hot path, no lock prefix.
 */
struct esp_sa_counters {
	_Atomic uint64_t bytes; /* inner bytes protected (out) or accepted (in) */
	_Atomic uint64_t packets;
	_Atomic uint64_t replay_drops;	/* inbound: old or duplicate sequence number */
	_Atomic uint64_t icv_fails;	/* inbound: integrity check failed */
	_Atomic uint64_t policy_drops;	/* inbound: inner packet outside the selectors */
	_Atomic uint64_t malformed;	/* inbound: bad length, padding or next header */
	_Atomic uint64_t seq_exhausted; /* outbound: dropped, sequence number would cycle */
};

struct esp_sa_ctr_slot {
	_Alignas(64) struct esp_sa_counters c;
};

/* A snapshot, summed over workers. */
struct esp_sa_stats {
	uint64_t bytes, packets, replay_drops, icv_fails, policy_drops, malformed, seq_exhausted;
};

struct crypto_cipher;
struct crypto_aead;
struct crypto_integ;

/*
 * How the data path (esp_dp.h) carries the packets of an SA: set by
 * esp_sa_install() before the SA is published, read-only afterwards except
 * last_ms, which only the owner worker writes.
 */
struct esp_sa_dp {
	struct addr src, dst;	  /* outer addresses: outbound ours -> peer, inbound peer -> ours */
	uint16_t sport, dport;	  /* UDP ports of ESP in UDP (RFC 3948) */
	bool encap;		  /* ESP in UDP, else raw ESP (IP protocol 50) */
	uint8_t df;		  /* enum esp_df (esp_sa_desc.h): outer DF bit policy */
	uint32_t tunnel_id;	  /* config tunnel index + 1 */
	uint32_t spd_id;	  /* inbound: the SPD handle of the CHILD SA's outbound SA */
	unsigned owner;		  /* the one worker that runs this SA's sequence/replay state */
	_Atomic uint64_t last_ms; /* last packet (CLOCK_MONOTONIC ms), written by owner */
};

/*
 * One unidirectional ESP SA (a CHILD SA is an inbound and an outbound one).
 * The crypto objects are keyed once by esp_sa_set_keys() (esp.h); the
 * outer addresses, encapsulation ports and steering are in dp (esp_dp.h).
 */
struct esp_sa {
	uint32_t spi; /* host order; inbound: ours, outbound: the peer's */
	uint32_t id;  /* SPD handle that selects it (outbound) */
	enum esp_dir dir;
	bool esn; /* extended sequence numbers (RFC 4303 2.2.1) */
	unsigned nworkers;
	struct esp_replay *replay;   /* inbound only; written by one worker */
	struct esp_seq seq;	     /* outbound only; written by one worker */
	struct esp_sa_ctr_slot *ctr; /* [nworkers] */

	/* Transforms (esp_sa_set_keys): a cipher + optional integrity, or an AEAD. */
	uint16_t encr; /* ALG_ENCR_* (0 = not keyed yet) */
	unsigned keybits;
	uint16_t integ;			/* ALG_INTEG_* (0 for AEADs) */
	uint8_t iv_len, icv_len, block; /* wire IV, ICV, padding alignment */
	struct crypto_cipher *cipher;	/* AES-CBC */
	struct crypto_aead *aead;	/* AES-GCM, ChaCha20-Poly1305, AES-GMAC */
	struct crypto_integ *mac;	/* HMAC with AES-CBC */

	/*
	 * Outbound CBC IVs (RFC 3602 2.4: unpredictable): drawn from the CSPRNG
	 * ESP_IV_POOL bytes at a time, not per packet, where one RAND_bytes call
	 * costs as much as the AES itself. Written by the SA's one worker.
	 */
#define ESP_IV_POOL 1024
	uint16_t iv_pool_pos;
	uint8_t iv_pool[ESP_IV_POOL];

	struct esp_sa_dp dp; /* data path binding (esp_install.c) */
};

/*
 * A new SA; replay_window applies to inbound SAs (0 = anti-replay off).
 * IG_EINVAL for an SPI below ESP_SPI_MIN or nworkers not in
 * 1..ESP_RCU_MAX_WORKERS; IG_ERANGE for a window too large; IG_ENOMEM.
 */
int esp_sa_new(struct esp_sa **out, uint32_t spi, uint32_t id, enum esp_dir dir, bool esn,
	       unsigned replay_window, unsigned nworkers);
void esp_sa_free(struct esp_sa *sa);

/* The counters of `worker`, and an add that needs no lock. */
static inline struct esp_sa_counters *esp_sa_ctr(struct esp_sa *sa, unsigned worker)
{
	return &sa->ctr[worker].c;
}
static inline void esp_ctr_add(_Atomic uint64_t *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
			      memory_order_relaxed);
}
void esp_sa_stats(const struct esp_sa *sa, struct esp_sa_stats *out);

struct esp_sad;

/* The hash of a key (SPI or id); a table of 2^bits slots uses its top bits. */
static inline uint32_t esp_sad_hash(uint32_t key)
{
	return key * UINT32_C(0x9e3779b1); /* Knuth's multiplicative (Fibonacci) hashing */
}

/*
 * A table of n SAs (the SAs are referenced, not copied). IG_EEXIST for two
 * inbound SAs with one SPI or two outbound SAs with one id; IG_ENOMEM.
 */
int esp_sad_build(struct esp_sad **out, struct esp_sa *const *sas, size_t n);
/* A copy of old (NULL = empty) with sa added / removed (IG_ENOENT if absent). */
int esp_sad_add(struct esp_sad **out, const struct esp_sad *old, struct esp_sa *sa);
int esp_sad_del(struct esp_sad **out, const struct esp_sad *old, const struct esp_sa *sa);
/* Frees the table, not its SAs. */
void esp_sad_free(struct esp_sad *t);

/* Lock-free lookups; NULL if absent. t may be NULL. */
struct esp_sa *esp_sad_lookup_in(const struct esp_sad *t, uint32_t spi);
struct esp_sa *esp_sad_lookup_out(const struct esp_sad *t, uint32_t id);
/* Iteration for status output: SAs 0..count-1 in insertion order. */
size_t esp_sad_count(const struct esp_sad *t);
struct esp_sa *esp_sad_at(const struct esp_sad *t, size_t i);
/* Slots of the inbound hash (a power of two), for tests. */
size_t esp_sad_slots(const struct esp_sad *t);

/* Publication, as for the SPD. */
struct esp_sad_pub {
	_Atomic(struct esp_sad *) cur;
};

void esp_sad_pub_init(struct esp_sad_pub *p);
/* Worker: the current table (acquire); valid until its next quiescent state. */
const struct esp_sad *esp_sad_current(struct esp_sad_pub *p);
/* Control thread: makes t current and frees the old table after a grace period. */
void esp_sad_publish(struct esp_sad_pub *p, struct esp_sad *t, struct esp_rcu *rcu);
/* Control thread: frees sa after a grace period (once no published table holds it). */
void esp_sa_retire(struct esp_sa *sa, struct esp_rcu *rcu);

#endif
