/* SPDX-License-Identifier: MIT */
/*
 * Loading: the guide's tunnel with every default checked, every key of
 * PRODUCT.md, malformed YAML, file and psk-file modes, emit/load round trips
 * and the equality reload uses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "crypto/alg.h"
#include "lib/err.h"

static char *read_fixture(const char *name, size_t *len)
{
	const char *dir = getenv("IPSECGW_TEST_DATA");
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/config/%s", dir ? dir : "tests/data", name);
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	assert_non_null(buf = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static struct cfg *load_ok(const char *yaml, size_t len)
{
	struct cfg_diag d;
	struct cfg *c = NULL;

	cfg_diag_init(&d);
	if (cfg_load_string(yaml, len, "t.yaml", &c, &d) != 0)
		fail_msg("load: %s", cfg_diag_msg(&d, 0));
	cfg_diag_free(&d);
	return c;
}

static struct cfg *load_fixture(const char *name)
{
	size_t len;
	char *yaml = read_fixture(name, &len);
	struct cfg *c = load_ok(yaml, len);

	free(yaml);
	return c;
}

static void assert_cidr(const struct cidr *c, const char *want)
{
	char buf[CIDR_STRLEN];

	assert_string_equal(cidr_format(c, buf, sizeof(buf)), want);
}

static void assert_addr(const struct addr *a, const char *want)
{
	char buf[ADDR_STRLEN];

	assert_string_equal(addr_format(a, buf, sizeof(buf)), want);
}

static void assert_guide_proposal(const struct proposal *p, enum proposal_kind kind)
{
	char buf[PROPOSAL_MAX_TEXT];

	assert_int_equal(p->kind, kind);
	assert_int_equal(p->n_encr, 1);
	assert_int_equal(p->encr[0].id, ALG_ENCR_AES_CBC);
	assert_int_equal(p->encr[0].keybits, 256);
	assert_int_equal(p->n_integ, 1);
	assert_int_equal(p->integ[0], ALG_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(p->n_prf, kind == PROPOSAL_IKE ? 1 : 0);
	if (kind == PROPOSAL_IKE)
		assert_int_equal(p->prf[0], ALG_PRF_HMAC_SHA2_256);
	assert_int_equal(p->n_dh, 1);
	assert_int_equal(p->dh[0], ALG_DH_MODP_1024);
	assert_int_equal(proposal_format(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "aes256-sha256-modp1024");
}

/* Guide sections 2.2 and 3.2: what the console asks for, the rest defaulted. */
static void test_guide_tunnel_defaults(void **state)
{
	struct cfg *c = load_fixture("guide.yaml");
	const struct cfg_gateway *g = &c->gateway;
	const struct cfg_tunnel *t;

	assert_string_equal(c->source, "t.yaml");
	assert_string_equal(g->name, "VPNTTest");
	assert_addr(&g->local_address, "203.0.113.7");
	assert_addr(&g->public_ip, "203.0.113.7");
	assert_int_equal(g->n_local_subnets, 1);
	assert_cidr(&g->local_subnets[0], "192.168.25.0/24");
	assert_true(g->bandwidth_bps == 10000000u);
	assert_string_equal(g->description, "Create a new VPN Gateway");
	assert_true(g->origin[CFG_G_NAME].set);
	assert_int_equal(g->origin[CFG_G_NAME].line, 6);

	/* log: not given: info everywhere, no keys. */
	assert_int_equal(c->log.level, LL_INFO);
	for (int s = 0; s < LS_COUNT; s++)
		assert_int_equal(cfg_log_level(c, s), LL_INFO);
	assert_false(c->log.keys);
	assert_false(c->log.origin[CFG_L_LEVEL].set);

	assert_int_equal(c->n_tunnels, 1);
	assert_non_null(t = cfg_tunnel_find(c, "New_VPN_Tunnel"));
	assert_null(cfg_tunnel_find(c, "nope"));
	assert_int_equal(t->index, 0);
	assert_string_equal(t->description, "Create a new VPN Tunnel");
	assert_false(t->peer_any);
	assert_addr(&t->peer, "198.51.100.57");
	assert_int_equal(t->psk->len, 8);
	assert_memory_equal(t->psk->data, "password", 8);
	assert_null(t->psk_file);
	assert_int_equal(t->type, CFG_TYPE_ROUTE);

	/* Derived: local-id = gateway public-ip, remote-id = peer. */
	assert_int_equal(t->local_id.type, CFG_ID_IPV4);
	assert_string_equal(t->local_id.text, "203.0.113.7");
	assert_int_equal(t->local_id.len, 4);
	assert_memory_equal(t->local_id.data, "\xcb\x00\x71\x07", 4);
	assert_false(cfg_tunnel_is_set(t, CFG_T_LOCAL_ID));
	assert_int_equal(t->remote_id.type, CFG_ID_IPV4);
	assert_string_equal(t->remote_id.text, "198.51.100.57");
	assert_addr(&t->remote_id.addr, "198.51.100.57");
	assert_false(cfg_tunnel_is_set(t, CFG_T_REMOTE_ID));

	/* Subnets: local from the gateway, remote as written. */
	assert_int_equal(t->n_local_subnets, 1);
	assert_cidr(&t->local_subnets[0], "192.168.25.0/24");
	assert_false(cfg_tunnel_is_set(t, CFG_T_LOCAL_SUBNETS));
	assert_int_equal(t->n_remote_subnets, 2);
	assert_cidr(&t->remote_subnets[0], "192.168.0.0/24");
	assert_cidr(&t->remote_subnets[1], "10.0.2.0/24");
	assert_true(cfg_tunnel_is_set(t, CFG_T_REMOTE_SUBNETS));
	assert_int_equal(t->origin[CFG_T_REMOTE_SUBNETS].line, 19);

	/* Route-based: vti1, 169.254.200.5/30 and the peer's .6 (console, section 3.2). */
	assert_string_equal(t->interface, "vti1");
	assert_false(cfg_tunnel_is_set(t, CFG_T_INTERFACE));
	assert_cidr(&t->local_tunnel_ip, "169.254.200.5/30");
	assert_addr(&t->peer_tunnel_ip, "169.254.200.6");

	/* Section 2.2 defaults. */
	assert_int_equal(t->ike.version, CFG_IKE_V2);
	assert_int_equal(t->ike.n_proposals, 1);
	assert_guide_proposal(&t->ike.proposals[0], PROPOSAL_IKE);
	assert_int_equal(t->ike.lifetime_s, 86400);
	assert_true(t->ike.reauth);
	assert_int_equal(t->esp.n_proposals, 1);
	assert_guide_proposal(&t->esp.proposals[0], PROPOSAL_ESP);
	assert_int_equal(t->esp.lifetime_s, 3600);
	assert_int_equal(t->esp.life_bytes, 0);
	assert_int_equal(t->esp.life_packets, 0);
	assert_int_equal(t->esp.mode, CFG_MODE_TUNNEL);
	assert_int_equal(t->esp.df_bit, CFG_DF_COPY);
	assert_int_equal(t->esp.replay_window, 1024);
	assert_int_equal(t->dpd.interval_s, 15);
	assert_int_equal(t->dpd.timeout_s, 60);
	assert_int_equal(t->dpd.action, CFG_DPD_RESTART);
	assert_int_equal(t->start, CFG_START_INITIATE);
	assert_false(t->tcp_mss.enabled);
	for (int f = CFG_T_IKE; f < CFG_T_COUNT; f++)
		assert_false(t->origin[f].set);
	cfg_free(c);
}

