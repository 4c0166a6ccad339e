/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw check --peer: a table of mismatched pairs, each one edit away
 * from a matched pair (tests/data/peer/check/: ours.yaml against
 * theirs.swanctl.conf, theirs.vyos and theirs.ipsec.conf), each asserting
 * the exact lines printed; the matched pairs print nothing. Then the
 * command's exit status (0 nothing blocks, 1 an error, 2 usage).
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
#include "cli/peer_check.h"
#include "config/config.h"
#include "lib/err.h"

static char *read_all(const char *name)
{
	const char *dir = getenv("IPSECGW_TEST_DATA");
	char path[512];
	char *buf = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/peer/check/%s", dir ? dir : "tests/data", name);
	if (imp_read_file(path, &buf, &len) != 0)
		return NULL;
	return buf;
}

/* text with the first occurrence of from replaced by to (from "" = unchanged). */
static char *subst(const char *text, const char *from, const char *to)
{
	const char *at;
	char *out;

	if (!from || !*from)
		return strdup(text);
	at = strstr(text, from);
	if (!at)
		print_error("'%s' not in the base text\n", from);
	assert_non_null(at);
	assert_true(asprintf(&out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from)) > 0);
	return out;
}

struct pair {
	const char *theirs; /* file in peer/check/ */
	const char *our_from, *our_to;
	const char *their_from, *their_to;
	const char *their_from2, *their_to2;
	const char *want; /* the exact output */
	unsigned errors;
};

static char *run(const struct pair *c, struct peer_check_result *res)
{
	char *ours = read_all("ours.yaml"), *theirs = read_all(c->theirs), *o, *t, *t2;
	char *sec = read_all("ipsec.secrets"), *out = NULL;
	enum imp_fmt fmt = imp_fmt_detect(theirs, strlen(theirs));
	struct imp_peer p;
	struct cfg *cfg = NULL;
	struct cfg_diag d;
	size_t len = 0;
	FILE *m;

	assert_non_null(ours);
	assert_non_null(theirs);
	o = subst(ours, c->our_from, c->our_to);
	t = subst(theirs, c->their_from, c->their_to);
	t2 = subst(t, c->their_from2, c->their_to2);
	cfg_diag_init(&d);
	if (cfg_load_string(o, strlen(o), "ours.yaml", &cfg, &d) != 0) {
		for (size_t i = 0; i < cfg_diag_count(&d); i++)
			print_error("%s\n", cfg_diag_msg(&d, i));
		fail();
	}
	imp_peer_init(&p, fmt, c->theirs);
	if (imp_parse(&p, t2, strlen(t2), fmt == IMP_FMT_IPSECCONF ? sec : NULL,
		      sec ? strlen(sec) : 0, "ipsec.secrets") != 0) {
		for (size_t i = 0; i < p.n_errors; i++)
			print_error("%s\n", p.errors[i]);
		fail();
	}
	assert_non_null(m = open_memstream(&out, &len));
	assert_int_equal(peer_check(cfg, &p, m, res), 0);
	fclose(m);
	imp_peer_free(&p);
	cfg_free(cfg);
	cfg_diag_free(&d);
	free(ours);
	free(theirs);
	free(sec);
	free(o);
	free(t);
	free(t2);
	return out;
}

static const struct pair matched[] = {
	{"theirs.swanctl.conf", NULL, NULL, NULL, NULL, NULL, NULL, "", 0},
	{"theirs.vyos", NULL, NULL, NULL, NULL, NULL, NULL, "", 0},
	{"theirs.ipsec.conf", NULL, NULL, NULL, NULL, NULL, NULL, "", 0},
};

