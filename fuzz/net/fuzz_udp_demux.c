/* SPDX-License-Identifier: MIT */
/*
 * RFC 3948 port 4500 demultiplexer. Checks what must hold for every input:
 * the payload lies inside the datagram, IKE starts right after four zero
 * octets, ESP is the whole datagram with a non-zero SPI and at least 8
 * octets, keepalive is the single 0xFF octet; and re-adding the marker to
 * an IKE payload gives back the datagram.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "net/natt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t copy[65536 + NATT_MARKER_LEN];
	struct buf_rd p;
	enum natt_kind k = natt_demux(data, size, &p);
	size_t left = buf_rd_left(&p), len;

	switch (k) {
	case NATT_KEEPALIVE:
		if (size != 1 || data[0] != NATT_KEEPALIVE_BYTE || left != 0)
			abort();
		break;
	case NATT_IKE:
		if (size <= NATT_MARKER_LEN || memcmp(data, "\0\0\0\0", 4) != 0 ||
		    left != size - NATT_MARKER_LEN || buf_rd_cur(&p) != data + NATT_MARKER_LEN)
			abort();
		if (left <= sizeof(copy) - NATT_MARKER_LEN) {
			memcpy(copy, buf_rd_cur(&p), left);
			len = left;
			if (natt_add_marker(copy, &len, sizeof(copy)) != 0 || len != size ||
			    memcmp(copy, data, size) != 0)
				abort();
		}
		break;
	case NATT_ESP:
		if (size < NATT_ESP_MIN_LEN || memcmp(data, "\0\0\0\0", 4) == 0 || left != size ||
		    buf_rd_cur(&p) != data)
			abort();
		break;
	case NATT_MALFORMED:
		if (left != 0)
			abort();
		/* Only what is too short to be anything is malformed. */
		if (size > 1 && size >= NATT_ESP_MIN_LEN)
			abort();
		if (size > NATT_MARKER_LEN && memcmp(data, "\0\0\0\0", 4) == 0)
			abort();
		break;
	default: abort();
	}
	return 0;
}
