/* SPDX-License-Identifier: MIT */
/*
 * Memory ordering, in short. The control thread publishes with a release
 * store of the table pointer and then bumps the epoch (seq_cst RMW); a
 * worker that announces epoch E read E with acquire, so every table load it
 * makes afterwards sees the swap that preceded E, and its earlier loads of
 * the old table happen before its release store of `seen`, which the
 * control thread reads with acquire before freeing. A worker coming online
 * and the control thread checking it form a store-buffer pattern, closed by
 * a seq_cst fence on both sides: either the control thread sees the worker
 * online, or the worker sees the new pointer.
 */
#include "esp/rcu.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/err.h"

struct esp_rcu_defer {
	struct esp_rcu_defer *next;
	uint64_t epoch;
	void (*fn)(void *);
	void *p;
};

int esp_rcu_init(struct esp_rcu *r, unsigned nworkers)
{
	if (nworkers > ESP_RCU_MAX_WORKERS)
		return IG_ERANGE;
	memset(r, 0, sizeof(*r));
	atomic_init(&r->epoch, 1);
	r->nworkers = nworkers;
	for (unsigned i = 0; i < ESP_RCU_MAX_WORKERS; i++)
		atomic_init(&r->w[i].seen, ESP_RCU_OFFLINE);
	return 0;
}

void esp_rcu_quiescent(struct esp_rcu *r, unsigned worker)
{
	uint64_t e = atomic_load_explicit(&r->epoch, memory_order_acquire);

	atomic_store_explicit(&r->w[worker].seen, e, memory_order_release);
}

void esp_rcu_online(struct esp_rcu *r, unsigned worker)
{
	atomic_store_explicit(&r->w[worker].seen,
			      atomic_load_explicit(&r->epoch, memory_order_acquire),
			      memory_order_seq_cst);
	atomic_thread_fence(memory_order_seq_cst);
}

void esp_rcu_offline(struct esp_rcu *r, unsigned worker)
{
	atomic_store_explicit(&r->w[worker].seen, ESP_RCU_OFFLINE, memory_order_release);
}

/* The oldest epoch an online worker may still be reading under. */
static uint64_t min_seen(struct esp_rcu *r)
{
	uint64_t m = ESP_RCU_OFFLINE;

	atomic_thread_fence(memory_order_seq_cst);
	for (unsigned i = 0; i < r->nworkers; i++) {
		uint64_t s = atomic_load_explicit(&r->w[i].seen, memory_order_acquire);

		if (s < m)
			m = s;
	}
	return m;
}

static uint64_t new_epoch(struct esp_rcu *r)
{
	return atomic_fetch_add_explicit(&r->epoch, 1, memory_order_seq_cst) + 1;
}

void esp_rcu_synchronize(struct esp_rcu *r)
{
	const struct timespec ts = {0, 50000};
	uint64_t e = new_epoch(r);

	while (min_seen(r) < e)
		nanosleep(&ts, NULL);
}

void esp_rcu_defer(struct esp_rcu *r, void (*fn)(void *), void *p)
{
	struct esp_rcu_defer *d = malloc(sizeof(*d));

	if (!d) {
		esp_rcu_synchronize(r);
		fn(p);
		return;
	}
	d->next = NULL;
	d->epoch = new_epoch(r);
	d->fn = fn;
	d->p = p;
	if (r->pending_tail)
		r->pending_tail->next = d;
	else
		r->pending = d;
	r->pending_tail = d;
}

unsigned esp_rcu_reclaim(struct esp_rcu *r)
{
	uint64_t m;
	unsigned n = 0;

	if (!r->pending)
		return 0;
	m = min_seen(r);
	/* Epochs grow along the queue: stop at the first one still in use. */
	while (r->pending && r->pending->epoch <= m) {
		struct esp_rcu_defer *d = r->pending;

		r->pending = d->next;
		d->fn(d->p);
		free(d);
		n++;
	}
	if (!r->pending)
		r->pending_tail = NULL;
	return n;
}

unsigned esp_rcu_pending(const struct esp_rcu *r)
{
	unsigned n = 0;

	for (const struct esp_rcu_defer *d = r->pending; d; d = d->next)
		n++;
	return n;
}

void esp_rcu_destroy(struct esp_rcu *r)
{
	while (r->pending) {
		struct esp_rcu_defer *d = r->pending;

		r->pending = d->next;
		d->fn(d->p);
		free(d);
	}
	r->pending_tail = NULL;
}
