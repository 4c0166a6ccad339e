# shellcheck shell=bash
# Helpers for scenarios that run ipsecgwd against strongSwan (lib.sh first).
#
# Roles in the guide's topology (lib.sh):
#   cloud:  $CGW, 203.0.113.7, subnet 192.168.25.0/24, ID 203.0.113.7
#   onprem: $OPGW, 192.168.0.123 behind the NAT (198.51.100.57),
#           subnets 192.168.0.0/24 and 10.0.2.0/24, ID 198.51.100.57 (its
#           public address, as the guide's VyOS sets it)

BUILD=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}
PSK=${PSK:-"8 to 40 characters"}

# Lets the NAT forward IKE/NAT-T to the on-prem gateway, so the cloud side
# can initiate toward a peer behind NAT.
nat_forward() {
	nsx $NAT iptables -t nat -A PREROUTING -i wan0 -p udp --dport 500 -j DNAT --to-destination 192.168.0.123:500
	nsx $NAT iptables -t nat -A PREROUTING -i wan0 -p udp --dport 4500 -j DNAT --to-destination 192.168.0.123:4500
}

# The address/ID/subnets of a role: role_vars cloud|onprem sets R_*.
role_vars() {
	if [ "$1" = cloud ]; then
		R_NS=$CGW R_ADDR=203.0.113.7 R_ID=203.0.113.7 R_NETS="192.168.25.0/24"
		R_PEER=198.51.100.57 R_PEER_ID=198.51.100.57 R_PEER_NETS="192.168.0.0/24,10.0.2.0/24"
		R_PUBLIC=203.0.113.7
	else
		R_NS=$OPGW R_ADDR=192.168.0.123 R_ID=198.51.100.57 R_NETS="192.168.0.0/24,10.0.2.0/24"
		R_PEER=203.0.113.7 R_PEER_ID=203.0.113.7 R_PEER_NETS="192.168.25.0/24"
		R_PUBLIC=198.51.100.57
	fi
	# Without the NAT the cloud side reaches the on-prem gateway directly.
	if [ "${NONAT:-0}" = 1 ] && [ "$1" = cloud ]; then
		R_PEER=192.168.0.123
	fi
	if [ "${TOPO_V6:-0}" = 1 ]; then
		if [ "$1" = cloud ]; then
			R_ADDR=2001:db8:c::7 R_ID=2001:db8:c::7 R_PUBLIC=2001:db8:c::7
			R_PEER=2001:db8:0:123::123 R_PEER_ID=2001:db8:0:123::123
		else
			R_ADDR=2001:db8:0:123::123 R_ID=2001:db8:0:123::123 R_PUBLIC=2001:db8:0:123::123
			R_PEER=2001:db8:c::7 R_PEER_ID=2001:db8:c::7
		fi
	fi
}

# ipsecgw's YAML for a role. Optional env: IG_IKE, IG_ESP (proposal lists),
# IG_TYPE (policy|route), IG_START (initiate|respond), IG_PSK, IG_EXTRA.
ig_config() { # role dir
	local role=$1 dir=$2 tip
	role_vars "$role"
	if [ "$role" = cloud ]; then tip=169.254.200.5/30; else tip=169.254.200.6/30; fi
	mkdir -p "$dir"
	{
		echo "gateway:"
		echo "  name: ig-$role"
		echo "  local-address: $R_ADDR"
		echo "  public-ip: $R_PUBLIC"
		echo "  local-subnets: [${R_NETS}]"
		echo "log: { level: debug }"
		echo "tunnels:"
		echo "  - name: peer"
		echo "    peer: $R_PEER"
		echo "    remote-id: $R_PEER_ID"
		echo "    psk: \"${IG_PSK:-$PSK}\""
		echo "    type: ${IG_TYPE:-policy}"
		[ "${IG_TYPE:-policy}" = route ] && echo "    local-tunnel-ip: $tip"
		echo "    remote-subnets: [${R_PEER_NETS}]"
		echo "    ike: { proposals: [${IG_IKE:-aes256-sha256-modp1024}] }"
		echo "    esp: { proposals: [${IG_ESP:-aes256-sha256-modp1024}] }"
		echo "    dpd: { interval: 15, timeout: 60, action: restart }"
		echo "    start: ${IG_START:-respond}"
		[ -n "${IG_EXTRA:-}" ] && echo "$IG_EXTRA"
	} >"$dir/ipsecgw.yaml"
	chmod 600 "$dir/ipsecgw.yaml"
}

ig_start() { # role dir
	local role=$1 dir=$2 i
	role_vars "$role"
	ip netns exec "$R_NS" "$BUILD/ipsecgwd" --config "$dir/ipsecgw.yaml" --socket "$dir/ctl.sock" \
		--foreground --log-level debug >"$dir/ipsecgwd.log" 2>&1 &
	T_PIDS+=($!)
	echo $! >"$dir/ipsecgwd.pid"
	for i in $(seq 1 50); do
		[ -S "$dir/ctl.sock" ] && return 0
		kill -0 "$(cat "$dir/ipsecgwd.pid")" 2>/dev/null || break
		sleep 0.1
	done
	echo "# ipsecgwd did not start:"
	sed 's/^/#   /' "$dir/ipsecgwd.log"
	return 1
}

ig() { # dir args...
	local dir=$1
	shift
	"$BUILD/ipsecgw" --socket "$dir/ctl.sock" "$@"
}

ig_alive() { kill -0 "$(cat "$1/ipsecgwd.pid")" 2>/dev/null; }

