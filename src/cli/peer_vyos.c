/* SPDX-License-Identifier: MIT */
/*
 * VyOS 1.4 (sagitta) 'set vpn ipsec ...' commands, the layout of the
 * guide's section 4.1 in 1.4 syntax (VyOS documentation, "IPsec
 * site-to-site"). VyOS takes one encryption/hash/DH per numbered proposal,
 * so every alternative in an ipsecgw proposal becomes its own proposal.
 */
#include <stdio.h>
#include <string.h>

#include "cli/peer_config.h"
#include "crypto/alg.h"

static const char *vyos_encr(const struct proposal_encr *e, char *buf, size_t len)
{
	switch (e->id) {
	case ALG_ENCR_AES_CBC: snprintf(buf, len, "aes%u", e->keybits); return buf;
	case ALG_ENCR_AES_GCM_8: snprintf(buf, len, "aes%ugcm64", e->keybits); return buf;
	case ALG_ENCR_AES_GCM_12: snprintf(buf, len, "aes%ugcm96", e->keybits); return buf;
	case ALG_ENCR_AES_GCM_16: snprintf(buf, len, "aes%ugcm128", e->keybits); return buf;
	case ALG_ENCR_NULL_AUTH_AES_GMAC: snprintf(buf, len, "aes%ugmac", e->keybits); return buf;
	case ALG_ENCR_CHACHA20_POLY1305: return "chacha20poly1305";
	default: return NULL;
	}
}

static const char *vyos_hash(uint16_t integ)
{
	switch (integ) {
	case ALG_INTEG_HMAC_SHA1_96: return "sha1";
	case ALG_INTEG_HMAC_SHA2_256_128: return "sha256";
	case ALG_INTEG_HMAC_SHA2_384_192: return "sha384";
	case ALG_INTEG_HMAC_SHA2_512_256: return "sha512";
	default: return NULL;
	}
}

static const char *vyos_prf(uint16_t prf)
{
	switch (prf) {
	case ALG_PRF_HMAC_SHA1: return "prfsha1";
	case ALG_PRF_HMAC_SHA2_256: return "prfsha256";
	case ALG_PRF_HMAC_SHA2_384: return "prfsha384";
	case ALG_PRF_HMAC_SHA2_512: return "prfsha512";
	default: return NULL;
	}
}

/* Writes the proposals of an ike-group or esp-group; returns the first ESP DH (PFS). */
static uint16_t vyos_proposals(FILE *f, const char *grp, const struct proposal *p, size_t n,
			       bool esp)
{
	struct peer_combo cb[PEER_MAX_COMBOS];
	unsigned num = 0;
	uint16_t pfs = 0;
	bool pfs_set = false;
	char eb[32];

	for (size_t i = 0; i < n; i++) {
		size_t nc = peer_combos(&p[i], cb, PEER_MAX_COMBOS);

		for (size_t k = 0; k < nc; k++) {
			const char *e = vyos_encr(&cb[k].encr, eb, sizeof(eb));
			const char *h = cb[k].integ ? vyos_hash(cb[k].integ) : NULL;

			if (!e || (cb[k].integ && !h) || (cb[k].prf && !vyos_prf(cb[k].prf))) {
				fprintf(f,
					"# not mapped to VyOS: proposal %zu, combination %zu "
					"(encryption %u/%u, integrity %u, prf %u)\n",
					i + 1, k + 1, cb[k].encr.id, cb[k].encr.keybits,
					cb[k].integ, cb[k].prf);
				continue;
			}
			num++;
			if (!esp && cb[k].dh)
				fprintf(f, "%s proposal %u dh-group %u\n", grp, num, cb[k].dh);
			fprintf(f, "%s proposal %u encryption %s\n", grp, num, e);
			if (h)
				fprintf(f, "%s proposal %u hash %s\n", grp, num, h);
			else
				fprintf(f, "# %s proposal %u: AEAD, no hash needed\n", grp, num);
			if (cb[k].prf)
				fprintf(f, "%s proposal %u prf %s\n", grp, num,
					vyos_prf(cb[k].prf));
			if (esp) {
				/* One PFS group per esp-group (VyOS): the first one wins. */
				if (!pfs_set) {
					pfs = cb[k].dh;
					pfs_set = true;
				} else if (cb[k].dh != pfs) {
					fprintf(f,
						"# not mapped to VyOS: PFS group %u of proposal "
						"%u (an esp-group has one PFS group)\n",
						cb[k].dh, num);
				}
			}
		}
	}
	return pfs;
}