static void test_every_key(void **state)
{
	struct cfg *c = load_fixture("full.yaml");
	const struct cfg_tunnel *t = &c->tunnels[0], *u = &c->tunnels[1];
	char buf[PROPOSAL_MAX_TEXT];

	assert_int_equal(cfg_log_level(c, LS_IKE), LL_DEBUG);
	assert_int_equal(cfg_log_level(c, LS_ESP), LL_INFO);
	assert_int_equal(cfg_log_level(c, LS_NET), LL_INFO);
	assert_true(c->gateway.bandwidth_bps == 1000000000u);
	assert_int_equal(t->ike.n_proposals, 2);
	assert_int_equal(t->ike.proposals[1].encr[0].id, ALG_ENCR_AES_GCM_16);
	assert_int_equal(t->ike.proposals[1].prf[0], ALG_PRF_HMAC_SHA2_384);
	assert_true(t->esp.life_bytes == 1000000000u);
	assert_int_equal(t->esp.life_packets, 1000000);
	assert_true(t->tcp_mss.enabled);
	assert_int_equal(t->tcp_mss.direction, CFG_MSS_BOTH);
	assert_int_equal(t->tcp_mss.value, 1360);
	assert_int_equal(t->type, CFG_TYPE_POLICY);
	assert_null(t->interface);
	for (int f = 0; f < CFG_T_COUNT; f++)
		if (f != CFG_T_PSK_FILE && f != CFG_T_INTERFACE && f != CFG_T_LOCAL_TUNNEL_IP)
			assert_true(t->origin[f].set);

	assert_true(u->peer_any);
	assert_int_equal(u->start, CFG_START_RESPOND); /* %any cannot initiate */
	assert_int_equal(u->remote_id.type, CFG_ID_FQDN);
	assert_int_equal(u->remote_id.len, strlen("branch2.example.com"));
	assert_string_equal(u->interface, "vti7");
	assert_addr(&u->peer_tunnel_ip, "169.254.201.2");
	assert_int_equal(u->ike.version, CFG_IKE_FLEX);
	assert_true(u->ike.proposals[0].strict);
	assert_int_equal(proposal_format(&u->ike.proposals[0], buf, sizeof(buf)), 0);
	assert_string_equal(buf, "aes128-aes256-sha256-sha1-modp2048-modp1024!");
	assert_int_equal(u->esp.n_proposals, 2);
	assert_int_equal(u->esp.proposals[1].encr[0].id, ALG_ENCR_NULL_AUTH_AES_GMAC);
	assert_int_equal(u->esp.df_bit, CFG_DF_CLEAR);
	assert_int_equal(u->dpd.action, CFG_DPD_NONE);
	/* The local subnets come from the gateway also for route tunnels. */
	assert_int_equal(u->n_local_subnets, 1);
	cfg_free(c);
}

