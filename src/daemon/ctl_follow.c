/* SPDX-License-Identifier: MIT */
#include "daemon/ctl_follow.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "daemon/ctl_proto.h"
#include "lib/err.h"
#include "lib/log.h"

struct ctl_follower {
	struct ctl_follow *set;
	pthread_mutex_t lock; /* guards everything below */
	bool active;
	struct bufferevent *bev; /* touched only on the loop thread */
	char *pend;		 /* CTL_FOLLOW_PENDING bytes of whole lines */
	size_t pend_len;
	unsigned long pend_lines;
	unsigned long dropped; /* not sent yet: both buffers count here */
};

struct ctl_follow {
	int efd; /* eventfd: listeners wake the loop */
	struct event *ev;
	struct ctl_follower slot[CTL_FOLLOW_MAX];
};

/* lib/log listener: any thread. */
static void on_log(void *ctx, enum log_subsys s, enum log_level l, const char *text)
{
	struct ctl_follower *fl = ctx;
	struct timespec ts;
	bool wake = false;
	char *line;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	line = ctl_log_line(s, l, text, (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	n = line ? strlen(line) : 0;
	pthread_mutex_lock(&fl->lock);
	if (fl->active) {
		if (!line || fl->pend_len + n > CTL_FOLLOW_PENDING) {
			fl->dropped++;
		} else {
			wake = fl->pend_len == 0;
			memcpy(fl->pend + fl->pend_len, line, n);
			fl->pend_len += n;
			fl->pend_lines++;
		}
	}
	pthread_mutex_unlock(&fl->lock);
	free(line);
	if (wake) {
		uint64_t one = 1;

		/* Only fails when the counter is saturated: then a wakeup is pending anyway. */
		if (write(fl->set->efd, &one, sizeof(one)) < 0)
			(void)errno;
	}
}

/* Loop thread, with fl->lock held. */
static void flush(struct ctl_follower *fl)
{
	struct evbuffer *out;
	char *marker;

	if (!fl->active || !fl->bev)
		return;
	out = bufferevent_get_output(fl->bev);
	if (evbuffer_get_length(out) > CTL_FOLLOW_BACKLOG) {
		fl->dropped += fl->pend_lines;
	} else {
		if (fl->dropped && (marker = ctl_dropped_line(fl->dropped))) {
			if (evbuffer_add(out, marker, strlen(marker)) == 0)
				fl->dropped = 0;
			free(marker);
		}
		if (fl->pend_len && evbuffer_add(out, fl->pend, fl->pend_len) != 0)
			fl->dropped += fl->pend_lines;
	}
	fl->pend_len = 0;
	fl->pend_lines = 0;
}

static void on_wake(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_follow *f = arg;
	uint64_t n;

	if (read(fd, &n, sizeof(n)) < 0)
		(void)errno; /* EAGAIN: a spurious wakeup */
	for (int i = 0; i < CTL_FOLLOW_MAX; i++) {
		pthread_mutex_lock(&f->slot[i].lock);
		flush(&f->slot[i]);
		pthread_mutex_unlock(&f->slot[i].lock);
	}
}

int ctl_follow_new(struct ctl_follow **out, struct event_base *base)
{
	struct ctl_follow *f = calloc(1, sizeof(*f));
	int i;

	*out = NULL;
	if (!f)
		return IG_ENOMEM;
	for (i = 0; i < CTL_FOLLOW_MAX; i++) {
		f->slot[i].set = f;
		pthread_mutex_init(&f->slot[i].lock, NULL);
	}
	if ((f->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
		log_error(LS_CTL, "ctl_follow_new: eventfd: %s", strerror(errno));
		free(f);
		return IG_EIO;
	}
	if (!(f->ev = event_new(base, f->efd, EV_READ | EV_PERSIST, on_wake, f)) ||
	    event_add(f->ev, NULL) != 0) {
		ctl_follow_free(f);
		return IG_ENOMEM;
	}
	*out = f;
	return 0;
}

void ctl_follow_free(struct ctl_follow *f)
{
	if (!f)
		return;
	for (int i = 0; i < CTL_FOLLOW_MAX; i++) {
		ctl_follow_stop(&f->slot[i]);
		pthread_mutex_destroy(&f->slot[i].lock);
		free(f->slot[i].pend);
	}
	if (f->ev)
		event_free(f->ev);
	close(f->efd);
	free(f);
}

int ctl_follow_start(struct ctl_follow *f, struct bufferevent *bev, struct ctl_follower **out)
{
	struct ctl_follower *fl = NULL;
	int r;

	for (int i = 0; i < CTL_FOLLOW_MAX && !fl; i++)
		if (!f->slot[i].bev)
			fl = &f->slot[i];
	if (!fl)
		return IG_ENOSPC;
	/* Allocated once per slot and kept: a late listener call may still write it. */
	if (!fl->pend && !(fl->pend = malloc(CTL_FOLLOW_PENDING)))
		return IG_ENOMEM;
	pthread_mutex_lock(&fl->lock);
	fl->bev = bev;
	fl->active = true;
	fl->pend_len = 0;
	fl->pend_lines = 0;
	fl->dropped = 0;
	pthread_mutex_unlock(&fl->lock);
	if ((r = log_add_listener(on_log, fl)) != 0) {
		pthread_mutex_lock(&fl->lock);
		fl->active = false;
		fl->bev = NULL;
		pthread_mutex_unlock(&fl->lock);
		return r;
	}
	*out = fl;
	return 0;
}

void ctl_follow_stop(struct ctl_follower *fl)
{
	if (!fl || !fl->bev)
		return;
	log_remove_listener(on_log, fl);
	pthread_mutex_lock(&fl->lock);
	fl->active = false;
	fl->bev = NULL;
	fl->pend_len = 0;
	fl->pend_lines = 0;
	fl->dropped = 0;
	pthread_mutex_unlock(&fl->lock);
}

void ctl_follow_drained(struct ctl_follower *fl)
{
	pthread_mutex_lock(&fl->lock);
	flush(fl);
	pthread_mutex_unlock(&fl->lock);
}
