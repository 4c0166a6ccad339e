/* SPDX-License-Identifier: MIT */
/*
 * RFC 3948 port 4500 demultiplexer and non-ESP marker helpers.
 */
#include "net/natt.h"

#include <string.h>

#include "lib/err.h"

enum natt_kind natt_demux(const uint8_t *data, size_t len, struct buf_rd *payload)
{
	struct buf_rd r;
	uint32_t first;
	uint8_t b;

	buf_rd_init(&r, data, len);
	buf_rd_init(payload, NULL, 0);
	/* RFC 3948 2.3: a NAT-keepalive is exactly one octet, 0xFF. */
	if (buf_rd_left(&r) == 1) {
		if (buf_get_u8(&r, &b) == 0 && b == NATT_KEEPALIVE_BYTE)
			return NATT_KEEPALIVE;
		return NATT_MALFORMED;
	}
	if (buf_peek_u32(&r, &first) != 0)
		return NATT_MALFORMED;
	if (first == 0) {
		/*
		 * RFC 3948 2.2: four zero octets where an SPI would be (SPI 0 is
		 * reserved, RFC 4303 2.1) mark a non-ESP (IKE) message. An empty
		 * message behind the marker is nothing.
		 */
		if (buf_skip(&r, NATT_MARKER_LEN) != 0 || buf_rd_left(&r) == 0)
			return NATT_MALFORMED;
		if (buf_get_sub(&r, payload, buf_rd_left(&r)) != 0)
			return NATT_MALFORMED;
		return NATT_IKE;
	}
	/* RFC 3948 2.1: ESP header, at least SPI and sequence number. */
	if (buf_rd_left(&r) < NATT_ESP_MIN_LEN)
		return NATT_MALFORMED;
	if (buf_get_sub(&r, payload, buf_rd_left(&r)) != 0)
		return NATT_MALFORMED;
	return NATT_ESP;
}

const char *natt_kind_name(enum natt_kind k)
{
	switch (k) {
	case NATT_MALFORMED: return "malformed";
	case NATT_KEEPALIVE: return "keepalive";
	case NATT_IKE: return "ike";
	case NATT_ESP: return "esp";
	}
	return "?";
}

int natt_put_marker(struct buf_wr *w)
{
	return buf_put_u32(w, 0);
}

int natt_add_marker(uint8_t *buf, size_t *len, size_t cap)
{
	if (*len > cap || cap - *len < NATT_MARKER_LEN)
		return IG_ENOSPC;
	memmove(buf + NATT_MARKER_LEN, buf, *len);
	memset(buf, 0, NATT_MARKER_LEN);
	*len += NATT_MARKER_LEN;
	return 0;
}