# strongSwan's swanctl.conf for a role. Optional env: SW_IKE, SW_ESP,
# SW_TS_ANY=1 (0.0.0.0/0 selectors, route-based like VyOS' VTI), SW_PSK.
sw_config() { # role dir
	local role=$1 dir=$2 lts rts
	role_vars "$role"
	lts=$R_NETS rts=$R_PEER_NETS
	if [ "${SW_TS_ANY:-0}" = 1 ]; then lts=0.0.0.0/0 rts=0.0.0.0/0; fi
	mkdir -p "$dir"
	cat >"$dir/swanctl.conf" <<EOT
connections {
  peer {
    version = 2
    local_addrs = $R_ADDR
    remote_addrs = $R_PEER
    proposals = ${SW_IKE:-aes256-sha256-modp1024}
    dpd_delay = 15s
    rekey_time = 0
    reauth_time = 0
    local {
      auth = psk
      id = $R_ID
    }
    remote {
      auth = psk
      id = $R_PEER_ID
    }
    children {
      net {
        local_ts = $lts
        remote_ts = $rts
        esp_proposals = ${SW_ESP:-aes256-sha256-modp1024}
        rekey_time = 0
        start_action = none
      }
    }
  }
}
secrets {
  ike-1 {
    id-1 = $R_ID
    id-2 = $R_PEER_ID
    secret = "${SW_PSK:-$PSK}"
  }
}
EOT
}

# Waits until ipsecgw shows an established IKE SA with a CHILD SA.
ig_wait_up() { # dir seconds (quiet while the daemon is down or restarting)
	local dir=$1 t=${2:-20} i
	for i in $(seq 1 $((t * 5))); do
		if ig "$dir" show ipsec-sa --json 2>/dev/null | python3 -c \
			'import json,sys; a=json.load(sys.stdin); sys.exit(0 if any(c.get("state")=="installed" for c in a) else 1)' 2>/dev/null; then
			return 0
		fi
		sleep 0.2
	done
	return 1
}

# Compares ipsecgw's SAs with strongSwan's: same SPIs, same algorithms.
compare_sas() { # igdir swdir
	ig "$1" show ike-sa --json >"$1/ike.json" 2>"$1/ike.err" &&
		ig "$1" show ipsec-sa --json >"$1/ipsec.json" 2>>"$1/ike.err" &&
		swanctl_ "$2" --list-sas >"$2/sas.txt" 2>&1 &&
		python3 "$(dirname "${BASH_SOURCE[0]}")/compare_sas.py" "$1/ike.json" "$1/ipsec.json" "$2/sas.txt"
}

dump_logs() { # igdir swdir
	echo "# --- ipsecgwd log ($1)"
	tail -40 "$1/ipsecgwd.log" 2>/dev/null | sed 's/^/#   /'
	echo "# --- charon log ($2)"
	tail -40 "$2/charon.log" 2>/dev/null | sed 's/^/#   /'
}

# Pushes BYTES over TCP from NS_FROM to DST (served in NS_TO) and checks
# that what arrived has the same length and sha256 as what was sent.
xfer_ok() { # ns_from ns_to dst bytes
	local from=$1 to=$2 dst=$3 bytes=$4 port=5201 got sent
	ip netns exec "$to" python3 "$(dirname "${BASH_SOURCE[0]}")/xfer.py" serve $port >"$T_DIR/xfer.recv" 2>&1 &
	local spid=$!
	T_PIDS+=($spid)
	sleep 0.5
	sent=$(ip netns exec "$from" timeout 120 python3 "$(dirname "${BASH_SOURCE[0]}")/xfer.py" send "$dst" $port "$bytes" 2>&1)
	wait $spid
	got=$(cat "$T_DIR/xfer.recv")
	echo "# sent: $sent; received: $got"
	[ -n "$sent" ] && [ "$sent" = "$got" ]
}

# strongSwan's starter reads ipsec.conf (--conf) and hands it to charon over
# stroke; charon reads the secrets file named in strongswan.conf. Private
# /run as in sw_start, so nothing clashes with the host's pid files.
starter_start() { # ns dir
	local ns=$1 dir=$2 i
	cat >"$dir/strongswan.conf" <<EOT
charon {
  load = random nonce openssl aes sha1 sha2 hmac gcm pem pkcs1 x509 pubkey gmp curve25519 kdf kernel-libipsec kernel-netlink socket-default stroke updown
  install_routes = yes
  retransmit_tries = 3
  retransmit_timeout = 1.0
  filelog {
    log {
      path = $dir/charon.log
      flush_line = yes
      default = 1
      ike = 2
    }
  }
  plugins {
    stroke {
      secrets_file = $dir/ipsec.secrets
    }
    kernel-libipsec {
      allow_peer_ts = yes
    }
  }
}
EOT
	ip netns exec "$ns" unshare -m sh -c \
		"mount -t tmpfs none /run && mkdir -p /run/strongswan && STRONGSWAN_CONF=$dir/strongswan.conf exec /usr/lib/ipsec/starter --nofork --conf $dir/ipsec.conf" \
		>"$dir/starter.out" 2>&1 &
	T_PIDS+=($!)
	# starter forks charon: every process in our namespace is ours, record them all.
	for i in $(seq 1 100); do
		grep -q 'charon (.*) started' "$dir/starter.out" 2>/dev/null && [ -s "$dir/charon.log" ] && break
		sleep 0.1
	done
	for i in $(ip netns pids "$ns"); do T_PIDS+=("$i"); done
	[ -s "$dir/charon.log" ]
}
