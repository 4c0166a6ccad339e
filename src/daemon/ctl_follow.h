/* SPDX-License-Identifier: MIT */
/*
 * Log streams for "log-follow" clients (internal to the control server).
 *
 * lib/log calls its listeners on whatever thread logs, datapath workers
 * included, so a listener never touches libevent: it formats the line,
 * appends it to its follower's pending buffer under a mutex and wakes the
 * control loop through an eventfd. The loop moves pending lines into the
 * client's socket buffer. Nothing ever waits for a client: when either
 * buffer is full, lines are dropped and counted, and the client gets
 * {"dropped": N} before the next line that fits.
 *
 * Follower slots live as long as the server, so a listener call racing
 * with a disconnect on another thread touches valid (inactive) memory.
 */
#ifndef IPSECGW_DAEMON_CTL_FOLLOW_H
#define IPSECGW_DAEMON_CTL_FOLLOW_H

struct event_base;
struct bufferevent;
struct ctl_follow;
struct ctl_follower;

/* Most concurrent followers; lib/log has 16 listener slots in all. */
#define CTL_FOLLOW_MAX 8
/* Per follower: lines waiting for the loop, and the socket backlog limit. */
#define CTL_FOLLOW_PENDING (64 * 1024)
#define CTL_FOLLOW_BACKLOG (256 * 1024)

int ctl_follow_new(struct ctl_follow **out, struct event_base *base);
/* Stops every stream (the clients' bufferevents are the caller's). */
void ctl_follow_free(struct ctl_follow *f);

/* Streams log lines into bev from now on; IG_ENOSPC when all slots are busy. */
int ctl_follow_start(struct ctl_follow *f, struct bufferevent *bev, struct ctl_follower **out);
/* The client is gone: no more lines into its bufferevent. */
void ctl_follow_stop(struct ctl_follower *fl);
/* bev's output drained: send a pending {"dropped": N} and any waiting lines. */
void ctl_follow_drained(struct ctl_follower *fl);

#endif
