/* SPDX-License-Identifier: MIT */
#include "exchange_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "lib/log.h"

/*
 * A: on-prem gateway 192.168.0.123 behind a NAT that shows it as
 * 198.51.100.57 (ports 500 -> 1500, 4500 -> 14500), local subnets
 * 192.168.0.0/24 and 10.0.2.0/24. B: cloud gateway 203.0.113.7 with
 * 192.168.25.0/24.
 */
static struct hx *cur;
static char logbuf[64 * 1024];
static size_t loglen;

static void listener(void *ctx, enum log_subsys s, enum log_level l, const char *line)
{
	size_t n = strlen(line);

	(void)ctx;
	(void)s;
	(void)l;
	if (getenv("HX_VERBOSE"))
		fprintf(stderr, "%s\n", line);
	if (loglen + n + 2 < sizeof(logbuf)) {
		memcpy(logbuf + loglen, line, n);
		loglen += n;
		logbuf[loglen++] = '\n';
		logbuf[loglen] = '\0';
	}
}

bool hx_logged(const char *needle)
{
	return strstr(logbuf, needle) != NULL;
}

void hx_log_clear(void)
{
	loglen = 0;
	logbuf[0] = '\0';
}

static uint32_t rnd(struct hx *h)
{
	h->rng = h->rng * 1103515245u + 12345u;
	return (h->rng >> 16) % 100;
}

