/* SPDX-License-Identifier: MIT */
/*
 * Anti-replay window: tables in WireGuard's style, one row per received
 * packet, T(seq, expected result) run against one window in order, plus a
 * randomized comparison against a naive model and ESN inference checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esp/replay.h"
#include "lib/err.h"

struct row {
	uint32_t seq;  /* low 32 bits on the wire */
	int err;       /* expected esp_replay_check() result */
	uint64_t full; /* expected full sequence number; 0 = don't care */
	bool icv_bad;  /* the ICV fails: check only, no update */
};

#define T(s, e)                                                                                    \
	{                                                                                          \
		(s), (e), 0, false                                                                 \
	}
#define TF(s, e, f)                                                                                \
	{                                                                                          \
		(s), (e), (f), false                                                               \
	}
#define TBAD(s, e, f)                                                                              \
	{                                                                                          \
		(s), (e), (f), true                                                                \
	}
#define OK   0
#define DUP  IG_EEXIST
#define OLD  IG_ERANGE
#define BAD  IG_EINVAL
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void run(unsigned window, bool esn, const struct row *t, size_t n)
{
	struct esp_replay *r;

	assert_int_equal(esp_replay_new(&r, window, esn), 0);
	for (size_t i = 0; i < n; i++) {
		uint64_t full = 0;
		int e = esp_replay_check(r, t[i].seq, &full);

		if (e != t[i].err || (t[i].full && full != t[i].full))
			fail_msg("window %u esn %d row %zu: seq %#x: got %d full %#llx, want %d "
				 "full %#llx",
				 window, esn, i, t[i].seq, e, (unsigned long long)full, t[i].err,
				 (unsigned long long)t[i].full);
		if (e == 0 && !t[i].icv_bad)
			assert_int_equal(esp_replay_update(r, full), 0);
	}
	esp_replay_free(r);
}

static void test_replay_default_window(void **state)
{
	static const struct row t[] = {
		T(0, BAD), /* never sent without ESN */
		T(1, OK),
		T(1, DUP),
		T(2, OK),
		T(4, OK),
		T(3, OK),
		T(3, DUP),
		T(2, DUP),
		T(4, DUP),
		T(1024, OK),
		T(1, DUP), /* 1023 back */
		T(1025, OK),
		T(1, OLD),
		T(2, DUP),
		T(5, OK),
		T(5, DUP),
		T(2049, OK),
		T(1025, OLD),
		T(1026, OK),
		T(1026, DUP),
		T(2048, OK),
		/* a far jump clears the whole ring */
		T(100000, OK),
		T(100000 - 1023, OK),
		T(100000 - 1024, OLD),
		T(99999, OK),
		T(99999, DUP),
		T(100000, DUP),
		T(98977, DUP),
		/* the top of the 32-bit space; no ESN: nothing after it */
		T(0xffffffff, OK),
		T(0xffffffff, DUP),
		T(0xffffffff - 1023, OK),
		T(0xffffffff - 1024, OLD),
		T(1, OLD),
		T(0, BAD),
	};

	run(ESP_REPLAY_DEFAULT_WINDOW, false, t, N(t));
}

/* The ICV check fails: a packet checked but not updated can come again. */
static void test_replay_check_has_no_side_effect(void **state)
{
	static const struct row t[] = {
		T(10, OK),  TBAD(20, OK, 20),	  TBAD(20, OK, 20), T(11, OK),	T(20, OK),
		T(20, DUP), TBAD(5000, OK, 5000), T(15, OK),	    T(15, DUP),
	};

	run(64, false, t, N(t));
}

/*
 * Window 64 lives in a ring of 4 blocks (2 needed + rounding): seq s and
 * s + 256 share a bit, so jumps by exactly the ring size must clear it.
 */
