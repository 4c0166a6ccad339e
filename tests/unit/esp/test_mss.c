/* SPDX-License-Identifier: MIT */
/*
 * MSS clamping on real SYN packets built here with correct checksums; after
 * clamping, the TCP checksum is recomputed from scratch and must match.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esp/inner.h"
#include "esp/mss.h"
#include "lib/err.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct pkt {
	uint8_t b[1600];
	size_t len;
	size_t l4;  /* TCP header offset */
	int family; /* 4 or 6 */
};

/* 198.51.100.10 -> 203.0.113.20 and 2001:db8::a -> 2001:db8:1::14 */
static const uint8_t src4[4] = {198, 51, 100, 10}, dst4[4] = {203, 0, 113, 20};
static const uint8_t src6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x0a};
static const uint8_t dst6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x14};

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* RFC 9293 3.1 (IPv4 pseudo-header) / RFC 8200 8.1 (IPv6). */
static uint16_t tcp_csum(const struct pkt *p)
{
	size_t tl = p->len - p->l4;
	uint8_t ph[40] = {0};
	uint32_t s = 0;
	size_t phl;

	if (p->family == 4) {
		memcpy(ph, src4, 4);
		memcpy(ph + 4, dst4, 4);
		ph[9] = 6;
		ph[10] = (uint8_t)(tl >> 8);
		ph[11] = (uint8_t)tl;
		phl = 12;
	} else {
		memcpy(ph, src6, 16);
		memcpy(ph + 16, dst6, 16);
		ph[34] = (uint8_t)(tl >> 8);
		ph[35] = (uint8_t)tl;
		ph[39] = 6;
		phl = 40;
	}
	s = sum16(s, ph, phl);
	return fold(sum16(s, p->b + p->l4, tl));
}

static bool csum_ok(const struct pkt *p)
{
	struct pkt q = *p;

	q.b[q.l4 + 16] = q.b[q.l4 + 17] = 0;
	return tcp_csum(&q) == (uint16_t)(p->b[p->l4 + 16] << 8 | p->b[p->l4 + 17]);
}

/*
 * Builds IP (with ip_opts bytes: IPv4 options, or an IPv6 extension chain
 * whose first next-header value is ext_nh) + TCP (flags, options) + payload.
 */
static void build(struct pkt *p, int family, const uint8_t *ip_opts, size_t ip_olen, uint8_t ext_nh,
		  uint8_t flags, const uint8_t *opts, size_t olen, size_t payload)
{
	size_t ihl, thl = 20 + olen, tot;
	uint8_t *t;

	assert_true(olen % 4 == 0 && olen <= 40);
	memset(p, 0, sizeof(*p));
	p->family = family;
	if (family == 4) {
		ihl = 20 + ip_olen;
		tot = ihl + thl + payload;
		p->b[0] = (uint8_t)(0x40 | ihl / 4);
		p->b[2] = (uint8_t)(tot >> 8);
		p->b[3] = (uint8_t)tot;
		p->b[6] = 0x40; /* DF */
		p->b[8] = 64;
		p->b[9] = 6;
		memcpy(p->b + 12, src4, 4);
		memcpy(p->b + 16, dst4, 4);
		if (ip_olen)
			memcpy(p->b + 20, ip_opts, ip_olen);
		uint16_t c = fold(sum16(0, p->b, ihl));
		p->b[10] = (uint8_t)(c >> 8);
		p->b[11] = (uint8_t)c;
	} else {
		ihl = 40 + ip_olen;
		tot = ihl + thl + payload;
		p->b[0] = 0x60;
		p->b[4] = (uint8_t)((tot - 40) >> 8);
		p->b[5] = (uint8_t)(tot - 40);
		p->b[6] = ip_olen ? ext_nh : 6;
		p->b[7] = 64;
		memcpy(p->b + 8, src6, 16);
		memcpy(p->b + 24, dst6, 16);
		if (ip_olen)
			memcpy(p->b + 40, ip_opts, ip_olen);
	}
	p->l4 = ihl;
	p->len = tot;
	t = p->b + ihl;
	t[0] = 0xc3; /* 50000 -> 443 */
	t[1] = 0x50;
	t[2] = 0x01;
	t[3] = 0xbb;
	t[4] = 0x12; /* seq */
	t[12] = (uint8_t)(thl / 4 << 4);
	t[13] = flags;
	t[14] = 0xfa;
	t[15] = 0xf0;
	if (olen)
		memcpy(t + 20, opts, olen);
	for (size_t i = 0; i < payload; i++)
		t[thl + i] = (uint8_t)(i * 7 + 1);
	uint16_t c = tcp_csum(p);
	t[16] = (uint8_t)(c >> 8);
	t[17] = (uint8_t)c;
	assert_true(csum_ok(p));
}

