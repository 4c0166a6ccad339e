/* SPDX-License-Identifier: MIT */
/*
 * The plain description of one ESP SA that the IKE engine hands to the data
 * path through esp_sa_install() (ARCHITECTURE.md "Interfaces to keep
 * stable"). It carries everything the data path needs and nothing of IKE.
 * Keys are copied in; the description is wiped by its owner after use.
 */
#ifndef IPSECGW_ESP_SA_DESC_H
#define IPSECGW_ESP_SA_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/alg.h"
#include "lib/addr.h"

#define ESP_SA_MAX_TS 16

enum esp_mode { ESP_MODE_TUNNEL, ESP_MODE_TRANSPORT };
enum esp_df { ESP_DF_COPY, ESP_DF_CLEAR, ESP_DF_SET };

/* A traffic selector: an address range, an IP protocol (0 any) and ports. */
struct esp_ts {
	struct addr first, last;
	uint8_t proto;
	uint16_t port_lo, port_hi;
};

struct esp_lifetime {
	uint64_t bytes;   /* 0: no limit */
	uint64_t packets; /* 0: no limit */
	uint64_t seconds; /* 0: no limit */
};

struct esp_sa_desc {
	uint32_t spi;  /* host order */
	bool inbound;  /* we decrypt with it */
	uint32_t reqid; /* pairs the in and out SA of one CHILD SA */
	uint32_t tunnel_id; /* config tunnel index + 1: binds route-based interfaces */
	/* Outer addresses and ports of the packets of this SA. */
	struct addr src, dst;
	uint16_t sport, dport;
	bool encap; /* ESP in UDP (RFC 3948), else raw ESP */
	enum esp_mode mode;
	enum esp_df df;
	uint16_t encr, encr_keybits, integ;
	bool esn;
	uint8_t enc_key[ALG_MAX_KEY]; /* cipher key followed by the salt of an AEAD */
	size_t enc_key_len;
	uint8_t int_key[ALG_MAX_PRF];
	size_t int_key_len;
	uint32_t replay_window; /* inbound; 0 = off */
	size_t n_local_ts, n_remote_ts;
	struct esp_ts local_ts[ESP_SA_MAX_TS];
	struct esp_ts remote_ts[ESP_SA_MAX_TS];
	struct esp_lifetime soft, hard;
	/*
	 * Outbound only: install the SA without selecting it for traffic yet
	 * (the responder of a rekey, RFC 7296 2.8: the peer may not have the
	 * matching inbound SA until it has our answer); esp_sa_activate()
	 * selects it.
	 */
	bool standby;
};

#endif
