/* SPDX-License-Identifier: MIT */
/*
 * The Internet checksum (RFC 1071) for the data path: TCP/UDP checksums
 * of segmented and coalesced packets and IPv4 header checksums. Sums
 * whole regions eight bytes at a time (they are hashed, never indexed),
 * so a 1400-byte segment costs ~100 ns instead of a call per 16 bits.
 *
 * Values are host-order one's complement sums; add them, then fold.
 */
#ifndef IPSECGW_ESP_CSUM_H
#define IPSECGW_ESP_CSUM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

/*
 * One's complement sum of p[0..len) as 16-bit big-endian words (a last odd
 * byte is padded with zero), folded to 16 bits, not complemented. Regions
 * summed separately and added must each start at an even offset of the
 * checksummed data: every region but the last has even length.
 */
uint32_t esp_csum(const void *p, size_t len);
/* Folds a sum of esp_csum() values and words to 16 bits (not complemented). */
uint16_t esp_csum_fold(uint64_t sum);
/*
 * The TCP/UDP pseudo-header sum: IPv4 (RFC 9293 3.1) or IPv6 (RFC 8200
 * 8.1) addresses, the protocol and the upper-layer length.
 */
uint32_t esp_csum_pseudo(const struct addr *src, const struct addr *dst, uint8_t proto,
			 uint32_t len);

#endif
