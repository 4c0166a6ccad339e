/* SPDX-License-Identifier: MIT */
/*
 * RFC 3948 demultiplexing of UDP port 4500: one port carries NAT-keepalives,
 * IKE messages behind a 4-byte non-ESP marker, and ESP packets. This is all
 * net/ knows of either format: it tells them apart and strips the marker;
 * ike/ and esp/ parse what is left.
 */
#ifndef IPSECGW_NET_NATT_H
#define IPSECGW_NET_NATT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define NATT_MARKER_LEN	    4	 /* RFC 3948 2.2: non-ESP marker, four zero octets */
#define NATT_ESP_MIN_LEN    8	 /* RFC 3948 2.1 / RFC 4303 2: SPI and sequence number */
#define NATT_KEEPALIVE_BYTE 0xff /* RFC 3948 2.3: the one octet of a NAT-keepalive */

enum natt_kind {
	NATT_MALFORMED, /* too short to be anything: drop */
	NATT_KEEPALIVE,
	NATT_IKE, /* payload: the IKE message after the marker */
	NATT_ESP, /* payload: the whole ESP packet from the SPI on */
};

/*
 * Classifies one datagram received on port 4500 and sets *payload to the
 * bytes for the next layer (empty for keepalives and malformed input).
 */
enum natt_kind natt_demux(const uint8_t *data, size_t len, struct buf_rd *payload);
const char *natt_kind_name(enum natt_kind k);

/* Writes the non-ESP marker; the caller then appends the IKE message. */
int natt_put_marker(struct buf_wr *w);

/*
 * Inserts the marker in front of an IKE message already in buf[0..*len):
 * moves it up by NATT_MARKER_LEN. IG_ENOSPC if cap is too small.
 */
int natt_add_marker(uint8_t *buf, size_t *len, size_t cap);

#endif
