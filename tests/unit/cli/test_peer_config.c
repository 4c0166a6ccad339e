/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw peer-config: every generator against golden files
 * (tests/data/peer/TUNNEL.FORMAT, written from each tool's documentation,
 * named in the file's "#@" header lines, which are not part of the output),
 * for a policy-based (IKEv2 and IKEv1) and a route-based tunnel; the
 * command's exit status for usage errors, unknown tunnels and invalid
 * configs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "cli/peer_config.h"
#include "config/config.h"
#include "lib/err.h"

static char *read_all(const char *name)
{
	const char *dir = getenv("IPSECGW_TEST_DATA");
	char path[512], *buf = NULL;
	size_t len = 0;
	FILE *f, *m;
	int ch;

	snprintf(path, sizeof(path), "%s/peer/%s", dir ? dir : "tests/data", name);
	if (!(f = fopen(path, "r")))
		return NULL;
	m = open_memstream(&buf, &len);
	while ((ch = fgetc(f)) != EOF)
		fputc(ch, m);
	fclose(m);
	fclose(f);
	return buf;
}

/* The golden text without its leading "#@" documentation lines. */
static const char *strip_header(const char *s)
{
	while (strncmp(s, "#@", 2) == 0) {
		const char *nl = strchr(s, '\n');

		if (!nl)
			return s + strlen(s);
		s = nl + 1;
	}
	return s;
}

static struct cfg *load(const char *yaml_name)
{
	char *y = read_all(yaml_name);
	struct cfg *c = NULL;
	struct cfg_diag d;

	assert_non_null(y);
	cfg_diag_init(&d);
	if (cfg_load_string(y, strlen(y), yaml_name, &c, &d) != 0) {
		for (size_t i = 0; i < cfg_diag_count(&d); i++)
			print_error("%s\n", cfg_diag_msg(&d, i));
		fail();
	}
	cfg_diag_free(&d);
	free(y);
	return c;
}

static char *generate(const struct cfg *c, const char *tunnel, enum peer_fmt fmt)
{
	const struct cfg_tunnel *t = cfg_tunnel_find(c, tunnel);
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	assert_non_null(t);
	assert_non_null(m);
	assert_int_equal(peer_config_write(m, c, t, fmt), 0);
	fclose(m);
	return out;
}

static const struct golden_case {
	const char *yaml, *tunnel, *golden;
	enum peer_fmt fmt;
} goldens[] = {
	{"policy.yaml", "onprem", "onprem.swanctl.conf", PEER_FMT_SWANCTL},
	{"policy.yaml", "onprem", "onprem.ipsec.conf", PEER_FMT_STRONGSWAN},
	{"policy.yaml", "onprem", "onprem.vyos", PEER_FMT_VYOS},
	{"policy.yaml", "onprem", "onprem.libreswan.conf", PEER_FMT_LIBRESWAN},
	{"policy.yaml", "legacy", "legacy.swanctl.conf", PEER_FMT_SWANCTL},
	{"policy.yaml", "legacy", "legacy.ipsec.conf", PEER_FMT_STRONGSWAN},
	{"policy.yaml", "legacy", "legacy.vyos", PEER_FMT_VYOS},
	{"policy.yaml", "legacy", "legacy.libreswan.conf", PEER_FMT_LIBRESWAN},
	{"route.yaml", "vti-onprem", "route.swanctl.conf", PEER_FMT_SWANCTL},
	{"route.yaml", "vti-onprem", "route.ipsec.conf", PEER_FMT_STRONGSWAN},
	{"route.yaml", "vti-onprem", "route.vyos", PEER_FMT_VYOS},
	{"route.yaml", "vti-onprem", "route.libreswan.conf", PEER_FMT_LIBRESWAN},
};

static void test_goldens(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		const struct golden_case *g = &goldens[i];
		struct cfg *c = load(g->yaml);
		char *want = read_all(g->golden), *got = generate(c, g->tunnel, g->fmt);

		if (!want)
			print_error("missing golden file %s\n", g->golden);
		assert_non_null(want);
		if (strcmp(strip_header(want), got) != 0)
			print_error("%s differs; got:\n%s\n", g->golden, got);
		assert_string_equal(strip_header(want), got);
		free(want);
		free(got);
		cfg_free(c);
	}
}