static void test_identities(void **state)
{
	static const char yaml[] =
		"gateway: {name: gw, local-address: 2001:db8::7, local-subnets: [10.9.0.0/16]}\n"
		"tunnels:\n"
		"  - {name: a, peer: 198.51.100.1, psk: password1, remote-subnets: 10.1.0.0/16,\n"
		"     remote-id: \"@vpn.example.com\", local-id: \"keyid:#00ff10\"}\n"
		"  - {name: b, peer: 198.51.100.2, psk: password1, remote-subnets: 10.2.0.0/16,\n"
		"     remote-id: ops@example.com, local-id: \"keyid:gw-key\"}\n"
		"  - {name: c, peer: 198.51.100.3, psk: password1, remote-subnets: 10.3.0.0/16,\n"
		"     remote-id: \"%any\", local-id: 2001:db8::7}\n"
		"  - {name: d, peer: 198.51.100.4, psk: password1, remote-subnets: 10.4.0.0/16}\n";
	struct cfg *c = load_ok(yaml, sizeof(yaml) - 1);

	assert_int_equal(c->tunnels[0].remote_id.type, CFG_ID_FQDN);
	assert_int_equal(c->tunnels[0].remote_id.len, strlen("vpn.example.com"));
	assert_string_equal(c->tunnels[0].remote_id.text, "@vpn.example.com");
	assert_int_equal(c->tunnels[0].local_id.type, CFG_ID_KEY_ID);
	assert_int_equal(c->tunnels[0].local_id.len, 3);
	assert_memory_equal(c->tunnels[0].local_id.data, "\x00\xff\x10", 3);
	assert_int_equal(c->tunnels[1].remote_id.type, CFG_ID_RFC822);
	assert_int_equal(c->tunnels[1].local_id.type, CFG_ID_KEY_ID);
	assert_memory_equal(c->tunnels[1].local_id.data, "gw-key", 6);
	assert_int_equal(c->tunnels[2].remote_id.type, CFG_ID_ANY);
	assert_int_equal(c->tunnels[2].local_id.type, CFG_ID_IPV6);
	assert_int_equal(c->tunnels[2].local_id.len, 16);
	/* No public-ip: local-id defaults to local-address. */
	assert_int_equal(c->tunnels[3].local_id.type, CFG_ID_IPV6);
	assert_string_equal(c->tunnels[3].local_id.text, "2001:db8::7");
	assert_string_equal(cfg_id_type_name(CFG_ID_RFC822), "user@FQDN");
	cfg_free(c);
}

