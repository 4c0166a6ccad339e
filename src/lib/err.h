/* SPDX-License-Identifier: MIT */
/*
 * Error codes shared by every layer: 0 is success, a negative IG_E* value is
 * a failure. Functions return them in `(r = f()) != 0 ||` chains (STYLE.md).
 */
#ifndef IPSECGW_LIB_ERR_H
#define IPSECGW_LIB_ERR_H

enum ig_err {
	IG_OK = 0,
	IG_ENOMEM = -1,    /* allocation failed */
	IG_ETRUNC = -2,    /* input shorter than its format requires */
	IG_ENOSPC = -3,    /* output buffer too small */
	IG_EINVAL = -4,    /* malformed or out-of-range value */
	IG_ENOTSUP = -5,   /* well-formed but not supported */
	IG_ECRYPTO = -6,   /* an OpenSSL call failed */
	IG_EAUTH = -7,     /* integrity check or authentication failed */
	IG_EIO = -8,       /* system call failed (see errno) */
	IG_ENOENT = -9,    /* no such object */
	IG_EEXIST = -10,   /* object already exists */
	IG_ERANGE = -11,   /* value outside permitted range */
	IG_EHOSTBITS = -12, /* CIDR with host bits set */
	IG_EAGAIN = -13,   /* try again later */
	IG_ESTATE = -14,   /* not allowed in the current state */
};

/* A short English phrase for an IG_E* code ("input truncated"). */
const char *ig_strerror(int err);

#endif
