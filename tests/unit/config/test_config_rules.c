/* SPDX-License-Identifier: MIT */
/*
 * Validation: one bad configuration per rule (PRODUCT.md "Config", the
 * console's rules of guide section 3), each giving exactly one problem with
 * its exact key path and reason; a configuration with several problems
 * reports every one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdlib.h>

#include <cmocka.h>

#include "config/config.h"
#include "lib/err.h"

/* A gateway that policy tunnels can take their local subnets from. */
#define GW "gateway: {name: gw, public-ip: 203.0.113.7, local-subnets: [192.168.25.0/24]}\n"
/* A good tunnel, to pair with bad ones. */
#define T0  "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: [192.168.0.0/24]}\n"
#define TUN GW "tunnels:\n"

static const struct {
	const char *yaml;
	const char *msg;
} bad[] = {
	/* PSK: 8-40 printable characters, psk or psk-file. */
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: abcde, remote-subnets: 192.168.0.0/24}",
	 "tunnels[0].psk: must be 8-40 characters, got 5"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: 12345678901234567890123456789012345678901,"
	     " remote-subnets: 192.168.0.0/24}",
	 "tunnels[0].psk: must be 8-40 characters, got 41"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: \"password\\t1\", remote-subnets: "
	     "192.168.0.0/24}",
	 "tunnels[0].psk: must be printable ASCII; character 9 is not"},
	{TUN "  - {name: t0, peer: 198.51.100.57, remote-subnets: 192.168.0.0/24}",
	 "tunnels[0].psk: required (or psk-file)"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, psk-file: /nonexistent, "
	     "remote-subnets: 192.168.0.0/24}",
	 "tunnels[0].psk-file: give psk or psk-file, not both"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk-file: /nonexistent/psk, remote-subnets: "
	     "192.168.0.0/24}",
	 "tunnels[0].psk-file: cannot read /nonexistent/psk: No such file or directory"},
	/* Names: 1-20 letters, digits, '-', '_'; unique. */
	{TUN "  - {name: abcdefghij0123456789x, peer: 198.51.100.57, psk: password1, "
	     "remote-subnets: 192.168.0.0/24}",
	 "tunnels[0].name: must be 1-20 characters, got 21"},
	{TUN "  - {name: on prem, peer: 198.51.100.57, psk: password1, remote-subnets: "
	     "192.168.0.0/24}",
	 "tunnels[0].name: may only hold letters, digits, '-' and '_', got 'on prem'"},
	{TUN "  - {peer: 198.51.100.57, psk: password1, remote-subnets: 192.168.0.0/24}",
	 "tunnels[0].name: required"},
	{TUN
	 "  - {name: onprem, peer: 198.51.100.57, psk: password1, remote-subnets: 10.1.0.0/16}\n"
	 "  - {name: other, peer: 198.51.100.58, psk: password1, remote-subnets: 10.2.0.0/16}\n"
	 "  - {name: onprem, peer: 198.51.100.59, psk: password1, remote-subnets: 10.3.0.0/16}",
	 "tunnels[2].name: \"onprem\" is used by tunnels[0]"},
	{"gateway: {name: \"\"}", "gateway.name: must be 1-20 characters, got 0"},
	{"gateway: {name: cloud.gw}",
	 "gateway.name: may only hold letters, digits, '-' and '_', got 'cloud.gw'"},
	{"gateway: {public-ip: 203.0.113.7}", "gateway.name: required"},
	/* Peers: an address or %any, unique except %any. */
	{TUN T0 "  - {name: t1, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8}",
	 "tunnels[1].peer: 198.51.100.57 is used by tunnels[0]"},
	{TUN "  - {name: t0, psk: password1, remote-subnets: 192.168.0.0/24}",
	 "tunnels[0].peer: required (the peer's IP address, or %any)"},
	{TUN "  - {name: t0, peer: vpn.example.com, psk: password1, remote-subnets: "
	     "192.168.0.0/24}",
	 "tunnels[0].peer: 'vpn.example.com' is not an IPv4 or IPv6 address (or %any)"},
	{TUN "  - {name: t0, peer: \"%any\", start: initiate, psk: password1, remote-subnets: "
	     "192.168.0.0/24}",
	 "tunnels[0].start: cannot initiate to peer %any; use respond"},
	/* Identities. */
	{TUN "  - {name: t0, peer: 198.51.100.57, remote-id: foo bar, psk: password1, "
	     "remote-subnets: 192.168.0.0/24}",
	 "tunnels[0].remote-id: 'foo bar' is not an IPv4/IPv6 address, FQDN, user@FQDN or "
	 "keyid:..."},
	{TUN "  - {name: t0, peer: 198.51.100.57, local-id: \"%any\", psk: password1, "
	     "remote-subnets: 192.168.0.0/24}",
	 "tunnels[0].local-id: %any is only allowed as remote-id"},
	{TUN "  - {name: t0, peer: 198.51.100.57, remote-id: \"keyid:#abc\", psk: password1, "
	     "remote-subnets: 192.168.0.0/24}",
	 "tunnels[0].remote-id: keyid:# needs an even number of hex digits (2-256)"},
	/* Subnets: valid CIDRs, no overlap with local ones. */
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: "
	     "[192.168.0.1/24]}",
	 "tunnels[0].remote-subnets[0]: 192.168.0.1/24 has host bits set; did you mean "
	 "192.168.0.0/24?"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: "
	     "\"192.168.0.0/24, 10.0.2/24\"}",
	 "tunnels[0].remote-subnets[1]: '10.0.2/24' is not a CIDR prefix (address/length)"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: "
	     "[10.0.0.0/33]}",
	 "tunnels[0].remote-subnets[0]: '10.0.0.0/33' has a prefix length longer than the "
	 "address"},
	{"gateway: {name: gw, local-subnets: [192.168.25.1/24]}",
	 "gateway.local-subnets[0]: 192.168.25.1/24 has host bits set; did you mean "
	 "192.168.25.0/24?"},
	{TUN T0 "  - {name: t1, peer: 198.51.100.58, psk: password1, remote-subnets: "
		"[192.168.25.0/24]}",
	 "tunnels[1].remote-subnets[0]: 192.168.25.0/24 overlaps local subnet 192.168.25.0/24"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, local-subnets: [10.0.0.0/8], "
	     "remote-subnets: [192.168.0.0/24, 10.20.0.0/16]}",
	 "tunnels[0].remote-subnets[1]: 10.20.0.0/16 overlaps local subnet 10.0.0.0/8"},
	{TUN T0 "  - {name: t1, peer: 198.51.100.58, psk: password1, remote-subnets: "
		"[10.9.0.0/16, 192.168.0.128/25]}",
	 "tunnels[1].remote-subnets[1]: 192.168.0.128/25 overlaps tunnels[0].remote-subnets[0] "
	 "192.168.0.0/24 and the local subnets overlap too; traffic could match either tunnel"},
	/* Policy tunnels need subnets on both sides. */
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1}",
	 "tunnels[0].remote-subnets: required for a policy-based tunnel (type: policy)"},
	{"gateway: {name: gw}\ntunnels:\n  - {name: t0, peer: 198.51.100.57, psk: password1, "
	 "remote-subnets: 10.0.0.0/8}",
	 "tunnels[0].local-subnets: required for a policy-based tunnel; set it here or in "
	 "gateway.local-subnets"},
	/* Guide section 6: IKEv1 policy tunnels carry one subnet per side. */
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, ike: {version: 1}, "
	     "remote-subnets: [192.168.0.0/24, 10.0.2.0/24]}",
	 "tunnels[0].remote-subnets: an IKEv1 policy-based tunnel carries one remote subnet, got "
	 "2; use ike version 2 or one tunnel per subnet pair"},
	/* Route tunnels: local-tunnel-ip, a host of a /30 in 169.254.0.0/16, unique. */
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route}",
	 "tunnels[0].local-tunnel-ip: required for a route-based tunnel (type: route)"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, local-tunnel-ip: "
	     "169.254.200.4/30}",
	 "tunnels[0].local-tunnel-ip: 169.254.200.4/30 is the network address of the /30"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, local-tunnel-ip: "
	     "169.254.200.7/30}",
	 "tunnels[0].local-tunnel-ip: 169.254.200.7/30 is the broadcast address of the /30"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, local-tunnel-ip: "
	     "10.0.0.1/30}",
	 "tunnels[0].local-tunnel-ip: 10.0.0.1/30 is not inside 169.254.0.0/16"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, local-tunnel-ip: "
	     "169.254.200.5/29}",
	 "tunnels[0].local-tunnel-ip: must be a /30, got /29"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, local-tunnel-ip: "
	     "169.254.200.5}",
	 "tunnels[0].local-tunnel-ip: must be a /30, got /32"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, local-tunnel-ip: "
	     "fe80::1/126}",
	 "tunnels[0].local-tunnel-ip: must be an IPv4 address in 169.254.0.0/16, got fe80::1/126"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, local-tunnel-ip: "
	     "169.254.200.5/30}\n"
	     "  - {name: t1, peer: 198.51.100.58, psk: password1, type: route, local-tunnel-ip: "
	     "169.254.200.5/30}",
	 "tunnels[1].local-tunnel-ip: 169.254.200.5/30 is used by tunnels[0]"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, local-tunnel-ip: "
	     "169.254.200.5/30}\n"
	     "  - {name: t1, peer: 198.51.100.58, psk: password1, type: route, local-tunnel-ip: "
	     "169.254.200.6/30}",
	 "tunnels[1].local-tunnel-ip: 169.254.200.6/30 is in the same /30 as tunnels[0] "
	 "(169.254.200.5/30)"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, local-tunnel-ip: "
	     "169.254.200.5/30, interface: vti1}\n"
	     "  - {name: t1, peer: 198.51.100.58, psk: password1, type: route, local-tunnel-ip: "
	     "169.254.200.9/30, interface: vti1}",
	 "tunnels[1].interface: \"vti1\" is used by tunnels[0]"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, local-tunnel-ip: "
	     "169.254.200.5/30, interface: a/b}",
	 "tunnels[0].interface: 'a/b' is not an interface name (1-15 characters, no '/', ':' or "
	 "spaces)"},
	/* Descriptions <= 400 characters. */
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "description: "
	     "\"0123456789012345678901234567890123456789012345678901234567890123456789012345678901"
	     "2345678901234567890123456789012345678901234567890123456789012345678901234567890123"
	     "4567890123456789012345678901234567890123456789012345678901234567890123456789012345"
	     "6789012345678901234567890123456789012345678901234567890123456789012345678901234567"
	     "890123456789012345678901234567890123456789012345678901234567890123456789x\"}",
	 "tunnels[0].description: must be at most 400 characters, got 401"},
	/* Lifetimes > 0, ESP < IKE. */
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "ike: {lifetime: 0}}",
	 "tunnels[0].ike.lifetime: must be more than 0"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "esp: {lifetime: 0s}}",
	 "tunnels[0].esp.lifetime: must be more than 0"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "esp: {lifetime: 25h}}",
	 "tunnels[0].esp.lifetime: 90000 must be less than ike.lifetime 86400"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "ike: {lifetime: forever}}",
	 "tunnels[0].ike.lifetime: expected seconds (e.g. 3600, 60m, 1h, 1d), got 'forever'"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "ike: {lifetime: 99999999999}}",
	 "tunnels[0].ike.lifetime: '99999999999' is too large"},
	/* DPD: interval > 0, timeout > interval. */
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "dpd: {interval: 0}}",
	 "tunnels[0].dpd.interval: must be more than 0 (action: none turns DPD off)"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "dpd: {timeout: 10}}",
	 "tunnels[0].dpd.timeout: 10 must be more than dpd.interval 15"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "dpd: {action: reset}}",
	 "tunnels[0].dpd.action: must be restart, clear, hold or none, got 'reset'"},
	/* ESP replay window 0..4096, TCP MSS 536..1460. */
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "esp: {replay-window: 5000}}",
	 "tunnels[0].esp.replay-window: must be 0-4096 (0 turns replay protection off), got "
	 "5000"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "tcp-mss: {value: 1500}}",
	 "tunnels[0].tcp-mss.value: must be 536-1460, got 1500"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "tcp-mss: {direction: up, value: 1360}}",
	 "tunnels[0].tcp-mss.direction: must be both, inbound or outbound, got 'up'"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "tcp-mss: {direction: inbound}}",
	 "tunnels[0].tcp-mss.value: required when tcp-mss is given"},
	/* Gateway bandwidth. */
	{"gateway: {name: gw, bandwidth: 10MB}",
	 "gateway.bandwidth: expected a rate in kbps, mbps or gbps (e.g. 10mbps), got '10MB'"},
	{"gateway: {name: gw, bandwidth: 0mbps}", "gateway.bandwidth: must be more than 0"},
	{"gateway: {name: gw, public-ip: 203.0.113}",
	 "gateway.public-ip: '203.0.113' is not an IPv4 or IPv6 address"},
	/* Enums and versions. */
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "type: routed}",
	 "tunnels[0].type: must be policy or route, got 'routed'"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "ike: {version: 3}}",
	 "tunnels[0].ike.version: must be 2, 1 or flex, got '3'"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "esp: {mode: beet}}",
	 "tunnels[0].esp.mode: must be tunnel or transport, got 'beet'"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "ike: {reauth: maybe}}",
	 "tunnels[0].ike.reauth: must be true or false, got 'maybe'"},
	{"gateway: {name: gw}\nlog: {ike: verbose}",
	 "log.ike: must be error, warn, info or debug, got 'verbose'"},
	/* Proposals. */
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "ike: {proposals: [aes257-sha256-modp1024]}}",
	 "tunnels[0].ike.proposals[0]: unknown algorithm 'aes257' in proposal "
	 "'aes257-sha256-modp1024'"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "esp: {proposals: \"aes256-sha256, aes256gcm16-sha256\"}}",
	 "tunnels[0].esp.proposals[1]: aes256gcm16 is an AEAD and takes no integrity algorithm, "
	 "drop 'sha256'"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "esp: {proposals: []}}",
	 "tunnels[0].esp.proposals: must list at least one proposal"},
	/* Unknown keys (with a suggestion when one is close), wrong types, repeats. */
	{TUN "  - {name: t0, peer: 198.51.100.57, pskk: password1, psk: password1, "
	     "remote-subnets: 10.0.0.0/8}",
	 "tunnels[0]: unknown key 'pskk' (did you mean 'psk'?)"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "colour: red}",
	 "tunnels[0]: unknown key 'colour'"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "dpd: {intreval: 10}}",
	 "tunnels[0].dpd: unknown key 'intreval' (did you mean 'interval'?)"},
	{GW "tunnel:\n" T0, "unknown key 'tunnel' (did you mean 'tunnels'?)"},
	{TUN "  - {name: [t0], peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8}",
	 "tunnels[0].name: expected a string, got a list"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: {a: b}}",
	 "tunnels[0].remote-subnets: expected a list of CIDR prefixes, got a mapping"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "esp: [1, 2]}",
	 "tunnels[0].esp: expected a mapping, got a list"},
	{TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
	     "esp: {life-bytes: -1}}",
	 "tunnels[0].esp.life-bytes: expected a whole number, got '-1'"},
	{GW "tunnels: {name: t0}", "tunnels: expected a list of tunnels, got a mapping"},
	{TUN "  - name: t0\n    peer: 198.51.100.57\n    psk: password1\n    psk: password2\n"
	     "    remote-subnets: 10.0.0.0/8",
	 "tunnels[0].psk: given twice (lines 5 and 6)"},
	{TUN "  - &t {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: "
	     "10.0.0.0/8}\n  - *t",
	 "tunnels[1]: YAML aliases are not supported"},
	{TUN "  - just a string", "tunnels[0]: expected a mapping, got a string"},
};

