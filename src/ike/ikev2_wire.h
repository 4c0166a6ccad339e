/* SPDX-License-Identifier: MIT */
/*
 * IKEv2 wire constants (RFC 7296 and the IANA "IKEv2 Parameters" registry):
 * every number and limit of the protocol lives here and nowhere else.
 *
 * The registries are X-macro lists, X(symbol, value): the enums below and
 * the number-to-name tables in ike_names.c are both generated from them, so
 * a name can never drift from its number. Transform IDs (encryption, PRF,
 * integrity, DH group, ESN) are the ALG_* values of crypto/alg.h.
 */
#ifndef IPSECGW_IKE_IKEV2_WIRE_H
#define IPSECGW_IKE_IKEV2_WIRE_H

/* Fixed header (RFC 7296 3.1). */
#define IKEV2_HDR_LEN	    28
#define IKEV2_GEN_HDR_LEN   4 /* generic payload header (3.2) */
#define IKEV2_MAJOR_VERSION 2
#define IKEV2_MINOR_VERSION 0
#define IKEV2_VERSION	    (IKEV2_MAJOR_VERSION << 4 | IKEV2_MINOR_VERSION)
#define IKEV2_SPI_LEN	    8

/* Header flags (3.1); the other bits are sent as zero and ignored on receipt. */
#define IKEV2_FLAG_INITIATOR 0x08 /* I: sent by the original initiator of the IKE SA */
#define IKEV2_FLAG_VERSION   0x10 /* V: sender could speak a higher major version */
#define IKEV2_FLAG_RESPONSE  0x20 /* R: this message is a response */
#define IKEV2_FLAGS_KNOWN    (IKEV2_FLAG_INITIATOR | IKEV2_FLAG_VERSION | IKEV2_FLAG_RESPONSE)

/* Generic payload header (3.2): the critical bit of the flags octet. */
#define IKEV2_PL_CRITICAL 0x80

/* Exchange types (3.1; 43 RFC 9242, 44 RFC 9370). */
#define IKEV2_EXCHANGES(X)                                                                         \
	X(IKE_SA_INIT, 34)                                                                         \
	X(IKE_AUTH, 35)                                                                            \
	X(CREATE_CHILD_SA, 36)                                                                     \
	X(INFORMATIONAL, 37)                                                                       \
	X(IKE_SESSION_RESUME, 38) /* RFC 5723 */                                                   \
	X(IKE_INTERMEDIATE, 43)                                                                    \
	X(IKE_FOLLOWUP_KE, 44)

/*
 * Payload types (3.2; SKF RFC 7383; 49-52 group key management RFC 9838).
 * X(symbol, value, log name): the log names are the RFC's short notation.
 */
#define IKEV2_PAYLOADS(X)                                                                          \
	X(NONE, 0, "NONE")                                                                         \
	X(SA, 33, "SA")                                                                            \
	X(KE, 34, "KE")                                                                            \
	X(IDI, 35, "IDi")                                                                          \
	X(IDR, 36, "IDr")                                                                          \
	X(CERT, 37, "CERT")                                                                        \
	X(CERTREQ, 38, "CERTREQ")                                                                  \
	X(AUTH, 39, "AUTH")                                                                        \
	X(NONCE, 40, "Ni/Nr")                                                                      \
	X(NOTIFY, 41, "N")                                                                         \
	X(DELETE, 42, "D")                                                                         \
	X(VENDOR, 43, "V")                                                                         \
	X(TSI, 44, "TSi")                                                                          \
	X(TSR, 45, "TSr")                                                                          \
	X(SK, 46, "SK")                                                                            \
	X(CP, 47, "CP")                                                                            \
	X(EAP, 48, "EAP")                                                                          \
	X(GSPM, 49, "GSPM")                                                                        \
	X(IDG, 50, "IDg")                                                                          \
	X(GSA, 51, "GSA")                                                                          \
	X(KD, 52, "KD")                                                                            \
	X(SKF, 53, "SKF")

/* Security protocol IDs (3.3.1, 3.10). */
#define IKEV2_PROTOCOLS(X)                                                                         \
	X(NONE, 0)                                                                                 \
	X(IKE, 1)                                                                                  \
	X(AH, 2)                                                                                   \
	X(ESP, 3)

/* Transform types (3.3.2); IDs of each type are the ALG_* of crypto/alg.h. */
#define IKEV2_XFORM_TYPES(X)                                                                       \
	X(ENCR, 1)                                                                                 \
	X(PRF, 2)                                                                                  \
	X(INTEG, 3)                                                                                \
	X(DH, 4)                                                                                   \
	X(ESN, 5)