static void test_replay_ring_wrap(void **state)
{
	static const struct row t[] = {
		T(10, OK),
		T(266, OK),
		T(10, OLD),
		T(266, DUP),
		T(522, OK),
		T(521, OK),
		T(459, OK),
		T(458, OLD),
		T(460, OK),
		T(778, OK),
		T(522, OLD),
		T(777, OK),
		T(715, OK),
		T(716, OK),
		T(716, DUP),
		/* walk across every block boundary of the ring */
		T(779, OK),
		T(800, OK),
		T(832, OK),
		T(896, OK),
		T(960, OK),
		T(1024, OK),
		T(1088, OK),
		T(1025, OK),
		T(1024, OLD),
		T(1087, OK),
		T(1087, DUP),
	};

	run(64, false, t, N(t));
}

static void test_replay_window_32(void **state)
{
	static const struct row t[] = {
		T(100, OK), T(69, OK), T(68, OLD), T(70, OK),  T(69, DUP),  T(101, OK),	 T(69, OLD),
		T(70, DUP), T(71, OK), T(164, OK), T(133, OK), T(132, OLD), T(101, OLD),
	};

	run(32, false, t, N(t));
}

static void test_replay_window_4096(void **state)
{
	static const struct row t[] = {
		T(5000, OK), T(905, OK),   T(904, OLD),	 T(4999, OK),	T(905, DUP),
		T(9095, OK), T(5000, DUP), T(4999, OLD), T(5001, OK),	T(9095, DUP),
		T(9000, OK), T(20000, OK), T(15905, OK), T(15904, OLD),
	};

	run(4096, false, t, N(t));
}

/* Window 0: anti-replay off, every non-zero number passes, again and again. */
static void test_replay_off(void **state)
{
	static const struct row t[] = {
		T(0, BAD), T(1, OK), T(1, OK), T(100000, OK), T(1, OK), T(0xffffffff, OK), T(2, OK),
	};

	run(0, false, t, N(t));
}

/*
 * RFC 4303 A2.2 with W = 1024. Case A (Tl >= W - 1): Seql at or above
 * Tl - W + 1 is in this subspace, below it in the next. Case B (Tl < W - 1):
 * Seql at or above Tl - W + 1 (mod 2^32) is in the previous subspace.
 */
static void test_replay_esn_rollover(void **state)
{
	static const struct row t[] = {
		/* start: T = 0, so nothing can belong to a previous subspace */
		TF(0xfffffff0, BAD, 0), TF(0, BAD, 0), TF(1, OK, 1), TF(0x7fffffff, OK, 0x7fffffff),
		TF(0xffffff00, OK, 0xffffff00), /* case A, same subspace */
		TF(0xfffffeff, OK, 0xfffffeff),
		TF(5, OK, 0x100000005), /* case A, below the window: Seqh + 1 */
		/* T = 2^32 + 5: case B */
		TF(0xffffff01, OK, 0xffffff01), /* late packet of the old subspace */
		TF(0xffffff00, DUP, 0xffffff00),
		TF(0xfffffc06, OK, 0xfffffc06), /* Tl - W + 1 exactly: oldest in window */
		TF(3, OK, 0x100000003), TF(5, DUP, 0x100000005), TF(6, OK, 0x100000006),
		/*
		 * Just below Tl - W + 1 is taken as Seqh = Th, far ahead: the
		 * sender never sent it, so the ICV (over the guessed Seqh) fails
		 * and the window must not move.
		 */
		TBAD(0xfffffc05, OK, 0x1fffffc05), TF(0xfffffc07, OK, 0xfffffc07),
		/* after the ICV failure, the window is where it was */
		TF(1000, OK, 0x1000003e8), TF(1023, OK, 0x1000003ff),
		/* T = 2^32 + 1023 = Tl = W - 1: case A again */
		TF(0, OK, 0x100000000), TF(0, DUP, 0x100000000),
		TF(0xffffffff, OK, 0x1ffffffff), /* Seql < Tl - W + 1 = 0? never: next subspace */
	};

	run(1024, true, t, N(t));
}

