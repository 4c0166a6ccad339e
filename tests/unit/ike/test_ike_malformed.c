/* SPDX-License-Identifier: MIT */
/*
 * Malformed IKEv2 input, one table row per defect: each row is a payload
 * chain (hex) behind a generated header (or a raw datagram, or a decrypted
 * SK chain) and the exact error code, notify and message it must produce.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ike/ike_msg.h"
#include "ike/ikev2_wire.h"
#include "lib/buf.h"
#include "lib/err.h"

enum mode { CLEAR, INNER, RAW };

struct row {
	const char *name;
	enum mode mode;
	uint8_t exch;  /* 0 = IKE_SA_INIT */
	uint8_t first; /* header Next Payload, or the first inner type */
	uint8_t ver;   /* 0 = 0x20 */
	bool zero_spi;
	int len_adj; /* added to the header's Length field */
	const char *hex;
	unsigned repeat; /* hex repeated this many times (0 = once) */
	int code;
	uint16_t notify;
	const char *msg; /* NULL: must parse */
	uint8_t pl_type; /* expected err.pl_type */
};

#define N16	"000102030405060708090a0b0c0d0e0f"
#define SYN	IKEV2_N_INVALID_SYNTAX
#define AUTH	IKEV2_EXCH_IKE_AUTH
#define XF_ENCR "00 00 0008 01 00 000c"