static void test_bad_table(void **state)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cfg_diag d;
		struct cfg *c = (struct cfg *)1;
		int r;

		cfg_diag_init(&d);
		r = cfg_load_string(bad[i].yaml, strlen(bad[i].yaml), "t.yaml", &c, &d);
		if (r != IG_EINVAL || c != NULL || cfg_diag_count(&d) != 1 ||
		    strcmp(cfg_diag_msg(&d, 0), bad[i].msg) != 0) {
			print_error("row %zu: r=%d, %zu problems, want:\n  %s\ngot:\n", i, r,
				    cfg_diag_count(&d), bad[i].msg);
			for (size_t j = 0; j < cfg_diag_count(&d); j++)
				print_error("  %s\n", cfg_diag_msg(&d, j));
			cfg_diag_free(&d);
			fail();
		}
		cfg_diag_free(&d);
	}
}

/*
 * The same table through the real CLI, as an operator runs it: each bad
 * config in a 0600 file, `ipsecgw check FILE` exits 1 and prints exactly
 * the expected line. IPSECGW_CLI is set by tests/meson.build.
 */
static void test_bad_table_cli(void **state)
{
	const char *cli = getenv("IPSECGW_CLI");

	if (!cli)
		fail_msg("IPSECGW_CLI is not set: run through meson test");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[] = "/tmp/ipsecgw-check-XXXXXX", cmd[512], line[1024];
		bool found = false;
		FILE *p;
		int fd, st;

		/* Rows that test the YAML parser on raw bytes are C-level only. */
		if (memchr(bad[i].yaml, '\0', strlen(bad[i].yaml)))
			continue;
		assert_true((fd = mkstemp(path)) >= 0);
		assert_int_equal(write(fd, bad[i].yaml, strlen(bad[i].yaml)),
				 (ssize_t)strlen(bad[i].yaml));
		close(fd);
		snprintf(cmd, sizeof(cmd), "'%s' check '%s' 2>&1", cli, path);
		assert_non_null(p = popen(cmd, "r"));
		while (fgets(line, sizeof(line), p)) {
			line[strcspn(line, "\n")] = '\0';
			found |= strcmp(line, bad[i].msg) == 0;
		}
		st = pclose(p);
		unlink(path);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 1 || !found)
			fail_msg("row %zu: exit %d, line '%s' %s", i, WEXITSTATUS(st), bad[i].msg,
				 found ? "found" : "missing");
	}
}

