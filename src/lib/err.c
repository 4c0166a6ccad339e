/* SPDX-License-Identifier: MIT */
#include "lib/err.h"

const char *ig_strerror(int err)
{
	switch (err) {
	case IG_OK: return "success";
	case IG_ENOMEM: return "out of memory";
	case IG_ETRUNC: return "input truncated";
	case IG_ENOSPC: return "buffer too small";
	case IG_EINVAL: return "invalid value";
	case IG_ENOTSUP: return "not supported";
	case IG_ECRYPTO: return "crypto library error";
	case IG_EAUTH: return "authentication failed";
	case IG_EIO: return "I/O error";
	case IG_ENOENT: return "not found";
	case IG_EEXIST: return "already exists";
	case IG_ERANGE: return "out of range";
	case IG_EHOSTBITS: return "host bits set";
	case IG_EAGAIN: return "try again";
	case IG_ESTATE: return "wrong state";
	}
	return "unknown error";
}
