/* SPDX-License-Identifier: MIT */
/*
 * esp_range_to_cidrs(): traffic selector ranges (RFC 7296 3.13.1) into the
 * fewest prefixes that cover them exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "esp/esp_dp.h"
#include "lib/err.h"

static void test_ranges(void **state)
{
	static const struct {
		const char *first, *last;
		int n;
		const char *want; /* the prefixes, space separated */
	} t[] = {
		{"10.0.0.0", "10.0.0.255", 1, "10.0.0.0/24"},
		{"0.0.0.0", "255.255.255.255", 1, "0.0.0.0/0"},
		{"192.0.2.7", "192.0.2.7", 1, "192.0.2.7/32"},
		{"192.0.2.1", "192.0.2.6", 4,
		 "192.0.2.1/32 192.0.2.2/31 192.0.2.4/31 192.0.2.6/32"},
		{"192.0.2.0", "192.0.3.127", 2, "192.0.2.0/24 192.0.3.0/25"},
		{"10.0.0.255", "10.0.1.0", 2, "10.0.0.255/32 10.0.1.0/32"},
		{"255.255.255.254", "255.255.255.255", 1, "255.255.255.254/31"},
		{"0.0.0.1", "255.255.255.254", 62, NULL},
		{"::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "::/0"},
		{"2001:db8::", "2001:db8::ffff:ffff:ffff:ffff", 1, "2001:db8::/64"},
		{"2001:db8::1", "2001:db8::2", 2, "2001:db8::1/128 2001:db8::2/128"},
		{"::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 254, NULL},
		{"10.0.0.2", "10.0.0.1", IG_EINVAL, NULL},
		{"10.0.0.1", "2001:db8::1", IG_EINVAL, NULL},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct addr f, l;
		struct cidr c[300];
		char got[1024] = "", s[CIDR_STRLEN];
		struct addr next = {0};
		int n;

		assert_int_equal(addr_parse(t[i].first, &f), 0);
		assert_int_equal(addr_parse(t[i].last, &l), 0);
		n = esp_range_to_cidrs(&f, &l, c, 300);
		if (n != t[i].n)
			fail_msg("%s-%s: %d prefixes, want %d", t[i].first, t[i].last, n, t[i].n);
		/* Counting only (cap 0) agrees. */
		assert_int_equal(esp_range_to_cidrs(&f, &l, NULL, 0), t[i].n);
		for (int j = 0; j < n; j++) {
			struct addr a, b;

			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", j ? " " : "",
				 cidr_format(&c[j], s, sizeof(s)));
			/* Exact cover: each prefix starts right after the previous one. */
			cidr_range(&c[j], &a, &b);
			assert_true(addr_eq(&a, j == 0 ? &f : &next));
			if (j == n - 1)
				assert_true(addr_eq(&b, &l));
			assert_false(cidr_has_host_bits(&c[j]));
			next = b;
			for (size_t k = addr_len(&next); k-- > 0;)
				if (++next.b[k] != 0)
					break;
		}
		if (t[i].want && strcmp(got, t[i].want) != 0)
			fail_msg("%s-%s: got \"%s\", want \"%s\"", t[i].first, t[i].last, got,
				 t[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
