/* SPDX-License-Identifier: MIT */
/*
 * The control request step (ctl_dispatch: one line -> handler -> one reply)
 * on arbitrary bytes. What must hold for every input: a reply is built,
 * it is one line ending in '\n', it is a JSON object whose "ok" is a
 * boolean, with "result" when true and a string "error" when false.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "daemon/ctl_proto.h"
#include "lib/err.h"
#include "lib/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int h_echo(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	*result = json_deep_copy(args);
	return 0;
}

static int h_fail(void *ctx, json_t *args, json_t **result, char *err, size_t errlen)
{
	/* Echo outside bytes into the message: the reply must stay valid JSON. */
	const char *t = json_string_value(json_object_get(args, "tunnel"));

	snprintf(err, errlen, "tunnel '%s' not found", t ? t : "");
	return IG_ENOENT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctl_cmds *t;
	enum ctl_action act;
	json_t *j, *ok;
	char *reply;

	if (!t) {
		log_set_target(LOG_TO_NONE, NULL);
		if (ctl_cmds_new(&t) != 0 || ctl_cmds_add(t, "echo", h_echo, NULL) != 0 ||
		    ctl_cmds_add(t, "fail", h_fail, NULL) != 0)
			abort();
	}
	if (ctl_dispatch(t, (const char *)data, size, &reply, &act) != 0 || !reply)
		abort();
	if (strchr(reply, '\n') != reply + strlen(reply) - 1)
		abort();
	if (!(j = json_loads(reply, 0, NULL)) || !json_is_object(j))
		abort();
	ok = json_object_get(j, "ok");
	if (!json_is_boolean(ok))
		abort();
	if (json_is_true(ok) ? !json_object_get(j, "result")
			     : !json_is_string(json_object_get(j, "error")))
		abort();
	json_decref(j);
	free(reply);
	log_set_all(LL_INFO);
	return 0;
}