/* Transform attributes (3.3.5): AF set = TV format (2-byte value, no length). */
#define IKEV2_ATTR_AF	      0x8000
#define IKEV2_ATTR_TYPE_MASK  0x7fff
#define IKEV2_ATTR_KEY_LENGTH 14

/* Last-substructure markers (3.3.1, 3.3.2). */
#define IKEV2_LAST	      0
#define IKEV2_MORE_PROPOSALS  2
#define IKEV2_MORE_TRANSFORMS 3

/* Substructure sizes. */
#define IKEV2_PROPOSAL_HDR_LEN 8
#define IKEV2_XFORM_HDR_LEN    8
#define IKEV2_ATTR_HDR_LEN     4
#define IKEV2_IKE_SPI_LEN      8 /* in a proposal rekeying the IKE SA (3.3.1) */
#define IKEV2_CHILD_SPI_LEN    4 /* ESP and AH */

/* Identification types (3.5). */
#define IKEV2_ID_TYPES(X)                                                                          \
	X(IPV4_ADDR, 1)                                                                            \
	X(FQDN, 2)                                                                                 \
	X(RFC822_ADDR, 3)                                                                          \
	X(IPV6_ADDR, 5)                                                                            \
	X(DER_ASN1_DN, 9)                                                                          \
	X(DER_ASN1_GN, 10)                                                                         \
	X(KEY_ID, 11)                                                                              \
	X(NULL_ID, 13) /* RFC 7619 */

/* Authentication methods (3.8; 9-11 RFC 4754, 12 RFC 6467, 13 RFC 7619, 14 RFC 7427). */
#define IKEV2_AUTH_METHODS(X)                                                                      \
	X(RSA_SIG, 1)                                                                              \
	X(SHARED_KEY, 2)                                                                           \
	X(DSS_SIG, 3)                                                                              \
	X(ECDSA_256, 9)                                                                            \
	X(ECDSA_384, 10)                                                                           \
	X(ECDSA_521, 11)                                                                           \
	X(GSPAM, 12)                                                                               \
	X(NULL_AUTH, 13)                                                                           \
	X(DIGITAL_SIGNATURE, 14)

/*
 * Notify message types (3.10.1). Below 16384: errors; from 16384: status.
 * Sources besides RFC 7296: RFC 4555 (MOBIKE), 4478, 4739, 5685, 5723,
 * 6023, 6290, 6311, 7383, 7427, 7791, 8019, 8784, 8983, 9242, 9347, 9370.
 */