/* The same crossing with a small window, and the first few packets after it. */
static void test_replay_esn_small_window(void **state)
{
	static const struct row t[] = {
		TF(0xffffffc0, OK, 0xffffffc0),
		TF(0xffffffff, OK, 0xffffffff),
		TF(0, OK, 0x100000000),
		TF(0xffffffc1, OK, 0xffffffc1),
		/* T = 2^32, case B: Tl - W + 1 = 0xffffffc1 */
		TBAD(0xffffffc0, OK, 0x1ffffffc0),
		TF(0xffffffc1, DUP, 0xffffffc1),
		TF(0xffffffc2, OK, 0xffffffc2),
		TF(1, OK, 0x100000001),
		TF(0xffffffff, DUP, 0xffffffff),
		/* T = 2^32 + 64, case A: Tl - W + 1 = 1, below it is the next subspace */
		TF(0x40, OK, 0x100000040),
		TBAD(0xffffffff, OK, 0x1ffffffff),
		TF(0x1, DUP, 0x100000001),
		TBAD(0x0, OK, 0x200000000),
	};

	run(64, true, t, N(t));
}

/* A naive model: a set of received numbers and the top. */
struct model {
	uint8_t *seen;
	uint64_t base, top;
	unsigned w;
};

static int model_accept(struct model *m, uint64_t s, bool commit)
{
	if (s == 0)
		return BAD;
	if (m->w == 0)
		return OK;
	if (s <= m->top && m->top - s >= m->w)
		return OLD;
	if (m->seen[s - m->base])
		return DUP;
	if (commit) {
		m->seen[s - m->base] = 1;
		if (s > m->top)
			m->top = s;
	}
	return OK;
}

/*
 * Random traffic (reordering, duplicates, jumps) around a start point, for
 * several window sizes, with and without ESN: the window must agree with
 * the model on every packet and ESN must recover the sender's number.
 */
static void test_replay_random_vs_model(void **state)
{
	static const unsigned windows[] = {0, 1, 32, 63, 64, 65, 100, 1024, 1984, 4096};
	static const uint64_t starts[] = {0, 0xffff0000ull, 0x7ffffff00000ull};
	const size_t span = 1 << 20;

	srand(4303);
	for (size_t wi = 0; wi < N(windows); wi++) {
		for (size_t si = 0; si < N(starts); si++) {
			for (int esn = 0; esn < 2; esn++) {
				uint64_t base = starts[si], sent = base;
				struct model m = {NULL, base, base, windows[wi]};
				struct esp_replay *r;

				if (!esn && base + span > UINT32_MAX)
					continue;
				m.seen = calloc(span + 8192, 1);
				assert_non_null(m.seen);
				assert_int_equal(esp_replay_new(&r, windows[wi], esn), 0);
				if (base) {
					/* bring the receiver to the start point */
					assert_int_equal(esp_replay_update(r, base), 0);
					m.seen[0] = 1;
				}
				for (int i = 0; i < 200000; i++) {
					uint64_t s;
					int want, got, roll = rand() % 100;
					uint64_t full;

					if (roll < 70 || sent == base)
						s = ++sent; /* in order */
					else if (roll < 99) {
						uint64_t back = (uint64_t)(rand() % 5000);
						s = sent > base + back ? sent - back : sent;
					} else {
						sent += (uint64_t)(rand() % 3000);
						s = sent;
					}
					if (s - base >= span)
						break;
					want = model_accept(&m, s, false);
					got = esp_replay_check(r, (uint32_t)s, &full);
					/*
					 * ESN cannot tell a number left of the window
					 * from one 2^32 later (A2.2): it may pass the
					 * check with other high bits, and then fails
					 * the ICV, which covers them.
					 */
					if (esn && want == OLD && (got != 0 || full != s))
						continue;
					if (got != want || (got == 0 && full != s))
						fail_msg("w %u esn %d start %#llx: seq %#llx got "
							 "%d (%#llx) "
							 "want %d",
							 windows[wi], esn, (unsigned long long)base,
							 (unsigned long long)s, got,
							 (unsigned long long)full, want);
					if (got == 0) {
						model_accept(&m, s, true);
						assert_int_equal(esp_replay_update(r, s), 0);
					}
				}
				esp_replay_free(r);
				free(m.seen);
			}
		}
	}
}

