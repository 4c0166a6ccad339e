/* SPDX-License-Identifier: MIT */
/*
 * Text to typed values: booleans, counts, durations, bandwidths, IKE
 * identities, PSK files. Nothing here knows YAML or key paths.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/internal.h"
#include "lib/err.h"
#include "lib/secret.h"

const char *cfg_show(const char *s, char *buf, size_t n)
{
	size_t o = 0;

	if (n == 0)
		return "";
	for (; s && *s && o + 5 < n; s++) {
		unsigned char ch = (unsigned char)*s;

		if (o + 8 >= n) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (ch >= 0x20 && ch < 0x7f) {
			buf[o++] = (char)ch;
		} else {
			snprintf(buf + o, n - o, "\\x%02x", ch);
			o += 4;
		}
	}
	buf[o] = '\0';
	return buf;
}

size_t cfg_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int cfg_parse_bool(const char *s, bool *out)
{
	/* YAML 1.1 booleans, as VyOS and older configs write them. */
	static const char *const yes[] = {"true", "yes", "on", NULL};
	static const char *const no[] = {"false", "no", "off", NULL};

	for (size_t i = 0; yes[i]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return IG_EINVAL;
}

/* Decimal digits only (no sign, no 0x); n is how many characters to read. */
static int digits(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 20)
		return n ? IG_ERANGE : IG_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return IG_EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return IG_ERANGE;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int cfg_parse_u64(const char *s, uint64_t *out)
{
	return digits(s, strlen(s), out);
}

int cfg_parse_seconds(const char *s, uint32_t *out)
{
	size_t n = strlen(s);
	uint64_t mul = 1, v;
	int r;

	if (n > 1) {
		switch (s[n - 1]) {
		case 's': n--; break;
		case 'm':
			mul = 60;
			n--;
			break;
		case 'h':
			mul = 3600;
			n--;
			break;
		case 'd':
			mul = 86400;
			n--;
			break;
		default: break;
		}
	}
	if ((r = digits(s, n, &v)) != 0)
		return r;
	if (v > UINT32_MAX / mul)
		return IG_ERANGE;
	*out = (uint32_t)(v * mul);
	return 0;
}

int cfg_parse_bandwidth(const char *s, uint64_t *bps)
{
	static const struct {
		const char *unit;
		uint64_t mul;
	} units[] = {{"kbps", 1000}, {"mbps", 1000000}, {"gbps", 1000000000}};
	size_t n = 0, len = strlen(s);
	uint64_t v;
	int r;

	while (n < len && s[n] >= '0' && s[n] <= '9')
		n++;
	if ((r = digits(s, n, &v)) != 0)
		return r;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		const char *u = s + n + (s[n] == ' ');

		if (strcasecmp(u, units[i].unit) != 0)
			continue;
		if (v > UINT64_MAX / units[i].mul)
			return IG_ERANGE;
		*bps = v * units[i].mul;
		return 0;
	}
	return IG_EINVAL;
}

void cfg_id_clear(struct cfg_id *id)
{
	free(id->text);
	free(id->data);
	memset(id, 0, sizeof(*id));
}

static int id_set(struct cfg_id *id, enum cfg_id_type type, const char *text, const void *data,
		  size_t len)
{
	cfg_id_clear(id);
	id->type = type;
	if (!(id->text = strdup(text)) || !(id->data = malloc(len ? len : 1))) {
		cfg_id_clear(id);
		return IG_ENOMEM;
	}
	if (len)
		memcpy(id->data, data, len);
	id->len = len;
	return 0;
}

int cfg_id_from_addr(struct cfg_id *id, const struct addr *a)
{
	char t[ADDR_STRLEN];
	int r;

	addr_format(a, t, sizeof(t));
	r = id_set(id, a->family == AF_INET ? CFG_ID_IPV4 : CFG_ID_IPV6, t, a->b, addr_len(a));
	if (r == 0)
		id->addr = *a;
	return r;
}

int cfg_id_copy(struct cfg_id *dst, const struct cfg_id *src)
{
	int r;

	if (src->type == CFG_ID_NONE) {
		cfg_id_clear(dst);
		return 0;
	}
	if ((r = id_set(dst, src->type, src->text ? src->text : "", src->data, src->len)) != 0)
		return r;
	dst->addr = src->addr;
	return 0;
}

