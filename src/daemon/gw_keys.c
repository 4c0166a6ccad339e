/* SPDX-License-Identifier: MIT */
/*
 * Control requests that hand out key material (PRODUCT.md `show
 * ipsec-state`, `export wireshark`): the ESP SA states in the shape of
 * `ip -s xfrm state`, and Wireshark's esp_sa and ikev2_decryption_table
 * UAT files. They answer only on the 0600 control socket; nothing here
 * logs a key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/ctl_server.h"
#include "daemon/gw.h"
#include "esp/esp_dp.h"
#include "lib/err.h"
#include "lib/secret.h"

/* "0x" and the bytes in hex; out must hold 2 * len + 3. */
static const char *hex(const uint8_t *p, size_t len, char *out)
{
	static const char d[] = "0123456789abcdef";
	size_t o = 0;

	out[o++] = '0';
	out[o++] = 'x';
	for (size_t i = 0; i < len; i++) {
		out[o++] = d[p[i] >> 4];
		out[o++] = d[p[i] & 15];
	}
	out[o] = '\0';
	return out;
}

#define HEX_MAX (2 * ALG_MAX_PRF + 3)

/* The Linux crypto API names `ip xfrm state` prints, and the ICV bits. */
static const char *xfrm_aead(uint16_t encr, unsigned *icv_bits)
{
	*icv_bits = 128;
	switch (encr) {
	case ALG_ENCR_AES_GCM_16: return "rfc4106(gcm(aes))";
	case ALG_ENCR_AES_GCM_12: *icv_bits = 96; return "rfc4106(gcm(aes))";
	case ALG_ENCR_AES_GCM_8: *icv_bits = 64; return "rfc4106(gcm(aes))";
	case ALG_ENCR_NULL_AUTH_AES_GMAC: return "rfc4543(gcm(aes))";
	case ALG_ENCR_CHACHA20_POLY1305: return "rfc7539esp(chacha20,poly1305)";
	default: return NULL;
	}
}

static const char *xfrm_enc(uint16_t encr)
{
	switch (encr) {
	case ALG_ENCR_AES_CBC: return "cbc(aes)";
	case ALG_ENCR_NULL: return "ecb(cipher_null)";
	default: return "unknown";
	}
}

static const char *xfrm_auth(uint16_t integ)
{
	switch (integ) {
	case ALG_INTEG_HMAC_SHA1_96: return "hmac(sha1)";
	case ALG_INTEG_HMAC_SHA2_256_128: return "hmac(sha256)";
	case ALG_INTEG_HMAC_SHA2_384_192: return "hmac(sha384)";
	case ALG_INTEG_HMAC_SHA2_512_256: return "hmac(sha512)";
	default: return "unknown";
	}
}

/*
 * Wireshark 4.0's names (the value strings of its ESP and ISAKMP
 * dissectors' UAT fields); NULL where it has none (ChaCha20-Poly1305 and
 * AES-GMAC in ESP, ChaCha20-Poly1305 in IKEv2).
 */
static const char *ws_esp_enc(uint16_t encr)
{
	switch (encr) {
	case ALG_ENCR_AES_CBC: return "AES-CBC [RFC3602]";
	case ALG_ENCR_AES_GCM_16: return "AES-GCM with 16 octet ICV [RFC4106]";
	case ALG_ENCR_AES_GCM_12: return "AES-GCM with 12 octet ICV [RFC4106]";
	case ALG_ENCR_AES_GCM_8: return "AES-GCM with 8 octet ICV [RFC4106]";
	case ALG_ENCR_NULL: return "NULL";
	default: return NULL;
	}
}

static const char *ws_esp_auth(uint16_t integ)
{
	switch (integ) {
	case ALG_INTEG_NONE: return "NULL"; /* AEAD: the ICV belongs to the cipher */
	case ALG_INTEG_HMAC_SHA1_96: return "HMAC-SHA-1-96 [RFC2404]";
	case ALG_INTEG_HMAC_SHA2_256_128: return "HMAC-SHA-256-128 [RFC4868]";
	case ALG_INTEG_HMAC_SHA2_384_192: return "HMAC-SHA-384-192 [RFC4868]";
	case ALG_INTEG_HMAC_SHA2_512_256: return "HMAC-SHA-512-256 [RFC4868]";
	default: return NULL;
	}
}