static const char *vyos_dpd(enum cfg_dpd_action a)
{
	switch (a) {
	case CFG_DPD_RESTART: return "restart";
	case CFG_DPD_CLEAR: return "clear";
	case CFG_DPD_HOLD: return "hold";
	case CFG_DPD_NONE: break;
	}
	return NULL;
}

static void policy_tunnels(FILE *f, const struct peer_view *v, const char *peer)
{
	const struct cfg_tunnel *t = v->t;
	char b[CIDR_STRLEN];
	unsigned n = 0;

	if (t->ike.version == CFG_IKE_V1) {
		/* IKEv1 negotiates one pair of selectors per SA (guide, section 6). */
		for (size_t r = 0; r < t->n_remote_subnets; r++)
			for (size_t l = 0; l < t->n_local_subnets; l++) {
				n++;
				fprintf(f, "%s tunnel %u esp-group %s\n", peer, n, t->name);
				fprintf(f, "%s tunnel %u local prefix %s\n", peer, n,
					cidr_format(&t->remote_subnets[r], b, sizeof(b)));
				fprintf(f, "%s tunnel %u remote prefix %s\n", peer, n,
					cidr_format(&t->local_subnets[l], b, sizeof(b)));
			}
		return;
	}
	fprintf(f, "%s tunnel 1 esp-group %s\n", peer, t->name);
	for (size_t r = 0; r < t->n_remote_subnets; r++)
		fprintf(f, "%s tunnel 1 local prefix %s\n", peer,
			cidr_format(&t->remote_subnets[r], b, sizeof(b)));
	for (size_t l = 0; l < t->n_local_subnets; l++)
		fprintf(f, "%s tunnel 1 remote prefix %s\n", peer,
			cidr_format(&t->local_subnets[l], b, sizeof(b)));
}

static void route_vti(FILE *f, const struct peer_view *v, const char *peer)
{
	const struct cfg_tunnel *t = v->t;
	const char *ifn = t->interface ? t->interface : "vti1";
	char a[ADDR_STRLEN], b[CIDR_STRLEN];

	fprintf(f, "%s vti bind %s\n", peer, ifn);
	fprintf(f, "%s vti esp-group %s\n", peer, t->name);
	if (t->local_tunnel_ip.a.family) {
		fprintf(f, "set interfaces vti %s address %s/%u\n", ifn,
			addr_format(&t->peer_tunnel_ip, a, sizeof(a)), t->local_tunnel_ip.plen);
		addr_format(&t->local_tunnel_ip.a, a, sizeof(a));
		for (size_t l = 0; l < t->n_local_subnets; l++)
			fprintf(f, "set protocols static route %s next-hop %s\n",
				cidr_format(&t->local_subnets[l], b, sizeof(b)), a);
	} else {
		fprintf(f, "# ipsecgw has no local-tunnel-ip: address %s and route ", ifn);
		peer_cidrs(f, t->local_subnets, t->n_local_subnets, ", ");
		fprintf(f, " over it yourself\n");
	}
}