bool cfg_id_equal(const struct cfg_id *a, const struct cfg_id *b)
{
	return a->type == b->type && a->len == b->len &&
	       (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* RFC 1035 2.3.1 letters, digits, hyphen; we also allow '_' (SRV-style names). */
static bool fqdn_ok(const char *s)
{
	size_t label = 0, n = strlen(s);

	if (n == 0 || n > 253)
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int keyid(const char *s, struct cfg_id *id, char *err, size_t errlen)
{
	const char *v = s + strlen("keyid:");
	uint8_t bin[128];
	size_t n = 0;

	if (*v != '#') {
		if (!*v) {
			snprintf(err, errlen, "keyid: needs a value (keyid:text or keyid:#hex)");
			return IG_EINVAL;
		}
		return id_set(id, CFG_ID_KEY_ID, s, v, strlen(v));
	}
	v++;
	if (!*v || strlen(v) % 2 || strlen(v) / 2 > sizeof(bin)) {
		snprintf(err, errlen, "keyid:# needs an even number of hex digits (2-%zu)",
			 sizeof(bin) * 2);
		return IG_EINVAL;
	}
	for (; *v; v += 2, n++) {
		int hi = hexval(v[0]), lo = hexval(v[1]);

		if (hi < 0 || lo < 0) {
			snprintf(err, errlen, "keyid:# needs hex digits, got '%c%c'", v[0], v[1]);
			return IG_EINVAL;
		}
		bin[n] = (uint8_t)(hi << 4 | lo);
	}
	return id_set(id, CFG_ID_KEY_ID, s, bin, n);
}

int cfg_id_parse(const char *s, bool allow_any, struct cfg_id *id, char *err, size_t errlen)
{
	char shown[CFG_SHOW_MAX];
	struct addr a;
	const char *at;

	cfg_id_clear(id);
	if (strlen(s) > 255) {
		snprintf(err, errlen, "must be at most 255 characters, got %zu", strlen(s));
		return IG_EINVAL;
	}
	if (strcmp(s, "%any") == 0) {
		if (!allow_any) {
			snprintf(err, errlen, "%%any is only allowed as remote-id");
			return IG_EINVAL;
		}
		return id_set(id, CFG_ID_ANY, s, NULL, 0);
	}
	if (strncmp(s, "keyid:", 6) == 0)
		return keyid(s, id, err, errlen);
	if (addr_parse(s, &a) == 0) {
		int r = id_set(id, a.family == AF_INET ? CFG_ID_IPV4 : CFG_ID_IPV6, s, a.b,
			       addr_len(&a));

		id->addr = a;
		return r;
	}
	/* strongSwan: a leading '@' forces an FQDN that looks like something else. */
	if (s[0] == '@' && fqdn_ok(s + 1))
		return id_set(id, CFG_ID_FQDN, s, s + 1, strlen(s + 1));
	at = strchr(s, '@');
	if (at && at != s && fqdn_ok(at + 1) && !strchr(s, ' ') &&
	    !memchr(s, ':', (size_t)(at - s)))
		return id_set(id, CFG_ID_RFC822, s, s, strlen(s));
	if (!at && strspn(s, "0123456789.") != strlen(s) && fqdn_ok(s))
		return id_set(id, CFG_ID_FQDN, s, s, strlen(s));
	snprintf(err, errlen, "'%s' is not an IPv4/IPv6 address, FQDN, user@FQDN or keyid:...",
		 cfg_show(s, shown, sizeof(shown)));
	return IG_EINVAL;
}

int cfg_read_psk_file(const char *path, const char *basedir, struct secret **out, char *err,
		      size_t errlen)
{
	char full[PATH_MAX], buf[512], shown[CFG_SHOW_MAX];
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd = -1, r = IG_EIO;

	*out = NULL;
	if (path[0] != '/' && basedir && *basedir)
		snprintf(full, sizeof(full), "%s/%s", basedir, path);
	else
		snprintf(full, sizeof(full), "%s", path);
	cfg_show(full, shown, sizeof(shown));
	/* O_NONBLOCK: a FIFO named here must not hang the load (it is refused below). */
	if ((fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0 ||
	    fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot read %s: %s", shown, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", shown);
		r = IG_EINVAL;
		goto out;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen, "%s is %s by group/other (mode %04o); chmod 600 %s", shown,
			 (st.st_mode & 044) ? "readable" : "accessible",
			 (unsigned)(st.st_mode & 07777), shown);
		r = IG_EINVAL;
		goto out;
	}
	while ((n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	if (n < 0) {
		snprintf(err, errlen, "cannot read %s: %s", shown, strerror(errno));
		goto out;
	}
	if (len == sizeof(buf)) {
		snprintf(err, errlen, "%s is longer than %zu bytes; it should hold only the key",
			 shown, sizeof(buf) - 1);
		r = IG_EINVAL;
		goto out;
	}
	/* One line: drop the newline editors add. */
	if (len && buf[len - 1] == '\n')
		len--;
	if (len && buf[len - 1] == '\r')
		len--;
	r = (*out = secret_dup(buf, len)) ? 0 : IG_ENOMEM;
out:
	secret_wipe(buf, sizeof(buf));
	if (fd >= 0)
		close(fd);
	return r;
}
