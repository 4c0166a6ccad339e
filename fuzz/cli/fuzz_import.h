/* SPDX-License-Identifier: MIT */
/*
 * Shared body of the importer fuzzers (one target per format, so each
 * corpus stays in its own syntax): arbitrary bytes must give a parse or
 * file:line errors, never a crash, leak or hang. What parses is mirrored
 * into YAML (which must then load: imp_write_yaml validates it) and
 * compared with a fixed configuration by check --peer.
 *
 * ipsec.conf: the bytes after a line "%%SECRETS%%" are its ipsec.secrets.
 */
#ifndef IPSECGW_FUZZ_IMPORT_H
#define IPSECGW_FUZZ_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/import.h"
#include "cli/peer_check.h"
#include "config/config.h"
#include "lib/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_ours[] = "gateway:\n"
				"  name: cloud-gw\n"
				"  local-address: 203.0.113.7\n"
				"  local-subnets: [192.168.25.0/24]\n"
				"tunnels:\n"
				"  - name: onprem\n"
				"    peer: 198.51.100.57\n"
				"    psk: \"8 to 40 characters\"\n"
				"    remote-subnets: [192.168.0.0/24, 10.0.2.0/24]\n";

static int fuzz_import(enum imp_fmt fmt, const uint8_t *data, size_t size)
{
	static struct cfg *ours;
	const char *text = (const char *)data, *sec = NULL;
	size_t len = size, sec_len = 0;
	struct peer_check_result res;
	struct imp_peer p;
	FILE *null;

	if (size > 1 << 16)
		return 0;
	if (!ours) {
		struct cfg_diag d;

		cfg_diag_init(&d);
		if (cfg_load_string(fuzz_ours, strlen(fuzz_ours), "ours", &ours, &d) != 0)
			abort();
		cfg_diag_free(&d);
	}
	if (fmt == IMP_FMT_IPSECCONF) {
		const char *m = memmem(data, size, "\n%%SECRETS%%\n", 13);

		if (m) {
			len = (size_t)(m - text);
			sec = m + 13;
			sec_len = size - len - 13;
		}
	}
	imp_peer_init(&p, fmt, "fuzz");
	if (imp_parse(&p, text, len, sec, sec_len, "fuzz.secrets") == 0) {
		if (!(null = fopen("/dev/null", "w")))
			abort();
		/* IG_EINVAL (a mirrored value the config rejects) is a reported outcome. */
		int r = imp_write_yaml(&p, null, NULL);

		if (r != 0 && r != IG_EINVAL && r != IG_ENOMEM)
			abort();
		if (peer_check(ours, &p, null, &res) != 0)
			abort();
		fclose(null);
	} else if (p.n_errors == 0 && !p.oom) {
		/* A failed parse always says why. */
		abort();
	}
	imp_peer_free(&p);
	return 0;
}

#endif