static const struct row rows[] = {
	{.name = "empty datagram",
	 .mode = RAW,
	 .hex = "",
	 .code = IG_ETRUNC,
	 .msg = "header: datagram of 0 bytes shorter than IKE header (28)"},
	{.name = "truncated header",
	 .mode = RAW,
	 .hex = "0102030405060708 0000000000000000 21 20 22 08 000000",
	 .code = IG_ETRUNC,
	 .msg = "header: datagram of 23 bytes shorter than IKE header (28)"},
	{.name = "length field mismatch",
	 .first = 40,
	 .len_adj = 4,
	 .hex = "00 00 0014" N16,
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "header: length field 52 does not match datagram length 48"},
	{.name = "major version 3",
	 .first = 40,
	 .ver = 0x30,
	 .hex = "00 00 0014" N16,
	 .code = IG_ENOTSUP,
	 .notify = IKEV2_N_INVALID_MAJOR_VERSION,
	 .msg = "header: major version 3 not supported (2)"},
	{.name = "IKEv1 header",
	 .first = 1,
	 .ver = 0x10,
	 .hex = "",
	 .code = IG_ENOTSUP,
	 .notify = IKEV2_N_INVALID_MAJOR_VERSION,
	 .msg = "header: major version 1 not supported (2)"},
	{.name = "unknown exchange",
	 .exch = 99,
	 .hex = "",
	 .code = IG_ENOTSUP,
	 .msg = "header: exchange type UNKNOWN_EXCHANGE(99) not supported"},
	{.name = "zero initiator SPI",
	 .zero_spi = true,
	 .first = 40,
	 .hex = "00 00 0014" N16,
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "header: initiator SPI is zero"},
	{.name = "payload length < 4",
	 .first = 40,
	 .hex = "00 00 0003",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "payload 1 (Ni/Nr): length 3 shorter than generic header (4)"},
	{.name = "payload past end",
	 .first = 40,
	 .hex = "00 00 0020" N16,
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "payload 1 (Ni/Nr): length 32 past end of message (20 bytes left)"},
	{.name = "generic header cut",
	 .first = 40,
	 .hex = "22 00 0014" N16 "0000",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "payload 2 (KE): 2 bytes left, shorter than generic header (4)"},
	{.name = "trailing bytes",
	 .first = 40,
	 .hex = "00 00 0014" N16 "00000000",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "4 trailing bytes after last payload"},
	{.name = "critical unknown payload",
	 .first = 200,
	 .hex = "00 80 0008 deadbeef",
	 .code = IG_ENOTSUP,
	 .notify = IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
	 .msg = "payload 1: unsupported payload type 200 marked critical",
	 .pl_type = 200},
	{.name = "non-critical unknown payload skipped",
	 .first = 200,
	 .hex = "28 00 0008 deadbeef 00 00 0014" N16},
	{.name = "G-IKEv2 payload is unknown to us",
	 .first = 50,
	 .hex = "00 80 0004",
	 .code = IG_ENOTSUP,
	 .notify = IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
	 .msg = "payload 1: unsupported payload type 50 marked critical",
	 .pl_type = 50},
	{.name = "SK not last",
	 .exch = AUTH,
	 .first = 46,
	 .hex = "27 00 0008 aabbccdd 00000000",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "payload 1 (SK): not last, 4 bytes follow"},
	{.name = "IDi in the clear of IKE_AUTH",
	 .exch = AUTH,
	 .first = 35,
	 .hex = "00 00 000c 01 000000 c0000201",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "IKE_AUTH: payload 1 (IDi) outside SK (RFC 7296 3.14)"},
	{.name = "Nonce in the clear of CREATE_CHILD_SA",
	 .exch = IKEV2_EXCH_CREATE_CHILD_SA,
	 .first = 40,
	 .hex = "00 00 0014" N16,
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "CREATE_CHILD_SA: payload 1 (Ni/Nr) outside SK (RFC 7296 3.14)"},
	{.name = "IDi in IKE_SA_INIT",
	 .first = 40,
	 .hex = "23 00 0014" N16 "00 00 000c 01 000000 c0000201",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "IKE_SA_INIT: payload 2 (IDi) only allowed inside SK"},
	{.name = "Delete in IKE_SA_INIT",
	 .first = 42,
	 .hex = "00 00 0008 01 00 0000",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "IKE_SA_INIT: payload 1 (D) only allowed inside SK"},
	{.name = "SK in IKE_SA_INIT",
	 .first = 46,
	 .hex = "27 00 0008 aabbccdd",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "IKE_SA_INIT: payload 1 (SK) not allowed"},
	{.name = "IKE_AUTH without SK",
	 .exch = AUTH,
	 .hex = "",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "IKE_AUTH: no SK payload"},
	{.name = "too many payloads",
	 .first = 43,
	 .hex = "2b 00 0005 aa",
	 .repeat = 65,
	 .code = IG_ERANGE,
	 .notify = SYN,
	 .msg = "payload 65 (V): more than 64 payloads"},
	{.name = "too many notifies",
	 .first = 41,
	 .hex = "29 00 0008 00 00 4000",
	 .repeat = 33,
	 .code = IG_ERANGE,
	 .notify = SYN,
	 .msg = "payload 33 (N): more than 32 notify payloads"},
	{.name = "SA empty",
	 .first = 33,
	 .hex = "00 00 0004",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "SA payload: empty, no proposals"},
	{.name = "ESP proposal SPI size 3",
	 .first = 33,
	 .hex = "00 00 0017  00 00 0013 01 03 03 01 aabbcc" XF_ENCR,
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "SA payload: proposal 1: SPI size 3 wrong for protocol ESP (4)"},
	{.name = "IKE proposal SPI size 4",
	 .first = 33,
	 .hex = "00 00 0018  00 00 0014 01 01 04 01 aabbccdd" XF_ENCR,
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "SA payload: proposal 1: SPI size 4 wrong for protocol IKE (8)"},
	{.name = "proposal protocol unknown",
	 .first = 33,
	 .hex = "00 00 0014  00 00 0010 01 09 00 01" XF_ENCR,
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "SA payload: proposal 1: protocol UNKNOWN_PROTOCOL(9)"},
	{.name = "proposal says more, payload ends",
	 .first = 33,
	 .hex = "00 00 0014  02 00 0010 01 01 00 01" XF_ENCR,
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "SA payload: proposal 1: says more proposals follow, but the payload ends"},
	{.name = "proposal length past SA end",
	 .first = 33,
	 .hex = "00 00 0014  00 00 0040 01 01 00 01" XF_ENCR,
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "SA payload: proposal 1: length 64 past end of payload (16 bytes left)"},
	{.name = "transform 3 shorter than its header",
	 .first = 33,
	 .hex = "00 00 0024  00 00 0020 01 01 00 03  03 00 0008 01 00 000c"
		"03 00 0008 03 00 000c  00 00 0006 02 00 0005",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "SA payload: proposal 1 transform 3: length 6 shorter than transform header (8)"},
	{.name = "transform count mismatch",
	 .first = 33,
	 .hex = "00 00 0014  00 00 0010 01 01 00 02" XF_ENCR,
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "SA payload: proposal 1 transform 1: last-substructure says last, but the "
		"proposal has 2 transforms"},
	{.name = "transform last-substructure 5",
	 .first = 33,
	 .hex = "00 00 0014  00 00 0010 01 01 00 01  05 00 0008 01 00 000c",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "SA payload: proposal 1 transform 1: last-substructure 5 (0 or 3)"},
	{.name = "transform attribute truncated",
	 .first = 33,
	 .hex = "00 00 0016  00 00 0012 01 01 00 01  00 00 000a 01 00 000c 800e",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "SA payload: proposal 1 transform 1 attribute 1: 2 bytes shorter than attribute "
		"header (4)"},
	{.name = "TLV attribute past transform end",
	 .first = 33,
	 .hex = "00 00 0018  00 00 0014 01 01 00 01  00 00 000c 01 00 000c 0001 0008",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "SA payload: proposal 1 transform 1 attribute 1: length 8 past end of transform "
		"(0 bytes left)"},
	{.name = "nonce of 8 bytes",
	 .first = 40,
	 .hex = "00 00 000c 0001020304050607",
	 .code = IG_ERANGE,
	 .notify = SYN,
	 .msg = "Nonce payload: 8 bytes, must be 16..256"},
	{.name = "KE without data",
	 .first = 34,
	 .hex = "00 00 0008 0002 0000",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "KE payload: no key exchange data"},
	{.name = "NAT-D of 19 bytes",
	 .first = 41,
	 .hex = "00 00 001b 00 00 4004" N16 "aabbcc",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "N(NAT_DETECTION_SOURCE_IP): data of 19 bytes, must be 20 (SHA-1)"},
	{.name = "empty COOKIE",
	 .first = 41,
	 .hex = "00 00 0008 00 00 4006",
	 .code = IG_ERANGE,
	 .notify = SYN,
	 .msg = "N(COOKIE): data of 0 bytes, must be 1..64"},
	{.name = "INVALID_KE_PAYLOAD of 3 bytes",
	 .first = 41,
	 .hex = "00 00 000b 00 00 0011 000e00",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "N(INVALID_KE_PAYLOAD): data of 3 bytes, must be 2 (the group)"},
	{.name = "notify SPI size 5",
	 .first = 41,
	 .hex = "00 00 000d 03 05 4000 0102030405",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "N payload: SPI size 5 (0, 4 or 8)"},
	{.name = "notify SPI past end",
	 .first = 41,
	 .hex = "00 00 000a 03 04 4000 0102",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "N payload: body of 6 bytes too short for SPI of 4 bytes"},
	{.name = "SIGNATURE_HASH_ALGORITHMS odd",
	 .first = 41,
	 .hex = "00 00 000b 00 00 402f 000203",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "N(SIGNATURE_HASH_ALGORITHMS): data of 3 bytes, must be a non-empty list of "
		"2-byte IDs"},
	{.name = "SKF fragment number 0",
	 .exch = AUTH,
	 .first = 53,
	 .hex = "00 00 000c 0000 0002 aabbccdd",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "SKF payload: fragment number 0 of total 2"},
	{.name = "SKF without fragment header",
	 .exch = AUTH,
	 .first = 53,
	 .hex = "00 00 0006 0001",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "SKF payload: body of 2 bytes shorter than fragment header (4)"},
	/* Decrypted chains (ike_msg_parse_inner). */
	{.name = "TS start > end",
	 .mode = INNER,
	 .first = 44,
	 .hex = "00 00 0018 01 000000  07 00 0010 0000 ffff 0a000009 0a000001",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "TS payload: selector 1: start address 10.0.0.9 > end address 10.0.0.1"},
	{.name = "TS start port > end port",
	 .mode = INNER,
	 .first = 44,
	 .hex = "00 00 0018 01 000000  07 00 0010 0050 0010 0a000001 0a000009",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "TS payload: selector 1: start port 80 > end port 16"},
	{.name = "TS IPv4 of length 40",
	 .mode = INNER,
	 .first = 45,
	 .hex = "00 00 0030 01 000000  07 00 0028 0000 ffff" N16 N16,
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "TS payload: selector 1: TS_IPV4_ADDR_RANGE of length 40, must be 16"},
	{.name = "TS without selectors",
	 .mode = INNER,
	 .first = 44,
	 .hex = "00 00 0008 00 000000",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "TS payload: no traffic selectors"},
	{.name = "TS with 17 selectors",
	 .mode = INNER,
	 .first = 44,
	 .hex = "00 00 0008 11 000000",
	 .code = IG_ERANGE,
	 .notify = SYN,
	 .msg = "TS payload: 17 traffic selectors, more than 16"},
	{.name = "ID IPv4 of 5 bytes",
	 .mode = INNER,
	 .first = 35,
	 .hex = "00 00 000d 01 000000 c000020101",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "ID payload: IPV4_ADDR of 5 bytes, must be 4"},
	{.name = "ID IPv6 of 4 bytes",
	 .mode = INNER,
	 .first = 36,
	 .hex = "00 00 000c 05 000000 20010db8",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "ID payload: IPV6_ADDR of 4 bytes, must be 16"},
	{.name = "AUTH without data",
	 .mode = INNER,
	 .first = 39,
	 .hex = "00 00 0008 02 000000",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "AUTH payload: no data"},
	{.name = "REKEY_SA without SPI",
	 .mode = INNER,
	 .first = 41,
	 .hex = "00 00 0008 00 00 4009",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "N(REKEY_SA): protocol 0 with SPI size 0, must be ESP/AH with 4"},
	{.name = "Delete SPIs short",
	 .mode = INNER,
	 .first = 42,
	 .hex = "00 00 000c 03 04 0002 aabbccdd",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "D payload: 4 bytes of SPIs, 2 SPIs of 4 bytes need 8"},
	{.name = "Delete IKE with SPI size 8",
	 .mode = INNER,
	 .first = 42,
	 .hex = "00 00 0008 01 08 0000",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "D payload: IKE with SPI size 8 and 0 SPIs (must be 0, 0)"},
	{.name = "Delete unknown protocol",
	 .mode = INNER,
	 .first = 42,
	 .hex = "00 00 000c 07 04 0001 aabbccdd",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "D payload: protocol UNKNOWN_PROTOCOL(7)"},
	{.name = "CP attribute past end",
	 .mode = INNER,
	 .first = 47,
	 .hex = "00 00 000c 01 000000 0001 0008",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "CP payload: attribute 1: length 8 past end of payload (0 bytes left)"},
	{.name = "CP type 7",
	 .mode = INNER,
	 .first = 47,
	 .hex = "00 00 0008 07 000000",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "CP payload: CFG type 7 (1..4)"},
	{.name = "SK inside SK",
	 .mode = INNER,
	 .first = 46,
	 .hex = "00 00 0008 aabbccdd",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "SK: payload 1 (SK) inside SK"},
	{.name = "inner payload past end",
	 .mode = INNER,
	 .first = 39,
	 .hex = "00 00 0064 02 000000 aabbccdd",
	 .code = IG_ETRUNC,
	 .notify = SYN,
	 .msg = "SK: payload 1 (AUTH): length 100 past end of message (12 bytes left)"},
	{.name = "inner critical unknown",
	 .mode = INNER,
	 .first = 200,
	 .hex = "00 80 0004",
	 .code = IG_ENOTSUP,
	 .notify = IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
	 .msg = "SK: payload 1: unsupported payload type 200 marked critical",
	 .pl_type = 200},
	{.name = "inner trailing bytes",
	 .mode = INNER,
	 .first = 43,
	 .hex = "00 00 0005 aa 0000",
	 .code = IG_EINVAL,
	 .notify = SYN,
	 .msg = "SK: 2 trailing bytes after last payload"},
};

