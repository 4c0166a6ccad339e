/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw import: the guide's own configurations first (tests/data/peer/
 * guide-policy.vyos, guide-route.vyos: section 4.1; guide.ipsec.conf and
 * guide.ipsec.secrets: section 4.2; documentation addresses), each parsed
 * field by field and its YAML compared with a golden file
 * (guide*.import.yaml) that also loads as a valid configuration. Then every
 * peer-config generator read back by its importer gives the tunnel it came
 * from (round trip), malformed input gives file:line errors, the VyOS
 * version is known as documented, and the command's exit status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "cli/import.h"
#include "cli/peer_config.h"
#include "config/config.h"
#include "lib/err.h"

static char *read_data(const char *name, size_t *len)
{
	const char *dir = getenv("IPSECGW_TEST_DATA");
	char path[512], *buf = NULL;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/peer/%s", dir ? dir : "tests/data", name);
	if (imp_read_file(path, &buf, &n) != 0)
		return NULL;
	if (len)
		*len = n;
	return buf;
}

static void parse_text(struct imp_peer *p, enum imp_fmt fmt, const char *name, const char *text,
		       const char *secrets)
{
	imp_peer_init(p, fmt, name);
	if (imp_parse(p, text, strlen(text), secrets, secrets ? strlen(secrets) : 0,
		      "guide.ipsec.secrets") != 0) {
		for (size_t i = 0; i < p->n_errors; i++)
			print_error("%s\n", p->errors[i]);
		fail();
	}
}

static void parse_file(struct imp_peer *p, enum imp_fmt fmt, const char *name,
		       const char *secrets_name)
{
	char *text = read_data(name, NULL),
	     *sec = secrets_name ? read_data(secrets_name, NULL) : NULL;

	assert_non_null(text);
	parse_text(p, fmt, name, text, sec);
	free(text);
	free(sec);
}

static char *yaml_of(const struct imp_peer *p)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	assert_non_null(m);
	assert_int_equal(imp_write_yaml(p, m, NULL), 0);
	fclose(m);
	return out;
}

static void assert_loads(const char *yaml, struct cfg **out)
{
	struct cfg_diag d;
	struct cfg *c = NULL;

	cfg_diag_init(&d);
	if (cfg_load_string(yaml, strlen(yaml), "imported", &c, &d) != 0) {
		for (size_t i = 0; i < cfg_diag_count(&d); i++)
			print_error("%s\n", cfg_diag_msg(&d, i));
		fail();
	}
	cfg_diag_free(&d);
	if (out)
		*out = c;
	else
		cfg_free(c);
}

static void assert_golden(const struct imp_peer *p, const char *golden)
{
	char *want = read_data(golden, NULL), *got = yaml_of(p);

	if (!want || strcmp(want, got))
		print_error("%s differs; got:\n%s\n", golden, got);
	assert_non_null(want);
	assert_string_equal(want, got);
	assert_loads(got, NULL);
	free(want);
	free(got);
}

static void prop_is(const struct proposal *p, const char *want)
{
	char b[PROPOSAL_MAX_TEXT];

	assert_int_equal(proposal_format(p, b, sizeof(b)), 0);
	assert_string_equal(b, want);
}

static void cidr_is(const struct cidr *c, const char *want)
{
	char b[CIDR_STRLEN];

	assert_string_equal(cidr_format(c, b, sizeof(b)), want);
}

static void addr_is(const struct addr *a, const char *want)
{
	char b[ADDR_STRLEN];

	assert_string_equal(addr_format(a, b, sizeof(b)), want);
}

static bool has_note(const struct imp_peer *p, const char *s)
{
	for (size_t i = 0; i < p->n_notes; i++)
		if (!strcmp(p->notes[i], s))
			return true;
	return false;
}