static void test_interface_defaults(void **state)
{
	static const char yaml[] =
		"gateway: {name: gw}\n"
		"tunnels:\n"
		"  - {name: a, peer: 198.51.100.1, psk: password1, type: route, "
		"local-tunnel-ip: 169.254.0.1/30}\n"
		"  - {name: b, peer: 198.51.100.2, psk: password1, type: route, "
		"local-tunnel-ip: 169.254.0.5/30, interface: vti2}\n"
		"  - {name: c, peer: 198.51.100.3, psk: password1, type: route, "
		"local-tunnel-ip: 169.254.0.9/30}\n"
		"  - {name: d, peer: 198.51.100.4, psk: password1, local-subnets: 192.168.25.0/24, "
		"remote-subnets: 10.4.0.0/16}\n";
	struct cfg *c = load_ok(yaml, sizeof(yaml) - 1);

	/* vti<N> in file order, skipping names set explicitly. */
	assert_string_equal(c->tunnels[0].interface, "vti1");
	assert_string_equal(c->tunnels[1].interface, "vti2");
	assert_string_equal(c->tunnels[2].interface, "vti3");
	assert_null(c->tunnels[3].interface);
	assert_int_equal(c->tunnels[0].n_local_subnets, 0);
	cfg_free(c);
}

static void test_malformed_yaml(void **state)
{
	static const struct {
		const char *yaml;
		size_t len; /* 0: strlen */
		const char *msg;
	} t[] = {
		{"gateway:\n\tname: x\n", 0,
		 "t.yaml:2:1: found character that cannot start any token while scanning for the "
		 "next token (tabs are not allowed for indentation; use spaces)"},
		{"gateway: {name: \"x}\n", 0,
		 "t.yaml:2:1: found unexpected end of stream while scanning a quoted scalar"},
		{"gateway: {name: x\n", 0,
		 "t.yaml:2:1: did not find expected ',' or '}' while parsing a flow mapping"},
		{"", 0, "t.yaml: empty configuration (no YAML document)"},
		{"# only a comment\n", 0, "t.yaml: empty configuration (no YAML document)"},
		{"\x01\x02\xff\xfe\x00junk", 9, "t.yaml:1:1: control characters are not allowed"},
		{"\xc3\x28: x", 0, "t.yaml:1:1: invalid trailing UTF-8 octet"},
		{"[1, 2]", 0,
		 "the file must be a mapping with gateway, log and tunnels, got a list"},
		{"hello", 0,
		 "the file must be a mapping with gateway, log and tunnels, got a string"},
		{"gateway: {name: a}\n---\nfoo: 1\n", 0,
		 "t.yaml: holds more than one YAML document (another starts at line 3)"},
		{"gateway: {name: \"a\\0b\"}", 0, "gateway.name: contains a NUL character"},
		{"gateway: {name: gw}\n? [a]\n: b\n", 0, "keys must be strings, got a list"},
		{"gateway: {name: gw}\ngateway: {name: gw2}\n", 0,
		 "gateway: given twice (lines 1 and 2)"},
		{"gateway:\n  name: gw\n  name: gw2\n", 0,
		 "gateway.name: given twice (lines 2 and 3)"},
		{"gateway: [a]\n", 0, "gateway: expected a mapping, got a list"},
		{"gateway: {name: gw}\nlog: [debug]\n", 0, "log: expected a mapping, got a list"},
		{"gateway: {name: {a: b}}\n", 0, "gateway.name: expected a string, got a mapping"},
		{"gateway: {name: }\n", 0, "gateway.name: expected a string, got nothing"},
		/* Billion laughs: every alias is refused, nothing is expanded. */
		{"a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\ngateway: *b\n", 0, "unknown key 'a'"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t len = t[i].len ? t[i].len : strlen(t[i].yaml);
		struct cfg_diag d;
		struct cfg *c = (struct cfg *)1;

		cfg_diag_init(&d);
		assert_int_equal(cfg_load_string(t[i].yaml, len, "t.yaml", &c, &d), IG_EINVAL);
		assert_null(c);
		assert_true(cfg_diag_count(&d) >= 1);
		if (strcmp(cfg_diag_msg(&d, 0), t[i].msg) != 0)
			fail_msg("row %zu:\n got  %s\n want %s", i, cfg_diag_msg(&d, 0), t[i].msg);
		cfg_diag_free(&d);
	}
}

/* Deep nesting must neither crash nor recurse: the walker follows the schema only. */
static void test_deep_nesting(void **state)
{
	enum { DEPTH = 20000 };
	static char yaml[DEPTH * 2 + 32];
	struct cfg_diag d;
	struct cfg *c = NULL;
	size_t n = (size_t)snprintf(yaml, sizeof(yaml), "gateway: ");

	memset(yaml + n, '[', DEPTH);
	memset(yaml + n + DEPTH, ']', DEPTH);
	n += DEPTH * 2;
	cfg_diag_init(&d);
	assert_int_equal(cfg_load_string(yaml, n, "t.yaml", &c, &d), IG_EINVAL);
	assert_string_equal(cfg_diag_msg(&d, 0), "gateway: expected a mapping, got a list");
	cfg_diag_free(&d);
}

static char *tmp_file(const char *content, mode_t mode)
{
	char *path = strdup("/tmp/ipsecgw-cfg-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static void test_file_mode(void **state)
{
	static const char yaml[] = "gateway: {name: gw, local-subnets: 192.168.25.0/24}\n"
				   "tunnels:\n"
				   "  - {name: a, peer: 198.51.100.1, psk: password1, "
				   "remote-subnets: 10.1.0.0/16}\n";
	static const mode_t modes[] = {0644, 0640, 0604, 0600, 0400};
	char want[512];

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char *path = tmp_file(yaml, modes[i]);
		struct cfg_diag d;
		struct cfg *c = NULL;
		int r;

		cfg_diag_init(&d);
		r = cfg_load_file(path, &c, &d);
		if (modes[i] & 044) {
			assert_int_equal(r, IG_EINVAL);
			assert_null(c);
			assert_int_equal(cfg_diag_count(&d), 1);
			snprintf(want, sizeof(want),
				 "%s: holds pre-shared keys but is readable by group/other (mode "
				 "%04o); chmod 600 %s",
				 path, (unsigned)modes[i], path);
			assert_string_equal(cfg_diag_msg(&d, 0), want);
		} else {
			assert_int_equal(r, 0);
			assert_non_null(c);
			assert_string_equal(c->source, path);
		}
		cfg_free(c);
		cfg_diag_free(&d);
		unlink(path);
		free(path);
	}
}

static void test_file_errors(void **state)
{
	struct cfg_diag d;
	struct cfg *c = NULL;

	cfg_diag_init(&d);
	assert_int_equal(cfg_load_file("/nonexistent/ipsecgw.yaml", &c, &d), IG_EINVAL);
	assert_string_equal(cfg_diag_msg(&d, 0),
			    "/nonexistent/ipsecgw.yaml: cannot read: No such file or directory");
	cfg_diag_free(&d);
	cfg_diag_init(&d);
	assert_int_equal(cfg_load_file("/tmp", &c, &d), IG_EINVAL);
	assert_string_equal(cfg_diag_msg(&d, 0), "/tmp: not a regular file");
	assert_null(c);
	cfg_diag_free(&d);
}

static void test_psk_file(void **state)
{
	char *psk_ok = tmp_file("from-a-file-123\n", 0600);
	char *psk_open = tmp_file("from-a-file-123\n", 0644);
	char *psk_short = tmp_file("abc\r\n", 0400);
	char yaml[1024], want[512], *cfgpath, *slash;
	struct cfg_diag d;
	struct cfg *c = NULL;

	/* Readable by others is fine for a config without inline keys. */
	snprintf(yaml, sizeof(yaml),
		 "gateway: {name: gw, local-subnets: 192.168.25.0/24}\ntunnels:\n"
		 "  - {name: a, peer: 198.51.100.1, psk-file: %s, remote-subnets: 10.1.0.0/16}\n",
		 psk_ok);
	cfgpath = tmp_file(yaml, 0644);
	cfg_diag_init(&d);
	assert_int_equal(cfg_load_file(cfgpath, &c, &d), 0);
	assert_int_equal(c->tunnels[0].psk->len, 15);
	assert_memory_equal(c->tunnels[0].psk->data, "from-a-file-123", 15);
	assert_string_equal(c->tunnels[0].psk_file, psk_ok);
	assert_false(c->has_inline_psk);
	cfg_free(c);
	cfg_diag_free(&d);
	unlink(cfgpath);
	free(cfgpath);

	/* A relative psk-file is taken from the config file's directory (/tmp). */
	slash = strrchr(psk_ok, '/');
	snprintf(yaml, sizeof(yaml),
		 "gateway: {name: gw, local-subnets: 192.168.25.0/24}\ntunnels:\n"
		 "  - {name: a, peer: 198.51.100.1, psk-file: %s, remote-subnets: 10.1.0.0/16}\n",
		 slash + 1);
	cfgpath = tmp_file(yaml, 0600);
	cfg_diag_init(&d);
	assert_int_equal(cfg_load_file(cfgpath, &c, &d), 0);
	assert_memory_equal(c->tunnels[0].psk->data, "from-a-file-123", 15);
	cfg_free(c);
	cfg_diag_free(&d);
	unlink(cfgpath);
	free(cfgpath);

	/* Group/other may not read the key file. */
	snprintf(yaml, sizeof(yaml),
		 "gateway: {name: gw, local-subnets: 192.168.25.0/24}\ntunnels:\n"
		 "  - {name: a, peer: 198.51.100.1, psk-file: %s, remote-subnets: 10.1.0.0/16}\n"
		 "  - {name: b, peer: 198.51.100.2, psk-file: %s, remote-subnets: 10.2.0.0/16}\n",
		 psk_open, psk_short);
	cfg_diag_init(&d);
	assert_int_equal(cfg_load_string(yaml, strlen(yaml), "t.yaml", &c, &d), IG_EINVAL);
	assert_null(c);
	assert_int_equal(cfg_diag_count(&d), 2);
	snprintf(want, sizeof(want),
		 "tunnels[0].psk-file: %s is readable by group/other (mode 0644); chmod 600 %s",
		 psk_open, psk_open);
	assert_string_equal(cfg_diag_msg(&d, 0), want);
	/* The file's key gets the same rules as an inline one; CRLF is dropped. */
	assert_string_equal(cfg_diag_msg(&d, 1),
			    "tunnels[1].psk-file: must be 8-40 characters, got 3");
	cfg_diag_free(&d);

	unlink(psk_ok);
	unlink(psk_open);
	unlink(psk_short);
	free(psk_ok);
	free(psk_open);
	free(psk_short);
}

static char *emit(const struct cfg *c, unsigned flags)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(cfg_emit_yaml_flags(c, f, flags), 0);
	fclose(f);
	return text;
}

static void assert_same_cfg(const struct cfg *a, const struct cfg *b)
{
	assert_string_equal(a->gateway.name, b->gateway.name);
	assert_true(addr_eq(&a->gateway.public_ip, &b->gateway.public_ip));
	assert_true(addr_eq(&a->gateway.local_address, &b->gateway.local_address));
	assert_int_equal(a->gateway.n_local_subnets, b->gateway.n_local_subnets);
	assert_true(a->gateway.bandwidth_bps == b->gateway.bandwidth_bps);
	assert_true((!a->gateway.description && !b->gateway.description) ||
		    !strcmp(a->gateway.description, b->gateway.description));
	assert_memory_equal(a->log.subsys, b->log.subsys, sizeof(a->log.subsys));
	assert_int_equal(a->log.keys, b->log.keys);
	assert_int_equal(a->n_tunnels, b->n_tunnels);
	for (size_t i = 0; i < a->n_tunnels; i++) {
		assert_true(cfg_tunnel_equal(&a->tunnels[i], &b->tunnels[i]));
		assert_true((!a->tunnels[i].description && !b->tunnels[i].description) ||
			    !strcmp(a->tunnels[i].description, b->tunnels[i].description));
	}
}

static void round_trip(const char *yaml, size_t len)
{
	struct cfg *a = load_ok(yaml, len), *b, *full;
	char *t1 = emit(a, CFG_EMIT_SECRETS), *t2, *t3;

	/* load(emit(load(x))) == load(x), and emitting again gives the same text. */
	b = load_ok(t1, strlen(t1));
	assert_same_cfg(a, b);
	/* What was set stays set, what was defaulted stays defaulted (lines may move). */
	for (size_t i = 0; i < a->n_tunnels; i++)
		for (int f = 0; f < CFG_T_COUNT; f++)
			assert_int_equal(a->tunnels[i].origin[f].set, b->tunnels[i].origin[f].set);
	t2 = emit(b, CFG_EMIT_SECRETS);
	assert_string_equal(t1, t2);
	/* Every effective value written out loads to the same configuration too. */
	t3 = emit(a, CFG_EMIT_SECRETS | CFG_EMIT_DEFAULTS);
	full = load_ok(t3, strlen(t3));
	assert_same_cfg(a, full);
	cfg_free(a);
	cfg_free(b);
	cfg_free(full);
	free(t1);
	free(t2);
	free(t3);
}

static void test_round_trip(void **state)
{
	static const char *const fixtures[] = {"guide.yaml", "full.yaml", "policy-ikev1.yaml"};
	static const char odd[] =
		"gateway: {name: \"null\", description: \"  spaces, \\\"quotes\\\", # and: "
		"colons\\n"
		"and a second line \\u00e9\"}\n"
		"log: {level: warn, cfg: debug, keys: yes}\n"
		"tunnels:\n"
		"  - {name: \"true\", peer: 2001:db8::1, psk: \"p@ss: 'w\\\"rd' #1\", "
		"local-subnets: [2001:db8:a::/48], remote-subnets: \"2001:db8:b::/48, "
		"10.0.0.0/8\", "
		"esp: {proposals: [\"aes128gcm16-esn!\"], life-bytes: 0}, "
		"tcp-mss: {value: 1400}, description: \"~\"}\n";

	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		size_t len;
		char *yaml = read_fixture(fixtures[i], &len);

		round_trip(yaml, len);
		free(yaml);
	}
	round_trip(odd, sizeof(odd) - 1);
}

