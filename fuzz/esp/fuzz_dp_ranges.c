/* SPDX-License-Identifier: MIT */
/*
 * esp_range_to_cidrs() on arbitrary traffic selector ranges (the peer
 * chooses them in its TS payloads). Input: one byte family selector, then
 * first and last address (4 or 16 bytes each). Invariants: the prefixes
 * cover [first, last] exactly, in order, without host bits, and there are
 * at most 2 * (bits - 1) of them; first > last is refused.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "esp/esp_dp.h"
#include "lib/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cidr c[256];
	struct addr f, l, next;
	size_t al;
	int n;

	if (size < 1)
		return 0;
	al = data[0] & 1 ? 16 : 4;
	if (size < 1 + 2 * al)
		return 0;
	addr_from_bytes(&f, al == 4 ? AF_INET : AF_INET6, data + 1, al);
	addr_from_bytes(&l, al == 4 ? AF_INET : AF_INET6, data + 1 + al, al);
	n = esp_range_to_cidrs(&f, &l, c, 256);
	if (addr_cmp(&f, &l) > 0) {
		if (n != IG_EINVAL)
			abort();
		return 0;
	}
	if (n < 1 || (size_t)n > 2 * (al * 8 - 1) + 1 || n != esp_range_to_cidrs(&f, &l, NULL, 0))
		abort();
	next = f;
	for (int j = 0; j < n; j++) {
		struct addr a, b;

		cidr_range(&c[j], &a, &b);
		if (!addr_eq(&a, &next) || cidr_has_host_bits(&c[j]))
			abort();
		if (j == n - 1 && !addr_eq(&b, &l))
			abort();
		next = b;
		for (size_t k = al; k-- > 0;)
			if (++next.b[k] != 0)
				break;
	}
	return 0;
}