/* The guide's VyOS, CASE 2 (policy-based), in 1.3 syntax with its typos. */
static void test_guide_vyos_policy(void **state)
{
	struct imp_peer p;
	const struct imp_tunnel *t;

	(void)state;
	parse_file(&p, IMP_FMT_VYOS, "guide-policy.vyos", NULL);
	assert_int_equal(p.n, 1);
	t = &p.t[0];
	assert_string_equal(t->name, "203.0.113.7");
	addr_is(&t->local_addr, "192.168.0.123");
	addr_is(&t->remote_addr, "203.0.113.7");
	assert_string_equal(t->local_id, "198.51.100.57");
	assert_string_equal(t->remote_id, "203.0.113.7");
	assert_int_equal(t->version, IMP_V2);
	assert_int_equal(t->n_ike, 1);
	prop_is(&t->ike[0], "aes256-sha256-modp1024");
	assert_int_equal(t->n_esp, 1);
	prop_is(&t->esp[0], "aes256-sha256-modp1024");
	assert_int_equal(t->ike_lifetime, 36000);
	assert_int_equal(t->esp_lifetime, 386000);
	assert_true(t->reauth);
	assert_false(t->dpd);
	assert_true(t->initiate);
	assert_false(t->route);
	assert_non_null(t->psk);
	assert_int_equal(t->psk->len, 8);
	assert_memory_equal(t->psk->data, "password", 8);
	assert_int_equal(t->n_local_nets, 2);
	cidr_is(&t->local_nets[0], "192.168.0.0/24");
	cidr_is(&t->local_nets[1], "10.0.2.0/24");
	assert_int_equal(t->n_remote_nets, 1);
	cidr_is(&t->remote_nets[0], "192.168.25.0/24");
	assert_true(t->multi_subnet_policy);
	assert_int_equal(p.vyos_version, 13);
	assert_string_equal(p.vyos_how, "1.3 from its 1.3 syntax, 'ikev2-reauth yes|no'");
	assert_true(has_note(&p, "guide-policy.vyos:6: not mapped: 'set service ssh'"));
	assert_true(has_note(&p, "guide-policy.vyos:17: 'proposal dh-group 2' has no proposal "
				 "number; taken as proposal 1"));
	assert_golden(&p, "guide-policy.import.yaml");
	imp_peer_free(&p);
}

/* CASE 1 (route-based): the VTI /30 gives our local-tunnel-ip. */
static void test_guide_vyos_route(void **state)
{
	struct imp_peer p;
	const struct imp_tunnel *t;

	(void)state;
	parse_file(&p, IMP_FMT_VYOS, "guide-route.vyos", NULL);
	assert_int_equal(p.n, 1);
	t = &p.t[0];
	assert_true(t->route);
	assert_string_equal(t->vti_if, "vti1");
	cidr_is(&t->vti_addr, "169.254.200.6/30");
	addr_is(&t->vti_next_hop, "169.254.200.5");
	assert_int_equal(t->n_remote_nets, 1);
	cidr_is(&t->remote_nets[0], "192.168.25.0/24");
	assert_true(has_note(&p, "guide-route.vyos:30: not mapped: interface vti0 (address, "
				 "adjust-mss) is bound to no peer"));
	assert_true(has_note(&p, "guide-route.vyos:31: not mapped: 'set interfaces vti vti0 mtu "
				 "1436'"));
	assert_golden(&p, "guide-route.import.yaml");
	imp_peer_free(&p);
}

