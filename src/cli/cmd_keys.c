/* SPDX-License-Identifier: MIT */
/*
 * ipsecgw show ipsec-state [--json]
 * ipsecgw export wireshark DIR [--tunnel NAME]
 * Both print key material: the ESP SAs like `ip -s xfrm state`, and the
 * esp_sa / ikev2_decryption_table UAT files Wireshark decrypts with.
 * Files are written 0600 in a directory created 0700.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/render.h"

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static long long num(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static void limit(FILE *f, const char *what, long long hard)
{
	if (hard)
		fprintf(f, "\t  limit: soft (INF)(%s), hard %lld(%s)\n", what, hard, what);
	else
		fprintf(f, "\t  limit: soft (INF)(%s), hard (INF)(%s)\n", what, what);
}

/* One SA in `ip -s xfrm state`'s layout (iproute2's xfrm_state_print). */
static void state_text(FILE *f, const json_t *s, time_t now)
{
	const json_t *aead = json_object_get(s, "aead"), *encap = json_object_get(s, "encap");
	const json_t *life = json_object_get(s, "lifetime"), *st = json_object_get(s, "stats");
	time_t added = now - (time_t)num(s, "add_time_s");
	char when[32];
	struct tm tm;

	fprintf(f, "src %s dst %s\n", str(s, "src"), str(s, "dst"));
	fprintf(f, "\tproto %s spi %s reqid %lld mode %s\n", str(s, "proto"), str(s, "spi"),
		num(s, "reqid"), str(s, "mode"));
	fprintf(f, "\treplay-window %lld flag af-unspec%s\n", num(s, "replay_window"),
		json_is_true(json_object_get(s, "esn")) ? " esn" : "");
	if (json_is_object(aead)) {
		fprintf(f, "\taead %s %s %lld\n", str(aead, "name"), str(aead, "key"),
			num(aead, "icv_bits"));
	} else {
		const json_t *auth = json_object_get(s, "auth"), *enc = json_object_get(s, "enc");

		fprintf(f, "\tauth-trunc %s %s %lld\n", str(auth, "name"), str(auth, "key"),
			num(auth, "trunc_bits"));
		fprintf(f, "\tenc %s %s\n", str(enc, "name"), str(enc, "key"));
	}
	if (json_is_object(encap))
		fprintf(f, "\tencap type %s sport %lld dport %lld addr 0.0.0.0\n",
			str(encap, "type"), num(encap, "sport"), num(encap, "dport"));
	fprintf(f, "\tlifetime config:\n");
	limit(f, "bytes", num(life, "hard_bytes"));
	limit(f, "packets", num(life, "hard_packets"));
	fprintf(f, "\t  expire add: soft 0(sec), hard %lld(sec)\n", num(life, "hard_seconds"));
	fprintf(f, "\t  expire use: soft 0(sec), hard 0(sec)\n");
	fprintf(f, "\tlifetime current:\n");
	fprintf(f, "\t  %lld(bytes), %lld(packets)\n", num(st, "bytes"), num(st, "packets"));
	localtime_r(&added, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	if (num(s, "use_time_s") >= 0) {
		time_t used = now - (time_t)num(s, "use_time_s");
		char uwhen[32];
		struct tm utm;

		localtime_r(&used, &utm);
		strftime(uwhen, sizeof(uwhen), "%Y-%m-%d %H:%M:%S", &utm);
		fprintf(f, "\t  add %s use %s\n", when, uwhen);
	} else {
		fprintf(f, "\t  add %s use -\n", when);
	}
	fprintf(f, "\tstats:\n");
	fprintf(f, "\t  replay-window 0 replay %lld failed %lld\n", num(st, "replay"),
		num(st, "integrity_failed"));
}

char *cli_render_ipsec_state(const json_t *states, time_t now, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0, i;
	json_t *s;
	FILE *f;

	if (!json_is_array(states)) {
		snprintf(err, errlen, "expected an array of ESP SA states");
		return NULL;
	}
	if (!(f = open_memstream(&text, &len))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	json_array_foreach(states, i, s)
		state_text(f, s, now);
	fclose(f);
	return text;
}

static int show_state(const struct cli_opts *o, int argc, char **argv)
{
	bool json = false;
	json_t *result;
	int rc;

	for (int a = 2; a < argc; a++) {
		if (strcmp(argv[a], "--json") == 0) {
			json = true;
		} else if (cli_is_help(argv[a])) {
			printf("usage: ipsecgw show ipsec-state [--json]\n");
			return CLI_OK;
		} else {
			fprintf(stderr,
				"ipsecgw: unexpected argument '%s'\n"
				"usage: ipsecgw show ipsec-state [--json]\n",
				argv[a]);
			return CLI_USAGE;
		}
	}
	if ((rc = cli_request(o, "show-ipsec-state", NULL, &result)) != CLI_OK)
		return rc;
	if (json) {
		rc = cli_print_json(result);
	} else {
		char err[256], *text = cli_render_ipsec_state(result, time(NULL), err, sizeof(err));

		if (text) {
			fputs(text, stdout);
			free(text);
		} else {
			fprintf(stderr, "ipsecgw: unexpected reply from ipsecgwd to 'show-ipsec-state': %s\n",
				err);
			rc = CLI_FAIL;
		}
	}
	json_decref(result);
	return rc;
}

int cli_cmd_keys_show(const struct cli_opts *o, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "ipsec-state") == 0)
		return show_state(o, argc, argv);
	return cli_cmd_show(o, argc, argv);
}