/* A Linux SYN: MSS 1460, SACK permitted, timestamps, NOP, window scale 7. */
static const uint8_t linux_syn[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
				    0, 1, 0,	0,    0, 0, 1, 3,  3, 7};

static uint16_t mss_at(const struct pkt *p, size_t opt_off)
{
	const uint8_t *v = p->b + p->l4 + 20 + opt_off + 2;

	return (uint16_t)(v[0] << 8 | v[1]);
}

static void test_mss_table(void **state)
{
	/* HBH (8 bytes, PadN) then destination options (8 bytes), then TCP. */
	static const uint8_t v6ext[] = {60, 0, 1, 4, 0, 0, 0, 0, 6, 0, 1, 4, 0, 0, 0, 0};
	static const uint8_t v4opt[] = {1, 1, 1, 0};			 /* NOP NOP NOP EOL */
	static const uint8_t odd_mss[] = {1, 2, 4, 0x23, 0x28, 1, 1, 0}; /* MSS 9000 at +1 */
	static const uint8_t low_mss[] = {2, 4, 0x04, 0xb0};		 /* 1200 */
	static const uint8_t no_mss[] = {1, 3, 3, 7, 4, 2, 1, 1};
	static const uint8_t trunc_opt[] = {1, 1, 8, 10, 0, 0, 0, 0}; /* TS past the end */
	static const uint8_t zero_len[] = {2, 4, 0x05, 0xb4, 30, 0, 0, 0};
	static const uint8_t one_len[] = {30, 1, 0, 0};
	static const uint8_t mss_len3[] = {2, 3, 0x05, 0xb4};
	static const uint8_t mss_twice[] = {2, 4, 0x05, 0xb4, 2, 4, 0x05, 0xb4};
	static const uint8_t eol_then_junk[] = {2, 4, 0x05, 0xb4, 0, 0xff, 0xff, 0xff};
	static const uint8_t mss_last[] = {1, 1, 1, 1, 2, 4, 0xff, 0xff};
	static const struct {
		const char *name;
		int family;
		const uint8_t *ipo;
		size_t ipolen;
		uint8_t ext_nh, flags;
		const uint8_t *opts;
		size_t olen;
		size_t payload;
		int want;
		size_t mss_off; /* where the MSS option is, to read it back */
		uint16_t mss_after;
	} t[] = {
		{"v4 SYN 1460", 4, NULL, 0, 0, 0x02, linux_syn, 20, 0, 1, 0, 1360},
		{"v4 SYN-ACK", 4, NULL, 0, 0, 0x12, linux_syn, 20, 0, 1, 0, 1360},
		{"v4 SYN + data", 4, NULL, 0, 0, 0x02, linux_syn, 20, 33, 1, 0, 1360},
		{"v4 IP options", 4, v4opt, 4, 0, 0x02, linux_syn, 20, 0, 1, 0, 1360},
		{"v4 odd offset", 4, NULL, 0, 0, 0x02, odd_mss, 8, 1, 1, 1, 1360},
		{"v4 MSS last", 4, NULL, 0, 0, 0x02, mss_last, 8, 0, 1, 4, 1360},
		{"v4 already lower", 4, NULL, 0, 0, 0x02, low_mss, 4, 0, 0, 0, 1200},
		{"v4 no MSS", 4, NULL, 0, 0, 0x02, no_mss, 8, 0, 0, 0, 0},
		{"v4 no options", 4, NULL, 0, 0, 0x02, NULL, 0, 0, 0, 0, 0},
		{"v4 ACK", 4, NULL, 0, 0, 0x10, linux_syn, 20, 0, 0, 0, 1460},
		{"v4 truncated opt", 4, NULL, 0, 0, 0x02, trunc_opt, 8, 0, IG_ETRUNC, 0, 0},
		{"v4 option len 0", 4, NULL, 0, 0, 0x02, zero_len, 8, 0, IG_EINVAL, 0, 1460},
		{"v4 option len 1", 4, NULL, 0, 0, 0x02, one_len, 4, 0, IG_EINVAL, 0, 0},
		{"v4 MSS len 3", 4, NULL, 0, 0, 0x02, mss_len3, 4, 0, IG_EINVAL, 0, 1460},
		{"v4 MSS twice", 4, NULL, 0, 0, 0x02, mss_twice, 8, 0, IG_EINVAL, 0, 1460},
		{"v4 EOL ends", 4, NULL, 0, 0, 0x02, eol_then_junk, 8, 0, 1, 0, 1360},
		{"v6 SYN", 6, NULL, 0, 0, 0x02, linux_syn, 20, 0, 1, 0, 1360},
		{"v6 SYN-ACK + data", 6, NULL, 0, 0, 0x12, linux_syn, 20, 7, 1, 0, 1360},
		{"v6 HBH+dstopts", 6, v6ext, 16, 0, 0x02, linux_syn, 20, 0, 1, 0, 1360},
		{"v6 odd offset", 6, NULL, 0, 0, 0x02, odd_mss, 8, 0, 1, 1, 1360},
		{"v6 already lower", 6, NULL, 0, 0, 0x02, low_mss, 4, 0, 0, 0, 1200},
		{"v6 truncated opt", 6, NULL, 0, 0, 0x02, trunc_opt, 8, 0, IG_ETRUNC, 0, 0},
	};

	for (size_t i = 0; i < N(t); i++) {
		struct esp_mss_counters c = {0};
		struct pkt p, before;
		int r;

		build(&p, t[i].family, t[i].ipo, t[i].ipolen, t[i].ext_nh ? t[i].ext_nh : 0,
		      t[i].flags, t[i].opts, t[i].olen, t[i].payload);
		if (t[i].family == 6 && t[i].ipolen)
			p.b[6] = 0; /* the chain starts with hop-by-hop */
		before = p;
		r = esp_mss_clamp(p.b, p.len, 1360, &c);
		if (r != t[i].want)
			fail_msg("%s: got %d, want %d", t[i].name, r, t[i].want);
		assert_true(csum_ok(&p));
		if (r == ESP_MSS_CLAMPED) {
			assert_int_equal(c.clamped, 1);
			assert_int_equal(c.malformed, 0);
			assert_memory_equal(p.b, before.b, p.l4); /* IP header untouched */
		} else {
			/* unchanged, byte for byte */
			assert_memory_equal(p.b, before.b, sizeof(p.b));
			assert_int_equal(c.clamped, 0);
			assert_int_equal(c.malformed, r < 0 ? 1 : 0);
		}
		if (t[i].mss_after)
			assert_int_equal(mss_at(&p, t[i].mss_off), t[i].mss_after);
		/* clamping twice changes nothing more */
		if (r == ESP_MSS_CLAMPED) {
			before = p;
			assert_int_equal(esp_mss_clamp(p.b, p.len, 1360, NULL), 0);
			assert_memory_equal(p.b, before.b, sizeof(p.b));
		}
	}
}

