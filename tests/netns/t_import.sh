#!/bin/bash
# ipsecgw import against the real thing, in the guide's topology (lib.sh):
# the on-prem side is configured from the guide's own text, ipsecgw (the
# cloud gateway) runs only what 'ipsecgw import' made of that same text.
#
#   vyos:       tests/data/peer/guide-policy.vyos (section 4.1, CASE 2) is
#               imported; VyOS does not run here, so the on-prem gateway is
#               strongSwan with the swanctl.conf equivalent of those VyOS
#               commands (VyOS 1.4 is strongSwan underneath).
#   ipsec.conf: tests/data/peer/guide.ipsec.conf + guide.ipsec.secrets
#               (section 4.2) are imported, and the on-prem strongSwan's
#               starter loads exactly those two files.
#
# Each time: the imported YAML passes 'ipsecgw check' and 'check --peer'
# (exit 0), ipsecgwd starts on it unedited, the on-prem side initiates (the
# guide's 'connection-type initiate' / 'auto=start'), the SAs come up and
# the hosts ping each other through the tunnel both ways.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

DATA=$(cd "$(dirname "$0")/../data/peer" && pwd)

[ -x "$BUILD/ipsecgwd" ] && [ -x "$BUILD/ipsecgw" ] || { fail "no $BUILD/ipsecgwd or ipsecgw"; finish; }

# import FROM FILE [ARGS] into DIR/ipsecgw.yaml, then check it both ways.
import_and_check() { # name dir from file [--secrets FILE]
	local name=$1 dir=$2 from=$3 file=$4
	shift 4
	mkdir -p "$dir"
	if "$BUILD/ipsecgw" import --from "$from" "$@" "$file" >"$dir/ipsecgw.yaml" 2>"$dir/import.err"; then
		pass "$name: import --from $from"
	else
		fail "$name: import --from $from"
		sed 's/^/#   /' "$dir/import.err"
		return 1
	fi
	chmod 600 "$dir/ipsecgw.yaml"
	if "$BUILD/ipsecgw" check "$dir/ipsecgw.yaml" >"$dir/check.out" 2>&1; then
		pass "$name: imported YAML passes ipsecgw check"
	else
		fail "$name: imported YAML passes ipsecgw check"
		sed 's/^/#   /' "$dir/check.out"
	fi
	if "$BUILD/ipsecgw" check --peer "$file" --peer-format "$from" "$@" "$dir/ipsecgw.yaml" >"$dir/peer-check.out" 2>&1; then
		pass "$name: check --peer finds nothing blocking"
	else
		fail "$name: check --peer finds nothing blocking"
		sed 's/^/#   /' "$dir/peer-check.out"
	fi
	# Never the placeholder: the guide's files name everything we need.
	check "$name: no placeholder in the imported YAML" sh -c "! grep -q ': PLACEHOLDER' '$dir/ipsecgw.yaml'"
	# ipsecgwd logs at debug into the test directory.
	echo "log: { level: debug }" >>"$dir/ipsecgw.yaml"
}

up_and_ping() { # name igdir swdir
	if ig_wait_up "$2" 25; then
		pass "$1: IKE and CHILD SA up"
	else
		fail "$1: IKE and CHILD SA up"
		dump_logs "$2" "$3"
		return 1
	fi
	check "$1: ping on-prem host -> cloud host" ping_ok $OHOST 192.168.25.3
	check "$1: ping cloud host -> on-prem host" ping_ok $CHOST 10.0.2.5
	if ig "$2" show ike-sa --json >"$2/ike.json" 2>&1; then
		check "$1: the IKE SA is with the guide's on-prem ID" \
			grep -q '"remote_id": "198.51.100.57"' "$2/ike.json"
	else
		fail "$1: show ike-sa"
	fi
}

# The guide's VyOS commands (section 4.1, policy-based) as swanctl.conf:
# ike-group/esp-group proposals and lifetimes, 'authentication id' as the
# local ID, the peer address as remote ID (VyOS's default), the prefixes,
# connection-type initiate, pre-shared-secret 'password'.
vyos_equivalent() { # out
	cat >"$1" <<'EOT'
connections {
  guide {
    version = 2
    local_addrs = 192.168.0.123
    remote_addrs = 203.0.113.7
    proposals = aes256-sha256-modp1024
    reauth_time = 36000s
    rekey_time = 0s
    local {
      auth = psk
      id = 198.51.100.57
    }
    remote {
      auth = psk
      id = 203.0.113.7
    }
    children {
      guide {
        local_ts = 192.168.0.0/24,10.0.2.0/24
        remote_ts = 192.168.25.0/24
        esp_proposals = aes256-sha256-modp1024
        rekey_time = 386000s
        mode = tunnel
        start_action = start
      }
    }
  }
}
secrets {
  ike-guide {
    id-1 = 198.51.100.57
    id-2 = 203.0.113.7
    secret = "password"
  }
}
EOT
}

vyos_scenario() {
	local name=vyos igdir=$T_DIR/vyos/ig swdir=$T_DIR/vyos/sw
	mkdir -p "$swdir"
	if ! topo_guide; then fail "$name: topology"; topo_teardown; return; fi
	if ! import_and_check "$name" "$igdir" vyos "$DATA/guide-policy.vyos"; then
		topo_teardown
		return
	fi
	vyos_equivalent "$swdir/swanctl.conf"
	if ! ig_start cloud "$igdir" || ! sw_start "$OPGW" "$swdir" || ! sw_load "$swdir" "$swdir/swanctl.conf"; then
		fail "$name: start"
		dump_logs "$igdir" "$swdir"
		topo_teardown
		return
	fi
	pass "$name: ipsecgwd runs the imported YAML, strongSwan the guide's VyOS settings"
	up_and_ping "$name" "$igdir" "$swdir"
	topo_teardown
}

ipsecconf_scenario() {
	local name=ipsec.conf igdir=$T_DIR/starter/ig swdir=$T_DIR/starter/sw
	mkdir -p "$swdir"
	if ! topo_guide; then fail "$name: topology"; topo_teardown; return; fi
	if ! import_and_check "$name" "$igdir" ipsec.conf "$DATA/guide.ipsec.conf" \
		--secrets "$DATA/guide.ipsec.secrets"; then
		topo_teardown
		return
	fi
	# The guide's files, unchanged.
	cp "$DATA/guide.ipsec.conf" "$swdir/ipsec.conf"
	cp "$DATA/guide.ipsec.secrets" "$swdir/ipsec.secrets"
	chmod 600 "$swdir/ipsec.secrets"
	if ! ig_start cloud "$igdir" || ! starter_start "$OPGW" "$swdir"; then
		fail "$name: start"
		sed 's/^/#   /' "$swdir/starter.out"
		dump_logs "$igdir" "$swdir"
		topo_teardown
		return
	fi
	pass "$name: ipsecgwd runs the imported YAML, the starter the guide's ipsec.conf"
	up_and_ping "$name" "$igdir" "$swdir"
	topo_teardown
}

vyos_scenario
ipsecconf_scenario

finish
