/* SPDX-License-Identifier: MIT */
#include "esp/sad.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "lib/err.h"

#define MIN_BITS 4 /* 16 slots */

struct esp_sad {
	size_t n;
	unsigned bits;	      /* both hashes have 2^bits slots */
	struct esp_sa **in;   /* by SPI, inbound SAs */
	struct esp_sa **out;  /* by id, outbound SAs */
	struct esp_sa **list; /* all n SAs, insertion order */
	struct esp_sa *mem[];
};

int esp_sa_new(struct esp_sa **out, uint32_t spi, uint32_t id, enum esp_dir dir, bool esn,
	       unsigned replay_window, unsigned nworkers)
{
	struct esp_sa *sa;
	int e = IG_ENOMEM;

	*out = NULL;
	if (spi < ESP_SPI_MIN || nworkers == 0 || nworkers > ESP_RCU_MAX_WORKERS ||
	    (dir != ESP_DIR_IN && dir != ESP_DIR_OUT))
		return IG_EINVAL;
	if (!(sa = calloc(1, sizeof(*sa))))
		return IG_ENOMEM;
	sa->spi = spi;
	sa->id = id;
	sa->dir = dir;
	sa->esn = esn;
	sa->nworkers = nworkers;
	esp_seq_init(&sa->seq, esn);
	sa->ctr = aligned_alloc(_Alignof(struct esp_sa_ctr_slot),
				nworkers * sizeof(struct esp_sa_ctr_slot));
	if (!sa->ctr)
		goto out;
	memset(sa->ctr, 0, nworkers * sizeof(struct esp_sa_ctr_slot));
	if (dir == ESP_DIR_IN && (e = esp_replay_new(&sa->replay, replay_window, esn)) != 0)
		goto out;
	*out = sa;
	return 0;
out:
	esp_sa_free(sa);
	return e;
}

void esp_sa_free(struct esp_sa *sa)
{
	if (!sa)
		return;
	esp_replay_free(sa->replay);
	crypto_cipher_free(sa->cipher);
	crypto_aead_free(sa->aead);
	crypto_integ_free(sa->mac);
	free(sa->ctr);
	free(sa);
}

void esp_sa_stats(const struct esp_sa *sa, struct esp_sa_stats *o)
{
	memset(o, 0, sizeof(*o));
	for (unsigned w = 0; w < sa->nworkers; w++) {
		const struct esp_sa_counters *c = &sa->ctr[w].c;

		o->bytes += atomic_load_explicit(&c->bytes, memory_order_relaxed);
		o->packets += atomic_load_explicit(&c->packets, memory_order_relaxed);
		o->replay_drops += atomic_load_explicit(&c->replay_drops, memory_order_relaxed);
		o->icv_fails += atomic_load_explicit(&c->icv_fails, memory_order_relaxed);
		o->policy_drops += atomic_load_explicit(&c->policy_drops, memory_order_relaxed);
		o->malformed += atomic_load_explicit(&c->malformed, memory_order_relaxed);
		o->seq_exhausted += atomic_load_explicit(&c->seq_exhausted, memory_order_relaxed);
	}
}

static size_t home(const struct esp_sad *t, uint32_t key)
{
	return esp_sad_hash(key) >> (32 - t->bits);
}

static uint32_t key_of(const struct esp_sa *sa)
{
	return sa->dir == ESP_DIR_IN ? sa->spi : sa->id;
}

/* Linear probing; the caller guarantees a free slot (load <= 1/2). */
static int place(struct esp_sad *t, struct esp_sa *sa)
{
	struct esp_sa **slots = sa->dir == ESP_DIR_IN ? t->in : t->out;
	size_t mask = ((size_t)1 << t->bits) - 1, i = home(t, key_of(sa));

	for (; slots[i]; i = (i + 1) & mask)
		if (key_of(slots[i]) == key_of(sa))
			return IG_EEXIST;
	slots[i] = sa;
	return 0;
}