#define IKEV2_NOTIFIES(X)                                                                          \
	X(UNSUPPORTED_CRITICAL_PAYLOAD, 1)                                                         \
	X(INVALID_IKE_SPI, 4)                                                                      \
	X(INVALID_MAJOR_VERSION, 5)                                                                \
	X(INVALID_SYNTAX, 7)                                                                       \
	X(INVALID_MESSAGE_ID, 9)                                                                   \
	X(INVALID_SPI, 11)                                                                         \
	X(NO_PROPOSAL_CHOSEN, 14)                                                                  \
	X(INVALID_KE_PAYLOAD, 17)                                                                  \
	X(AUTHENTICATION_FAILED, 24)                                                               \
	X(SINGLE_PAIR_REQUIRED, 34)                                                                \
	X(NO_ADDITIONAL_SAS, 35)                                                                   \
	X(INTERNAL_ADDRESS_FAILURE, 36)                                                            \
	X(FAILED_CP_REQUIRED, 37)                                                                  \
	X(TS_UNACCEPTABLE, 38)                                                                     \
	X(INVALID_SELECTORS, 39)                                                                   \
	X(UNACCEPTABLE_ADDRESSES, 40)                                                              \
	X(UNEXPECTED_NAT_DETECTED, 41)                                                             \
	X(USE_ASSIGNED_HOA, 42)                                                                    \
	X(TEMPORARY_FAILURE, 43)                                                                   \
	X(CHILD_SA_NOT_FOUND, 44)                                                                  \
	X(INITIAL_CONTACT, 16384)                                                                  \
	X(SET_WINDOW_SIZE, 16385)                                                                  \
	X(ADDITIONAL_TS_POSSIBLE, 16386)                                                           \
	X(IPCOMP_SUPPORTED, 16387)                                                                 \
	X(NAT_DETECTION_SOURCE_IP, 16388)                                                          \
	X(NAT_DETECTION_DESTINATION_IP, 16389)                                                     \
	X(COOKIE, 16390)                                                                           \
	X(USE_TRANSPORT_MODE, 16391)                                                               \
	X(HTTP_CERT_LOOKUP_SUPPORTED, 16392)                                                       \
	X(REKEY_SA, 16393)                                                                         \
	X(ESP_TFC_PADDING_NOT_SUPPORTED, 16394)                                                    \
	X(NON_FIRST_FRAGMENTS_ALSO, 16395)                                                         \
	X(MOBIKE_SUPPORTED, 16396)                                                                 \
	X(ADDITIONAL_IP4_ADDRESS, 16397)                                                           \
	X(ADDITIONAL_IP6_ADDRESS, 16398)                                                           \
	X(NO_ADDITIONAL_ADDRESSES, 16399)                                                          \
	X(UPDATE_SA_ADDRESSES, 16400)                                                              \
	X(COOKIE2, 16401)                                                                          \
	X(NO_NATS_ALLOWED, 16402)                                                                  \
	X(AUTH_LIFETIME, 16403)                                                                    \
	X(MULTIPLE_AUTH_SUPPORTED, 16404)                                                          \
	X(ANOTHER_AUTH_FOLLOWS, 16405)                                                             \
	X(REDIRECT_SUPPORTED, 16406)                                                               \
	X(REDIRECT, 16407)                                                                         \
	X(REDIRECTED_FROM, 16408)                                                                  \
	X(TICKET_LT_OPAQUE, 16409)                                                                 \
	X(TICKET_REQUEST, 16410)                                                                   \
	X(TICKET_ACK, 16411)                                                                       \
	X(TICKET_NACK, 16412)                                                                      \
	X(TICKET_OPAQUE, 16413)                                                                    \
	X(CHILDLESS_IKEV2_SUPPORTED, 16418)                                                        \
	X(QUICK_CRASH_DETECTION, 16419)                                                            \
	X(IKEV2_MESSAGE_ID_SYNC_SUPPORTED, 16420)                                                  \
	X(IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED, 16421)                                              \
	X(IKEV2_MESSAGE_ID_SYNC, 16422)                                                            \
	X(IPSEC_REPLAY_COUNTER_SYNC, 16423)                                                        \
	X(IKEV2_FRAGMENTATION_SUPPORTED, 16430)                                                    \
	X(SIGNATURE_HASH_ALGORITHMS, 16431)                                                        \
	X(CLONE_IKE_SA_SUPPORTED, 16432)                                                           \
	X(CLONE_IKE_SA, 16433)                                                                     \
	X(PUZZLE, 16434)                                                                           \
	X(USE_PPK, 16435)                                                                          \
	X(PPK_IDENTITY, 16436)                                                                     \
	X(NO_PPK_AUTH, 16437)                                                                      \
	X(INTERMEDIATE_EXCHANGE_SUPPORTED, 16438)                                                  \
	X(IP4_ALLOWED, 16439)                                                                      \
	X(IP6_ALLOWED, 16440)                                                                      \
	X(ADDITIONAL_KEY_EXCHANGE, 16441)                                                          \
	X(USE_AGGFRAG, 16442)

#define IKEV2_NOTIFY_STATUS_MIN 16384 /* types below are errors (3.10.1) */

/* Traffic selector types (3.13.1; 9 RFC 4595, 10 RFC 9478). */
#define IKEV2_TS_TYPES(X)                                                                          \
	X(TS_IPV4_ADDR_RANGE, 7)                                                                   \
	X(TS_IPV6_ADDR_RANGE, 8)                                                                   \
	X(TS_FC_ADDR_RANGE, 9)                                                                     \
	X(TS_SECLABEL, 10)

#define IKEV2_TS_HDR_LEN      4	    /* type, IP protocol, selector length */
#define IKEV2_TS_IPV4_LEN     16    /* 4 + ports 4 + 2 x 4 */
#define IKEV2_TS_IPV6_LEN     40    /* 4 + ports 4 + 2 x 16 */
#define IKEV2_TS_OPAQUE_START 65535 /* OPAQUE ports: start 65535, end 0 (3.13.1) */
#define IKEV2_TS_OPAQUE_END   0

/* Configuration payload types (3.15). */
#define IKEV2_CFG_TYPES(X)                                                                         \
	X(CFG_REQUEST, 1)                                                                          \
	X(CFG_REPLY, 2)                                                                            \
	X(CFG_SET, 3)                                                                              \
	X(CFG_ACK, 4)

/* Configuration attributes (3.15.1); the top bit of the type is reserved. */
#define IKEV2_CFG_ATTRS(X)                                                                         \
	X(INTERNAL_IP4_ADDRESS, 1)                                                                 \
	X(INTERNAL_IP4_NETMASK, 2)                                                                 \
	X(INTERNAL_IP4_DNS, 3)                                                                     \
	X(INTERNAL_IP4_NBNS, 4)                                                                    \
	X(INTERNAL_IP4_DHCP, 6)                                                                    \
	X(APPLICATION_VERSION, 7)                                                                  \
	X(INTERNAL_IP6_ADDRESS, 8)                                                                 \
	X(INTERNAL_IP6_DNS, 10)                                                                    \
	X(INTERNAL_IP6_DHCP, 12)                                                                   \
	X(INTERNAL_IP4_SUBNET, 13)                                                                 \
	X(SUPPORTED_ATTRIBUTES, 14)                                                                \
	X(INTERNAL_IP6_SUBNET, 15)

