/* SPDX-License-Identifier: MIT */
/* SAD: hash table behaviour, counters, and publishing while a worker reads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esp/sad.h"
#include "lib/err.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t rnd32(void)
{
	return (uint32_t)rand() << 16 ^ (uint32_t)rand();
}

static struct esp_sa *sa_in(uint32_t spi)
{
	struct esp_sa *sa;

	assert_int_equal(esp_sa_new(&sa, spi, 0, ESP_DIR_IN, false, 64, 2), 0);
	return sa;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* 20000 random SPIs, built at once and one by one; misses stay misses. */
static void test_sad_many(void **state)
{
	enum { COUNT = 20000 };
	uint32_t *spi = malloc(COUNT * sizeof(*spi)), *sorted = malloc(COUNT * sizeof(*spi));
	struct esp_sa **sas = malloc(COUNT * sizeof(*sas));
	struct esp_sad *t, *u;
	size_t n = 0;

	assert_non_null(spi);
	assert_non_null(sorted);
	assert_non_null(sas);
	srand(4303);
	while (n < COUNT) {
		uint32_t s = rnd32() | 0x100;
		bool dup = false;

		for (size_t j = n > 64 ? n - 64 : 0; j < n; j++)
			dup |= spi[j] == s;
		if (!dup)
			spi[n++] = s;
	}
	memcpy(sorted, spi, COUNT * sizeof(*spi));
	qsort(sorted, COUNT, sizeof(*sorted), cmp_u32);
	n = 0;
	for (size_t i = 0; i < COUNT; i++)
		if (i == 0 || sorted[i] != sorted[i - 1])
			sas[n++] = sa_in(sorted[i]);
	assert_int_equal(esp_sad_build(&t, sas, n), 0);
	assert_int_equal(esp_sad_count(t), n);
	assert_true(esp_sad_slots(t) >= 2 * n && esp_sad_slots(t) < 4 * n + 16);
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(esp_sad_lookup_in(t, sas[i]->spi), sas[i]);
	for (int i = 0; i < 100000; i++) {
		uint32_t s = rnd32();
		struct esp_sa *f = esp_sad_lookup_in(t, s);

		if (bsearch(&s, sorted, COUNT, sizeof(*sorted), cmp_u32))
			assert_non_null(f);
		else
			assert_null(f);
	}
	/* One at a time, then remove every other one. */
	u = NULL;
	for (size_t i = 0; i < 2000; i++) {
		struct esp_sad *v;

		assert_int_equal(esp_sad_add(&v, u, sas[i]), 0);
		esp_sad_free(u);
		u = v;
	}
	for (size_t i = 0; i < 2000; i += 2) {
		struct esp_sad *v;

		assert_int_equal(esp_sad_del(&v, u, sas[i]), 0);
		esp_sad_free(u);
		u = v;
	}
	assert_int_equal(esp_sad_count(u), 1000);
	for (size_t i = 0; i < 2000; i++)
		assert_ptr_equal(esp_sad_lookup_in(u, sas[i]->spi), i % 2 ? sas[i] : NULL);
	esp_sad_free(u);
	esp_sad_free(t);
	for (size_t i = 0; i < n; i++)
		esp_sa_free(sas[i]);
	free(sas);
	free(spi);
	free(sorted);
}

/*
 * Keys that share a home slot (and the last slot, so probing wraps):
 * found in any insertion order, and after removing one of the chain.
 */
static void test_sad_collisions(void **state)
{
	uint32_t last[5], zero[3];
	size_t nl = 0, nz = 0;
	struct esp_sa *sas[8];
	struct esp_sad *t, *u;

	/* 8 SAs -> 16 slots -> the top 4 bits of the hash pick the slot */
	for (uint32_t s = ESP_SPI_MIN; nl < N(last) || nz < N(zero); s++) {
		uint32_t slot = esp_sad_hash(s) >> 28;

		if (slot == 15 && nl < N(last))
			last[nl++] = s;
		else if (slot == 0 && nz < N(zero))
			zero[nz++] = s;
	}
	for (size_t i = 0; i < 5; i++)
		sas[i] = sa_in(last[i]);
	for (size_t i = 0; i < 3; i++)
		sas[5 + i] = sa_in(zero[i]);
	/* zero-slot keys first: the wrapped chain of slot 15 runs into them */
	struct esp_sa *order[8] = {sas[5], sas[6], sas[7], sas[0], sas[1], sas[2], sas[3], sas[4]};

	assert_int_equal(esp_sad_build(&t, order, 8), 0);
	assert_int_equal(esp_sad_slots(t), 16);
	for (size_t i = 0; i < 8; i++)
		assert_ptr_equal(esp_sad_lookup_in(t, sas[i]->spi), sas[i]);
	/* a miss that probes the whole cluster */
	for (uint32_t s = last[4] + 1;; s++)
		if (esp_sad_hash(s) >> 28 == 15) {
			assert_null(esp_sad_lookup_in(t, s));
			break;
		}
	/* remove from the middle of the chain */
	assert_int_equal(esp_sad_del(&u, t, sas[1]), 0);
	assert_null(esp_sad_lookup_in(u, sas[1]->spi));
	for (size_t i = 0; i < 8; i++)
		if (i != 1)
			assert_ptr_equal(esp_sad_lookup_in(u, sas[i]->spi), sas[i]);
	struct esp_sad *v = (struct esp_sad *)1;
	assert_int_equal(esp_sad_del(&v, u, sas[1]), IG_ENOENT);
	assert_null(v);
	esp_sad_free(u);
	for (size_t i = 0; i < 8; i++)
		esp_sa_free(sas[i]);
	esp_sad_free(t);
}