static struct addr A(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static const char *nat_public(const struct hx *h)
{
	return h->v6 ? "2001:db8:0:57::57" : "198.51.100.57";
}

static void enqueue(struct hx *h, const struct ike_endpoint *from, const struct ike_endpoint *to,
		    const uint8_t *msg, size_t len)
{
	struct hx_dgram *d;

	h->sent++;
	if (h->loss && rnd(h) < h->loss) {
		h->dropped++;
		return;
	}
	assert_true(h->nq < sizeof(h->q) / sizeof(h->q[0]));
	assert_true(len <= sizeof(d->data));
	d = &h->q[h->nq++];
	d->from = *from;
	d->to = *to;
	d->len = len;
	memcpy(d->data, msg, len);
	if (h->dup && rnd(h) < h->dup && h->nq < sizeof(h->q) / sizeof(h->q[0]))
		h->q[h->nq++] = *d;
}

static void io_send(void *ctx, const struct ike_endpoint *local, const struct ike_endpoint *remote,
		    const uint8_t *msg, size_t len)
{
	struct hx_side *s = ctx;
	struct hx *h = cur;
	struct ike_endpoint from = *local;

	/* The NAT rewrites A's source on the way out. */
	if (h->nat && s == &h->a) {
		from.addr = A(nat_public(h));
		from.port = local->port == 500 ? 1500 : 14500;
	}
	enqueue(h, &from, remote, msg, len);
}

static void io_keepalive(void *ctx, const struct ike_endpoint *local,
			 const struct ike_endpoint *remote)
{
	struct hx_side *s = ctx;

	(void)local;
	(void)remote;
	s->keepalives++;
}

static uint64_t io_now(void *ctx)
{
	(void)ctx;
	return cur->now;
}

static int io_install(void *ctx, const struct esp_sa_desc *in, const struct esp_sa_desc *out)
{
	struct hx_side *s = ctx;

	assert_true(s->n_child < HX_MAX_CHILD);
	/* Like esp_sa_install: an inbound SPI is installed once. */
	assert_false(hx_in_live(s, in->spi));
	s->in[s->n_child] = *in;
	s->out[s->n_child] = *out;
	s->live[s->n_child] = true;
	s->standby[s->n_child] = out->standby;
	s->n_child++;
	return 0;
}

static void io_remove(void *ctx, const struct esp_sa_desc *in, const struct esp_sa_desc *out)
{
	struct hx_side *s = ctx;

	(void)out;
	for (size_t i = 0; i < s->n_child; i++)
		if (s->live[i] && s->in[i].spi == in->spi)
			s->live[i] = false;
	s->removed++;
}

static void io_activate(void *ctx, const struct esp_sa_desc *in, const struct esp_sa_desc *out)
{
	struct hx_side *s = ctx;

	(void)out;
	for (size_t i = 0; i < s->n_child; i++)
		if (s->live[i] && s->in[i].spi == in->spi && s->standby[i]) {
			/* Newest first, like the SPD after esp_sa_activate(). */
			struct esp_sa_desc ti = s->in[i], to = s->out[i];

			memmove(&s->in[i], &s->in[i + 1], (s->n_child - i - 1) * sizeof(s->in[0]));
			memmove(&s->out[i], &s->out[i + 1],
				(s->n_child - i - 1) * sizeof(s->out[0]));
			memmove(&s->live[i], &s->live[i + 1],
				(s->n_child - i - 1) * sizeof(s->live[0]));
			memmove(&s->standby[i], &s->standby[i + 1],
				(s->n_child - i - 1) * sizeof(s->standby[0]));
			s->in[s->n_child - 1] = ti;
			s->out[s->n_child - 1] = to;
			s->live[s->n_child - 1] = true;
			s->standby[s->n_child - 1] = false;
			s->activated++;
			return;
		}
}

static int io_usage(void *ctx, uint32_t spi_in, uint32_t spi_out, struct ike_child_usage *u)
{
	struct hx_side *s = ctx;

	(void)spi_out;
	if (!hx_in_live(s, spi_in))
		return -1;
	u->bytes = s->usage_bytes;
	u->packets = s->usage_packets;
	u->last_in_ms = s->last_in_ms;
	return 0;
}

static uint64_t io_blocked(void *ctx, uint32_t tunnel_id)
{
	struct hx_side *s = ctx;

	(void)tunnel_id;
	return s->blocked;
}

bool hx_in_live(struct hx_side *s, uint32_t spi)
{
	for (size_t i = 0; i < s->n_child; i++)
		if (s->live[i] && s->in[i].spi == spi)
			return true;
	return false;
}

const struct esp_sa_desc *hx_active_out(struct hx_side *s)
{
	for (size_t i = s->n_child; i-- > 0;)
		if (s->live[i] && !s->standby[i])
			return &s->out[i];
	return NULL;
}

static void assert_pair(struct hx_side *from, struct hx_side *to)
{
	const struct esp_sa_desc *o = hx_active_out(from);

	assert_non_null(o);
	for (size_t i = 0; i < to->n_child; i++)
		if (to->live[i] && to->in[i].spi == o->spi) {
			assert_int_equal(o->enc_key_len, to->in[i].enc_key_len);
			assert_memory_equal(o->enc_key, to->in[i].enc_key, o->enc_key_len);
			assert_int_equal(o->int_key_len, to->in[i].int_key_len);
			assert_memory_equal(o->int_key, to->in[i].int_key, o->int_key_len);
			return;
		}
	fail_msg("%s sends with SPI %08x, which %s has no live inbound SA for", from->name, o->spi,
		 to->name);
}

void hx_assert_traffic_flows(struct hx *h)
{
	assert_pair(&h->a, &h->b);
	assert_pair(&h->b, &h->a);
}

static void side_init(struct hx *h, struct hx_side *s, const char *name, const char *yaml)
{
	struct ike_io io = {
		.ctx = s,
		.send = io_send,
		.send_keepalive = io_keepalive,
		.now_ms = io_now,
		.child_install = io_install,
		.child_remove = io_remove,
		.child_activate = io_activate,
		.child_usage = io_usage,
		.tunnel_blocked = io_blocked,
	};
	struct cfg_diag d;

	(void)h;
	memset(s, 0, sizeof(*s));
	s->name = name;
	cfg_diag_init(&d);
	if (cfg_load_string(yaml, strlen(yaml), name, &s->cfg, &d) != 0) {
		for (size_t i = 0; i < cfg_diag_count(&d); i++)
			fprintf(stderr, "%s: %s\n", name, cfg_diag_msg(&d, i));
		fail_msg("config of %s does not load", name);
	}
	cfg_diag_free(&d);
	s->addr = s->cfg->gateway.local_address;
	assert_int_equal(ike_engine_new(&s->e, &io), 0);
	assert_int_equal(ike_engine_set_config(s->e, s->cfg), 0);
}

void hx_init(struct hx *h, const char *yaml_a, const char *yaml_b, bool nat)
{
	bool v6 = h->v6;

	memset(h, 0, sizeof(*h));
	h->v6 = v6;
	cur = h;
	h->now = 1000000;
	h->nat = nat;
	h->rng = 42;
	crypto_init();
	log_set_target(LOG_TO_NONE, NULL);
	log_add_listener(listener, NULL);
	hx_log_clear();
	side_init(h, &h->a, "A", yaml_a);
	side_init(h, &h->b, "B", yaml_b);
}

void hx_free(struct hx *h)
{
	ike_engine_free(h->a.e);
	ike_engine_free(h->b.e);
	cfg_free(h->a.cfg);
	cfg_free(h->b.cfg);
	log_remove_listener(listener, NULL);
	cur = NULL;
}

/* Routes a datagram to the side that owns its destination (through the NAT back to A). */
static void deliver(struct hx *h, struct hx_dgram *d)
{
	struct ike_endpoint to = d->to;

	if (addr_eq(&to.addr, &h->b.addr)) {
		ike_input(h->b.e, d->data, d->len, &d->from, &to);
		return;
	}
	if (h->nat) {
		struct addr pub = A(nat_public(h));

		if (addr_eq(&to.addr, &pub)) {
			to.addr = h->a.addr;
			to.port = d->to.port == 1500 ? 500 : d->to.port == 14500 ? 4500 : 0;
			if (!to.port)
				return; /* no mapping: the NAT drops it */
			ike_input(h->a.e, d->data, d->len, &d->from, &to);
		}
		return;
	}
	if (addr_eq(&to.addr, &h->a.addr))
		ike_input(h->a.e, d->data, d->len, &d->from, &to);
}

/* Make-before-break, checked at every step while both sides have a CHILD SA. */
static void flow_check(struct hx *h)
{
	if (h->check_flow && hx_active_out(&h->a) && hx_active_out(&h->b))
		hx_assert_traffic_flows(h);
}

void hx_run(struct hx *h, uint64_t ms)
{
	uint64_t end = h->now + ms;

	cur = h;
	while (h->now <= end) {
		while (h->nq) {
			struct hx_dgram *batch = malloc(sizeof(h->q));
			size_t n = h->nq;

			assert_non_null(batch);
			memcpy(batch, h->q, n * sizeof(h->q[0]));
			h->nq = 0;
			for (size_t i = 0; i < n; i++) {
				deliver(h, &batch[h->reorder ? n - 1 - i : i]);
				flow_check(h);
			}
			free(batch);
		}
		uint64_t ta = ike_engine_next_timer(h->a.e), tb = ike_engine_next_timer(h->b.e);
		uint64_t t = ta < tb ? ta : tb;

		if (t == UINT64_MAX || t > end)
			break;
		if (t > h->now)
			h->now = t;
		ike_engine_run_timers(h->a.e);
		flow_check(h);
		ike_engine_run_timers(h->b.e);
		flow_check(h);
	}
	if (h->now < end)
		h->now = end;
}

struct count_ctx {
	const char *state;
	size_t n;
};

static void count_cb(void *ctx, const struct ike_sa_status *sa, const struct ike_child_status *c,
		     size_t n)
{
	struct count_ctx *cc = ctx;

	(void)c;
	(void)n;
	if (strcmp(sa->state, cc->state) == 0)
		cc->n++;
}

size_t hx_count(struct hx_side *s, const char *state)
{
	struct count_ctx cc = { state, 0 };

	ike_engine_status(s->e, count_cb, &cc);
	return cc.n;
}

size_t hx_children(struct hx_side *s)
{
	return s->n_child - s->removed;
}
