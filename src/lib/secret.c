/* SPDX-License-Identifier: MIT */
#include "lib/secret.h"

#include <stdlib.h>
#include <string.h>

void (*secret_free_hook)(const void *p, size_t len);

void secret_wipe(void *p, size_t len)
{
	if (p && len)
		explicit_bzero(p, len);
}

struct secret *secret_new(size_t len)
{
	struct secret *s = calloc(1, sizeof(*s) + len);

	if (s)
		s->len = len;
	return s;
}

struct secret *secret_dup(const void *bytes, size_t len)
{
	struct secret *s = secret_new(len);

	if (s && len)
		memcpy(s->data, bytes, len);
	return s;
}

void secret_free(struct secret *s)
{
	if (!s)
		return;
	secret_wipe(s->data, s->len);
	if (secret_free_hook)
		secret_free_hook(s->data, s->len);
	free(s);
}
