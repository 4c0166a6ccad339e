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

/*
 * One direction of a CHILD SA as the data path got it (ike_sa.c builds
 * the same for esp_sa_install). RFC 7296 2.17: the initiator-to-responder
 * keys come first in KEYMAT, so our outbound keys are ei/ai when we were
 * the initiator of the exchange that made the CHILD SA.
 */
static void child_dir(const struct ike_sa *sa, const struct ike_child *c, bool inbound,
		      struct esp_sa_desc *d)
{
	const struct cfg_tunnel *t = sa->t;
	bool use_i = sa->initiator != inbound;

	memset(d, 0, sizeof(*d));
	d->inbound = inbound;
	d->spi = inbound ? c->spi_in : c->spi_out;
	d->reqid = c->reqid;
	d->tunnel_id = t ? (uint32_t)t->index + 1 : 0;
	d->encap = sa->natt && (sa->nat_here || sa->nat_there);
	d->mode = c->transport ? ESP_MODE_TRANSPORT : ESP_MODE_TUNNEL;
	d->df = t ? (enum esp_df)t->esp.df_bit : ESP_DF_COPY;
	d->encr = c->esp.encr;
	d->encr_keybits = c->esp.encr_keybits;
	d->integ = c->esp.integ;
	d->esn = c->esp.esn == ALG_ESN_YES;
	d->enc_key_len = c->keys.e_len;
	d->int_key_len = c->keys.a_len;
	memcpy(d->enc_key, use_i ? c->keys.ei : c->keys.er, c->keys.e_len);
	memcpy(d->int_key, use_i ? c->keys.ai : c->keys.ar, c->keys.a_len);
	d->replay_window = inbound ? (t ? t->esp.replay_window : 1024) : 0;
	if (t) {
		d->hard.seconds = t->esp.lifetime_s;
		d->hard.bytes = t->esp.life_bytes;
		d->hard.packets = t->esp.life_packets;
	}
	if (inbound) {
		d->src = sa->remote.addr;
		d->sport = sa->remote.port;
		d->dst = sa->local.addr;
		d->dport = sa->local.port;
	} else {
		d->src = sa->local.addr;
		d->sport = sa->local.port;
		d->dst = sa->remote.addr;
		d->dport = sa->remote.port;
	}
}

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
			child_dir(sa, ch, true, &c.in);
			child_dir(sa, ch, false, &c.out);
			fn(ctx, &k, &c);
		}
	}
	secret_wipe(&k, sizeof(k));
	secret_wipe(&c, sizeof(c));
}
