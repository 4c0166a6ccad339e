/* SPDX-License-Identifier: MIT */
/*
 * Number-to-name tables of the IKEv2 registries, for logs and status output
 * ("NO_PROPOSAL_CHOSEN", "IKE_SA_INIT"). Generated from the X-macro lists in
 * ikev2_wire.h.
 *
 * Every function returns a constant string for a known number. For an
 * unknown one it formats "UNKNOWN_NOTIFY(12345)" into the caller's buf and
 * returns buf; with buf NULL it returns the constant "UNKNOWN_NOTIFY"
 * instead (no shared static buffer, so all of this is thread-safe).
 */
#ifndef IPSECGW_IKE_IKE_NAMES_H
#define IPSECGW_IKE_IKE_NAMES_H

#include <stdbool.h>

/* Room for the longest unknown form, "UNKNOWN_TRANSFORM_TYPE(65535)". */
#define IKE_NAME_LEN 40

const char *ike_exchange_name(unsigned v, char *buf);
const char *ike_payload_name(unsigned v, char *buf);
const char *ike_notify_name(unsigned v, char *buf);
const char *ike_id_type_name(unsigned v, char *buf);
const char *ike_xform_type_name(unsigned v, char *buf);
const char *ike_protocol_name(unsigned v, char *buf);
const char *ike_auth_method_name(unsigned v, char *buf);
const char *ike_ts_type_name(unsigned v, char *buf);
const char *ike_cfg_attr_name(unsigned v, char *buf);

/* True for notify types we have a name for (registry coverage in tests). */
bool ike_notify_known(unsigned v);

#endif