static void test_sad_rules(void **state)
{
	struct esp_sa *a, *b, *o1, *o2, *o3;
	struct esp_sad *t;

	assert_int_equal(esp_sa_new(&a, 0, 0, ESP_DIR_IN, false, 64, 1), IG_EINVAL);
	assert_null(a);
	assert_int_equal(esp_sa_new(&a, 255, 0, ESP_DIR_IN, false, 64, 1), IG_EINVAL);
	assert_int_equal(esp_sa_new(&a, 256, 0, ESP_DIR_IN, false, 64, 0), IG_EINVAL);
	assert_int_equal(esp_sa_new(&a, 256, 0, ESP_DIR_IN, false, 64, ESP_RCU_MAX_WORKERS + 1),
			 IG_EINVAL);
	assert_int_equal(esp_sa_new(&a, 256, 0, ESP_DIR_IN, false, 5000, 1), IG_ERANGE);
	assert_int_equal(esp_sa_new(&a, 0xc0ffee01, 0, ESP_DIR_IN, true, 1024, 1), 0);
	assert_non_null(a->replay);
	assert_true(esp_replay_esn(a->replay));
	assert_int_equal(esp_sa_new(&b, 0xc0ffee01, 0, ESP_DIR_IN, false, 64, 1), 0);
	/* outbound: keyed by id; its SPI may equal an inbound one (the peer chose it) */
	assert_int_equal(esp_sa_new(&o1, 0xc0ffee01, 7, ESP_DIR_OUT, false, 0, 1), 0);
	assert_int_equal(esp_sa_new(&o2, 0x12345678, 7, ESP_DIR_OUT, false, 0, 1), 0);
	assert_int_equal(esp_sa_new(&o3, 0x12345679, 8, ESP_DIR_OUT, true, 0, 1), 0);
	assert_null(o1->replay);
	struct esp_sa *dup_in[] = {a, b}, *dup_out[] = {o1, o2}, *ok[] = {a, o1, o3};

	assert_int_equal(esp_sad_build(&t, dup_in, 2), IG_EEXIST);
	assert_null(t);
	assert_int_equal(esp_sad_build(&t, dup_out, 2), IG_EEXIST);
	assert_int_equal(esp_sad_build(&t, ok, 3), 0);
	assert_ptr_equal(esp_sad_lookup_in(t, 0xc0ffee01), a);
	assert_ptr_equal(esp_sad_lookup_out(t, 7), o1);
	assert_ptr_equal(esp_sad_lookup_out(t, 8), o3);
	assert_null(esp_sad_lookup_out(t, 0xc0ffee01));
	assert_null(esp_sad_lookup_in(t, 0x12345679));
	assert_ptr_equal(esp_sad_at(t, 1), o1);
	assert_null(esp_sad_at(t, 3));
	struct esp_sad *u;
	assert_int_equal(esp_sad_add(&u, t, b), IG_EEXIST);
	assert_int_equal(esp_sad_del(&u, t, b), IG_ENOENT);
	assert_int_equal(esp_sad_del(&u, NULL, b), IG_ENOENT);
	assert_int_equal(esp_sad_add(&u, NULL, b), 0);
	assert_int_equal(esp_sad_count(u), 1);
	esp_sad_free(u);
	esp_sad_free(t);
	assert_int_equal(esp_sad_build(&t, NULL, 0), 0);
	assert_null(esp_sad_lookup_in(t, 0xc0ffee01));
	esp_sad_free(t);
	assert_null(esp_sad_lookup_in(NULL, 1));
	assert_int_equal(esp_sad_count(NULL), 0);
	esp_sa_free(a);
	esp_sa_free(b);
	esp_sa_free(o1);
	esp_sa_free(o2);
	esp_sa_free(o3);
}

/* Per-worker counters, each on its own cache line, summed on read. */
static void test_sad_counters(void **state)
{
	struct esp_sa_stats st;
	struct esp_sa *sa;

	assert_int_equal(esp_sa_new(&sa, 0x1000, 0, ESP_DIR_IN, false, 64, 4), 0);
	for (unsigned w = 0; w < 4; w++) {
		struct esp_sa_counters *c = esp_sa_ctr(sa, w);

		assert_true(((uintptr_t)c & 63) == 0);
		esp_ctr_add(&c->packets, w + 1);
		esp_ctr_add(&c->bytes, 1000 * (w + 1));
		esp_ctr_add(&c->replay_drops, 1);
		esp_ctr_add(&c->icv_fails, w);
		esp_ctr_add(&c->policy_drops, 2);
	}
	assert_true((char *)esp_sa_ctr(sa, 1) - (char *)esp_sa_ctr(sa, 0) >= 64);
	esp_sa_stats(sa, &st);
	assert_int_equal(st.packets, 10);
	assert_int_equal(st.bytes, 10000);
	assert_int_equal(st.replay_drops, 4);
	assert_int_equal(st.icv_fails, 6);
	assert_int_equal(st.policy_drops, 8);
	esp_sa_free(sa);
}

