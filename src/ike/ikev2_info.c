/* SPDX-License-Identifier: MIT */
/*
 * INFORMATIONAL (RFC 7296 1.4, 1.5):
 *
 *   HDR, SK {[N,] [D,] ...}   -->
 *                             <--  HDR, SK {[N,] [D,] ...}
 *
 * An empty request is a liveness check (DPD) and gets an empty answer.
 * Delete of the IKE SA: answered empty, then the SA and its CHILD SAs go.
 * Delete of ESP SAs: answered with our inbound SPIs of the same CHILD SAs
 * (1.4.1).
 */
#include <stdlib.h>
#include <string.h>

#include "ike/ike_build.h"
#include "ike/ike_int.h"
#include "lib/err.h"

#define INFO_BUF 8192

static int respond(struct ike_sa *sa, uint8_t exchange, uint32_t msg_id, const uint32_t *spis,
		   size_t nspi, uint16_t notify)
{
	uint8_t inner[INFO_BUF];
	struct ike_bld b;
	struct buf_wr w;
	size_t len = 0;
	uint8_t first = 0;
	int r;

	buf_wr_init(&w, inner, sizeof(inner));
	if ((r = ike_bld_init_inner(&b, &w)) != 0)
		return r;
	if (nspi && (r = ike_bld_delete(&b, IKEV2_PROTO_ESP, spis, nspi)) != 0)
		return r;
	if (notify && (r = ike_bld_notify_simple(&b, notify, NULL, 0)) != 0)
		return r;
	if ((r = ike_bld_end(&b, &len, &first)) != 0)
		return r;
	return ike_send_response(sa, exchange, msg_id, inner, len, first);
}

void ike_info_on_request(struct ike_sa *sa, struct ike_msg *m)
{
	uint32_t ours[64];
	size_t nours = 0;
	bool delete_ike = false;

	for (size_t i = 0; i < m->npl; i++) {
		struct ike_delete d;

		if (m->pl[i].type != IKEV2_PL_DELETE || !m->pl[i].inner ||
		    ike_pl_delete_parse(m->pl[i].body, &d, NULL) != 0)
			continue;
		if (d.proto == IKEV2_PROTO_IKE) {
			delete_ike = true;
			continue;
		}
		if (d.proto != IKEV2_PROTO_ESP)
			continue;
		for (size_t k = 0; k < d.nspi; k++) {
			/* The peer names its inbound SPI: our outbound one. */
			struct ike_child *c = ike_child_find_out(sa, ike_delete_spi(&d, k));

			if (!c)
				continue;
			if (nours < sizeof(ours) / sizeof(ours[0]))
				ours[nours++] = c->spi_in;
			sa_log(sa, LL_INFO, "peer deleted CHILD SA {%u} (SPIs %08x_i %08x_o)", c->serial,
			       c->spi_in, c->spi_out);
			ike_child_free(sa, c, true);
		}
	}
	if (delete_ike) {
		respond(sa, IKEV2_EXCH_INFORMATIONAL, m->hdr.msg_id, NULL, 0, 0);
		ike_rekey_ike_old_deleted(sa);
		ike_sa_destroy(sa, "peer deleted it");
		return;
	}
	respond(sa, IKEV2_EXCH_INFORMATIONAL, m->hdr.msg_id, ours, nours, 0);
}

void ike_info_on_response(struct ike_sa *sa, struct ike_msg *m)
{
	(void)m;
	if (sa->req.is_delete || sa->state == IKE_S_DELETING) {
		ike_sa_destroy(sa, "deleted");
		return;
	}
	if (sa->req.kind == REQ_DELETE_CHILD) {
		/* 1.4.1: the answer deletes the other halves; ours go now. */
		struct ike_child *c = sa->children, *next;

		for (; c; c = next) {
			next = c->next;
			if (c->state == CHILD_S_DELETING) {
				sa_log(sa, LL_INFO, "CHILD SA {%u} deleted (SPIs %08x_i %08x_o)",
				       c->serial, c->spi_in, c->spi_out);
				ike_child_free(sa, c, true);
			}
		}
	}
}