static const struct pair mismatched[] = {
	/* 1. no common IKE proposal */
	{"theirs.swanctl.conf", NULL, NULL, "proposals = aes256-sha256-modp1024",
	 "proposals = aes128-sha1-modp2048", NULL, NULL,
	 "tunnel onprem: error: no common IKE proposal: ours aes256-sha256-modp1024, theirs "
	 "aes128-sha1-modp2048; fix: add aes128-sha1-modp2048 to ike.proposals\n",
	 1},
	/* 2. no common ESP proposal */
	{"theirs.swanctl.conf", NULL, NULL, "esp_proposals = aes256-sha256-modp1024",
	 "esp_proposals = aes128gcm16-modp1024", NULL, NULL,
	 "tunnel onprem: error: no common ESP proposal: ours aes256-sha256-modp1024, theirs "
	 "aes128gcm16-modp1024; fix: add aes128gcm16-modp1024 to esp.proposals\n",
	 1},
	/* 3. PFS on our side only */
	{"theirs.vyos", NULL, NULL, "pfs dh-group2", "pfs disable", NULL, NULL,
	 "tunnel onprem: error: PFS on our side only (modp1024), not theirs: the first CHILD SA "
	 "rekey fails; fix: remove -modp1024 from esp.proposals, or turn PFS on at their side "
	 "with group modp1024\n",
	 1},
	/* 4. PFS on their side only */
	{"theirs.swanctl.conf", "esp: { proposals: [aes256-sha256-modp1024] }",
	 "esp: { proposals: [aes256-sha256] }", NULL, NULL, NULL, NULL,
	 "tunnel onprem: error: PFS on their side only (modp1024), not ours: the first CHILD SA "
	 "rekey fails; fix: add -modp1024 to esp.proposals\n",
	 1},
	/* 5. a different PFS group */
	{"theirs.vyos", NULL, NULL, "pfs dh-group2", "pfs dh-group14", NULL, NULL,
	 "tunnel onprem: error: PFS group differs: ours modp1024, theirs modp2048: the first "
	 "CHILD SA rekey fails; fix: use -modp2048 in esp.proposals\n",
	 1},
	/* 6. IKE version */
	{"theirs.vyos", NULL, NULL, "key-exchange ikev2", "key-exchange ikev1", NULL, NULL,
	 "tunnel onprem: error: IKE version mismatch: ours IKEv2, theirs IKEv1; fix: set "
	 "ike.version: 1 (or IKEv2 on their side)\n",
	 1},
	/* 7. the guide's NAT classic: no local ID, their private address is sent */
	{"theirs.ipsec.conf", NULL, NULL, "\tleftid=198.51.100.57\n", "", NULL, NULL,
	 "tunnel onprem: error: they send their private address 192.168.0.123 as ID (no leftid, "
	 "they are behind a NAT) but remote-id is 198.51.100.57; fix: set leftid 198.51.100.57 "
	 "on their side, or remote-id: 192.168.0.123\n",
	 1},
	/* 8. they send another ID */
	{"theirs.swanctl.conf", NULL, NULL, "id = 198.51.100.57", "id = onprem.example.com", NULL,
	 NULL,
	 "tunnel onprem: error: they send ID onprem.example.com but remote-id is 198.51.100.57; "
	 "fix: set remote-id: onprem.example.com (or their local.id to 198.51.100.57)\n",
	 1},
	/* 9. they expect another ID from us */
	{"theirs.vyos", NULL, NULL, "remote-id 203.0.113.7", "remote-id cloud.example.com", NULL,
	 NULL,
	 "tunnel onprem: error: we send ID 203.0.113.7 but they expect cloud.example.com; fix: "
	 "set local-id: cloud.example.com (or their 'authentication remote-id' to "
	 "203.0.113.7)\n",
	 1},
	/* 10. one of our remote subnets is not theirs: one-way traffic */
	{"theirs.swanctl.conf", NULL, NULL, "local_ts = 192.168.0.0/24,10.0.2.0/24",
	 "local_ts = 192.168.0.0/24", NULL, NULL,
	 "tunnel onprem: error: remote-subnets 10.0.2.0/24 is not among their local subnets "
	 "(192.168.0.0/24): one-way traffic; fix: remove it from remote-subnets, or add it to "
	 "their local subnets\n",
	 1},
	/* 11. they have a subnet we do not carry */
	{"theirs.vyos", "remote-subnets: [192.168.0.0/24, 10.0.2.0/24]",
	 "remote-subnets: [192.168.0.0/24]", NULL, NULL, NULL, NULL,
	 "tunnel onprem: error: their local subnet 10.0.2.0/24 is not in remote-subnets "
	 "(192.168.0.0/24): its traffic is not carried; fix: add 10.0.2.0/24 to "
	 "remote-subnets\n",
	 1},
	/* 12. IKEv1 with two subnets in one policy (guide section 6) */
	{"theirs.ipsec.conf", "version: 2,", "version: flex,", "keyexchange=ikev2",
	 "keyexchange=ikev1", NULL, NULL,
	 "tunnel onprem: error: IKEv1 carries one subnet pair per policy (guide section 6), "
	 "this tunnel has 1 local and 2 remote subnets; fix: use ike.version: 2 on both sides, "
	 "or one tunnel per subnet pair\n",
	 1},
	/* 13. IKEv2 route-based against VyOS 1.4 (guide section 6) */
	{"theirs.vyos", "remote-subnets: [192.168.0.0/24, 10.0.2.0/24]",
	 "type: route\n    local-tunnel-ip: 169.254.200.5/30", "tunnel 1 esp-group cloud",
	 "vti bind vti1\nset vpn ipsec site-to-site peer cloud vti esp-group cloud",
	 "set vpn ipsec site-to-site peer cloud tunnel 1 local prefix 192.168.0.0/24\n", "",
	 "tunnel onprem: error: IKEv2 route-based (VTI) does not come up with VyOS 1.4 or older "
	 "(guide section 6; their version: from the file's '# vyos 1.4' comment); fix: make the "
	 "tunnel policy-based (type: policy, VyOS 'tunnel N' prefixes), or use IKEv1\n",
	 1},
	/* 14. route-based here, policy-based there */
	{"theirs.swanctl.conf", "remote-subnets: [192.168.0.0/24, 10.0.2.0/24]",
	 "type: route\n    local-tunnel-ip: 169.254.200.5/30", NULL, NULL, NULL, NULL,
	 "tunnel onprem: error: route-based on our side (0.0.0.0/0 selectors), policy-based on "
	 "theirs (192.168.0.0/24,10.0.2.0/24 === 192.168.25.0/24): traffic outside the narrowed "
	 "selectors is dropped; fix: set type: policy with local-subnets 192.168.25.0/24 and "
	 "remote-subnets 192.168.0.0/24,10.0.2.0/24\n",
	 1},
	/* 15. the PSKs differ */
	{"theirs.swanctl.conf", NULL, NULL, "secret = \"8 to 40 characters\"",
	 "secret = \"8 to 40 characterz\"", NULL, NULL,
	 "tunnel onprem: error: the pre-shared keys differ; fix: set the same psk on both "
	 "sides\n",
	 1},
	/* 16. nobody initiates */
	{"theirs.vyos", NULL, NULL, "connection-type initiate", "connection-type respond", NULL,
	 NULL,
	 "tunnel onprem: error: neither side initiates (ours start: respond, theirs only "
	 "responds); fix: set start: initiate, or make them initiate\n",
	 1},
	/* 17. our peer is not their public address */
	{"theirs.swanctl.conf", NULL, NULL, "local_addrs = 192.168.0.123",
	 "local_addrs = 198.51.100.99", NULL, NULL,
	 "tunnel onprem: error: peer is 198.51.100.57 but their address is 198.51.100.99; fix: "
	 "set peer: 198.51.100.99\n",
	 1},
	/* 18. they connect to another address */
	{"theirs.ipsec.conf", NULL, NULL, "right=203.0.113.7", "right=203.0.113.99", NULL, NULL,
	 "tunnel onprem: error: they connect to 203.0.113.99 but this gateway is 203.0.113.7; "
	 "fix: set their remote address to 203.0.113.7\n"
	 /* ipsec.conf: rightid defaults to right=. */
	 "tunnel onprem: error: we send ID 203.0.113.7 but they expect 203.0.113.99; fix: set "
	 "local-id: 203.0.113.99 (or their rightid to 203.0.113.7)\n",
	 2},
	/* 19. ESP mode */
	{"theirs.vyos", NULL, NULL, "esp-group cloud mode tunnel", "esp-group cloud mode transport",
	 NULL, NULL,
	 "tunnel onprem: error: ESP mode differs: ours tunnel, theirs transport; fix: use tunnel "
	 "mode on their side\n",
	 1},
	/* 20. their ESP lifetime is not below their IKE lifetime (the guide's VyOS) */
	{"theirs.vyos", NULL, NULL, "esp-group cloud lifetime 3600",
	 "esp-group cloud lifetime 386000", NULL, NULL,
	 "tunnel onprem: warning: their ESP lifetime 386000 s is not below their IKE lifetime "
	 "86400 s: the CHILD SA outlives the IKE SA that must rekey it; fix: set their ESP "
	 "lifetime below 86400 s (ours: 3600 s)\n",
	 0},
	/* 21. DPD on our side only (the guide's VyOS has none) */
	{"theirs.ipsec.conf", NULL, NULL, "dpdaction=restart", "dpdaction=none", NULL, NULL,
	 "tunnel onprem: warning: DPD on our side only (every 15 s): they do not notice when we "
	 "are gone; fix: turn on dead peer detection at their side (interval 15 s)\n",
	 0},
	/* 22. DPD on their side only */
	{"theirs.swanctl.conf", "dpd: { interval: 15, timeout: 60, action: restart }",
	 "dpd: { action: none }", NULL, NULL, NULL, NULL,
	 "tunnel onprem: warning: DPD on their side only (every 15 s): we do not notice when they "
	 "are gone; fix: set dpd: { interval: 15, timeout: 150, action: restart }\n",
	 0},
	/* 23. MSS advice for the ESP-in-UDP overhead */
	{"theirs.swanctl.conf", "    tcp-mss: { value: 1382 }\n", "", NULL, NULL, NULL, NULL,
	 "tunnel onprem: advice: aes256-sha256-modp1024 in UDP 4500 leaves an inner MTU of 1422 "
	 "bytes on a 1500-byte path, TCP MSS 1382; fix: set tcp-mss: { direction: both, value: "
	 "1382 } (and MTU 1422 on their tunnel interface)\n",
	 0},
};