static void test_emit_without_secrets(void **state)
{
	struct cfg *c = load_fixture("guide.yaml");
	char *text = emit(c, 0), *with = emit(c, CFG_EMIT_SECRETS);
	char *full = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&full, &len);

	assert_null(strstr(text, "password"));
	assert_null(strstr(text, "psk"));
	assert_non_null(strstr(with, "psk: \"password\""));
	/* Only keys the operator wrote: no defaults in the output. */
	assert_null(strstr(with, "lifetime"));
	assert_null(strstr(with, "interface"));
	assert_int_equal(cfg_emit_yaml(c, f, true), 0);
	fclose(f);
	assert_string_equal(full, with);
	free(full);
	free(text);
	free(with);
	cfg_free(c);
}

static void test_tunnel_equal(void **state)
{
	static const char base[] =
		"gateway: {name: gw, local-subnets: 192.168.25.0/24}\ntunnels:\n"
		"  - {name: a, peer: 198.51.100.1, psk: %s, remote-subnets: %s%s}\n";
	static const struct {
		const char *psk, *remote, *extra;
		bool equal;
	} t[] = {
		{"password1", "10.1.0.0/16", "", true},
		{"password1", "10.1.0.0/16", ", description: changed", true},	 /* for people */
		{"password1", "10.1.0.0/16", ", ike: {lifetime: 86400}", true},	 /* the default */
		{"password1", "10.1.0.0/16", ", remote-id: 198.51.100.1", true}, /* the default */
		{"password1", "10.1.0.0/16", ", local-subnets: 192.168.25.0/24", true},
		{"password1", "10.1.0.0/16", ", ike: {lifetime: 86401}", false},
		{"password2", "10.1.0.0/16", "", false},
		{"password1", "10.1.0.0/17", "", false},
		{"password1", "[10.1.0.0/16, 10.2.0.0/16]", "", false},
		{"password1", "10.1.0.0/16", ", esp: {proposals: [aes128-sha256]}", false},
		{"password1", "10.1.0.0/16", ", esp: {replay-window: 64}", false},
		{"password1", "10.1.0.0/16", ", dpd: {action: hold}", false},
		{"password1", "10.1.0.0/16", ", tcp-mss: {value: 1400}", false},
		{"password1", "10.1.0.0/16", ", start: respond", false},
		{"password1", "10.1.0.0/16", ", remote-id: peer.example.com", false},
		{"password1", "10.1.0.0/16", ", ike: {version: flex}", false},
	};
	char yaml[512];
	struct cfg *a, *b;

	snprintf(yaml, sizeof(yaml), base, t[0].psk, t[0].remote, t[0].extra);
	a = load_ok(yaml, strlen(yaml));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(yaml, sizeof(yaml), base, t[i].psk, t[i].remote, t[i].extra);
		b = load_ok(yaml, strlen(yaml));
		if (cfg_tunnel_equal(&a->tunnels[0], &b->tunnels[0]) != t[i].equal)
			fail_msg("row %zu (%s): want %s", i, t[i].extra,
				 t[i].equal ? "equal" : "different");
		cfg_free(b);
	}
	cfg_free(a);
}

