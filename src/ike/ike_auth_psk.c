/* SPDX-License-Identifier: MIT */
#include "ike/ike_auth_psk.h"

#include "crypto/crypto.h"
#include "lib/buf.h"
#include "lib/err.h"
#include "lib/secret.h"
#ifdef IPSECGW_FUZZING
#include "ike/ike_int.h"
#endif

/* 2.15: the pad is the 17 ASCII characters, without a terminating NUL. */
static const char key_pad[] = "Key Pad for IKEv2";

int ike_auth_psk_compute(const struct ike_auth_input *in, const uint8_t *psk, size_t psk_len,
			 uint8_t out[static ALG_MAX_PRF], size_t *out_len)
{
	uint8_t padkey[ALG_MAX_PRF], maced_id[ALG_MAX_PRF];
	size_t n = alg_prf_len(in->prf);
	struct crypto_iov pad = { key_pad, sizeof(key_pad) - 1 };
	struct crypto_iov id = { in->id_body, in->id_body_len };
	struct crypto_iov signed_octets[3] = {
		{ in->real_msg, in->real_msg_len },
		{ in->peer_nonce, in->peer_nonce_len },
		{ maced_id, n },
	};
	int r;

	if (!alg_prf_known(in->prf) || n > ALG_MAX_PRF)
		return IG_ENOTSUP;
	if ((r = crypto_prf(in->prf, in->sk_p, in->sk_p_len, &id, 1, maced_id)) != 0 ||
	    (r = crypto_prf(in->prf, psk, psk_len, &pad, 1, padkey)) != 0 ||
	    (r = crypto_prf(in->prf, padkey, n, signed_octets, 3, out)) != 0)
		goto out;
	*out_len = n;
out:
	secret_wipe(padkey, sizeof(padkey));
	secret_wipe(maced_id, sizeof(maced_id));
	return r;
}

int ike_auth_psk_verify(const struct ike_auth_input *in, const uint8_t *psk, size_t psk_len,
			const uint8_t *auth, size_t auth_len)
{
	uint8_t want[ALG_MAX_PRF];
	size_t n = 0;
	int r;

	if ((r = ike_auth_psk_compute(in, psk, psk_len, want, &n)) != 0)
		goto out;
	r = auth_len == n && buf_ct_equal(want, auth, n) ? 0 : IG_EAUTH;
#ifdef IPSECGW_FUZZING
	/* Fuzzing builds only: see ike_fuzz_marker() in ike_sk.c. */
	if (r == IG_EAUTH && auth_len == n && ike_fuzz_marker(auth, auth_len))
		r = 0;
#endif
out:
	secret_wipe(want, sizeof(want));
	return r;
}