static const char *ws_ike_enc(uint16_t encr, unsigned keybits, char *buf, size_t len)
{
	unsigned icv = encr == ALG_ENCR_AES_GCM_16 ? 16 : encr == ALG_ENCR_AES_GCM_12 ? 12 : 8;

	if (keybits != 128 && keybits != 192 && keybits != 256)
		return NULL;
	if (encr == ALG_ENCR_AES_CBC)
		snprintf(buf, len, "AES-CBC-%u [RFC3602]", keybits);
	else if (encr == ALG_ENCR_AES_GCM_16 || encr == ALG_ENCR_AES_GCM_12 ||
		 encr == ALG_ENCR_AES_GCM_8)
		snprintf(buf, len, "AES-GCM-%u with %u octet ICV [RFC5282]", keybits, icv);
	else
		return NULL;
	return buf;
}

static const char *ws_ike_auth(uint16_t integ)
{
	switch (integ) {
	case ALG_INTEG_NONE: return "NONE [RFC4306]";
	case ALG_INTEG_HMAC_SHA1_96: return "HMAC_SHA1_96 [RFC2404]";
	case ALG_INTEG_HMAC_SHA2_256_128: return "HMAC_SHA2_256_128 [RFC4868]";
	case ALG_INTEG_HMAC_SHA2_384_192: return "HMAC_SHA2_384_192 [RFC4868]";
	case ALG_INTEG_HMAC_SHA2_512_256: return "HMAC_SHA2_512_256 [RFC4868]";
	default: return NULL;
	}
}

static const char *tunnel_arg(json_t *args)
{
	json_t *t = args ? json_object_get(args, "tunnel") : NULL;

	return json_is_string(t) ? json_string_value(t) : NULL;
}

/* ---- show-ipsec-state ---- */

struct state_ctx {
	struct gw *g;
	const char *tunnel;
	json_t *arr;
};

static json_t *dir_json(const struct state_ctx *sc, const struct ike_keys_sa *sa,
			const struct ike_keys_child *c, const struct esp_sa_desc *d)
{
	json_t *o = json_object();
	char a[ADDR_STRLEN], h[HEX_MAX];
	unsigned icv;
	const char *aead = xfrm_aead(d->encr, &icv);
	struct esp_dp_sa_stats st = {0};
	bool have = gw_dp_stats(sc->g, c->in.spi, c->out.spi, &st);

	json_object_set_new(o, "tunnel", json_string(sa->tunnel));
	json_object_set_new(o, "child", json_sprintf("%s{%u}", sa->tunnel, c->child));
	json_object_set_new(o, "direction", json_string(d->inbound ? "in" : "out"));
	json_object_set_new(o, "src", json_string(addr_format(&d->src, a, sizeof(a))));
	json_object_set_new(o, "dst", json_string(addr_format(&d->dst, a, sizeof(a))));
	json_object_set_new(o, "proto", json_string("esp"));
	json_object_set_new(o, "spi", json_sprintf("0x%08x", d->spi));
	json_object_set_new(o, "reqid", json_integer(d->reqid));
	json_object_set_new(o, "mode",
			    json_string(d->mode == ESP_MODE_TRANSPORT ? "transport" : "tunnel"));
	json_object_set_new(o, "replay_window", json_integer(d->replay_window));
	json_object_set_new(o, "esn", json_boolean(d->esn));
	if (aead) {
		json_object_set_new(o, "aead",
				    json_pack("{s:s, s:s, s:i}", "name", aead, "key",
					      hex(d->enc_key, d->enc_key_len, h), "icv_bits",
					      (int)icv));
		json_object_set_new(o, "auth", json_null());
		json_object_set_new(o, "enc", json_null());
	} else {
		json_object_set_new(o, "aead", json_null());
		json_object_set_new(o, "auth",
				    json_pack("{s:s, s:s, s:i}", "name", xfrm_auth(d->integ), "key",
					      hex(d->int_key, d->int_key_len, h), "trunc_bits",
					      (int)(alg_integ_icv_len(d->integ) * 8)));
		json_object_set_new(o, "enc",
				    json_pack("{s:s, s:s}", "name", xfrm_enc(d->encr), "key",
					      hex(d->enc_key, d->enc_key_len, h)));
	}
	secret_wipe(h, sizeof(h));
	if (d->encap)
		json_object_set_new(o, "encap",
				    json_pack("{s:s, s:i, s:i}", "type", "espinudp", "sport",
					      (int)d->sport, "dport", (int)d->dport));
	else
		json_object_set_new(o, "encap", json_null());
	json_object_set_new(o, "lifetime",
			    json_pack("{s:I, s:I, s:I}", "hard_seconds",
				      (json_int_t)d->hard.seconds, "hard_bytes",
				      (json_int_t)d->hard.bytes, "hard_packets",
				      (json_int_t)d->hard.packets));
	/* The data path counts per CHILD SA; each direction gets its half. */
	json_object_set_new(
		o, "stats",
		json_pack("{s:b, s:I, s:I, s:I, s:I}", "available", have, "bytes",
			  (json_int_t)(d->inbound ? st.bytes_in : st.bytes_out), "packets",
			  (json_int_t)(d->inbound ? st.packets_in : st.packets_out), "replay",
			  (json_int_t)(d->inbound ? st.replay_drops : 0), "integrity_failed",
			  (json_int_t)(d->inbound ? st.icv_fails : 0)));
	json_object_set_new(o, "add_time_s", json_integer((json_int_t)c->installed_s));
	/* Seconds since the last packet of this direction (-1: none yet), like xfrm's use time. */
	{
		uint64_t last = d->inbound ? st.last_in_ms : st.last_out_ms, now = gw_now_ms();

		json_object_set_new(o, "use_time_s",
				    json_integer(have && last && now >= last
							 ? (json_int_t)((now - last) / 1000)
							 : -1));
	}
	return o;
}

