/* SPDX-License-Identifier: MIT */
/* Key logging under `log: { keys: true }` and debug only (ike_keylog.c). */
#ifndef IPSECGW_IKE_IKE_KEYLOG_H
#define IPSECGW_IKE_IKE_KEYLOG_H

struct ike_sa;
struct ike_child;

void ike_keylog_sa(const struct ike_sa *sa);
void ike_keylog_child(const struct ike_sa *sa, const struct ike_child *c);

#endif
