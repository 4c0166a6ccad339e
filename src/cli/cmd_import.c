/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw import --from vyos|swanctl|ipsec.conf [--secrets FILE] FILE:
 * prints the ipsecgw YAML for the peer's tunnels, mirrored (cli/import.h),
 * without a daemon. For ipsec.conf the PSKs come from --secrets FILE, else
 * from 'ipsec.secrets' in the same directory as FILE if there is one.
 * Exit 0 printed (notes and placeholders also on stderr), 1 the file could
 * not be read or parsed (every problem as file:line), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/import.h"
#include "lib/err.h"
#include "lib/secret.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: ipsecgw import --from vyos|swanctl|ipsec.conf [--secrets FILE] FILE\n");
	return CLI_USAGE;
}

int cli_import_load(const char *path, const char *fmt_s, const char *secrets_path,
		    struct imp_peer *p)
{
	char *text = NULL, *sec = NULL, *beside = NULL;
	size_t len = 0, sec_len = 0;
	enum imp_fmt fmt;
	int r;

	imp_peer_init(p, IMP_FMT_IPSECCONF, path);
	if (fmt_s && imp_fmt_parse(fmt_s, &fmt) != 0)
		return IG_EINVAL;
	if ((r = imp_read_file(path, &text, &len)) != 0) {
		fprintf(stderr, "ipsecgw: %s: cannot read: %s\n", path, ig_strerror(r));
		return IG_EIO;
	}
	if (!fmt_s)
		fmt = imp_fmt_detect(text, len);
	p->fmt = fmt;
	if (fmt == IMP_FMT_IPSECCONF && !secrets_path) {
		const char *slash = strrchr(path, '/');
		int n = slash ? (int)(slash - path + 1) : 0;

		if (asprintf(&beside, "%.*sipsec.secrets", n, path) < 0)
			beside = NULL;
		if (beside && imp_read_file(beside, &sec, &sec_len) == 0)
			secrets_path = beside;
	} else if (secrets_path && (r = imp_read_file(secrets_path, &sec, &sec_len)) != 0) {
		fprintf(stderr, "ipsecgw: %s: cannot read: %s\n", secrets_path, ig_strerror(r));
		r = IG_EIO;
		goto out;
	}
	r = imp_parse(p, text, len, sec, sec_len, secrets_path);
	for (size_t i = 0; i < p->n_errors; i++)
		fprintf(stderr, "%s\n", p->errors[i]);
	if (r == IG_ENOMEM)
		fprintf(stderr, "ipsecgw: out of memory\n");
out:
	if (sec) {
		secret_wipe(sec, sec_len);
		free(sec);
	}
	secret_wipe(text, len);
	free(text);
	free(beside);
	return r;
}

int cli_cmd_import(const struct cli_opts *o, int argc, char **argv)
{
	const char *fmt_s = NULL, *file = NULL, *secrets = NULL;
	struct imp_peer p;
	enum imp_fmt fmt;
	int rc = CLI_FAIL;

	(void)o;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			fmt_s = argv[++i];
		else if (strncmp(argv[i], "--from=", 7) == 0)
			fmt_s = argv[i] + 7;
		else if (strcmp(argv[i], "--secrets") == 0 && i + 1 < argc)
			secrets = argv[++i];
		else if (strncmp(argv[i], "--secrets=", 10) == 0)
			secrets = argv[i] + 10;
		else if ((argv[i][0] != '-' || !argv[i][1]) && !file)
			file = argv[i];
		else
			return usage();
	}
	if (!file || !fmt_s)
		return usage();
	if (imp_fmt_parse(fmt_s, &fmt) != 0) {
		fprintf(stderr,
			"ipsecgw: import: unknown --from '%s' (vyos, swanctl or ipsec.conf)\n",
			fmt_s);
		return usage();
	}
	if (cli_import_load(file, fmt_s, secrets, &p) != 0) {
		imp_peer_free(&p);
		return CLI_FAIL;
	}
	if (imp_write_yaml(&p, stdout, stderr) == 0 && fflush(stdout) == 0)
		rc = CLI_OK;
	imp_peer_free(&p);
	return rc;
}
