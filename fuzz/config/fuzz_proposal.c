/* SPDX-License-Identifier: MIT */
/*
 * Proposal strings: the first byte picks the kind ('E' = ESP, else IKE),
 * the rest is the text. A string that parses must format to canonical text
 * that parses to the same transforms and formats to the same text again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/proposal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[PROPOSAL_MAX_TEXT + 64], out1[PROPOSAL_MAX_TEXT * 2], out2[PROPOSAL_MAX_TEXT * 2];
	char err[PROPOSAL_ERRLEN];
	enum proposal_kind kind;
	struct proposal p, q;

	if (size < 1 || size - 1 >= sizeof(text))
		return 0;
	kind = data[0] == 'E' ? PROPOSAL_ESP : PROPOSAL_IKE;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	err[0] = '\0';
	if (proposal_parse(text, kind, &p, err, sizeof(err)) != 0) {
		if (!err[0])
			abort(); /* a failure always says why */
		return 0;
	}
	if (proposal_format(&p, out1, sizeof(out1)) != 0)
		abort();
	if (proposal_parse(out1, kind, &q, err, sizeof(err)) != 0) {
		fprintf(stderr, "'%s' -> '%s' does not parse: %s\n", text, out1, err);
		abort();
	}
	if (!proposal_equal(&p, &q) || proposal_format(&q, out2, sizeof(out2)) != 0 ||
	    strcmp(out1, out2) != 0)
		abort();
	return 0;
}
