/* SPDX-License-Identifier: MIT */
/*
 * A proposal as the IKEv2 registry names strongSwan and VyOS print
 * ("AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024"). Kept apart
 * from proposal.c because it needs the name tables of crypto/alg.c.
 */
#include "config/proposal.h"

#include <stdio.h>

#include "crypto/alg.h"
#include "lib/err.h"

static int put(char *out, size_t outlen, size_t *pos, const char *w)
{
	int n = snprintf(out + *pos, outlen - *pos, "%s%s", *pos ? "/" : "", w ? w : "?");

	if (n < 0 || (size_t)n >= outlen - *pos)
		return IG_ENOSPC;
	*pos += (size_t)n;
	return 0;
}

int proposal_registry_names(const struct proposal *p, char *out, size_t outlen)
{
	size_t pos = 0;
	int r = 0;

	if (outlen == 0)
		return IG_ENOSPC;
	out[0] = '\0';
	for (size_t i = 0; r == 0 && i < p->n_encr; i++)
		r = put(out, outlen, &pos, alg_encr_name(p->encr[i].id, p->encr[i].keybits));
	for (size_t i = 0; r == 0 && i < p->n_integ; i++)
		r = put(out, outlen, &pos, alg_integ_name(p->integ[i]));
	for (size_t i = 0; r == 0 && i < p->n_prf; i++)
		r = put(out, outlen, &pos, alg_prf_name(p->prf[i]));
	for (size_t i = 0; r == 0 && i < p->n_dh; i++)
		r = put(out, outlen, &pos, alg_dh_name(p->dh[i]));
	/* RFC 7296 3.3.2 transform type 5; strongSwan prints these two names. */
	for (size_t i = 0; r == 0 && i < p->n_esn; i++)
		r = put(out, outlen, &pos, p->esn[i] == ALG_ESN_YES ? "EXT_SEQ" : "NO_EXT_SEQ");
	return r;
}
