/* SPDX-License-Identifier: MIT */
#include "lib/buf.h"

#include <ctype.h>
#include <string.h>

#include "lib/err.h"

void buf_rd_init(struct buf_rd *r, const void *p, size_t len)
{
	r->p = p;
	r->len = p ? len : 0;
	r->pos = 0;
}

/* Checks that n more bytes can be read without moving. */
static int need(const struct buf_rd *r, size_t n)
{
	return n > r->len - r->pos ? IG_ETRUNC : 0;
}

int buf_peek_u8(const struct buf_rd *r, uint8_t *v)
{
	int e;

	if ((e = need(r, 1)) != 0)
		return e;
	*v = r->p[r->pos];
	return 0;
}

int buf_peek_u16(const struct buf_rd *r, uint16_t *v)
{
	int e;

	if ((e = need(r, 2)) != 0)
		return e;
	*v = (uint16_t)(r->p[r->pos] << 8 | r->p[r->pos + 1]);
	return 0;
}

int buf_peek_u32(const struct buf_rd *r, uint32_t *v)
{
	const uint8_t *b;
	int e;

	if ((e = need(r, 4)) != 0)
		return e;
	b = r->p + r->pos;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 0;
}

int buf_get_u8(struct buf_rd *r, uint8_t *v)
{
	int e;

	if ((e = buf_peek_u8(r, v)) != 0)
		return e;
	r->pos += 1;
	return 0;
}

int buf_get_u16(struct buf_rd *r, uint16_t *v)
{
	int e;

	if ((e = buf_peek_u16(r, v)) != 0)
		return e;
	r->pos += 2;
	return 0;
}

int buf_get_u24(struct buf_rd *r, uint32_t *v)
{
	const uint8_t *b;
	int e;

	if ((e = need(r, 3)) != 0)
		return e;
	b = r->p + r->pos;
	*v = (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
	r->pos += 3;
	return 0;
}

int buf_get_u32(struct buf_rd *r, uint32_t *v)
{
	int e;

	if ((e = buf_peek_u32(r, v)) != 0)
		return e;
	r->pos += 4;
	return 0;
}

int buf_get_u64(struct buf_rd *r, uint64_t *v)
{
	uint32_t hi, lo;
	int e;

	if ((e = need(r, 8)) != 0)
		return e;
	buf_get_u32(r, &hi);
	buf_get_u32(r, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int buf_get_bytes(struct buf_rd *r, void *dst, size_t n)
{
	int e;

	if ((e = need(r, n)) != 0)
		return e;
	if (n)
		memcpy(dst, r->p + r->pos, n);
	r->pos += n;
	return 0;
}

int buf_get_ptr(struct buf_rd *r, const uint8_t **p, size_t n)
{
	int e;

	if ((e = need(r, n)) != 0)
		return e;
	*p = r->p + r->pos;
	r->pos += n;
	return 0;
}

int buf_get_sub(struct buf_rd *r, struct buf_rd *sub, size_t n)
{
	int e;

	if ((e = need(r, n)) != 0)
		return e;
	buf_rd_init(sub, r->p + r->pos, n);
	r->pos += n;
	return 0;
}

int buf_skip(struct buf_rd *r, size_t n)
{
	int e;

	if ((e = need(r, n)) != 0)
		return e;
	r->pos += n;
	return 0;
}

void buf_wr_init(struct buf_wr *w, void *p, size_t cap)
{
	w->p = p;
	w->cap = p ? cap : 0;
	w->len = 0;
}

static int room(const struct buf_wr *w, size_t n)
{
	return n > w->cap - w->len ? IG_ENOSPC : 0;
}

int buf_reserve(struct buf_wr *w, size_t n, uint8_t **out)
{
	int e;

	if ((e = room(w, n)) != 0)
		return e;
	if (out)
		*out = w->p + w->len;
	w->len += n;
	return 0;
}

int buf_put_bytes(struct buf_wr *w, const void *src, size_t n)
{
	uint8_t *d;
	int e;

	if ((e = buf_reserve(w, n, &d)) != 0)
		return e;
	if (n)
		memcpy(d, src, n);
	return 0;
}

int buf_put_zero(struct buf_wr *w, size_t n)
{
	uint8_t *d;
	int e;

	if ((e = buf_reserve(w, n, &d)) != 0)
		return e;
	if (n)
		memset(d, 0, n);
	return 0;
}

int buf_put_u8(struct buf_wr *w, uint8_t v)
{
	return buf_put_bytes(w, &v, 1);
}

int buf_put_u16(struct buf_wr *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return buf_put_bytes(w, b, sizeof(b));
}

int buf_put_u24(struct buf_wr *w, uint32_t v)
{
	uint8_t b[3] = { (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	if (v > 0xffffff)
		return IG_ERANGE;
	return buf_put_bytes(w, b, sizeof(b));
}

int buf_put_u32(struct buf_wr *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	return buf_put_bytes(w, b, sizeof(b));
}

int buf_put_u64(struct buf_wr *w, uint64_t v)
{
	int e;

	if ((e = room(w, 8)) != 0)
		return e;
	buf_put_u32(w, (uint32_t)(v >> 32));
	buf_put_u32(w, (uint32_t)v);
	return 0;
}

static int at(const struct buf_wr *w, size_t off, size_t n)
{
	return off > w->len || n > w->len - off ? IG_ERANGE : 0;
}

int buf_set_u8_at(struct buf_wr *w, size_t off, uint8_t v)
{
	int e;

	if ((e = at(w, off, 1)) != 0)
		return e;
	w->p[off] = v;
	return 0;
}

int buf_set_u16_at(struct buf_wr *w, size_t off, uint16_t v)
{
	int e;

	if ((e = at(w, off, 2)) != 0)
		return e;
	w->p[off] = (uint8_t)(v >> 8);
	w->p[off + 1] = (uint8_t)v;
	return 0;
}

int buf_set_u32_at(struct buf_wr *w, size_t off, uint32_t v)
{
	int e;

	if ((e = at(w, off, 4)) != 0)
		return e;
	w->p[off] = (uint8_t)(v >> 24);
	w->p[off + 1] = (uint8_t)(v >> 16);
	w->p[off + 2] = (uint8_t)(v >> 8);
	w->p[off + 3] = (uint8_t)v;
	return 0;
}

bool buf_ct_equal(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

void buf_hex(const void *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int buf_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
		hex += 2;
	for (; *hex; hex++) {
		int v;

		if (isspace((unsigned char)*hex) || *hex == ':')
			continue;
		if ((v = hexval((unsigned char)*hex)) < 0)
			return IG_EINVAL;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap)
			return IG_ENOSPC;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		return IG_EINVAL;
	return (int)n;
}
