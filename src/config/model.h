/* SPDX-License-Identifier: MIT */
/*
 * The configuration model: plain structs for every key of the YAML file
 * (PRODUCT.md "Config"). Values are always the effective ones (defaults
 * filled in by config/defaults.c); origin[] says for each key whether the
 * operator wrote it (and on which line) or it was defaulted, which reload
 * diffs and the emitter need.
 *
 * The IKE engine and the tunnel manager read these structs; only config/
 * writes them.
 */
#ifndef IPSECGW_CONFIG_MODEL_H
#define IPSECGW_CONFIG_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/proposal.h"
#include "lib/addr.h"
#include "lib/log.h"
#include "lib/secret.h"

/* Where a value came from. */
struct cfg_origin {
	bool set;      /* written in the file (false: defaulted) */
	bool bad;      /* written but rejected; validation skips rules that use it */
	uint32_t line; /* 1-based source line, 0 if not from a file */
};

/* Limits of the console (guide, section 3). */
#define CFG_NAME_MAX   20
#define CFG_DESC_MAX   400
#define CFG_PSK_MIN    8
#define CFG_PSK_MAX    40
#define CFG_IFNAME_MAX 15   /* IFNAMSIZ - 1 */
#define CFG_MSS_MIN    536  /* RFC 879: the IPv4 default MSS, smallest sane clamp */
#define CFG_MSS_MAX    1460 /* 1500-byte Ethernet MTU minus 40 bytes of IPv4+TCP */
#define CFG_REPLAY_MAX 4096

/*
 * Defaults: the guide's main parameters (section 2.2). The replay window is
 * ours: strongSwan's default is 32, but our batched multi-core data path
 * reorders more than one kernel queue, and 32 drops good packets at speed
 * (RFC 4303 3.4.3: 64 or more recommended); 1024 costs a 128-byte bitmap.
 */
#define CFG_DEFAULT_PROPOSAL	  "aes256-sha256-modp1024"
#define CFG_DEFAULT_IKE_LIFETIME  86400
#define CFG_DEFAULT_ESP_LIFETIME  3600
#define CFG_DEFAULT_DPD_INTERVAL  15
#define CFG_DEFAULT_DPD_TIMEOUT	  60
#define CFG_DEFAULT_REPLAY_WINDOW 1024
#define CFG_DEFAULT_IFNAME_PREFIX "vti"

enum cfg_gateway_field {
	CFG_G_NAME,
	CFG_G_LOCAL_ADDRESS,
	CFG_G_PUBLIC_IP,
	CFG_G_LOCAL_SUBNETS,
	CFG_G_BANDWIDTH,
	CFG_G_DESCRIPTION,
	CFG_G_COUNT,
};

struct cfg_gateway {
	char *name;
	struct addr local_address; /* family 0: bind to all addresses */
	struct addr public_ip;	   /* family 0: none */
	struct cidr *local_subnets;
	size_t n_local_subnets;
	uint64_t bandwidth_bps; /* QoS cap in bits/s; 0: none */
	char *description;	/* NULL: none */
	struct cfg_origin origin[CFG_G_COUNT];
};

/* log: level, then one key per subsystem (log_subsys_name()), keys. */
enum cfg_log_field {
	CFG_L_LEVEL,
	CFG_L_SUBSYS, /* + enum log_subsys */
	CFG_L_KEYS = CFG_L_SUBSYS + LS_COUNT,
	CFG_L_COUNT,
};

struct cfg_log {
	enum log_level level;		 /* default LL_INFO */
	enum log_level subsys[LS_COUNT]; /* effective: the subsystem's own or level */
	bool keys;			 /* may key material be logged at debug */
	struct cfg_origin origin[CFG_L_COUNT];
};

/* IKEv2 identification types (RFC 7296 3.5), plus two of our own. */
enum cfg_id_type {
	CFG_ID_NONE = 0,    /* local-id unset: the address IKE runs from */
	CFG_ID_IPV4 = 1,    /* ID_IPV4_ADDR */
	CFG_ID_FQDN = 2,    /* ID_FQDN */
	CFG_ID_RFC822 = 3,  /* ID_RFC822_ADDR (user@fqdn) */
	CFG_ID_IPV6 = 5,    /* ID_IPV6_ADDR */
	CFG_ID_KEY_ID = 11, /* ID_KEY_ID ("keyid:text" or "keyid:#hex") */
	CFG_ID_ANY = 255,   /* remote-id "%any": accept whatever the peer sends */
};

struct cfg_id {
	enum cfg_id_type type;
	char *text;	  /* as written (or as derived for a default); NULL for NONE */
	struct addr addr; /* IPV4/IPV6 */
	uint8_t *data;	  /* the ID payload's identification data (RFC 7296 3.5) */
	size_t len;
};

enum cfg_tunnel_type { CFG_TYPE_POLICY, CFG_TYPE_ROUTE };
enum cfg_ike_version { CFG_IKE_V2, CFG_IKE_V1, CFG_IKE_FLEX };
enum cfg_esp_mode { CFG_MODE_TUNNEL, CFG_MODE_TRANSPORT };
enum cfg_df_bit { CFG_DF_COPY, CFG_DF_CLEAR, CFG_DF_SET };
enum cfg_dpd_action { CFG_DPD_RESTART, CFG_DPD_CLEAR, CFG_DPD_HOLD, CFG_DPD_NONE };
enum cfg_start { CFG_START_INITIATE, CFG_START_RESPOND };
enum cfg_mss_dir { CFG_MSS_BOTH, CFG_MSS_INBOUND, CFG_MSS_OUTBOUND };