/* The guide's strongSwan ipsec.conf and ipsec.secrets. */
static void test_guide_ipsecconf(void **state)
{
	struct imp_peer p;
	const struct imp_tunnel *t;

	(void)state;
	parse_file(&p, IMP_FMT_IPSECCONF, "guide.ipsec.conf", "guide.ipsec.secrets");
	assert_int_equal(p.n, 1);
	t = &p.t[0];
	assert_string_equal(t->name, "SDS-Cloud-VPN");
	addr_is(&t->local_addr, "192.168.0.123");
	assert_string_equal(t->local_id, "198.51.100.57");
	assert_string_equal(t->remote_id, "203.0.113.7");
	assert_int_equal(t->version, IMP_V2);
	prop_is(&t->ike[0], "aes256-sha256-modp1024");
	prop_is(&t->esp[0], "aes256-sha256-modp1024");
	assert_int_equal(t->ike_lifetime, 86400);
	assert_int_equal(t->esp_lifetime, 3600);
	assert_true(t->dpd);
	assert_int_equal(t->dpd_interval, 15);
	assert_int_equal(t->dpd_timeout, 60);
	assert_int_equal(t->dpd_action, CFG_DPD_RESTART);
	assert_true(t->initiate);
	assert_non_null(t->psk);
	assert_memory_equal(t->psk->data, "password", 8);
	assert_int_equal(t->n_local_nets, 1);
	cidr_is(&t->local_nets[0], "10.0.2.0/24");
	cidr_is(&t->remote_nets[0], "192.168.25.0/24");
	assert_true(has_note(&p, "guide.ipsec.conf:26: not mapped: closeaction=none"));
	assert_golden(&p, "guide.import.yaml");
	imp_peer_free(&p);
}

/* What their file does not say is a marked placeholder, and the YAML still loads. */
static void test_placeholders(void **state)
{
	static const char responder[] =
		"connections {\n  c {\n    local_addrs = 192.168.0.123\n"
		"    children {\n      c {\n        local_ts = 10.0.2.0/24\n"
		"        remote_ts = 192.168.25.0/24\n      }\n    }\n  }\n}\n";
	static const char initiator[] = "conn c\n  left=%defaultroute\n  right=203.0.113.7\n"
					"  leftsubnet=10.0.2.0/24\n  rightsubnet=192.168.25.0/24\n"
					"  auto=start\n";
	struct imp_peer p;
	struct cfg *c = NULL;
	char *y;

	(void)state;
	/* They only respond and their address is private: we must initiate, to whom? */
	parse_text(&p, IMP_FMT_SWANCTL, "r", responder, NULL);
	y = yaml_of(&p);
	assert_non_null(strstr(y,
			       "#   tunnel c: PLACEHOLDER peer 192.0.2.1: their public address "
			       "is not in their configuration and they do not initiate; set it\n"));
	assert_non_null(strstr(y, "#   tunnel c: PLACEHOLDER psk: their PSK is not in the files "
				  "read\n"));
	assert_loads(y, &c);
	assert_int_equal(c->tunnels[0].start, CFG_START_INITIATE);
	assert_string_equal(c->tunnels[0].remote_id.text, "192.168.0.123");
	cfg_free(c);
	free(y);
	imp_peer_free(&p);
	/* They initiate from an unknown address: we answer anyone with their ID. */
	parse_text(&p, IMP_FMT_IPSECCONF, "i", initiator, NULL);
	assert_true(has_note(&p, "i:1: conn c: no ipsec.secrets read: the PSK is unknown"));
	y = yaml_of(&p);
	assert_non_null(strstr(y, "#   tunnel c: PLACEHOLDER peer %any"));
	assert_non_null(strstr(y, "#   tunnel c: remote-id %any: their ID and address are not in "
				  "their configuration\n"));
	assert_loads(y, &c);
	assert_true(c->tunnels[0].peer_any);
	assert_int_equal(c->tunnels[0].start, CFG_START_RESPOND);
	cfg_free(c);
	free(y);
	imp_peer_free(&p);
}