/* The same rules pass when the value is right: the table's rows are not vacuous. */
static void test_good_neighbours(void **state)
{
	static const char *const good[] = {
		TUN T0,
		TUN
		"  - {name: t0, peer: 198.51.100.57, psk: 1234567890123456789012345678901234567890,"
		" remote-subnets: 10.0.0.0/8}",
		TUN
		"  - {name: a-b_C9, peer: \"%any\", psk: password1, remote-subnets: 10.0.0.0/8}\n"
		"  - {name: b, peer: \"%any\", psk: password1, remote-subnets: 172.16.0.0/12}",
		TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, "
		    "local-tunnel-ip: 169.254.200.5/30}\n"
		    "  - {name: t1, peer: 198.51.100.58, psk: password1, type: route, "
		    "local-tunnel-ip: 169.254.200.10/30}",
		TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, ike: {version: 1}, "
		    "remote-subnets: [192.168.0.0/24]}",
		TUN
		"  - {name: t0, peer: 198.51.100.57, psk: password1, remote-subnets: 10.0.0.0/8, "
		"esp: {lifetime: 86399, replay-window: 0}, tcp-mss: {value: 536}, "
		"dpd: {interval: 1, timeout: 2}}",
		TUN "  - {name: t0, peer: 2001:db8::57, remote-id: user@example.com, "
		    "local-id: \"keyid:#00ff\", psk: password1, remote-subnets: 2001:db8:1::/48}",
		"gateway: {name: gw, bandwidth: 500 kbps}\nlog: debug",
		/* Same remote subnet from different local subnets: no ambiguity. */
		TUN
		"  - {name: t0, peer: 198.51.100.57, psk: password1, local-subnets: 10.1.0.0/16, "
		"remote-subnets: 10.9.0.0/16}\n"
		"  - {name: t1, peer: 198.51.100.58, psk: password1, local-subnets: 10.2.0.0/16, "
		"remote-subnets: 10.9.0.0/16}",
		/* Route tunnels may overlap on purpose (primary and backup). */
		TUN "  - {name: t0, peer: 198.51.100.57, psk: password1, type: route, "
		    "local-tunnel-ip: 169.254.200.5/30, remote-subnets: 10.9.0.0/16}\n"
		    "  - {name: t1, peer: 198.51.100.58, psk: password1, type: route, "
		    "local-tunnel-ip: 169.254.200.9/30, remote-subnets: 10.9.0.0/16}",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct cfg_diag d;
		struct cfg *c = NULL;

		cfg_diag_init(&d);
		if (cfg_load_string(good[i], strlen(good[i]), "t.yaml", &c, &d) != 0)
			fail_msg("good row %zu: %s", i, cfg_diag_msg(&d, 0));
		assert_non_null(c);
		cfg_free(c);
		cfg_diag_free(&d);
	}
}