static void test_matched(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(matched) / sizeof(matched[0]); i++) {
		struct peer_check_result res;
		char *out = run(&matched[i], &res);

		if (strcmp(out, ""))
			print_error("%s:\n%s", matched[i].theirs, out);
		assert_string_equal(out, "");
		assert_int_equal(res.pairs, 1);
		free(out);
	}
}

static void test_mismatched(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(mismatched) / sizeof(mismatched[0]); i++) {
		const struct pair *c = &mismatched[i];
		struct peer_check_result res;
		char *out;

		if (!c->want)
			continue;
		out = run(c, &res);
		if (strcmp(out, c->want))
			print_error("case %zu (%s):\n got: %s want: %s", i + 1, c->theirs, out,
				    c->want);
		assert_string_equal(out, c->want);
		assert_int_equal(res.errors, c->errors);
		free(out);
	}
}

/* A name-mangled copy of ours does not pair with an unrelated connection. */
static void test_unpaired(void **state)
{
	const struct pair c = {"theirs.swanctl.conf",
			       "name: onprem",
			       "name: elsewhere",
			       "connections {\n  cloud {\n    version = 2\n    local_addrs = "
			       "192.168.0.123",
			       "connections {\n  cloud {\n    version = 2\n    local_addrs = "
			       "198.51.100.88",
			       "id = 198.51.100.57",
			       "id = branch.example.com",
			       NULL,
			       0};
	const struct pair two = {"theirs.swanctl.conf",
				 "  - name: onprem",
				 "  - name: second\n    peer: 198.51.100.60\n    psk: "
				 "\"8 to 40 characters\"\n    remote-subnets: [10.7.0.0/16]\n"
				 "  - name: onprem",
				 NULL,
				 NULL,
				 NULL,
				 NULL,
				 NULL,
				 0};
	struct peer_check_result res;
	char *out;

	(void)state;
	/* One tunnel each: they pair even with nothing in common. */
	out = run(&c, &res);
	assert_int_equal(res.pairs, 1);
	assert_non_null(strstr(out, "tunnel elsewhere: error: peer is 198.51.100.57 but their "
				    "address is 198.51.100.88"));
	free(out);
	/* Two of ours: the one with their address pairs, the other is not theirs. */
	out = run(&two, &res);
	assert_int_equal(res.pairs, 1);
	assert_string_equal(out, "");
	free(out);
}

