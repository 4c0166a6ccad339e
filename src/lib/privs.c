/* SPDX-License-Identifier: MIT */
/*
 * Capabilities through the raw capget/capset system calls (capabilities(7)),
 * without libcap: three masks of 64 bits are all we need.
 */
#include "lib/privs.h"

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/log.h"

#define BIT(c) (UINT64_C(1) << (c))

/* What the running daemon keeps: routes, addresses, rules and new TUNs on reload. */
#define KEEP_RUNNING BIT(CAP_NET_ADMIN)
/* Start-up also binds UDP 500 and opens raw sockets (ESP, outer IPv4 headers). */
#define KEEP_STARTUP (KEEP_RUNNING | BIT(CAP_NET_RAW) | BIT(CAP_NET_BIND_SERVICE))

static int caps_read(uint64_t *eff, uint64_t *prm, uint64_t *inh)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) != 0)
		return IG_EIO;
	*eff = (uint64_t)d[1].effective << 32 | d[0].effective;
	*prm = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	if (inh)
		*inh = (uint64_t)d[1].inheritable << 32 | d[0].inheritable;
	return 0;
}

/* The calling thread keeps keep ∩ what it has now, in permitted and effective. */
static int caps_limit(uint64_t keep)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];
	uint64_t eff, prm, inh;

	if (caps_read(&eff, &prm, &inh) != 0)
		return IG_EIO;
	prm &= keep;
	memset(d, 0, sizeof(d));
	d[0].permitted = d[0].effective = (uint32_t)prm;
	d[1].permitted = d[1].effective = (uint32_t)(prm >> 32);
	/* Inheritable stays empty: nothing we run later gets our capabilities. */
	if (syscall(SYS_capset, &h, d) != 0)
		return IG_EIO;
	return 0;
}

int privs_get(uint64_t *effective, uint64_t *permitted)
{
	return caps_read(effective, permitted, NULL);
}

int privs_drop_startup(void)
{
	uint64_t eff, prm;
	int r;

	if (caps_read(&eff, &prm, NULL) != 0)
		return IG_EIO;
	/* No exec of ours may ever gain privileges again (setuid, file caps). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		log_warn(LS_DAEMON, "privs: PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	/*
	 * The bounding set is process-wide for new threads and execs; cutting it
	 * needs CAP_SETPCAP, which we drop right after. Without it we are not
	 * root and there is nothing to cut.
	 */
	if (eff & BIT(CAP_SETPCAP))
		for (int c = 0; c <= CAP_LAST_CAP; c++) {
			if (BIT(c) & KEEP_RUNNING)
				continue;
			if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL) {
				log_warn(LS_DAEMON,
					 "privs: dropping capability %d from the bounding "
					 "set: %s",
					 c, strerror(errno));
				return IG_EIO;
			}
		}
	if ((r = caps_limit(KEEP_STARTUP)) != 0)
		log_warn(LS_DAEMON, "privs: capset: %s", strerror(errno));
	return r;
}

int privs_drop_running(void)
{
	uint64_t eff, prm;
	int r;

	if ((r = caps_limit(KEEP_RUNNING)) != 0) {
		log_warn(LS_DAEMON, "privs: capset: %s", strerror(errno));
		return r;
	}
	if (caps_read(&eff, &prm, NULL) == 0)
		log_info(LS_DAEMON, "privileges dropped: capabilities %s kept",
			 (prm & BIT(CAP_NET_ADMIN)) ? "CAP_NET_ADMIN" : "none");
	return 0;
}

int privs_drop_thread(void)
{
	return caps_limit(0);
}
