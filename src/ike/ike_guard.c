/* SPDX-License-Identifier: MIT */
#include "ike/ike_guard.h"

#include "ike/ike_int.h"
#include "lib/err.h"

#define IKE_GUARD_STR2(x) #x
#define IKE_GUARD_STR(x)  IKE_GUARD_STR2(x)

static const char *const names[IKE_DROP_COUNT] = {
	[IKE_DROP_HEADER] = "ike_header",
	[IKE_DROP_MALFORMED] = "ike_malformed",
	[IKE_DROP_CRITICAL] = "ike_unknown_critical",
	[IKE_DROP_DECRYPT] = "ike_decrypt_failed",
	[IKE_DROP_UNKNOWN_SA] = "ike_unknown_spi",
	[IKE_DROP_WINDOW] = "ike_out_of_window",
	[IKE_DROP_INIT_INVALID] = "ike_init_invalid",
	[IKE_DROP_NO_TUNNEL] = "ike_no_tunnel",
	[IKE_DROP_PER_SOURCE] = "ike_per_source_limit",
	[IKE_DROP_HALF_OPEN] = "ike_half_open_limit",
	[IKE_DROP_SA_LIMIT] = "ike_sa_limit",
};

/*
 * How loud each class is: input that cannot be right warns; what a lossy
 * network or a restarted peer also produces stays quieter.
 */
static const enum log_level levels[IKE_DROP_COUNT] = {
	[IKE_DROP_HEADER] = LL_WARN,	   [IKE_DROP_MALFORMED] = LL_WARN,
	[IKE_DROP_CRITICAL] = LL_WARN,	   [IKE_DROP_DECRYPT] = LL_WARN,
	[IKE_DROP_UNKNOWN_SA] = LL_INFO,   [IKE_DROP_WINDOW] = LL_DEBUG,
	[IKE_DROP_INIT_INVALID] = LL_WARN, [IKE_DROP_NO_TUNNEL] = LL_WARN,
	[IKE_DROP_PER_SOURCE] = LL_WARN,   [IKE_DROP_HALF_OPEN] = LL_WARN,
	[IKE_DROP_SA_LIMIT] = LL_WARN,
};

void ike_guard_init(struct ike_guard *g)
{
	*g = (struct ike_guard){
		.per_source_half_open = IKE_GUARD_PER_SOURCE,
		.max_half_open = IKE_GUARD_MAX_HALF_OPEN,
		/* 20 lines per 10 s whatever arrives; the counters have the rest. */
		.rl = LOG_RATELIMIT_INIT(10, 20),
	};
}

struct ike_guard *ike_engine_guard(struct ike_engine *e)
{
	return &e->guard;
}

const char *ike_drop_name(enum ike_drop d)
{
	return (unsigned)d < IKE_DROP_COUNT ? names[d] : "?";
}

bool ike_guard_log_ok(struct ike_engine *e)
{
	return log_ratelimit_ok(&e->guard.rl, LS_IKE);
}

void ike_guard_drop(struct ike_engine *e, enum ike_drop d, const struct ike_endpoint *from,
		    const char *why, const struct ike_parse_err *err)
{
	char a[ADDR_STRLEN];

	if ((unsigned)d >= IKE_DROP_COUNT)
		return;
	e->guard.drops[d]++;
	/* The older totals of `status` stay: invalid input vs. input we had no use for. */
	if (d <= IKE_DROP_DECRYPT || d == IKE_DROP_INIT_INVALID)
		e->rx_invalid++;
	else
		e->rx_dropped++;
	if (log_enabled(LS_IKE, levels[d]) && ike_guard_log_ok(e))
		log_msg(LS_IKE, levels[d], "dropped IKE message from %s:%u (%s): %s%s%s",
			addr_format(&from->addr, a, sizeof(a)), from->port, names[d], why,
			err && err->msg[0] ? ": " : "", err ? err->msg : "");
}

enum ike_drop ike_guard_parse_class(int r, const struct ike_parse_err *err, bool header)
{
	if (header)
		return IKE_DROP_HEADER;
	/* 2.5: the one failure the parser marks with the payload's type. */
	if (r == IG_ENOTSUP && err && err->notify == IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD)
		return IKE_DROP_CRITICAL;
	return IKE_DROP_MALFORMED;
}

bool ike_guard_admit(struct ike_engine *e, const struct ike_endpoint *from, size_t init_len)
{
	size_t all = 0, mine = 0;

	if (init_len > IKE_GUARD_MAX_INIT_LEN) {
		ike_guard_drop(
			e, IKE_DROP_INIT_INVALID, from,
			"IKE_SA_INIT larger than " IKE_GUARD_STR(IKE_GUARD_MAX_INIT_LEN) " bytes",
			NULL);
		return false;
	}
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state != IKE_S_HALF_OPEN)
			continue;
		all++;
		mine += addr_eq(&sa->remote.addr, &from->addr);
	}
	if (e->guard.per_source_half_open && mine >= e->guard.per_source_half_open) {
		ike_guard_drop(e, IKE_DROP_PER_SOURCE, from, "too many half-open SAs from it",
			       NULL);
		return false;
	}
	if (e->guard.max_half_open && all >= e->guard.max_half_open) {
		ike_guard_drop(e, IKE_DROP_HALF_OPEN, from, "half-open SA limit reached", NULL);
		return false;
	}
	return true;
}
