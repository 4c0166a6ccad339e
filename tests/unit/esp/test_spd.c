/* SPDX-License-Identifier: MIT */
/* SPD: outbound lookups and inbound checks, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "esp/spd.h"
#include "lib/err.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ANY  0, 0, 65535

static struct esp_spd_sel S(const char *cidr, uint8_t proto, uint16_t lo, uint16_t hi) {
	struct esp_spd_sel s = {.proto = proto, .port_lo = lo, .port_hi = hi};

	assert_int_equal(cidr_parse(cidr, &s.net, CIDR_ALLOW_HOST), 0);
	return s;
}

static struct esp_inner
P(const char *src, const char *dst, uint8_t proto, int sport, int dport) {
	struct esp_inner p;

	memset(&p, 0, sizeof(p));
	assert_int_equal(addr_parse(src, &p.src), 0);
	assert_int_equal(addr_parse(dst, &p.dst), 0);
	p.proto = proto;
	p.ports_ok = sport >= 0;
	p.sport = (uint16_t)(sport < 0 ? 0 : sport);
	p.dport = (uint16_t)(dport < 0 ? 0 : dport);
	return p;
}

#define NOSA 0xffffffffu

/* The table used below; sa ids name what they are. */
static struct esp_spd *
guide_table(bool with_catch_all)
{
	/* The guide: cloud subnet 192.168.25.0/24, on-prem 192.168.0.0/24 and 10.0.2.0/24. */
	struct esp_spd_sel l25[] = {S("192.168.25.0/24", ANY)};
	struct esp_spd_sel r_guide[] = {S("192.168.0.0/24", ANY), S("10.0.2.0/24", ANY)};
	struct esp_spd_sel r_wide[] = {S("10.0.0.0/8", ANY)};
	struct esp_spd_sel r_https[] = {S("10.0.2.128/25", 6, 443, 443)};
	struct esp_spd_sel l25_low[] = {S("192.168.25.0/25", ANY)};
	struct esp_spd_sel r_one[] = {S("10.0.2.0/24", ANY)};
	struct esp_spd_sel l26[] = {S("192.168.26.0/24", ANY)};
	struct esp_spd_sel r_doc[] = {S("198.51.100.0/24", ANY)};
	struct esp_spd_sel l6[] = {S("2001:db8:25::/48", ANY)};
	struct esp_spd_sel r6[] = {S("2001:db8:2::/48", ANY), S("2001:db8:3::/48", 17, 500, 4500)};
	struct esp_spd_sel any4[] = {S("0.0.0.0/0", ANY)};
	struct esp_spd_sel any6[] = {S("::/0", ANY)};
	struct esp_spd_sel mixed_l[] = {S("192.168.27.0/24", ANY), S("2001:db8:27::/48", ANY)};
	struct esp_spd_sel mixed_r[] = {S("203.0.113.0/24", ANY), S("2001:db8:113::/48", ANY)};
	struct esp_spd_sel icmp_l[] = {S("192.168.28.0/24", 1, 0x0800, 0x08ff)}; /* echo request */
	struct esp_spd_entry e[] = {
		{l25, 1, r_guide, 2, 1},   /* the guide's tunnel, two remote subnets */
		{l25, 1, r_wide, 1, 2},	   /* less specific, overlaps 10.0.2.0/24 */
		{l25, 1, r_https, 1, 3},   /* more specific: HTTPS to 10.0.2.128/25 */
		{l25_low, 1, r_one, 1, 4}, /* same remote as SA 1, longer local prefix */
		{l26, 1, r_doc, 1, 10},	   /* identical selectors: the first wins */
		{l26, 1, r_doc, 1, 11},	      {l6, 1, r6, 2, 6},
		{mixed_l, 2, mixed_r, 2, 12},			     /* v4 and v6 in one entry */
		{icmp_l, 1, any4, 1, 13},     {any4, 1, any4, 1, 9}, /* route-based catch-all */
		{any6, 1, any6, 1, 7},
	};
	struct esp_spd *t;

	assert_int_equal(esp_spd_build(&t, e, with_catch_all ? N(e) : N(e) - 2), 0);
	return t;
}