/* The table of the n SAs a[0..n) plus, if not NULL, extra. */
static int build(struct esp_sad **out, struct esp_sa *const *a, size_t n, struct esp_sa *extra)
{
	size_t total = n + (extra != NULL), slots;
	struct esp_sad *t;
	unsigned bits = MIN_BITS;
	int e;

	*out = NULL;
	while (((size_t)1 << bits) < 2 * total) {
		if (++bits >= 31)
			return IG_ENOMEM;
	}
	slots = (size_t)1 << bits;
	t = calloc(1, sizeof(*t) + (2 * slots + total) * sizeof(struct esp_sa *));
	if (!t)
		return IG_ENOMEM;
	t->bits = bits;
	t->in = t->mem;
	t->out = t->mem + slots;
	t->list = t->mem + 2 * slots;
	for (size_t i = 0; i < total; i++) {
		struct esp_sa *sa = i < n ? a[i] : extra;

		if ((e = place(t, sa)) != 0) {
			free(t);
			return e;
		}
		t->list[t->n++] = sa;
	}
	*out = t;
	return 0;
}

int esp_sad_build(struct esp_sad **out, struct esp_sa *const *sas, size_t n)
{
	return build(out, sas, n, NULL);
}

int esp_sad_add(struct esp_sad **out, const struct esp_sad *old, struct esp_sa *sa)
{
	return build(out, old ? old->list : NULL, old ? old->n : 0, sa);
}

int esp_sad_del(struct esp_sad **out, const struct esp_sad *old, const struct esp_sa *sa)
{
	struct esp_sa **rest;
	size_t k = 0;
	int e;

	*out = NULL;
	if (!old)
		return IG_ENOENT;
	if (!(rest = malloc((old->n ? old->n : 1) * sizeof(*rest))))
		return IG_ENOMEM;
	for (size_t i = 0; i < old->n; i++)
		if (old->list[i] != sa)
			rest[k++] = old->list[i];
	e = k == old->n ? IG_ENOENT : build(out, rest, k, NULL);
	free(rest);
	return e;
}

void esp_sad_free(struct esp_sad *t)
{
	free(t);
}

static struct esp_sa *find(const struct esp_sad *t, struct esp_sa *const *slots, uint32_t key)
{
	size_t mask = ((size_t)1 << t->bits) - 1, i = home(t, key);

	/* Terminates: at least half the slots are empty. */
	for (; slots[i]; i = (i + 1) & mask)
		if (key_of(slots[i]) == key)
			return slots[i];
	return NULL;
}

struct esp_sa *esp_sad_lookup_in(const struct esp_sad *t, uint32_t spi)
{
	return t ? find(t, t->in, spi) : NULL;
}

struct esp_sa *esp_sad_lookup_out(const struct esp_sad *t, uint32_t id)
{
	return t ? find(t, t->out, id) : NULL;
}

size_t esp_sad_count(const struct esp_sad *t)
{
	return t ? t->n : 0;
}

struct esp_sa *esp_sad_at(const struct esp_sad *t, size_t i)
{
	return t && i < t->n ? t->list[i] : NULL;
}

size_t esp_sad_slots(const struct esp_sad *t)
{
	return t ? (size_t)1 << t->bits : 0;
}

void esp_sad_pub_init(struct esp_sad_pub *p)
{
	atomic_init(&p->cur, NULL);
}

const struct esp_sad *esp_sad_current(struct esp_sad_pub *p)
{
	return atomic_load_explicit(&p->cur, memory_order_acquire);
}

static void sad_free_cb(void *p)
{
	esp_sad_free(p);
}

static void sa_free_cb(void *p)
{
	esp_sa_free(p);
}

void esp_sad_publish(struct esp_sad_pub *p, struct esp_sad *t, struct esp_rcu *rcu)
{
	/* Only the control thread stores, so a relaxed read of the old value is enough. */
	struct esp_sad *old = atomic_load_explicit(&p->cur, memory_order_relaxed);

	atomic_store_explicit(&p->cur, t, memory_order_release);
	if (old)
		esp_rcu_defer(rcu, sad_free_cb, old);
}

void esp_sa_retire(struct esp_sa *sa, struct esp_rcu *rcu)
{
	if (sa)
		esp_rcu_defer(rcu, sa_free_cb, sa);
}
