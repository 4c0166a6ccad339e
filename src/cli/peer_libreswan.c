/* SPDX-License-Identifier: MIT */
/*
 * libreswan: an ipsec.conf 'conn' section and its ipsec.secrets line
 * (libreswan's ipsec.conf(5), ipsec.secrets(5)). Algorithms in libreswan's
 * syntax: "ENCR-INTEG;DH" for ike= ("aes256-sha2_256;modp1024"; for AEAD
 * the second name is the PRF) and "ENCR-INTEG" for esp=, with pfs=yes
 * reusing the IKE group unless ";DH" names another one.
 */
#include <stdio.h>
#include <string.h>

#include "cli/peer_config.h"
#include "crypto/alg.h"

static const char *ls_encr(const struct proposal_encr *e, char *buf, size_t len)
{
	switch (e->id) {
	case ALG_ENCR_AES_CBC: snprintf(buf, len, "aes%u", e->keybits); return buf;
	case ALG_ENCR_AES_GCM_16: snprintf(buf, len, "aes_gcm%u", e->keybits); return buf;
	case ALG_ENCR_CHACHA20_POLY1305: return "chacha20_poly1305";
	default: return NULL;
	}
}

/* Integrity and PRF share names in libreswan. */
static const char *ls_hash(uint16_t integ)
{
	switch (integ) {
	case ALG_INTEG_HMAC_SHA1_96: return "sha1";
	case ALG_INTEG_HMAC_SHA2_256_128: return "sha2_256";
	case ALG_INTEG_HMAC_SHA2_384_192: return "sha2_384";
	case ALG_INTEG_HMAC_SHA2_512_256: return "sha2_512";
	default: return NULL;
	}
}

static const char *ls_prf(uint16_t id)
{
	switch (id) {
	case ALG_PRF_HMAC_SHA1: return "sha1";
	case ALG_PRF_HMAC_SHA2_256: return "sha2_256";
	case ALG_PRF_HMAC_SHA2_384: return "sha2_384";
	case ALG_PRF_HMAC_SHA2_512: return "sha2_512";
	default: return NULL;
	}
}

static const char *ls_dh(uint16_t dh, char *buf, size_t len)
{
	switch (dh) {
	case ALG_DH_MODP_1024:
	case ALG_DH_MODP_1536:
	case ALG_DH_MODP_2048:
	case ALG_DH_MODP_3072:
	case ALG_DH_MODP_4096: {
		static const unsigned bits[] = {
			[2] = 1024, [5] = 1536, [14] = 2048, [15] = 3072, [16] = 4096};

		snprintf(buf, len, "modp%u", bits[dh]);
		return buf;
	}
	case ALG_DH_ECP_256:
	case ALG_DH_ECP_384:
	case ALG_DH_ECP_521:
	case ALG_DH_CURVE25519: snprintf(buf, len, "dh%u", dh); return buf;
	default: return NULL;
	}
}

/*
 * Writes "ike=" or "esp=" with one libreswan proposal per combination;
 * unmappable ones go to *skipped for a comment. ike_dh: the first IKE group
 * (ESP: a PFS group other than it is written as ";DH").
 */
static uint16_t ls_list(FILE *f, const char *key, const struct proposal *p, size_t n, bool esp,
			uint16_t ike_dh, unsigned *skipped)
{
	struct peer_combo cb[PEER_MAX_COMBOS];
	char eb[32], db[32];
	bool first = true;
	uint16_t first_dh = 0;

	fprintf(f, "\t%s=", key);
	for (size_t i = 0; i < n; i++) {
		size_t nc = peer_combos(&p[i], cb, PEER_MAX_COMBOS);

		for (size_t k = 0; k < nc; k++) {
			const char *e = ls_encr(&cb[k].encr, eb, sizeof(eb));
			const char *h = cb[k].integ ? ls_hash(cb[k].integ)
					: cb[k].prf ? ls_prf(cb[k].prf)
						    : NULL;
			const char *d = cb[k].dh ? ls_dh(cb[k].dh, db, sizeof(db)) : NULL;

			if (!e || ((cb[k].integ || cb[k].prf) && !h) || (cb[k].dh && !d)) {
				(*skipped)++;
				continue;
			}
			if (first)
				first_dh = cb[k].dh;
			fprintf(f, "%s%s%s%s", first ? "" : ",", e, h ? "-" : "", h ? h : "");
			if (d && (!esp || cb[k].dh != ike_dh))
				fprintf(f, ";%s", d);
			first = false;
		}
	}
	fputc('\n', f);
	return first_dh;
}

static const char *ls_id(const char *id, bool fqdn, char *buf, size_t len)
{
	/* ipsec.conf(5): '@' marks an FQDN that must not be resolved. */
	snprintf(buf, len, "%s%s", fqdn && id[0] != '@' ? "@" : "", id);
	return buf;
}