static void state_cb(void *ctx, const struct ike_keys_sa *sa, const struct ike_keys_child *c)
{
	struct state_ctx *sc = ctx;

	if (!c || (sc->tunnel && strcmp(sc->tunnel, sa->tunnel) != 0))
		return;
	/* `ip xfrm state` lists the outbound SA first for an initiated tunnel; keep in, out. */
	json_array_append_new(sc->arr, dir_json(sc, sa, c, &c->in));
	json_array_append_new(sc->arr, dir_json(sc, sa, c, &c->out));
}

static int h_show_ipsec_state(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	struct state_ctx sc = {.g = ctx, .tunnel = tunnel_arg(args), .arr = json_array()};

	(void)err;
	(void)errlen;
	ike_engine_keys(sc.g->ike, state_cb, &sc);
	*result = sc.arr;
	return 0;
}

/* ---- export-wireshark ---- */

struct ws_ctx {
	const char *tunnel;
	size_t n;
	char *esp, *ike; /* open_memstream buffers */
	size_t esp_len, ike_len;
	FILE *fe, *fi;
};

static void ws_esp_row(FILE *f, const struct esp_sa_desc *d)
{
	const char *enc = ws_esp_enc(d->encr), *auth = ws_esp_auth(d->integ);
	char a[ADDR_STRLEN], b[ADDR_STRLEN], he[HEX_MAX], ha[HEX_MAX];

	if (!enc || !auth) {
		fprintf(f, "# SPI 0x%08x: %s/%s has no Wireshark name, left out\n", d->spi,
			alg_encr_name(d->encr, d->encr_keybits), alg_integ_name(d->integ));
		return;
	}
	fprintf(f, "\"%s\",\"%s\",\"%s\",\"0x%08x\",\"%s\",\"%s\",\"%s\",\"%s\"\n",
		d->src.family == AF_INET6 ? "IPv6" : "IPv4", addr_format(&d->src, a, sizeof(a)),
		addr_format(&d->dst, b, sizeof(b)), d->spi, enc,
		hex(d->enc_key, d->enc_key_len, he), auth,
		d->int_key_len ? hex(d->int_key, d->int_key_len, ha) : "");
	secret_wipe(he, sizeof(he));
	secret_wipe(ha, sizeof(ha));
}

