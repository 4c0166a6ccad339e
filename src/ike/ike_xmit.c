/* SPDX-License-Identifier: MIT */
/*
 * Sending IKE messages (RFC 7296 2.1-2.4): our requests, kept until their
 * response arrives and retransmitted with exponential backoff, and our
 * responses, cached so that a retransmitted request gets the very same
 * bytes again without being processed twice.
 */
#include <stdlib.h>
#include <string.h>

#include "ike/ike_int.h"
#include "ike/ike_names.h"
#include "lib/err.h"

#define IKE_MSG_BUF 65536

void ike_sendto(struct ike_engine *e, const struct ike_endpoint *local,
		const struct ike_endpoint *remote, const uint8_t *msg, size_t len)
{
	e->io.send(e->io.ctx, local, remote, msg, len);
}

static int keep(uint8_t **dst, size_t *dst_len, const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len);

	if (!p)
		return IG_ENOMEM;
	memcpy(p, src, len);
	free(*dst);
	*dst = p;
	*dst_len = len;
	return 0;
}

/* 2.4: 2 s, then x2 each time; with 5 tries the SA gives up after ~62 s. */
static uint64_t backoff(const struct ike_sa *sa)
{
	uint64_t t = sa->e->p.retransmit_ms;

	for (unsigned i = 0; i < sa->req.tries && i < 16; i++)
		t *= 2;
	return t;
}

int ike_send_request_raw(struct ike_sa *sa, uint8_t exchange, const uint8_t *msg, size_t len)
{
	int r;

	if ((r = keep(&sa->req.buf, &sa->req.len, msg, len)) != 0)
		return r;
	sa->req.exchange = exchange;
	sa->req.msg_id = sa->next_msg_id;
	sa->req.tries = 0;
	sa->req.active = true;
	sa->req.is_delete = false;
	sa->req.kind = REQ_OTHER;
	sa->req.deadline = 0;
	/* Once up, no request waits longer than dpd.timeout for its answer:
	 * a peer that died during a rekey is found as soon as by DPD. */
	if (sa->established_at && sa->t && sa->t->dpd.action != CFG_DPD_NONE &&
	    sa->t->dpd.timeout_s)
		sa->req.deadline = ike_now(sa->e) + (uint64_t)sa->t->dpd.timeout_s * 1000;
	ike_sendto(sa->e, &sa->local, &sa->remote, msg, len);
	sa->t_retransmit = ike_now(sa->e) + backoff(sa);
	if (sa->req.deadline && sa->t_retransmit > sa->req.deadline)
		sa->t_retransmit = sa->req.deadline;
	return 0;
}

int ike_send_request(struct ike_sa *sa, uint8_t exchange, const uint8_t *inner, size_t len,
		     uint8_t first)
{
	uint8_t *buf = malloc(IKE_MSG_BUF);
	struct buf_wr w;
	int r;

	if (!buf)
		return IG_ENOMEM;
	if (sa->req.active) {
		/* Window size 1 (2.3): one request at a time. */
		free(buf);
		return IG_EAGAIN;
	}
	buf_wr_init(&w, buf, IKE_MSG_BUF);
	if ((r = ike_sk_seal(sa, exchange, false, sa->next_msg_id, inner, len, first, &w)) == 0)
		r = ike_send_request_raw(sa, exchange, buf, buf_wr_len(&w));
	free(buf);
	return r;
}

int ike_send_response_raw(struct ike_sa *sa, const uint8_t *msg, size_t len)
{
	int r;

	if ((r = keep(&sa->resp_buf, &sa->resp_len, msg, len)) != 0)
		return r;
	sa->resp_valid = true;
	ike_sendto(sa->e, &sa->local, &sa->remote, msg, len);
	return 0;
}

int ike_send_response(struct ike_sa *sa, uint8_t exchange, uint32_t msg_id,
		      const uint8_t *inner, size_t len, uint8_t first)
{
	uint8_t *buf = malloc(IKE_MSG_BUF);
	struct buf_wr w;
	int r;

	if (!buf)
		return IG_ENOMEM;
	buf_wr_init(&w, buf, IKE_MSG_BUF);
	if ((r = ike_sk_seal(sa, exchange, true, msg_id, inner, len, first, &w)) == 0)
		r = ike_send_response_raw(sa, buf, buf_wr_len(&w));
	free(buf);
	return r;
}

void ike_request_done(struct ike_sa *sa)
{
	sa->req.active = false;
	sa->t_retransmit = 0;
	sa->next_msg_id++;
}

void ike_xmit_timer(struct ike_sa *sa, uint64_t now)
{
	if (!sa->req.active || !sa->t_retransmit || now < sa->t_retransmit)
		return;
	if (sa->req.tries >= sa->e->p.retransmit_tries ||
	    (sa->req.deadline && now >= sa->req.deadline)) {
		sa->t_retransmit = 0;
		sa->req.active = false;
		if (sa->req.is_delete) {
			ike_sa_destroy(sa, "peer did not answer our Delete");
			return;
		}
		char a[ADDR_STRLEN];

		if (sa->req.kind == REQ_DPD) {
			sa_log(sa, LL_WARN,
			       "peer %s did not answer DPD for %u s (dpd.timeout): it is dead",
			       addr_format(&sa->remote.addr, a, sizeof(a)),
			       sa->t ? sa->t->dpd.timeout_s : 0);
			ike_life_dead_peer(sa, "DPD timeout");
			return;
		}
		if (sa->req.deadline && now >= sa->req.deadline)
			sa_log(sa, LL_WARN,
			       "peer %s did not answer our %s request within %u s "
			       "(dpd.timeout): giving up",
			       addr_format(&sa->remote.addr, a, sizeof(a)),
			       ike_exchange_name(sa->req.exchange, NULL),
			       sa->t ? sa->t->dpd.timeout_s : 0);
		else
			sa_log(sa, LL_WARN,
			       "peer %s did not answer our %s request after %u retransmissions: "
			       "giving up",
			       addr_format(&sa->remote.addr, a, sizeof(a)),
			       ike_exchange_name(sa->req.exchange, NULL), sa->req.tries);
		ike_life_dead_peer(sa, "retransmission limit reached");
		return;
	}
	sa->req.tries++;
	log_debug(LS_IKE, "%s[%u]: retransmit %u of message %u", sa->tname, sa->serial,
		  sa->req.tries, sa->req.msg_id);
	ike_sendto(sa->e, &sa->local, &sa->remote, sa->req.buf, sa->req.len);
	sa->t_retransmit = now + backoff(sa);
	if (sa->req.deadline && sa->t_retransmit > sa->req.deadline)
		sa->t_retransmit = sa->req.deadline;
}
