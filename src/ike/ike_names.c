/* SPDX-License-Identifier: MIT */
#include "ike/ike_names.h"

#include <stddef.h>
#include <stdio.h>

#include "ike/ikev2_wire.h"

struct name {
	unsigned v;
	const char *s;
};

#define ENT(s, v)     {v, #s},
#define ENT3(s, v, n) {v, n},

static const struct name exchanges[] = {IKEV2_EXCHANGES(ENT)};
static const struct name payloads[] = {IKEV2_PAYLOADS(ENT3)};
static const struct name notifies[] = {IKEV2_NOTIFIES(ENT)};
static const struct name id_types[] = {IKEV2_ID_TYPES(ENT)};
static const struct name xform_types[] = {IKEV2_XFORM_TYPES(ENT)};
static const struct name protocols[] = {IKEV2_PROTOCOLS(ENT)};
static const struct name auth_methods[] = {IKEV2_AUTH_METHODS(ENT)};
static const struct name ts_types[] = {IKEV2_TS_TYPES(ENT)};
static const struct name cfg_attrs[] = {IKEV2_CFG_ATTRS(ENT)};

static const char *find(const struct name *t, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].s;
	return NULL;
}

static const char *lookup(const struct name *t, size_t n, unsigned v, const char *unknown,
			  char *buf)
{
	const char *s = find(t, n, v);

	if (s)
		return s;
	if (!buf)
		return unknown;
	snprintf(buf, IKE_NAME_LEN, "%s(%u)", unknown, v);
	return buf;
}

#define NAMEFN(fn, table, unknown)                                                                 \
	const char *fn(unsigned v, char *buf)                                                      \
	{                                                                                          \
		return lookup(table, sizeof(table) / sizeof(table[0]), v, unknown, buf);           \
	}

NAMEFN(ike_exchange_name, exchanges, "UNKNOWN_EXCHANGE")
NAMEFN(ike_payload_name, payloads, "UNKNOWN_PAYLOAD")
NAMEFN(ike_notify_name, notifies, "UNKNOWN_NOTIFY")
NAMEFN(ike_id_type_name, id_types, "UNKNOWN_ID_TYPE")
NAMEFN(ike_xform_type_name, xform_types, "UNKNOWN_TRANSFORM_TYPE")
NAMEFN(ike_protocol_name, protocols, "UNKNOWN_PROTOCOL")
NAMEFN(ike_auth_method_name, auth_methods, "UNKNOWN_AUTH_METHOD")
NAMEFN(ike_ts_type_name, ts_types, "UNKNOWN_TS_TYPE")
NAMEFN(ike_cfg_attr_name, cfg_attrs, "UNKNOWN_CFG_ATTR")

bool ike_notify_known(unsigned v)
{
	return find(notifies, sizeof(notifies) / sizeof(notifies[0]), v) != NULL;
}
