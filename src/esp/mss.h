/* SPDX-License-Identifier: MIT */
/*
 * TCP MSS clamping (PRODUCT.md `tcp-mss`): lowers the MSS option of TCP
 * SYN and SYN-ACK segments in inner IPv4/IPv6 packets so that the peers'
 * segments fit the tunnel without fragmentation, and fixes the TCP
 * checksum incrementally (RFC 1624). Packets are edited in place; nothing
 * is allocated.
 */
#ifndef IPSECGW_ESP_MSS_H
#define IPSECGW_ESP_MSS_H

#include <stddef.h>
#include <stdint.h>

/* Per-worker counters (one writer). */
struct esp_mss_counters {
	uint64_t clamped;   /* SYNs whose MSS we lowered */
	uint64_t malformed; /* packets left alone because a header or option was broken */
};

#define ESP_MSS_UNCHANGED 0
#define ESP_MSS_CLAMPED	  1

/*
 * If pkt[0..len) is a TCP SYN (or SYN-ACK) carrying an MSS option larger
 * than mss, rewrites it to mss and updates the checksum. Returns
 * ESP_MSS_CLAMPED, ESP_MSS_UNCHANGED (not a SYN, not TCP, a non-first
 * fragment, no MSS option, MSS already <= mss, unsupported IP), or a
 * negative IG_E* code when the IP/TCP header or the options are malformed;
 * then the packet is untouched and c->malformed counted. c may be NULL.
 */
int esp_mss_clamp(uint8_t *pkt, size_t len, uint16_t mss, struct esp_mss_counters *c);

#endif
