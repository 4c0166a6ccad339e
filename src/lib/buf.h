/* SPDX-License-Identifier: MIT */
/*
 * Bounded buffer reader and writer. Every parser of outside bytes reads
 * through struct buf_rd: each get is checked against what is left and
 * fails with IG_ETRUNC instead of reading past the end, so no code indexes
 * raw packet memory. Multi-byte integers are network byte order.
 *
 * The writer works in a caller-supplied fixed buffer (no allocation, so the
 * data path can use it) and fails with IG_ENOSPC when it would overflow.
 */
#ifndef IPSECGW_LIB_BUF_H
#define IPSECGW_LIB_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf_rd {
	const uint8_t *p;
	size_t len;
	size_t pos;
};

void buf_rd_init(struct buf_rd *r, const void *p, size_t len);
static inline size_t buf_rd_left(const struct buf_rd *r) { return r->len - r->pos; }
static inline size_t buf_rd_pos(const struct buf_rd *r) { return r->pos; }
/* Pointer to the unread bytes (for hashing a whole region, never for indexing). */
static inline const uint8_t *buf_rd_cur(const struct buf_rd *r) { return r->p + r->pos; }

int buf_get_u8(struct buf_rd *r, uint8_t *v);
int buf_get_u16(struct buf_rd *r, uint16_t *v);
int buf_get_u24(struct buf_rd *r, uint32_t *v);
int buf_get_u32(struct buf_rd *r, uint32_t *v);
int buf_get_u64(struct buf_rd *r, uint64_t *v);
int buf_get_bytes(struct buf_rd *r, void *dst, size_t n);
/* Zero-copy view of the next n bytes; advances. */
int buf_get_ptr(struct buf_rd *r, const uint8_t **p, size_t n);
/* A sub-reader over the next n bytes; advances the parent past them. */
int buf_get_sub(struct buf_rd *r, struct buf_rd *sub, size_t n);
int buf_skip(struct buf_rd *r, size_t n);
int buf_peek_u8(const struct buf_rd *r, uint8_t *v);
int buf_peek_u16(const struct buf_rd *r, uint16_t *v);
int buf_peek_u32(const struct buf_rd *r, uint32_t *v);

struct buf_wr {
	uint8_t *p;
	size_t cap;
	size_t len;
};

void buf_wr_init(struct buf_wr *w, void *p, size_t cap);
static inline size_t buf_wr_len(const struct buf_wr *w) { return w->len; }
static inline size_t buf_wr_room(const struct buf_wr *w) { return w->cap - w->len; }

int buf_put_u8(struct buf_wr *w, uint8_t v);
int buf_put_u16(struct buf_wr *w, uint16_t v);
int buf_put_u24(struct buf_wr *w, uint32_t v);
int buf_put_u32(struct buf_wr *w, uint32_t v);
int buf_put_u64(struct buf_wr *w, uint64_t v);
int buf_put_bytes(struct buf_wr *w, const void *src, size_t n);
int buf_put_zero(struct buf_wr *w, size_t n);
/* Reserve n bytes to be filled later; *out points at them. */
int buf_reserve(struct buf_wr *w, size_t n, uint8_t **out);
/* Patch an already written field (length fields written before their body). */
int buf_set_u8_at(struct buf_wr *w, size_t off, uint8_t v);
int buf_set_u16_at(struct buf_wr *w, size_t off, uint16_t v);
int buf_set_u32_at(struct buf_wr *w, size_t off, uint32_t v);

/* Constant-time comparison of two equal-length byte strings: true if equal. */
bool buf_ct_equal(const void *a, const void *b, size_t n);

/* Hex helpers for status output and test vectors. */
/* Writes 2*n hex digits and a NUL; out must hold 2*n+1 bytes. */
void buf_hex(const void *p, size_t n, char *out);
/* Parses hex (whitespace ignored) into out; returns bytes written or IG_E*. */
int buf_unhex(const char *hex, uint8_t *out, size_t cap);

#endif
