/* SPDX-License-Identifier: MIT */
/*
 * Drives the bounded reader with a script taken from the input itself:
 * each opcode byte picks a read, so every read path meets every length.
 * The reader must never read past the end (ASan) nor lose its position.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/addr.h"
#include "lib/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf_rd r, sub;
	uint8_t tmp[64], out[128];
	struct buf_wr w;
	const uint8_t *p;
	uint8_t op, u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	buf_rd_init(&r, data, size);
	buf_wr_init(&w, out, sizeof(out));
	while (buf_get_u8(&r, &op) == 0) {
		size_t before = buf_rd_pos(&r);
		int e = 0;

		switch (op % 11) {
		case 0: e = buf_get_u8(&r, &u8); if (!e) buf_put_u8(&w, u8); break;
		case 1: e = buf_get_u16(&r, &u16); if (!e) buf_put_u16(&w, u16); break;
		case 2: e = buf_get_u24(&r, &u32); break;
		case 3: e = buf_get_u32(&r, &u32); if (!e) buf_put_u32(&w, u32); break;
		case 4: e = buf_get_u64(&r, &u64); if (!e) buf_put_u64(&w, u64); break;
		case 5: e = buf_get_bytes(&r, tmp, op % sizeof(tmp)); break;
		case 6: e = buf_get_ptr(&r, &p, op); if (!e) buf_put_bytes(&w, p, op); break;
		case 7:
			if ((e = buf_get_sub(&r, &sub, op / 4)) == 0)
				while (buf_get_u16(&sub, &u16) == 0)
					;
			break;
		case 8: e = buf_skip(&r, op); break;
		case 9: {
			/* Address and CIDR parsers on NUL-terminated slices. */
			char s[64];
			size_t n = op % (sizeof(s) - 1);
			struct cidr c;
			struct addr a;

			if ((e = buf_get_bytes(&r, s, n)) == 0) {
				s[n] = '\0';
				if (cidr_parse(s, &c, CIDR_ALLOW_HOST) == 0) {
					char f[CIDR_STRLEN];
					cidr_format(&c, f, sizeof(f));
					cidr_p2p_peer(&c, &a);
					cidr_range(&c, &a, &a);
				}
			}
			break;
		}
		default: buf_put_zero(&w, op); break;
		}
		/* A failed read leaves the position where it was. */
		if (e && buf_rd_pos(&r) != before)
			__builtin_trap();
	}
	return 0;
}
