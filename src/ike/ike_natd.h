/* SPDX-License-Identifier: MIT */
/*
 * NAT detection (RFC 7296 2.23): NAT_DETECTION_*_IP data is
 * SHA-1(SPIi | SPIr | IP address | port). In the IKE_SA_INIT request SPIr is
 * zero. A mismatch of the destination hash means we are behind a NAT; of the
 * source hash, the peer is.
 */
#ifndef IPSECGW_IKE_NATD_H
#define IPSECGW_IKE_NATD_H

#include <stdint.h>

#include "ike/ike_keymat.h"
#include "lib/addr.h"

#define IKE_NATD_LEN 20

int ike_natd_hash(const uint8_t spi_i[static IKE_SPI_LEN], const uint8_t spi_r[static IKE_SPI_LEN],
		  const struct addr *a, uint16_t port, uint8_t out[static IKE_NATD_LEN]);

#endif