static void test_all_problems_at_once(void **state)
{
	static const char yaml[] = "gateway:\n"
				   "  name: cloud gw\n"
				   "  local-subnets: [192.168.25.0/24]\n"
				   "  bandwidth: fast\n"
				   "tunnels:\n"
				   "  - name: onprem\n"
				   "    peer: 198.51.100.57\n"
				   "    psk: short\n"
				   "    remote-subnets: [192.168.0.0/24, 192.168.25.0/24]\n"
				   "  - name: onprem\n"
				   "    peer: 198.51.100.58\n"
				   "    psk: password1\n"
				   "    type: route\n"
				   "    local-tunnel-ip: 169.254.200.4/30\n"
				   "    ike: {lifetime: 3600, proposals: [aes256-sha256]}\n"
				   "    esp: {lifetime: 3600}\n"
				   "    pskk: x\n";
	static const struct {
		const char *msg;
		uint32_t line;
	} want[] = {
		{"gateway.bandwidth: expected a rate in kbps, mbps or gbps (e.g. 10mbps), got "
		 "'fast'",
		 4},
		{"tunnels[1].ike.proposals[0]: IKE proposal 'aes256-sha256' has no Diffie-Hellman "
		 "group, add e.g. 'modp2048'",
		 15},
		{"tunnels[1]: unknown key 'pskk' (did you mean 'psk'?)", 17},
		{"gateway.name: may only hold letters, digits, '-' and '_', got 'cloud gw'", 2},
		{"tunnels[0].psk: must be 8-40 characters, got 5", 8},
		{"tunnels[0].remote-subnets[1]: 192.168.25.0/24 overlaps local subnet "
		 "192.168.25.0/24",
		 9},
		{"tunnels[1].local-tunnel-ip: 169.254.200.4/30 is the network address of the /30",
		 14},
		{"tunnels[1].esp.lifetime: 3600 must be less than ike.lifetime 3600", 16},
		{"tunnels[1].name: \"onprem\" is used by tunnels[0]", 10},
	};
	struct cfg_diag d;
	struct cfg *c = NULL;

	cfg_diag_init(&d);
	assert_int_equal(cfg_load_string(yaml, strlen(yaml), "t.yaml", &c, &d), IG_EINVAL);
	assert_null(c);
	for (size_t i = 0; i < cfg_diag_count(&d); i++)
		print_message("# %u %s\n", cfg_diag_line(&d, i), cfg_diag_msg(&d, i));
	assert_int_equal(cfg_diag_count(&d), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_string_equal(cfg_diag_msg(&d, i), want[i].msg);
		assert_int_equal(cfg_diag_line(&d, i), want[i].line);
	}
	assert_string_equal(cfg_diag_path(&d, 4), "tunnels[0].psk");
	assert_string_equal(cfg_diag_reason(&d, 4), "must be 8-40 characters, got 5");
	assert_true(cfg_diag_has(&d, "tunnels[0].psk: must be 8-40 characters, got 5"));
	assert_false(cfg_diag_has(&d, "tunnels[0].psk"));
	assert_null(cfg_diag_msg(&d, 99));
	cfg_diag_free(&d);
}

/* Junk that makes a problem per entry stops at CFG_DIAG_MAX, saying so. */
static void test_many_problems_capped(void **state)
{
	char yaml[16384];
	size_t n = (size_t)snprintf(yaml, sizeof(yaml), "gateway: {name: gw}\ntunnels:\n");
	struct cfg_diag d;
	struct cfg *c = NULL;

	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(yaml + n, sizeof(yaml) - n, "  - x\n");
	cfg_diag_init(&d);
	assert_int_equal(cfg_load_string(yaml, n, "t.yaml", &c, &d), IG_EINVAL);
	assert_int_equal(cfg_diag_count(&d), CFG_DIAG_MAX);
	assert_string_equal(cfg_diag_msg(&d, CFG_DIAG_MAX - 1),
			    "too many problems; the rest are not shown");
	cfg_diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_table),
		cmocka_unit_test(test_bad_table_cli),
		cmocka_unit_test(test_good_neighbours),
		cmocka_unit_test(test_all_problems_at_once),
		cmocka_unit_test(test_many_problems_capped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
