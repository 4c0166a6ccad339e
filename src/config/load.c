/* SPDX-License-Identifier: MIT */
/*
 * A load: read the file, parse (yaml_load.c), fill defaults (defaults.c),
 * validate (validate.c), and refuse a file whose PSKs others can read.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/internal.h"
#include "lib/err.h"
#include "lib/secret.h"

/* Far more than any gateway's config; keeps a wrong path from eating memory. */
#define CFG_FILE_MAX (4u << 20)

int cfg_finish(struct cfg *c, struct cfg_diag *d)
{
	size_t before = cfg_diag_count(d);
	int r;

	if ((r = cfg_defaults_apply(c)) != 0)
		return r;
	cfg_validate(c, d);
	return cfg_diag_count(d) == before && !d->oom ? 0 : IG_EINVAL;
}

static int load(const char *yaml, size_t len, const char *name, const char *basedir,
		struct cfg **out, struct cfg_diag *d, bool *inline_psk)
{
	size_t before = cfg_diag_count(d);
	struct cfg *c;
	int r, r2;

	*out = NULL;
	if (!(c = cfg_new()) || !(c->source = strdup(name ? name : "<string>"))) {
		cfg_free(c);
		return IG_ENOMEM;
	}
	if ((r = cfg_parse_yaml(yaml, len, c->source, basedir, c, d)) != 0)
		goto out; /* no configuration to check further */
	/* Validate also after parse errors: all problems at once. */
	if ((r2 = cfg_defaults_apply(c)) != 0) {
		r = r2;
		goto out;
	}
	cfg_validate(c, d);
	r = cfg_diag_count(d) == before && !d->oom ? 0 : IG_EINVAL;
out:
	if (inline_psk)
		*inline_psk = c->has_inline_psk;
	if (r != 0)
		cfg_free(c);
	else
		*out = c;
	return r;
}

int cfg_load_string(const char *yaml, size_t len, const char *name, struct cfg **out,
		    struct cfg_diag *d)
{
	return load(yaml, len, name, NULL, out, d, NULL);
}

int cfg_load_file(const char *path, struct cfg **out, struct cfg_diag *d)
{
	char dir[PATH_MAX];
	struct stat st;
	char *buf = NULL;
	bool inline_psk = false;
	size_t len = 0;
	ssize_t n;
	int fd, r = IG_EINVAL;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0 ||
	    fstat(fd, &st) != 0) {
		cfg_diag_add(d, 0, path, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CFG_FILE_MAX) {
		cfg_diag_add(d, 0, path,
			     S_ISREG(st.st_mode) ? "larger than %u bytes" : "not a regular file",
			     CFG_FILE_MAX);
		r = IG_EINVAL;
		goto out;
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		r = IG_ENOMEM;
		goto out;
	}
	while (len < (size_t)st.st_size && (n = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)n;
	if (len < (size_t)st.st_size) {
		cfg_diag_add(d, 0, path, "cannot read: %s", len ? "file shrank" : strerror(errno));
		goto out;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	if ((r = load(buf, len, path, dirname(dir), out, d, &inline_psk)) == IG_ENOMEM)
		goto out;
	/* PRODUCT.md: a file holding PSKs must not be readable by others. */
	if (inline_psk && (st.st_mode & 044)) {
		{
			cfg_diag_add(d, 0, path,
				     "holds pre-shared keys but is readable by group/other (mode "
				     "%04o); chmod 600 %s",
				     (unsigned)(st.st_mode & 07777), path);
			cfg_free(*out);
			*out = NULL;
			r = IG_EINVAL;
		}
	}
out:
	if (buf) {
		secret_wipe(buf, len);
		free(buf);
	}
	if (fd >= 0)
		close(fd);
	return r;
}