static void ws_ike_row(FILE *f, const struct ike_keys_sa *sa)
{
	char eb[64], ei[HEX_MAX], er[HEX_MAX], ai[HEX_MAX], ar[HEX_MAX];
	const char *enc = ws_ike_enc(sa->encr, sa->encr_keybits, eb, sizeof(eb));
	const char *auth = ws_ike_auth(sa->integ);

	if (!enc || !auth) {
		fprintf(f, "# IKE SA %016llx_i %016llx_r: %s/%s has no Wireshark name, left out\n",
			(unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r,
			alg_encr_name(sa->encr, sa->encr_keybits), alg_integ_name(sa->integ));
		return;
	}
	/* Hex without quotes or 0x: the table's byte fields. */
	fprintf(f, "%016llx,%016llx,%s,%s,\"%s\",%s,%s,\"%s\"\n", (unsigned long long)sa->spi_i,
		(unsigned long long)sa->spi_r, hex(sa->sk_ei, sa->e_len, ei) + 2,
		hex(sa->sk_er, sa->e_len, er) + 2, enc, hex(sa->sk_ai, sa->a_len, ai) + 2,
		hex(sa->sk_ar, sa->a_len, ar) + 2, auth);
	secret_wipe(ei, sizeof(ei));
	secret_wipe(er, sizeof(er));
	secret_wipe(ai, sizeof(ai));
	secret_wipe(ar, sizeof(ar));
}

static void ws_cb(void *ctx, const struct ike_keys_sa *sa, const struct ike_keys_child *c)
{
	struct ws_ctx *w = ctx;

	if (w->tunnel && strcmp(w->tunnel, sa->tunnel) != 0)
		return;
	w->n++;
	if (!c) {
		ws_ike_row(w->fi, sa);
		return;
	}
	ws_esp_row(w->fe, &c->in);
	ws_esp_row(w->fe, &c->out);
}

/* Wipes and frees a memstream buffer. */
static void buf_free(char *p, size_t len)
{
	if (p)
		secret_wipe(p, len);
	free(p);
}

static bool tunnel_exists(const struct gw *g, const char *name)
{
	for (size_t i = 0; i < g->cfg->n_tunnels; i++)
		if (strcmp(g->cfg->tunnels[i].name, name) == 0)
			return true;
	return false;
}

static int h_export_wireshark(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	struct gw *g = ctx;
	struct ws_ctx w = {.tunnel = tunnel_arg(args)};
	int r = 0;

	if (w.tunnel && !tunnel_exists(g, w.tunnel)) {
		snprintf(err, errlen, "no tunnel named '%s'", w.tunnel);
		return IG_ENOENT;
	}
	w.fe = open_memstream(&w.esp, &w.esp_len);
	w.fi = open_memstream(&w.ike, &w.ike_len);
	if (!w.fe || !w.fi) {
		snprintf(err, errlen, "export-wireshark: out of memory");
		r = IG_ENOMEM;
		goto out;
	}
	fprintf(w.fe, "# Wireshark ESP SAs (esp_sa) from ipsecgw: protocol, src, dst, SPI,\n"
		      "# encryption, key (AEAD salt included), authentication, key\n");
	fprintf(w.fi, "# Wireshark IKEv2 keys (ikev2_decryption_table) from ipsecgw:\n"
		      "# SPIi, SPIr, SK_ei, SK_er, encryption, SK_ai, SK_ar, integrity\n");
	ike_engine_keys(g->ike, ws_cb, &w);
	fclose(w.fe);
	fclose(w.fi);
	w.fe = w.fi = NULL;
	*result = json_pack("{s:s, s:s}", "esp_sa", w.esp, "ikev2_decryption_table", w.ike);
	if (!*result) {
		snprintf(err, errlen, "export-wireshark: out of memory");
		r = IG_ENOMEM;
	}
out:
	if (w.fe)
		fclose(w.fe);
	if (w.fi)
		fclose(w.fi);
	buf_free(w.esp, w.esp_len);
	buf_free(w.ike, w.ike_len);
	return r;
}

int gw_keys_register(struct gw *g, struct ctl_server *s)
{
	int r;

	if ((r = ctl_server_register(s, "show-ipsec-state", h_show_ipsec_state, g)) != 0 ||
	    (r = ctl_server_register(s, "export-wireshark", h_export_wireshark, g)) != 0)
		return r;
	return 0;
}