static void test_spd_lookup(void **state)
{
	static const struct {
		const char *src, *dst;
		uint8_t proto;
		int sport, dport;
		uint32_t sa, sa_no_catch_all;
	} t[] = {
		{"192.168.25.200", "192.168.0.7", 6, 40000, 22, 1, 1},
		{"192.168.25.200", "10.0.2.5", 17, 53, 53, 1, 1},
		{"192.168.25.3", "10.0.2.5", 1, 0x0800, 0x0800, 4, 4}, /* /25 local wins */
		{"192.168.25.3", "192.168.0.7", 6, 1, 2, 1, 1},	     /* SA 4 has no 192.168.0/24 */
		{"192.168.25.3", "10.0.2.200", 6, 50000, 443, 3, 3}, /* /25 remote + port */
		{"192.168.25.200", "10.0.2.200", 6, 50000, 443, 3, 3},
		{"192.168.25.3", "10.0.2.200", 17, 50000, 443, 4, 4}, /* not TCP */
		{"192.168.25.3", "10.0.2.200", 6, 50000, 80, 4, 4},   /* not 443 */
		{"192.168.25.3", "10.0.2.200", 6, -1, -1, 4, 4},      /* fragment: OPAQUE */
		{"192.168.25.3", "10.9.9.9", 6, 1, 2, 2, 2},	      /* only the /8 */
		{"192.168.25.3", "10.0.1.255", 6, 1, 2, 2, 2},
		{"192.168.26.1", "198.51.100.9", 6, 1, 2, 10, 10}, /* tie: first entry */
		{"192.168.27.1", "203.0.113.9", 6, 1, 2, 12, 12},
		{"2001:db8:27::1", "2001:db8:113::9", 6, 1, 2, 12, 12},
		{"192.168.28.1", "203.0.113.9", 1, 0x0800, 0x0800, 13, 13},
		{"192.168.28.1", "203.0.113.9", 1, 0x0000, 0x0000, 9, NOSA}, /* echo reply */
		{"2001:db8:25::1", "2001:db8:2::1", 58, 0x8000, 0x8000, 6, 6},
		{"2001:db8:25:ffff::1", "2001:db8:3::1", 17, 4500, 4500, 6, 6},
		{"2001:db8:25::1", "2001:db8:3::1", 17, 4500, 4501, 7, NOSA},
		{"2001:db8:25::1", "2001:db8:3::1", 6, 4500, 4500, 7, NOSA},
		{"2001:db8:26::1", "2001:db8:2::1", 6, 1, 2, 7, NOSA},
		{"203.0.113.5", "198.51.100.9", 6, 1, 2, 9, NOSA},
		{"192.168.0.7", "192.168.25.3", 6, 1, 2, 9, NOSA}, /* reverse direction */
		{"10.0.2.5", "192.168.25.3", 6, 1, 2, 9, NOSA},
	};
	struct esp_spd *with = guide_table(true), *without = guide_table(false);

	for (size_t i = 0; i < N(t); i++) {
		struct esp_inner p = P(t[i].src, t[i].dst, t[i].proto, t[i].sport, t[i].dport);
		uint32_t sa = NOSA;
		int e;

		e = esp_spd_lookup(with, &p, &sa);
		if ((e == 0 ? sa : NOSA) != t[i].sa)
			fail_msg("row %zu %s -> %s: got %d sa %u, want sa %u", i, t[i].src,
				 t[i].dst, e, sa, t[i].sa);
		sa = NOSA;
		e = esp_spd_lookup(without, &p, &sa);
		if ((e == 0 ? sa : NOSA) != t[i].sa_no_catch_all)
			fail_msg("row %zu (no catch-all) %s -> %s: got %d sa %u, want %u", i,
				 t[i].src, t[i].dst, e, sa, t[i].sa_no_catch_all);
		if (t[i].sa_no_catch_all == NOSA)
			assert_int_equal(e, IG_ENOENT);
	}
	/* 11 entries: 2 + 1 + 1 + 1 + 1 + 1 + 2 + (2 v4/v4 + 2 v6/v6 of 4) ... */
	assert_int_equal(esp_spd_pairs(with), 2 + 1 + 1 + 1 + 1 + 1 + 2 + 2 + 1 + 1 + 1);
	esp_spd_free(with);
	esp_spd_free(without);
}

