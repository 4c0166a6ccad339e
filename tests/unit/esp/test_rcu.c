/* SPDX-License-Identifier: MIT */
/*
 * Quiescent-state reclamation: deterministic grace-period rules, then a
 * reader thread hammering a published object while the control thread
 * swaps and frees (ASan catches any read of a freed object; a poisoned
 * magic catches it without ASan).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "esp/rcu.h"
#include "lib/err.h"

#define MAGIC 0x5eed5eed5eed5eedull

struct obj {
	uint64_t magic;
	uint64_t gen;
};

static int freed;

static void obj_free(void *p)
{
	struct obj *o = p;

	o->magic = 0;
	freed++;
	free(o);
}

static struct obj *obj_new(uint64_t gen)
{
	struct obj *o = malloc(sizeof(*o));

	assert_non_null(o);
	o->magic = MAGIC;
	o->gen = gen;
	return o;
}

/* Grace periods with two workers, stepped by hand. */
static void test_rcu_rules(void **state)
{
	struct esp_rcu *r = aligned_alloc(64, sizeof(*r));

	assert_non_null(r);
	assert_int_equal(esp_rcu_init(r, ESP_RCU_MAX_WORKERS + 1), IG_ERANGE);
	assert_int_equal(esp_rcu_init(r, 2), 0);
	freed = 0;

	/* Both offline: frees at the next reclaim. */
	esp_rcu_defer(r, obj_free, obj_new(1));
	assert_int_equal(esp_rcu_reclaim(r), 1);

	esp_rcu_online(r, 0);
	esp_rcu_online(r, 1);
	esp_rcu_defer(r, obj_free, obj_new(2));
	assert_int_equal(esp_rcu_reclaim(r), 0);
	esp_rcu_quiescent(r, 0);
	assert_int_equal(esp_rcu_reclaim(r), 0); /* worker 1 may still read it */
	esp_rcu_defer(r, obj_free, obj_new(3));
	esp_rcu_quiescent(r, 1);		 /* passes both grace periods... */
	assert_int_equal(esp_rcu_reclaim(r), 1); /* ...but worker 0 only the first */
	assert_int_equal(esp_rcu_pending(r), 1);
	esp_rcu_offline(r, 0); /* an idle worker holds nothing */
	assert_int_equal(esp_rcu_reclaim(r), 1);
	assert_int_equal(freed, 3);

	/* destroy runs what is left */
	esp_rcu_defer(r, obj_free, obj_new(4));
	esp_rcu_defer(r, obj_free, obj_new(5));
	assert_int_equal(esp_rcu_pending(r), 2);
	esp_rcu_destroy(r);
	assert_int_equal(freed, 5);
	free(r);
}

struct shared {
	struct esp_rcu *rcu;
	_Atomic(struct obj *) cur;
	atomic_bool stop, started;
	uint64_t reads, bad, gens_seen;
};

static void *reader(void *arg)
{
	struct shared *s = arg;
	uint64_t last = 0;

	esp_rcu_online(s->rcu, 0);
	atomic_store(&s->started, true);
	while (!atomic_load(&s->stop)) {
		/* one "batch": the object is held and read again and again */
		struct obj *o = atomic_load_explicit(&s->cur, memory_order_acquire);

		if (o->gen != last)
			s->gens_seen++;
		if (o->gen < last)
			s->bad++;
		last = o->gen;
		for (int i = 0; i < 256; i++) {
			if (((volatile struct obj *)o)->magic != MAGIC)
				s->bad++;
			s->reads++;
		}
		esp_rcu_quiescent(s->rcu, 0);
		/* now and then go idle, as a worker blocking in poll would */
		if (s->reads % (256 * 64) == 0) {
			esp_rcu_offline(s->rcu, 0);
			esp_rcu_online(s->rcu, 0);
		}
	}
	esp_rcu_offline(s->rcu, 0);
	return NULL;
}

static void test_rcu_two_threads(void **state)
{
	struct esp_rcu *r = aligned_alloc(64, sizeof(*r));
	struct shared s = {.rcu = r};
	unsigned reclaimed = 0;
	pthread_t th;

	assert_non_null(r);
	assert_int_equal(esp_rcu_init(r, 1), 0);
	freed = 0;
	atomic_init(&s.cur, obj_new(1));
	atomic_init(&s.stop, false);
	atomic_init(&s.started, false);
	assert_int_equal(pthread_create(&th, NULL, reader, &s), 0);
	while (!atomic_load(&s.started))
		;
	for (uint64_t gen = 2; gen <= 20000; gen++) {
		struct obj *old = atomic_load_explicit(&s.cur, memory_order_relaxed);

		atomic_store_explicit(&s.cur, obj_new(gen), memory_order_release);
		esp_rcu_defer(r, obj_free, old);
		reclaimed += esp_rcu_reclaim(r);
		/* keep at most 4 waiting, so the two threads really interleave */
		while (esp_rcu_pending(r) > 4)
			reclaimed += esp_rcu_reclaim(r);
		if (gen % 5000 == 0) {
			esp_rcu_synchronize(r);
			reclaimed += esp_rcu_reclaim(r);
			assert_int_equal(esp_rcu_pending(r), 0);
		}
	}
	atomic_store(&s.stop, true);
	assert_int_equal(pthread_join(th, NULL), 0);
	reclaimed += esp_rcu_reclaim(r); /* the reader is offline now */
	assert_int_equal(esp_rcu_pending(r), 0);
	assert_int_equal(reclaimed, 19999);
	assert_int_equal(freed, 19999);
	assert_int_equal(s.bad, 0);
	assert_true(s.reads > 0);
	print_message("# %llu reads saw %llu generations\n", (unsigned long long)s.reads,
		      (unsigned long long)s.gens_seen);
	assert_true(s.gens_seen > 1000);
	obj_free(atomic_load(&s.cur));
	esp_rcu_destroy(r);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rcu_rules),
		cmocka_unit_test(test_rcu_two_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
