/* SPDX-License-Identifier: MIT */
/* Token bucket with a fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "esp/tbf.h"
#include "lib/err.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MS   1000000ull
#define SEC  1000000000ull

static void test_tbf_burst_size(void **state)
{
	static const struct {
		uint64_t rate;
		uint64_t burst;
	} t[] = {
		{1000000, 65536},	    /* 1 Mbit/s: 10 ms = 1250 B, floor */
		{10000000, 65536},	    /* 10 Mbit/s: 12500 B, floor */
		{52428800, 65536},	    /* 10 ms = exactly 64 KiB */
		{100000000, 125000},	    /* 100 Mbit/s */
		{10000000000ull, 12500000}, /* 10 Gbit/s */
		{0, 0},
	};
	struct esp_tbf b;

	for (size_t i = 0; i < N(t); i++) {
		assert_int_equal(esp_tbf_init(&b, t[i].rate, 0), 0);
		assert_int_equal(esp_tbf_burst_bytes(&b), t[i].burst);
	}
	assert_int_equal(esp_tbf_init(&b, ESP_TBF_MAX_RATE, 0), 0);
	assert_int_equal(esp_tbf_init(&b, ESP_TBF_MAX_RATE + 1, 0), IG_ERANGE);
}

/*
 * Offered load above the cap for 10 s: the bytes that pass equal
 * rate * time + burst within 1%, at several rates and packet sizes.
 */
static void test_tbf_sustained_rate(void **state)
{
	static const struct {
		uint64_t rate;
		uint32_t pkt;
		uint64_t gap_ns; /* offered: pkt * 8 / gap > rate */
	} t[] = {
		{10000000, 1500, 600000},  /* 10 Mbit/s, offered 20 */
		{10000000, 64, 20000},	   /* small packets, offered 25.6 */
		{1000000, 1400, 5000000},  /* 1 Mbit/s, offered 2.24 */
		{100000000, 1500, 60000},  /* 100 Mbit/s, offered 200 */
		{1000000000, 9000, 36000}, /* 1 Gbit/s jumbo, offered 2 */
		{3333333, 1337, 1000000},  /* odd numbers, offered 10.7 */
	};

	for (size_t i = 0; i < N(t); i++) {
		struct esp_tbf b;
		uint64_t now = 12345 * SEC, start = now, passed = 0, dur = 10 * SEC;
		double want, got;

		assert_int_equal(esp_tbf_init(&b, t[i].rate, now), 0);
		for (; now < start + dur; now += t[i].gap_ns)
			if (esp_tbf_take(&b, t[i].pkt, now))
				passed += t[i].pkt;
		want = (double)t[i].rate / 8 * 10 + (double)esp_tbf_burst_bytes(&b);
		got = (double)passed;
		if (got < want * 0.99 || got > want * 1.01)
			fail_msg("rate %llu pkt %u: passed %.0f bytes, want %.0f +-1%%",
				 (unsigned long long)t[i].rate, t[i].pkt, got, want);
		/* and strictly never more than the bucket allows */
		assert_true(got <= want + t[i].pkt);
	}
}

/* Under the cap, everything passes. */
static void test_tbf_under_rate(void **state)
{
	struct esp_tbf b;
	uint64_t now = 0;

	assert_int_equal(esp_tbf_init(&b, 10000000, now), 0);
	for (int i = 0; i < 100000; i++, now += 1300000) /* 1500 B / 1.3 ms = 9.2 Mbit/s */
		assert_true(esp_tbf_take(&b, 1500, now));
}

/* A full bucket passes one burst at once, then waits for tokens. */
static void test_tbf_burst(void **state)
{
	struct esp_tbf b;
	uint64_t now = 5 * SEC;
	int n = 0;

	assert_int_equal(esp_tbf_init(&b, 100000000, now), 0); /* burst 125000 B */
	while (esp_tbf_take(&b, 1000, now))
		n++;
	assert_int_equal(n, 125);
	/* 1000 bytes = 8000 bits = 80 us at 100 Mbit/s */
	assert_false(esp_tbf_take(&b, 1000, now + 79999));
	assert_true(esp_tbf_take(&b, 1000, now + 80000));
	assert_false(esp_tbf_take(&b, 1, now + 80000));
	/* a packet larger than the burst never passes, even on a full bucket */
	assert_false(esp_tbf_take(&b, 125001, now + 3600 * SEC));
	assert_false(esp_tbf_take(&b, UINT32_MAX, now + 3600 * SEC));
	assert_true(esp_tbf_take(&b, 125000, now + 3600 * SEC));
}

/* Idle time refills up to the burst and no further, even after hours. */
static void test_tbf_idle_refill_cap(void **state)
{
	static const uint64_t idle[] = {10 * MS, 11 * MS, SEC, 3600 * SEC, UINT64_MAX / 2};
	struct esp_tbf b;

	for (size_t i = 0; i < N(idle); i++) {
		uint64_t now = 1000, passed = 0;

		assert_int_equal(esp_tbf_init(&b, 100000000, now), 0);
		while (esp_tbf_take(&b, 500, now)) /* empty it */
			;
		now += idle[i];
		while (esp_tbf_take(&b, 500, now))
			passed += 500;
		assert_int_equal(passed, 125000); /* 10 ms at 100 Mbit/s = the burst */
	}
	/* half the refill time refills half */
	assert_int_equal(esp_tbf_init(&b, 100000000, 0), 0);
	while (esp_tbf_take(&b, 500, 0))
		;
	uint64_t passed = 0;
	while (esp_tbf_take(&b, 500, 5 * MS))
		passed += 500;
	assert_int_equal(passed, 62500);
}

/* A clock that steps back neither refills nor breaks the bucket. */
static void test_tbf_clock_backwards(void **state)
{
	struct esp_tbf b;

	assert_int_equal(esp_tbf_init(&b, 1000000, 10 * SEC), 0);
	while (esp_tbf_take(&b, 1000, 10 * SEC))
		;
	assert_false(esp_tbf_take(&b, 1000, 9 * SEC));
	assert_false(esp_tbf_take(&b, 1000, 0));
	assert_true(esp_tbf_take(&b, 1000, 10 * SEC + 8 * MS));
}

static void test_tbf_unlimited_and_split(void **state)
{
	struct esp_tbf b;

	assert_int_equal(esp_tbf_init(&b, 0, 0), 0);
	for (int i = 0; i < 1000; i++)
		assert_true(esp_tbf_take(&b, 65535, 0));
	assert_true(esp_tbf_take(&b, UINT32_MAX, 0));

	assert_int_equal(esp_tbf_split(10000000, 3, 0), 3333334);
	assert_int_equal(esp_tbf_split(10000000, 3, 1), 3333333);
	assert_int_equal(esp_tbf_split(10000000, 3, 2), 3333333);
	assert_int_equal(esp_tbf_split(10000000, 0, 0), 10000000);
	uint64_t sum = 0;
	for (unsigned w = 0; w < 7; w++)
		sum += esp_tbf_split(1000000007, 7, w);
	assert_int_equal(sum, 1000000007);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tbf_burst_size),
		cmocka_unit_test(test_tbf_sustained_rate),
		cmocka_unit_test(test_tbf_under_rate),
		cmocka_unit_test(test_tbf_burst),
		cmocka_unit_test(test_tbf_idle_refill_cap),
		cmocka_unit_test(test_tbf_clock_backwards),
		cmocka_unit_test(test_tbf_unlimited_and_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