static size_t unhex_rep(const struct row *r, uint8_t *out, size_t cap)
{
	unsigned n = r->repeat ? r->repeat : 1;
	size_t len = 0;

	for (unsigned i = 0; i < n; i++) {
		int k = buf_unhex(r->hex, out + len, cap - len);

		assert_true(k >= 0);
		len += (size_t)k;
	}
	return len;
}

static bool run_row(const struct row *r)
{
	static uint8_t pkt[8192];
	struct ike_parse_err err;
	struct ike_msg m;
	size_t len;
	int got;

	memset(&err, 0, sizeof(err));
	if (r->mode == RAW) {
		len = unhex_rep(r, pkt, sizeof(pkt));
		got = ike_msg_parse(pkt, len, &m, &err);
	} else if (r->mode == INNER) {
		len = unhex_rep(r, pkt, sizeof(pkt));
		memset(&m, 0, sizeof(m));
		m.hdr.exchange = IKEV2_EXCH_IKE_AUTH;
		got = ike_msg_parse_inner(r->first, pkt, len, &m, &err);
	} else {
		struct buf_wr w;

		len = IKEV2_HDR_LEN +
		      unhex_rep(r, pkt + IKEV2_HDR_LEN, sizeof(pkt) - IKEV2_HDR_LEN);
		buf_wr_init(&w, pkt, IKEV2_HDR_LEN);
		buf_put_u64(&w, r->zero_spi ? 0 : 0x0102030405060708ull);
		buf_put_u64(&w, 0);
		buf_put_u8(&w, r->first);
		buf_put_u8(&w, r->ver ? r->ver : IKEV2_VERSION);
		buf_put_u8(&w, r->exch ? r->exch : IKEV2_EXCH_IKE_SA_INIT);
		buf_put_u8(&w, IKEV2_FLAG_INITIATOR);
		buf_put_u32(&w, 0);
		buf_put_u32(&w, (uint32_t)((int)len + r->len_adj));
		got = ike_msg_parse(pkt, len, &m, &err);
	}
	if (got != r->code) {
		print_error("row \"%s\": code %d, want %d (%s)\n", r->name, got, r->code, err.msg);
		return false;
	}
	if (!r->msg)
		return true;
	if (strcmp(err.msg, r->msg) != 0) {
		print_error("row \"%s\":\n  got  \"%s\"\n  want \"%s\"\n", r->name, err.msg,
			    r->msg);
		return false;
	}
	if (err.notify != r->notify || err.pl_type != r->pl_type) {
		print_error("row \"%s\": notify %u pl_type %u, want %u %u\n", r->name, err.notify,
			    err.pl_type, r->notify, r->pl_type);
		return false;
	}
	return true;
}

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* One cmocka case per row, named after it, so TAP lists every defect. */
static void test_row(void **state)
{
	assert_true(run_row(*state));
}

