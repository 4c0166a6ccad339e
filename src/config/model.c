/* SPDX-License-Identifier: MIT */
/*
 * The model's life cycle (new, free with PSKs wiped), enum names, lookups,
 * and the equality reload uses.
 */
#include <stdlib.h>
#include <string.h>

#include "config/internal.h"
#include "lib/secret.h"

const char *const cfg_tunnel_type_names[] = {"policy", "route", NULL};
const char *const cfg_ike_version_names[] = {"2", "1", "flex", NULL};
const char *const cfg_esp_mode_names[] = {"tunnel", "transport", NULL};
const char *const cfg_df_bit_names[] = {"copy", "clear", "set", NULL};
const char *const cfg_dpd_action_names[] = {"restart", "clear", "hold", "none", NULL};
const char *const cfg_start_names[] = {"initiate", "respond", NULL};
const char *const cfg_mss_dir_names[] = {"both", "inbound", "outbound", NULL};

static const char *name_of(const char *const *names, size_t n, unsigned v)
{
	return v < n ? names[v] : "?";
}

const char *cfg_tunnel_type_name(enum cfg_tunnel_type v)
{
	return name_of(cfg_tunnel_type_names, 2, v);
}
const char *cfg_ike_version_name(enum cfg_ike_version v)
{
	return name_of(cfg_ike_version_names, 3, v);
}
const char *cfg_esp_mode_name(enum cfg_esp_mode v)
{
	return name_of(cfg_esp_mode_names, 2, v);
}
const char *cfg_df_bit_name(enum cfg_df_bit v)
{
	return name_of(cfg_df_bit_names, 3, v);
}
const char *cfg_dpd_action_name(enum cfg_dpd_action v)
{
	return name_of(cfg_dpd_action_names, 4, v);
}
const char *cfg_start_name(enum cfg_start v)
{
	return name_of(cfg_start_names, 2, v);
}
const char *cfg_mss_dir_name(enum cfg_mss_dir v)
{
	return name_of(cfg_mss_dir_names, 3, v);
}

const char *cfg_id_type_name(enum cfg_id_type t)
{
	switch (t) {
	case CFG_ID_NONE: return "none";
	case CFG_ID_IPV4: return "IPv4";
	case CFG_ID_FQDN: return "FQDN";
	case CFG_ID_RFC822: return "user@FQDN";
	case CFG_ID_IPV6: return "IPv6";
	case CFG_ID_KEY_ID: return "key ID";
	case CFG_ID_ANY: return "any";
	}
	return "?";
}

int cfg_enum_parse(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

struct cfg *cfg_new(void)
{
	return calloc(1, sizeof(struct cfg));
}

void cfg_tunnel_clear(struct cfg_tunnel *t)
{
	free(t->name);
	free(t->description);
	cfg_id_clear(&t->local_id);
	cfg_id_clear(&t->remote_id);
	secret_free(t->psk);
	free(t->psk_file);
	free(t->local_subnets);
	free(t->remote_subnets);
	free(t->interface);
	free(t->ike.proposals);
	free(t->esp.proposals);
	memset(t, 0, sizeof(*t));
}

void cfg_free(struct cfg *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_tunnels; i++)
		cfg_tunnel_clear(&c->tunnels[i]);
	free(c->tunnels);
	free(c->gateway.name);
	free(c->gateway.local_subnets);
	free(c->gateway.description);
	free(c->source);
	free(c);
}

const struct cfg_tunnel *cfg_tunnel_find(const struct cfg *c, const char *name)
{
	if (!c || !name)
		return NULL;
	for (size_t i = 0; i < c->n_tunnels; i++)
		if (c->tunnels[i].name && strcmp(c->tunnels[i].name, name) == 0)
			return &c->tunnels[i];
	return NULL;
}

enum log_level cfg_log_level(const struct cfg *c, enum log_subsys s)
{
	return (unsigned)s < LS_COUNT ? c->log.subsys[s] : c->log.level;
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool cidrs_eq(const struct cidr *a, size_t na, const struct cidr *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!cidr_eq(&a[i], &b[i]) ||
		    cidr_has_host_bits(&a[i]) != cidr_has_host_bits(&b[i]))
			return false;
	return true;
}

static bool props_eq(const struct proposal *a, size_t na, const struct proposal *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!proposal_equal(&a[i], &b[i]))
			return false;
	return true;
}

/* Length first, then every byte, so timing says nothing about the PSK. */
static bool psk_eq(const struct secret *a, const struct secret *b)
{
	uint8_t acc = 0;

	if (!a || !b)
		return a == b;
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		acc |= a->data[i] ^ b->data[i];
	return acc == 0;
}

static bool tunnel_ip_eq(const struct cidr *a, const struct cidr *b)
{
	return addr_eq(&a->a, &b->a) && a->plen == b->plen;
}

bool cfg_tunnel_equal(const struct cfg_tunnel *a, const struct cfg_tunnel *b)
{
	const struct cfg_ike *ia = &a->ike, *ib = &b->ike;
	const struct cfg_esp *ea = &a->esp, *eb = &b->esp;

	/* The description is for people; the PSK file's name is not a setting. */
	return str_eq(a->name, b->name) && a->peer_any == b->peer_any &&
	       addr_eq(&a->peer, &b->peer) && cfg_id_equal(&a->local_id, &b->local_id) &&
	       cfg_id_equal(&a->remote_id, &b->remote_id) && psk_eq(a->psk, b->psk) &&
	       a->type == b->type &&
	       cidrs_eq(a->local_subnets, a->n_local_subnets, b->local_subnets,
			b->n_local_subnets) &&
	       cidrs_eq(a->remote_subnets, a->n_remote_subnets, b->remote_subnets,
			b->n_remote_subnets) &&
	       str_eq(a->interface, b->interface) &&
	       tunnel_ip_eq(&a->local_tunnel_ip, &b->local_tunnel_ip) &&
	       ia->version == ib->version &&
	       props_eq(ia->proposals, ia->n_proposals, ib->proposals, ib->n_proposals) &&
	       ia->lifetime_s == ib->lifetime_s && ia->reauth == ib->reauth &&
	       props_eq(ea->proposals, ea->n_proposals, eb->proposals, eb->n_proposals) &&
	       ea->lifetime_s == eb->lifetime_s && ea->life_bytes == eb->life_bytes &&
	       ea->life_packets == eb->life_packets && ea->mode == eb->mode &&
	       ea->df_bit == eb->df_bit && ea->replay_window == eb->replay_window &&
	       a->dpd.interval_s == b->dpd.interval_s && a->dpd.timeout_s == b->dpd.timeout_s &&
	       a->dpd.action == b->dpd.action && a->start == b->start &&
	       a->tcp_mss.enabled == b->tcp_mss.enabled &&
	       (!a->tcp_mss.enabled || (a->tcp_mss.direction == b->tcp_mss.direction &&
					a->tcp_mss.value == b->tcp_mss.value));
}