/* Writes text to dir/name with mode 0600 (also when the file was there before). */
static int write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	size_t len = strlen(text);
	int fd, n = snprintf(path, sizeof(path), "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= sizeof(path)) {
		fprintf(stderr, "ipsecgw: export: path %s/%s too long\n", dir, name);
		return CLI_FAIL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0) {
		fprintf(stderr, "ipsecgw: export: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return CLI_FAIL;
	}
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "ipsecgw: export: write %s: %s\n", path, strerror(errno));
			close(fd);
			return CLI_FAIL;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		fprintf(stderr, "ipsecgw: export: close %s: %s\n", path, strerror(errno));
		return CLI_FAIL;
	}
	return CLI_OK;
}

#define EXPORT_USAGE "usage: ipsecgw export wireshark DIR [--tunnel NAME]\n"

int cli_cmd_export(const struct cli_opts *o, int argc, char **argv)
{
	const char *dir = NULL, *tunnel = NULL, *esp, *ike;
	json_t *args = NULL, *result = NULL;
	int rc;

	if (argc >= 2 && cli_is_help(argv[1])) {
		printf(EXPORT_USAGE);
		return CLI_OK;
	}
	if (argc < 2 || strcmp(argv[1], "wireshark") != 0) {
		fprintf(stderr, "ipsecgw: export: what? (only 'wireshark')\n" EXPORT_USAGE);
		return CLI_USAGE;
	}
	for (int a = 2; a < argc; a++) {
		if (cli_is_help(argv[a])) {
			printf(EXPORT_USAGE);
			return CLI_OK;
		} else if (strcmp(argv[a], "--tunnel") == 0 && a + 1 < argc) {
			tunnel = argv[++a];
		} else if (argv[a][0] != '-' && !dir) {
			dir = argv[a];
		} else {
			fprintf(stderr, "ipsecgw: export: unexpected argument '%s'\n" EXPORT_USAGE,
				argv[a]);
			return CLI_USAGE;
		}
	}
	if (!dir) {
		fprintf(stderr, "ipsecgw: export: which directory?\n" EXPORT_USAGE);
		return CLI_USAGE;
	}
	if (tunnel)
		args = json_pack("{s:s}", "tunnel", tunnel);
	rc = cli_request(o, "export-wireshark", args, &result);
	json_decref(args);
	if (rc != CLI_OK)
		return rc;
	esp = json_string_value(json_object_get(result, "esp_sa"));
	ike = json_string_value(json_object_get(result, "ikev2_decryption_table"));
	if (!esp || !ike) {
		fprintf(stderr, "ipsecgw: unexpected reply from ipsecgwd to 'export-wireshark'\n");
		rc = CLI_FAIL;
		goto out;
	}
	/* The keys decrypt the traffic: a new directory is the owner's only. */
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "ipsecgw: export: mkdir %s: %s\n", dir, strerror(errno));
		rc = CLI_FAIL;
		goto out;
	}
	if ((rc = write_file(dir, "esp_sa", esp)) != CLI_OK ||
	    (rc = write_file(dir, "ikev2_decryption_table", ike)) != CLI_OK)
		goto out;
	printf("wrote %s/esp_sa and %s/ikev2_decryption_table (mode 0600); use them with\n"
	       "  WIRESHARK_CONFIG_DIR=%s tshark -o esp.enable_encryption_decode:TRUE -r CAPTURE\n"
	       "or copy both files into ~/.config/wireshark/ (and turn on ESP's\n"
	       "'Attempt to detect/decode encrypted ESP payloads' preference).\n",
	       dir, dir, dir);
out:
	json_decref(result);
	return rc;
}