/* The skipped row above parsed; it must have kept only the known payload. */
static void test_unknown_skipped(void **state)
{
	uint8_t pkt[128];
	struct ike_parse_err err;
	struct ike_msg m;
	int n = buf_unhex("0102030405060708 0000000000000000 c8 20 22 08 00000000 00000038"
			  "28 00 0008 deadbeef 00 00 0014" N16,
			  pkt, sizeof(pkt));

	assert_int_equal(n, 56);
	assert_int_equal(ike_msg_parse(pkt, (size_t)n, &m, &err), 0);
	assert_int_equal(m.npl, 1);
	assert_int_equal(m.nskipped, 1);
	assert_int_equal(m.pl[0].type, IKEV2_PL_NONCE);
	assert_int_equal(m.pl[0].body.len, 16);
}

static void test_oversize(void **state)
{
	static uint8_t pkt[IKE_MAX_MSG_LEN + 1];
	struct ike_parse_err err;
	struct ike_msg m;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 1;
	pkt[17] = IKEV2_VERSION;
	pkt[18] = IKEV2_EXCH_IKE_SA_INIT;
	assert_int_equal(ike_msg_parse(pkt, sizeof(pkt), &m, &err), IG_ERANGE);
	assert_string_equal(err.msg, "header: datagram of 65536 bytes longer than 65535");
}

/* An IKEv1 datagram comes back with its header filled, for the v1 engine. */
static void test_ikev1_header_kept(void **state)
{
	uint8_t pkt[28] = {1, 2, 3, 4, 5, 6, 7, 8, [16] = 1, [17] = 0x10, [18] = 2, [27] = 28};
	struct ike_hdr h;

	assert_int_equal(ike_hdr_parse(pkt, sizeof(pkt), &h, NULL), IG_ENOTSUP);
	assert_int_equal(h.major, 1);
	assert_int_equal(h.exchange, 2);
	assert_true(h.spi_i == 0x0102030405060708ull);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_unknown_skipped),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_ikev1_header_kept),
	};
	static struct CMUnitTest tests[NROWS + sizeof(fixed) / sizeof(fixed[0])];
	size_t n = 0;

	/* The table is the spec's list of defects; keep it from shrinking unnoticed. */
	if (NROWS < 30)
		return 1;
	for (size_t i = 0; i < NROWS; i++)
		tests[n++] = (struct CMUnitTest){.name = rows[i].name,
						 .test_func = test_row,
						 .initial_state = (void *)&rows[i]};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		tests[n++] = fixed[i];
	return _cmocka_run_group_tests("test_ike_malformed", tests, n, NULL, NULL);
}