static void ls_subnets(FILE *f, const char *side, const struct cidr *c, size_t n, bool route)
{
	if (route) {
		fprintf(f, "\t%ssubnet=0.0.0.0/0\n", side);
	} else if (n == 1) {
		fprintf(f, "\t%ssubnet=", side);
		peer_cidrs(f, c, n, "");
		fputc('\n', f);
	} else {
		fprintf(f, "\t%ssubnets={", side);
		peer_cidrs(f, c, n, " ");
		fputs("}\n", f);
	}
}

static const char *ls_dpd(enum cfg_dpd_action a)
{
	switch (a) {
	case CFG_DPD_RESTART: return "restart";
	case CFG_DPD_CLEAR: return "clear";
	case CFG_DPD_HOLD: return "hold";
	case CFG_DPD_NONE: break;
	}
	return NULL;
}

void peer_write_libreswan(FILE *f, const struct peer_view *v)
{
	const struct cfg_tunnel *t = v->t;
	bool route = t->type == CFG_TYPE_ROUTE;
	unsigned skipped = 0;
	uint16_t ike_dh, esp_dh;
	char b1[300], b2[300];

	peer_header(f, v, "libreswan ipsec.conf");
	fprintf(f, "conn %s\n", t->name);
	if (t->ike.version == CFG_IKE_FLEX)
		fprintf(f, "\t# ipsecgw answers IKEv1 and IKEv2 (version flex): IKEv2 chosen\n");
	fprintf(f, "\tikev2=%s\n", t->ike.version == CFG_IKE_V1 ? "no" : "insist");
	fprintf(f, "\t# set to this gateway's address (behind NAT: its private address)\n");
	fprintf(f, "\tleft=%s\n", v->local_addr);
	if (v->local_id)
		fprintf(f, "\tleftid=%s\n", ls_id(v->local_id, v->local_id_fqdn, b1, sizeof(b1)));
	else
		fprintf(f, "\t# ipsecgw accepts any remote-id: this side's address is used\n");
	ls_subnets(f, "left", t->remote_subnets, t->n_remote_subnets, route);
	if (!v->remote_known)
		fprintf(f,
			"\t# ipsecgw has neither public-ip nor local-address: set its address\n");
	fprintf(f, "\tright=%s\n", v->remote_addr);
	fprintf(f, "\trightid=%s\n", ls_id(v->remote_id, v->remote_id_fqdn, b2, sizeof(b2)));
	ls_subnets(f, "right", t->local_subnets, t->n_local_subnets, route);
	if (route)
		fprintf(f,
			"\t# route-based on ipsecgw (%s): add vti-interface=/mark= or route "
			"the subnets yourself\n",
			t->interface ? t->interface : "vti");
	fprintf(f, "\t# NAT-T: both sides detect NAT and move to UDP 4500 by themselves;\n"
		   "\t# forced encapsulation is not needed.\n");
	ike_dh = ls_list(f, "ike", t->ike.proposals, t->ike.n_proposals, false, 0, &skipped);
	esp_dh = ls_list(f, "esp", t->esp.proposals, t->esp.n_proposals, true, ike_dh, &skipped);
	if (skipped)
		fprintf(f,
			"\t# not mapped to libreswan: %u algorithm combination%s of the "
			"proposals (see 'ipsecgw peer-config %s --for swanctl')\n",
			skipped, skipped == 1 ? "" : "s", t->name);
	fprintf(f, "\tpfs=%s\n", esp_dh ? "yes" : "no");
	fprintf(f, "\tikelifetime=%us\n", t->ike.lifetime_s);
	if (t->ike.version != CFG_IKE_V1 && t->ike.reauth)
		fprintf(f,
			"\t# ipsecgw reauthenticates the IKE SA every %u s; libreswan "
			"rekeys it instead, which ipsecgw accepts\n",
			t->ike.lifetime_s);
	fprintf(f, "\tsalifetime=%us\n", t->esp.lifetime_s);
	if (t->esp.life_bytes || t->esp.life_packets)
		fprintf(f, "\t# not mapped to libreswan: ESP life-bytes/life-packets\n");
	if (ls_dpd(t->dpd.action))
		fprintf(f, "\tdpddelay=%us\n\tdpdtimeout=%us\n\tdpdaction=%s\n", t->dpd.interval_s,
			t->dpd.timeout_s, ls_dpd(t->dpd.action));
	else
		fprintf(f, "\t# ipsecgw's DPD action is none: no dpddelay\n");
	fprintf(f, "\ttype=%s\n", cfg_esp_mode_name(t->esp.mode));
	fprintf(f, "\tauthby=secret\n");
	fprintf(f, "\tauto=%s\n", v->they_initiate ? "start" : "add");
	fprintf(f, "\n# ipsec.secrets\n");
	if (v->local_id)
		fprintf(f, "%s ", b1);
	fprintf(f, "%s : PSK ", b2);
	peer_psk_write(f, v);
	fputc('\n', f);
}
