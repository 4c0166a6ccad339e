/* SPDX-License-Identifier: MIT */
/*
 * Key material of the current SAs for the operator (ike.h ike_engine_keys):
 * `ipsecgw show ipsec-state` and `ipsecgw export wireshark`. The keys leave
 * the daemon only as the answer on its 0600 control socket; nothing here
 * logs them, and every stack copy is wiped before returning.
 */
#include <string.h>

#include "ike/ike_int.h"
#include "lib/secret.h"

void ike_engine_keys(struct ike_engine *e, ike_keys_fn fn, void *ctx)
{
	uint64_t now = ike_now(e);
	struct ike_keys_sa k;
	struct ike_keys_child c;

	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_DEAD || !sa->keys_ready)
			continue;
		memset(&k, 0, sizeof(k));
		k.tunnel = sa->tname;
		k.serial = sa->serial;
		k.initiator = sa->initiator;
		k.spi_i = sa->spi_i;
		k.spi_r = sa->spi_r;
		k.local = sa->local;
		k.remote = sa->remote;
		k.encr = sa->km.s.encr;
		k.encr_keybits = sa->km.s.encr_keybits;
		k.integ = sa->km.s.integ;
		k.prf = sa->km.s.prf;
		k.dh = sa->km.s.dh;
		k.e_len = sa->km.e_len;
		k.a_len = sa->km.a_len;
		memcpy(k.sk_ei, sa->km.sk_ei, sa->km.e_len);
		memcpy(k.sk_er, sa->km.sk_er, sa->km.e_len);
		memcpy(k.sk_ai, sa->km.sk_ai, sa->km.a_len);
		memcpy(k.sk_ar, sa->km.sk_ar, sa->km.a_len);
		fn(ctx, &k, NULL);
		for (struct ike_child *ch = sa->children; ch; ch = ch->next) {
			c.child = ch->serial;
			c.installed_s = (now - ch->installed_at) / 1000;
			/* Exactly what the data path got (ike_sa.c). */
			ike_child_descs(sa, ch, &c.in, &c.out);
			fn(ctx, &k, &c);
		}
	}
	secret_wipe(&k, sizeof(k));
	secret_wipe(&c, sizeof(c));
}
