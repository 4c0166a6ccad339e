/* SPDX-License-Identifier: MIT */
/*
 * Quiescent-state based reclamation for the tables the control thread
 * publishes to the datapath workers (SPD, SAD): the control thread builds a
 * new immutable table, swaps a pointer, and frees the old one only after
 * every worker has passed a quiescent state since the swap.
 *
 * A worker is quiescent between batches: it holds no pointer into any
 * published table then. It calls esp_rcu_quiescent() once per batch (one
 * load and one store, no lock, no read-modify-write) and
 * esp_rcu_offline() before it blocks (poll, shutdown) so that an idle
 * worker does not hold up reclamation; esp_rcu_online() when it resumes.
 *
 * Grace periods: a global epoch counter. esp_rcu_defer() (control thread,
 * after the swap) bumps the epoch to E and queues the free for E; the free
 * runs in esp_rcu_reclaim() once every online worker has announced an
 * epoch >= E. Only the control thread calls defer/reclaim/synchronize.
 */
#ifndef IPSECGW_ESP_RCU_H
#define IPSECGW_ESP_RCU_H

#include <stdatomic.h>
#include <stdint.h>

#define ESP_RCU_MAX_WORKERS 64
#define ESP_RCU_OFFLINE	    UINT64_MAX

struct esp_rcu_worker {
	_Atomic uint64_t seen;		 /* last epoch announced; ESP_RCU_OFFLINE when idle */
	char pad[64 - sizeof(uint64_t)]; /* one cache line per worker */
};

struct esp_rcu_defer; /* a queued free, control thread only */

struct esp_rcu {
	_Atomic uint64_t epoch;
	unsigned nworkers;
	struct esp_rcu_defer *pending; /* oldest first */
	struct esp_rcu_defer *pending_tail;
	_Alignas(64) struct esp_rcu_worker w[ESP_RCU_MAX_WORKERS];
};

/* nworkers <= ESP_RCU_MAX_WORKERS (IG_ERANGE); every worker starts offline. */
int esp_rcu_init(struct esp_rcu *r, unsigned nworkers);
/* Runs every pending free (workers must be stopped). */
void esp_rcu_destroy(struct esp_rcu *r);

/* Worker side. */
void esp_rcu_quiescent(struct esp_rcu *r, unsigned worker);
void esp_rcu_online(struct esp_rcu *r, unsigned worker);
void esp_rcu_offline(struct esp_rcu *r, unsigned worker);

/*
 * Control side, after publishing the replacement of p: free p with fn(p)
 * once all workers have been quiescent. Never fails: if the queue entry
 * cannot be allocated it waits for the grace period (esp_rcu_synchronize)
 * and frees at once.
 */
void esp_rcu_defer(struct esp_rcu *r, void (*fn)(void *), void *p);
/* Runs the frees whose grace period is over; returns how many ran. */
unsigned esp_rcu_reclaim(struct esp_rcu *r);
/* Number of frees still waiting. */
unsigned esp_rcu_pending(const struct esp_rcu *r);
/* Starts a grace period and waits (sleeping briefly) until it is over. */
void esp_rcu_synchronize(struct esp_rcu *r);

#endif