/* peer-config output read back gives the tunnel it was made from. */
static void roundtrip(const char *yaml_name, const char *tunnel, enum peer_fmt pf)
{
	char *y = read_data(yaml_name, NULL), *gen = NULL, *conf, *sec = NULL, *mark, *out;
	size_t len = 0;
	struct cfg *c = NULL, *back = NULL;
	struct cfg_diag d;
	const struct cfg_tunnel *a, *b;
	struct imp_peer p;
	FILE *m;
	enum imp_fmt fmt = pf == PEER_FMT_VYOS	    ? IMP_FMT_VYOS
			   : pf == PEER_FMT_SWANCTL ? IMP_FMT_SWANCTL
						    : IMP_FMT_IPSECCONF;

	assert_non_null(y);
	cfg_diag_init(&d);
	assert_int_equal(cfg_load_string(y, strlen(y), yaml_name, &c, &d), 0);
	assert_non_null(a = cfg_tunnel_find(c, tunnel));
	assert_non_null(m = open_memstream(&gen, &len));
	assert_int_equal(peer_config_write(m, c, a, pf), 0);
	fclose(m);
	conf = gen;
	if ((mark = strstr(gen, "\n# ipsec.secrets\n")) != NULL) {
		*mark = '\0';
		sec = mark + strlen("\n# ipsec.secrets\n");
	}
	/* The generated address placeholder (our peer) is what a NAT-less peer has. */
	parse_text(&p, fmt, "generated", conf, sec);
	assert_int_equal(p.n, 1);
	out = yaml_of(&p);
	assert_loads(out, &back);
	b = &back->tunnels[0];
	assert_true(addr_eq(&a->peer, &b->peer));
	assert_string_equal(a->remote_id.text, b->remote_id.text);
	assert_string_equal(a->local_id.text, b->local_id.text);
	assert_int_equal(a->psk->len, b->psk->len);
	assert_memory_equal(a->psk->data, b->psk->data, a->psk->len);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->n_remote_subnets,
			 a->type == CFG_TYPE_ROUTE ? a->n_remote_subnets : b->n_remote_subnets);
	for (size_t i = 0; a->type == CFG_TYPE_POLICY && i < a->n_remote_subnets; i++)
		assert_true(cidr_eq(&a->remote_subnets[i], &b->remote_subnets[i]));
	assert_int_equal(a->ike.version, b->ike.version);
	assert_int_equal(a->ike.lifetime_s, b->ike.lifetime_s);
	assert_int_equal(a->esp.lifetime_s, b->esp.lifetime_s);
	assert_int_equal(a->dpd.interval_s, b->dpd.interval_s);
	assert_int_equal(a->dpd.action, b->dpd.action);
	assert_int_equal(a->start, b->start);
	/* VyOS takes one algorithm of a kind per proposal: compare the first ones. */
	assert_int_equal(a->ike.proposals[0].encr[0].id, b->ike.proposals[0].encr[0].id);
	assert_int_equal(a->ike.proposals[0].dh[0], b->ike.proposals[0].dh[0]);
	assert_int_equal(a->esp.proposals[0].encr[0].id, b->esp.proposals[0].encr[0].id);
	assert_int_equal(a->esp.proposals[0].n_dh, b->esp.proposals[0].n_dh);
	if (pf != PEER_FMT_VYOS)
		for (size_t i = 0; i < a->ike.n_proposals; i++) {
			char x[PROPOSAL_MAX_TEXT];

			assert_int_equal(proposal_format(&a->ike.proposals[i], x, sizeof(x)), 0);
			prop_is(&b->ike.proposals[i], x);
		}
	imp_peer_free(&p);
	cfg_free(c);
	cfg_free(back);
	cfg_diag_free(&d);
	free(y);
	free(gen);
	free(out);
}

static void test_roundtrip(void **state)
{
	static const enum peer_fmt fmts[] = {PEER_FMT_SWANCTL, PEER_FMT_STRONGSWAN, PEER_FMT_VYOS};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		roundtrip("policy.yaml", "onprem", fmts[i]);
		roundtrip("policy.yaml", "legacy", fmts[i]);
	}
	roundtrip("route.yaml", "vti-onprem", PEER_FMT_VYOS);
}