void peer_write_vyos(FILE *f, const struct peer_view *v)
{
	const struct cfg_tunnel *t = v->t;
	char grp[128], peer[128];
	const char *dpd = vyos_dpd(t->dpd.action);
	uint16_t pfs;

	peer_header(f, v, "VyOS 1.4");
	fprintf(f,
		"# VyOS 1.3 differs: 'set vpn ipsec ipsec-interfaces interface ethX' is required,\n"
		"# the peer is named by its address ('site-to-site peer %s') without\n"
		"# remote-address, the PSK is 'authentication pre-shared-secret' under the peer\n"
		"# instead of 'authentication psk', 'authentication id' replaces local-id,\n"
		"# and ike-group 'ikev2-reauth' takes yes|no.\n",
		v->remote_addr);
	snprintf(grp, sizeof(grp), "set vpn ipsec esp-group %s", t->name);
	fprintf(f, "%s lifetime %u\n", grp, t->esp.lifetime_s);
	if (t->esp.life_bytes)
		fprintf(f, "%s life-bytes %llu\n", grp, (unsigned long long)t->esp.life_bytes);
	if (t->esp.life_packets)
		fprintf(f, "%s life-packets %llu\n", grp, (unsigned long long)t->esp.life_packets);
	fprintf(f, "%s mode %s\n", grp, cfg_esp_mode_name(t->esp.mode));
	pfs = vyos_proposals(f, grp, t->esp.proposals, t->esp.n_proposals, true);
	if (pfs)
		fprintf(f, "%s pfs dh-group%u\n", grp, pfs);
	else
		fprintf(f, "%s pfs disable\n", grp);

	snprintf(grp, sizeof(grp), "set vpn ipsec ike-group %s", t->name);
	if (t->ike.version == CFG_IKE_FLEX)
		fprintf(f, "# ipsecgw answers IKEv1 and IKEv2 (version flex): IKEv2 chosen\n");
	fprintf(f, "%s key-exchange %s\n", grp, t->ike.version == CFG_IKE_V1 ? "ikev1" : "ikev2");
	fprintf(f, "%s lifetime %u\n", grp, t->ike.lifetime_s);
	if (t->ike.version != CFG_IKE_V1 && t->ike.reauth)
		fprintf(f, "%s ikev2-reauth\n", grp);
	if (dpd) {
		fprintf(f, "%s dead-peer-detection action %s\n", grp, dpd);
		fprintf(f, "%s dead-peer-detection interval %u\n", grp, t->dpd.interval_s);
		fprintf(f, "%s dead-peer-detection timeout %u\n", grp, t->dpd.timeout_s);
	} else {
		fprintf(f, "# ipsecgw's DPD action is none: no dead-peer-detection\n");
	}
	(void)vyos_proposals(f, grp, t->ike.proposals, t->ike.n_proposals, false);

	fprintf(f, "set vpn ipsec authentication psk %s id '%s'\n", t->name,
		v->local_id ? v->local_id : v->local_addr);
	fprintf(f, "set vpn ipsec authentication psk %s id '%s'\n", t->name, v->remote_id);
	if (v->psk_plain && t->psk)
		fprintf(f, "set vpn ipsec authentication psk %s secret '%.*s'\n", t->name,
			(int)t->psk->len, (const char *)t->psk->data);
	else
		fprintf(f,
			"# not mapped to VyOS: the PSK has quotes or unprintable bytes; "
			"set 'authentication psk %s secret' by hand\n",
			t->name);

	snprintf(peer, sizeof(peer), "set vpn ipsec site-to-site peer %s", t->name);
	if (v->local_id)
		fprintf(f, "%s authentication local-id '%s'\n", peer, v->local_id);
	else
		fprintf(f, "# ipsecgw accepts any remote-id: this side's address is used\n");
	fprintf(f, "%s authentication mode pre-shared-secret\n", peer);
	fprintf(f, "%s authentication remote-id '%s'\n", peer, v->remote_id);
	fprintf(f, "%s connection-type %s\n", peer, v->they_initiate ? "initiate" : "respond");
	fprintf(f, "%s ike-group %s\n", peer, t->name);
	fprintf(f, "# set to this gateway's address (behind NAT: its private address)\n");
	fprintf(f, "%s local-address %s\n", peer, v->local_addr);
	if (!v->remote_known)
		fprintf(f, "# ipsecgw has neither public-ip nor local-address: set its address\n");
	fprintf(f, "%s remote-address %s\n", peer, v->remote_addr);
	fprintf(f, "# NAT-T: VyOS detects NAT and moves to UDP 4500 by itself "
		   "(no force-udp-encapsulation needed)\n");
	if (t->type == CFG_TYPE_ROUTE)
		route_vti(f, v, peer);
	else
		policy_tunnels(f, v, peer);
}