/* Packets the clamp must not touch at the IP level. */
static void test_mss_ip_cases(void **state)
{
	struct pkt p, before;

	/* A non-first IPv4 fragment that happens to look like a SYN. */
	build(&p, 4, NULL, 0, 0, 0x02, linux_syn, 20, 0);
	p.b[6] = 0x00;
	p.b[7] = 0x10; /* offset 16 * 8 */
	before = p;
	assert_int_equal(esp_mss_clamp(p.b, p.len, 1360, NULL), ESP_MSS_UNCHANGED);
	assert_memory_equal(p.b, before.b, p.len);

	/* The first fragment (MF set, offset 0) is clamped. */
	build(&p, 4, NULL, 0, 0, 0x02, linux_syn, 20, 0);
	p.b[6] = 0x20;
	assert_int_equal(esp_mss_clamp(p.b, p.len, 1360, NULL), ESP_MSS_CLAMPED);
	assert_true(csum_ok(&p));

	/* UDP. */
	build(&p, 4, NULL, 0, 0, 0x02, linux_syn, 20, 0);
	p.b[9] = 17;
	assert_int_equal(esp_mss_clamp(p.b, p.len, 1360, NULL), ESP_MSS_UNCHANGED);

	/* The IP total length says more than we have. */
	struct esp_mss_counters c = {0};
	build(&p, 4, NULL, 0, 0, 0x02, linux_syn, 20, 0);
	before = p;
	assert_int_equal(esp_mss_clamp(p.b, p.len - 1, 1360, &c), IG_ETRUNC);
	assert_memory_equal(p.b, before.b, p.len);
	assert_int_equal(c.malformed, 1);

	/* Bytes after the IP datagram (a TUN read of a padded frame) are ignored. */
	build(&p, 4, NULL, 0, 0, 0x02, linux_syn, 20, 0);
	assert_int_equal(esp_mss_clamp(p.b, p.len + 10, 1360, NULL), ESP_MSS_CLAMPED);
	assert_true(csum_ok(&p));

	/* TCP data offset < 5, and a data offset past the datagram. */
	build(&p, 4, NULL, 0, 0, 0x02, linux_syn, 20, 0);
	p.b[p.l4 + 12] = 0x40;
	assert_int_equal(esp_mss_clamp(p.b, p.len, 1360, NULL), IG_EINVAL);
	p.b[p.l4 + 12] = 0xf0;
	assert_int_equal(esp_mss_clamp(p.b, p.len, 1360, NULL), IG_ETRUNC);

	/* IPv4 IHL < 5. */
	build(&p, 4, NULL, 0, 0, 0x02, linux_syn, 20, 0);
	p.b[0] = 0x44;
	assert_int_equal(esp_mss_clamp(p.b, p.len, 1360, NULL), IG_EINVAL);

	/* IPv6 non-first fragment, and a first fragment (clamped). */
	static const uint8_t frag_nf[] = {6, 0, 0x00, 0x08, 0, 0, 0, 1};
	static const uint8_t frag_first[] = {6, 0, 0x00, 0x01, 0, 0, 0, 1};
	build(&p, 6, frag_nf, 8, 44, 0x02, linux_syn, 20, 0);
	assert_int_equal(esp_mss_clamp(p.b, p.len, 1360, NULL), ESP_MSS_UNCHANGED);
	build(&p, 6, frag_first, 8, 44, 0x02, linux_syn, 20, 0);
	assert_int_equal(esp_mss_clamp(p.b, p.len, 1360, NULL), ESP_MSS_CLAMPED);
	assert_true(csum_ok(&p));

	/* IPv6 routing header whose length runs past the payload. */
	static const uint8_t rh_long[] = {6, 200, 0, 0, 0, 0, 0, 0};
	build(&p, 6, rh_long, 8, 43, 0x02, linux_syn, 20, 0);
	assert_int_equal(esp_mss_clamp(p.b, p.len, 1360, NULL), IG_ETRUNC);

	/* Other IP versions and empty input. */
	p.b[0] = 0x50;
	assert_int_equal(esp_mss_clamp(p.b, p.len, 1360, NULL), ESP_MSS_UNCHANGED);
	assert_int_equal(esp_mss_clamp(p.b, 0, 1360, NULL), IG_ETRUNC);
}

