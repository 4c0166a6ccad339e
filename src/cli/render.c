/* SPDX-License-Identifier: MIT */
#include "cli/render.h"

#include <stdbool.h>
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/fmt.h"
#include "cli/schema.h"

/* The renderers write into a memory stream; close() hands over the text. */
struct out {
	FILE *f;
	char *buf;
	size_t len;
};

static int out_open(struct out *o, char *err, size_t errlen)
{
	o->buf = NULL;
	if (!(o->f = open_memstream(&o->buf, &o->len))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static char *out_close(struct out *o, char *err, size_t errlen)
{
	if (fclose(o->f) != 0) {
		free(o->buf);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return o->buf;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static long long num(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* An empty algorithm (no integrity with AEAD, no DH) reads "n/a" like VyOS. */
static const char *na(const char *s)
{
	return s[0] ? s : "n/a";
}

/* Joins a string array with ","; "-" when empty. */
static void join(const json_t *arr, char *out, size_t len)
{
	const json_t *e;
	size_t i, off = 0;

	snprintf(out, len, "-");
	json_array_foreach(arr, i, e) if (off < len) off +=
		(size_t)snprintf(out + off, len - off, "%s%s", i ? "," : "", json_string_value(e));
}

/* A JSON array of strings, space-separated. */
static void words(FILE *f, const json_t *a)
{
	const json_t *w;
	size_t i;

	json_array_foreach(a, i, w)
		fprintf(f, "%s%s", i ? " " : "", json_is_string(w) ? json_string_value(w) : "?");
}

/*
 * strongSwan statusall's per-SA lines, from the optional "sas" array of the
 * status result (IKE SAs as in show-ike-sa, each with its "child_sas").
 */
static void status_sas(FILE *f, const json_t *sas)
{
	const json_t *sa, *c;
	size_t i, k;

	if (!json_is_array(sas))
		return;
	json_array_foreach(sas, i, sa)
	{
		char ago[64], name[64], state[32];
		size_t n;

		snprintf(name, sizeof(name), "%s[%lld]", str(sa, "tunnel"), num(sa, "serial"));
		snprintf(state, sizeof(state), "%s", str(sa, "state"));
		for (n = 0; state[n]; n++)
			state[n] = (char)toupper((unsigned char)state[n]);
		cli_fmt_words(num(sa, "established_s"), ago, sizeof(ago));
		fprintf(f, "%s: %s %s ago, %s[%s]...%s[%s]\n", name, state, ago, str(sa, "local_addr"),
			str(sa, "local_id"), str(sa, "remote_addr"), str(sa, "remote_id"));
		fprintf(f, "%s: IKEv%lld SPIs: %s_i%s %s_r%s\n", name, num(sa, "version"),
			str(sa, "spi_i"), json_is_true(json_object_get(sa, "initiator")) ? "*" : "",
			str(sa, "spi_r"), json_is_true(json_object_get(sa, "initiator")) ? "" : "*");
		fprintf(f, "%s: IKE proposal: %s%s%s/%s/%s\n", name, str(sa, "encryption"),
			*str(sa, "integrity") ? "/" : "", str(sa, "integrity"), str(sa, "prf"),
			str(sa, "dh_group"));
		json_array_foreach(json_object_get(sa, "child_sas"), k, c)
		{
			const char *cn = str(c, "child");
			char cst[32];

			snprintf(cst, sizeof(cst), "%s", str(c, "state"));
			for (n = 0; cst[n]; n++)
				cst[n] = (char)toupper((unsigned char)cst[n]);
			fprintf(f, "%s: %s, %s, %sSPIs: %s_i %s_o\n", cn, cst,
				strcmp(str(c, "mode"), "transport") == 0 ? "TRANSPORT" : "TUNNEL",
				json_is_true(json_object_get(c, "encap")) ? "ESP in UDP " : "",
				str(c, "spi_in"), str(c, "spi_out"));
			fprintf(f, "%s: %s, %lld bytes_i (%lld pkts), %lld bytes_o (%lld pkts)\n", cn,
				str(c, "proposal"), num(c, "bytes_in"), num(c, "packets_in"),
				num(c, "bytes_out"), num(c, "packets_out"));
			fprintf(f, "%s: ", cn);
			words(f, json_object_get(c, "local_ts"));
			fprintf(f, " === ");
			words(f, json_object_get(c, "remote_ts"));
			fprintf(f, "\n");
		}
	}
}

char *cli_render_status(const json_t *st, char *err, size_t errlen)
{
	const json_t *listening = json_object_get(st, "listening"), *l, *m;
	char up[64];
	struct out o;
	size_t i, j;

	if (cli_check_fields(st, cli_schema_status, err, errlen) != 0 ||
	    out_open(&o, err, errlen) != 0)
		return NULL;
	cli_fmt_words(num(st, "uptime_s"), up, sizeof(up));
	fprintf(o.f, "Status of ipsecgwd %s:\n", str(st, "version"));
	fprintf(o.f, "  uptime: %s\n", up);
	fprintf(o.f, "  config: %s\n", str(st, "config"));
	fprintf(o.f, "  tunnels: %lld configured, %lld up\n", num(st, "tunnels_configured"),
		num(st, "tunnels_up"));
	fprintf(o.f, "Listening IP addresses:\n");
	/* One line per address with its ports, in the daemon's order. */
	json_array_foreach(listening, i, l)
	{
		bool seen = false;

		for (j = 0; j < i && !seen; j++)
			seen = strcmp(str(json_array_get(listening, j), "addr"), str(l, "addr")) ==
			       0;
		if (seen)
			continue;
		fprintf(o.f, "  %s (UDP", str(l, "addr"));
		for (j = i; j < json_array_size(listening); j++) {
			m = json_array_get(listening, j);
			if (strcmp(str(m, "addr"), str(l, "addr")) == 0)
				fprintf(o.f, "%s %lld", j == i ? "" : ",", num(m, "port"));
		}
		fprintf(o.f, ")\n");
	}
	fprintf(o.f, "Security Associations (%lld up, %lld connecting):\n", num(st, "ike_sas"),
		num(st, "ike_sas_connecting"));
	fprintf(o.f, "  CHILD SAs: %lld\n", num(st, "child_sas"));
	status_sas(o.f, json_object_get(st, "sas"));
	return out_close(&o, err, errlen);
}

static const char *ike_version(const char *v)
{
	return strcmp(v, "1") == 0 ? "IKEv1" : strcmp(v, "2") == 0 ? "IKEv2" : v;
}

char *cli_render_tunnels(const json_t *tunnels, char *err, size_t errlen)
{
	static const char *const hdr[] = {
		"Tunnel",    "State",	      "Type",		"Peer", "Local ID",
		"Remote ID", "Local subnets", "Remote subnets", "IKE",	"Start"};
	struct cli_table *t;
	const json_t *e;
	struct out o;
	size_t i;

	if (cli_check_array(tunnels, cli_schema_tunnel, err, errlen) != 0)
		return NULL;
	if (!(t = cli_table_new(10, hdr))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	json_array_foreach(tunnels, i, e)
	{
		char ls[1024], rs[1024];
		const char *row[10];

		join(json_object_get(e, "local_subnets"), ls, sizeof(ls));
		join(json_object_get(e, "remote_subnets"), rs, sizeof(rs));
		row[0] = str(e, "name");
		row[1] = str(e, "state");
		row[2] = str(e, "type");
		row[3] = str(e, "peer");
		row[4] = str(e, "local_id");
		row[5] = str(e, "remote_id");
		row[6] = ls;
		row[7] = rs;
		row[8] = ike_version(str(e, "ike_version"));
		row[9] = str(e, "start");
		if (cli_table_add(t, row) != 0) {
			cli_table_free(t);
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
	}
	if (out_open(&o, err, errlen) != 0) {
		cli_table_free(t);
		return NULL;
	}
	cli_table_print(t, o.f);
	cli_table_free(t);
	return out_close(&o, err, errlen);
}

/* VyOS L-Time: seconds to the next rekey or reauthentication, 0 when none. */
static long long life_left(const json_t *sa)
{
	long long rk = num(sa, "rekey_in_s"), ra = num(sa, "reauth_in_s");

	if (rk < 0)
		return ra < 0 ? 0 : ra;
	return ra < 0 || rk < ra ? rk : ra;
}

char *cli_render_ike_sa(const json_t *sas, char *err, size_t errlen)
{
	const json_t *sa;
	struct out o;
	size_t i;

	if (cli_check_array(sas, cli_schema_ike_sa, err, errlen) != 0 ||
	    out_open(&o, err, errlen) != 0)
		return NULL;
	json_array_foreach(sas, i, sa)
	{
		const char *state = str(sa, "state");
		char peer[600], local[600], at[24], lt[24];
		bool up = strcmp(state, "established") == 0 || strcmp(state, "rekeying") == 0;

		/* VyOS prints the address first, then the identity, under "ID / IP". */
		snprintf(peer, sizeof(peer), "%s %s", str(sa, "remote_addr"), str(sa, "remote_id"));
		snprintf(local, sizeof(local), "%s %s", str(sa, "local_addr"), str(sa, "local_id"));
		snprintf(at, sizeof(at), "%lld", num(sa, "established_s"));
		snprintf(lt, sizeof(lt), "%lld", life_left(sa));
		if (i > 0)
			fputc('\n', o.f);
		fprintf(o.f, "%-40s%s\n", "Peer ID / IP", "Local ID / IP");
		fprintf(o.f, "%-40s%s\n", "------------", "-------------");
		fprintf(o.f, "%-39s %s\n\n", peer, local);
		fprintf(o.f, "State  IKEVer  Encrypt      Hash          D-H Group      NAT-T  "
			     "A-Time  L-Time\n");
		fprintf(o.f, "-----  ------  -------      ----          ---------      -----  "
			     "------  ------\n");
		fprintf(o.f, "%-6s %-7s %-12s %-13s %-14s %-6s %-7s %s\n", up ? "up" : "down",
			num(sa, "version") == 1 ? "IKEv1" : "IKEv2", na(str(sa, "encryption")),
			na(str(sa, "integrity")), na(str(sa, "dh_group")),
			json_is_true(json_object_get(sa, "nat_t")) ? "yes" : "no", at, lt);
	}
	return out_close(&o, err, errlen);
}

char *cli_render_ipsec_sa(const json_t *sas, char *err, size_t errlen)
{
	static const char *const hdr[] = {"Connection",	  "State",	    "Uptime",
					  "Bytes In/Out", "Packets In/Out", "Remote address",
					  "Remote ID",	  "Proposal"};
	struct cli_table *t;
	const json_t *sa;
	struct out o;
	size_t i;

	if (cli_check_array(sas, cli_schema_ipsec_sa, err, errlen) != 0)
		return NULL;
	if (!(t = cli_table_new(8, hdr))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	json_array_foreach(sas, i, sa)
	{
		const char *state = str(sa, "state"), *rid = str(sa, "remote_id"), *row[8];
		char uptime[48], bi[24], bo[24], bytes[64], pkts[64];

		cli_fmt_uptime(num(sa, "installed_s"), uptime, sizeof(uptime));
		cli_fmt_size((uint64_t)num(sa, "bytes_in"), bi, sizeof(bi));
		cli_fmt_size((uint64_t)num(sa, "bytes_out"), bo, sizeof(bo));
		snprintf(bytes, sizeof(bytes), "%s/%s", bi, bo);
		snprintf(pkts, sizeof(pkts), "%lld/%lld", num(sa, "packets_in"),
			 num(sa, "packets_out"));
		row[0] = str(sa, "child")[0] ? str(sa, "child") : str(sa, "tunnel");
		row[1] = strcmp(state, "installed") == 0 || strcmp(state, "rekeying") == 0 ? "up"
											   : "down";
		row[2] = uptime;
		row[3] = bytes;
		row[4] = pkts;
		row[5] = str(sa, "remote_addr");
		/* Like VyOS: an identity that only repeats the address says nothing. */
		row[6] = !rid[0] || strcmp(rid, str(sa, "remote_addr")) == 0 ? "N/A" : rid;
		row[7] = str(sa, "proposal");
		if (cli_table_add(t, row) != 0) {
			cli_table_free(t);
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
	}
	if (out_open(&o, err, errlen) != 0) {
		cli_table_free(t);
		return NULL;
	}
	cli_table_print(t, o.f);
	cli_table_free(t);
	return out_close(&o, err, errlen);
}

char *cli_render_log_levels(const json_t *levels, char *err, size_t errlen)
{
	const char *k;
	json_t *v;
	struct out o;

	if (!json_is_object(levels)) {
		snprintf(err, errlen, "expected an object of levels");
		return NULL;
	}
	json_object_foreach((json_t *)levels, k, v) if (!json_is_string(v))
	{
		snprintf(err, errlen, "%s: expected a string, got another type", k);
		return NULL;
	}
	if (out_open(&o, err, errlen) != 0)
		return NULL;
	json_object_foreach((json_t *)levels, k, v)
		fprintf(o.f, "%-7s %s\n", k, json_string_value(v));
	return out_close(&o, err, errlen);
}

char *cli_render_log(const json_t *msg, char *err, size_t errlen)
{
	const json_t *l = json_object_get(msg, "log"), *d = json_object_get(msg, "dropped");
	struct out o;

	if (json_is_integer(d)) {
		if (out_open(&o, err, errlen) != 0)
			return NULL;
		fprintf(o.f, "-- %lld log lines dropped: this client reads too slowly --\n",
			(long long)json_integer_value(d));
		return out_close(&o, err, errlen);
	}
	if (!json_is_object(l) || !json_is_integer(json_object_get(l, "time_ms")) ||
	    !json_is_string(json_object_get(l, "subsys")) ||
	    !json_is_string(json_object_get(l, "level")) ||
	    !json_is_string(json_object_get(l, "line"))) {
		snprintf(err, errlen,
			 "not a log stream line (need log.time_ms, subsys, level, "
			 "line, or dropped)");
		return NULL;
	}
	{
		long long ms = num(l, "time_ms");
		time_t secs = (time_t)(ms / 1000);
		struct tm tm;
		char when[16];

		localtime_r(&secs, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		if (out_open(&o, err, errlen) != 0)
			return NULL;
		/* The daemon's own stderr format (lib/log.c). */
		fprintf(o.f, "%s.%03lld %-5s %s: %s\n", when, ms % 1000, str(l, "level"),
			str(l, "subsys"), str(l, "line"));
	}
	return out_close(&o, err, errlen);
}