/* Importers build a model themselves and call cfg_finish(). */
static void test_build_and_finish(void **state)
{
	struct cfg *c = cfg_new();
	struct cfg_tunnel *t;
	struct cfg_diag d;
	char *text;

	c->gateway.name = strdup("imported");
	c->gateway.origin[CFG_G_NAME].set = true;
	c->tunnels = calloc(1, sizeof(*c->tunnels));
	c->n_tunnels = 1;
	t = &c->tunnels[0];
	t->name = strdup("peer1");
	t->origin[CFG_T_NAME].set = true;
	assert_int_equal(addr_parse("198.51.100.9", &t->peer), 0);
	t->origin[CFG_T_PEER].set = true;
	t->psk = secret_dup("imported-key", 12);
	t->origin[CFG_T_PSK].set = true;
	t->type = CFG_TYPE_ROUTE;
	t->origin[CFG_T_TYPE].set = true;
	assert_int_equal(cidr_parse("169.254.10.1/30", &t->local_tunnel_ip, CIDR_ALLOW_HOST), 0);
	t->origin[CFG_T_LOCAL_TUNNEL_IP].set = true;
	cfg_diag_init(&d);
	assert_int_equal(cfg_finish(c, &d), 0);
	assert_int_equal(cfg_diag_count(&d), 0);
	assert_string_equal(t->interface, "vti1");
	assert_int_equal(t->esp.lifetime_s, 3600);
	text = emit(c, CFG_EMIT_SECRETS);
	assert_non_null(strstr(text, "psk: \"imported-key\""));
	free(text);
	/* And finish again (idempotent), now with a mistake. */
	t->dpd.timeout_s = 5;
	t->origin[CFG_T_DPD_TIMEOUT].set = true;
	assert_int_equal(cfg_finish(c, &d), IG_EINVAL);
	assert_string_equal(cfg_diag_msg(&d, 0),
			    "tunnels[0].dpd.timeout: 5 must be more than dpd.interval 15");
	cfg_diag_free(&d);
	cfg_free(c);
	cfg_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guide_tunnel_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_identities),
		cmocka_unit_test(test_interface_defaults),
		cmocka_unit_test(test_malformed_yaml),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_file_mode),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_psk_file),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_emit_without_secrets),
		cmocka_unit_test(test_tunnel_equal),
		cmocka_unit_test(test_build_and_finish),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
