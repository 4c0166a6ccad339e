/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/addr.h"
#include "lib/err.h"

static void test_addr_parse_format(void **state)
{
	static const struct {
		const char *in;
		int err;
		const char *out;
	} t[] = {
		{ "203.0.113.7", 0, "203.0.113.7" },
		{ "2001:db8::1", 0, "2001:db8::1" },
		{ "2001:DB8:0:0::1", 0, "2001:db8::1" },
		{ "0.0.0.0", 0, "0.0.0.0" },
		{ "256.1.1.1", IG_EINVAL, NULL },
		{ "1.2.3", IG_EINVAL, NULL },
		{ "", IG_EINVAL, NULL },
		{ "vpn.example.com", IG_EINVAL, NULL },
		{ "2001:db8::1::2", IG_EINVAL, NULL },
	};
	char buf[ADDR_STRLEN];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct addr a;

		assert_int_equal(addr_parse(t[i].in, &a), t[i].err);
		if (t[i].out)
			assert_string_equal(addr_format(&a, buf, sizeof(buf)), t[i].out);
	}
}

static void test_cidr_parse(void **state)
{
	static const struct {
		const char *in;
		unsigned flags;
		int err;
		const char *out;
	} t[] = {
		{ "192.168.25.0/24", 0, 0, "192.168.25.0/24" },
		{ "10.0.2.0/24", 0, 0, "10.0.2.0/24" },
		{ "0.0.0.0/0", 0, 0, "0.0.0.0/0" },
		{ "::/0", 0, 0, "::/0" },
		{ "198.51.100.57", 0, 0, "198.51.100.57/32" },
		{ "2001:db8::/32", 0, 0, "2001:db8::/32" },
		{ "192.168.25.1/24", 0, IG_EHOSTBITS, NULL },
		{ "169.254.200.5/30", CIDR_ALLOW_HOST, 0, "169.254.200.5/30" },
		{ "10.0.0.0/33", 0, IG_ERANGE, NULL },
		{ "2001:db8::/129", 0, IG_ERANGE, NULL },
		{ "10.0.0.0/", 0, IG_EINVAL, NULL },
		{ "10.0.0.0/-1", 0, IG_EINVAL, NULL },
		{ "10.0.0.0/2x", 0, IG_EINVAL, NULL },
		{ "/24", 0, IG_EINVAL, NULL },
		{ "10.0.0.0/0024", 0, IG_EINVAL, NULL },
	};
	char buf[CIDR_STRLEN];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cidr c;

		assert_int_equal(cidr_parse(t[i].in, &c, t[i].flags), t[i].err);
		if (t[i].out)
			assert_string_equal(cidr_format(&c, buf, sizeof(buf)), t[i].out);
	}
}

static struct cidr C(const char *s)
{
	struct cidr c;

	assert_int_equal(cidr_parse(s, &c, CIDR_ALLOW_HOST), 0);
	return c;
}

static struct addr A(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static void test_contains_overlap(void **state)
{
	static const struct {
		const char *x, *y;
		bool x_contains_y, overlap;
	} t[] = {
		{ "192.168.0.0/16", "192.168.25.0/24", true, true },
		{ "192.168.25.0/24", "192.168.0.0/16", false, true },
		{ "192.168.0.0/24", "192.168.25.0/24", false, false },
		{ "0.0.0.0/0", "10.0.2.0/24", true, true },
		{ "10.0.2.0/24", "10.0.2.0/24", true, true },
		{ "10.0.2.0/25", "10.0.2.128/25", false, false },
		{ "::/0", "10.0.2.0/24", false, false },
		{ "2001:db8::/32", "2001:db8:1::/48", true, true },
		{ "2001:db8:1::/48", "2001:db8:2::/48", false, false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cidr x = C(t[i].x), y = C(t[i].y);

		assert_int_equal(cidr_contains(&x, &y), t[i].x_contains_y);
		assert_int_equal(cidr_overlap(&x, &y), t[i].overlap);
		assert_int_equal(cidr_overlap(&y, &x), t[i].overlap);
	}
	struct cidr n = C("192.168.25.0/24");
	struct addr in = A("192.168.25.3"), out = A("192.168.26.3");
	assert_true(cidr_contains_addr(&n, &in));
	assert_false(cidr_contains_addr(&n, &out));
}

static void test_range(void **state)
{
	static const struct {
		const char *c, *first, *last;
	} t[] = {
		{ "192.168.25.0/24", "192.168.25.0", "192.168.25.255" },
		{ "0.0.0.0/0", "0.0.0.0", "255.255.255.255" },
		{ "10.1.2.3/32", "10.1.2.3", "10.1.2.3" },
		{ "10.0.0.0/9", "10.0.0.0", "10.127.255.255" },
		{ "::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
		{ "2001:db8::/33", "2001:db8::", "2001:db8:7fff:ffff:ffff:ffff:ffff:ffff" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cidr c = C(t[i].c), back;
		struct addr f, l, wf = A(t[i].first), wl = A(t[i].last);

		cidr_range(&c, &f, &l);
		assert_true(addr_eq(&f, &wf));
		assert_true(addr_eq(&l, &wl));
		assert_int_equal(cidr_from_range(&f, &l, &back), 0);
		assert_true(cidr_eq(&back, &c));
	}
	struct addr f = A("10.0.0.1"), l = A("10.0.0.6");
	struct cidr c;
	assert_int_equal(cidr_from_range(&f, &l, &c), IG_EINVAL);
}

static void test_p2p_peer(void **state)
{
	static const struct {
		const char *local;
		int err;
		const char *peer;
	} t[] = {
		{ "169.254.200.5/30", 0, "169.254.200.6" },
		{ "169.254.200.6/30", 0, "169.254.200.5" },
		{ "169.254.200.4/30", IG_EINVAL, NULL },
		{ "169.254.200.7/30", IG_EINVAL, NULL },
		{ "169.254.200.5/29", IG_EINVAL, NULL },
		{ "2001:db8::1/126", 0, "2001:db8::2" },
	};
	char buf[ADDR_STRLEN];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cidr c = C(t[i].local);
		struct addr p;

		assert_int_equal(cidr_p2p_peer(&c, &p), t[i].err);
		if (t[i].peer)
			assert_string_equal(addr_format(&p, buf, sizeof(buf)), t[i].peer);
	}
}

static void test_sockaddr(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct addr a = A("2001:db8::7"), b;
	uint16_t port;

	assert_int_equal(addr_to_sockaddr(&a, 4500, &ss, &len), 0);
	assert_int_equal(addr_from_sockaddr(&b, &port, (struct sockaddr *)&ss, len), 0);
	assert_true(addr_eq(&a, &b));
	assert_int_equal(port, 4500);

	/* A v4-mapped address from a dual-stack socket is the IPv4 peer. */
	struct addr mapped = A("::ffff:198.51.100.57"), want = A("198.51.100.57");
	assert_int_equal(addr_to_sockaddr(&mapped, 500, &ss, &len), 0);
	assert_int_equal(addr_from_sockaddr(&b, &port, (struct sockaddr *)&ss, len), 0);
	assert_true(addr_eq(&b, &want));
	struct addr unset = { 0 };
	assert_int_equal(addr_to_sockaddr(&unset, 1, &ss, &len), IG_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse_format),
		cmocka_unit_test(test_cidr_parse),
		cmocka_unit_test(test_contains_overlap),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_p2p_peer),
		cmocka_unit_test(test_sockaddr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
