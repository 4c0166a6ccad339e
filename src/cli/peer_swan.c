/* SPDX-License-Identifier: MIT */
/*
 * strongSwan: swanctl.conf (strongSwan's swanctl.conf(5)) and the legacy
 * ipsec.conf + ipsec.secrets of the starter (ipsec.conf(5),
 * ipsec.secrets(5)), as the guide's section 4.2 uses.
 */
#include <stdio.h>
#include <string.h>

#include "cli/peer_config.h"

static const char *swanctl_dpd_action(enum cfg_dpd_action a)
{
	/* swanctl.conf(5): hold is called trap there. */
	switch (a) {
	case CFG_DPD_RESTART: return "restart";
	case CFG_DPD_CLEAR: return "clear";
	case CFG_DPD_HOLD: return "trap";
	case CFG_DPD_NONE: break;
	}
	return "none";
}

static void swanctl_ts(FILE *f, const struct peer_view *v, bool local)
{
	const struct cfg_tunnel *t = v->t;

	if (t->type == CFG_TYPE_ROUTE)
		fputs("0.0.0.0/0", f);
	else if (local)
		peer_cidrs(f, t->remote_subnets, t->n_remote_subnets, ",");
	else
		peer_cidrs(f, t->local_subnets, t->n_local_subnets, ",");
}

static void nat_comment(FILE *f, const char *ind)
{
	fprintf(f,
		"%s# NAT-T: both sides detect NAT and move to UDP 4500 by themselves;\n"
		"%s# forced encapsulation is not needed.\n",
		ind, ind);
}

void peer_write_swanctl(FILE *f, const struct peer_view *v)
{
	const struct cfg_tunnel *t = v->t;
	uint32_t il = t->ike.lifetime_s, el = t->esp.lifetime_s;
	int ver = t->ike.version == CFG_IKE_V2 ? 2 : t->ike.version == CFG_IKE_V1 ? 1 : 0;

	peer_header(f, v, "strongSwan swanctl.conf");
	fprintf(f, "connections {\n  %s {\n", t->name);
	fprintf(f, "    version = %d\n", ver);
	fprintf(f, "    # set to this gateway's address (behind NAT: its private address)\n");
	fprintf(f, "    local_addrs = %s\n", v->local_addr);
	if (!v->remote_known)
		fprintf(f,
			"    # ipsecgw has neither public-ip nor local-address: set its address\n");
	fprintf(f, "    remote_addrs = %s\n", v->remote_addr);
	nat_comment(f, "    ");
	fprintf(f, "    proposals = ");
	peer_swan_proposals(f, t->ike.proposals, t->ike.n_proposals, false);
	fputc('\n', f);
	/* ipsecgw's lifetime is when it renews; over_time (default 10%) adds the hard end. */
	if (t->ike.reauth && ver != 1)
		fprintf(f, "    rekey_time = 0s\n    reauth_time = %us\n", il);
	else
		fprintf(f, "    rekey_time = %us\n", il);
	if (t->dpd.action != CFG_DPD_NONE) {
		fprintf(f, "    dpd_delay = %us\n", t->dpd.interval_s);
		if (ver == 1)
			fprintf(f, "    dpd_timeout = %us\n", t->dpd.timeout_s);
		else
			fprintf(f,
				"    # dpd timeout %u s: IKEv2 gives up after charon's "
				"retransmission settings\n",
				t->dpd.timeout_s);
	}
	fprintf(f, "    local {\n      auth = psk\n");
	if (v->local_id)
		fprintf(f, "      id = %s\n", v->local_id);
	else
		fprintf(f, "      # ipsecgw accepts any remote-id: this side's address is used\n");
	fprintf(f, "    }\n    remote {\n      auth = psk\n      id = %s\n    }\n", v->remote_id);
	fprintf(f, "    children {\n      %s {\n", t->name);
	if (t->type == CFG_TYPE_ROUTE)
		fprintf(f,
			"        # route-based on ipsecgw (%s): bind these to an XFRM "
			"interface (if_id_in/if_id_out) or route the subnets yourself\n",
			t->interface ? t->interface : "vti");
	fputs("        local_ts = ", f);
	swanctl_ts(f, v, true);
	fputs("\n        remote_ts = ", f);
	swanctl_ts(f, v, false);
	fputs("\n        esp_proposals = ", f);
	peer_swan_proposals(f, t->esp.proposals, t->esp.n_proposals, false);
	fputc('\n', f);
	fprintf(f, "        rekey_time = %us\n        life_time = %us\n", el,
		(uint32_t)((uint64_t)el * 11 / 10));
	if (t->esp.life_bytes)
		fprintf(f, "        rekey_bytes = %llu\n", (unsigned long long)t->esp.life_bytes);
	if (t->esp.life_packets)
		fprintf(f, "        rekey_packets = %llu\n",
			(unsigned long long)t->esp.life_packets);
	fprintf(f, "        mode = %s\n", cfg_esp_mode_name(t->esp.mode));
	fprintf(f, "        dpd_action = %s\n", swanctl_dpd_action(t->dpd.action));
	fprintf(f, "        start_action = %s\n", v->they_initiate ? "start" : "none");
	fprintf(f, "      }\n    }\n  }\n}\n");
	fprintf(f, "secrets {\n  ike-%s {\n", t->name);
	if (v->local_id)
		fprintf(f, "    id-1 = %s\n    id-2 = %s\n", v->local_id, v->remote_id);
	else
		fprintf(f, "    id-1 = %s\n", v->remote_id);
	fputs("    secret = ", f);
	peer_psk_write(f, v);
	fputs("\n  }\n}\n", f);
}