int ike_info_delete_children(struct ike_sa *sa)
{
	uint8_t inner[INFO_BUF];
	uint32_t spis[64];
	size_t n = 0, len = 0;
	struct ike_bld b;
	struct buf_wr w;
	uint8_t first = 0;
	int r;

	if (sa->req.active)
		return IG_EAGAIN;
	for (struct ike_child *c = sa->children; c && n < 64; c = c->next)
		if (c->delete_wanted)
			spis[n++] = c->spi_in;
	if (n == 0)
		return 0;
	buf_wr_init(&w, inner, sizeof(inner));
	if ((r = ike_bld_init_inner(&b, &w)) != 0 ||
	    (r = ike_bld_delete(&b, IKEV2_PROTO_ESP, spis, n)) != 0 ||
	    (r = ike_bld_end(&b, &len, &first)) != 0 ||
	    (r = ike_send_request(sa, IKEV2_EXCH_INFORMATIONAL, inner, len, first)) != 0) {
		sa_log(sa, LL_ERROR, "cannot send the Delete of %zu CHILD SA(s): %s", n,
		       ig_strerror(r));
		return r;
	}
	sa->req.kind = REQ_DELETE_CHILD;
	for (struct ike_child *c = sa->children; c; c = c->next)
		if (c->delete_wanted) {
			c->delete_wanted = false;
			c->state = CHILD_S_DELETING;
			c->t_rekey = c->t_expire = 0;
			sa_log(sa, LL_INFO, "deleting CHILD SA {%u} (SPIs %08x_i %08x_o)",
			       c->serial, c->spi_in, c->spi_out);
		}
	return 0;
}

int ike_info_dpd(struct ike_sa *sa, uint64_t timeout_ms)
{
	uint8_t none[1] = {0};
	int r;

	if ((r = ike_send_request(sa, IKEV2_EXCH_INFORMATIONAL, none, 0, IKEV2_PL_NONE)) != 0)
		return r;
	sa->req.kind = REQ_DPD;
	sa->req.deadline = timeout_ms ? ike_now(sa->e) + timeout_ms : 0;
	if (sa->req.deadline && sa->t_retransmit > sa->req.deadline)
		sa->t_retransmit = sa->req.deadline;
	return 0;
}

int ike_info_delete_ike(struct ike_sa *sa)
{
	uint8_t inner[64];
	struct ike_bld b;
	struct buf_wr w;
	size_t len = 0;
	uint8_t first = 0;
	int r;

	if (sa->state == IKE_S_DELETING || sa->state == IKE_S_DEAD)
		return 0;
	if (sa->req.active) {
		/* Window 1: cannot send now; without an answer pending the peer
		 * will notice through DPD. Take our side down. */
		ike_sa_destroy(sa, "deleted locally");
		return 0;
	}
	buf_wr_init(&w, inner, sizeof(inner));
	if ((r = ike_bld_init_inner(&b, &w)) != 0 ||
	    (r = ike_bld_delete(&b, IKEV2_PROTO_IKE, NULL, 0)) != 0 ||
	    (r = ike_bld_end(&b, &len, &first)) != 0 ||
	    (r = ike_send_request(sa, IKEV2_EXCH_INFORMATIONAL, inner, len, first)) != 0) {
		ike_sa_destroy(sa, "deleted locally");
		return r;
	}
	sa->req.is_delete = true;
	sa->req.kind = REQ_DELETE_IKE;
	/* The IKE SA and its CHILD SAs wait for the answer: until the peer
	 * has it, it may still send with them (make-before-break, 1.4.1). */
	sa->closing = true;
	ike_life_sa_closing(sa);
	ike_sa_state(sa, IKE_S_DELETING);
	return 0;
}
