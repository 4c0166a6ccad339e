#!/bin/bash
# ipsecgw peer-config against the real thing, in the guide's topology
# (lib.sh): ipsecgw is the cloud gateway (policy-based, the guide's
# parameters); the on-prem strongSwan behind the NAT runs exactly what
# `ipsecgw peer-config peer --for swanctl|strongswan` printed, with only the
# placeholder local address filled in (sed). Whichever side the generated
# start action says initiates brings the tunnel up; then ping both ways.
#   swanctl:    we respond (they start_action = start) and we initiate (they none)
#   strongswan: ipsec.conf + ipsec.secrets loaded by strongSwan's starter
#               (--conf, secrets_file via strongswan.conf), auto=start
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

[ -x "$BUILD/ipsecgwd" ] && [ -x "$BUILD/ipsecgw" ] || { fail "no $BUILD/ipsecgwd or ipsecgw"; finish; }

# The generated file, with this gateway's private address behind the NAT.
generate() { # igdir fmt out
	"$BUILD/ipsecgw" peer-config peer --for "$2" --config "$1/ipsecgw.yaml" >"$3.orig" 2>"$3.err" || return 1
	sed -e 's/^\( *local_addrs = \)198\.51\.100\.57$/\1192.168.0.123/' \
		-e 's/^\(\tleft=\)198\.51\.100\.57$/\1192.168.0.123/' "$3.orig" >"$3"
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
		check "$1: ipsecgw's IKE SA is with the on-prem gateway's ID" \
			grep -q '"remote_id": "198.51.100.57"' "$2/ike.json"
	else
		fail "$1: show ike-sa"
	fi
}

swanctl_scenario() { # name ig-start
	local name=$1 start=$2 igdir=$T_DIR/$1/ig swdir=$T_DIR/$1/sw
	mkdir -p "$swdir"
	if ! topo_guide; then fail "$name: topology"; topo_teardown; return; fi
	IG_START=$start ig_config cloud "$igdir"
	if generate "$igdir" swanctl "$swdir/swanctl.conf"; then
		pass "$name: peer-config --for swanctl"
	else
		fail "$name: peer-config --for swanctl"
		sed 's/^/#   /' "$swdir/swanctl.conf.err"
		topo_teardown
		return
	fi
	check "$name: placeholder local address filled in" grep -q 'local_addrs = 192.168.0.123' "$swdir/swanctl.conf"
	if [ "$start" = respond ]; then
		check "$name: they initiate (start_action = start)" grep -q 'start_action = start' "$swdir/swanctl.conf"
	else
		check "$name: they respond (start_action = none)" grep -q 'start_action = none' "$swdir/swanctl.conf"
		nat_forward
	fi
	# ipsecgw first: a charon that initiates on load must find it listening.
	if ! ig_start cloud "$igdir" || ! sw_start "$OPGW" "$swdir" || ! sw_load "$swdir" "$swdir/swanctl.conf"; then
		fail "$name: start"
		dump_logs "$igdir" "$swdir"
		topo_teardown
		return
	fi
	pass "$name: charon loaded the generated swanctl.conf"
	up_and_ping "$name" "$igdir" "$swdir"
	if swanctl_ "$swdir" --list-sas >"$swdir/sas.txt" 2>&1; then
		check "$name: swanctl --list-sas shows the generated child" grep -q 'peer: #.*INSTALLED, TUNNEL' "$swdir/sas.txt"
	else
		fail "$name: swanctl --list-sas"
	fi
	topo_teardown
}

strongswan_scenario() {
	local name=ipsec.conf igdir=$T_DIR/starter/ig swdir=$T_DIR/starter/sw
	mkdir -p "$swdir"
	if ! topo_guide; then fail "$name: topology"; topo_teardown; return; fi
	IG_START=respond ig_config cloud "$igdir"
	if generate "$igdir" strongswan "$swdir/out"; then
		pass "$name: peer-config --for strongswan"
	else
		fail "$name: peer-config --for strongswan"
		sed 's/^/#   /' "$swdir/out.err"
		topo_teardown
		return
	fi
	# Split the output: the conn section, and the line after '# ipsec.secrets'.
	sed -n '1,/^# ipsec.secrets/p' "$swdir/out" | sed '$d' >"$swdir/ipsec.conf"
	sed -n '/^# ipsec.secrets/,$p' "$swdir/out" | sed 1d >"$swdir/ipsec.secrets"
	chmod 600 "$swdir/ipsec.secrets"
	check "$name: placeholder left= filled in" grep -q '^	left=192.168.0.123$' "$swdir/ipsec.conf"
	check "$name: they initiate (auto=start)" grep -q '^	auto=start$' "$swdir/ipsec.conf"
	check "$name: one secrets line" test "$(wc -l <"$swdir/ipsec.secrets")" = 1
	if ! ig_start cloud "$igdir" || ! starter_start "$OPGW" "$swdir"; then
		fail "$name: start"
		sed 's/^/#   /' "$swdir/starter.out"
		dump_logs "$igdir" "$swdir"
		topo_teardown
		return
	fi
	pass "$name: starter and charon running on the generated ipsec.conf"
	if grep -q "loaded IKE secret for 198.51.100.57 203.0.113.7" "$swdir/charon.log"; then
		pass "$name: charon loaded the generated ipsec.secrets"
	else
		fail "$name: charon loaded the generated ipsec.secrets"
		tail -20 "$swdir/charon.log" | sed 's/^/#   /'
	fi
	up_and_ping "$name" "$igdir" "$swdir"
	topo_teardown
}

swanctl_scenario swanctl-they-initiate respond
swanctl_scenario swanctl-we-initiate initiate
strongswan_scenario

finish