static const char *starter_dpd_action(enum cfg_dpd_action a)
{
	switch (a) {
	case CFG_DPD_RESTART: return "restart";
	case CFG_DPD_CLEAR: return "clear";
	case CFG_DPD_HOLD: return "hold";
	case CFG_DPD_NONE: break;
	}
	return "none";
}

static void starter_subnets(FILE *f, const struct peer_view *v, bool local)
{
	const struct cfg_tunnel *t = v->t;

	if (t->type == CFG_TYPE_ROUTE)
		fputs("0.0.0.0/0", f);
	else if (local)
		peer_cidrs(f, t->remote_subnets, t->n_remote_subnets, ",");
	else
		peer_cidrs(f, t->local_subnets, t->n_local_subnets, ",");
}

void peer_write_strongswan(FILE *f, const struct peer_view *v)
{
	const struct cfg_tunnel *t = v->t;
	const char *kx = t->ike.version == CFG_IKE_V2	? "ikev2"
			 : t->ike.version == CFG_IKE_V1 ? "ikev1"
							: "ike";

	peer_header(f, v, "strongSwan ipsec.conf");
	fprintf(f, "conn %s\n", t->name);
	fprintf(f, "\tkeyexchange=%s\n", kx);
	fprintf(f, "\t# set to this gateway's address (behind NAT: its private address), "
		   "or %%defaultroute\n");
	fprintf(f, "\tleft=%s\n", v->local_addr);
	if (v->local_id)
		fprintf(f, "\tleftid=%s%s\n", v->local_id_fqdn ? "@" : "", v->local_id);
	else
		fprintf(f, "\t# ipsecgw accepts any remote-id: this side's address is used\n");
	fputs("\tleftsubnet=", f);
	starter_subnets(f, v, true);
	fputc('\n', f);
	if (!v->remote_known)
		fprintf(f,
			"\t# ipsecgw has neither public-ip nor local-address: set its address\n");
	fprintf(f, "\tright=%s\n", v->remote_addr);
	fprintf(f, "\trightid=%s%s\n", v->remote_id_fqdn ? "@" : "", v->remote_id);
	fputs("\trightsubnet=", f);
	starter_subnets(f, v, false);
	fputc('\n', f);
	if (t->type == CFG_TYPE_ROUTE)
		fprintf(f,
			"\t# route-based on ipsecgw (%s): add mark= and a VTI, or route the "
			"subnets yourself\n",
			t->interface ? t->interface : "vti");
	nat_comment(f, "\t");
	/* ipsec.conf(5): a trailing '!' makes the list strict (no defaults added). */
	fputs("\tike=", f);
	peer_swan_proposals(f, t->ike.proposals, t->ike.n_proposals, true);
	fputs("\n\tesp=", f);
	peer_swan_proposals(f, t->esp.proposals, t->esp.n_proposals, true);
	fputc('\n', f);
	fprintf(f, "\tikelifetime=%us\n", t->ike.lifetime_s);
	if (t->ike.version != CFG_IKE_V1)
		fprintf(f, "\treauth=%s\n", t->ike.reauth ? "yes" : "no");
	fprintf(f, "\tlifetime=%us\n", t->esp.lifetime_s);
	if (t->esp.life_bytes)
		fprintf(f, "\tlifebytes=%llu\n", (unsigned long long)t->esp.life_bytes);
	if (t->esp.life_packets)
		fprintf(f, "\tlifepackets=%llu\n", (unsigned long long)t->esp.life_packets);
	if (t->dpd.action != CFG_DPD_NONE)
		fprintf(f, "\tdpddelay=%us\n\tdpdtimeout=%us\n", t->dpd.interval_s,
			t->dpd.timeout_s);
	fprintf(f, "\tdpdaction=%s\n", starter_dpd_action(t->dpd.action));
	fprintf(f, "\ttype=%s\n", cfg_esp_mode_name(t->esp.mode));
	fprintf(f, "\tauthby=secret\n");
	fprintf(f, "\tauto=%s\n", v->they_initiate ? "start" : "add");
	fprintf(f, "\n# ipsec.secrets\n");
	if (v->local_id)
		fprintf(f, "%s%s ", v->local_id_fqdn ? "@" : "", v->local_id);
	fprintf(f, "%s%s : PSK ", v->remote_id_fqdn ? "@" : "", v->remote_id);
	peer_psk_write(f, v);
	fputc('\n', f);
}