/* RFC 4301 5.2: the decapsulated packet must match the SA's selectors, reversed. */
static void test_spd_inbound(void **state)
{
	static const struct {
		uint32_t sa;
		const char *src, *dst;
		uint8_t proto;
		int sport, dport;
		bool ok;
	} t[] = {
		{1, "10.0.2.5", "192.168.25.3", 6, 22, 40000, true},
		{1, "192.168.0.99", "192.168.25.254", 17, 53, 53, true},
		{1, "10.0.3.5", "192.168.25.3", 6, 22, 40000, false},	/* not a remote subnet */
		{1, "10.0.2.5", "192.168.26.3", 6, 22, 40000, false},	/* not the local subnet */
		{1, "192.168.25.3", "10.0.2.5", 6, 22, 40000, false},	/* outbound direction */
		{3, "10.0.2.200", "192.168.25.3", 6, 443, 50000, true}, /* remote port = source */
		{3, "10.0.2.200", "192.168.25.3", 6, 50000, 443, false},
		{3, "10.0.2.200", "192.168.25.3", 17, 443, 50000, false},
		{3, "10.0.2.200", "192.168.25.3", 6, -1, -1, false}, /* OPAQUE ports */
		{3, "10.0.2.100", "192.168.25.3", 6, 443, 50000, false},
		{4, "10.0.2.5", "192.168.25.3", 6, 1, 2, true},
		{4, "10.0.2.5", "192.168.25.200", 6, 1, 2, false},
		{12, "203.0.113.1", "192.168.27.1", 6, 1, 2, true},
		{12, "2001:db8:113::1", "2001:db8:27::1", 6, 1, 2, true},
		{12, "2001:db8:113::1", "2001:db8:28::1", 6, 1, 2, false},
		{6, "2001:db8:3::1", "2001:db8:25::7", 17, 500, 4500, true},
		{6, "2001:db8:3::1", "2001:db8:25::7", 17, 501, 4500, true}, /* remote port 501 */
		{6, "2001:db8:3::1", "2001:db8:25::7", 17, 4501, 500, false},
		{9, "198.51.100.1", "203.0.113.1", 6, 1, 2, true},
		{9, "2001:db8::1", "2001:db8::2", 6, 1, 2, false},
		{7, "2001:db8::1", "2001:db8::2", 6, 1, 2, true},
		{99, "10.0.2.5", "192.168.25.3", 6, 1, 2, false}, /* unknown SA */
		{0, "10.0.2.5", "192.168.25.3", 6, 1, 2, false},
	};
	struct esp_spd *tab = guide_table(true);

	for (size_t i = 0; i < N(t); i++) {
		struct esp_inner p = P(t[i].src, t[i].dst, t[i].proto, t[i].sport, t[i].dport);

		if (esp_spd_inbound_ok(tab, t[i].sa, &p) != t[i].ok)
			fail_msg("row %zu sa %u %s -> %s: want %d", i, t[i].sa, t[i].src, t[i].dst,
				 t[i].ok);
	}
	esp_spd_free(tab);
}

