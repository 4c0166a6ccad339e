/* SPDX-License-Identifier: MIT */
/*
 * Keys in the log, for decrypting a capture by hand: only when the operator
 * set `log: { keys: true }` and IKE logs at debug (PRODUCT.md: never
 * otherwise). Lines look like strongSwan's: "onprem[1]: SK_ei <hex>".
 */
#include "ike/ike_keylog.h"

#include "ike/ike_int.h"
#include "lib/secret.h"

static bool keylog_on(void)
{
	return log_keys_allowed() && log_enabled(LS_IKE, LL_DEBUG);
}

static void line(const struct ike_sa *sa, const char *what, const uint8_t *k, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char buf[2 * 128 + 1];
	size_t n = 0;

	if (!len)
		return;
	for (size_t i = 0; i < len && n + 2 < sizeof(buf); i++) {
		buf[n++] = hex[k[i] >> 4];
		buf[n++] = hex[k[i] & 15];
	}
	buf[n] = '\0';
	sa_log(sa, LL_DEBUG, "%s %s", what, buf);
	secret_wipe(buf, sizeof(buf));
}

void ike_keylog_sa(const struct ike_sa *sa)
{
	const struct ike_keymat *k = &sa->km;

	if (!keylog_on())
		return;
	sa_log(sa, LL_DEBUG, "keys (log.keys is set): SPIi %016llx SPIr %016llx",
	       (unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r);
	line(sa, "SK_d", k->sk_d, k->prf_len);
	line(sa, "SK_ei", k->sk_ei, k->e_len);
	line(sa, "SK_er", k->sk_er, k->e_len);
	line(sa, "SK_ai", k->sk_ai, k->a_len);
	line(sa, "SK_ar", k->sk_ar, k->a_len);
	line(sa, "SK_pi", k->sk_pi, k->prf_len);
	line(sa, "SK_pr", k->sk_pr, k->prf_len);
}

void ike_keylog_child(const struct ike_sa *sa, const struct ike_child *c)
{
	const struct child_keymat *k = &c->keys;

	if (!keylog_on())
		return;
	sa_log(sa, LL_DEBUG, "CHILD SA {%u} keys (log.keys is set): SPI in %08x out %08x",
	       c->serial, c->spi_in, c->spi_out);
	line(sa, "ESP encryption i->r", k->ei, k->e_len);
	line(sa, "ESP integrity i->r", k->ai, k->a_len);
	line(sa, "ESP encryption r->i", k->er, k->e_len);
	line(sa, "ESP integrity r->i", k->ar, k->a_len);
}