static void test_fmt_names(void **state)
{
	static const struct {
		const char *s;
		int rc;
		enum peer_fmt f;
	} cases[] = {
		{"strongswan", 0, PEER_FMT_STRONGSWAN},
		{"swanctl", 0, PEER_FMT_SWANCTL},
		{"vyos", 0, PEER_FMT_VYOS},
		{"libreswan", 0, PEER_FMT_LIBRESWAN},
		{"openswan", IG_EINVAL, 0},
		{"", IG_EINVAL, 0},
		{"VyOS", IG_EINVAL, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum peer_fmt f = PEER_FMT_VYOS;

		assert_int_equal(peer_fmt_parse(cases[i].s, &f), cases[i].rc);
		if (cases[i].rc == 0) {
			assert_int_equal(f, cases[i].f);
			assert_string_equal(peer_fmt_name(f), cases[i].s);
		}
	}
}

/* A PSK that cannot be quoted goes out as hex; no public-ip/local-address is a placeholder. */
static void test_odd_values(void **state)
{
	static const char yaml[] = "gateway: { name: gw, local-subnets: [192.168.25.0/24] }\n"
				   "tunnels:\n"
				   "  - name: t\n"
				   "    peer: 198.51.100.57\n"
				   "    remote-id: '%any'\n"
				   "    psk: 'a\"quoted\"key'\n"
				   "    remote-subnets: [10.0.2.0/24]\n"
				   "    dpd: { action: none }\n";
	struct cfg_diag d;
	struct cfg *c = NULL;
	char *out;

	(void)state;
	cfg_diag_init(&d);
	assert_int_equal(cfg_load_string(yaml, strlen(yaml), "odd", &c, &d), 0);
	cfg_diag_free(&d);
	out = generate(c, "t", PEER_FMT_SWANCTL);
	assert_non_null(strstr(out, "secret = 0x61227175"));
	assert_non_null(strstr(out, "remote_addrs = %any\n"));
	assert_non_null(strstr(out, "# ipsecgw has neither public-ip nor local-address"));
	assert_non_null(strstr(out, "# ipsecgw accepts any remote-id"));
	assert_null(strstr(out, "dpd_delay"));
	free(out);
	out = generate(c, "t", PEER_FMT_VYOS);
	assert_non_null(strstr(out, "# not mapped to VyOS: the PSK has quotes"));
	assert_non_null(strstr(out, "# ipsecgw's DPD action is none"));
	assert_null(strstr(out, "secret '"));
	free(out);
	cfg_free(c);
}

/* The command: exit 2 for usage errors, 1 for unknown tunnels and invalid configs. */
static void test_cmd_exit(void **state)
{
	char *y = read_all("policy.yaml");
	char path[] = "/tmp/test_peer_config.XXXXXX", bad[] = "/tmp/test_peer_config.XXXXXX";
	int fd = mkstemp(path), fd2 = mkstemp(bad); /* mkstemp: mode 0600 */
	struct cli_opts o = {.socket_path = "/nonexistent"};
	static const char badyaml[] = "gateway: { name: gw }\ntunnels:\n  - name: x\n"
				      "    peer: 198.51.100.57\n    psk: short\n";
	const struct {
		int rc;
		const char *argv[8];
	} cases[] = {
		{CLI_USAGE, {"peer-config", NULL}},
		{CLI_USAGE, {"peer-config", "onprem", NULL}},
		{CLI_USAGE, {"peer-config", "onprem", "--for", NULL}},
		{CLI_USAGE, {"peer-config", "onprem", "--for", "openswan", "--config", path, NULL}},
		{CLI_USAGE, {"peer-config", "onprem", "--for", "vyos", "--bogus", NULL}},
		{CLI_USAGE, {"peer-config", "a", "b", "--for", "vyos", NULL}},
		{CLI_FAIL, {"peer-config", "nosuch", "--for", "vyos", "--config", path, NULL}},
		{CLI_FAIL, {"peer-config", "onprem", "--for", "vyos", "--config", bad, NULL}},
		{CLI_FAIL,
		 {"peer-config", "onprem", "--for=swanctl", "--config=/nonexistent/x.yaml", NULL}},
	};

	(void)state;
	assert_non_null(y);
	assert_true(fd >= 0 && fd2 >= 0);
	assert_int_equal(write(fd, y, strlen(y)), (ssize_t)strlen(y));
	assert_int_equal(write(fd2, badyaml, strlen(badyaml)), (ssize_t)strlen(badyaml));
	close(fd);
	close(fd2);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int argc = 0;

		while (cases[i].argv[argc])
			argc++;
		if (cli_cmd_peer_config(&o, argc, (char **)cases[i].argv) != cases[i].rc)
			print_error("case %zu\n", i);
		assert_int_equal(cli_cmd_peer_config(&o, argc, (char **)cases[i].argv),
				 cases[i].rc);
	}
	unlink(path);
	unlink(bad);
	free(y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_goldens),
		cmocka_unit_test(test_fmt_names),
		cmocka_unit_test(test_odd_values),
		cmocka_unit_test(test_cmd_exit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
