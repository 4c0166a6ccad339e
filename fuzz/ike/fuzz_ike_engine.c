/* SPDX-License-Identifier: MIT */
/*
 * The IKE engine as a responder under hostile input: the fuzz input is a
 * series of datagrams (2-byte length prefix each) from one peer address.
 * Datagrams that look like an IKE header get the SPIr of the half-open SA
 * the engine made patched in, so the input reaches the per-SA paths
 * (message IDs, retransmission cache, SK) and not only IKE_SA_INIT. Time
 * advances between datagrams so timers fire. Nothing may crash or leak.
 *
 * In fuzzing builds an SK ICV and a PSK AUTH of all 0x5a bytes pass
 * (ike_fuzz_marker(), ike_sk.c), so the fuzzer gets past IKE_AUTH into
 * established-SA handling. The seeds strongswan_auth* are strongSwan's real
 * IKE_SA_INIT and IKE_AUTH (fuzz/ike/seed_strongswan.sh) with that marker
 * for ICV and AUTH. IPSECGW_FUZZ_LOG=1 logs the engine to stderr at debug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "crypto/crypto.h"
#include "ike/ike.h"
#include "lib/buf.h"
#include "lib/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char yaml[] =
	"gateway: {name: cloud, local-address: 203.0.113.7, local-subnets: [192.168.25.0/24]}\n"
	"tunnels:\n"
	"  - {name: onprem, peer: 198.51.100.57, psk: \"8 to 40 characters\",\n"
	"     remote-subnets: [192.168.0.0/24, 10.0.2.0/24], start: respond,\n"
	"     ike: {proposals: [aes256-sha256-modp1024, aes128gcm16-prfsha256-ecp256]}}\n";

static uint64_t now = 1000;
static uint64_t last_spi_r;

static void io_send(void *ctx, const struct ike_endpoint *l, const struct ike_endpoint *r,
		    const uint8_t *msg, size_t len)
{
	(void)ctx;
	(void)l;
	(void)r;
	/* Remember the SPIr of our answers, to aim later input at the SA. */
	if (len >= 16) {
		uint64_t v = 0;

		for (int i = 8; i < 16; i++)
			v = v << 8 | msg[i];
		if (v)
			last_spi_r = v;
	}
}

static uint64_t io_now(void *ctx)
{
	(void)ctx;
	return now;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cfg *cfg;
	struct ike_io io = { .send = io_send, .now_ms = io_now };
	struct ike_endpoint from = { .port = 500 }, to = { .port = 500 };
	struct ike_engine *e;
	struct buf_rd r;
	uint16_t len;

	if (!cfg) {
		struct cfg_diag d;

		if (getenv("IPSECGW_FUZZ_LOG")) {
			log_set_target(LOG_TO_STDERR, NULL);
			log_set_all(LL_DEBUG);
		} else {
			log_set_target(LOG_TO_NONE, NULL);
		}
		crypto_init();
		cfg_diag_init(&d);
		if (cfg_load_string(yaml, strlen(yaml), "fuzz", &cfg, &d) != 0)
			abort();
		cfg_diag_free(&d);
	}
	addr_parse("198.51.100.57", &from.addr);
	addr_parse("203.0.113.7", &to.addr);
	if (ike_engine_new(&e, &io) != 0 || ike_engine_set_config(e, cfg) != 0)
		abort();
	last_spi_r = 0;
	buf_rd_init(&r, data, size);
	while (buf_get_u16(&r, &len) == 0) {
		uint8_t pkt[4096];
		size_t n = len < buf_rd_left(&r) ? len : buf_rd_left(&r);

		if (n > sizeof(pkt))
			n = sizeof(pkt);
		buf_get_bytes(&r, pkt, n);
		/* Aim non-INIT messages at the SA we made (header byte 18 = exchange). */
		if (n >= 28 && last_spi_r && pkt[18] != 34)
			for (int i = 0; i < 8; i++)
				pkt[8 + i] = (uint8_t)(last_spi_r >> (56 - 8 * i));
		to.port = (len & 1) ? 4500 : 500;
		ike_input(e, pkt, n, &from, &to);
		now += 1000 * (len % 64);
		ike_engine_run_timers(e);
	}
	ike_engine_free(e);
	return 0;
}