/* Malformed input: every problem as file:line, never a crash. */
static void test_errors(void **state)
{
	static const struct {
		enum imp_fmt fmt;
		const char *text, *want;
	} cases[] = {
		{IMP_FMT_VYOS, "delete vpn ipsec\n", "x:1: not a VyOS 'set' command: 'delete'"},
		{IMP_FMT_VYOS, "# c\nset vpn ipsec esp-group 'E lifetime 3\n",
		 "x:2: unterminated quote"},
		{IMP_FMT_VYOS, "set vpn ipsec esp-group E lifetime soon\n",
		 "x:1: 'soon' is not a number of seconds"},
		{IMP_FMT_VYOS,
		 "set vpn ipsec site-to-site peer p tunnel 1 local prefix 10.0.0/24\n",
		 "x:1: '10.0.0/24' is not a subnet (address/prefix)"},
		{IMP_FMT_VYOS, "set vpn ipsec site-to-site peer p ike-group I\n",
		 "x:1: peer p: ike-group 'I' is not defined"},
		{IMP_FMT_VYOS, "set service ssh\n", "x: no vyos connection found"},
		{IMP_FMT_SWANCTL, "connections {\n  a {\n",
		 "x:2: 2 sections not closed at the end of "
		 "the file"},
		{IMP_FMT_SWANCTL, "}\n", "x:1: '}' without an open section"},
		{IMP_FMT_SWANCTL,
		 "connections {\n a {\n  children {\n   c {\n    local_ts = x\n}\n}\n}\n}\n",
		 "x:5: 'x' is not a subnet (address/prefix)"},
		{IMP_FMT_SWANCTL, "connections {\n  a {\n    version = 2\n  }\n}\n",
		 "x:3: connection a has no children (no traffic selectors)"},
		{IMP_FMT_SWANCTL, "connections\n",
		 "x:1: expected 'key = value', 'name {' or '}', "
		 "got 'connections'"},
		{IMP_FMT_IPSECCONF, "  left=1.2.3.4\n",
		 "x:1: 'left=' outside a conn or config section"},
		{IMP_FMT_IPSECCONF, "conn a\n  left\n", "x:2: expected 'key=value', got 'left'"},
		{IMP_FMT_IPSECCONF, "conn a\n  ikelifetime=3x\n",
		 "x:2: ikelifetime=3x is not a time (seconds, or with s/m/h/d)"},
		{IMP_FMT_IPSECCONF, "setup\n",
		 "x:1: expected 'conn NAME', 'config setup', 'ca NAME' "
		 "or 'include FILE'"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct imp_peer p;

		imp_peer_init(&p, cases[i].fmt, "x");
		assert_int_equal(imp_parse(&p, cases[i].text, strlen(cases[i].text), NULL, 0, NULL),
				 IG_EINVAL);
		if (!p.n_errors || strcmp(p.errors[0], cases[i].want))
			print_error("case %zu: got '%s'\n", i, p.n_errors ? p.errors[0] : "");
		assert_true(p.n_errors > 0);
		assert_string_equal(p.errors[0], cases[i].want);
		imp_peer_free(&p);
	}
	/* A NUL byte and an overlong line. */
	{
		static const char nul[] = "set vpn\0 ipsec\n";
		char *longl = malloc(IMP_LINE_MAX + 10);
		struct imp_peer p;

		imp_peer_init(&p, IMP_FMT_VYOS, "x");
		assert_int_equal(imp_parse(&p, nul, sizeof(nul) - 1, NULL, 0, NULL), IG_EINVAL);
		assert_string_equal(p.errors[0], "x:1: line too long or holds a NUL byte");
		imp_peer_free(&p);
		memset(longl, 'a', IMP_LINE_MAX + 9);
		longl[IMP_LINE_MAX + 9] = '\0';
		imp_peer_init(&p, IMP_FMT_SWANCTL, "x");
		assert_int_equal(imp_parse(&p, longl, strlen(longl), NULL, 0, NULL), IG_EINVAL);
		assert_string_equal(p.errors[0], "x:1: line too long or holds a NUL byte");
		imp_peer_free(&p);
		free(longl);
	}
}

/* Guide section 6 needs the VyOS version: a comment, else the syntax, else 1.4. */
static void test_vyos_version(void **state)
{
	static const char base[] = "set vpn ipsec ike-group I key-exchange ikev2\n"
				   "set vpn ipsec ike-group I proposal 1 encryption aes128\n"
				   "set vpn ipsec esp-group E proposal 1 encryption aes256\n"
				   "set vpn ipsec site-to-site peer p ike-group I\n"
				   "set vpn ipsec site-to-site peer p default-esp-group E\n";
	static const struct {
		const char *extra;
		int version;
		const char *how;
	} cases[] = {
		{"", 14, "assumed 1.4, the guide's; add '# vyos 1.5' to the file if newer"},
		{"set vpn ipsec site-to-site peer p remote-address 203.0.113.7\n", 14,
		 "assumed 1.4, the guide's; add '# vyos 1.5' to the file if newer"},
		{"set vpn ipsec ipsec-interfaces interface eth0\n", 13,
		 "1.3 from its 1.3 syntax, 'ipsec-interfaces'"},
		{"# VyOS 1.5\nset vpn ipsec ipsec-interfaces interface eth0\n", 15,
		 "from the file's '# vyos 1.5' comment"},
		{"# vyos 1.3.8\n", 13, "from the file's '# vyos 1.3' comment"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text;
		struct imp_peer p;

		assert_true(asprintf(&text, "%s%s", cases[i].extra, base) > 0);
		parse_text(&p, IMP_FMT_VYOS, "v", text, NULL);
		assert_int_equal(p.vyos_version, cases[i].version);
		assert_string_equal(p.vyos_how, cases[i].how);
		/* VyOS defaults: IKE lifetime 28800, ESP 3600, dh-group 2, pfs = IKE group. */
		assert_int_equal(p.t[0].ike_lifetime, 28800);
		assert_int_equal(p.t[0].esp_lifetime, 3600);
		prop_is(&p.t[0].ike[0], "aes128-sha1-modp1024");
		prop_is(&p.t[0].esp[0], "aes256-sha1-modp1024");
		assert_false(p.t[0].initiate);
		imp_peer_free(&p);
		free(text);
	}
}

static void test_fmt(void **state)
{
	enum imp_fmt f;

	(void)state;
	assert_int_equal(imp_fmt_parse("vyos", &f), 0);
	assert_int_equal(f, IMP_FMT_VYOS);
	assert_int_equal(imp_fmt_parse("swanctl", &f), 0);
	assert_int_equal(f, IMP_FMT_SWANCTL);
	assert_int_equal(imp_fmt_parse("ipsec.conf", &f), 0);
	assert_int_equal(f, IMP_FMT_IPSECCONF);
	assert_int_equal(imp_fmt_parse("openswan", &f), IG_EINVAL);
	assert_int_equal(imp_fmt_detect("# x\nset vpn ipsec\n", 17), IMP_FMT_VYOS);
	assert_int_equal(imp_fmt_detect("connections {\n", 14), IMP_FMT_SWANCTL);
	assert_int_equal(imp_fmt_detect("config setup\n", 13), IMP_FMT_IPSECCONF);
}

/* The commands print to stdout, which is the TAP stream: silence it around them. */
static int quiet_stdout(void)
{
	int saved;

	fflush(stdout);
	saved = dup(1);
	int null = open("/dev/null", O_WRONLY);

	assert_true(saved >= 0 && null >= 0);
	dup2(null, 1);
	close(null);
	return saved;
}

static void restore_stdout(int saved)
{
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
}

/* The command: 0 printed, 1 unreadable or malformed, 2 usage; ipsec.secrets beside. */
static void test_cmd_exit(void **state)
{
	int saved;
	const char *dir = getenv("IPSECGW_TEST_DATA");
	char vy[512], conf[512], sec[512], tmpdir[] = "/tmp/test_import.XXXXXX", copy[600],
					   bad[] = "/tmp/test_import_bad.XXXXXX";
	struct cli_opts o = {.socket_path = "/nonexistent"};
	struct imp_peer p;
	int fd;

	(void)state;
	snprintf(vy, sizeof(vy), "%s/peer/guide-policy.vyos", dir ? dir : "tests/data");
	snprintf(conf, sizeof(conf), "%s/peer/guide.ipsec.conf", dir ? dir : "tests/data");
	snprintf(sec, sizeof(sec), "%s/peer/guide.ipsec.secrets", dir ? dir : "tests/data");
	assert_true((fd = mkstemp(bad)) >= 0);
	assert_int_equal(write(fd, "garbage here\n", 13), 13);
	close(fd);
	const struct {
		int rc;
		const char *argv[8];
	} cases[] = {
		{CLI_OK, {"import", "--from", "vyos", vy, NULL}},
		{CLI_OK, {"import", "--from=ipsec.conf", "--secrets", sec, conf, NULL}},
		{CLI_FAIL, {"import", "--from", "vyos", bad, NULL}},
		{CLI_FAIL, {"import", "--from", "vyos", "/nonexistent/x", NULL}},
		{CLI_FAIL,
		 {"import", "--from", "ipsec.conf", "--secrets", "/nonexistent/s", conf, NULL}},
		{CLI_USAGE, {"import", vy, NULL}},
		{CLI_USAGE, {"import", "--from", "openswan", vy, NULL}},
		{CLI_USAGE, {"import", "--from", "vyos", vy, vy, NULL}},
		{CLI_USAGE, {"import", "--from", "vyos", "--bogus", vy, NULL}},
	};
	saved = quiet_stdout();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int argc = 0, rc;

		while (cases[i].argv[argc])
			argc++;
		rc = cli_cmd_import(&o, argc, (char **)cases[i].argv);
		if (rc != cases[i].rc)
			print_error("case %zu: %d\n", i, rc);
		assert_int_equal(rc, cases[i].rc);
	}
	restore_stdout(saved);
	unlink(bad);
	/* ipsec.secrets beside the ipsec.conf is read without --secrets. */
	assert_non_null(mkdtemp(tmpdir));
	{
		char *c = read_data("guide.ipsec.conf", NULL),
		     *s = read_data("guide.ipsec.secrets", NULL);
		FILE *f;

		snprintf(copy, sizeof(copy), "%s/ipsec.secrets", tmpdir);
		assert_non_null(f = fopen(copy, "w"));
		fputs(s, f);
		fclose(f);
		snprintf(copy, sizeof(copy), "%s/ipsec.conf", tmpdir);
		assert_non_null(f = fopen(copy, "w"));
		fputs(c, f);
		fclose(f);
		free(c);
		free(s);
	}
	assert_int_equal(cli_import_load(copy, "ipsec.conf", NULL, &p), 0);
	assert_non_null(p.t[0].psk);
	imp_peer_free(&p);
	/* Detected format. */
	assert_int_equal(cli_import_load(copy, NULL, NULL, &p), 0);
	assert_int_equal(p.fmt, IMP_FMT_IPSECCONF);
	imp_peer_free(&p);
	unlink(copy);
	snprintf(copy, sizeof(copy), "%s/ipsec.secrets", tmpdir);
	unlink(copy);
	rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guide_vyos_policy), cmocka_unit_test(test_guide_vyos_route),
		cmocka_unit_test(test_guide_ipsecconf),	  cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_roundtrip),	  cmocka_unit_test(test_errors),
		cmocka_unit_test(test_vyos_version),	  cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_cmd_exit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