/*
 * Random SYNs: random options around the MSS (random offset, so both
 * alignments), random payload length and clamp value. The result must
 * always checksum from scratch and hold min(old, clamp).
 */
static void test_mss_random(void **state)
{
	srand(1624);
	for (int i = 0; i < 20000; i++) {
		uint8_t opts[40];
		size_t olen = 4 * (size_t)(1 + rand() % 10), at = (size_t)rand() % (olen - 3);
		uint16_t old = (uint16_t)rand(), want = (uint16_t)(rand() % 2000 + 500);
		struct pkt p;
		int r;

		memset(opts, 1, sizeof(opts)); /* NOPs */
		opts[at] = 2;
		opts[at + 1] = 4;
		opts[at + 2] = (uint8_t)(old >> 8);
		opts[at + 3] = (uint8_t)old;
		build(&p, rand() % 2 ? 4 : 6, NULL, 0, 0, 0x02, opts, olen, (size_t)rand() % 100);
		r = esp_mss_clamp(p.b, p.len, want, NULL);
		assert_int_equal(r, old > want ? ESP_MSS_CLAMPED : ESP_MSS_UNCHANGED);
		assert_true(csum_ok(&p));
		assert_int_equal(mss_at(&p, at), old > want ? want : old);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mss_table),
		cmocka_unit_test(test_mss_ip_cases),
		cmocka_unit_test(test_mss_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