/*
 * A worker looks SPIs up in a loop while the control thread adds and
 * removes SAs, publishing a new table each time and retiring old tables
 * and removed SAs through RCU. Stable SAs are always found; ASan catches
 * any access to a freed table or SA.
 */
struct shared {
	struct esp_rcu *rcu;
	struct esp_sad_pub pub;
	atomic_bool stop, started;
	uint64_t lookups, bad, churn_hits;
};

#define STABLE	   64
#define CHURN_BASE 0x50000000u

static void *worker(void *arg)
{
	struct shared *s = arg;

	esp_rcu_online(s->rcu, 0);
	atomic_store(&s->started, true);
	while (!atomic_load(&s->stop)) {
		const struct esp_sad *t = esp_sad_current(&s->pub);

		for (uint32_t i = 0; i < STABLE; i++) {
			struct esp_sa *sa = esp_sad_lookup_in(t, 0x1000 + i);

			if (!sa || sa->spi != 0x1000 + i)
				s->bad++;
			else
				esp_ctr_add(&esp_sa_ctr(sa, 0)->packets, 1);
			struct esp_sa *c = esp_sad_lookup_in(t, CHURN_BASE + i);
			if (c) {
				if (c->spi != CHURN_BASE + i)
					s->bad++;
				esp_ctr_add(&esp_sa_ctr(c, 0)->packets, 1);
				s->churn_hits++;
			}
			s->lookups += 2;
		}
		esp_rcu_quiescent(s->rcu, 0);
	}
	esp_rcu_offline(s->rcu, 0);
	return NULL;
}

static void test_sad_publish_while_reading(void **state)
{
	struct esp_rcu *rcu = aligned_alloc(64, sizeof(*rcu));
	struct shared s = {.rcu = rcu};
	struct esp_sa *stable[STABLE], *churn[STABLE] = {0};
	struct esp_sad *t;
	pthread_t th;

	assert_non_null(rcu);
	assert_int_equal(esp_rcu_init(rcu, 1), 0);
	esp_sad_pub_init(&s.pub);
	for (uint32_t i = 0; i < STABLE; i++)
		assert_int_equal(esp_sa_new(&stable[i], 0x1000 + i, i, ESP_DIR_IN, false, 64, 1),
				 0);
	assert_int_equal(esp_sad_build(&t, stable, STABLE), 0);
	esp_sad_publish(&s.pub, t, rcu);
	atomic_init(&s.stop, false);
	atomic_init(&s.started, false);
	assert_int_equal(pthread_create(&th, NULL, worker, &s), 0);
	while (!atomic_load(&s.started))
		;
	srand(2);
	for (int round = 0; round < 20000; round++) {
		unsigned i = (unsigned)rand() % STABLE;
		const struct esp_sad *cur = esp_sad_current(&s.pub);
		struct esp_sad *next;

		if (churn[i]) {
			assert_int_equal(esp_sad_del(&next, cur, churn[i]), 0);
			esp_sad_publish(&s.pub, next, rcu);
			esp_sa_retire(churn[i], rcu);
			churn[i] = NULL;
		} else {
			assert_int_equal(
				esp_sa_new(&churn[i], CHURN_BASE + i, 0, ESP_DIR_IN, false, 64, 1),
				0);
			assert_int_equal(esp_sad_add(&next, cur, churn[i]), 0);
			esp_sad_publish(&s.pub, next, rcu);
		}
		esp_rcu_reclaim(rcu);
		while (esp_rcu_pending(rcu) > 8)
			esp_rcu_reclaim(rcu);
	}
	atomic_store(&s.stop, true);
	assert_int_equal(pthread_join(th, NULL), 0);
	print_message("# %llu lookups, %llu hits on churning SAs\n", (unsigned long long)s.lookups,
		      (unsigned long long)s.churn_hits);
	assert_int_equal(s.bad, 0);
	assert_true(s.churn_hits > 0);
	esp_sad_publish(&s.pub, NULL, rcu);
	esp_rcu_reclaim(rcu);
	assert_int_equal(esp_rcu_pending(rcu), 0);
	for (uint32_t i = 0; i < STABLE; i++) {
		esp_sa_free(stable[i]);
		esp_sa_free(churn[i]);
	}
	esp_rcu_destroy(rcu);
	free(rcu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sad_many),
		cmocka_unit_test(test_sad_collisions),
		cmocka_unit_test(test_sad_rules),
		cmocka_unit_test(test_sad_counters),
		cmocka_unit_test(test_sad_publish_while_reading),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
