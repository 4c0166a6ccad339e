/* SPDX-License-Identifier: MIT */
/*
 * What `ipsecgw status --json` says about hostile input and privileges
 * (docs/security.md): "dropped" counts every class of refused input, IKE
 * (ike/ike_guard.h) and ESP (the data path's counters, summed over the
 * current CHILD SAs for ICV and replay), "ike_guard" the cookie and
 * admission figures, "privileges" what the process holds now.
 */
#include <stdio.h>
#include <sys/prctl.h>

#include "daemon/gw.h"
#include "esp/esp_dp.h"
#include "ike/ike_guard.h"
#include "ike/ike_int.h"
#include "lib/privs.h"

static json_t *dropped_json(struct gw *g, const struct ike_guard *ig)
{
	json_t *o = json_object();
	uint64_t icv = 0, replay = 0, sa_malformed = 0;

	for (int d = 0; d < IKE_DROP_COUNT; d++)
		json_object_set_new(o, ike_drop_name((enum ike_drop)d),
				    json_integer((json_int_t)ig->drops[d]));
	if (g->dp) {
		struct esp_dp_stats st;

		for (size_t i = 0; i < GW_MAX_CHILD; i++) {
			struct esp_dp_sa_stats s;

			if (!g->children[i].used ||
			    !gw_dp_stats(g, g->children[i].in.spi, g->children[i].out.spi, &s))
				continue;
			icv += s.icv_fails;
			replay += s.replay_drops;
			sa_malformed += s.malformed_in;
		}
		esp_dp_stats(g->dp, &st);
		json_object_set_new(o, "esp_unknown_spi", json_integer((json_int_t)st.no_sa_drops));
		json_object_set_new(o, "esp_bad_icv", json_integer((json_int_t)icv));
		json_object_set_new(o, "esp_replayed", json_integer((json_int_t)replay));
		json_object_set_new(o, "esp_malformed", json_integer((json_int_t)sa_malformed));
		/* Runts, bad markers, unparsable datagrams on 4500 and raw ESP. */
		json_object_set_new(o, "udp_malformed", json_integer((json_int_t)st.malformed));
	}
	return o;
}

static json_t *guard_json(const struct ike_engine *e, const struct ike_guard *ig)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", "cookies_sent", (json_int_t)ig->cookies_sent,
			 "retransmits_answered", (json_int_t)ig->retransmits_answered,
			 "cookie_threshold", (json_int_t)e->p.cookie_threshold, "half_open_max",
			 (json_int_t)ig->max_half_open, "half_open_per_source",
			 (json_int_t)ig->per_source_half_open);
}

static json_t *privileges_json(void)
{
	uint64_t eff = 0, prm = 0;
	char e[19], p[19];

	privs_get(&eff, &prm);
	snprintf(e, sizeof(e), "%016llx", (unsigned long long)eff);
	snprintf(p, sizeof(p), "%016llx", (unsigned long long)prm);
	return json_pack("{s:s, s:s, s:b, s:b}", "cap_effective", e, "cap_permitted", p, "dumpable",
			 prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1, "no_new_privs",
			 prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
}

void gw_harden_status(struct gw *g, json_t *o)
{
	struct ike_guard *ig = ike_engine_guard(g->ike);

	json_object_set_new(o, "dropped", dropped_json(g, ig));
	json_object_set_new(o, "ike_guard", guard_json(g->ike, ig));
	json_object_set_new(o, "privileges", privileges_json());
}