static void test_spd_build_errors(void **state)
{
	struct esp_spd_sel good[] = {S("10.0.0.0/8", ANY)};
	struct esp_spd_sel ports[] = {S("10.0.0.0/8", 6, 10, 9)};
	struct esp_spd_sel nofam[1] = {{.port_hi = 65535}};
	struct esp_spd_sel plen[] = {S("10.0.0.0/8", ANY)};
	struct esp_spd_entry e1[] = {{good, 1, ports, 1, 1}};
	struct esp_spd_entry e2[] = {{nofam, 1, good, 1, 1}};
	struct esp_spd_entry e3[] = {{good, 1, plen, 1, 1}};
	struct esp_spd *t = (struct esp_spd *)1;
	struct esp_inner p = P("10.1.1.1", "10.2.2.2", 6, 1, 2);
	uint32_t sa;

	plen[0].net.plen = 33;
	assert_int_equal(esp_spd_build(&t, e1, 1), IG_EINVAL);
	assert_null(t);
	assert_int_equal(esp_spd_build(&t, e2, 1), IG_EINVAL);
	assert_int_equal(esp_spd_build(&t, e3, 1), IG_EINVAL);
	/* host bits in a selector are ignored */
	struct esp_spd_sel host[] = {S("10.1.1.1/8", ANY)};
	struct esp_spd_entry e4[] = {{host, 1, host, 1, 5}};
	assert_int_equal(esp_spd_build(&t, e4, 1), 0);
	assert_int_equal(esp_spd_lookup(t, &p, &sa), 0);
	assert_int_equal(sa, 5);
	esp_spd_free(t);
	/* empty table and no table */
	assert_int_equal(esp_spd_build(&t, NULL, 0), 0);
	assert_int_equal(esp_spd_lookup(t, &p, &sa), IG_ENOENT);
	assert_false(esp_spd_inbound_ok(t, 5, &p));
	esp_spd_free(t);
	assert_int_equal(esp_spd_lookup(NULL, &p, &sa), IG_ENOENT);
}

/* Publication: swap tables; the old one is freed after the worker passes. */
static void test_spd_publish(void **state)
{
	struct esp_spd_sel a[] = {S("0.0.0.0/0", ANY)};
	struct esp_spd_entry e1[] = {{a, 1, a, 1, 1}}, e2[] = {{a, 1, a, 1, 2}};
	struct esp_inner p = P("10.1.1.1", "10.2.2.2", 6, 1, 2);
	struct esp_spd_pub pub;
	struct esp_spd *t1, *t2;
	struct esp_rcu rcu;
	uint32_t sa;

	assert_int_equal(esp_rcu_init(&rcu, 1), 0);
	esp_spd_pub_init(&pub);
	assert_null(esp_spd_current(&pub));
	esp_rcu_online(&rcu, 0);
	assert_int_equal(esp_spd_build(&t1, e1, 1), 0);
	assert_int_equal(esp_spd_build(&t2, e2, 1), 0);
	esp_spd_publish(&pub, t1, &rcu);
	assert_int_equal(esp_rcu_pending(&rcu), 0);
	assert_int_equal(esp_spd_lookup(esp_spd_current(&pub), &p, &sa), 0);
	assert_int_equal(sa, 1);
	esp_spd_publish(&pub, t2, &rcu);
	assert_int_equal(esp_rcu_pending(&rcu), 1);
	assert_int_equal(esp_rcu_reclaim(&rcu), 0); /* worker 0 has not been quiescent */
	assert_int_equal(esp_spd_lookup(esp_spd_current(&pub), &p, &sa), 0);
	assert_int_equal(sa, 2);
	esp_rcu_quiescent(&rcu, 0);
	assert_int_equal(esp_rcu_reclaim(&rcu), 1);
	esp_spd_publish(&pub, NULL, &rcu);
	assert_int_equal(esp_spd_lookup(esp_spd_current(&pub), &p, &sa), IG_ENOENT);
	esp_rcu_offline(&rcu, 0);
	assert_int_equal(esp_rcu_reclaim(&rcu), 1);
	esp_rcu_destroy(&rcu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spd_lookup),
		cmocka_unit_test(test_spd_inbound),
		cmocka_unit_test(test_spd_build_errors),
		cmocka_unit_test(test_spd_publish),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