enum cfg_tunnel_field {
	CFG_T_NAME,
	CFG_T_DESCRIPTION,
	CFG_T_PEER,
	CFG_T_LOCAL_ID,
	CFG_T_REMOTE_ID,
	CFG_T_PSK,
	CFG_T_PSK_FILE,
	CFG_T_TYPE,
	CFG_T_LOCAL_SUBNETS,
	CFG_T_REMOTE_SUBNETS,
	CFG_T_INTERFACE,
	CFG_T_LOCAL_TUNNEL_IP,
	CFG_T_IKE, /* the ike: mapping itself */
	CFG_T_IKE_VERSION,
	CFG_T_IKE_PROPOSALS,
	CFG_T_IKE_LIFETIME,
	CFG_T_IKE_REAUTH,
	CFG_T_ESP,
	CFG_T_ESP_PROPOSALS,
	CFG_T_ESP_LIFETIME,
	CFG_T_ESP_LIFE_BYTES,
	CFG_T_ESP_LIFE_PACKETS,
	CFG_T_ESP_MODE,
	CFG_T_ESP_DF_BIT,
	CFG_T_ESP_REPLAY_WINDOW,
	CFG_T_DPD,
	CFG_T_DPD_INTERVAL,
	CFG_T_DPD_TIMEOUT,
	CFG_T_DPD_ACTION,
	CFG_T_START,
	CFG_T_TCP_MSS,
	CFG_T_TCP_MSS_DIRECTION,
	CFG_T_TCP_MSS_VALUE,
	CFG_T_COUNT,
};

struct cfg_ike {
	enum cfg_ike_version version; /* default 2 */
	struct proposal *proposals;   /* in order of preference */
	size_t n_proposals;
	uint32_t lifetime_s; /* default 86400 */
	bool reauth;	     /* default true: IKEv2 reauthentication instead of rekey */
};

struct cfg_esp {
	struct proposal *proposals;
	size_t n_proposals;
	uint32_t lifetime_s;   /* default 3600 */
	uint64_t life_bytes;   /* 0: no byte limit */
	uint64_t life_packets; /* 0: no packet limit */
	enum cfg_esp_mode mode;
	enum cfg_df_bit df_bit;
	uint32_t replay_window; /* packets; 0: replay check off; default 1024 */
};

struct cfg_dpd {
	uint32_t interval_s; /* default 15 */
	uint32_t timeout_s;  /* default 60 */
	enum cfg_dpd_action action;
};

struct cfg_tcp_mss {
	bool enabled; /* tcp-mss present */
	enum cfg_mss_dir direction;
	uint16_t value;
};

struct cfg_tunnel {
	size_t index; /* position in tunnels[] */
	char *name;
	char *description; /* NULL: none */
	bool peer_any;	   /* peer: %any (respond only to whoever authenticates) */
	struct addr peer;  /* family 0 if peer_any */
	struct cfg_id local_id;
	struct cfg_id remote_id;
	struct secret *psk; /* from psk or read from psk_file; NULL only on error */
	char *psk_file;	    /* as written; NULL if psk was inline */
	enum cfg_tunnel_type type;
	struct cidr *local_subnets; /* effective (copied from gateway when defaulted) */
	size_t n_local_subnets;
	struct cidr *remote_subnets;
	size_t n_remote_subnets;
	char *interface;	     /* route: tunnel interface (default vti<N>); else NULL */
	struct cidr local_tunnel_ip; /* with host bits, /30; family 0 if unset */
	struct addr peer_tunnel_ip;  /* the other host of the /30 (cidr_p2p_peer) */
	struct cfg_ike ike;
	struct cfg_esp esp;
	struct cfg_dpd dpd;
	enum cfg_start start;
	struct cfg_tcp_mss tcp_mss;
	struct cfg_origin origin[CFG_T_COUNT];
	bool unusable; /* loader: the entry was no mapping; never true in a loaded config */
};

struct cfg {
	char *source; /* file path or the name given to cfg_load_string */
	struct cfg_gateway gateway;
	struct cfg_log log;
	struct cfg_tunnel *tunnels;
	size_t n_tunnels;
	bool has_inline_psk; /* some tunnel has psk: in this file (file-mode check) */
};

/* Names of enum values as written in YAML ("policy", "restart", "flex", ...). */
const char *cfg_tunnel_type_name(enum cfg_tunnel_type v);
const char *cfg_ike_version_name(enum cfg_ike_version v);
const char *cfg_esp_mode_name(enum cfg_esp_mode v);
const char *cfg_df_bit_name(enum cfg_df_bit v);
const char *cfg_dpd_action_name(enum cfg_dpd_action v);
const char *cfg_start_name(enum cfg_start v);
const char *cfg_mss_dir_name(enum cfg_mss_dir v);
/* "IPv4", "FQDN", "user@FQDN", "IPv6", "key ID", "any", "none". */
const char *cfg_id_type_name(enum cfg_id_type t);

static inline bool cfg_tunnel_is_set(const struct cfg_tunnel *t, enum cfg_tunnel_field f)
{
	return t->origin[f].set;
}

#endif