static int write_tmp(char *path, const char *text)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -1;
	}
	return close(fd);
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

/* The command: 0 nothing blocks, 1 an error (or an unreadable peer file), 2 usage. */
static void test_cmd_exit(void **state)
{
	int saved;
	char *ours = read_all("ours.yaml"), *theirs = read_all("theirs.swanctl.conf"), *bad;
	char yaml[] = "/tmp/test_peer_check.XXXXXX", good[] = "/tmp/test_peer_check.XXXXXX",
	     wrong[] = "/tmp/test_peer_check.XXXXXX";
	struct cli_opts o = {.socket_path = "/nonexistent"};

	(void)state;
	bad = subst(theirs, "version = 2", "version = 1");
	assert_int_equal(write_tmp(yaml, ours), 0);
	assert_int_equal(write_tmp(good, theirs), 0);
	assert_int_equal(write_tmp(wrong, bad), 0);
	const struct {
		int rc;
		const char *argv[8];
	} cases[] = {
		{CLI_OK, {"check", "--peer", good, yaml, NULL}},
		{CLI_OK, {"check", "--peer", good, "--peer-format", "swanctl", yaml, NULL}},
		{CLI_FAIL, {"check", "--peer", wrong, yaml, NULL}},
		{CLI_FAIL, {"check", "--peer=/nonexistent/peer.conf", yaml, NULL}},
		{CLI_FAIL, {"check", "--peer", good, "--peer-format", "vyos", yaml, NULL}},
		{CLI_USAGE, {"check", "--peer-format", "vyos", yaml, NULL}},
		{CLI_USAGE, {"check", "--peer", good, "--peer-format", "openswan", yaml, NULL}},
		{CLI_USAGE, {"check", "--peer", good, yaml, "extra", NULL}},
		{CLI_USAGE, {"check", "--peer", NULL}},
	};
	saved = quiet_stdout();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int argc = 0, rc;

		while (cases[i].argv[argc])
			argc++;
		rc = cli_cmd_check(&o, argc, (char **)cases[i].argv);
		if (rc != cases[i].rc)
			print_error("case %zu: %d\n", i, rc);
		assert_int_equal(rc, cases[i].rc);
	}
	restore_stdout(saved);
	unlink(yaml);
	unlink(good);
	unlink(wrong);
	free(ours);
	free(theirs);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matched),
		cmocka_unit_test(test_mismatched),
		cmocka_unit_test(test_unpaired),
		cmocka_unit_test(test_cmd_exit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
