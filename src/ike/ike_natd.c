/* SPDX-License-Identifier: MIT */
#include "ike/ike_natd.h"

#include "crypto/hash.h"
#include "lib/err.h"

int ike_natd_hash(const uint8_t spi_i[static IKE_SPI_LEN], const uint8_t spi_r[static IKE_SPI_LEN],
		  const struct addr *a, uint16_t port, uint8_t out[static IKE_NATD_LEN])
{
	uint8_t p[2] = { (uint8_t)(port >> 8), (uint8_t)port };
	struct crypto_iov iov[4] = {
		{ spi_i, IKE_SPI_LEN },
		{ spi_r, IKE_SPI_LEN },
		{ a->b, addr_len(a) },
		{ p, sizeof(p) },
	};

	if (!addr_len(a))
		return IG_EINVAL;
	return crypto_sha1(iov, 4, out);
}
