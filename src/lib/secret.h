/* SPDX-License-Identifier: MIT */
/*
 * Heap buffers for key material: sized, and wiped before they are freed.
 * Use secret_wipe() on stack copies of keys at every exit path.
 */
#ifndef IPSECGW_LIB_SECRET_H
#define IPSECGW_LIB_SECRET_H

#include <stddef.h>
#include <stdint.h>

struct secret {
	size_t len;
	uint8_t data[];
};

/* Zero-filled secret of len bytes, or NULL. */
struct secret *secret_new(size_t len);
/* Copy of bytes, or NULL. */
struct secret *secret_dup(const void *bytes, size_t len);
/* Wipes and frees; NULL is fine. */
void secret_free(struct secret *s);
/* Wipes memory in a way the compiler may not elide. */
void secret_wipe(void *p, size_t len);

/*
 * Test hook (STYLE: wiped on free, checked): when set, secret_free() calls
 * it with the buffer after wiping and before freeing.
 */
extern void (*secret_free_hook)(const void *p, size_t len);

#endif
