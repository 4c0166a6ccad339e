/* SPDX-License-Identifier: MIT */
/*
 * Two IKE engines in one process over a fake network with a fake clock
 * (strongSwan's exchange_test_helper idea): the on-prem side "A" behind a
 * NAT, the cloud gateway "B", as in the guide's topology. The network can
 * drop, duplicate and reorder datagrams (seeded, so every run is the same).
 */
#ifndef IPSECGW_TEST_EXCHANGE_HARNESS_H
#define IPSECGW_TEST_EXCHANGE_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "esp/esp_sa_desc.h"
#include "ike/ike.h"

#define HX_MAX_CHILD 64

struct hx_side {
	const char *name;
	struct ike_engine *e;
	struct cfg *cfg;
	struct addr addr; /* its own address */
	unsigned keepalives;
	size_t n_child;
	struct esp_sa_desc in[HX_MAX_CHILD], out[HX_MAX_CHILD];
	bool live[HX_MAX_CHILD];    /* installed and not removed */
	bool standby[HX_MAX_CHILD]; /* outbound not selected yet */
	unsigned removed, activated;
	/* What the fake data path reports: traffic on every CHILD SA, drops. */
	uint64_t usage_bytes, usage_packets, last_in_ms, blocked;
};

struct hx_dgram {
	struct ike_endpoint from, to;
	size_t len;
	uint8_t data[4096];
};

struct hx {
	uint64_t now;
	struct hx_side a, b;
	bool nat;         /* A's packets leave through a NAT (198.51.100.57) */
	bool v6;          /* outer IPv6 */
	unsigned loss;    /* percent of datagrams dropped */
	unsigned dup;     /* percent duplicated */
	bool reorder;     /* deliver each batch in reverse */
	bool check_flow;  /* after every event: hx_assert_traffic_flows (once both have SAs) */
	uint32_t rng;
	size_t nq;
	struct hx_dgram q[64];
	unsigned sent, dropped;
};

/* Sets up both sides from YAML (A's config, B's config); asserts on failure. */
void hx_init(struct hx *h, const char *yaml_a, const char *yaml_b, bool nat);
void hx_free(struct hx *h);
/* Delivers datagrams and runs timers until nothing is left or ms pass. */
void hx_run(struct hx *h, uint64_t ms);
/* Counts of IKE SAs in state ("established", "connecting", ...) on one side. */
size_t hx_count(struct hx_side *s, const char *state);
/* CHILD SAs currently up on a side (installed minus removed). */
size_t hx_children(struct hx_side *s);
/*
 * The outbound SA the data path would pick (newest live, not on
 * standby), or NULL; hx_in_live: an inbound SA with that SPI is live.
 */
const struct esp_sa_desc *hx_active_out(struct hx_side *s);
bool hx_in_live(struct hx_side *s, uint32_t spi);
/*
 * Both sides can talk: the outbound SA each would use has a live inbound
 * SA with the same SPI and keys on the other side. Asserts it.
 */
void hx_assert_traffic_flows(struct hx *h);
/* Log lines seen (all subsystems, all levels), for asserting messages. */
bool hx_logged(const char *needle);
void hx_log_clear(void);

/*
 * The guide's configurations as printf formats. A: on-prem gateway (local
 * address, log level, peer, extra tunnel keys); B: cloud gateway (local
 * address, peer, extra tunnel keys).
 */
#define HX_YAML_A \
	"gateway: {name: onprem, local-address: %s, public-ip: 198.51.100.57,\n" \
	"          local-subnets: [192.168.0.0/24, 10.0.2.0/24]}\n" \
	"log: {level: %s}\n" \
	"tunnels:\n" \
	"  - name: cloud\n" \
	"    peer: %s\n" \
	"    psk: \"8 to 40 characters\"\n" \
	"    remote-subnets: [192.168.25.0/24]\n" \
	"%s"
#define HX_YAML_B \
	"gateway: {name: cloud, local-address: %s, local-subnets: [192.168.25.0/24]}\n" \
	"tunnels:\n" \
	"  - name: onprem\n" \
	"    peer: %s\n" \
	"    psk: \"8 to 40 characters\"\n" \
	"    remote-subnets: [192.168.0.0/24, 10.0.2.0/24]\n" \
	"    start: respond\n" \
	"%s"


#endif
