#!/bin/bash
# IKEv2 failures against strongSwan: a wrong PSK on either side and no
# common proposal in either direction. No SA may come up, both daemons stay
# alive, and ipsecgw's log names the tunnel and the reason.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

[ -x "$BUILD/ipsecgwd" ] || { fail "no $BUILD/ipsecgwd"; finish; }

failure() { # name initiator(ig|sw) log-regex
	local name=$1 init=$2 want=$3 igdir swdir
	igdir=$T_DIR/$name/ig swdir=$T_DIR/$name/sw
	if ! topo_guide; then fail "$name: topology"; topo_teardown; return; fi
	[ "$init" = ig ] && nat_forward
	IG_START=$([ "$init" = ig ] && echo initiate || echo respond) ig_config cloud "$igdir"
	sw_config onprem "$swdir"
	if ! sw_start $OPGW "$swdir" || ! sw_load "$swdir" "$swdir/swanctl.conf" ||
		! ig_start cloud "$igdir"; then
		fail "$name: start"
		dump_logs "$igdir" "$swdir"
		topo_teardown
		return
	fi
	# `ipsecgw log --follow` streams the daemon's log like `swanctl --log`.
	"$BUILD/ipsecgw" --socket "$igdir/ctl.sock" log --follow >"$igdir/follow.log" 2>&1 &
	local fpid=$!
	T_PIDS+=($fpid)
	sleep 0.5
	[ "$init" = sw ] && swanctl_ "$swdir" --initiate --child net --timeout 10 >"$swdir/initiate.log" 2>&1
	sleep 3
	if wait_for 10 grep -Eq "$want" "$igdir/ipsecgwd.log"; then
		pass "$name: ipsecgw logs the reason"
	else
		fail "$name: ipsecgw logs the reason (/$want/)"
		dump_logs "$igdir" "$swdir"
	fi
	# When ipsecgw initiates at start-up, the failure comes before the follower connects.
	if [ "$init" = sw ]; then
		if wait_for 5 grep -Eq "$want" "$igdir/follow.log"; then
			pass "$name: log --follow shows it too"
		else
			fail "$name: log --follow shows it too"
			sed 's/^/#   /' "$igdir/follow.log" | tail -5
		fi
	fi
	kill "$fpid" 2>/dev/null
	check "$name: no SA in ipsecgw" sh -c "[ \"\$('$BUILD/ipsecgw' --socket '$igdir/ctl.sock' show ipsec-sa --json)\" = '[]' ]"
	check "$name: no SA in strongSwan" sh -c "! swanctl --list-sas --uri unix://$swdir/charon.vici | grep -q ESTABLISHED"
	check "$name: ipsecgwd alive" ig_alive "$igdir"
	check "$name: charon alive" kill -0 "$(cat "$swdir/charon.pid")"
	topo_teardown
}

IG_PSK="another 8-40 char key" failure wrong-psk-at-ipsecgw sw \
	'peer\[[0-9]+\]: IKE_AUTH from 198\.51\.100\.57\[198\.51\.100\.57\]: authentication failed'
SW_PSK="another 8-40 char key" failure wrong-psk-at-strongswan ig \
	'peer\[[0-9]+\]: peer rejected our authentication \(AUTHENTICATION_FAILED\)'
SW_IKE=aes128-sha1-modp2048 failure no-proposal-sw-initiates sw \
	'peer: IKE_SA_INIT from 198\.51\.100\.57: no common IKE proposal \(NO_PROPOSAL_CHOSEN\); peer offered AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048; we accept AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024'
SW_IKE=aes128-sha1-modp2048 failure no-proposal-ig-initiates ig \
	'peer\[[0-9]+\]: peer rejected our proposals \(NO_PROPOSAL_CHOSEN\) in IKE_SA_INIT; we offered AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024'

finish