/* Update re-checks: a number accepted twice between check and update. */
static void test_replay_update_rechecks(void **state)
{
	struct esp_replay *r;
	uint64_t a, b;

	assert_int_equal(esp_replay_new(&r, 64, false), 0);
	assert_int_equal(esp_replay_check(r, 7, &a), 0);
	assert_int_equal(esp_replay_check(r, 7, &b), 0);
	assert_int_equal(esp_replay_update(r, a), 0);
	assert_int_equal(esp_replay_update(r, b), IG_EEXIST);
	assert_int_equal(esp_replay_update(r, 1000), 0);
	assert_int_equal(esp_replay_update(r, 7), IG_ERANGE);
	assert_int_equal(esp_replay_update(r, 0), IG_EINVAL);
	esp_replay_free(r);
}

static void test_replay_sizes(void **state)
{
	static const struct {
		unsigned window;
		int err;
		unsigned blocks;
	} t[] = {
		{0, 0, 0},
		{1, 0, 2},
		{32, 0, 2},
		{64, 0, 2},
		{65, 0, 4},
		{128, 0, 4},
		{129, 0, 4},
		{192, 0, 4},
		{193, 0, 8},
		{1024, 0, 32},
		{4096, 0, 128},
		{4097, IG_ERANGE, 0},
		{1u << 31, IG_ERANGE, 0},
	};

	for (size_t i = 0; i < N(t); i++) {
		struct esp_replay *r = NULL;

		assert_int_equal(esp_replay_new(&r, t[i].window, false), t[i].err);
		if (t[i].err) {
			assert_null(r);
			continue;
		}
		assert_int_equal(esp_replay_window(r), t[i].window);
		assert_int_equal(esp_replay_blocks(r), t[i].blocks);
		assert_int_equal(esp_replay_top(r), 0);
		esp_replay_free(r);
	}
}

static void test_seq_next(void **state)
{
	struct esp_seq s;
	uint64_t v;

	esp_seq_init(&s, false);
	assert_int_equal(esp_seq_next(&s, &v), 0);
	assert_true(v == 1);
	assert_int_equal(esp_seq_next(&s, &v), 0);
	assert_true(v == 2);
	s.last = UINT32_MAX - 1;
	assert_int_equal(esp_seq_next(&s, &v), 0);
	assert_true(v == UINT32_MAX);
	assert_int_equal(esp_seq_next(&s, &v), IG_ERANGE);
	assert_int_equal(esp_seq_next(&s, &v), IG_ERANGE);
	assert_true(s.last == UINT32_MAX);

	esp_seq_init(&s, true);
	s.last = UINT32_MAX;
	assert_int_equal(esp_seq_next(&s, &v), 0);
	assert_true(v == 0x100000000ull);
	s.last = UINT64_MAX - 1;
	assert_int_equal(esp_seq_next(&s, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(esp_seq_next(&s, &v), IG_ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_default_window),
		cmocka_unit_test(test_replay_check_has_no_side_effect),
		cmocka_unit_test(test_replay_ring_wrap),
		cmocka_unit_test(test_replay_window_32),
		cmocka_unit_test(test_replay_window_4096),
		cmocka_unit_test(test_replay_off),
		cmocka_unit_test(test_replay_esn_rollover),
		cmocka_unit_test(test_replay_esn_small_window),
		cmocka_unit_test(test_replay_random_vs_model),
		cmocka_unit_test(test_replay_update_rechecks),
		cmocka_unit_test(test_replay_sizes),
		cmocka_unit_test(test_seq_next),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