#define IKEV2_CFG_ATTR_RESERVED_BIT 0x8000
#define IKEV2_CFG_ATTR_HDR_LEN	    4

/* Hash algorithms of SIGNATURE_HASH_ALGORITHMS (RFC 7427 4; 5 RFC 8420). */
#define IKEV2_HASHES(X)                                                                            \
	X(SHA1, 1)                                                                                 \
	X(SHA2_256, 2)                                                                             \
	X(SHA2_384, 3)                                                                             \
	X(SHA2_512, 4)                                                                             \
	X(IDENTITY, 5)

/* The enums, generated from the lists. */
#define IKEV2_ENUM_EXCH(s, v)	  IKEV2_EXCH_##s = v,
#define IKEV2_ENUM_PL(s, v, n)	  IKEV2_PL_##s = v,
#define IKEV2_ENUM_PROTO(s, v)	  IKEV2_PROTO_##s = v,
#define IKEV2_ENUM_XFORM(s, v)	  IKEV2_XFORM_##s = v,
#define IKEV2_ENUM_ID(s, v)	  IKEV2_ID_##s = v,
#define IKEV2_ENUM_AUTH(s, v)	  IKEV2_AUTH_##s = v,
#define IKEV2_ENUM_N(s, v)	  IKEV2_N_##s = v,
#define IKEV2_ENUM_PLAIN(s, v)	  IKEV2_##s = v,
#define IKEV2_ENUM_CFG_ATTR(s, v) IKEV2_CFG_ATTR_##s = v,
#define IKEV2_ENUM_HASH(s, v)	  IKEV2_HASH_##s = v,

enum ikev2_exchange { IKEV2_EXCHANGES(IKEV2_ENUM_EXCH) };
enum ikev2_payload { IKEV2_PAYLOADS(IKEV2_ENUM_PL) };
enum ikev2_protocol { IKEV2_PROTOCOLS(IKEV2_ENUM_PROTO) };
enum ikev2_xform_type { IKEV2_XFORM_TYPES(IKEV2_ENUM_XFORM) };
enum ikev2_id_type { IKEV2_ID_TYPES(IKEV2_ENUM_ID) };
enum ikev2_auth_method { IKEV2_AUTH_METHODS(IKEV2_ENUM_AUTH) };
enum ikev2_notify { IKEV2_NOTIFIES(IKEV2_ENUM_N) };
enum ikev2_ts_type { IKEV2_TS_TYPES(IKEV2_ENUM_PLAIN) };
enum ikev2_cfg_type { IKEV2_CFG_TYPES(IKEV2_ENUM_PLAIN) };
enum ikev2_cfg_attr { IKEV2_CFG_ATTRS(IKEV2_ENUM_CFG_ATTR) };
enum ikev2_hash { IKEV2_HASHES(IKEV2_ENUM_HASH) };

/* Sizes of notify data with a fixed format. */
#define IKEV2_NAT_DETECTION_LEN 20 /* SHA-1 (2.23) */
#define IKEV2_COOKIE_MIN	1  /* 2.6 */
#define IKEV2_COOKIE_MAX	64
#define IKEV2_NONCE_MIN		16 /* 2.10 */
#define IKEV2_NONCE_MAX		256

/* Fragment header of SKF after the generic header (RFC 7383 2.5). */
#define IKEV2_SKF_HDR_LEN 4

/*
 * Limits we accept, to bound the work one datagram can cause. A UDP
 * datagram cannot carry more than 65535 bytes, larger messages are
 * fragmented (RFC 7383); the counts are far above what strongSwan, libreswan
 * or VyOS send (strongSwan's default IKE proposal has ~30 transforms).
 */
#define IKE_MAX_MSG_LEN	    65535
#define IKE_MAX_PAYLOADS    64	 /* per message, clear + decrypted chain */
#define IKE_MAX_NOTIFIES    32	 /* per message */
#define IKE_MAX_PROPOSALS   16	 /* per SA payload */
#define IKE_MAX_TRANSFORMS  64	 /* per proposal */
#define IKE_MAX_TS	    16	 /* per TS payload */
#define IKE_MAX_CP_ATTRS    32	 /* per CP payload */
#define IKE_MAX_SIG_HASHES  16	 /* per SIGNATURE_HASH_ALGORITHMS */
#define IKE_MAX_DELETE_SPIS 1024 /* per Delete payload: 4 KiB of SPIs */

#endif
